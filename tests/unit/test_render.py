"""Status tables, tables by affiliate, page splitting, the run report and edit summaries.

Golden files live in ``tests/unit/golden/``. After an intended change to the rendering, rewrite
them with ``PARTNERBOT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_render.py`` and review
the diff before committing.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
from pathlib import Path

import mwparserfromhell
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mwparserfromhell.nodes import Comment, ExternalLink, Heading, Tag, Template

from bot.model import (
    Assessment,
    Finding,
    LedBy,
    PartnershipRecord,
    PartnershipType,
    Score,
    Severity,
    Status,
    WikiDate,
)
from bot.render.edit_summary import SUMMARY_LIMIT, edit_summary
from bot.render.report_page import ReportItem, render_run_report
from bot.render.tables import (
    NOTHING_TO_LIST,
    TableContext,
    render_affiliate_pages,
    render_affiliate_tables,
    render_legend,
    render_status_pages,
    render_status_table,
)
from tests.unit.test_escape import hostile_text

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PARTNERBOT_UPDATE_GOLDEN") == "1"

FLAG_LABELS = {
    "money-exchanged": "Money changes hands",
    "exclusive-access": "Partner asks for exclusivity",
    "no-free-licence": "Content not under a free licence",
}
CTX = TableContext(
    flag_labels=FLAG_LABELS, last_updated=dt.datetime(2024, 11, 2, 9, 30, tzinfo=dt.UTC)
)
HOSTILE_NAME = "Evil|}{{subst:PAGENAME}}[[Category:Spam]]~~~~<!-- __NOTOC__"


def _finding(page: str, severity: Severity, rule: str = "rule") -> Finding:
    return Finding(page, 0, rule, severity, None, "source")


def _assessment(
    record: PartnershipRecord, score: Score, errors: int = 0, warnings: int = 0
) -> Assessment:
    findings = tuple(
        [_finding(record.page, Severity.ERROR)] * errors
        + [_finding(record.page, Severity.WARNING)] * warnings
        + [_finding(record.page, Severity.INFO)]
    )
    return Assessment(record, findings, score)


def realistic_assessments() -> list[Assessment]:
    """Return six partnerships a coordinator could meet, including hostile and unusual text."""
    return [
        _assessment(
            PartnershipRecord(
                page="Partnerships/Gallica",
                name="Bibliothèque nationale – Gallica donation",
                partner="Bibliothèque nationale de France",
                affiliate="Wikimédia France",
                led_by=LedBy.AFFILIATE,
                types=(PartnershipType.CONTENT_DONATION, PartnershipType.DISTRIBUTION),
                status=Status.ACTIVE,
                next_review=WikiDate(2025, 3),
                next_step_date=WikiDate(2025, 1, 15),
            ),
            Score(14, 16),
            warnings=1,
        ),
        _assessment(
            PartnershipRecord(
                page="Partnerships/Alexandria",
                name="مكتبة الإسكندرية (المرحلة 2، 2024)",
                partner="مكتبة الإسكندرية",
                affiliate="Wikimedians of the Levant (test)",
                types=(PartnershipType.ACCESS,),
                status=Status.NEGOTIATING,
                next_step_date=WikiDate(2024, 11, 15),
                flags=("money-exchanged", "money-exchanged", "exclusive-access"),
            ),
            Score(5, 9),
            errors=2,
            warnings=1,
        ),
        _assessment(
            PartnershipRecord(
                page="Partnerships/State Archive",
                index=1,
                name="ארכיון המדינה 1948–2024 (שלב 2)",
                partner="ארכיון המדינה",
                affiliate="Wikimedia Israel",
                types=(PartnershipType.CONTENT_DONATION,),
                status=Status.AGREED,
                next_review=WikiDate(2024, 10, 1),
            ),
            Score(11, 12),
        ),
        _assessment(
            PartnershipRecord(
                page="Partnerships/Long name",
                name="Museum of " + "Very " * 2000 + "Long Names",
                partner="Museum",
                led_by=LedBy.INDIVIDUAL,
                status=Status.PROSPECT,
            ),
            Score(1, 3),
            errors=1,
        ),
        _assessment(
            PartnershipRecord(
                page="Partnerships/Science lab",
                name="👩‍🔬 Science Outreach 🏳️‍🌈 Lab",
                partner="Lab 🇩🇪 e.V.",
                affiliate="wikimedia deutschland",
                types=(PartnershipType.OUTREACH, PartnershipType.RESIDENCY),
                status=Status.CONCLUDED,
                next_review=WikiDate(2023, 5, 1),
                flags=("no-free-licence",),
            ),
            Score(8, 8),
        ),
        _assessment(
            PartnershipRecord(
                page="Category:Partnerships in Narnia",
                name=HOSTILE_NAME,
                partner="#REDIRECT [[X]] ISBN 978-3-16-148410-0 http://spam.example",
                affiliate="''Wiki'' <script>alert(1)</script> &lt;b&gt;",
                led_by=LedBy.FOUNDATION,
                flags=("x]]{{y}}",),
            ),
            Score(0, 0),
        ),
    ]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == text


def test_status_table_matches_golden_file() -> None:
    check_golden("status_table.wikitext", render_status_table(realistic_assessments(), CTX))


def test_affiliate_tables_match_golden_file() -> None:
    check_golden("affiliate_tables.wikitext", render_affiliate_tables(realistic_assessments(), CTX))


def test_split_status_pages_match_golden_files() -> None:
    pages = render_status_pages(
        realistic_assessments(), CTX, base_title="Partnerships/Status", max_bytes=2400
    )
    expected = ["", "/1", "/2", "/3"]
    assert expected == list(pages)
    for suffix, text in pages.items():
        check_golden(f"status_split{suffix.replace('/', '_') or '_main'}.wikitext", text)


def test_run_report_matches_golden_file() -> None:
    items = [
        ReportItem("Partnerships/Status", "markers damaged: the end marker is missing",
                   dt.date(2024, 10, 30)),
        ReportItem("Partnerships/B", HOSTILE_NAME + "\nsecond line", dt.date(2024, 9, 1)),
        ReportItem("Partnerships/A", "page is protected", dt.date(2024, 10, 1)),
        ReportItem("Partnerships/A", "page is protected", dt.date(2024, 10, 1)),
    ]  # fmt: skip
    check_golden("run_report.wikitext", render_run_report(items))


def test_same_input_in_any_order_gives_identical_bytes() -> None:
    shuffled = realistic_assessments()
    random.Random(7).shuffle(shuffled)  # noqa: S311 - a fixed order, not a secret
    expected = render_status_table(realistic_assessments(), CTX)
    assert expected.encode() == render_status_table(shuffled, CTX).encode()
    assert render_affiliate_tables(realistic_assessments(), CTX) == render_affiliate_tables(
        shuffled, CTX
    )


def _rows(text: str) -> list[str]:
    """Return the text of each data row (without the table's closing line)."""
    return [row.split("\n|}")[0] for row in text.split("\n|-\n")[1:]]


def test_rows_follow_stage_order_then_name() -> None:
    names = [row.split("|<bdi>", 1)[1][:8] for row in _rows(render_status_table(
        realistic_assessments(), CTX))]  # fmt: skip
    expected = ["Museum o", "مكتبة ال", "ארכיון ה", "Biblioth", "👩‍🔬 Scie", "Evil&#12"]
    assert expected == names


def test_partner_name_is_truncated() -> None:
    text = render_status_table(realistic_assessments(), CTX)
    assert ("Very " * 2000 not in text, "Very Very…</bdi>" in text) == (True, True)


def test_category_page_is_linked_not_categorised() -> None:
    assert "| [[:Category:Partnerships in Narnia|<bdi>Evil" in render_status_table(
        realistic_assessments(), CTX
    )


def test_second_infobox_on_a_page_is_marked() -> None:
    assert "]] <small>(infobox 2)</small>" in render_status_table(realistic_assessments(), CTX)


def test_checklist_score_sorts_by_proportion() -> None:
    text = render_status_table(realistic_assessments(), CTX)
    cells = re.findall(r'data-sort-value="([-0-9.]+)" \| (\d+/\d+)', text)
    assert {
        ("0.8750", "14/16"), ("0.5556", "5/9"), ("0.9167", "11/12"), ("0.3333", "1/3"),
        ("1.0000", "8/8"), ("-1", "0/0"),
    } == set(cells)  # fmt: skip


def test_next_date_is_the_earlier_of_review_and_next_step() -> None:
    text = render_status_table(realistic_assessments(), CTX)
    assert '| data-sort-value="2025-01-15" | 2025-01-15 (next step)' in text


def test_closed_partnership_shows_no_next_date() -> None:
    row = [row for row in _rows(render_status_table(realistic_assessments(), CTX)) if "Lab" in row]
    assert row[0].endswith('\n| data-sort-value="9999-12-31" |')


def test_past_next_date_is_overdue_when_today_is_given() -> None:
    ctx = TableContext(FLAG_LABELS, CTX.last_updated, today=dt.date(2024, 11, 2))
    text = render_status_table(realistic_assessments(), ctx)
    assert "2024-10-01 (review, overdue)" in text
    assert "2025-01-15 (next step)\n" in text


def test_flags_show_their_labels_once() -> None:
    text = render_status_table(realistic_assessments(), CTX)
    labels = "| <bdi>Money changes hands</bdi>, <bdi>Partner asks for exclusivity</bdi>\n"
    expected = (1, True)
    assert expected == (text.count("Money changes hands"), labels in text)


def test_unknown_flag_shows_its_escaped_id() -> None:
    assert "| <bdi>x&#93;&#93;&#123;&#123;y&#125;&#125;</bdi>\n" in render_status_table(
        realistic_assessments(), CTX
    )


def test_lead_is_affiliate_else_who_leads() -> None:
    text = render_status_table(realistic_assessments(), CTX)
    leads = [row.split("\n")[2] for row in _rows(text)]
    expected = "| Individual volunteers"
    assert expected == leads[0]
    assert "| <bdi>Wikimédia France</bdi>" in leads


def test_legend_explains_every_column() -> None:
    head = render_status_table(realistic_assessments(), CTX).split("{|", 1)[1].split("|-", 1)[0]
    columns = [line.rsplit("| ", 1)[-1].lstrip("! ") for line in head.splitlines()[1:]]
    legend = render_legend()
    expected = [True] * 10
    assert expected == [f"'''{column}'''" in legend for column in columns]


def test_last_updated_is_the_time_passed_in() -> None:
    ctx = TableContext({}, dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    assert "Last updated: 2024-01-02 01:04 UTC" in render_status_table([], ctx)


def test_last_updated_must_carry_a_timezone() -> None:
    with pytest.raises(ValueError, match="timezone"):
        TableContext({}, dt.datetime(2024, 1, 2))


def test_no_partnerships_gives_no_table() -> None:
    text = render_status_table([], CTX)
    expected = (True, False)
    assert expected == (text.endswith(NOTHING_TO_LIST + "\n"), "{|" in text)


def test_affiliates_are_sorted_with_unnamed_last() -> None:
    text = render_affiliate_tables(realistic_assessments(), CTX)
    headings = re.findall(r"^== (.*) ==$", text, re.MULTILINE)
    expected = [
        "<bdi>&#39;&#39;Wiki&#39;&#39; &lt;script&gt;alert(1)&lt;/script&gt; "
        "&amp;lt;b&amp;gt;</bdi>",
        "<bdi>wikimedia deutschland</bdi>",
        "<bdi>Wikimedia Israel</bdi>",
        "<bdi>Wikimedians of the Levant (test)</bdi>",
        "<bdi>Wikimédia France</bdi>",
        "No affiliate given",
    ]
    assert expected == headings


def test_affiliate_tables_have_no_lead_column() -> None:
    text = render_affiliate_tables(realistic_assessments(), CTX)
    assert ("! Lead" in text, "'''Lead'''" in text) == (False, False)


# --- structure under random input ---

dates = st.none() | st.builds(
    WikiDate, st.integers(2000, 2030), st.integers(1, 12), st.none() | st.integers(1, 28)
)
titles = st.sampled_from(
    ["Partnerships/A", "Category:Spam", "File:Big.jpg", "Template:X", "AT&T", "A]]B", "A|B", ""]
)
records = st.builds(
    PartnershipRecord,
    page=titles,
    index=st.integers(0, 3),
    name=hostile_text,
    partner=hostile_text,
    affiliate=hostile_text,
    led_by=st.none() | st.sampled_from(LedBy),
    types=st.lists(st.sampled_from(PartnershipType), max_size=3).map(tuple),
    status=st.none() | st.sampled_from(Status),
    next_review=dates,
    next_step_date=dates,
    flags=(st.lists(st.sampled_from([*FLAG_LABELS, "|}", "{{x}}"])) | st.lists(hostile_text)).map(
        tuple
    ),
)
assessments = st.builds(
    _assessment,
    records,
    st.builds(Score, st.integers(0, 20), st.integers(0, 20)),
    st.integers(0, 3),
    st.integers(0, 3),
)

_ALLOWED_TAGS = {"table", "tr", "th", "td", "bdi", "small", "b", "li"}


def _table_structure(text: str) -> list[int]:
    """Return the number of cells in each data row of the only table, checking node types."""
    code = mwparserfromhell.parse(text)
    kinds = [
        node
        for node in code.filter(recursive=True)
        if isinstance(node, Template | ExternalLink | Comment | Heading)
        or (isinstance(node, Tag) and str(node.tag) not in _ALLOWED_TAGS)
    ]
    expected = []
    assert expected == kinds
    for link in code.filter_wikilinks():
        assert str(link.title).startswith(":")
    tables = code.filter_tags(matches=lambda node: node.tag == "table")
    expected = 1
    assert expected == len(tables)
    rows = [node for node in tables[0].contents.nodes if isinstance(node, Tag) and node.tag == "tr"]
    return [
        len([cell for cell in row.contents.nodes if isinstance(cell, Tag) and cell.tag == "td"])
        for row in rows
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(assessments, min_size=1, max_size=6))
def test_random_records_give_one_row_each_with_fixed_columns(items: list[Assessment]) -> None:
    text = render_status_table(items, CTX)
    row_lines = [line for line in text.splitlines() if line.startswith("|-")]
    assert (len(items), [10] * len(items)) == (len(row_lines), _table_structure(text))
    expected = 1
    assert expected == text.count("\n|}")


@settings(max_examples=30, deadline=None)
@given(st.lists(assessments, max_size=6))
def test_affiliate_sections_hold_every_record_once(items: list[Assessment]) -> None:
    text = render_affiliate_tables(items, CTX)
    row_lines = [line for line in text.splitlines() if line.startswith("|-")]
    data_cells = [line for line in text.splitlines() if line.startswith("|") and line[:2] not in
                  ("|-", "|}")]  # fmt: skip
    assert (len(items), 9 * len(items)) == (len(row_lines), len(data_cells))


@settings(max_examples=25, deadline=None)
@given(st.lists(assessments, min_size=1, max_size=12), st.integers(1500, 6000))
def test_split_pages_keep_every_row_in_order_within_the_limit(
    items: list[Assessment], max_bytes: int
) -> None:
    whole = render_status_table(items, CTX)
    pages = render_status_pages(items, CTX, base_title="Partnerships/Status", max_bytes=max_bytes)
    if len(pages) == 1:
        assert whole == pages[""]
        return
    parts = [pages[f"/{number}"] for number in range(1, len(pages))]
    assert _rows(whole) == [row for part in parts for row in _rows(part)]
    for part in parts:
        assert len(part.encode()) <= max_bytes or len(_rows(part)) == 1
    assert [f"[[:Partnerships/Status/{n}|" for n in range(1, len(pages))] == re.findall(
        r"\[\[:Partnerships/Status/\d+\|", pages[""]
    )
    assert pages == render_status_pages(
        list(reversed(items)), CTX, base_title="Partnerships/Status", max_bytes=max_bytes
    )


def test_affiliate_section_cut_between_parts_continues_under_its_heading() -> None:
    items = [a for a in realistic_assessments() if a.record.affiliate == ""]
    many = [
        _assessment(PartnershipRecord(page=f"P/{n}", name=f"Name {n:02d}", affiliate="WMDE"),
                    Score(1, 2))
        for n in range(30)
    ] + items  # fmt: skip
    pages = render_affiliate_pages(
        many, CTX, base_title="Partnerships/By affiliate", max_bytes=5000
    )
    headings = [re.findall(r"^== (.*) ==$", text, re.MULTILINE) for text in pages.values()]
    expected = []
    assert expected == headings[0]
    expected = ["<bdi>WMDE</bdi>"]
    assert expected == headings[1]
    expected = "<bdi>WMDE</bdi> (continued)"
    assert expected == headings[2][0]
    expected = "No affiliate given"
    assert expected == headings[-1][-1]


# --- report and summary ---


def test_empty_run_report_says_so() -> None:
    expected = "No problems to report.\n"
    assert expected == render_run_report([])


@given(st.lists(st.builds(ReportItem, titles, hostile_text, st.dates()), max_size=5))
def test_run_report_has_one_row_per_distinct_item(items: list[ReportItem]) -> None:
    text = render_run_report(items)
    rows = [line for line in text.splitlines() if line == "|-"]
    assert len(set(items)) == len(rows)
    if items:
        assert [3] * len(rows) == _table_structure(text)


def test_edit_summary_is_fixed_text_and_sorted_counts() -> None:
    expected = "Partnership tracker: update (3 errors, 12 partnerships)"
    assert expected == edit_summary(
        "Partnership tracker: update", {"partnerships": 12, "errors": 3}
    )


def test_edit_summary_is_at_most_500_characters() -> None:
    summary = edit_summary("x" * 600, {"partnerships": 1})
    expected = (SUMMARY_LIMIT, True)
    assert expected == (len(summary), summary.endswith("…"))


def test_edit_summary_drops_link_syntax_from_the_prefix() -> None:
    expected = "Update by User:Bot"
    assert expected == edit_summary("Update by [[User:Bot]]", {})


@pytest.mark.parametrize("name", ["[[Category:Spam]]", "Partner name", "", "a" * 41])
def test_edit_summary_refuses_values_as_count_names(name: str) -> None:
    with pytest.raises(ValueError, match="count names"):
        edit_summary("Update", {name: 1})


@given(hostile_text)
def test_edit_summary_never_carries_link_or_template_syntax(prefix: str) -> None:
    summary = edit_summary(prefix, {"partnerships": 3})
    expected = (False, True)
    assert expected == (
        any(mark in summary for mark in ("[", "{", "<", "|", "~", "/*", "\n")),
        len(summary) <= SUMMARY_LIMIT,
    )


def test_edit_summary_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match="whole number"):
        edit_summary("Update", {"rows": -1})
