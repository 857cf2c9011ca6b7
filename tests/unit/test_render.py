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
from mwparserfromhell.nodes import Comment, ExternalLink, Tag, Template

from bot.i18n_files import load_messages
from bot.model import (
    Assessment,
    Finding,
    LedBy,
    PartnershipRecord,
    PartnershipType,
    Problem,
    Score,
    Severity,
    Status,
    WikiDate,
)
from bot.render.tables import (
    PageLinks,
    TableContext,
    render_affiliate_pages,
    render_affiliate_tables,
    render_status_pages,
    render_status_table,
)
from tests.unit.test_escape import hostile_text

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PARTNERBOT_UPDATE_GOLDEN") == "1"
ENGLISH = load_messages("en")
FRENCH = load_messages("fr")

FLAG_LABELS = {
    "money-exchanged": "Money changes hands",
    "exclusive-access": "Partner asks for exclusivity",
    "no-free-licence": "Content not under a free licence",
}
CHANGED = dt.datetime(2024, 11, 2, 9, 30, tzinfo=dt.UTC)
CTX = TableContext(FLAG_LABELS, CHANGED, messages=ENGLISH)
LINKS = PageLinks(
    status="Partnerships/Status",
    affiliates="Partnerships/Status/Affiliates",
    method="Partnerships/Method",
    report="Partnerships/Status/Bot report",
)
LINKED = TableContext(FLAG_LABELS, CHANGED, messages=ENGLISH, links=LINKS)
HOSTILE_NAME = "Evil|}{{subst:PAGENAME}}[[Category:Spam]]~~~~<!-- __NOTOC__"


def _finding(page: str, severity: Severity, rule: str = "rule") -> Finding:
    return Finding(page, 0, rule, severity, None, "source")


def _assessment(
    record: PartnershipRecord,
    score: Score,
    errors: int = 0,
    warnings: int = 0,
    rules: tuple[str, ...] = (),
) -> Assessment:
    """Return an assessment with ``errors`` and ``warnings`` (named by ``rules`` when given)."""
    named = list(rules)
    findings = [
        _finding(record.page, Severity.ERROR, named.pop(0) if named else "error-rule")
        for _ in range(errors)
    ] + [
        _finding(record.page, Severity.WARNING, named.pop(0) if named else "warning-rule")
        for _ in range(warnings)
    ]
    findings.append(_finding(record.page, Severity.INFO))
    return Assessment(record, tuple(findings), score)


def realistic_assessments() -> list[Assessment]:
    """Return partnerships a coordinator could meet, including hostile and unusual text."""
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
                next_step_date=WikiDate(2024, 10, 15),
                last_contact=WikiDate(2024, 9, 1),
                flags=("money-exchanged", "money-exchanged", "exclusive-access"),
            ),
            Score(5, 9),
            errors=2,
            warnings=3,
            rules=(
                "license-not-free",
                "agreement-missing",
                "warning-flag",
                "next-step-overdue",
                "follow-up-stale",
            ),
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
                agreement_renewal=WikiDate(2024, 9),
            ),
            Score(11, 12),
            warnings=2,
            rules=("review-overdue", "agreement-renewal-overdue"),
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
                page="Partnerships/Typo",
                params=(
                    ("status", "actve"),
                    ("type", "outreach, recrutment"),
                    ("next_review", "Spring 2025"),
                ),
                name="Misspelt stage",
                partner="Misspelt stage",
                affiliate="Wikimédia France",
                types=(PartnershipType.OUTREACH,),
                problems=(
                    Problem("status-invalid", "status", "'actve' is not a known status"),
                    Problem("type-invalid", "type", "'recrutment' is not a known type"),
                    Problem("date-invalid", "next_review", "'Spring 2025' is not a date"),
                ),
                bot=False,
            ),
            Score(2, 7),
            errors=2,
            rules=("status-invalid", "type-invalid"),
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


def test_status_page_matches_golden_file() -> None:
    check_golden("status_table.wikitext", render_status_table(realistic_assessments(), LINKED))


def test_french_status_page_matches_golden_file() -> None:
    ctx = TableContext(FLAG_LABELS, CHANGED, messages=FRENCH, links=LINKS)
    check_golden("status_table_fr.wikitext", render_status_table(realistic_assessments(), ctx))


def test_affiliate_tables_match_golden_file() -> None:
    text = render_affiliate_tables(realistic_assessments(), LINKED)
    check_golden("affiliate_tables.wikitext", text)


def test_split_status_pages_match_golden_files() -> None:
    pages = render_status_pages(
        realistic_assessments(), CTX, base_title="Partnerships/Status", max_bytes=3700
    )
    expected = ["", "/1", "/2", "/3"]
    assert expected == list(pages)
    for suffix, text in pages.items():
        check_golden(f"status_split{suffix.replace('/', '_') or '_main'}.wikitext", text)


def test_same_input_in_any_order_gives_identical_bytes() -> None:
    shuffled = realistic_assessments()
    random.Random(7).shuffle(shuffled)  # noqa: S311 - a fixed order, not a secret
    expected = render_status_table(realistic_assessments(), LINKED)
    assert expected.encode() == render_status_table(shuffled, LINKED).encode()
    assert render_affiliate_tables(realistic_assessments(), LINKED) == render_affiliate_tables(
        shuffled, LINKED
    )


def _data_table(text: str) -> str:
    """Return the table of partnerships (the last table of a status page)."""
    return text[text.rindex('{| class="wikitable sortable partnerbot-status"') :]


def _rows(text: str) -> list[str]:
    """Return the text of each data row (with its ``|-`` line, without the table's end)."""
    table = _data_table(text)
    return [row.split("\n|}")[0] for row in re.split(r"\n(?=\|-)", table)[1:]]


def _row(name: str, ctx: TableContext = CTX) -> str:
    [row] = [row for row in _rows(render_status_table(realistic_assessments(), ctx)) if name in row]
    return row


def test_rows_follow_stage_order_then_name() -> None:
    names = [row.split("|<bdi>", 1)[1][:8] for row in _rows(render_status_table(
        realistic_assessments(), CTX))]  # fmt: skip
    expected = [
        "Museum o", "مكتبة ال", "ארכיון ה", "Biblioth", "👩‍🔬 Scie", "Evil&#12", "Misspelt"
    ]  # fmt: skip
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


def test_partner_and_lead_sit_under_the_name() -> None:
    expected = (
        "<br /><small><bdi>Bibliothèque nationale de France</bdi> · <bdi>Wikimédia France</bdi>"
        "</small><br />"
    )
    assert expected in _row("Gallica")


def test_partner_equal_to_the_name_is_not_repeated() -> None:
    expected = "]]<br /><small><bdi>Wikimédia France</bdi></small><br />"
    assert expected in _row("Misspelt stage")


def test_checklist_score_sorts_by_proportion() -> None:
    text = render_status_table(realistic_assessments(), CTX)
    cells = re.findall(r'data-sort-value="([-0-9.]+)" \| (\d+/\d+)', text)
    assert {
        ("0.8750", "14/16"), ("0.5556", "5/9"), ("0.9167", "11/12"), ("0.3333", "1/3"),
        ("1.0000", "8/8"), ("-1", "0/0"), ("0.2857", "2/7"),
    } == set(cells)  # fmt: skip


def test_problems_sort_by_errors_then_warnings() -> None:
    expected = '| data-sort-value="20003" | '
    assert expected in _row("الإسكندرية")


def test_next_date_is_the_earlier_of_review_and_next_step() -> None:
    expected = (
        '| data-sort-value="2025-01-15" | <span style="white-space:nowrap">2025-01-15</span>'
        "<br /><small>next step</small>"
    )
    assert _row("Gallica").endswith(expected)


def test_closed_partnership_shows_no_next_date() -> None:
    assert _row("Science").endswith('\n| data-sort-value="9999-12-31" |')


def test_overdue_review_and_renewal_are_marked_by_icon_and_word() -> None:
    expected = (
        "2024-10-01</span><br /><small>review</small>"
        "<br /><span aria-hidden=\"true\">⚠</span> '''review overdue'''"
        "<br /><span aria-hidden=\"true\">⚠</span> '''renewal overdue'''"
    )
    assert expected in _row("ארכיון")


def test_a_row_with_an_overdue_date_is_shaded_yellow() -> None:
    expected = '|- class="partnerbot-row-overdue" style="background-color:#fef6e7"'
    assert expected == _row("ארכיון").split("\n")[0]


def test_a_past_date_without_an_overdue_finding_is_not_marked() -> None:
    assert "overdue" not in _row("Gallica")


def test_a_row_with_errors_is_shaded_and_says_so_in_words() -> None:
    row = _row("الإسكندرية")
    expected = '|- class="partnerbot-row-error" style="background-color:#fee7e6"'
    assert expected == row.split("\n")[0]
    assert "<span aria-hidden=\"true\">✖</span> '''2 errors'''<br />3 warnings" in row


def test_one_error_is_singular() -> None:
    assert "'''1 error'''" in _row("Museum of Very")


def test_a_misspelt_stage_shows_what_was_written_marked_invalid() -> None:
    expected = (
        '| data-sort-value="10" | <span class="partnerbot-invalid" style="color:#bf3c2c">'
        "<bdi>actve</bdi> (invalid)</span>"
    )
    assert expected in _row("Misspelt stage")


def test_a_missing_stage_says_not_given() -> None:
    expected = '| data-sort-value="10" | <span style="color:#54595d">not given</span>\n'
    assert expected in _row("Evil")


def test_types_sit_under_the_partner() -> None:
    expected = '<br /><small style="color:#54595d">Content donation, Distribution</small>\n'
    assert expected in _row("Gallica")


def test_an_unknown_type_is_shown_as_written_after_the_known_ones() -> None:
    expected = (
        'Outreach, <span class="partnerbot-invalid" style="color:#bf3c2c"><bdi>recrutment</bdi>'
        " (invalid)</span></small>\n"
    )
    assert expected in _row("Misspelt stage")


def test_an_invalid_next_date_is_shown_marked_invalid() -> None:
    assert "<bdi>Spring 2025</bdi> (invalid)</span>" in _row("Misspelt stage")


def test_a_paused_record_says_so_under_its_stage() -> None:
    expected = '<br /><small><span aria-hidden="true">‖</span> paused</small>'
    assert expected in _row("Misspelt stage")


def test_flags_show_their_labels_once() -> None:
    row = _row("الإسكندرية")
    labels = "<bdi>Money changes hands</bdi>, <bdi>Partner asks for exclusivity</bdi></small>\n"
    expected = (1, True)
    assert expected == (row.count("Money changes hands"), labels in row)


def test_unknown_flag_shows_its_escaped_id() -> None:
    assert "<bdi>x&#93;&#93;&#123;&#123;y&#125;&#125;</bdi></small>\n" in _row("Evil")


def test_lead_is_the_affiliate_else_who_leads() -> None:
    expected = "· Individual volunteer</small>\n"  # no type given
    assert expected in _row("Museum of Very")


def test_an_unnamed_affiliate_lead_says_so() -> None:
    unnamed = PartnershipRecord(page="P/U", name="Unnamed", led_by=LedBy.AFFILIATE)
    text = render_status_table([_assessment(unnamed, Score(1, 1))], CTX)
    assert "<small>an affiliate (not named)</small>" in text


def test_legend_explains_every_column_in_a_collapsed_box() -> None:
    text = render_status_table(realistic_assessments(), CTX)
    head = _data_table(text).split("|-", 1)[0]
    columns = [line.rsplit("| ", 1)[-1].lstrip("! ") for line in head.splitlines()[1:]]
    start = text.index('<div class="mw-collapsible mw-collapsed')
    legend = text[start : text.index("</div></div>")]
    expected = [True] * 5
    assert expected == [f"'''{column}'''" in legend for column in columns]


def test_every_block_opens_without_section_edit_links() -> None:
    pages = render_status_pages(realistic_assessments(), CTX, base_title="S", max_bytes=5000)
    expected = [True] * len(pages)
    assert expected == [text.startswith("__NOEDITSECTION__\n") for text in pages.values()]


def test_last_updated_is_the_time_passed_in() -> None:
    changed = dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    ctx = TableContext({}, changed, messages=ENGLISH)
    assert "Data last changed on 2 January 2024 at 01:04 (UTC)." in render_status_table([], ctx)


def test_last_updated_must_carry_a_timezone() -> None:
    with pytest.raises(ValueError, match="timezone"):
        TableContext({}, dt.datetime(2024, 1, 2), messages=ENGLISH)


def test_no_partnerships_gives_no_table() -> None:
    text = render_status_table([], CTX)
    expected = (True, False)
    assert expected == (text.endswith("No partnerships to list.\n"), "partnerbot-status" in text)


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


def test_each_affiliate_has_a_summary_line() -> None:
    text = render_affiliate_tables(realistic_assessments(), CTX)
    section = text.split("== <bdi>Wikimédia France</bdi> ==\n", 1)[1]
    expected = (
        "'''2 partnerships''' · 1 with errors · 1 paused · Active: 1, Stage missing or invalid: 1"
    )
    assert expected == section.split("\n", 1)[0]


def test_affiliate_tables_name_no_lead() -> None:
    text = render_affiliate_tables(realistic_assessments(), CTX)
    expected = "]]<br /><small><bdi>Bibliothèque nationale de France</bdi></small><br />"
    assert expected in text


# --- structure under random input ---

dates = st.none() | st.builds(
    WikiDate, st.integers(2000, 2030), st.integers(1, 12), st.none() | st.integers(1, 28)
)
titles = st.sampled_from(
    ["Partnerships/A", "Category:Spam", "File:Big.jpg", "Template:X", "AT&T", "A]]B", "A|B", ""]
)
FIELDS = ("status", "type", "next_review", "next_step_date", "led_by")
records = st.builds(
    PartnershipRecord,
    page=titles,
    index=st.integers(0, 3),
    params=st.lists(st.tuples(st.sampled_from(FIELDS), hostile_text), max_size=3).map(tuple),
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
    problems=st.lists(
        st.builds(Problem, st.just("value-invalid"), st.sampled_from(FIELDS), st.just("bad"))
    ).map(tuple),
    bot=st.booleans(),
)
RULES = ("review-overdue", "agreement-renewal-overdue", "next-step-overdue", "warning-flag", "x")
assessments = st.builds(
    _assessment,
    records,
    st.builds(Score, st.integers(0, 20), st.integers(0, 20)),
    st.integers(0, 3),
    st.integers(0, 3),
    st.lists(st.sampled_from(RULES), max_size=4).map(tuple),
)

_ALLOWED_TAGS = {"table", "tr", "th", "td", "bdi", "small", "b", "li", "span", "br", "code", "div",
                 "caption", "dl", "dd", "ul"}  # fmt: skip


def _table_structure(text: str, headings: int) -> list[int]:
    """Return the number of cells in each row of the table of partnerships, checking nodes."""
    code = mwparserfromhell.parse(text)
    kinds = [
        node
        for node in code.filter(recursive=True)
        if isinstance(node, Template | ExternalLink | Comment)
        or (isinstance(node, Tag) and str(node.tag) not in _ALLOWED_TAGS)
    ]
    expected = []
    assert expected == kinds
    expected = headings
    assert expected == len(code.filter_headings())
    for link in code.filter_wikilinks():
        assert str(link.title).startswith(":")
    tables = code.filter_tags(matches=lambda node: node.tag == "table")
    rows = [
        node for node in tables[-1].contents.nodes if isinstance(node, Tag) and node.tag == "tr"
    ]
    return [
        len([cell for cell in row.contents.nodes if isinstance(cell, Tag) and cell.tag == "td"])
        for row in rows
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(assessments, min_size=1, max_size=6))
def test_random_records_give_one_row_each_with_fixed_columns(items: list[Assessment]) -> None:
    text = render_status_table(items, CTX)
    row_lines = [line for line in _data_table(text).splitlines() if line.startswith("|-")]
    assert (len(items), [5] * len(items)) == (len(row_lines), _table_structure(text, 2))
    expected = 1
    assert expected == _data_table(text).count("\n|}")


@settings(max_examples=30, deadline=None)
@given(st.lists(assessments, max_size=6))
def test_affiliate_sections_hold_every_record_once(items: list[Assessment]) -> None:
    text = render_affiliate_tables(items, CTX)
    tables = text.split('{| class="wikitable sortable partnerbot-status"')[1:]
    lines = [line for table in tables for line in table.splitlines()]
    row_lines = [line for line in lines if line.startswith("|-")]
    data_cells = [line for line in lines if line.startswith("|") and line[:2] not in ("|-", "|}")]
    assert (len(items), 5 * len(items)) == (len(row_lines), len(data_cells))


@settings(max_examples=25, deadline=None)
@given(st.lists(assessments, min_size=1, max_size=12), st.integers(3000, 9000))
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
        many, CTX, base_title="Partnerships/By affiliate", max_bytes=6000
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
