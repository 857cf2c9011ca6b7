"""Fetch the page-months the store does not have yet, store them, and sum each partnership's views.

Pages are asked in chunks, and each chunk is stored as soon as it is fetched, so a run that
stops half-way keeps what it got: no closed month is fetched twice for a page. A page-month the
service could not answer (429 beyond the wait, 5xx, timeout, malformed answer) is not stored:
it is asked again next run, and the months it belongs to stay stale meanwhile. At most
``max_view_pages`` pages are asked in one run; the rest follow in the next runs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.io.commons_metrics import CommonsImpactMetrics
from bot.io.pageviews import PageviewsClient
from bot.io.usage_sources import Availability, Month, MonthlyViews, months_between
from bot.progress import Progress, QuietProgress
from bot.state.usage_store import UsageStore
from bot.usage.counting import PageKey, UsageCounts
from bot.usage.subjects import TOTAL_KEY, UsageSubject
from bot.usage.views import IMPACT_METRICS, MonthViews, monthly_views, months_to_fetch

log = logging.getLogger(__name__)

#: Pages asked (and stored) together.
CHUNK = 200


@dataclass(frozen=True)
class ViewsResult:
    """The monthly views of each partnership (and TOTAL_KEY), and what fetching them took."""

    views: dict[str, dict[Month, MonthViews]]
    requests: int
    fetched: int
    failed: int
    synthetic: bool


def view_pages(
    subject: UsageSubject, counts: UsageCounts, impact: CommonsImpactMetrics | None
) -> frozenset[PageKey] | None:
    """Return the pages whose views make the partnership's, or None when they are unknown.

    Call it only for partnerships that name a category (the others have no views).
    """
    if impact is not None and subject.category and impact.allowed(subject.category):
        return frozenset({(IMPACT_METRICS, subject.category)})
    return counts.pages


StoredRow = tuple[PageKey, Month, int | None]


def _stored_rows(result: MonthlyViews, page: PageKey, first: Month, last: Month) -> list[StoredRow]:
    months = months_between(first, last)
    if result.availability is Availability.OK:
        return [(page, month, result.months.get(month, 0)) for month in months]
    if result.availability in {Availability.NO_DATA, Availability.CONFIG_ERROR}:
        if result.availability is Availability.CONFIG_ERROR:
            log.warning("views of %s: %s (kept as no data)", page, result.detail)
        return [(page, month, None) for month in months]
    return []


def fetch_views(
    store: UsageStore,
    views: PageviewsClient | None,
    impact: CommonsImpactMetrics | None,
    pages: Mapping[str, frozenset[PageKey] | None],
    window: Sequence[Month],
    *,
    max_pages: int,
    save: bool = True,
    progress: Progress | None = None,
) -> ViewsResult:
    """Fetch what is missing for ``pages`` (by subject key) and return the monthly sums.

    Without ``save`` (simulate mode) the fetched figures are used but not stored.
    """
    progress = progress or QuietProgress()
    everyone = {page for found in pages.values() if found for page in found}
    stored = store.page_views(window)
    asking = views is not None or impact is not None
    missing = months_to_fetch(everyone, window, stored) if asking else {}
    if len(missing) > max_pages:
        log.warning("views: %d pages to ask, %d this run", len(missing), max_pages)
        missing = dict(list(missing.items())[:max_pages])
    requests = fetched = failed = 0
    synthetic = bool(views and views.synthetic)
    jobs = [(page, first, last) for page, ranges in missing.items() for first, last in ranges]
    with progress.task("page views", len(jobs)) as advance:
        for start in range(0, len(jobs), CHUNK):
            chunk = jobs[start : start + CHUNK]
            rows: list[StoredRow] = []
            for page, first, last, result in _fetch_chunk(views, impact, chunk):
                requests += result.method.requests
                synthetic = synthetic or result.method.synthetic
                found = _stored_rows(result, page, first, last)
                fetched += bool(found)
                failed += not found
                rows.extend(found)
            if save:
                store.save_page_views(rows)
            for page, month, value in rows:
                stored.setdefault(page, {})[month] = value
            advance(len(chunk))
    sums: dict[str, dict[Month, MonthViews]] = {}
    for key, subject_pages in pages.items():
        if subject_pages is None:
            sums[key] = {month: MonthViews(None, Availability.STALE) for month in window}
        else:
            sums[key] = monthly_views(subject_pages, window, stored)
    return ViewsResult(sums, requests, fetched, failed, synthetic)


def _fetch_chunk(
    views: PageviewsClient | None,
    impact: CommonsImpactMetrics | None,
    chunk: Sequence[tuple[PageKey, Month, Month]],
) -> list[tuple[PageKey, Month, Month, MonthlyViews]]:
    results = []
    by_range: dict[tuple[Month, Month], list[PageKey]] = {}
    for page, first, last in chunk:
        if page[0] == IMPACT_METRICS:
            if impact is not None:
                results.append((page, first, last, impact.category_views(page[1], first, last)))
            continue
        by_range.setdefault((first, last), []).append(page)
    if views is not None:
        for (first, last), group in by_range.items():
            answers = views.monthly_many(group, first, last)
            results.extend(
                (page, first, last, answer) for page, answer in zip(group, answers, strict=True)
            )
    return results


def total_pages(pages: Mapping[str, frozenset[PageKey] | None]) -> frozenset[PageKey] | None:
    """Return the pages of every partnership together, each once (None when one is unknown)."""
    if any(found is None for key, found in pages.items() if key != TOTAL_KEY):
        return None
    return frozenset(
        page for key, found in pages.items() if key != TOTAL_KEY for page in found or ()
    )
