"""What sits above the status tables: counts, what needs attention now, and the legend.

The status page opens with the number of partnerships, how many have errors, are overdue or are
paused, the counts by stage (grouped into preparation, running and ended), and a short list of
what needs attention now: errors, overdue reviews and renewals, stale next steps and raised
warning flags, each naming and linking the partnership. Each table by affiliate gets one summary
line. The legend is a collapsed box. Every text comes from ``i18n/tables/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.model import (
    CLOSED_STATUSES,
    EARLY_STATUSES,
    LIVE_STATUSES,
    Assessment,
    PartnershipRecord,
    Severity,
    Status,
    WikiDate,
)
from bot.render.escape import clean_text
from bot.render.finding_text import rule_link
from bot.render.labels import stage_label
from bot.render.links import page_link
from bot.render.messages import Messages
from bot.render.status_rows import (
    ERROR_MARK,
    FLAG_MARK,
    NAME_LIMIT,
    NEXT_STEP_OVERDUE,
    OVERDUE_MARK,
    RENEWAL_OVERDUE,
    REVIEW_OVERDUE,
    RowContext,
    flag_texts,
    overdue_rules,
)

#: Checklist rules (config/checklist.toml) that make the attention list.
FOLLOW_UP_STALE = "follow-up-stale"
WARNING_FLAG = "warning-flag"
#: Partnerships named per line of the attention list; the rest are counted.
ATTENTION_LIMIT = 6
SEPARATOR = " · "
_PHASES = (
    ("partnerbot-tables-phase-early", EARLY_STATUSES),
    ("partnerbot-tables-phase-live", LIVE_STATUSES),
    ("partnerbot-tables-phase-closed", CLOSED_STATUSES),
)


@dataclass(frozen=True)
class PageLinks:
    """The bot's other pages, linked from the tables ("" leaves a link out)."""

    status: str = ""
    affiliates: str = ""
    method: str = ""
    report: str = ""


def bot_page_link(title: str, label: str) -> str:
    """Return a link to one of the bot's pages (a title from the settings) with a message label."""
    return f"[[:{title}|{label}]]"


def counts_line(assessments: Sequence[Assessment], messages: Messages) -> str:
    """Return "17 partnerships · 1 with errors · 2 overdue · 1 paused" (zero counts left out)."""
    errors = sum(1 for a in assessments if a.count(Severity.ERROR))
    overdue = sum(1 for a in assessments if overdue_rules(a))
    paused = sum(1 for a in assessments if not a.record.bot)
    parts = [f"'''{messages.text('partnerbot-tables-count', len(assessments))}'''"]
    for key, count in (
        ("partnerbot-tables-count-errors", errors),
        ("partnerbot-tables-count-overdue", overdue),
        ("partnerbot-tables-count-paused", paused),
    ):
        if count:
            parts.append(messages.text(key, count))
    return SEPARATOR.join(parts)


def links_line(links: PageLinks, messages: Messages, *, here: str) -> str:
    """Return the links to the bot's other pages (without the page itself)."""
    wanted = (
        (links.status, "partnerbot-tables-link-status"),
        (links.affiliates, "partnerbot-tables-link-affiliates"),
        (links.method, "partnerbot-tables-link-method"),
        (links.report, "partnerbot-tables-link-report"),
    )
    shown = [
        bot_page_link(title, messages.text(key)) for title, key in wanted if title and title != here
    ]
    return SEPARATOR.join(shown)


def _by_stage(assessments: Sequence[Assessment]) -> dict[Status | None, int]:
    counts: dict[Status | None, int] = {}
    for assessment in assessments:
        status = assessment.record.status
        counts[status] = counts.get(status, 0) + 1
    return counts


def stage_counts(assessments: Sequence[Assessment], messages: Messages) -> str:
    """Return the small table of counts by stage, grouped into three phases."""
    counts = _by_stage(assessments)
    caption = messages.text("partnerbot-tables-stages-caption")
    lines = ['{| class="wikitable partnerbot-stages"', f"|+ {caption}"]
    for key, members in _PHASES:
        stages = [status for status in Status if status in members and counts.get(status)]
        total = sum(counts.get(status, 0) for status in members)
        listed = SEPARATOR.join(
            messages.text(
                "partnerbot-tables-stage-count",
                stage_label(messages, status),
                counts[status],
            )
            for status in stages
        )
        lines += ["|-", f"! {messages.text(key)}", f"| {messages.number(total)}", f"| {listed}"]
    if counts.get(None):
        label = messages.text("partnerbot-tables-phase-unknown")
        lines += ["|-", f"! {label}", f"| {messages.number(counts[None])}", "|"]
    return "\n".join([*lines, "|}"]) + "\n"


def affiliate_line(assessments: Sequence[Assessment], messages: Messages) -> str:
    """Return one affiliate's summary: counts, then the stages its partnerships are at."""
    counts = _by_stage(assessments)
    stages = [
        messages.text("partnerbot-tables-stage-count", stage_label(messages, status), count)
        for status in Status
        if (count := counts.get(status, 0))
    ]
    if counts.get(None):
        label = messages.text("partnerbot-tables-phase-unknown")
        stages.append(messages.text("partnerbot-tables-stage-count", label, counts[None]))
    return counts_line(assessments, messages) + SEPARATOR + ", ".join(stages) + "\n"


# --- needs attention now ---


def _when(messages: Messages, key: str, date: WikiDate | None, otherwise: str) -> str:
    return messages.text(key, messages.wiki_date(date)) if date else messages.text(otherwise)


def _error_detail(assessment: Assessment, _messages: Messages, method_page: str) -> str:
    rules = [f.rule for f in assessment.findings if f.severity is Severity.ERROR]
    return ", ".join(rule_link(rule, method_page) for rule in dict.fromkeys(rules))


def _overdue_detail(assessment: Assessment, messages: Messages, _method_page: str) -> str:
    record, rules = assessment.record, overdue_rules(assessment)
    details = []
    if REVIEW_OVERDUE in rules:
        details.append(
            _when(messages, "partnerbot-tables-due-review", record.next_review,
                  "partnerbot-tables-overdue-review")
        )  # fmt: skip
    if RENEWAL_OVERDUE in rules:
        details.append(
            _when(messages, "partnerbot-tables-due-renewal", record.agreement_renewal,
                  "partnerbot-tables-overdue-renewal")
        )  # fmt: skip
    return messages.join(details)


def _stale_detail(assessment: Assessment, messages: Messages, _method_page: str) -> str:
    record, rules = assessment.record, {f.rule for f in assessment.findings}
    details = []
    if NEXT_STEP_OVERDUE in rules:
        details.append(
            _when(messages, "partnerbot-tables-due-next-step", record.next_step_date,
                  "partnerbot-tables-overdue-next-step")
        )  # fmt: skip
    if FOLLOW_UP_STALE in rules:
        contact = record.last_contact or record.first_contact
        details.append(
            _when(messages, "partnerbot-tables-last-contact", contact,
                  "partnerbot-tables-no-contact")
        )  # fmt: skip
    return messages.join(details)


def _has_errors(assessment: Assessment) -> bool:
    return assessment.count(Severity.ERROR) > 0


def _is_overdue(assessment: Assessment) -> bool:
    return bool({REVIEW_OVERDUE, RENEWAL_OVERDUE} & {f.rule for f in assessment.findings})


def _is_stale(assessment: Assessment) -> bool:
    return bool({NEXT_STEP_OVERDUE, FOLLOW_UP_STALE} & {f.rule for f in assessment.findings})


def _has_flags(assessment: Assessment) -> bool:
    return any(f.rule == WARNING_FLAG for f in assessment.findings)


Detail = Callable[[Assessment, Messages, str], str]


def attention_list(
    assessments: Sequence[Assessment], ctx: RowContext, method_page: str = ""
) -> str:
    """Return the list of what needs attention now, by kind, naming the partnerships.

    Paused records (``bot = no``) are left out: the bot sends no reminders about them.
    """
    messages = ctx.messages

    def flags_detail(assessment: Assessment, _messages: Messages, _method: str) -> str:
        return ", ".join(flag_texts(assessment.record, ctx.flag_labels))

    kinds: tuple[tuple[str, str, Callable[[Assessment], bool], Detail], ...] = (
        (ERROR_MARK, "partnerbot-tables-attention-errors", _has_errors, _error_detail),
        (OVERDUE_MARK, "partnerbot-tables-attention-overdue", _is_overdue, _overdue_detail),
        (OVERDUE_MARK, "partnerbot-tables-attention-stale", _is_stale, _stale_detail),
        (FLAG_MARK, "partnerbot-tables-attention-flags", _has_flags, flags_detail),
    )  # fmt: skip
    active = sorted((a for a in assessments if a.record.bot), key=_name_order)
    lines = []
    for mark, key, wanted, detail in kinds:
        chosen = [a for a in active if wanted(a)]
        if not chosen:
            continue
        group = messages.text("partnerbot-tables-attention-group", messages.text(key), len(chosen))
        lines.append(f"* {mark}{group}")
        for assessment in chosen[:ATTENTION_LIMIT]:
            link = _record_link(assessment.record, ctx.page_link_prefix)
            text = detail(assessment, messages, method_page)
            item = messages.text("partnerbot-tables-attention-item", link, text) if text else link
            lines.append(f"** {item}")
        if len(chosen) > ATTENTION_LIMIT:
            more = messages.text("partnerbot-tables-attention-more", len(chosen) - ATTENTION_LIMIT)
            lines.append(f"** {more}")
    if not lines:
        return messages.text("partnerbot-tables-attention-none") + "\n"
    if any(not a.record.bot for a in assessments):
        lines.append(messages.text("partnerbot-tables-attention-paused-note"))
    return "\n".join(lines) + "\n"


def _name_order(assessment: Assessment) -> tuple[str, str, str, int, str]:
    """Return the order of the attention list: by name, then anything that tells two apart."""
    record = assessment.record
    name = clean_text(record.display_name)
    return name.casefold(), name, record.page, record.index, repr(assessment)


def _record_link(record: PartnershipRecord, prefix: str) -> str:
    return page_link(record.page, record.display_name, prefix=prefix, limit=NAME_LIMIT)


# --- legend ---

_LEGEND = (
    ("partnerbot-tables-column-partnership", "partnerbot-tables-legend-partnership"),
    ("partnerbot-tables-column-stage", "partnerbot-tables-legend-stage"),
    ("partnerbot-tables-column-checklist", "partnerbot-tables-legend-checklist"),
    ("partnerbot-tables-column-problems", "partnerbot-tables-legend-problems"),
    ("partnerbot-tables-column-next-date", "partnerbot-tables-legend-next-date"),
)


def render_legend(messages: Messages, method_page: str = "") -> str:
    """Return the legend: a collapsed box that explains every column."""
    items = [
        "* "
        + messages.text("partnerbot-tables-legend-item", messages.text(name), messages.text(text))
        for name, text in _LEGEND
    ]
    if method_page:
        items.append(messages.text("partnerbot-tables-legend-method", method_page))
    heading = messages.text("partnerbot-tables-legend-heading")
    return (
        '<div class="mw-collapsible mw-collapsed partnerbot-legend">\n'
        f"'''{heading}'''\n"
        '<div class="mw-collapsible-content">\n' + "\n".join(items) + "\n</div></div>\n"
    )


def column_names(messages: Messages) -> list[str]:
    """Return the names of the table's columns, in order."""
    return [messages.text(name) for name, _text in _LEGEND]
