"""Monthly views: which page-months to fetch, and the monthly sums of a set of pages.

Views are kept per page and month. A closed month's figure for a page is fetched once, ever:
:func:`months_to_fetch` asks only for the months of the window a page has no stored figure for,
in contiguous ranges (one request each). The views of a partnership in a month are the sum over
the pages that use its files as of the latest collection (:func:`monthly_views`): a page that
starts using the files later brings its earlier months along (fetched once), a page that stops
using them leaves every month. Each page counts once however many files it shows.

A page the service has no data for in a month (a 404) is stored as None: it adds nothing, and a
month in which no page has data is "no data", never 0. A page-month that could not be fetched
(rate limit, server error) is not stored, so the month's sum would be partial: it is STALE and
the caller keeps the last good sum.

A category on the Commons Impact Metrics allow-list is counted as one pseudo-page
``(IMPACT_METRICS, "Category:...")`` whose monthly figure is the category's views.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.io.usage_sources import Availability, Month
from bot.usage.counting import PageKey

#: The pseudo-wiki under which Commons Impact Metrics figures of a category are kept.
IMPACT_METRICS = "commons-impact-metrics"
#: One page's stored views: month -> views (None: the service has no data for it).
PageMonths = Mapping[Month, int | None]


def view_window(last_complete: Month, months: int) -> list[Month]:
    """Return the ``months`` months ending with ``last_complete``, oldest first."""
    window = [last_complete]
    while len(window) < months:
        window.append(window[-1].previous())
    return window[::-1]


def contiguous(months: Iterable[Month]) -> list[tuple[Month, Month]]:
    """Return sorted ``months`` as (first, last) runs of consecutive months."""
    runs: list[tuple[Month, Month]] = []
    for month in sorted(set(months)):
        if runs and runs[-1][1].next() == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def months_to_fetch(
    pages: Iterable[PageKey], window: Sequence[Month], stored: Mapping[PageKey, PageMonths]
) -> dict[PageKey, list[tuple[Month, Month]]]:
    """Return, per page, the ranges of window months it has no stored figure for."""
    wanted: dict[PageKey, list[tuple[Month, Month]]] = {}
    for page in sorted(set(pages)):
        known = stored.get(page, {})
        missing = [month for month in window if month not in known]
        if missing:
            wanted[page] = contiguous(missing)
    return wanted


@dataclass(frozen=True)
class MonthViews:
    """The views of a set of pages in one month."""

    value: int | None
    availability: Availability
    #: Pages with a figure this month, pages the service has no data for, pages not fetched.
    counted: int = 0
    without_data: int = 0
    missing: int = 0


def monthly_views(
    pages: Collection[PageKey], window: Sequence[Month], stored: Mapping[PageKey, PageMonths]
) -> dict[Month, MonthViews]:
    """Return the summed views of ``pages`` for every month of ``window``."""
    result: dict[Month, MonthViews] = {}
    for month in window:
        total = counted = without_data = missing = 0
        for page in pages:
            known = stored.get(page)
            if known is None or month not in known:
                missing += 1
                continue
            views = known[month]
            if views is None:
                without_data += 1
            else:
                total += views
                counted += 1
        if missing:
            result[month] = MonthViews(None, Availability.STALE, counted, without_data, missing)
        elif pages and not counted:
            result[month] = MonthViews(None, Availability.NO_DATA, 0, without_data)
        else:
            result[month] = MonthViews(total, Availability.OK, counted, without_data)
    return result
