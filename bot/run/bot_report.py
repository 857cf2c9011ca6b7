"""The bot's report page: written at the end of every pass that renders, refreshed once a day.

A pass that renders the outputs writes the report block: the health line (the day of this
successful run and its figures) and the problems that need a person, each with the day it was
first reported. It remembers the figures and the problems part in the store.

A pass with nothing to render (the fast path of :mod:`bot.run.report`) calls
:func:`refresh_report`: it renders the health line for today from the remembered figures and
compares it with what the bot last saved, without a request. Only when the day has changed does
it read the report page and save the block: at most one edit a day while nothing else changes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.io.safe_save import REPORTABLE, WriteGuard, WriteOutcome, WriteStatus, save_block
from bot.model import Finding, Severity
from bot.pages.plan import content_digest
from bot.render.bot_pages import NOTES_BLOCK, page_intro
from bot.render.edit_summary import message_summary
from bot.render.finding_text import finding_line
from bot.render.messages import Messages
from bot.render.report_page import (
    HealthFigures,
    ReportItem,
    render_health,
    render_run_report,
    report_block,
    report_key,
    status_problem,
)
from bot.run.pass_context import OutputPlan, PassContext
from bot.run.saving import make_guard, pass_messages, remember
from bot.state.store import StoredOutput, StoredReport

log = logging.getLogger(__name__)

REPORT_BLOCK = "report"
#: Markers shown in the report's advice; the colon is an entity so the text is not a marker.
_NOTES_BEGIN = f"&lt;!-- partnerbot&#58;begin {NOTES_BLOCK} --&gt;"
_NOTES_END = f"&lt;!-- partnerbot&#58;end {NOTES_BLOCK} --&gt;"


def report_problems(
    context: PassContext,
    outcomes: list[WriteOutcome],
    plan: OutputPlan,
    messages: Messages,
) -> list[tuple[str, str, str]]:
    """Return ``(page, what, problem)`` for each problem that needs a person.

    ``what`` names the problem in words that do not depend on the language (for its first day).
    """
    method_page = context.settings.outputs.method_page
    items = [
        (finding.page, _finding_key(finding), finding_line(finding, messages, method_page))
        for finding in plan.page_findings
        if finding.severity is Severity.ERROR
    ]
    if plan.breaker is not None:
        problem = messages.text(
            "partnerbot-report-problem-breaker", plan.breaker.previous, plan.breaker.current
        )
        items.append((context.settings.outputs.status_page, "breaker", problem))
    for outcome in outcomes:
        if outcome.status not in REPORTABLE or outcome.status is WriteStatus.EDIT_LIMIT:
            continue
        if outcome.block == NOTES_BLOCK and outcome.status is WriteStatus.MARKERS_DAMAGED:
            problem = messages.text("partnerbot-report-problem-no-notes-block", _NOTES_BEGIN,
                                    _NOTES_END)  # fmt: skip
        else:
            problem = status_problem(messages, outcome.status)
        items.append((outcome.title, f"write\n{outcome.block}\n{outcome.status.name}", problem))
    return items


def _finding_key(finding: Finding) -> str:
    return f"finding\n{finding.rule}\n{finding.field}\n{finding.reason}\n{finding.params}"


def write_report(
    context: PassContext,
    guard: WriteGuard,
    plan: OutputPlan,
    previous: Mapping[tuple[str, str], StoredOutput],
    messages: Messages,
) -> None:
    """Write the report block: today's health line, then the problems needing a person."""
    settings, store, today = context.settings, context.store, context.today
    items = report_problems(context, list(guard.outcomes), plan, messages)
    known = store.report_since()
    keys = [report_key(page, what) for page, what, _problem in items]
    since = {key: known.get(key, today) for key in keys}
    report = [
        ReportItem(page, problem, since[key])
        for (page, _what, problem), key in zip(items, keys, strict=True)
    ]
    problems = render_run_report(report, messages)
    assessments = plan.assessments
    figures = HealthFigures(
        pages=plan.pages,
        partnerships=len(assessments),
        with_errors=sum(1 for a in assessments if a.count(Severity.ERROR)),
        with_warnings=sum(1 for a in assessments if a.count(Severity.WARNING)),
        problems=len(set(report)),
    )
    if not settings.simulate:
        store.set_report_since(since)
        store.set_last_report(StoredReport(_figures_data(figures), problems))
    summary = message_summary(messages, "partnerbot-report-summary-report", figures.problems)
    _save_report(context, guard, figures=figures, problems=problems, previous=previous,
                 messages=messages, summary=summary)  # fmt: skip


def refresh_report(context: PassContext) -> tuple[WriteOutcome, ...]:
    """Refresh the report's health line when the day has changed; return what was done.

    Costs nothing while the saved report is today's; otherwise one reading and one edit.
    """
    stored = context.store.last_report()
    if stored is None:
        return ()
    figures = _figures(stored.figures)
    if figures is None:
        return ()
    messages = pass_messages(context)
    title = context.settings.outputs.report_page
    previous = context.store.outputs()
    content = _content(context, figures, stored.problems, messages)
    saved = previous.get((title, REPORT_BLOCK))
    if saved is not None and saved.digest == content_digest(content):
        return ()
    guard = make_guard(context)
    if not guard.prepare([title], previous) and not context.settings.simulate:
        log.info("the run page does not allow edits: the report's health line is not refreshed")
        return ()
    summary = message_summary(messages, "partnerbot-report-summary-health")
    _save_report(context, guard, figures=figures, problems=stored.problems, previous=previous,
                 messages=messages, summary=summary)  # fmt: skip
    return tuple(guard.outcomes)


def _content(
    context: PassContext, figures: HealthFigures, problems: str, messages: Messages
) -> str:
    health = render_health(
        figures, messages, day=context.today, run_page=context.settings.run.run_page
    )
    return report_block(health, problems)


def _save_report(
    context: PassContext,
    guard: WriteGuard,
    *,
    figures: HealthFigures,
    problems: str,
    previous: Mapping[tuple[str, str], StoredOutput],
    messages: Messages,
    summary: str,
) -> None:
    title = context.settings.outputs.report_page
    outcome = save_block(
        guard,
        title,
        REPORT_BLOCK,
        _content(context, figures, problems, messages),
        summary,
        previous=previous.get((title, REPORT_BLOCK)),
        intro=page_intro(messages),
    )
    remember(context, outcome)


def _figures_data(figures: HealthFigures) -> dict[str, int]:
    return {
        "pages": figures.pages,
        "partnerships": figures.partnerships,
        "with_errors": figures.with_errors,
        "with_warnings": figures.with_warnings,
        "problems": figures.problems,
    }


def _figures(data: Mapping[str, int]) -> HealthFigures | None:
    try:
        return HealthFigures(**data)
    except TypeError:  # figures of an older version: wait for the next full pass
        return None
