"""What the analytics stand-in answers: the documented REST shapes, with synthetic figures.

Pure: a request path (as sent, percent-encoded) in, ``(status, body)`` out. Routes:

- ``/metrics/pageviews/per-article/{project}/{access}/{agent}/{article}/monthly/{start}/{end}``
- ``/metrics/commons-analytics/pageviews-per-category-monthly/{category}/{scope}/{wiki}/{start}/
  {end}``
- ``/metrics/commons-analytics/category-metrics-snapshot/{category}/{start}/{end}``

As the real service does: months without views are left out; a range without any full month
is a 400; a project the stand-in does not serve, a bad access or agent value is a 400; months
before the data starts or not yet complete are absent, and a range with none left is a 404 "no
data"; a category not on the allow-list is a 404 "not loaded yet"; any other path is a 404
"invalid route". Figures come from :mod:`bot.devwiki.standins.synthetic`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote

from bot.devwiki.standins import synthetic
from bot.io.category_files import category_title
from bot.io.pageviews import ACCESS, AGENTS, DATA_START
from bot.io.usage_sources import Month, last_complete_month, months_between

NOT_FOUND_TYPE = "https://mediawiki.org/wiki/HyperSwitch/errors/not_found"
INVALID_TYPE = "https://mediawiki.org/wiki/HyperSwitch/errors/invalid_request"
NO_DATA = (
    "The date(s) you used are valid, but we either do not have data for those date(s), or the "
    "project you asked for is not loaded yet. Please check documentation for more information."
)
NOT_LOADED = (
    "The date(s) you used are valid, but we either do not have data for those date(s), or the "
    "category you asked for is not loaded yet. Please check documentation for more information."
)
_PROJECT = re.compile(r"^[a-z0-9_.-]+$")

Answer = tuple[int, dict[str, Any]]


def error_body(status: int, detail: str | list[str], uri: str) -> dict[str, Any]:
    """Return an AQS error body."""
    kind = NOT_FOUND_TYPE if status == 404 else INVALID_TYPE
    title = "Not found." if status == 404 else "Invalid parameters"
    return {"type": kind, "title": title, "method": "get", "detail": detail, "uri": uri}


def _day(text: str) -> date | None:
    if not re.fullmatch(r"\d{8}(\d{2})?", text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


@dataclass
class AnalyticsRoutes:
    """Answers the routes for the configured projects and allow-listed categories."""

    #: Projects served (``content.devwiki``); empty: every well-formed project name.
    projects: Collection[str] = ()
    #: Categories with Commons Impact Metrics (names with or without ``Category:``).
    categories: Collection[str] = ()
    #: The stand-in's "today": months complete two days before it have data.
    today: Callable[[], date] = date.today
    #: Whether a page exists (no data for pages that do not); None: every page exists.
    page_exists: Callable[[str, str], bool] | None = None
    _allowed: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        self._allowed = frozenset(category_title(name) for name in self.categories)

    def answer(self, path: str) -> Answer:
        """Return the status and JSON body for a GET of ``path``."""
        raw = path.split("?", 1)[0]
        parts = [unquote(part) for part in raw.strip("/").split("/")]
        if parts[:3] == ["metrics", "pageviews", "per-article"] and len(parts) == 10:
            return self._per_article(parts[3:], raw)
        if parts[:2] == ["metrics", "commons-analytics"]:
            if parts[2:3] == ["pageviews-per-category-monthly"] and len(parts) == 8:
                return self._category_views(parts[3:], raw)
            if parts[2:3] == ["category-metrics-snapshot"] and len(parts) == 6:
                return self._snapshot(parts[3:], raw)
        return 404, error_body(404, "invalid route", raw)

    def _months(self, start: str, end: str, uri: str) -> list[Month] | Answer:
        first_day, last_day = _day(start), _day(end)
        if first_day is None or last_day is None:
            return 400, error_body(400, ["start and end must be YYYYMMDD or YYYYMMDDHH"], uri)
        if first_day > last_day:
            return 400, error_body(400, ["start must be before end"], uri)
        first = Month.of(first_day)
        if first_day.day != 1:
            first = first.next()
        last = Month.of(last_day)
        if last_day != last.last_day:
            last = last.previous()
        if last < first:
            return 400, error_body(400, ["no full months found in specified date range"], uri)
        available = last_complete_month(self.today())
        return months_between(max(first, DATA_START), min(last, available))

    def _per_article(self, parts: list[str], uri: str) -> Answer:
        project, access, agent, article, granularity, start, end = parts
        project = project.lower().removeprefix("www.").removesuffix(".org")
        if not _PROJECT.match(project) or (self.projects and project not in self.projects):
            return 400, error_body(400, ["Given project is not valid"], uri)
        if access not in ACCESS or agent not in AGENTS:
            return 400, error_body(400, [f"access {access!r} or agent {agent!r} is not valid"], uri)
        if granularity != "monthly":
            if granularity == "daily":
                return 400, error_body(400, ["the stand-in serves monthly figures only"], uri)
            return 404, error_body(404, "invalid route", uri)
        months = self._months(start, end, uri)
        if isinstance(months, tuple):
            return months
        title = article.replace("_", " ")
        if not months or (self.page_exists is not None and not self.page_exists(project, title)):
            return 404, error_body(404, NO_DATA, uri)
        items = []
        for month in months:
            views = synthetic.page_views(project, title, month)
            if views:
                items.append(
                    {
                        "project": project,
                        "article": article.replace(" ", "_"),
                        "granularity": "monthly",
                        "timestamp": f"{month.year:04d}{month.month:02d}0100",
                        "access": access,
                        "agent": agent,
                        "views": views,
                    }
                )
        if not items:
            return 404, error_body(404, NO_DATA, uri)
        return 200, {"items": items}

    def _category(self, name: str, uri: str) -> str | Answer:
        title = category_title(name)
        if not title:
            return 400, error_body(400, ["category must not be empty"], uri)
        if title not in self._allowed:
            return 404, error_body(404, NOT_LOADED, uri)
        return title.removeprefix("Category:").replace(" ", "_")

    def _category_views(self, parts: list[str], uri: str) -> Answer:
        name, scope, wiki, start, end = parts
        category = self._category(name, uri)
        if isinstance(category, tuple):
            return category
        if scope not in {"deep", "shallow"}:
            return 400, error_body(400, [f"category-scope {scope!r} is not valid"], uri)
        if wiki != "all-wikis" and not _PROJECT.match(wiki):
            return 400, error_body(400, [f"wiki {wiki!r} is not valid"], uri)
        months = self._months(start, end, uri)
        if isinstance(months, tuple):
            return months
        if not months:
            return 404, error_body(404, NOT_LOADED, uri)
        items = [
            {
                "category": category,
                "category-scope": scope,
                "wiki": wiki,
                "timestamp": f"{month.first_day:%Y-%m-%d}T00:00:00Z",
                "pageview-count": synthetic.category_views(category, scope, wiki, month),
            }
            for month in months
        ]
        return 200, {"items": items}

    def _snapshot(self, parts: list[str], uri: str) -> Answer:
        name, start, end = parts
        category = self._category(name, uri)
        if isinstance(category, tuple):
            return category
        months = self._months(start, end, uri)
        if isinstance(months, tuple):
            return months
        if not months:
            return 404, error_body(404, NOT_LOADED, uri)
        items = [
            {
                "category": category,
                "timestamp": f"{month.first_day:%Y-%m-%d}T00:00:00Z",
                **synthetic.category_snapshot(category, month),
            }
            for month in months
        ]
        return 200, {"items": items}
