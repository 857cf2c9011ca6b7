"""Turn assessments into the wikitext of the coordinators' status pages, in the wiki's language.

The status page opens with what a coordinator acts from (:mod:`bot.render.status_summary`):
the bot's health (the report page's health line, transcluded), counts, the counts by stage and
what needs attention now; then the collapsed legend and the table (:mod:`bot.render.status_rows`).
The page by affiliate has one section per affiliate, each with a summary line. A table too large
for one page is split into parts.

Everything here is pure: the same input gives byte-identical output (no clock, no set iteration,
no reliance on the order of the input). The text returned is the *content* of a managed block;
:mod:`bot.pages.blocks` puts it between the markers. It starts with ``__NOEDITSECTION__``: the
bot's headings are not for editing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.model import Assessment
from bot.render.bot_pages import NO_EDIT_SECTION
from bot.render.escape import clean_text, escape_value
from bot.render.messages import Messages
from bot.render.status_rows import (
    AFFILIATE_LIMIT,
    RowContext,
    cell,
    row_text,
    stage_order,
)
from bot.render.status_summary import (
    PageLinks,
    affiliate_line,
    attention_list,
    bot_page_link,
    column_names,
    counts_line,
    links_line,
    render_legend,
    stage_counts,
)

__all__ = [
    "PageLinks",
    "TableContext",
    "cell",
    "render_affiliate_pages",
    "render_affiliate_tables",
    "render_status_pages",
    "render_status_table",
]

#: Longest name shown in the list of subpages.
INDEX_LABEL_LIMIT = 60
#: Attributes of the column headings: how each column sorts, and room for the names.
_HEADINGS = (
    'style="min-width:11em"',
    'data-sort-type="number"',
    'data-sort-type="number"',
    'data-sort-type="number"',
    'data-sort-type="isoDate"',
)


@dataclass(frozen=True)
class TableContext:
    """What the tables need besides the assessments.

    ``last_updated`` is the time the partnership data last changed (timezone-aware; shown in UTC).
    Pass the same value while the data is unchanged, or every run will edit. ``page_link_prefix``
    is an interwiki prefix (``"meta:"``) when the tables live on another wiki than the infoboxes.
    ``links`` names the bot's other pages; the status page transcludes the health line of the
    report page when one is given.
    """

    flag_labels: Mapping[str, str]
    last_updated: dt.datetime
    page_link_prefix: str = ""
    messages: Messages = field(kw_only=True)
    links: PageLinks = field(default=PageLinks(), kw_only=True)

    def __post_init__(self) -> None:
        if self.last_updated.tzinfo is None:
            raise ValueError("last_updated must be timezone-aware")

    @property
    def rows(self) -> RowContext:
        """Return what each row needs."""
        return RowContext(self.messages, self.flag_labels, self.page_link_prefix)


@dataclass(frozen=True)
class _Row:
    text: str  # "|-\n" plus one line per cell
    label: str  # short escaped name for the list of subpages


@dataclass(frozen=True)
class _Section:
    heading: str  # escaped heading text; "" for the single status table
    lead: str  # the line under the heading ("" for none)
    rows: tuple[_Row, ...]


def _table_head(messages: Messages) -> str:
    cells = [
        f"! {attributes} | {name}" if attributes else f"! {name}"
        for name, attributes in zip(column_names(messages), _HEADINGS, strict=True)
    ]
    return '{| class="wikitable sortable partnerbot-status"\n' + "\n".join(cells) + "\n"


def _sorted_rows(
    assessments: Iterable[Assessment], ctx: TableContext, *, with_lead: bool, label: str | None
) -> tuple[_Row, ...]:
    """Return rendered rows by stage, name, page, index (then row text, so input order is moot)."""
    keyed = []
    rows = ctx.rows
    for assessment in assessments:
        record = assessment.record
        shown = label if label is not None else escape_value(record.display_name, INDEX_LABEL_LIMIT)
        row = _Row(row_text(assessment, rows, with_lead=with_lead), shown)
        name = clean_text(record.display_name)
        key = (stage_order(record.status), name.casefold(), name, record.page, record.index)
        keyed.append((key, row.text, row))
    return tuple(row for _, _, row in sorted(keyed, key=lambda item: (item[0], item[1])))


def _status_sections(assessments: Sequence[Assessment], ctx: TableContext) -> list[_Section]:
    rows = _sorted_rows(assessments, ctx, with_lead=True, label=None)
    heading = ctx.messages.text("partnerbot-tables-all-heading")
    return [_Section(heading, "", rows)] if rows else []


def _affiliate_sections(assessments: Sequence[Assessment], ctx: TableContext) -> list[_Section]:
    groups: dict[str, list[Assessment]] = {}
    for assessment in assessments:
        groups.setdefault(clean_text(assessment.record.affiliate), []).append(assessment)
    messages = ctx.messages
    unnamed = messages.text("partnerbot-tables-no-affiliate")
    sections = []
    for name in sorted(groups, key=lambda name: (name == "", name.casefold(), name)):
        heading = escape_value(name, AFFILIATE_LIMIT) or unnamed
        short = escape_value(name, INDEX_LABEL_LIMIT) or unnamed
        rows = _sorted_rows(groups[name], ctx, with_lead=False, label=short)
        sections.append(_Section(heading, affiliate_line(groups[name], messages), rows))
    return sections


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _summary(assessments: Sequence[Assessment], ctx: TableContext) -> str:
    """Return the counts and when the data last changed, as one paragraph."""
    messages = ctx.messages
    stamp = ctx.last_updated.astimezone(dt.UTC)
    changed = messages.text(
        "partnerbot-tables-last-changed", messages.date(stamp.date()), stamp.strftime("%H:%M")
    )
    counts = counts_line(assessments, messages)
    return messages.text("partnerbot-tables-summary", counts, changed) + "\n\n"


def _slice_text(heading: str, lead: str, rows: Sequence[_Row], head: str) -> str:
    heading_line = f"\n== {heading} ==\n" if heading else "\n"
    return heading_line + lead + head + "".join(row.text for row in rows) + "|}\n"


_Slices = list[tuple[str, str, list[_Row]]]


def _fill_pages(
    sections: Sequence[_Section], head: str, budget: int, messages: Messages
) -> list[_Slices]:
    """Fill pages with rows in order, each up to ``budget`` bytes (a lone row may exceed it)."""
    pages: list[_Slices] = []
    current: _Slices = []
    size = 0
    for section in sections:
        for position, row in enumerate(section.rows):
            heading, lead = section.heading, section.lead if position == 0 else ""
            if heading and position > 0:
                heading = messages.text("partnerbot-tables-continued", heading)
            opening = _size(_slice_text(heading, lead, [], head))
            new_slice = position == 0 or not current
            cost = _size(row.text) + (opening if new_slice else 0)
            if current and size + cost > budget:
                pages.append(current)
                current, size, new_slice = [], 0, True
                cost = _size(row.text) + opening
            if new_slice:
                current.append((heading, lead, []))
            current[-1][2].append(row)
            size += cost
    if current:
        pages.append(current)
    return pages


@dataclass(frozen=True)
class _Kind:
    """What differs between the status page and the page by affiliate."""

    here: str  # the page's own title in ctx.links ("" when unknown)
    noun: str  # message key naming the whole table ("the partnership status table")
    top: str  # what opens the main page (counts, stages, attention list)


def _render_pages(
    sections: Sequence[_Section],
    ctx: TableContext,
    *,
    kind: _Kind,
    base_title: str,
    max_bytes: int | None,
) -> dict[str, str]:
    messages = ctx.messages
    head = _table_head(messages)
    legend = render_legend(messages, ctx.links.method)
    preamble = f"{NO_EDIT_SECTION}\n{kind.top}\n{legend}"
    if not sections:
        return {"": f"{preamble}\n{messages.text('partnerbot-tables-nothing-to-list')}\n"}
    whole = preamble + "".join(_slice_text(s.heading, s.lead, s.rows, head) for s in sections)
    if max_bytes is None or _size(whole) <= max_bytes:
        return {"": whole}

    def sub_preamble(part: str, total: str) -> str:
        whole_table = bot_page_link(base_title, messages.text(kind.noun))
        of = messages.text("partnerbot-tables-part-of", part, total, whole_table)
        return f"{NO_EDIT_SECTION}\n{of}\n\n{legend}"

    widest = "9" * len(str(sum(len(s.rows) for s in sections)))
    budget = max_bytes - _size(sub_preamble(widest, widest))
    pages = _fill_pages(sections, head, budget, messages)
    result = {"": ""}
    index = [f"{preamble}\n{messages.text('partnerbot-tables-split-intro', len(pages))}"]
    for number, slices in enumerate(pages, start=1):
        rows = [row for _, _, slice_rows in slices for row in slice_rows]
        first, last = rows[0].label, rows[-1].label
        span = first if first == last else messages.text("partnerbot-tables-part-span", first, last)
        label = messages.text("partnerbot-tables-part", number)
        link = bot_page_link(f"{base_title}/{number}", label)
        index.append("* " + messages.text("partnerbot-tables-part-rows", link, len(rows), span))
        body = "".join(_slice_text(heading, lead, part, head) for heading, lead, part in slices)
        result[f"/{number}"] = sub_preamble(str(number), str(len(pages))) + body
    result[""] = "\n".join(index) + "\n"
    return result


def _health(ctx: TableContext) -> str:
    """Return the transclusion of the report page's health line (its ``<onlyinclude>``)."""
    report = ctx.links.report
    return f"{{{{:{report}}}}}\n\n" if report else ""


def _status_top(assessments: Sequence[Assessment], ctx: TableContext) -> str:
    messages = ctx.messages
    links = links_line(ctx.links, messages, here=ctx.links.status)
    heading = messages.text("partnerbot-tables-attention-heading")
    return (
        _health(ctx)
        + _summary(assessments, ctx)
        + (f"{links}\n\n" if links else "")
        + stage_counts(assessments, messages)
        + f"\n== {heading} ==\n"
        + attention_list(assessments, ctx.rows, ctx.links.method)
    )


def _affiliates_top(assessments: Sequence[Assessment], ctx: TableContext) -> str:
    messages = ctx.messages
    links = links_line(ctx.links, messages, here=ctx.links.affiliates)
    return _summary(assessments, ctx) + (f"{links}\n" if links else "")


def render_status_pages(
    assessments: Sequence[Assessment], ctx: TableContext, *, base_title: str, max_bytes: int
) -> dict[str, str]:
    """Return the central status page as ``{suffix: content}``, split when over ``max_bytes``.

    The key ``""`` is the main page ``base_title``: the whole page when it fits in ``max_bytes``
    UTF-8 bytes, otherwise the summary, the legend and links to the parts. Parts have the keys
    ``"/1"``, ``"/2"``... in order, are filled in sort order up to ``max_bytes`` each (a single
    row longer than that gets a page of its own) and repeat the legend. Leave room for the
    markers and any text outside them when choosing ``max_bytes``.
    """
    kind = _Kind(ctx.links.status, "partnerbot-tables-status-table", _status_top(assessments, ctx))
    sections = _status_sections(assessments, ctx)
    return _render_pages(sections, ctx, kind=kind, base_title=base_title, max_bytes=max_bytes)


def render_affiliate_pages(
    assessments: Sequence[Assessment], ctx: TableContext, *, base_title: str, max_bytes: int
) -> dict[str, str]:
    """Return one table per affiliate as ``{suffix: content}``, split like the status page.

    Sections follow the affiliate name (case-insensitively, then exactly); partnerships without
    an affiliate come last. Each section opens with its summary line. A section cut between two
    parts goes on under the same heading, marked as continued.
    """
    top = _affiliates_top(assessments, ctx)
    kind = _Kind(ctx.links.affiliates, "partnerbot-tables-affiliate-tables", top)
    sections = _affiliate_sections(assessments, ctx)
    return _render_pages(sections, ctx, kind=kind, base_title=base_title, max_bytes=max_bytes)


def render_status_table(assessments: Sequence[Assessment], ctx: TableContext) -> str:
    """Return the whole status page (summary, legend, table) as one text, unsplit."""
    kind = _Kind(ctx.links.status, "partnerbot-tables-status-table", _status_top(assessments, ctx))
    sections = _status_sections(assessments, ctx)
    return _render_pages(sections, ctx, kind=kind, base_title="", max_bytes=None)[""]


def render_affiliate_tables(assessments: Sequence[Assessment], ctx: TableContext) -> str:
    """Return every affiliate's table (summary, legend, sections) as one text, unsplit."""
    top = _affiliates_top(assessments, ctx)
    kind = _Kind(ctx.links.affiliates, "partnerbot-tables-affiliate-tables", top)
    sections = _affiliate_sections(assessments, ctx)
    return _render_pages(sections, ctx, kind=kind, base_title="", max_bytes=None)[""]
