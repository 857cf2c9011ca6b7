"""Turn assessments into the wikitext of the coordinators' status tables and the bot's report.

Everything here is pure: the same input gives byte-identical output (no clock, no set iteration,
no reliance on the order of the input). The text returned is the *content* of a managed block;
:mod:`bot.pages.blocks` puts it between the markers. Every value that comes from an infobox goes
through :mod:`bot.render.escape`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.model import CLOSED_STATUSES, Assessment, LedBy, PartnershipRecord, Severity, Status
from bot.render.escape import clean_text, escape_value
from bot.render.links import page_link

#: Longest shown partnership name, partner, affiliate, flag label and report problem (characters).
NAME_LIMIT = 120
AFFILIATE_LIMIT = 100
FLAG_LIMIT = 60
PROBLEM_LIMIT = 400
#: Longest name shown in the list of subpages.
INDEX_LABEL_LIMIT = 60

NO_AFFILIATE = "No affiliate given"
NOTHING_TO_LIST = "No partnerships to list."
_NO_DATE_SORT = "9999-12-31"


@dataclass(frozen=True)
class TableContext:
    """What the tables need besides the assessments.

    ``last_updated`` is the time the partnership data last changed (timezone-aware; shown in UTC).
    Pass the same value while the data is unchanged, or every run will edit. ``today``, when
    given, marks next dates before it as overdue (the table then changes when a date passes).
    ``page_link_prefix`` is an interwiki prefix (``"meta:"``) when the tables live on another
    wiki than the infoboxes.
    """

    flag_labels: Mapping[str, str]
    last_updated: dt.datetime
    page_link_prefix: str = ""
    today: dt.date | None = None

    def __post_init__(self) -> None:
        if self.last_updated.tzinfo is None:
            raise ValueError("last_updated must be timezone-aware")


@dataclass(frozen=True)
class _Row:
    text: str  # "|-\n" plus one line per cell
    label: str  # short escaped name for the list of subpages


@dataclass(frozen=True)
class _Section:
    heading: str  # escaped heading text; "" for the single status table
    rows: tuple[_Row, ...]


_COLUMNS = (
    ("Partnership", "", "the name given in the infobox (else the partner, else the page title), "
     "linked to the page that holds the infobox; a page with several infoboxes shows which one"),
    ("Partner", "", "the organisation or person we work with, as the infobox names it"),
    ("Lead", "", "the Wikimedia affiliate leading the work; when none is named, who leads it"),
    ("Type", "", "what the partnership does, for example content donation or outreach"),
    ("Stage", "number", "where the partnership is in its life, from prospect to concluded; "
     "sorting follows that order"),
    ("Checklist", "number", "how many of the checklist rules that apply to this stage and type "
     "the infobox meets, out of how many apply; sorting uses the proportion"),
    ("Errors", "number", "problems the guidance says must be fixed"),
    ("Warnings", "number", "points the guidance asks coordinators to look at"),
    ("Flags", "", "warning flags raised in the infobox"),
    ("Next date", "isoDate", "the earlier of the next review and the next step date, for "
     "partnerships that have not ended"),
)  # fmt: skip
_LEAD = 2


def _columns(with_lead: bool) -> list[tuple[str, str, str]]:
    return [column for index, column in enumerate(_COLUMNS) if with_lead or index != _LEAD]


def render_legend(*, with_lead: bool = True) -> str:
    """Return the list that explains every column (without the Lead column if asked)."""
    lines = [f"* '''{name}''': {text}." for name, _, text in _columns(with_lead)]
    return "What the columns mean:\n" + "\n".join(lines) + "\n"


def _table_head(with_lead: bool) -> str:
    cells = [f'! data-sort-type="{kind}" | {name}' if kind else f"! {name}"
             for name, kind, _ in _columns(with_lead)]  # fmt: skip
    return '{| class="wikitable sortable"\n' + "\n".join(cells) + "\n"


def cell(content: str, sort_value: str = "") -> str:
    """Return one table cell (with a sort value when given), as a line of wikitext."""
    if sort_value:
        return f'| data-sort-value="{sort_value}" | {content}'.rstrip() + "\n"
    return f"| {content}".rstrip() + "\n"


def _stage_order(status: Status | None) -> int:
    return list(Status).index(status) if status is not None else len(Status)


def _label(value: str) -> str:
    return value.replace("_", " ")


_LED_BY = {
    LedBy.AFFILIATE: "An affiliate (not named)",
    LedBy.FOUNDATION: "Wikimedia Foundation",
    LedBy.INDIVIDUAL: "Individual volunteers",
}


def _lead(record: PartnershipRecord) -> str:
    named = escape_value(record.affiliate, AFFILIATE_LIMIT)
    if named or record.led_by is None:
        return named
    return _LED_BY[record.led_by]


def _score_cell(assessment: Assessment) -> str:
    passed, applicable = max(assessment.score.passed, 0), assessment.score.applicable
    if applicable <= 0:
        return cell(str(assessment.score), "-1")
    ratio = (passed * 20_000 + applicable) // (2 * applicable)  # ten-thousandths, half up
    return cell(str(assessment.score), f"{ratio // 10_000}.{ratio % 10_000:04d}")


def _next_date_cell(record: PartnershipRecord, today: dt.date | None) -> str:
    candidates = [
        (date.first_day(), order, date, label)
        for order, (date, label) in enumerate(
            ((record.next_review, "review"), (record.next_step_date, "next step"))
        )
        if date is not None
    ]
    if record.status in CLOSED_STATUSES or not candidates:
        return cell("", _NO_DATE_SORT)
    first, _, date, label = min(candidates)
    if today is not None and date.last_day() < today:
        label += ", overdue"
    return cell(f"{date} ({label})", first.isoformat())


def _partnership_cell(record: PartnershipRecord, prefix: str) -> str:
    link = page_link(record.page, record.display_name, prefix=prefix, limit=NAME_LIMIT)
    if record.index > 0:
        link += f" <small>(infobox {record.index + 1})</small>"
    return cell(link)


def _row(assessment: Assessment, ctx: TableContext, *, with_lead: bool, label: str) -> _Row:
    record = assessment.record
    flags = [
        escape_value(ctx.flag_labels.get(f, f), FLAG_LIMIT) for f in dict.fromkeys(record.flags)
    ]
    types = ", ".join(_label(kind.value) for kind in dict.fromkeys(record.types))
    stage = _label(record.status.value).capitalize() if record.status else "Not given"
    cells = [
        _partnership_cell(record, ctx.page_link_prefix),
        cell(escape_value(record.partner, NAME_LIMIT)),
        cell(_lead(record)) if with_lead else "",
        cell(types[:1].upper() + types[1:]),
        cell(stage, str(_stage_order(record.status))),
        _score_cell(assessment),
        cell(str(assessment.count(Severity.ERROR))),
        cell(str(assessment.count(Severity.WARNING))),
        cell(", ".join(flag for flag in flags if flag)),
        _next_date_cell(record, ctx.today),
    ]
    return _Row("|-\n" + "".join(cells), label)


def _sorted_rows(
    assessments: Iterable[Assessment], ctx: TableContext, *, with_lead: bool, label: str | None
) -> tuple[_Row, ...]:
    """Return rendered rows by stage, name, page, index (then row text, so input order is moot)."""
    keyed = []
    for assessment in assessments:
        record = assessment.record
        shown = label if label is not None else escape_value(record.display_name, INDEX_LABEL_LIMIT)
        row = _row(assessment, ctx, with_lead=with_lead, label=shown)
        name = clean_text(record.display_name)
        key = (_stage_order(record.status), name.casefold(), name, record.page, record.index)
        keyed.append((key, row.text, row))
    return tuple(row for _, _, row in sorted(keyed, key=lambda item: (item[0], item[1])))


def _status_sections(assessments: Sequence[Assessment], ctx: TableContext) -> list[_Section]:
    rows = _sorted_rows(assessments, ctx, with_lead=True, label=None)
    return [_Section("", rows)] if rows else []


def _affiliate_sections(assessments: Sequence[Assessment], ctx: TableContext) -> list[_Section]:
    groups: dict[str, list[Assessment]] = {}
    for assessment in assessments:
        groups.setdefault(clean_text(assessment.record.affiliate), []).append(assessment)
    sections = []
    for name in sorted(groups, key=lambda name: (name == "", name.casefold(), name)):
        heading = escape_value(name, AFFILIATE_LIMIT) or NO_AFFILIATE
        short = escape_value(name, INDEX_LABEL_LIMIT) or NO_AFFILIATE
        rows = _sorted_rows(groups[name], ctx, with_lead=False, label=short)
        sections.append(_Section(heading, rows))
    return sections


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _summary(count: int, ctx: TableContext) -> str:
    noun = "partnership" if count == 1 else "partnerships"
    stamp = ctx.last_updated.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"'''{count} {noun}.''' Last updated: {stamp} (when the data last changed).\n"


def _slice_text(heading: str, rows: Sequence[_Row], head: str) -> str:
    heading_line = f"\n== {heading} ==\n" if heading else "\n"
    return heading_line + head + "".join(row.text for row in rows) + "|}\n"


_Slices = list[tuple[str, list[_Row]]]


def _fill_pages(sections: Sequence[_Section], head: str, budget: int) -> list[_Slices]:
    """Fill pages with rows in order, each up to ``budget`` bytes (a lone row may exceed it)."""
    pages: list[_Slices] = []
    current: _Slices = []
    size = 0
    for section in sections:
        for position, row in enumerate(section.rows):
            heading = section.heading
            if heading and position > 0:
                heading += " (continued)"
            opening = _size(_slice_text(heading, [], head))
            new_slice = position == 0 or not current
            cost = _size(row.text) + (opening if new_slice else 0)
            if current and size + cost > budget:
                pages.append(current)
                current, size, new_slice = [], 0, True
                cost = _size(row.text) + opening
            if new_slice:
                current.append((heading, []))
            current[-1][1].append(row)
            size += cost
    if current:
        pages.append(current)
    return pages


def _render_pages(
    sections: Sequence[_Section],
    ctx: TableContext,
    *,
    with_lead: bool,
    base_title: str,
    max_bytes: int | None,
    noun: str,
) -> dict[str, str]:
    head = _table_head(with_lead)
    count = sum(len(section.rows) for section in sections)
    preamble = _summary(count, ctx) + "\n" + render_legend(with_lead=with_lead)
    if not sections:
        return {"": f"{preamble}\n{NOTHING_TO_LIST}\n"}
    whole = preamble + "".join(_slice_text(s.heading, s.rows, head) for s in sections)
    if max_bytes is None or _size(whole) <= max_bytes:
        return {"": whole}

    def sub_preamble(part: str, total: str) -> str:
        return f"Part {part} of {total} of {page_link(base_title, noun)}.\n\n{preamble}"

    widest = "9" * len(str(count))
    pages = _fill_pages(sections, head, max_bytes - _size(sub_preamble(widest, widest)))
    result = {"": ""}
    index = [f"{preamble}\nThe table is split into {len(pages)} parts:"]
    for number, slices in enumerate(pages, start=1):
        rows = [row for _, slice_rows in slices for row in slice_rows]
        first, last = rows[0].label, rows[-1].label
        span = first if first == last else f"{first} to {last}"
        link = page_link(f"{base_title}/{number}", f"Part {number}")
        index.append(f"* {link}: {len(rows)} {'row' if len(rows) == 1 else 'rows'}, {span}")
        body = "".join(_slice_text(heading, part, head) for heading, part in slices)
        result[f"/{number}"] = sub_preamble(str(number), str(len(pages))) + body
    result[""] = "\n".join(index) + "\n"
    return result


def render_status_pages(
    assessments: Sequence[Assessment], ctx: TableContext, *, base_title: str, max_bytes: int
) -> dict[str, str]:
    """Return the central status table as ``{suffix: content}``, split when over ``max_bytes``.

    The key ``""`` is the main page ``base_title``: the whole table when it fits in ``max_bytes``
    UTF-8 bytes, otherwise a summary, the legend and links to the parts. Parts have the keys
    ``"/1"``, ``"/2"``... in order, are filled in sort order up to ``max_bytes`` each (a single
    row longer than that gets a page of its own) and repeat the legend. Leave room for the
    markers and any text outside them when choosing ``max_bytes``.
    """
    return _render_pages(
        _status_sections(assessments, ctx),
        ctx,
        with_lead=True,
        base_title=base_title,
        max_bytes=max_bytes,
        noun="the partnership status table",
    )


def render_affiliate_pages(
    assessments: Sequence[Assessment], ctx: TableContext, *, base_title: str, max_bytes: int
) -> dict[str, str]:
    """Return one table per affiliate as ``{suffix: content}``, split like the status table.

    Sections follow the affiliate name (case-insensitively, then exactly); partnerships without
    an affiliate come last under "No affiliate given". A section cut between two parts goes on
    under the same heading with "(continued)".
    """
    return _render_pages(
        _affiliate_sections(assessments, ctx),
        ctx,
        with_lead=False,
        base_title=base_title,
        max_bytes=max_bytes,
        noun="the partnership tables by affiliate",
    )


def render_status_table(assessments: Sequence[Assessment], ctx: TableContext) -> str:
    """Return the whole central status table (summary, legend, table) as one text, unsplit."""
    sections = _status_sections(assessments, ctx)
    return _render_pages(sections, ctx, with_lead=True, base_title="", max_bytes=None, noun="")[""]


def render_affiliate_tables(assessments: Sequence[Assessment], ctx: TableContext) -> str:
    """Return every affiliate's table (summary, legend, sections) as one text, unsplit."""
    sections = _affiliate_sections(assessments, ctx)
    return _render_pages(sections, ctx, with_lead=False, base_title="", max_bytes=None, noun="")[""]
