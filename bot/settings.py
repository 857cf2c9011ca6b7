"""Typed settings, read once from a TOML file at the entry point and passed down.

Relative paths in the file are resolved against the file's own directory, so a settings file
works wherever it is called from. No module reads settings at import time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

#: The settings file shipped with the project: the embedded local wiki.
DEFAULT_SETTINGS = Path(__file__).resolve().parent.parent / "config" / "settings.toml"


class SettingsError(ValueError):
    """The settings file is missing, unreadable or has a wrong value (the message says which)."""


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
class Settings:
    """Everything a job needs to know, loaded from one TOML file."""

    wiki: WikiSettings = field(default_factory=WikiSettings)
    template: TemplateSettings = field(default_factory=TemplateSettings)
    outputs: OutputSettings = field(default_factory=OutputSettings)
    run: RunSettings = field(default_factory=RunSettings)
    checklist_path: Path = DEFAULT_SETTINGS.parent / "checklist.toml"
    templates_dir: Path = DEFAULT_SETTINGS.parent.parent / "wiki_templates"
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


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from ``path`` (default: the shipped local-wiki settings)."""
    path = (path or DEFAULT_SETTINGS).resolve()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SettingsError(f"settings file not found: {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML: {error}") from error
    base = path.parent
    sections = {"wiki", "template", "outputs", "run", "paths"}
    unknown = sorted(set(data) - sections)
    if unknown:
        raise SettingsError(f"{path}: unknown section(s) {', '.join(unknown)}")
    paths = data.get("paths", {})
    settings = Settings(
        wiki=_section(WikiSettings, data.get("wiki", {}), "wiki"),
        template=_section(TemplateSettings, data.get("template", {}), "template"),
        outputs=_section(OutputSettings, data.get("outputs", {}), "outputs"),
        run=_section(RunSettings, data.get("run", {}), "run"),
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
