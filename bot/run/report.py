"""The check-and-report pass: find what changed, check it, write the tables and findings.

Called by :func:`bot.run.once.run_once` with a logged-in gateway, an open state store and the run
lock held. It owns every write to the store during the pass, and returns the run's figures.

1. Sync (:mod:`bot.run.sync`): which infobox pages exist, and the text of those that changed.
2. Each fetched page is parsed and assessed once. A page MediaWiki still lists as using the infobox
   (or whose text still opens one) but whose infobox cannot be read keeps its last good records,
   with a finding saying so: a parse failure is not a removal.
3. Pages whose findings may have changed with the date alone (their stored boundary has come) are
   assessed again from their stored records.
4. If nothing changed since the last settled run (same pages, same checklist, same settings, no
   boundary passed), the pass stops there: no stored page is loaded, nothing is rendered but the
   report's health line, which is saved again only on the first such run of a new day
   (:func:`bot.run.bot_report.refresh_report`).
5. Otherwise every output is rendered from the stored and new records, and written through the
   safe-save path (:mod:`bot.run.outputs`); the circuit breaker may freeze the tables.
6. The new page states, the sync position and the data version are stored (never in simulate
   mode). The data version is only marked settled when every output is on the wiki, so a refused
   or postponed edit is tried again by the next run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.checklist.assess import Checklist, assess_page
from bot.checklist.boundaries import day_offsets, next_boundary
from bot.io.gateway import FetchedPage
from bot.io.safe_save import REPORTABLE, WriteStatus
from bot.model import Finding, Severity
from bot.pages.breaker import breaker_trip
from bot.parse.records import parse_page
from bot.run.bot_report import refresh_report
from bot.run.notify import NotifySummary
from bot.run.outputs import write_outputs
from bot.run.pass_context import OutputPlan, PassContext
from bot.run.pass_notices import notices_wanted, post_notices
from bot.run.summary import RunSummary
from bot.run.sync import SyncMode, SyncResult, sync_pages
from bot.state.codec import CheckedPage, decode_checked, encode_checked
from bot.state.store import DataVersion, PageTotals, RunOutcome, StateStore, StoredPage

log = logging.getLogger(__name__)

#: The job name under which runs are logged (and the breaker's baseline is kept).
JOB = "run-once"
#: Marks a data version whose outputs are all on the wiki.
_SETTLED = "settled:"
_EDITED = frozenset({WriteStatus.SAVED, WriteStatus.CREATED})


@dataclass(frozen=True)
class _Checked:
    """The pages checked this run (state, records and findings), those gone, and the stored
    rows of both as they were before this run.

    The pages' JSON is made twice: once for its digest, and again as the store saves it. Kept
    for every page of a first pass, it would add a third to the pass's peak memory.
    """

    pages: dict[str, tuple[StoredPage, CheckedPage]]
    gone: frozenset[str]
    before: Mapping[str, StoredPage]


def check_and_report(context: PassContext) -> RunSummary:
    """Run the pass and return its figures (the caller logs the run)."""
    settings, store, gateway = context.settings, context.store, context.gateway
    names = settings.template.names(gateway.template_names(settings.template.name))
    sync = sync_pages(gateway, store, settings, context.now, full=context.full)
    checked = _check_fetched(context, sync, names)
    fetched = len(sync.fetched)
    sync = replace(sync, fetched={}, stored={})  # the page texts are no longer needed
    checked = _check_due(context, checked)
    totals = _totals_now(store.page_totals(), checked)
    data_digest = hashlib.sha256(f"{context.inputs_digest}\n{totals.encode()}".encode()).hexdigest()
    version = store.data_version()
    figures = {
        "mode": sync.mode.value,
        "pages": totals.pages,
        "fetched": fetched,
        "removed": len(checked.gone),
        "records": totals.records,
    }
    changed = bool(checked.pages or checked.gone)
    if version is not None and version.digest == _SETTLED + data_digest and not checked.pages:
        log.info("nothing changed since the last run: no page loaded, nothing rendered")
        _remember(context, sync, checked, version)
        refreshed = refresh_report(context)
        last = store.last_report()
        notified = _notices(context, None, changed=changed, checked=checked)
        return _with_notices(
            notified,
            RunSummary(
                invalid=last.figures.get("with_errors", 0) if last else 0,
                edits=sum(o.status in _EDITED for o in refreshed),
                skipped=sum(o.status in REPORTABLE for o in refreshed),
                outputs=tuple(o.as_dict() for o in refreshed),
                diffs=tuple(o.diff for o in refreshed if o.diff),
                **figures,  # type: ignore[arg-type]
            ),
        )
    everything = _all_checked(store, checked)
    assessments = [a for page in everything for a in page.assessments]
    page_findings = [f for page in everything for f in page.page_findings]
    trip = breaker_trip(
        store.last_good_record_count(JOB), len(assessments), settings.run.breaker_drop
    )
    changed_at = version.changed_at if version and version.digest.endswith(data_digest) else None
    plan = OutputPlan(
        assessments=assessments,
        page_findings=page_findings,
        changed_at=changed_at or context.now.replace(microsecond=0),
        frozen_by=str(trip) if trip and not context.accept_drop else "",
        breaker=trip if trip and not context.accept_drop else None,
        pages=totals.pages,
    )
    written = write_outputs(context, plan)
    saved_at = time.monotonic()
    purged = _purge_changed(context, checked, saved_at) if written.findings_on_wiki else 0
    settled = written.all_on_wiki and not plan.frozen_by
    new_version = DataVersion((_SETTLED if settled else "") + data_digest, plan.changed_at)
    _remember(context, sync, checked, new_version)
    outcome = written.outcome
    reason = written.reason
    if plan.frozen_by and outcome is RunOutcome.OK:
        outcome, reason = RunOutcome.BREAKER, plan.frozen_by
    notified = None
    if outcome is RunOutcome.OK:
        notified = _notices(context, everything, changed=changed, checked=checked)
    return _with_notices(
        notified,
        RunSummary(
            outcome=outcome,
            reason=reason,
            invalid=sum(1 for a in assessments if a.count(Severity.ERROR)),
            errors=sum(a.count(Severity.ERROR) for a in assessments),
            warnings=sum(a.count(Severity.WARNING) for a in assessments),
            edits=written.edits,
            purged=purged,
            unchanged=written.unchanged,
            skipped=written.skipped,
            outputs=written.outputs,
            diffs=written.diffs,
            **figures,  # type: ignore[arg-type]
        ),
    )


def _notices(
    context: PassContext,
    everything: list[CheckedPage] | None,
    *,
    changed: bool,
    checked: _Checked,
) -> NotifySummary | None:
    """Run the notices step when it has something to do; return its figures."""
    if not notices_wanted(context, changed=changed):
        return None
    if everything is None:
        everything = _all_checked(context.store, checked)
    pages_now = {t: p for t, p in context.store.pages().items() if t not in checked.gone}
    pages_now.update({title: entry[0] for title, entry in checked.pages.items()})
    return post_notices(context, everything, pages_now)


def _with_notices(notified: NotifySummary | None, summary: RunSummary) -> RunSummary:
    """Return ``summary`` with the notices step's figures."""
    if notified is None:
        return summary
    return replace(
        summary,
        notices=notified.outcome,
        notices_posted=notified.posted,
        notices_waiting=notified.deferred,
    )


#: Seconds between saving the findings and purging the pages that read them. MediaWiki keeps a
#: page's touched time and a rendering's cache time in whole seconds, and a purge makes old only
#: the renderings begun in an earlier second: a reader's view begun in the second the findings
#: were saved, with the findings before, would outlive a purge sent within that second.
_TOUCH_RESOLUTION = 1.0


def _purge_changed(context: PassContext, checked: _Checked, saved_at: float) -> int:
    """Purge the pages whose records or findings changed, so their infoboxes show them now.

    A plain purge (no links update) marks the pages' renderings old; each is rendered again on
    its next view. Their tracking categories follow with the links update MediaWiki queues for
    every page that reads the findings page when the bot saves it.
    """
    if context.settings.simulate:
        return 0
    changed = sorted(
        title
        for title, (page, _result) in checked.pages.items()
        if title not in checked.before or checked.before[title].digest != page.digest
    )
    if not changed:
        return 0
    time.sleep(max(0.0, saved_at + _TOUCH_RESOLUTION - time.monotonic()))
    purged = context.gateway.purge(changed)
    log.info("%d of %d pages whose findings changed purged", purged, len(changed))
    return purged


def _check_fetched(context: PassContext, sync: SyncResult, names: list[str]) -> _Checked:
    """Parse and assess every fetched page once; decide which pages are gone."""
    stored = sync.stored
    pages: dict[str, tuple[StoredPage, CheckedPage]] = {}
    gone = set(sync.gone)
    kept_titles = []
    offsets = _offsets(context)
    for title, page in sorted(sync.fetched.items()):
        parsed = parse_page(
            title,
            page.text or "",
            template_names=names,
            revid=page.revid,
            site=context.gateway.site_facts(),
        )
        assessments, page_findings = assess_page(context.checklist, parsed, context.today)
        broken = any(f.rule == "infobox-unparseable" for f in page_findings)
        if not parsed.records and not (page.transcludes or broken):
            gone.add(title)
            continue
        if not parsed.records and title in stored:
            kept_titles.append(title)
            continue
        checked = CheckedPage(parsed.title, assessments, page_findings)
        pages[title] = _stored(page, checked, context.today, offsets)
    if kept_titles:
        previous = context.store.checked(kept_titles)
        for title in kept_titles:
            page = sync.fetched[title]
            old = decode_checked(previous[title])
            findings = (*old.page_findings, _unreadable(context.checklist, title))
            checked = replace(old, page_findings=_unique(findings))
            stored_page, checked = _stored(page, checked, context.today, offsets)
            pages[title] = (replace(stored_page, kept=True), checked)
    before = {t: p for t, p in stored.items() if t in pages or t in gone}
    return _Checked(pages, frozenset(gone), before)


def _check_due(context: PassContext, checked: _Checked) -> _Checked:
    """Assess again the stored pages whose findings may have changed with the date."""
    due = [
        title
        for title in context.store.pages_due(context.today)
        if title not in checked.pages and title not in checked.gone
    ]
    if not due:
        return checked
    offsets = _offsets(context)
    pages = dict(checked.pages)
    stored = context.store.pages(due)
    for title, text in context.store.checked(due).items():
        old = decode_checked(text)
        assessments = tuple(
            context.checklist.assess(a.record, context.today) for a in old.assessments
        )
        now = replace(old, assessments=assessments)
        previous = stored[title]
        boundary = _boundary(now, context.today, offsets)
        digest = _digest(encode_checked(now))
        pages[title] = (replace(previous, digest=digest, boundary=boundary), now)
    log.info("%d pages assessed again because a date in them came or passed", len(due))
    return _Checked(pages, checked.gone, {**checked.before, **stored})


def _offsets(context: PassContext) -> frozenset[int]:
    """Return the day counts a date in a record is compared with (checklist and reminders)."""
    notices = context.settings.notices
    days = (notices.review_days_ahead, notices.renewal_days_ahead, notices.report_due_days)
    return day_offsets(context.checklist.rules) | {sign * day for day in days for sign in (1, -1)}


def _stored(
    page: FetchedPage, checked: CheckedPage, today: dt.date, offsets: frozenset[int]
) -> tuple[StoredPage, CheckedPage]:
    encoded = encode_checked(checked)
    stored = StoredPage(
        title=page.title,
        pageid=page.pageid,
        revid=page.revid,
        digest=_digest(encoded),
        records=len(checked.assessments),
        boundary=_boundary(checked, today, offsets),
        edited=page.timestamp,
    )
    return stored, checked


def _boundary(checked: CheckedPage, today: dt.date, offsets: frozenset[int]) -> dt.date | None:
    days = [next_boundary(a.record, today, offsets) for a in checked.assessments]
    return min((day for day in days if day is not None), default=None)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _unreadable(checklist: Checklist, title: str) -> Finding:
    """Return the finding of a page whose current revision cannot be read (RELIABILITY A5)."""
    rule = checklist.rule("infobox-unparseable")
    return Finding(
        page=title,
        index=None,
        rule=rule.id,
        severity=rule.severity,
        field=None,
        source=str(rule.source),
        reason="kept-last-readable",
    )


def _unique(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    return tuple(dict.fromkeys(findings))


def _totals_now(totals: PageTotals, checked: _Checked) -> PageTotals:
    """Return the store's totals with this run's changes: pages gone, changed, added."""
    for title in (*checked.gone, *checked.pages):
        if title in checked.before:
            totals = totals.without(checked.before[title])
    for page, _result in checked.pages.values():
        totals = totals.with_(page)
    return totals


def _all_checked(store: StateStore, checked: _Checked) -> list[CheckedPage]:
    """Return every current page's records and findings, in title order."""
    loaded = {
        title: decode_checked(text)
        for title, text in store.checked().items()
        if title not in checked.pages and title not in checked.gone
    }
    loaded.update({title: entry[1] for title, entry in checked.pages.items()})
    return [loaded[title] for title in sorted(loaded)]


def _remember(
    context: PassContext, sync: SyncResult, checked: _Checked, version: DataVersion
) -> None:
    """Store what this pass learnt (nothing in simulate mode)."""
    if context.settings.simulate:
        return
    store = context.store
    store.save_pages(
        ((page, encode_checked(result)) for page, result in checked.pages.values()),
        removed=checked.gone,
    )
    if sync.position is not None:
        full_at = context.now if sync.mode is not SyncMode.INCREMENTAL else None
        store.set_sync_position(*sync.position, full_at=full_at)
    store.set_data_version(version)
