"""The main pass of ``run-once``: check every infobox page, write the tables and findings.

Called by :func:`bot.run.jobs.run_once` with a logged-in gateway, an open state store and the run
lock held. Problems with single pages and outputs become findings and report rows; the pass
records the new state only after writing, and never in simulate mode.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.checklist.assess import Checklist
from bot.checklist.pages import PageResult, check_pages, page_digest, template_names_from
from bot.io.gateway import WikiGateway
from bot.io.safe_save import (
    REPORTABLE,
    WriteGuard,
    WriteOutcome,
    WriteStatus,
    save_block,
    save_owned_page,
)
from bot.model import Assessment, Finding, Severity
from bot.render.escape import page_link
from bot.render.finding_text import Text, finding_text
from bot.render.findings_json import build_findings_pages, flag_infos, rule_infos
from bot.render.tables import (
    ReportItem,
    TableContext,
    edit_summary,
    render_affiliate_pages,
    render_run_report,
    render_status_pages,
)
from bot.resources import message_text
from bot.run.sync import META_RECHECK, SyncResult, remember_position, sync_pages
from bot.settings import Settings
from bot.state.store import StateStore, StoredOutput, StoredPage

STATUS_BLOCK = "status"


AFFILIATE_BLOCK = "affiliates"


REPORT_BLOCK = "report"


META_DATA_DIGEST = "data_digest"


META_DATA_CHANGED = "data_changed_at"


META_REPORT_SINCE = "report_since"


_INTRO = (
    "This page is kept up to date by the partnership tracker bot. Text between the bot's "
    "markers is replaced on every run; write anything else outside them."
)


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


def guard_for(settings: Settings, gateway: WikiGateway) -> WriteGuard:
    return WriteGuard(
        gateway=gateway,
        bot_name=gateway.username,
        run_page=settings.run.run_page,
        enabled_value=settings.run.enabled_value,
        max_edits=settings.run.max_edits,
        conflict_retries=settings.run.conflict_retries,
        simulate=settings.simulate,
    )


def remember(store: StateStore, outcome: WriteOutcome, settings: Settings) -> None:
    stored = outcome.stored
    if stored is not None and not settings.simulate:
        store.save_output(stored)


@dataclass(frozen=True)
class RunContext:
    settings: Settings
    store: StateStore
    gateway: WikiGateway
    checklist: Checklist
    today: dt.date
    now: dt.datetime


def main_pass(context: RunContext, summary: RunSummary, *, full: bool, accept_drop: bool) -> None:
    settings, store, gateway = context.settings, context.store, context.gateway
    checklist, today, now = context.checklist, context.today, context.now
    guard = guard_for(settings, gateway)
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
    text = message_text(("checklist",))  # English until the wiki's language is configurable
    report = _report_items(results, text)
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
        ctx = TableContext(_flag_labels(checklist, text), changed_at, today=today)
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
    summary.outputs = [o.as_dict() for o in guard.outcomes]
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
        source=str(rule.source),
        reason="kept-last-readable",
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


def _flag_labels(checklist: Checklist, text: Text) -> dict[str, str]:
    return {flag_id: text(f"checklist-flag-{flag_id}-label") for flag_id in checklist.flags}


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
        remember(store, outcome, settings)
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


def _report_items(results: Sequence[PageResult], text: Text) -> list[tuple[str, str]]:
    items = []
    for result in results:
        for finding in result.page_findings:
            if finding.severity is Severity.ERROR:
                items.append((result.page.title, finding_text(finding, text)))
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
    remember(store, outcome, settings)
