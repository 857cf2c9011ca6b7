"""Commons Impact Metrics: figures Wikimedia computes monthly for allow-listed categories.

``GET {base}/metrics/commons-analytics/pageviews-per-category-monthly/{category}/{scope}/{wiki}/
{start}/{end}`` gives the monthly views of the pages that use the category's files;
``category-metrics-snapshot/{category}/{start}/{end}`` gives, per month, how many files the
category holds and how many of them are used, on how many pages (main namespace) of how many
wikis. One request per category and
range for each. Keys are hyphenated (``pageview-count``, ``media-file-count-deep``...); dates are
``YYYYMMDD``. Only categories on Wikimedia's allow-list (and their subcategories down to 7
levels) have data: the bot asks only for categories configured as allow-listed, and reads a 404
("not loaded yet") as *no data*. ``deep`` counts the whole tree to 7 levels, which differs from a
record's ``commons_depth``: the method says which scope was counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from bot.io.category_files import category_title
from bot.io.pageviews import item_month, parse_monthly_items
from bot.io.rest_client import RestAnswer, RestClient, RestOutcome
from bot.io.usage_sources import (
    Availability,
    Method,
    Month,
    MonthlyViews,
    months_between,
    parameters,
)

SCOPES = ("deep", "shallow")
#: The snapshot's figures, by the API's key (the ``-deep`` variants count the whole tree).
SNAPSHOT_KEYS = (
    "media-file-count",
    "media-file-count-deep",
    "used-media-file-count",
    "used-media-file-count-deep",
    "leveraging-wiki-count",
    "leveraging-wiki-count-deep",
    "leveraging-page-count",
    "leveraging-page-count-deep",
)


def category_segment(category: str) -> str:
    """Return a category as the API's path segment: no prefix, ``_`` for spaces, %-escaped."""
    title = category_title(category).removeprefix("Category:")
    return quote(title.replace(" ", "_"), safe="")


@dataclass(frozen=True)
class CategorySnapshot:
    """Monthly snapshot figures of one category (a figure the API left out is None)."""

    category: str
    availability: Availability
    months: Mapping[Month, Mapping[str, int | None]] = field(default_factory=dict)
    detail: str = ""
    method: Method = field(default_factory=lambda: Method("commons-impact-metrics", ""))


@dataclass
class CommonsImpactMetrics:
    """Category-level figures for allow-listed categories; anything else is *no data*."""

    client: RestClient
    #: Category names (with or without ``Category:``) Wikimedia computes figures for.
    allow_list: Iterable[str] = ()
    synthetic: bool = False

    def __post_init__(self) -> None:
        self.allow_list = frozenset(category_title(name) for name in self.allow_list)

    def allowed(self, category: str) -> bool:
        """Return True when ``category`` is configured as allow-listed."""
        return category_title(category) in frozenset(self.allow_list)

    def category_views(
        self,
        category: str,
        first: Month,
        last: Month,
        *,
        scope: str = "deep",
        wiki: str = "all-wikis",
    ) -> MonthlyViews:
        """Return the monthly views of the pages using the category's files (one request)."""
        title = category_title(category)
        method_parameters = parameters(
            endpoint="pageviews-per-category-monthly", scope=scope, wiki=wiki
        )
        refusal = self._refusal(title, first, last, scope)
        if refusal is not None:
            availability, detail = refusal
            method = Method("commons-impact-metrics", self.client.base_url, method_parameters)
            return MonthlyViews(title, availability, detail=detail, method=method)
        path = (
            f"metrics/commons-analytics/pageviews-per-category-monthly/{category_segment(title)}"
            f"/{scope}/{quote(wiki, safe='')}/{first.first_day:%Y%m%d}/{last.last_day:%Y%m%d}"
        )
        answer = self.client.get(path)
        method = self._method(method_parameters, answer)
        failure = _failure(answer)
        if failure is not None:
            return MonthlyViews(title, failure[0], detail=failure[1], method=method)
        months, problem = parse_monthly_items(answer.body, first, last, "pageview-count")
        if problem:
            detail = f"malformed answer: {problem}"
            return MonthlyViews(title, Availability.STALE, detail=detail, method=method)
        missing = tuple(month for month in months_between(first, last) if month not in months)
        return MonthlyViews(
            title,
            Availability.OK,
            {**months, **dict.fromkeys(missing, 0)},
            zero_filled=missing,
            method=method,
        )

    def snapshot(self, category: str, first: Month, last: Month) -> CategorySnapshot:
        """Return the category's monthly snapshot figures (one request)."""
        title = category_title(category)
        method_parameters = parameters(endpoint="category-metrics-snapshot")
        refusal = self._refusal(title, first, last, "deep")
        if refusal is not None:
            method = Method("commons-impact-metrics", self.client.base_url, method_parameters)
            return CategorySnapshot(title, refusal[0], detail=refusal[1], method=method)
        path = (
            f"metrics/commons-analytics/category-metrics-snapshot/{category_segment(title)}"
            f"/{first.first_day:%Y%m%d}/{last.last_day:%Y%m%d}"
        )
        answer = self.client.get(path)
        method = self._method(method_parameters, answer)
        failure = _failure(answer)
        if failure is not None:
            return CategorySnapshot(title, failure[0], detail=failure[1], method=method)
        months, problem = _snapshot_items(answer.body, first, last)
        if problem:
            detail = f"malformed answer: {problem}"
            return CategorySnapshot(title, Availability.STALE, detail=detail, method=method)
        return CategorySnapshot(title, Availability.OK, months, method=method)

    def _refusal(
        self, title: str, first: Month, last: Month, scope: str
    ) -> tuple[Availability, str] | None:
        if not title:
            return Availability.CONFIG_ERROR, "empty category name"
        if scope not in SCOPES:
            return Availability.CONFIG_ERROR, f"scope {scope!r} is not one of {SCOPES}"
        if last < first:
            return Availability.CONFIG_ERROR, f"no month to ask for ({first}..{last})"
        if not self.allowed(title):
            return Availability.NO_DATA, f"{title} is not configured as allow-listed"
        return None

    def _method(self, method_parameters: tuple[tuple[str, str], ...], answer: RestAnswer) -> Method:
        return Method(
            "commons-impact-metrics",
            self.client.base_url,
            method_parameters,
            answer.attempts,
            self.synthetic or answer.synthetic,
        )


def _failure(answer: RestAnswer) -> tuple[Availability, str] | None:
    if answer.outcome is RestOutcome.OK:
        return None
    if answer.outcome is RestOutcome.NOT_FOUND:
        return Availability.NO_DATA, answer.detail
    if answer.outcome is RestOutcome.REJECTED:
        return Availability.CONFIG_ERROR, answer.detail
    return Availability.STALE, answer.detail


def _snapshot_items(
    body: Any, first: Month, last: Month
) -> tuple[dict[Month, dict[str, int | None]], str]:
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return {}, "the answer has no 'items' list"
    months: dict[Month, dict[str, int | None]] = {}
    for item in body["items"]:
        if not isinstance(item, dict):
            return {}, "an item is not an object"
        month = item_month(item.get("timestamp"))
        if month is None or not first <= month <= last or month in months:
            stamp = item.get("timestamp")
            return {}, f"an item has a missing, repeated or foreign month: {stamp!r}"
        figures: dict[str, int | None] = {}
        for key in SNAPSHOT_KEYS:
            value = item.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                return {}, f"{key} for {month} is not a number: {value!r}"
            figures[key] = value
        if all(value is None for value in figures.values()):
            return {}, f"the item for {month} has none of the documented figures"
        months[month] = figures
    if not months:
        return {}, "the answer lists no month at all"
    return months, ""
