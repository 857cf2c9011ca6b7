"""One row of the status tables: the cells of one partnership, in the wiki's language.

Five columns keep the table readable on an 800-pixel screen: the partnership (with the partner,
who leads it and its types underneath), its stage, its checklist score, its problems (errors,
warnings and warning flags) and its next date. A row with errors, or with a review, renewal or
next step overdue, stands out by an icon and a word as well as by its background, so that it
still stands out for screen readers, in print and without colour.

A value outside the infobox's vocabulary is shown as written and marked invalid (the record's
``params`` keep what was written); a record with ``bot = no`` is marked paused. Every value that
comes from an infobox goes through :mod:`bot.render.escape`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.model import (
    CLOSED_STATUSES,
    Assessment,
    LedBy,
    PartnershipRecord,
    Severity,
    Status,
    WikiDate,
)
from bot.render.escape import clean_text, escape_value
from bot.render.labels import led_by_label, stage_label, type_label
from bot.render.links import page_link
from bot.render.messages import Messages

#: Longest shown partnership name, partner, affiliate, flag label and invalid value (characters).
NAME_LIMIT = 120
AFFILIATE_LIMIT = 100
FLAG_LIMIT = 60
VALUE_LIMIT = 60
#: Sort value of a row without a next date (after every real date).
NO_DATE_SORT = "9999-12-31"

#: Checklist rules (config/checklist.toml) whose findings say a date has passed.
REVIEW_OVERDUE = "review-overdue"
RENEWAL_OVERDUE = "agreement-renewal-overdue"
NEXT_STEP_OVERDUE = "next-step-overdue"
OVERDUE_MESSAGES = {
    REVIEW_OVERDUE: "partnerbot-tables-overdue-review",
    RENEWAL_OVERDUE: "partnerbot-tables-overdue-renewal",
    NEXT_STEP_OVERDUE: "partnerbot-tables-overdue-next-step",
}

#: Marks shown before a word, hidden from screen readers (the word says it).
ERROR_MARK = '<span aria-hidden="true">✖</span> '
OVERDUE_MARK = '<span aria-hidden="true">⚠</span> '
FLAG_MARK = '<span aria-hidden="true">⚑</span> '
PAUSED_MARK = '<span aria-hidden="true">‖</span> '
#: Backgrounds of rows with errors and with overdue dates (Codex's error and warning subtle).
ERROR_ROW = 'class="partnerbot-row-error" style="background-color:#fee7e6"'
OVERDUE_ROW = 'class="partnerbot-row-overdue" style="background-color:#fef6e7"'
_INVALID_STYLE = "color:#bf3c2c"
_QUIET_STYLE = "color:#54595d"


@dataclass(frozen=True)
class RowContext:
    """What a row needs besides its assessment."""

    messages: Messages
    flag_labels: Mapping[str, str]
    page_link_prefix: str = ""


def cell(content: str, sort_value: str = "") -> str:
    """Return one table cell (with a sort value when given), as a line of wikitext."""
    if sort_value:
        return f'| data-sort-value="{sort_value}" | {content}'.rstrip() + "\n"
    return f"| {content}".rstrip() + "\n"


def stage_order(status: Status | None) -> int:
    """Return the position of ``status`` in the lifecycle; missing or invalid stages come last."""
    return list(Status).index(status) if status is not None else len(Status)


def overdue_rules(assessment: Assessment) -> list[str]:
    """Return the overdue rules ``assessment`` fails, in a fixed order."""
    failed = {finding.rule for finding in assessment.findings}
    return [rule for rule in OVERDUE_MESSAGES if rule in failed]


def _invalid(messages: Messages, written: str) -> str:
    shown = messages.text("partnerbot-tables-invalid", escape_value(written, VALUE_LIMIT))
    return f'<span class="partnerbot-invalid" style="{_INVALID_STYLE}">{shown}</span>'


def _quiet(text: str) -> str:
    return f'<span style="{_QUIET_STYLE}">{text}</span>'


def _has_problem(record: PartnershipRecord, field: str) -> bool:
    return any(problem.field == field for problem in record.problems)


def _enum_key(text: str) -> str:
    """Return ``text`` as vocabulary values are compared (as the parser does)."""
    return re.sub(r"[\s_-]+", "", text.casefold())


def partnership_cell(record: PartnershipRecord, ctx: RowContext, *, with_lead: bool) -> str:
    """Return the first cell: the linked name; under it the partner and lead, then the types."""
    messages = ctx.messages
    content = page_link(
        record.page, record.display_name, prefix=ctx.page_link_prefix, limit=NAME_LIMIT
    )
    if record.index > 0:
        number = messages.text("partnerbot-tables-infobox-number", record.index + 1)
        content += f" <small>{number}</small>"
    details = []
    if clean_text(record.partner) and clean_text(record.partner) != clean_text(record.name):
        details.append(escape_value(record.partner, NAME_LIMIT))
    if with_lead and (lead := _lead(record, messages)):
        details.append(lead)
    if details:
        content += "<br /><small>" + " · ".join(details) + "</small>"
    if types := _types(record, messages):
        content += f'<br /><small style="{_QUIET_STYLE}">{types}</small>'
    return cell(content)


def _lead(record: PartnershipRecord, messages: Messages) -> str:
    named = escape_value(record.affiliate, AFFILIATE_LIMIT)
    if named:
        return named
    if record.led_by is not None:
        if record.led_by is LedBy.AFFILIATE:
            return messages.text("partnerbot-tables-lead-unnamed")
        return led_by_label(messages, record.led_by)
    if _has_problem(record, "led_by") and record.raw("led_by"):
        return _invalid(messages, record.raw("led_by"))
    return ""


def _types(record: PartnershipRecord, messages: Messages) -> str:
    """Return the partnership's types by label, then any type the vocabulary does not know."""
    shown = [type_label(messages, kind) for kind in dict.fromkeys(record.types)]
    if _has_problem(record, "type"):
        known = {_enum_key(kind.value) for kind in record.types}
        written = [item for item in record.raw("type").split(",") if clean_text(item)]
        shown += [_invalid(messages, item) for item in written if _enum_key(item) not in known]
    return ", ".join(shown)


def stage_cell(record: PartnershipRecord, messages: Messages) -> str:
    """Return the stage, sortable in lifecycle order; invalid or missing stages say so."""
    if record.status is not None:
        content = stage_label(messages, record.status)
    elif record.raw("status"):
        content = _invalid(messages, record.raw("status"))
    else:
        content = _quiet(messages.text("partnerbot-tables-not-given"))
    if not record.bot:
        paused = messages.text("partnerbot-tables-paused")
        content += f"<br /><small>{PAUSED_MARK}{paused}</small>"
    return cell(content, str(stage_order(record.status)))


def score_cell(assessment: Assessment) -> str:
    """Return the checklist score ("14/16"), sorted by its proportion."""
    passed, applicable = max(assessment.score.passed, 0), assessment.score.applicable
    if applicable <= 0:
        return cell(str(assessment.score), "-1")
    ratio = (passed * 20_000 + applicable) // (2 * applicable)  # ten-thousandths, half up
    return cell(str(assessment.score), f"{ratio // 10_000}.{ratio % 10_000:04d}")


def flag_texts(record: PartnershipRecord, flag_labels: Mapping[str, str]) -> list[str]:
    """Return the escaped labels of the flags raised in ``record`` (unknown ids as written)."""
    flags = (escape_value(flag_labels.get(f, f), FLAG_LIMIT) for f in dict.fromkeys(record.flags))
    return [flag for flag in flags if flag]


def problems_cell(assessment: Assessment, ctx: RowContext) -> str:
    """Return the errors, warnings and flags, sorted by errors then warnings."""
    messages = ctx.messages
    errors, warnings = assessment.count(Severity.ERROR), assessment.count(Severity.WARNING)
    lines = []
    if errors:
        lines.append(f"{ERROR_MARK}'''{messages.text('partnerbot-tables-errors', errors)}'''")
    if warnings:
        lines.append(messages.text("partnerbot-tables-warnings", warnings))
    flags = flag_texts(assessment.record, ctx.flag_labels)
    if flags:
        lines.append(f"<small>{FLAG_MARK}{', '.join(flags)}</small>")
    content = "<br />".join(lines) or _quiet(messages.text("partnerbot-tables-no-problems"))
    return cell(content, str(errors * 10_000 + min(warnings, 9_999)))


def _next_date(record: PartnershipRecord) -> tuple[WikiDate, str] | None:
    candidates = [
        (date.first_day(), order, date, label)
        for order, (date, label) in enumerate(
            (
                (record.next_review, "partnerbot-tables-date-review"),
                (record.next_step_date, "partnerbot-tables-date-next-step"),
            )
        )
        if date is not None
    ]
    if not candidates:
        return None
    _first, _order, date, label = min(candidates)
    return date, label


def next_date_cell(assessment: Assessment, messages: Messages) -> str:
    """Return the earlier of the next review and the next step, and what is overdue."""
    record = assessment.record
    lines = []
    sort_value = NO_DATE_SORT
    upcoming = _next_date(record)
    if record.status not in CLOSED_STATUSES:
        if upcoming is not None:
            date, label = upcoming
            lines.append(f'<span style="white-space:nowrap">{date}</span>')
            lines.append(f"<small>{messages.text(label)}</small>")
            sort_value = date.first_day().isoformat()
        else:
            for field in ("next_review", "next_step_date"):
                if _has_problem(record, field) and record.raw(field):
                    lines.append(_invalid(messages, record.raw(field)))
    for rule in overdue_rules(assessment):
        lines.append(f"{OVERDUE_MARK}'''{messages.text(OVERDUE_MESSAGES[rule])}'''")
    return cell("<br />".join(lines), sort_value)


def row_attributes(assessment: Assessment) -> str:
    """Return the attributes of a row that must stand out ("" for the others)."""
    if assessment.count(Severity.ERROR):
        return ERROR_ROW
    if overdue_rules(assessment):
        return OVERDUE_ROW
    return ""


def row_text(assessment: Assessment, ctx: RowContext, *, with_lead: bool) -> str:
    """Return one row of a status table: ``|-`` (with its attributes) and one line per cell."""
    record = assessment.record
    cells: Sequence[str] = (
        partnership_cell(record, ctx, with_lead=with_lead),
        stage_cell(record, ctx.messages),
        score_cell(assessment),
        problems_cell(assessment, ctx),
        next_date_cell(assessment, ctx.messages),
    )
    attributes = row_attributes(assessment)
    head = f"|- {attributes}\n" if attributes else "|-\n"
    return head + "".join(cells)
