"""Monthly views of pages from the Wikimedia pageviews REST API (``per-article``).

``GET {base}/metrics/pageviews/per-article/{project}/{access}/{agent}/{article}/monthly/{start}/
{end}`` with the title's spaces as ``_`` and every other reserved character percent-encoded
(``AC/DC`` becomes ``AC%2FDC``). One request per page and range: the API has no batch form, so
the client keeps at most two requests in flight and never more than the REST client allows.

What the answers mean (REFERENCE 2.5, RELIABILITY G1-G9): a 404 "not found" is *no data*, not 0;
a 404 "invalid route" or a 400 is a configuration error and is not retried; 429 and 5xx are
retried within bounds and then *stale*; a month absent from a 200 answer had no views (the API
leaves such months out) and is listed in ``zero_filled``; a 200 that is not the documented
shape is *stale*, never a partial total. Data starts in July 2015; earlier months are not asked.
Ask only for months that have ended (see :func:`bot.io.usage_sources.last_complete_month`).
Views are counted for the title given: after a move, the new title's history starts afresh.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from bot.io.rest_client import RestAnswer, RestClient, RestOutcome
from bot.io.usage_sources import (
    Availability,
    Method,
    Month,
    MonthlyViews,
    months_between,
    parameters,
)

#: The first month the per-article API has data for.
DATA_START = Month(2015, 7)
ACCESS = ("all-access", "desktop", "mobile-app", "mobile-web")
AGENTS = ("all-agents", "user", "spider", "automated")
_PROJECT = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)+$|^[a-z0-9_-]+$")


def pageviews_project(wiki: str) -> str:
    """Return the API's project name for a wiki's host name, or "" when it cannot be one.

    ``en.wikipedia.org`` gives ``en.wikipedia``; ``www.wikidata.org`` gives ``wikidata``;
    ``commons.wikimedia.org`` gives ``commons.wikimedia`` (the API strips ``www.`` and ``.org``).
    """
    text = wiki.strip().lower()
    text = re.sub(r"^[a-z]+://", "", text).split("/", 1)[0]
    text = text.removeprefix("www.").removesuffix(".org")
    return text if _PROJECT.match(text) else ""


def article_segment(title: str) -> str:
    """Return a title as the API's ``{article}`` segment: ``_`` for spaces, UTF-8 %-escapes."""
    return quote(title.strip().replace(" ", "_"), safe="")


def per_article_path(
    project: str, title: str, first: Month, last: Month, *, access: str, agent: str
) -> str:
    """Return the request path for monthly views of one article, ``first``..``last``."""
    return (
        f"metrics/pageviews/per-article/{project}/{access}/{agent}/{article_segment(title)}"
        f"/monthly/{first.first_day:%Y%m%d}/{last.last_day:%Y%m%d}"
    )


def item_month(timestamp: object) -> Month | None:
    """Return the month of an AQS timestamp (``YYYYMMDDHH``, ``YYYYMMDD`` or ISO 8601)."""
    digits = re.sub(r"[^0-9]", "", str(timestamp))
    if len(digits) < 6:
        return None
    try:
        return Month(int(digits[:4]), int(digits[4:6]))
    except ValueError:
        return None


def parse_monthly_items(
    body: Any, first: Month, last: Month, count_key: str
) -> tuple[dict[Month, int], str]:
    """Return the views per month of a 200 answer, or ({}, why it is not the documented shape)."""
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return {}, "the answer has no 'items' list"
    if not body["items"]:
        return {}, "the answer lists no month at all"
    months: dict[Month, int] = {}
    for item in body["items"]:
        if not isinstance(item, dict):
            return {}, "an item is not an object"
        month = item_month(item.get("timestamp"))
        count = item.get(count_key)
        if month is None:
            return {}, f"an item has no valid timestamp: {item.get('timestamp')!r}"
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            return {}, f"the item for {month} has no valid {count_key!r}: {count!r}"
        granularity = item.get("granularity", "monthly")
        if granularity != "monthly":
            return {}, f"the item for {month} is {granularity!r}, not monthly"
        if not first <= month <= last:
            return {}, f"the answer has {month}, outside {first}..{last}"
        if month in months:
            return {}, f"the answer lists {month} twice"
        months[month] = count
    return months, ""


@dataclass
class PageviewsClient:
    """Monthly views of pages, one request per page and range, at most two in flight."""

    client: RestClient
    access: str = "all-access"
    #: ``user``: people, not spiders or automated traffic.
    agent: str = "user"
    #: True when the endpoint is a local stand-in: every result says so.
    synthetic: bool = False

    def monthly(self, project: str, title: str, first: Month, last: Month) -> MonthlyViews:
        """Return the views of ``title`` on ``project`` for every month ``first``..``last``."""
        subject = f"{project}:{title}"
        name = pageviews_project(project)
        first = max(first, DATA_START)
        problem = ""
        if not name:
            problem = f"{project!r} is not a pageviews project name"
        elif self.access not in ACCESS or self.agent not in AGENTS:
            problem = f"access {self.access!r} / agent {self.agent!r} is not an API value"
        elif not title.strip():
            problem = "empty title"
        elif last < first:
            problem = f"no month to ask for ({first}..{last})"
        if problem:
            return MonthlyViews(
                subject, Availability.CONFIG_ERROR, detail=problem, method=self._method(0)
            )
        path = per_article_path(name, title, first, last, access=self.access, agent=self.agent)
        answer = self.client.get(path)
        return self._views(subject, answer, first, last)

    def monthly_many(
        self, pages: Sequence[tuple[str, str]], first: Month, last: Month
    ) -> list[MonthlyViews]:
        """Return the views of each (project, title), in order, at most two requests at once."""
        workers = max(1, min(2, self.client.max_in_flight))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda page: self.monthly(page[0], page[1], first, last), pages))

    def _method(self, requests: int, *, synthetic: bool = False) -> Method:
        return Method(
            "pageviews-per-article",
            self.client.base_url,
            parameters(access=self.access, agent=self.agent, granularity="monthly"),
            requests,
            self.synthetic or synthetic,
        )

    def _views(self, subject: str, answer: RestAnswer, first: Month, last: Month) -> MonthlyViews:
        method = self._method(answer.attempts, synthetic=answer.synthetic)
        if answer.outcome is RestOutcome.NOT_FOUND:
            return MonthlyViews(subject, Availability.NO_DATA, detail=answer.detail, method=method)
        if answer.outcome is RestOutcome.REJECTED:
            return MonthlyViews(
                subject, Availability.CONFIG_ERROR, detail=answer.detail, method=method
            )
        if answer.outcome is not RestOutcome.OK:
            return MonthlyViews(subject, Availability.STALE, detail=answer.detail, method=method)
        months, problem = parse_monthly_items(answer.body, first, last, "views")
        if problem:
            return MonthlyViews(
                subject, Availability.STALE, detail=f"malformed answer: {problem}", method=method
            )
        missing = tuple(month for month in months_between(first, last) if month not in months)
        for month in missing:
            months[month] = 0
        return MonthlyViews(
            subject,
            Availability.OK,
            dict(sorted(months.items())),
            zero_filled=missing,
            method=method,
        )
