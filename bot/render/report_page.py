"""The bot's report page: whether the bot is alive, and the problems it could not solve itself.

The report block opens with the bot's health: on which day the bot last ran successfully, with
that run's figures; the wiki itself compares that day with today whenever the page is shown
(``{{#ifexpr:}}`` with ``{{CURRENTDAY2}}``, which also keeps the page out of the parser cache for
more than an hour), so a dead bot shows as stopped without any edit. Only the day is written,
so the bot refreshes the block at most once a day when nothing else changes. The line inside
``<onlyinclude>`` is what the status page transcludes.

Then it lists each problem with the day it was first seen; rows are sorted by page,
problem and date, identical items appear once, and every value is escaped
(:mod:`bot.render.escape`). Problem texts are wikitext composed from the bundles by the caller.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from bot.pages.plan import WriteStatus
from bot.render.bot_pages import NO_EDIT_SECTION
from bot.render.links import page_link
from bot.render.messages import Messages
from bot.render.status_rows import NAME_LIMIT, cell

#: What a page the bot could not write says in the report, by the reason it was left alone.
STATUS_PROBLEMS = {
    WriteStatus.MARKERS_DAMAGED: "partnerbot-report-problem-markers-damaged",
    WriteStatus.HUMAN_EDIT: "partnerbot-report-problem-human-edit",
    WriteStatus.BOTS_DENIED: "partnerbot-report-problem-bots-denied",
    WriteStatus.PROTECTED: "partnerbot-report-problem-protected",
    WriteStatus.DELETED: "partnerbot-report-problem-deleted",
    WriteStatus.CREATED_MEANWHILE: "partnerbot-report-problem-created-meanwhile",
    WriteStatus.CONFLICT: "partnerbot-report-problem-conflict",
    WriteStatus.EDIT_LIMIT: "partnerbot-report-problem-edit-limit",
    WriteStatus.REDIRECT: "partnerbot-report-problem-redirect",
    WriteStatus.FAILED: "partnerbot-report-problem-failed",
}
_RUNNING_STYLE = "border-left:4px solid #14866d;padding:0.2em 0.6em;background:#d5fdf4"
_STOPPED_STYLE = "border-left:4px solid #d73333;padding:0.2em 0.6em;background:#fee7e6"


@dataclass(frozen=True)
class ReportItem:
    """One problem the bot could not fix itself: where, what (wikitext), since when."""

    page: str
    problem: str
    since: dt.date


@dataclass(frozen=True)
class HealthFigures:
    """The figures of the last successful run, as the health block shows them."""

    pages: int
    partnerships: int
    with_errors: int
    with_warnings: int
    problems: int


def report_key(page: str, what: str) -> str:
    """Return the key under which a problem keeps the day it was first reported.

    ``what`` identifies the problem in words that do not depend on the language (a rule id, a
    write status), so that a problem keeps its day when the wiki's language changes.
    """
    return hashlib.sha256(f"{page}\n{what}".encode()).hexdigest()[:16]


def render_run_report(
    items: Sequence[ReportItem], messages: Messages, *, page_link_prefix: str = ""
) -> str:
    """Return the problems part of the report: a sortable table of the pages left alone."""
    heading = messages.text("partnerbot-report-heading")
    unique = sorted(set(items), key=lambda item: (item.page, item.problem, item.since))
    if not unique:
        return f"== {heading} ==\n{messages.text('partnerbot-report-none')}\n"
    lines = [f"== {heading} ==", messages.text("partnerbot-report-explanation")]
    names = [
        messages.text(key)
        for key in (
            "partnerbot-report-column-page",
            "partnerbot-report-column-problem",
            "partnerbot-report-column-since",
        )
    ]
    lines.append(
        f'{{| class="wikitable sortable partnerbot-report"\n! {names[0]}\n! {names[1]}\n'
        f'! data-sort-type="isoDate" | {names[2]}'
    )
    text = "\n".join(lines) + "\n"
    for item in unique:
        link = page_link(item.page, item.page, prefix=page_link_prefix, limit=NAME_LIMIT)
        text += f"|-\n{cell(link)}{cell(item.problem)}{cell(item.since.isoformat())}"
    return text + "|}\n"


def render_health(
    figures: HealthFigures, messages: Messages, *, day: dt.date, run_page: str
) -> str:
    """Return the health block for a successful run on ``day``.

    The wiki shows the bot as stopped once the day after ``day`` has passed (UTC): the bot
    refreshes the block on its first successful run of each day.
    """
    written = messages.date(day)
    running = messages.text("partnerbot-report-health-running", written)
    stopped = messages.text("partnerbot-report-health-stopped", written, run_page)
    deadline = (day + dt.timedelta(days=1)).strftime("%Y%m%d")
    today = "{{CURRENTYEAR}}{{CURRENTMONTH}}{{CURRENTDAY2}}"
    line = (
        f"{{{{#ifexpr: {today} > {deadline}\n"
        f' | <div class="partnerbot-health partnerbot-health-stopped" style="{_STOPPED_STYLE}">'
        f"{stopped}</div>\n"
        f' | <div class="partnerbot-health partnerbot-health-running" style="{_RUNNING_STYLE}">'
        f"{running}</div>\n}}}}"
    )
    found = messages.text(
        "partnerbot-report-health-figures",
        figures.pages,
        figures.partnerships,
        figures.with_errors,
        figures.with_warnings,
        figures.problems,
    )
    how = messages.text("partnerbot-report-health-how")
    return f"<onlyinclude>{line}</onlyinclude>\n{found} {how}\n"


def report_block(health: str, problems: str) -> str:
    """Return the content of the report block: the health line, then the problems."""
    return f"{NO_EDIT_SECTION}\n{health}\n{problems}"


def status_problem(messages: Messages, status: WriteStatus) -> str:
    """Return what the report says about a page the bot left alone for ``status``."""
    return messages.text(STATUS_PROBLEMS.get(status, "partnerbot-report-problem-failed"))
