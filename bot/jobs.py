"""The jobs: the pure core composed with the wiki gateway and the state store.

Each job is one function that the command line, the pywikibot scripts and the scheduler call:
``check_file``, ``check_wiki``, ``install_templates``, ``run_once`` (also ``report``),
``seed_devwiki`` and ``demo``. Infrastructure problems raise :class:`JobError` (or the gateway's
and store's own errors) before any edit; problems with single pages become findings or report
rows and never stop the run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import devwiki as devwiki_module
from bot.checklist import Checklist, assess_page, load_checklist
from bot.escape import page_link
from bot.findings_data import build_findings_pages, flag_infos, rule_infos
from bot.io.safe_write import (
    REPORTABLE,
    WriteGuard,
    WriteOutcome,
    WriteStatus,
    save_block,
    save_owned_page,
)
from bot.io.wiki import GatewayError, WikiGateway
from bot.model import Assessment, Finding, ParsedPage, Severity
from bot.parse import parse_page
from bot.render import (
    ReportItem,
    TableContext,
    edit_summary,
    render_affiliate_pages,
    render_run_report,
    render_status_pages,
)
from bot.sample_images import SAMPLES_DIR, load_image_specs, make_png, sample_pages
from bot.settings import Settings
from bot.state import StateError, StateStore, StoredOutput, StoredPage
from bot.sync import META_RECHECK, SyncResult, remember_position, sync_pages
from bot.template_pages import load_template_pages

log = logging.getLogger(__name__)

STATUS_BLOCK = "status"
AFFILIATE_BLOCK = "affiliates"
REPORT_BLOCK = "report"
LOCK_NAME = "run-once"
META_DATA_DIGEST = "data_digest"
META_DATA_CHANGED = "data_changed_at"
META_REPORT_SINCE = "report_since"
_INTRO = (
    "This page is kept up to date by the partnership tracker bot. Text between the bot's "
    "markers is replaced on every run; write anything else outside them."
)


class JobError(RuntimeError):
    """The job cannot run (configuration, wiki or state store); nothing was edited."""


# -- checking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageResult:
    """One page's parse and checklist result."""

    page: ParsedPage
    assessments: tuple[Assessment, ...]
    page_findings: tuple[Finding, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Return page-level findings first, then each infobox's in order."""
        found = list(self.page_findings)
        for assessment in self.assessments:
            found.extend(assessment.findings)
        return tuple(found)


@dataclass(frozen=True)
class CheckReport:
    """Findings grouped by page, printable as text or JSON."""

    pages: tuple[PageResult, ...]

    def as_json(self) -> list[dict[str, object]]:
        """Return the ``--json`` list of findings."""
        return [finding.as_dict() for page in self.pages for finding in page.findings]

    def as_text(self) -> str:
        """Return findings grouped by page, for people."""
        lines: list[str] = []
        for result in self.pages:
            lines.append(f"== {result.page.title} ==")
            if not result.assessments and not result.page_findings:
                lines.append("  no partnership infobox found")
            for finding in result.page_findings:
                lines.append(_finding_line(finding))
            for assessment in result.assessments:
                record = assessment.record
                lines.append(
                    f"  infobox {record.index + 1} ({record.display_name}): checklist "
                    f"{assessment.score}, {assessment.count(Severity.ERROR)} error(s), "
                    f"{assessment.count(Severity.WARNING)} warning(s)"
                )
                lines.extend(_finding_line(finding) for finding in assessment.findings)
        errors = sum(1 for p in self.pages for f in p.findings if f.severity is Severity.ERROR)
        lines.append(f"{len(self.pages)} page(s), {errors} error finding(s)")
        return "\n".join(lines)


def _finding_line(finding: Finding) -> str:
    where = f" [{finding.field}]" if finding.field else ""
    severity = f"{finding.severity.value:7}"
    return f"  {severity} {finding.rule}{where}: {finding.message} ({finding.source})"


def check_pages(
    checklist: Checklist,
    pages: Iterable[tuple[str, str, int | None]],
    template_names: Sequence[str],
    today: dt.date,
) -> list[PageResult]:
    """Parse and assess ``(title, text, revid)`` pages."""
    results = []
    for title, text, revid in pages:
        parsed = parse_page(title, text, template_names=template_names, revid=revid)
        assessments, page_findings = assess_page(checklist, parsed, today)
        results.append(PageResult(parsed, assessments, page_findings))
    return results


def template_names_from(settings: Settings, redirects: Sequence[str] = ()) -> list[str]:
    """Return every name the infobox may be called by (configured name, aliases, redirects)."""
    return [settings.template.name, *settings.template.aliases, *redirects]


def check_file(settings: Settings, path: Path, today: dt.date) -> CheckReport:
    """Check one wikitext file, offline (no wiki needed)."""
    checklist = load_checklist(settings.checklist_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise JobError(f"cannot read {path}: {error}") from error
    title = devwiki_module.decode_title_filename(path.stem)
    results = check_pages(checklist, [(title, text, None)], template_names_from(settings), today)
    return CheckReport(tuple(results))


def connect(settings: Settings, *, need_bot_flag: bool = True) -> WikiGateway:
    """Open the wiki, log in and make sure edits will be flagged as a bot's."""
    if settings.wiki.family != "devwiki" and not settings.wiki.contact.strip():
        raise JobError(
            "settings [wiki] contact is empty: set it to a URL or e-mail address where people "
            "can reach the bot's operator (it goes into the user agent)"
        )
    gateway = WikiGateway(settings.wiki)
    gateway.login()
    missing = gateway.missing_rights()
    if missing and need_bot_flag and not settings.simulate:
        raise JobError(
            f"the account {settings.wiki.user} lacks the right(s) {', '.join(missing)}: grant "
            "'High-volume (bot) access' to its BotPassword/OAuth consumer and ask for the bot "
            "flag; unflagged bot edits would flood recent changes"
        )
    return gateway


def check_wiki(settings: Settings, today: dt.date, page: str | None = None) -> CheckReport:
    """Check one page, or every infobox page of the configured wiki (batched reads)."""
    checklist = load_checklist(settings.checklist_path)
    gateway = connect(settings, need_bot_flag=False)
    names = template_names_from(settings, gateway.template_names(settings.template.name))
    if page is not None:
        fetched = gateway.fetch_pages(titles=[page])
        if not fetched:
            raise JobError(f"page {page!r} does not exist on the wiki")
        items = [(p.title, p.text or "", p.revid) for p in fetched]
    else:
        listed = gateway.list_infobox_pages(
            settings.template.name, settings.template.namespaces, content=True
        )
        items = [(p.title, p.text or "", p.revid) for p in listed]
    items.sort(key=lambda item: item[0])
    return CheckReport(tuple(check_pages(checklist, items, names, today)))


# -- installing templates -------------------------------------------------------------------


def install_templates(settings: Settings) -> dict[str, Any]:
    """Install or update the on-wiki templates, editing only pages whose text changed."""
    pages = load_template_pages(settings.templates_dir)
    store = StateStore(settings.run.state_url)
    gateway = connect(settings)
    guard = _guard(settings, gateway)
    previous = store.outputs()
    outcomes = []
    for title, text in pages.items():
        model = "json" if title.endswith(".json") else None
        outcome = save_owned_page(
            guard,
            title,
            text,
            edit_summary("Partnership tracker: install template source", {}),
            previous=previous.get((title, "(page)")),
            contentmodel=model,
        )
        _remember(store, outcome, settings)
        outcomes.append(outcome)
    return _outcome_summary(outcomes, gateway)


# -- the main pass ----------------------------------------------------------------------------


@dataclass
class RunSummary:
    """What one run did, for the log line, ``--json`` and the run log."""

    mode: str = ""
    pages: int = 0
    fetched: int = 0
    removed: int = 0
    records: int = 0
    invalid: int = 0
    errors: int = 0
    warnings: int = 0
    edits: int = 0
    unchanged: int = 0
    skipped: int = 0
    requests: int = 0
    seconds: float = 0.0
    outcome: str = "ok"
    reason: str = ""
    outputs: list[dict[str, str]] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)

    def line(self) -> str:
        """Return the one-line summary (J1)."""
        return (
            f"run-once {self.outcome}: {self.mode} sync, {self.pages} pages "
            f"({self.fetched} fetched, {self.removed} gone), {self.records} records "
            f"({self.invalid} with errors), {self.edits} edits, {self.unchanged} unchanged, "
            f"{self.skipped} skipped, {self.requests} API requests, {self.seconds:.1f} s"
            + (f"; {self.reason}" if self.reason else "")
        )

    def as_json(self) -> dict[str, object]:
        """Return the summary as plain data."""
        data = dict(self.__dict__)
        data.pop("diffs")
        return data


def _guard(settings: Settings, gateway: WikiGateway) -> WriteGuard:
    return WriteGuard(
        gateway=gateway,
        bot_name=gateway.username,
        run_page=settings.run.run_page,
        enabled_value=settings.run.enabled_value,
        max_edits=settings.run.max_edits,
        conflict_retries=settings.run.conflict_retries,
        simulate=settings.simulate,
    )


def _remember(store: StateStore, outcome: WriteOutcome, settings: Settings) -> None:
    stored = outcome.stored
    if stored is not None and not settings.simulate:
        store.save_output(stored)


def _outcome_summary(outcomes: Sequence[WriteOutcome], gateway: WikiGateway) -> dict[str, Any]:
    return {
        "outputs": [
            {"title": o.title, "block": o.block, "status": o.status.value, "detail": o.detail}
            for o in outcomes
        ],
        "edits": sum(o.status in {WriteStatus.SAVED, WriteStatus.CREATED} for o in outcomes),
        "requests": gateway.counter.total,
    }


def page_digest(result: PageResult) -> str:
    """Return a digest of a page's records and findings (what the state store remembers)."""
    payload = [
        [list(a.record.params), [f.as_dict() for f in a.findings], str(a.score)]
        for a in result.assessments
    ]
    payload.append([f.as_dict() for f in result.page_findings])
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def run_once(
    settings: Settings,
    *,
    today: dt.date | None = None,
    full: bool = False,
    accept_drop: bool = False,
    now: dt.datetime | None = None,
) -> RunSummary:
    """Run one pass: sync pages, check them, write tables and findings, record state."""
    started = time.monotonic()
    now = now or dt.datetime.now(dt.UTC)
    today = today or now.date()
    summary = RunSummary()
    store = StateStore(settings.run.state_url)
    owner = f"pid {os.getpid()} on {os.uname().nodename}"
    holder = store.acquire_lock(LOCK_NAME, owner, dt.timedelta(hours=2))
    if holder is not None:
        summary.outcome, summary.reason = "skipped", f"another run holds the lock ({holder})"
        return summary
    run_id = store.start_run("run-once")
    gateway: WikiGateway | None = None
    try:
        checklist = load_checklist(settings.checklist_path)
        gateway = connect(settings)
        context = _RunContext(settings, store, gateway, checklist, today, now)
        _main_pass(context, summary, full=full, accept_drop=accept_drop)
    except (GatewayError, StateError, JobError) as error:
        summary.outcome, summary.reason = "failed", str(error)
        raise
    except Exception as error:  # a bug; still never logged as a good run (breaker baseline)
        summary.outcome, summary.reason = "failed", f"{type(error).__name__}: {error}"
        raise
    finally:
        summary.seconds = time.monotonic() - started
        summary.requests = gateway.counter.total if gateway else 0
        records = summary.records if summary.outcome == "ok" and not settings.simulate else None
        try:
            store.finish_run(run_id, summary.outcome, summary.as_json(), records)
        finally:
            store.release_lock(LOCK_NAME, owner)
            store.close()
        log.info("%s", summary.line())
    return summary


@dataclass(frozen=True)
class _RunContext:
    settings: Settings
    store: StateStore
    gateway: WikiGateway
    checklist: Checklist
    today: dt.date
    now: dt.datetime


def _main_pass(context: _RunContext, summary: RunSummary, *, full: bool, accept_drop: bool) -> None:
    settings, store, gateway = context.settings, context.store, context.gateway
    checklist, today, now = context.checklist, context.today, context.now
    guard = _guard(settings, gateway)
    enabled = settings.simulate or guard.run_page_enabled()
    names = template_names_from(settings, gateway.template_names(settings.template.name))
    sync = sync_pages(
        gateway, store, settings, now.replace(tzinfo=None), full=full, template_names=names
    )
    summary.mode, summary.pages = sync.mode, len(sync.pages)
    summary.fetched, summary.removed = len(sync.changed), len(sync.removed)
    stored_before = sync.before
    results = _assess(checklist, sync, stored_before, names, today)
    assessments = [a for result in results for a in result.assessments]
    summary.records = len(assessments)
    summary.invalid = sum(1 for a in assessments if a.count(Severity.ERROR))
    summary.errors = sum(a.count(Severity.ERROR) for a in assessments)
    summary.warnings = sum(a.count(Severity.WARNING) for a in assessments)
    digests = {r.page.title: (page_digest(r), len(r.assessments)) for r in results}
    report = _report_items(results)
    breaker = _breaker(store, len(assessments), settings.run.breaker_drop)
    if breaker and not accept_drop:
        summary.outcome, summary.reason = "breaker", breaker
        report.append((settings.outputs.status_page, f"Tables not updated: {breaker}"))
    if not enabled:
        summary.outcome = "disabled"
        summary.reason = f"{settings.run.run_page} is not '{settings.run.enabled_value}'"
    elif gateway.site.has_right("edit"):
        data = {title: digest for title, (digest, _count) in digests.items()}
        changed_at = _data_changed_at(store, data, settings.checklist_path, now, settings.simulate)
        ctx = TableContext(_flag_labels(checklist), changed_at, today=today)
        page_findings = [f for result in results for f in result.page_findings]
        outputs = (
            []
            if summary.outcome == "breaker"
            else _render_outputs(settings, checklist, assessments, page_findings, ctx)
        )
        _write_outputs(settings, store, guard, outputs, summary)
        _write_report(settings, store, guard, report, today)
    summary.unchanged = sum(o.status is WriteStatus.UNCHANGED for o in guard.outcomes)
    summary.skipped = sum(o.status in REPORTABLE for o in guard.outcomes)
    summary.edits = guard.edits
    summary.outputs = [
        {"title": o.title, "block": o.block, "status": o.status.value, "detail": o.detail}
        for o in guard.outcomes
    ]
    summary.diffs = [o.diff for o in guard.outcomes if o.diff]
    if settings.simulate:
        return
    pages = (
        StoredPage(p.title, p.pageid, p.revid, p.text, *digests.get(p.title, ("", 0)))
        for p in _kept_pages(sync, stored_before, results)
    )
    store.save_pages((p for p in pages if stored_before.get(p.title) != p), removed=sync.removed)
    kept_old = sorted(
        r.page.title for r in results if r.page.revid != sync.pages[r.page.title].revid
    )
    store.set_meta(META_RECHECK, json.dumps(kept_old))
    remember_position(store, sync, now)


def _assess(
    checklist: Checklist,
    sync: SyncResult,
    stored_before: Mapping[str, StoredPage],
    names: Sequence[str],
    today: dt.date,
) -> list[PageResult]:
    """Check every current page; a page whose infobox no longer parses keeps its last good rows."""
    results = []
    for title in sorted(sync.pages):
        page = sync.pages[title]
        [result] = check_pages(checklist, [(title, page.text, page.revid)], names, today)
        previous = stored_before.get(title)
        if not result.assessments and previous is not None and previous.revid != page.revid:
            [old] = check_pages(checklist, [(title, previous.text, previous.revid)], names, today)
            if old.assessments:
                result = PageResult(old.page, old.assessments, _unreadable(checklist, result))
        results.append(result)
    return results


def _unreadable(checklist: Checklist, result: PageResult) -> tuple[Finding, ...]:
    """Return the page's findings, saying the infobox could not be read when nothing else does.

    MediaWiki lists the page as using the infobox, but the parser found none (broken markup
    before it can hide it, RELIABILITY A5): this is a parse failure, not a removal.
    """
    if any(f.rule == "infobox-unparseable" for f in result.page_findings):
        return result.page_findings
    rule = checklist.rule("infobox-unparseable")
    finding = Finding(
        page=result.page.title,
        index=None,
        rule=rule.id,
        severity=rule.severity,
        field=None,
        message=f"{rule.message} The page uses the infobox, but it could not be read; "
        "the last readable version is shown until the page is repaired.",
        source=str(rule.source),
    )
    return (*result.page_findings, finding)


def _kept_pages(
    sync: SyncResult, stored_before: Mapping[str, StoredPage], results: Sequence[PageResult]
) -> Iterable[StoredPage]:
    kept_old = {r.page.title for r in results if r.page.revid != sync.pages[r.page.title].revid}
    for title, page in sync.pages.items():
        yield stored_before[title] if title in kept_old and title in stored_before else page


def _breaker(store: StateStore, records: int, max_drop: float) -> str:
    previous = store.last_good_record_count("run-once")
    if previous is None or previous == 0:
        return ""
    if records == 0:
        return f"no partnership records found, against {previous} in the last good run"
    drop = (previous - records) / previous
    if drop > max_drop:
        return (
            f"records dropped from {previous} to {records} ({drop:.0%}, more than "
            f"{max_drop:.0%}); a person should check before the tables change "
            "(run with --accept-drop once to confirm)"
        )
    return ""


def _flag_labels(checklist: Checklist) -> dict[str, str]:
    return {flag_id: flag.label for flag_id, flag in checklist.flags.items()}


def _data_changed_at(
    store: StateStore,
    page_digests: Mapping[str, str],
    checklist_path: Path,
    now: dt.datetime,
    simulate: bool,
) -> dt.datetime:
    """Return when the partnership data last changed (kept while it stays the same).

    The data is every page's records and findings (their digests) and the checklist itself.
    """
    digest = hashlib.sha256()
    digest.update(checklist_path.read_bytes())
    for title in sorted(page_digests):
        digest.update(f"{title}\n{page_digests[title]}\n".encode())
    stored_at = store.get_meta(META_DATA_CHANGED)
    if store.get_meta(META_DATA_DIGEST) == digest.hexdigest() and stored_at:
        return dt.datetime.fromisoformat(stored_at)
    changed = now.replace(microsecond=0)
    if not simulate:
        store.set_meta(META_DATA_DIGEST, digest.hexdigest())
        store.set_meta(META_DATA_CHANGED, changed.isoformat())
    return changed


@dataclass(frozen=True)
class _Output:
    title: str
    block: str | None  # None: a page the bot owns whole
    text: str
    contentmodel: str | None = None


def _render_outputs(
    settings: Settings,
    checklist: Checklist,
    assessments: Sequence[Assessment],
    page_findings: Sequence[Finding],
    ctx: TableContext,
) -> list[_Output]:
    outputs: list[_Output] = []
    limit = settings.outputs.max_page_bytes
    status = settings.outputs.status_page
    tables = render_status_pages(assessments, ctx, base_title=status, max_bytes=limit)
    outputs.extend(_Output(status + suffix, STATUS_BLOCK, text) for suffix, text in tables.items())
    affiliates = settings.outputs.affiliate_page_prefix
    for suffix, text in render_affiliate_pages(
        assessments, ctx, base_title=affiliates, max_bytes=limit
    ).items():
        outputs.append(_Output(affiliates + suffix, AFFILIATE_BLOCK, text))
    data_pages = build_findings_pages(
        settings.outputs.findings_page,
        assessments,
        rule_infos(checklist.rules),
        flag_infos(checklist.flags.values()),
        updated=ctx.last_updated.isoformat(),
        max_bytes=settings.outputs.findings_max_bytes,
        page_findings=page_findings,
    )
    for title, text in data_pages.items():
        outputs.append(_Output(title, None, text, "json"))
    return outputs


def _write_outputs(
    settings: Settings,
    store: StateStore,
    guard: WriteGuard,
    outputs: Sequence[_Output],
    summary: RunSummary,
) -> None:
    previous = store.outputs()
    outputs = [*outputs, *_retired_parts(settings, previous, outputs)]
    counts = {"partnerships": summary.records, "errors": summary.errors}
    text_summary = edit_summary(settings.run.edit_summary, counts)
    for output in outputs:
        if output.block is None:
            outcome = save_owned_page(
                guard,
                output.title,
                output.text,
                text_summary,
                previous=previous.get((output.title, "(page)")),
                contentmodel=output.contentmodel,
            )
        else:
            outcome = save_block(
                guard,
                output.title,
                output.block,
                output.text,
                text_summary,
                previous=previous.get((output.title, output.block)),
                intro=_INTRO,
            )
        _remember(store, outcome, settings)
        if outcome.status is WriteStatus.DISABLED:
            break


def _retired_parts(
    settings: Settings,
    previous: Mapping[tuple[str, str], StoredOutput],
    outputs: Sequence[_Output],
) -> list[_Output]:
    """Return a short note for table parts a smaller table no longer needs."""
    current = {output.title for output in outputs}
    bases = {
        STATUS_BLOCK: settings.outputs.status_page,
        AFFILIATE_BLOCK: settings.outputs.affiliate_page_prefix,
    }
    retired = []
    for title, block in sorted(previous):
        base = bases.get(block)
        if base is None or title in current or not title.startswith(f"{base}/"):
            continue
        note = f"This part is no longer needed: the whole table is on {page_link(base, base)}.\n"
        retired.append(_Output(title, block, note))
    return retired


def _report_items(results: Sequence[PageResult]) -> list[tuple[str, str]]:
    items = []
    for result in results:
        for finding in result.page_findings:
            if finding.severity is Severity.ERROR:
                items.append((result.page.title, finding.message))
    return items


def _write_report(
    settings: Settings,
    store: StateStore,
    guard: WriteGuard,
    items: list[tuple[str, str]],
    today: dt.date,
) -> None:
    for outcome in guard.outcomes:
        if outcome.status in REPORTABLE and outcome.status is not WriteStatus.EDIT_LIMIT:
            items.append((outcome.title, f"{outcome.status.value}: {outcome.detail}".strip(": ")))
    since: dict[str, str] = json.loads(store.get_meta(META_REPORT_SINCE) or "{}")
    report = []
    current_keys = {}
    for page, problem in items:
        key = hashlib.sha256(f"{page}\n{problem}".encode()).hexdigest()[:16]
        current_keys[key] = since.get(key, today.isoformat())
        report.append(ReportItem(page, problem, dt.date.fromisoformat(current_keys[key])))
    if not settings.simulate:
        store.set_meta(META_REPORT_SINCE, json.dumps(current_keys, sort_keys=True))
    previous = store.outputs().get((settings.outputs.report_page, REPORT_BLOCK))
    outcome = save_block(
        guard,
        settings.outputs.report_page,
        REPORT_BLOCK,
        render_run_report(report),
        edit_summary("Partnership tracker: problems needing a person", {"problems": len(report)}),
        previous=previous,
        intro=_INTRO,
    )
    _remember(store, outcome, settings)


# -- the local wiki -----------------------------------------------------------------------


def seed_devwiki(wiki: devwiki_module.DevWiki, source: Path | None) -> dict[str, Any]:
    """Import sample pages into the local wiki (built-in set, or ``*.wikitext`` of ``source``)."""
    if source is not None:
        pages = devwiki_module.read_seed_directory(source)
        if not pages:
            raise JobError(f"no *.wikitext files in {source}")
        return {"pages": wiki.import_pages(pages), "files": 0}
    files = {
        spec.name: (make_png(spec.width, spec.height, spec.rgb), spec.description)
        for spec in load_image_specs(SAMPLES_DIR / "images.toml")
    }
    uploaded = wiki.upload_files(files, comment="Sample image for the partnership demo")
    imported = wiki.import_pages(sample_pages())
    wiki.run_jobs()
    return {"pages": imported, "files": uploaded}


def demo(
    settings_for: Callable[[devwiki_module.DevWiki], Settings],
    wiki: devwiki_module.DevWiki,
    *,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Start the local wiki, install the templates, seed it, run the main job; return URLs."""
    wiki.start()
    settings = settings_for(wiki)
    templates = install_templates(settings)
    marker = wiki.directory / "seeded"
    seeded: dict[str, Any] = {"pages": 0, "files": 0}
    if not marker.exists():
        seeded = seed_devwiki(wiki, None)
        marker.write_text("built-in samples imported\n", encoding="utf-8")
    wiki.run_jobs()
    summary = run_once(settings, today=today)
    urls = {
        "wiki": wiki.url,
        "status table": wiki.page_url(settings.outputs.status_page),
        "by affiliate": wiki.page_url(settings.outputs.affiliate_page_prefix),
        "bot report": wiki.page_url(settings.outputs.report_page),
        "a partnership": wiki.page_url("Partnerships/Museum of Northern Crafts content donation"),
        "all partnership pages": wiki.page_url(
            "Special:WhatLinksHere/Template:Partnership infobox"
        ),
    }
    return {
        "templates": templates,
        "seeded": seeded,
        "run": summary.as_json(),
        "summary": summary.line(),
        "urls": urls,
    }
