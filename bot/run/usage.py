"""The usage job: how each partner's content is used, on its own cadence.

:func:`run_usage_if_due` is called by ``run-once`` after the check-and-report pass, under the
same lock; it runs :func:`run_usage` when the last good collection is ``every_hours`` old (daily)
or a month has closed since (its views become available once, and are fetched once).
``partnerbot stats`` calls :func:`run_usage` on demand.

One collection: the partnerships come from the records the check-and-report pass stored
(``bot=no`` ones are left out); the sources are asked once for all of them
(:mod:`bot.run.usage_collect`); the page-months of views not stored yet are fetched
(:mod:`bot.run.usage_views`); each partnership's month-by-month history and the totals' are
updated in the store (:mod:`bot.usage.history`: what could not be fetched keeps its last good
value, marked stale); the charts and the usage page are written
(:mod:`bot.run.usage_outputs`). Each collection is logged as a run of the job ``usage``.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from bot.i18n_files import load_messages
from bot.io.category_files import category_title
from bot.io.gateway import WikiGateway
from bot.io.link_usage import link_domain
from bot.io.usage_sources import Availability, Month, last_complete_month
from bot.model import PartnershipRecord
from bot.progress import LogProgress, Progress, QuietProgress
from bot.render.usage_page import UsageView
from bot.run.pass_context import PassContext
from bot.run.usage_collect import Collected, UsageSources, collect, open_sources
from bot.run.usage_findings import findings_pages_with_usage, pages_to_purge
from bot.run.usage_outputs import infobox_usage, window_for, write_usage_outputs
from bot.run.usage_views import ViewsResult, fetch_views, total_pages, view_pages
from bot.settings import Settings
from bot.state.codec import decode_checked
from bot.state.store import RunOutcome, StateStore
from bot.state.usage_store import UsageStore
from bot.usage.counting import PageKey
from bot.usage.history import MonthFigures, update_history
from bot.usage.method import UsageMethod
from bot.usage.subjects import TOTAL_KEY, UsageSubject, ordered
from bot.usage.views import MonthViews

log = logging.getLogger(__name__)

#: The job name under which collections are logged.
USAGE_JOB = "usage"


@dataclass(frozen=True)
class UsageSummary:
    """The figures of one usage collection."""

    outcome: RunOutcome = RunOutcome.OK
    reason: str = ""
    partnerships: int = 0
    files: int | None = None
    pages: int | None = None
    #: Page-month ranges fetched (and stored), and those the service did not answer.
    views_fetched: int = 0
    views_failed: int = 0
    requests: dict[str, int] = field(default_factory=dict)
    edits: int = 0
    outputs: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def line(self) -> str:
        """Return the one-line summary."""
        requests = ", ".join(f"{name} {count}" for name, count in self.requests.items())
        return (
            f"usage {self.outcome}: {self.partnerships} partnerships, {self.files} files, "
            f"{self.pages} pages; views fetched for {self.views_fetched} page ranges "
            f"({self.views_failed} failed); requests: {requests or 'none'}; {self.edits} edits, "
            f"{self.seconds:.1f} s" + (f"; {self.reason}" if self.reason else "")
        )

    def as_json(self) -> dict[str, Any]:
        """Return the summary as plain data."""
        data = asdict(self)
        data["outcome"] = self.outcome.value
        return data


def record_subject(record: PartnershipRecord) -> UsageSubject | None:
    """Return what is counted for ``record``, or None (paused, or nothing to count)."""
    if not record.bot:
        return None
    category = category_title(record.commons_category) if record.commons_category else ""
    domains = tuple(sorted({d for d in (link_domain(v) for v in record.link_domains) if d}))
    if not category and not domains:
        return None
    return UsageSubject(
        key=record.key,
        page=record.page,
        index=record.index,
        name=record.display_name,
        category=category,
        depth=max(0, record.commons_depth or 0),
        domains=domains,
    )


def stored_subjects(store: StateStore) -> list[UsageSubject]:
    """Return the partnerships to count, from the records the last pass stored."""
    subjects = []
    for text in store.checked().values():
        for assessment in decode_checked(text).assessments:
            subject = record_subject(assessment.record)
            if subject is not None:
                subjects.append(subject)
    return ordered(subjects)


def usage_due(store: StateStore, settings: Settings, now: dt.datetime) -> bool:
    """Return True when a collection is due: ``every_hours`` since the last, or a month closed."""
    last = UsageStore(store.engine).last_collection()
    if last is None:
        return True
    if now - last >= dt.timedelta(hours=settings.usage.every_hours):
        return True
    return last_complete_month(now.date()) > last_complete_month(last.date())


def run_usage_if_due(context: PassContext) -> UsageSummary | None:
    """Run a collection when one is due (called by ``run-once`` after check and report).

    A collection that fails is logged as a failed ``usage`` run and never stops ``run-once``:
    its published figures stay as they are.
    """
    settings = context.settings
    if not settings.usage.enabled or not usage_due(context.store, settings, context.now):
        return None
    try:
        summary = run_usage(
            settings,
            context.store,
            context.gateway,
            today=context.today,
            now=context.now,
            progress=LogProgress(),  # the command shows its own live line
        )
    except Exception as error:  # noqa: BLE001 - a failed collection never stops run-once
        log.error("usage collection failed: %s: %s", type(error).__name__, error)
        return UsageSummary(RunOutcome.FAILED, f"{type(error).__name__}: {error}")
    log.info("%s", summary.line())
    return summary


def run_usage(
    settings: Settings,
    store: StateStore,
    gateway: WikiGateway,
    *,
    today: dt.date,
    now: dt.datetime,
    progress: Progress | None = None,
) -> UsageSummary:
    """Collect the usage figures now, store them, write the charts and the usage page."""
    started = time.monotonic()
    run_id = store.start_run(USAGE_JOB)
    summary = UsageSummary(RunOutcome.FAILED)
    try:
        summary = _collection(
            settings, store, gateway, today=today, now=now, progress=progress or QuietProgress()
        )
    except Exception as error:  # logged as a failed run, then raised for the caller
        summary = replace(summary, reason=f"{type(error).__name__}: {error}")
        raise
    finally:
        summary = replace(summary, seconds=time.monotonic() - started)
        store.finish_run(run_id, summary.outcome, summary.as_json())
    return summary


def _views(
    sources: UsageSources,
    usage_store: UsageStore,
    subjects: list[UsageSubject],
    collected: Collected,
    *,
    window: list[Month],
    settings: Settings,
    progress: Progress,
) -> ViewsResult | None:
    if sources.views is None and sources.impact is None:
        return None
    pages: dict[str, frozenset[PageKey] | None] = {}
    without_data = []
    for subject in subjects:
        counts = collected.counts[subject.key]
        if not subject.category:
            continue
        if counts.availability in {Availability.NO_DATA, Availability.CONFIG_ERROR}:
            without_data.append(subject.key)  # no such category: no pages, no views
        else:
            pages[subject.key] = view_pages(subject, counts, sources.impact)
    pages[TOTAL_KEY] = total_pages(pages)
    result = fetch_views(
        usage_store,
        sources.views,
        sources.impact,
        pages,
        window,
        max_pages=settings.usage.max_view_pages,
        save=not settings.simulate,
        progress=progress,
    )
    for key in without_data:
        result.views[key] = {month: MonthViews(None, Availability.NO_DATA) for month in window}
    return result


def _methods(
    subjects: list[UsageSubject],
    sources: UsageSources,
    collected: Collected,
    settings: Settings,
    *,
    as_of: str,
    synthetic: bool,
) -> dict[str, UsageMethod]:
    usage = settings.usage
    resolved = collected.split is None or not collected.split.unresolved
    base = UsageMethod(
        category="",
        depth=0,
        namespaces=usage.namespaces,
        file_source=usage.source,
        wikis=sources.wiki_names,
        views_source="pageviews-per-article" if sources.views is not None else "",
        agent=sources.views.agent if sources.views else "",
        access=sources.views.access if sources.views else "",
        synthetic=synthetic,
        as_of=as_of,
        templates_resolved=resolved,
    )
    methods = {}
    for subject in subjects:
        impact = bool(
            sources.impact and subject.category and sources.impact.allowed(subject.category)
        )
        methods[subject.key] = replace(
            base,
            category=subject.category,
            depth=subject.depth,
            domains=subject.domains,
            views_source="commons-impact-metrics" if impact else base.views_source,
        )
    domains = tuple(sorted({d for subject in subjects for d in subject.domains}))
    methods[TOTAL_KEY] = replace(base, total=True, domains=domains)
    return methods


def _collection(
    settings: Settings,
    store: StateStore,
    gateway: WikiGateway,
    *,
    today: dt.date,
    now: dt.datetime,
    progress: Progress,
) -> UsageSummary:
    usage_store = UsageStore(store.engine)
    subjects = stored_subjects(store)
    sources = open_sources(settings, gateway)
    collected = collect(sources, subjects, settings, progress)
    _last, window = window_for(today, settings.usage.history_months)
    open_month = Month.of(today)
    views = _views(
        sources,
        usage_store,
        subjects,
        collected,
        window=window,
        settings=settings,
        progress=progress,
    )
    synthetic = bool(views and views.synthetic)
    as_of = now.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    histories = usage_store.histories()
    entries_before = infobox_usage(store, settings, today)
    changed: dict[str, dict[Month, MonthFigures]] = {}
    for key in [*(s.key for s in subjects), TOTAL_KEY]:
        changed[key] = update_history(
            histories.get(key, {}),
            collected.counts[key],
            views.views.get(key) if views else None,
            open_month=open_month,
            as_of=as_of,
            synthetic=synthetic,
        )
    if not settings.simulate:
        usage_store.save_history(changed)
        usage_store.save_subjects(subjects)
        usage_store.set_last_collection(now)
    merged = {key: {**histories.get(key, {}), **rows} for key, rows in changed.items()}
    carriers = {
        key: sorted(f"{wiki}: {title}" for wiki, title in counts.carriers)
        for key, counts in collected.counts.items()
    }
    view = UsageView(
        subjects=subjects,
        histories=merged,
        methods=_methods(subjects, sources, collected, settings, as_of=as_of, synthetic=synthetic),
        carriers=carriers,
        charts={},
        window=window,
        open_month=open_month,
    )
    findings: dict[str, str] = {}
    purge: list[str] = []
    if not settings.simulate:
        entries = infobox_usage(store, settings, today)
        if entries != entries_before:
            findings = findings_pages_with_usage(settings, store, entries)
            purge = pages_to_purge(entries_before, entries)
    written = write_usage_outputs(
        settings,
        store,
        usage_store=usage_store,
        gateway=gateway,
        view=view,
        messages=load_messages("en"),
        findings=findings,
        purge=purge,
    )
    total = collected.counts[TOTAL_KEY]
    requests = dict(collected.requests)
    if views is not None:
        requests["pageviews"] = views.requests
    return UsageSummary(
        outcome=RunOutcome.DISABLED if written.disabled else RunOutcome.OK,
        partnerships=len(subjects),
        files=None if total.files is None else len(total.files),
        pages=None if total.pages is None else len(total.pages),
        views_fetched=views.fetched if views else 0,
        views_failed=views.failed if views else 0,
        requests=requests,
        edits=written.edits,
        outputs=written.as_dict(),
    )
