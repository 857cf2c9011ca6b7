"""Typed settings, read once from a TOML file at the entry point and passed down.

Relative paths in the file are resolved against the file's own directory, so a settings file
works wherever it is called from. No module reads settings at import time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.errors import PartnerbotError

#: The project's own files, next to the installed package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The settings file shipped with the project: the embedded local wiki.
DEFAULT_SETTINGS = PROJECT_ROOT / "config" / "settings.toml"
#: The shipped checklist and on-wiki template source, used unless a settings file names others.
DEFAULT_CHECKLIST = PROJECT_ROOT / "config" / "checklist.toml"
DEFAULT_TEMPLATES = PROJECT_ROOT / "wiki_templates"


class SettingsError(PartnerbotError):
    """The settings file is missing, unreadable or has a wrong value (the message says which)."""

    hint = "fix the settings file (config/settings.toml lists every setting)"


@dataclass(frozen=True)
class WikiSettings:
    """Which wiki to talk to and as whom."""

    family: str = "devwiki"
    code: str = "devwiki"
    user: str = "PartnerBot"
    #: Directory holding user-config.py (and the password file); empty: $PYWIKIBOT_DIR.
    pywikibot_dir: str = ""
    #: Contact shown in the user agent (a URL or an e-mail address); required for real wikis.
    contact: str = ""
    maxlag: int = 5
    max_retries: int = 4
    #: Seconds between edits; 0 only for the local wiki and the tests.
    put_throttle: float = 10.0
    #: Language of everything the bot writes (a MediaWiki language code with bundles in i18n/).
    language: str = "en"


@dataclass(frozen=True)
class TemplateSettings:
    """The infobox and where to look for it."""

    name: str = "Partnership infobox"
    aliases: tuple[str, ...] = ()
    namespaces: tuple[int, ...] = (0,)

    def names(self, redirects: Sequence[str] = ()) -> list[str]:
        """Return every name the infobox may be called by: name, aliases, redirects to it."""
        return [self.name, *self.aliases, *redirects]


@dataclass(frozen=True)
class OutputSettings:
    """The pages the bot writes. Only these pages are ever edited."""

    status_page: str = "Partnerships/Status"
    affiliate_page_prefix: str = "Partnerships/Status/Affiliates"
    findings_page: str = "Module:Partnership infobox/findings.json"
    report_page: str = "Partnerships/Status/Bot report"
    #: The page that lists every checklist rule and warning flag (linked from the status page).
    method_page: str = "Partnerships/Method"
    #: Largest rendered page, in bytes, before a table is split into subpages.
    max_page_bytes: int = 500_000
    #: Largest findings data page, in bytes (MediaWiki's default limit is 2 MiB).
    findings_max_bytes: int = 1_800_000


@dataclass(frozen=True)
class ServeSettings:
    """The continuous mode (``partnerbot serve``): how often each job runs, and its health file.

    Intervals are in minutes; 0 leaves a job out. Why each default is what it is: bot/schedule.py.
    """

    check_minutes: float = 60.0
    notices_minutes: float = 60.0
    usage_minutes: float = 1440.0
    full_relisting_minutes: float = 1440.0
    #: A run missed by more than this many minutes (the bot was down) is not made up for; within
    #: it, every missed run of a job becomes one run. Empty (0): the job's own interval.
    misfire_grace_minutes: float = 0.0
    #: Seconds a running job may take to finish after SIGTERM (Kubernetes kills after 30).
    stop_seconds: float = 20.0
    #: JSON file rewritten after every job: when the last one ended and how.
    health_file: str = "health.json"


@dataclass(frozen=True)
class RunSettings:
    """Safety limits of one run."""

    run_page: str = "User:PartnerBot/Run"
    enabled_value: str = "yes"
    #: Fraction of records that may disappear since the last good run before tables are frozen.
    breaker_drop: float = 0.2
    max_edits: int = 50
    conflict_retries: int = 2
    #: Seconds for which one reading of the run page stands for the following edits; with
    #: ``put_throttle`` or more between edits, the run page is read before every edit.
    run_page_max_age: float = 10.0
    #: A full relisting of infobox pages happens at least this often; in between, runs follow
    #: recent changes.
    full_scan_hours: float = 24.0
    state_url: str = "sqlite:///state.sqlite"
    #: Edit summary of table updates; empty: the message bundle's, in the wiki's language.
    edit_summary: str = ""


@dataclass(frozen=True)
class NoticeSettings:
    """Where notices go, how many, and when date reminders fire."""

    enabled: bool = True
    #: The noticeboard: every notice is a line in a new section here.
    board: str = "Partnerships/Noticeboard"
    #: Archive pages searched for notices already posted. Empty: every subpage of the board
    #: (``archive_prefix``, by default the board's title plus ``/``).
    archives: tuple[str, ...] = ()
    archive_prefix: str = ""
    #: Largest number of notices in one section; more are posted by the next run(s).
    max_events_per_section: int = 25
    #: Largest number of sections (edits) one run posts on the board.
    max_sections_per_run: int = 2
    #: Also post date reminders on each partnership page's talk page.
    talk_reminders: bool = False
    #: Largest number of talk pages one run posts on.
    max_talk_pages_per_run: int = 10
    #: Link the partnership's Wikimedia contacts (which notifies them); plain names otherwise.
    ping_contacts: bool = False
    #: "Review due soon" fires this many days before ``next_review``.
    review_days_ahead: int = 14
    #: "Agreement renewal due" fires this many days before ``agreement_renewal``.
    renewal_days_ahead: int = 30
    #: "Report missing" fires this many days after ``end_date`` of a concluded partnership.
    report_due_days: int = 60
    #: A notice not posted within this many days of its event (board closed to the bot, caps) is
    #: dropped and reported instead of being posted late.
    pending_days: int = 30
    #: Talk pages in this category get no reminders (MassMessage's opt-out convention).
    opt_out_category: str = "Opted-out of message delivery"
    #: Message type for ``{{bots|optout=...}}``.
    message_type: str = "partnership"

    @property
    def archive_search_prefix(self) -> str:
        """Return the title prefix of the board's archives."""
        return self.archive_prefix or f"{self.board}/"


@dataclass(frozen=True)
class UsageWiki:
    """One wiki whose pages are counted: its name (pageviews project) and Action API URL."""

    name: str
    api: str


@dataclass(frozen=True)
class UsageSettings:
    """How the partners' content is counted (bot.run.usage); off unless ``enabled``."""

    enabled: bool = False
    #: ``globalusage`` (Commons' GlobalUsage: production) or ``fileusage`` (ask each wiki).
    source: str = "fileusage"
    #: Action API of the wiki holding the files and categories; "" is the bot's own wiki.
    commons_api: str = ""
    #: Wikis asked for file use (fileusage), external links and template use.
    wikis: tuple[UsageWiki, ...] = ()
    namespaces: tuple[int, ...] = (0,)
    #: Base URL of the pageviews REST API (the part before ``/metrics/``); "": no views.
    pageviews_url: str = ""
    #: True when the pageviews endpoint is a local stand-in: figures are labelled synthetic.
    synthetic: bool = False
    #: Categories on Wikimedia's Commons Impact Metrics allow-list (views come from there).
    impact_metrics_categories: tuple[str, ...] = ()
    #: Months of views kept and shown.
    history_months: int = 12
    #: Largest category tree counted (files); beyond it the partnership is reported, not counted.
    max_files: int = 100_000
    #: Largest number of pages whose views are fetched one by one in a run.
    max_view_pages: int = 50_000
    #: REST requests started per second at most (the API allows 100).
    requests_per_second: float = 20.0
    #: Hours between two collections of usage (daily); closed months are fetched once.
    every_hours: float = 24.0
    #: The page the usage tables and charts are written to, and the charts' file name prefix.
    page: str = "Partnerships/Usage"
    chart_prefix: str = "Partnership usage"


@dataclass(frozen=True)
class Settings:
    """Everything a job needs to know, loaded from one TOML file."""

    wiki: WikiSettings = field(default_factory=WikiSettings)
    template: TemplateSettings = field(default_factory=TemplateSettings)
    outputs: OutputSettings = field(default_factory=OutputSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    run: RunSettings = field(default_factory=RunSettings)
    notices: NoticeSettings = field(default_factory=NoticeSettings)
    usage: UsageSettings = field(default_factory=UsageSettings)
    checklist_path: Path = DEFAULT_CHECKLIST
    templates_dir: Path = DEFAULT_TEMPLATES
    simulate: bool = False
    source: Path | None = None


def _section(cls: type[Any], data: dict[str, Any], name: str) -> Any:
    known = set(cls.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(f"[{name}]: unknown setting(s) {', '.join(unknown)}")
    values: dict[str, Any] = {}
    defaults = cls()
    for key, raw in data.items():
        value = raw
        default = getattr(defaults, key)
        if isinstance(default, tuple):
            if not isinstance(value, list):
                raise SettingsError(f"[{name}] {key}: expected a list")
            value = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise SettingsError(f"[{name}] {key}: expected true or false")
        elif isinstance(default, float):
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise SettingsError(f"[{name}] {key}: expected a number")
            value = float(value)
        elif isinstance(default, int):
            if not isinstance(value, int) or isinstance(value, bool):
                raise SettingsError(f"[{name}] {key}: expected a whole number")
        elif isinstance(default, str) and not isinstance(value, str):
            raise SettingsError(f"[{name}] {key}: expected text")
        values[key] = value
    return cls(**values)


def _usage_section(data: dict[str, Any]) -> UsageSettings:
    wikis = data.get("wikis", [])
    if not isinstance(wikis, list) or not all(isinstance(wiki, dict) for wiki in wikis):
        raise SettingsError("[usage] wikis: expected a list of {name = ..., api = ...}")
    usage: UsageSettings = _section(UsageSettings, {**data, "wikis": []}, "usage")
    listed = []
    for number, wiki in enumerate(wikis, 1):
        name, api = wiki.get("name"), wiki.get("api")
        if set(wiki) != {"name", "api"} or not isinstance(name, str) or not isinstance(api, str):
            raise SettingsError(
                f"[usage] wikis, entry {number}: expected {{name = ..., api = ...}}"
            )
        if not name.strip() or not api.startswith(("http://", "https://")):
            raise SettingsError(f"[usage] wikis, entry {number}: a name and an http(s) api URL")
        listed.append(UsageWiki(name.strip(), api))
    if usage.source not in {"globalusage", "fileusage"}:
        raise SettingsError("[usage] source: expected globalusage or fileusage")
    if usage.history_months < 1 or usage.requests_per_second <= 0 or usage.every_hours <= 0:
        raise SettingsError("[usage] history_months, requests_per_second, every_hours: positive")
    return replace(usage, wikis=tuple(listed))


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from ``path`` (default: the shipped local-wiki settings).

    A path the file leaves out (``[paths] checklist``, ``templates``) is the project's own file,
    found next to the installed package, so a copied settings file works anywhere.
    """
    path = (path or DEFAULT_SETTINGS).resolve()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SettingsError(
            f"settings file not found: {path}",
            hint="pass an existing file with --config (config/settings.toml is an example)",
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"cannot read the settings file {path}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML: {error}") from error
    try:
        return _settings_from(data, path)
    except SettingsError as error:
        raise SettingsError(f"{path}: {error.args[0]}", hint=error.hint) from error


def _settings_from(data: dict[str, Any], path: Path) -> Settings:
    base = path.parent
    sections = {"wiki", "template", "outputs", "run", "notices", "serve", "usage", "paths"}
    unknown = sorted(set(data) - sections)
    if unknown:
        raise SettingsError(f"unknown section(s) {', '.join(unknown)}")
    for name in sections & set(data):
        if not isinstance(data[name], dict):
            raise SettingsError(f"{name} must be a section ([{name}])")
    paths = data.get("paths", {})
    unknown = sorted(set(paths) - {"checklist", "templates"})
    if unknown:
        raise SettingsError(f"[paths]: unknown setting(s) {', '.join(unknown)}")
    for key, value in paths.items():
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f"[paths] {key}: expected a path")
    settings = Settings(
        wiki=_section(WikiSettings, data.get("wiki", {}), "wiki"),
        template=_section(TemplateSettings, data.get("template", {}), "template"),
        outputs=_section(OutputSettings, data.get("outputs", {}), "outputs"),
        run=_section(RunSettings, data.get("run", {}), "run"),
        notices=notice_settings_from(data.get("notices", {})),
        serve=_serve_settings(data.get("serve", {}), base),
        usage=_usage_section(data.get("usage", {})),
        source=path,
    )
    if "checklist" in paths:
        settings = replace(settings, checklist_path=(base / paths["checklist"]).resolve())
    if "templates" in paths:
        settings = replace(settings, templates_dir=(base / paths["templates"]).resolve())
    if settings.wiki.pywikibot_dir:
        pywikibot_dir = base / Path(settings.wiki.pywikibot_dir).expanduser()
        wiki = replace(settings.wiki, pywikibot_dir=str(pywikibot_dir.resolve()))
        settings = replace(settings, wiki=wiki)
    state_url = settings.run.state_url
    if state_url.startswith("sqlite:///") and not state_url.startswith("sqlite:////"):
        relative = state_url.removeprefix("sqlite:///")
        if relative and relative != ":memory:":
            run = replace(settings.run, state_url=f"sqlite:///{(base / relative).resolve()}")
            settings = replace(settings, run=run)
    return settings


def notice_settings_from(data: Mapping[str, Any]) -> NoticeSettings:
    """Return the settings of a decoded ``[notices]`` table (checked like every section)."""
    settings: NoticeSettings = _section(NoticeSettings, dict(data), "notices")
    for name in ("max_events_per_section", "max_sections_per_run", "pending_days"):
        if getattr(settings, name) < 1:
            raise SettingsError(f"[notices] {name}: must be at least 1")
    for name in ("review_days_ahead", "renewal_days_ahead", "report_due_days"):
        if getattr(settings, name) < 0:
            raise SettingsError(f"[notices] {name}: must not be negative")
    if not settings.board.strip():
        raise SettingsError("[notices] board: give the title of the noticeboard page")
    return settings


def _serve_settings(data: dict[str, Any], base: Path) -> ServeSettings:
    serve: ServeSettings = _section(ServeSettings, data, "serve")
    for name in ("check_minutes", "notices_minutes", "usage_minutes", "full_relisting_minutes"):
        if getattr(serve, name) < 0:
            raise SettingsError(f"[serve] {name}: must not be negative (0 leaves the job out)")
    if serve.stop_seconds < 0 or serve.misfire_grace_minutes < 0:
        raise SettingsError("[serve] stop_seconds and misfire_grace_minutes must not be negative")
    if not serve.health_file.strip():
        raise SettingsError("[serve] health_file: give a file name")
    return replace(serve, health_file=str((base / Path(serve.health_file).expanduser()).resolve()))
