"""The month-by-month record of one partnership's figures (and of the totals), as stored.

Each collection writes the counts (files, files used, pages, wikis, links) into the row of the
month it runs in, so a closed month keeps the counts of its last collection; and it writes the
views of every month of the window. A figure the collection could not obtain (STALE) never
replaces a stored one: the last good value stays, marked stale, with the date it was obtained.
"No data" is kept as None with its own state, never as 0.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.io.usage_sources import Availability, Month
from bot.usage.counting import UsageCounts
from bot.usage.views import MonthViews

#: The state of a month without a views figure (an open month, or views not configured).
NOT_ASKED = ""


@dataclass(frozen=True)
class MonthFigures:
    """One partnership's figures for one month."""

    month: Month
    files: int | None = None
    files_used: int | None = None
    pages: int | None = None
    template_pages: int | None = None
    wikis: int | None = None
    #: Links per domain (None: never obtained).
    links: Mapping[str, int | None] = field(default_factory=dict)
    #: When the counts were obtained (ISO date-time), or None: never counted in this month.
    counts_as_of: str | None = None
    #: True when the last collection could not count, and the counts are older.
    counts_stale: bool = False
    #: Domains whose link counts are older than the last collection.
    stale_links: tuple[str, ...] = ()
    views: int | None = None
    #: An :class:`~bot.io.usage_sources.Availability` value, or NOT_ASKED.
    views_state: str = NOT_ASKED
    views_as_of: str | None = None
    #: True when the views come from a local stand-in.
    synthetic: bool = False

    def to_json(self) -> str:
        """Return the row as JSON for the store."""
        data = {
            "files": self.files,
            "files_used": self.files_used,
            "pages": self.pages,
            "template_pages": self.template_pages,
            "wikis": self.wikis,
            "links": dict(sorted(self.links.items())),
            "counts_as_of": self.counts_as_of,
            "counts_stale": self.counts_stale,
            "stale_links": list(self.stale_links),
            "views": self.views,
            "views_state": self.views_state,
            "views_as_of": self.views_as_of,
            "synthetic": self.synthetic,
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, month: Month, text: str) -> MonthFigures:
        """Return the row the store kept for ``month``."""
        data = json.loads(text)
        return cls(
            month,
            files=data.get("files"),
            files_used=data.get("files_used"),
            pages=data.get("pages"),
            template_pages=data.get("template_pages"),
            wikis=data.get("wikis"),
            links=dict(data.get("links") or {}),
            counts_as_of=data.get("counts_as_of"),
            counts_stale=bool(data.get("counts_stale")),
            stale_links=tuple(data.get("stale_links") or ()),
            views=data.get("views"),
            views_state=str(data.get("views_state") or NOT_ASKED),
            views_as_of=data.get("views_as_of"),
            synthetic=bool(data.get("synthetic")),
        )

    @property
    def counted(self) -> bool:
        """Return True when the row holds counts (of this month, or carried over, stale)."""
        return self.counts_as_of is not None


History = Mapping[Month, MonthFigures]


def latest_counts(history: History) -> MonthFigures | None:
    """Return the newest row that holds counts."""
    rows = [row for row in history.values() if row.counted]
    return max(rows, key=lambda row: row.month) if rows else None


def _counted_row(
    row: MonthFigures, counts: UsageCounts, previous: MonthFigures | None, as_of: str
) -> MonthFigures:
    """Return ``row`` with this collection's counts, or the last good ones marked stale."""
    links: dict[str, int | None] = {}
    stale_links = []
    for domain, count in counts.link_counts().items():
        if count is None and previous is not None and domain in previous.links:
            links[domain] = previous.links[domain]
            stale_links.append(domain)
        else:
            links[domain] = count
    if counts.availability is Availability.STALE:
        if previous is None:
            return replace(row, links=links, counts_stale=True, stale_links=tuple(stale_links))
        return replace(
            previous,
            month=row.month,
            links=links,
            counts_stale=True,
            stale_links=tuple(stale_links),
            views=row.views,
            views_state=row.views_state,
            views_as_of=row.views_as_of,
            synthetic=row.synthetic,
        )
    wikis = counts.wikis
    return replace(
        row,
        files=None if counts.files is None else len(counts.files),
        files_used=None if counts.used_files is None else len(counts.used_files),
        pages=None if counts.pages is None else len(counts.pages),
        template_pages=None if counts.template_pages is None else len(counts.template_pages),
        wikis=None if wikis is None else len(wikis),
        links=links,
        counts_as_of=as_of,
        counts_stale=False,
        stale_links=tuple(stale_links),
    )


def update_history(
    history: History,
    counts: UsageCounts,
    views: Mapping[Month, MonthViews] | None,
    *,
    open_month: Month,
    as_of: str,
    synthetic: bool = False,
) -> dict[Month, MonthFigures]:
    """Return the rows this collection changes: the open month's counts, the window's views."""
    changed: dict[Month, MonthFigures] = {}
    current = history.get(open_month, MonthFigures(open_month))
    changed[open_month] = _counted_row(current, counts, latest_counts(history), as_of)
    for month, figure in (views or {}).items():
        row = changed.get(month) or history.get(month) or MonthFigures(month)
        if figure.availability is Availability.STALE:
            row = replace(row, views_state=Availability.STALE.value)
        else:
            row = replace(
                row,
                views=figure.value,
                views_state=figure.availability.value,
                views_as_of=as_of,
                synthetic=synthetic,
            )
        changed[month] = row
    return changed


@dataclass(frozen=True)
class Headline:
    """What the infobox shows: files used, pages using them, views of the last full month."""

    files: int | None
    files_used: int | None
    pages: int | None
    template_pages: int | None
    views: int | None
    views_month: Month
    views_state: str
    counts_stale: bool
    as_of: str | None
    synthetic: bool


def headline(history: History, last_complete: Month) -> Headline | None:
    """Return the headline figures, or None before the first collection."""
    counts = latest_counts(history)
    if counts is None:
        return None
    views = history.get(last_complete, MonthFigures(last_complete))
    return Headline(
        counts.files,
        counts.files_used,
        counts.pages,
        counts.template_pages,
        views.views,
        last_complete,
        views.views_state,
        counts.counts_stale,
        counts.counts_as_of,
        views.synthetic,
    )
