"""The usage figures as data: ``stats --json``, a CSV file, and a Commons tabular data file.

- :func:`stats_json` is the list DESIGN.md fixes, one object per partnership: ``{"page",
  "index", "category", "depth", "files", "files_used", "pages_using", "wikis", "views":
  {"YYYY-MM": int | null}, "links": {"domain": int | null}, "as_of"}``. A figure without data
  is null, never 0.
- :func:`stats_rows` gives one row per partnership (and ``*`` for all together) and month,
  with the state of each figure; :func:`stats_csv` writes them as CSV and :func:`stats_tab` as
  the JSON of a Commons ``Data:....tab`` page (schema with field names, types and titles,
  licence, description, sources, data rows).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.io.usage_sources import Month
from bot.usage.history import History, MonthFigures, latest_counts
from bot.usage.subjects import TOTAL_KEY, UsageSubject

#: The tabular data file's licence (figures about public pages: public domain dedication).
TAB_LICENSE = "CC0-1.0"
#: Columns of the CSV file and the .tab file: name, .tab type, title.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("page", "string", "Partnership page (* for all partnerships)"),
    ("index", "number", "Infobox on the page (0 for the first)"),
    ("name", "string", "Partnership"),
    ("category", "string", "Commons category"),
    ("depth", "number", "Subcategory levels counted"),
    ("month", "string", "Month (YYYY-MM)"),
    ("files", "number", "Files"),
    ("files_used", "number", "Files used"),
    ("pages_using", "number", "Pages using the files"),
    ("template_pages", "number", "Pages with the files only through a template"),
    ("wikis", "number", "Wikis"),
    ("views", "number", "Views of the pages using the files"),
    ("views_state", "string", "State of the views figure"),
    ("links", "string", "Links per domain (domain=count; ...)"),
    ("counts_as_of", "string", "When the counts were obtained"),
    ("counts_stale", "boolean", "Counts older than the last collection"),
    ("synthetic", "boolean", "Synthetic figures (local stand-in)"),
)


def _bare(category: str) -> str | None:
    return category.removeprefix("Category:") or None


def stats_json(
    subjects: Sequence[UsageSubject], histories: Mapping[str, History], window: Sequence[Month]
) -> list[dict[str, Any]]:
    """Return the ``stats --json`` list (see the module docstring)."""
    result = []
    for subject in subjects:
        history = histories.get(subject.key, {})
        row = latest_counts(history)
        views: dict[str, int | None] = {}
        for month in window:
            figures = history.get(month)
            views[str(month)] = figures.views if figures is not None else None
        result.append(
            {
                "page": subject.page,
                "index": subject.index,
                "category": _bare(subject.category),
                "depth": subject.depth,
                "files": row.files if row else None,
                "files_used": row.files_used if row else None,
                "pages_using": row.pages if row else None,
                "wikis": row.wikis if row else None,
                "views": views,
                "links": {
                    domain: (row.links.get(domain) if row else None) for domain in subject.domains
                },
                "as_of": row.counts_as_of if row else None,
            }
        )
    return result


def _links_text(row: MonthFigures | None) -> str | None:
    if row is None or not row.links:
        return None
    return "; ".join(
        f"{domain}={'' if count is None else count}" for domain, count in sorted(row.links.items())
    )


def stats_rows(
    subjects: Sequence[UsageSubject],
    histories: Mapping[str, History],
    months: Sequence[Month],
    total_label: str,
) -> list[list[object]]:
    """Return one row per partnership (then the totals) and month, in :data:`COLUMNS` order."""
    rows: list[list[object]] = []
    everyone = UsageSubject(TOTAL_KEY, TOTAL_KEY, 0, total_label)
    for subject in (*subjects, everyone):
        history = histories.get(subject.key, {})
        for month in months:
            row = history.get(month)
            counted = row if row is not None and row.counted else None
            rows.append(
                [
                    subject.page,
                    subject.index,
                    subject.name,
                    _bare(subject.category),
                    subject.depth if subject.category else None,
                    str(month),
                    counted.files if counted else None,
                    counted.files_used if counted else None,
                    counted.pages if counted else None,
                    counted.template_pages if counted else None,
                    counted.wikis if counted else None,
                    row.views if row else None,
                    (row.views_state or None) if row else None,
                    _links_text(counted),
                    counted.counts_as_of if counted else None,
                    counted.counts_stale if counted else None,
                    row.synthetic if row else None,
                ]
            )
    return rows


class _Lines:
    """Collects what ``csv.writer`` writes."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)


def stats_csv(rows: Sequence[Sequence[object]]) -> str:
    """Return ``rows`` as CSV with a header line (empty cells for "no data")."""
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\n")
    writer.writerow([name for name, _type, _title in COLUMNS])
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return "".join(lines.parts)


def stats_tab(rows: Sequence[Sequence[object]], description: str, sources: str) -> str:
    """Return ``rows`` as a Commons tabular data page (``Data:....tab``), as JSON text."""
    data = {
        "license": TAB_LICENSE,
        "description": {"en": description},
        "sources": sources,
        "schema": {
            "fields": [
                {"name": name, "type": kind, "title": {"en": title}}
                for name, kind, title in COLUMNS
            ]
        },
        "data": [list(row) for row in rows],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
