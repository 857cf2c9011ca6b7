"""Render every page the check-and-report pass writes, and write them through the safe-save path.

The outputs are the central status table, the tables by affiliate (each split into parts when
too large, with a note on parts a smaller table no longer needs), the findings data pages the
infobox reads, and the bot's report of problems that need a person. Every page is read at once
before the first save (:meth:`bot.io.safe_save.WriteGuard.prepare`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.io.safe_save import (
    REPORTABLE,
    WriteGuard,
    WriteOutcome,
    WriteStatus,
    save_block,
    save_owned_page,
)
from bot.model import Assessment, Finding, Severity
from bot.render.bot_pages import INTRO, retired_part_note
from bot.render.edit_summary import edit_summary
from bot.render.finding_text import finding_text
from bot.render.findings_json import build_findings_pages, flag_infos, rule_infos
from bot.render.report_page import ReportItem, render_run_report, report_key
from bot.render.tables import TableContext, render_affiliate_pages, render_status_pages
from bot.resources import message_text
from bot.run.usage_outputs import infobox_usage
from bot.state.store import RunOutcome, StoredOutput

if TYPE_CHECKING:
    from bot.run.report import PassContext

STATUS_BLOCK = "status"
AFFILIATE_BLOCK = "affiliates"
REPORT_BLOCK = "report"
_ON_WIKI = frozenset({WriteStatus.SAVED, WriteStatus.CREATED, WriteStatus.UNCHANGED})


@dataclass(frozen=True)
class OutputPlan:
    """What the outputs show: every record's assessment, page findings, and when data changed."""

    assessments: Sequence[Assessment]
    page_findings: Sequence[Finding]
    changed_at: dt.datetime
    #: Why the tables must keep their last content (the circuit breaker), or "".
    frozen_by: str = ""


@dataclass(frozen=True)
class Output:
    """One page (or block of a page) to write."""

    title: str
    block: str | None  # None: a page the bot owns whole
    text: str
    contentmodel: str | None = None


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


def render_outputs(context: PassContext, plan: OutputPlan) -> list[Output]:
    """Return every output page's text (none of the tables while the breaker holds them)."""
    if plan.frozen_by:
        return []
    settings, checklist = context.settings, context.checklist
    changed_at = plan.changed_at
    if changed_at.tzinfo is None:
        changed_at = changed_at.replace(tzinfo=dt.UTC)
    message = message_text()
    labels = {
        flag_id: message(f"partnerbot-checklist-flag-{flag_id}-label")
        for flag_id in checklist.flags
    }
    ctx = TableContext(labels, changed_at, today=context.today)
    limit = settings.outputs.max_page_bytes
    outputs: list[Output] = []
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


def write_outputs(context: PassContext, plan: OutputPlan) -> Written:
    """Render and write every output, then the bot's report; return what happened."""
    settings, store = context.settings, context.store
    previous = store.outputs()
    outputs = render_outputs(context, plan)
    outputs = [*outputs, *_retired_parts(context, previous, outputs)]
    guard = WriteGuard(
        gateway=context.gateway,
        run_page=settings.run.run_page,
        enabled_value=settings.run.enabled_value,
        max_edits=settings.run.max_edits,
        conflict_retries=settings.run.conflict_retries,
        simulate=settings.simulate,
        run_page_max_age=settings.run.run_page_max_age,
    )
    titles = [output.title for output in outputs] + [settings.outputs.report_page]
    enabled = guard.prepare(titles, previous)
    if not enabled and not settings.simulate:
        reason = f"{settings.run.run_page} is not '{settings.run.enabled_value}'"
        return Written((), 0, RunOutcome.DISABLED, reason)
    if not context.gateway.has_right("edit"):
        return Written((), 0, RunOutcome.FAILED, "the bot's account may not edit")
    records = len(plan.assessments)
    errors = sum(a.count(Severity.ERROR) for a in plan.assessments)
    summary = edit_summary(settings.run.edit_summary, {"partnerships": records, "errors": errors})
    for output in outputs:
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
                intro=INTRO,
            )
        _remember(context, outcome)
        if outcome.status is WriteStatus.DISABLED:
            return Written(tuple(guard.outcomes), guard.edits, RunOutcome.DISABLED, outcome.detail)
    _write_report(context, guard, plan, previous)
    return Written(tuple(guard.outcomes), guard.edits)


def _remember(context: PassContext, outcome: WriteOutcome) -> None:
    stored = outcome.stored
    if stored is not None and not context.settings.simulate:
        context.store.save_output(stored)


def _retired_parts(
    context: PassContext,
    previous: dict[tuple[str, str], StoredOutput],
    outputs: Sequence[Output],
) -> list[Output]:
    """Return a short note for table parts a smaller table no longer needs."""
    if not outputs:
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
        retired.append(Output(title, block, retired_part_note(base)))
    return retired


def _write_report(
    context: PassContext,
    guard: WriteGuard,
    plan: OutputPlan,
    previous: dict[tuple[str, str], StoredOutput],
) -> None:
    """Write the problems that need a person; each keeps the day it was first reported."""
    settings, store, today = context.settings, context.store, context.today
    text = message_text()
    items = [
        (finding.page, finding_text(finding, text))
        for finding in plan.page_findings
        if finding.severity is Severity.ERROR
    ]
    if plan.frozen_by:
        items.append((settings.outputs.status_page, f"Tables not updated: {plan.frozen_by}"))
    for outcome in guard.outcomes:
        if outcome.status in REPORTABLE and outcome.status is not WriteStatus.EDIT_LIMIT:
            items.append((outcome.title, f"{outcome.status.value}: {outcome.detail}".strip(": ")))
    known = store.report_since()
    keys = [report_key(page, problem) for page, problem in items]
    since = {key: known.get(key, today) for key in keys}
    report = [
        ReportItem(page, problem, since[key])
        for (page, problem), key in zip(items, keys, strict=True)
    ]
    if not settings.simulate:
        store.set_report_since(since)
    outcome = save_block(
        guard,
        settings.outputs.report_page,
        REPORT_BLOCK,
        render_run_report(report),
        edit_summary("Partnership tracker: problems needing a person", {"problems": len(report)}),
        previous=previous.get((settings.outputs.report_page, REPORT_BLOCK)),
        intro=INTRO,
    )
    _remember(context, outcome)
