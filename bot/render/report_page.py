"""The bot's report page: the problems it could not solve itself, each since the day it was seen.

Rows are sorted by page, problem and date, identical items appear once, and every value is
escaped (:mod:`bot.render.escape`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from bot.render.escape import escape_value
from bot.render.links import page_link
from bot.render.tables import NAME_LIMIT, PROBLEM_LIMIT, cell


@dataclass(frozen=True)
class ReportItem:
    """One problem the bot could not fix itself, for the on-wiki run report."""

    page: str
    problem: str
    since: dt.date


def report_key(page: str, problem: str) -> str:
    """Return the key under which a problem keeps the day it was first reported."""
    return hashlib.sha256(f"{page}\n{problem}".encode()).hexdigest()[:16]


def render_run_report(items: Sequence[ReportItem], *, page_link_prefix: str = "") -> str:
    """Return the bot's report of pages it skipped or could not handle, as a sortable table.

    Rows are sorted by page, problem and date; identical items appear once.
    """
    unique = sorted(set(items), key=lambda item: (item.page, item.problem, item.since))
    if not unique:
        return "No problems to report.\n"
    lines = [
        '{| class="wikitable sortable"\n! Page\n! Problem\n! data-sort-type="isoDate" | Since\n'
    ]
    for item in unique:
        link = page_link(item.page, item.page, prefix=page_link_prefix, limit=NAME_LIMIT)
        problem = escape_value(item.problem, PROBLEM_LIMIT)
        lines.append(f"|-\n{cell(link)}{cell(problem)}{cell(item.since.isoformat())}")
    return "".join([*lines, "|}\n"])
