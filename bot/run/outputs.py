"""Render every page the check-and-report pass writes, and write them through the safe-save path.

The outputs are the method page (every checklist rule and warning flag), the central status
page, the tables by affiliate (each split into parts when too large, with a note on parts a
smaller table no longer needs), the findings data pages the infobox reads, and the bot's report
(:mod:`bot.run.bot_report`). Every text is in the wiki's language (``[wiki] language``). Every
page is read at once before the first save (:meth:`bot.io.safe_save.WriteGuard.prepare`).

A table page whose block is frozen says so in its notes block (:mod:`bot.run.page_notes`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.io.safe_save import (
    REPORTABLE,
    WriteGuard,
    WriteOutcome,
    WriteStatus,
    save_block,
    save_owned_page,
)
from bot.model import Severity
from bot.pages.breaker import BreakerTrip
from bot.render.bot_pages import (
    NO_EDIT_SECTION,
    NOTES_BLOCK,
    breaker_note,
    page_intro,
    retired_part_note,
)
from bot.render.edit_summary import edit_summary, message_summary
from bot.render.findings_json import build_findings_pages, flag_infos, rule_infos
from bot.render.messages import Messages
from bot.render.method_page import render_method_page
from bot.render.tables import (
    PageLinks,
    TableContext,
    render_affiliate_pages,
    render_status_pages,
)
from bot.run.bot_report import write_report
from bot.run.page_notes import note_after, write_note
from bot.run.pass_context import OutputPlan, PassContext
from bot.run.saving import make_guard, pass_messages, remember
from bot.run.usage_outputs import infobox_usage
from bot.state.store import RunOutcome, StoredOutput

STATUS_BLOCK = "status"
AFFILIATE_BLOCK = "affiliates"
METHOD_BLOCK = "method"
_ON_WIKI = frozenset({WriteStatus.SAVED, WriteStatus.CREATED, WriteStatus.UNCHANGED})


@dataclass(frozen=True)
class Output:
    """One page (or block of a page) to write."""

    title: str
    block: str | None  # None: a page the bot owns whole
    text: str
    contentmodel: str | None = None
    summary: str = ""  # the edit summary ("" for the pass's table summary)


@dataclass(frozen=True)
class Written:
    """What writing the outputs did."""

    outcomes: tuple[WriteOutcome, ...]
    edits: int
    outcome: RunOutcome = RunOutcome.OK
    reason: str = ""

    @property
    def all_on_wiki(self) -> bool:
        """Return whether every output's content is on the wiki now."""
        return self.outcome is RunOutcome.OK and all(o.status in _ON_WIKI for o in self.outcomes)

    @property
    def findings_on_wiki(self) -> bool:
        """Return whether the findings data pages hold what this run computed."""
        data = [o for o in self.outcomes if o.block == "(page)"]
        return bool(data) and all(o.status in _ON_WIKI for o in data)

    @property
    def unchanged(self) -> int:
        """Return how many outputs needed no edit."""
        return sum(o.status is WriteStatus.UNCHANGED for o in self.outcomes)

    @property
    def skipped(self) -> int:
        """Return how many outputs were left as they are for a person to look at."""
        return sum(o.status in REPORTABLE for o in self.outcomes)

    @property
    def outputs(self) -> tuple[dict[str, str], ...]:
        """Return every outcome as plain data."""
        return tuple(o.as_dict() for o in self.outcomes)

    @property
    def diffs(self) -> tuple[str, ...]:
        """Return the diffs of simulated edits."""
        return tuple(o.diff for o in self.outcomes if o.diff)


def page_links(context: PassContext) -> PageLinks:
    """Return the bot's pages, as the tables link them."""
    outputs = context.settings.outputs
    return PageLinks(
        status=outputs.status_page,
        affiliates=outputs.affiliate_page_prefix,
        method=outputs.method_page,
        report=outputs.report_page,
    )


def render_outputs(context: PassContext, plan: OutputPlan, messages: Messages) -> list[Output]:
    """Return every output page's text (none of the tables while the breaker holds them)."""
    settings, checklist = context.settings, context.checklist
    method = render_method_page(checklist, messages)
    summary = message_summary(
        messages, "partnerbot-report-summary-method", len(checklist.rules), len(checklist.flags)
    )
    title = settings.outputs.method_page
    outputs = [Output(title, METHOD_BLOCK, f"{NO_EDIT_SECTION}\n{method}", summary=summary)]
    if plan.frozen_by:
        return outputs
    changed_at = plan.changed_at
    if changed_at.tzinfo is None:
        changed_at = changed_at.replace(tzinfo=dt.UTC)
    labels = {
        flag_id: messages.text(f"partnerbot-checklist-flag-{flag_id}-label")
        for flag_id in checklist.flags
    }
    ctx = TableContext(labels, changed_at, messages=messages, links=page_links(context))
    limit = settings.outputs.max_page_bytes
    status = settings.outputs.status_page
    tables = render_status_pages(plan.assessments, ctx, base_title=status, max_bytes=limit)
    outputs.extend(Output(status + suffix, STATUS_BLOCK, text) for suffix, text in tables.items())
    affiliates = settings.outputs.affiliate_page_prefix
    for suffix, text in render_affiliate_pages(
        plan.assessments, ctx, base_title=affiliates, max_bytes=limit
    ).items():
        outputs.append(Output(affiliates + suffix, AFFILIATE_BLOCK, text))
    data_pages = build_findings_pages(
        settings.outputs.findings_page,
        plan.assessments,
        rule_infos(checklist.rules),
        flag_infos(checklist.flags.values()),
        updated=changed_at.isoformat(),
        max_bytes=settings.outputs.findings_max_bytes,
        page_findings=plan.page_findings,
        usage=infobox_usage(context.store, settings, context.today),
    )
    outputs.extend(Output(title, None, text, "json") for title, text in data_pages.items())
    return outputs


def _tables_summary(context: PassContext, plan: OutputPlan, messages: Messages) -> str:
    records = len(plan.assessments)
    errors = sum(1 for a in plan.assessments if a.count(Severity.ERROR))
    configured = context.settings.run.edit_summary
    if configured:
        return edit_summary(configured, {"partnerships": records, "errors": errors})
    return message_summary(messages, "partnerbot-report-summary-tables", records, errors)


def write_outputs(context: PassContext, plan: OutputPlan) -> Written:
    """Render and write every output, then the bot's report; return what happened."""
    settings, store = context.settings, context.store
    messages = pass_messages(context)
    previous = store.outputs()
    outputs = render_outputs(context, plan, messages)
    outputs = [*outputs, *_retired_parts(context, previous, outputs, messages)]
    guard = make_guard(context)
    titles = [output.title for output in outputs] + [settings.outputs.report_page]
    enabled = guard.prepare(titles, previous)
    if not enabled and not settings.simulate:
        reason = f"{settings.run.run_page} is not '{settings.run.enabled_value}'"
        return Written((), 0, RunOutcome.DISABLED, reason)
    if not context.gateway.has_right("edit"):
        return Written((), 0, RunOutcome.FAILED, "the bot's account may not edit")
    tables_summary = _tables_summary(context, plan, messages)
    note_summary = message_summary(messages, "partnerbot-report-summary-note")
    intro = page_intro(messages, NOTES_BLOCK)
    for output in outputs:
        summary = output.summary or tables_summary
        key = (output.title, output.block or "(page)")
        if output.block is None:
            outcome = save_owned_page(
                guard,
                output.title,
                output.text,
                summary,
                previous=previous.get(key),
                contentmodel=output.contentmodel,
            )
        else:
            outcome = save_block(
                guard,
                output.title,
                output.block,
                output.text,
                summary,
                previous=previous.get(key),
                intro=intro,
            )
        remember(context, outcome)
        if outcome.status is WriteStatus.DISABLED:
            return Written(tuple(guard.outcomes), guard.edits, RunOutcome.DISABLED, outcome.detail)
        note = note_after(outcome, messages, settings.outputs.report_page)
        if output.block is not None and note is not None:
            created = outcome if outcome.status is WriteStatus.CREATED else None
            write_note(context, guard, title=output.title, note=note, created=created,
                       previous=previous, summary=note_summary)  # fmt: skip
    if plan.breaker is not None:
        _breaker_notes(context, guard, plan.breaker, previous=previous, messages=messages,
                       summary=note_summary)  # fmt: skip
    write_report(context, guard, plan, previous, messages)
    return Written(tuple(guard.outcomes), guard.edits)


def _breaker_notes(
    context: PassContext,
    guard: WriteGuard,
    trip: BreakerTrip,
    *,
    previous: Mapping[tuple[str, str], StoredOutput],
    messages: Messages,
    summary: str,
) -> None:
    """Say on the table pages that the circuit breaker holds them."""
    outputs = context.settings.outputs
    note = breaker_note(messages, trip.previous, trip.current, outputs.report_page)
    for title in (outputs.status_page, outputs.affiliate_page_prefix):
        write_note(context, guard, title=title, note=note, created=None, previous=previous,
                   summary=summary)  # fmt: skip


def _retired_parts(
    context: PassContext,
    previous: Mapping[tuple[str, str], StoredOutput],
    outputs: Sequence[Output],
    messages: Messages,
) -> list[Output]:
    """Return a short note for table parts a smaller table no longer needs."""
    if not any(output.block in (STATUS_BLOCK, AFFILIATE_BLOCK) for output in outputs):
        return []
    current = {output.title for output in outputs}
    bases = {
        STATUS_BLOCK: context.settings.outputs.status_page,
        AFFILIATE_BLOCK: context.settings.outputs.affiliate_page_prefix,
    }
    retired = []
    for title, block in sorted(previous):
        base = bases.get(block)
        if base is None or title in current or not title.startswith(f"{base}/"):
            continue
        retired.append(Output(title, block, retired_part_note(messages, base)))
    return retired
