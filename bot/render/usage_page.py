"""Render the usage page: a table of every partnership and the totals, then one section each.

Each section has the partnership's figures, the pages that have its files only through a
template (shown apart), its chart, its method line and a month-by-month table. Every figure is
one of: a number; a number older than the last collection, marked "as of" its date (stale);
"no data" (the sources have none, never written as 0); or a dash where the figure does not
apply (no category named). Synthetic figures (a local stand-in) are labelled as such.
Everything from an infobox is escaped (:mod:`bot.render.escape`); the page text depends on the
data only, so a collection that changes nothing saves nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.io.usage_sources import Availability, Month
from bot.render.escape import escape_text, escape_value
from bot.render.links import page_link
from bot.render.messages import Messages
from bot.render.usage_method import method_line
from bot.usage.history import History, MonthFigures, latest_counts
from bot.usage.method import UsageMethod
from bot.usage.subjects import TOTAL_KEY, UsageSubject

NAME_LIMIT = 120
#: Width of the charts on the page, in pixels.
CHART_WIDTH = 800


def anchor(key: str) -> str:
    """Return the id of a partnership's section (stable, safe in any title)."""
    return "usage-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class UsageView:
    """Everything the usage page shows."""

    subjects: Sequence[UsageSubject]
    #: Rows by subject key, and under TOTAL_KEY for all partnerships together.
    histories: Mapping[str, History]
    methods: Mapping[str, UsageMethod]
    #: Templates that carry each partnership's files onto pages (``wiki: Template:...``).
    carriers: Mapping[str, Sequence[str]]
    #: The chart file of each partnership (and TOTAL_KEY) that is on the wiki.
    charts: Mapping[str, str]
    #: The months of views shown, oldest first, and the month the collection ran in.
    window: Sequence[Month]
    open_month: Month


def number_text(
    value: int | None,
    messages: Messages,
    *,
    state: str = Availability.OK.value,
    stale: bool = False,
    as_of: str | None = None,
) -> str:
    """Return a figure as the page writes it (see the module docstring)."""
    if value is None:
        if state == Availability.STALE.value:
            return "''" + messages.text("partnerbot-usage-not-available") + "''"
        return "''" + messages.text("partnerbot-usage-no-data") + "''"
    text = messages.number(value)
    if stale or state == Availability.STALE.value:
        day = (as_of or "")[:10]
        note = messages.text("partnerbot-usage-as-of", escape_text(day))
        return f"{text} <small>({note})</small>"
    return text


def _counts_cells(row: MonthFigures | None, has_category: bool, messages: Messages) -> list[str]:
    """Return the cells files, files used, pages, wikis of the latest counts."""
    if not has_category:
        return ["—"] * 4
    if row is None:
        return [number_text(None, messages)] * 4
    stale = row.counts_stale
    values = (row.files, row.files_used, row.pages, row.wikis)
    return [number_text(value, messages, stale=stale, as_of=row.counts_as_of) for value in values]


def _views_cell(history: History, month: Month, messages: Messages) -> str:
    row = history.get(month)
    if row is None or not row.views_state:
        return number_text(None, messages)
    return number_text(row.views, messages, state=row.views_state, as_of=row.views_as_of)


def _links_cell(row: MonthFigures | None, domains: Sequence[str], messages: Messages) -> str:
    if not domains:
        return "—"
    parts = []
    for domain in domains:
        count = row.links.get(domain) if row is not None else None
        stale = row is not None and domain in row.stale_links
        as_of = row.counts_as_of if row is not None else None
        shown = number_text(count, messages, stale=stale, as_of=as_of)
        parts.append(f"{escape_value(domain)}: {shown}")
    return "<br />".join(parts)


def _label(subject: UsageSubject) -> str:
    return page_link(subject.page, subject.name, limit=NAME_LIMIT)


def _summary_table(view: UsageView, messages: Messages, last: Month) -> str:
    headers = [
        messages.text("partnerbot-usage-column-partnership"),
        messages.text("partnerbot-usage-column-files"),
        messages.text("partnerbot-usage-column-files-used"),
        messages.text("partnerbot-usage-column-pages"),
        messages.text("partnerbot-usage-column-wikis"),
        messages.text("partnerbot-usage-column-views", messages.month(last.year, last.month)),
        messages.text("partnerbot-usage-column-links"),
    ]
    lines = ['{| class="wikitable sortable partnerbot-usage"']
    lines.extend(f"! {header}" for header in headers)
    for subject in view.subjects:
        history = view.histories.get(subject.key, {})
        row = latest_counts(history)
        cells = [
            f"{_label(subject)} <small>([[#{anchor(subject.key)}|"
            f"{messages.text('partnerbot-usage-details')}]])</small>",
            *_counts_cells(row, bool(subject.category), messages),
            _views_cell(history, last, messages) if subject.category else "—",
            _links_cell(row, subject.domains, messages),
        ]
        lines.append("|-")
        lines.extend(f"| {cell}" for cell in cells)
    total = view.histories.get(TOTAL_KEY, {})
    total_row = latest_counts(total)
    domains = sorted({domain for subject in view.subjects for domain in subject.domains})
    cells = [
        f"'''{messages.text('partnerbot-usage-totals-label')}'''",
        *_counts_cells(total_row, any(s.category for s in view.subjects), messages),
        _views_cell(total, last, messages),
        _links_cell(total_row, domains, messages),
    ]
    lines.append('|- class="sortbottom"')
    lines.extend(f"! {cell}" for cell in cells)
    lines.append("|}")
    return "\n".join(lines)


def _history_table(
    history: History, view: UsageView, has_category: bool, messages: Messages
) -> str:
    headers = [
        messages.text("partnerbot-usage-column-month"),
        messages.text("partnerbot-usage-column-files"),
        messages.text("partnerbot-usage-column-files-used"),
        messages.text("partnerbot-usage-column-pages"),
        messages.text("partnerbot-usage-column-wikis"),
        messages.text("partnerbot-usage-column-month-views"),
    ]
    lines = ['{| class="wikitable mw-collapsible mw-collapsed partnerbot-usage-history"']
    lines.extend(f"! {header}" for header in headers)
    for month in sorted({*view.window, view.open_month}, reverse=True):
        row = history.get(month)
        counted = row if row is not None and row.counted else None
        closed = month < view.open_month and has_category
        views = _views_cell(history, month, messages) if closed else "—"
        lines.append("|-")
        lines.append(f"| {messages.month(month.year, month.month)}")
        lines.extend(f"| {cell}" for cell in _counts_cells(counted, has_category, messages))
        lines.append(f"| {views}")
    lines.append("|}")
    return "\n".join(lines)


def _chart(view: UsageView, key: str, caption: str) -> str:
    title = view.charts.get(key)
    if not title:
        return ""
    return f"[[{title}|frameless|{CHART_WIDTH}px|{escape_text(caption)}]]\n"


def _template_note(key: str, row: MonthFigures | None, view: UsageView, messages: Messages) -> str:
    carriers = view.carriers.get(key, ())
    if row is None or not row.template_pages:
        return ""
    names = messages.join([escape_value(name) for name in carriers])
    return (
        messages.text("partnerbot-usage-template-note", row.template_pages, names, len(carriers))
        + "\n"
    )


def _section(subject: UsageSubject, view: UsageView, messages: Messages) -> str:
    history = view.histories.get(subject.key, {})
    row = latest_counts(history)
    parts = [
        f"== {escape_text(subject.name, NAME_LIMIT)} ==",
        f'<span id="{anchor(subject.key)}"></span>'
        + messages.text("partnerbot-usage-section-intro", _label(subject)),
        "",
    ]
    if row is not None and row.counts_stale:
        day = escape_text((row.counts_as_of or "")[:10])
        parts.append("''" + messages.text("partnerbot-usage-counts-stale", day) + "''\n")
    note = _template_note(subject.key, row, view, messages)
    if note:
        parts.append(note)
    caption = messages.text("partnerbot-usage-chart-caption", subject.name)
    parts.append(_chart(view, subject.key, caption))
    method = view.methods.get(subject.key)
    if method is not None:
        parts.append(f"<small>{escape_text(method_line(method, messages))}</small>\n")
    parts.append(_history_table(history, view, bool(subject.category), messages))
    return "\n".join(part for part in parts if part is not None)


def render_usage_page(view: UsageView, messages: Messages) -> str:
    """Return the usage page's managed block."""
    if not view.subjects:
        return messages.text("partnerbot-usage-none") + "\n"
    last = view.window[-1]
    total = view.histories.get(TOTAL_KEY, {})
    synthetic = any(
        row.synthetic for history in view.histories.values() for row in history.values()
    )
    parts = [messages.text("partnerbot-usage-intro")]
    if synthetic:
        parts.append("'''" + messages.text("partnerbot-usage-synthetic-note") + "'''")
    parts.append("== " + messages.text("partnerbot-usage-totals-heading") + " ==")
    parts.append('<span id="usage-totals"></span>' + messages.text("partnerbot-usage-totals-note"))
    parts.append(_summary_table(view, messages, last))
    parts.append(_chart(view, TOTAL_KEY, messages.text("partnerbot-usage-chart-caption-total")))
    total_method = view.methods.get(TOTAL_KEY)
    if total_method is not None:
        parts.append(f"<small>{escape_text(method_line(total_method, messages))}</small>")
    parts.append(_history_table(total, view, any(s.category for s in view.subjects), messages))
    parts.extend(_section(subject, view, messages) for subject in view.subjects)
    return "\n\n".join(part.strip("\n") for part in parts if part) + "\n"
