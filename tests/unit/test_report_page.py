"""The bot's report page, its health line, the notes on frozen pages and the edit summaries.

Golden files live in ``tests/unit/golden/``; after an intended change rewrite them with
``PARTNERBOT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_report_page.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n_files import load_messages
from bot.model import Finding, Severity
from bot.pages.blocks import begin_marker
from bot.pages.plan import REPORTABLE, WriteStatus
from bot.render.bot_pages import (
    NOTES_BLOCK,
    breaker_note,
    damaged_markers_note,
    human_edit_note,
    page_intro,
    retired_part_note,
)
from bot.render.edit_summary import SUMMARY_LIMIT, edit_summary, message_summary
from bot.render.escape import escape_text
from bot.render.finding_text import finding_line, rule_link
from bot.render.report_page import (
    STATUS_PROBLEMS,
    HealthFigures,
    ReportItem,
    render_health,
    render_run_report,
    report_block,
    report_key,
    status_problem,
)
from tests.unit.test_escape import hostile_text
from tests.unit.test_render import _table_structure, check_golden, titles

ENGLISH = load_messages("en")
FRENCH = load_messages("fr")
FIGURES = HealthFigures(pages=16, partnerships=17, with_errors=1, with_warnings=9, problems=2)
DAY = dt.date(2026, 11, 29)


def _health(figures: HealthFigures = FIGURES, messages=ENGLISH) -> str:
    return render_health(figures, messages, day=DAY, run_page="User:PartnerBot/Run")


def test_report_matches_golden_file() -> None:
    unreadable = Finding(
        "Partnerships/B", None, "infobox-unparseable", Severity.ERROR, None, "faq",
        reason="kept-last-readable",
    )  # fmt: skip
    items = [
        ReportItem("Partnerships/Status", status_problem(ENGLISH, WriteStatus.MARKERS_DAMAGED),
                   dt.date(2024, 10, 30)),
        ReportItem("Partnerships/B", finding_line(unreadable, ENGLISH, "Partnerships/Method"),
                   dt.date(2024, 9, 1)),
        ReportItem("Partnerships/A", status_problem(ENGLISH, WriteStatus.PROTECTED),
                   dt.date(2024, 10, 1)),
        ReportItem("Partnerships/A", status_problem(ENGLISH, WriteStatus.PROTECTED),
                   dt.date(2024, 10, 1)),
    ]  # fmt: skip
    check_golden("run_report.wikitext", report_block(_health(), render_run_report(items, ENGLISH)))


def test_empty_report_says_so() -> None:
    assert "\nNo problems to report.\n" in render_run_report([], ENGLISH)


@given(st.lists(st.builds(ReportItem, titles, hostile_text.map(escape_text), st.dates()),
                max_size=5))  # fmt: skip
def test_report_has_one_row_per_distinct_item(items: list[ReportItem]) -> None:
    text = render_run_report(items, ENGLISH)
    rows = [line for line in text.splitlines() if line == "|-"]
    assert len(set(items)) == len(rows)
    if items:
        assert [3] * len(rows) == _table_structure(text, 1)


def test_a_problem_keeps_its_key_whatever_the_language() -> None:
    assert report_key("P", "write\nstatus\nHUMAN_EDIT") == report_key(
        "P", "write\nstatus\nHUMAN_EDIT"
    )
    assert report_key("P", "breaker") != report_key("Q", "breaker")


@pytest.mark.parametrize("status", sorted(REPORTABLE))
def test_every_reportable_status_says_what_to_do(status: WriteStatus) -> None:
    expected = (True, True)
    assert expected == (status in STATUS_PROBLEMS, len(status_problem(FRENCH, status)) > 60)


def test_a_finding_reads_severity_rule_and_sentence() -> None:
    finding = Finding("P", 0, "license-not-free", Severity.ERROR, "license", "faq")
    sentence = escape_text(ENGLISH.text("partnerbot-checklist-rule-license-not-free"))
    link = "[[Partnerships/Method#license-not-free|license-not-free]]"
    expected = f"'''Error''' ({link}): {sentence}"
    assert expected == finding_line(finding, ENGLISH, "Partnerships/Method")


def test_a_rule_id_that_is_not_a_plain_id_is_not_linked() -> None:
    expected = "<code>a&#93;&#93;b</code>"
    assert expected == rule_link("a]]b", "Partnerships/Method")


# --- health ---


def test_health_line_is_what_the_status_page_transcludes() -> None:
    text = _health()
    included = text[text.index("<onlyinclude>") : text.index("</onlyinclude>")]
    assert "The bot is running." in included
    assert "That run found" not in included


def test_the_wiki_shows_the_bot_stopped_after_the_next_day() -> None:
    expected = "{{#ifexpr: {{CURRENTYEAR}}{{CURRENTMONTH}}{{CURRENTDAY2}} > 20261130\n"
    assert expected in _health()


def test_the_stopped_line_points_at_the_run_page() -> None:
    assert "no successful run since 29 November 2026. Check [[User:PartnerBot/Run|" in _health()


def test_health_figures_follow_the_plural_rules() -> None:
    one = HealthFigures(pages=1, partnerships=1, with_errors=0, with_warnings=1, problems=1)
    expected = (
        "That run found one page with the partnership infobox, holding one partnership: "
        "0 with errors and 1 with warnings. One problem needs a person (below)."
    )
    assert expected in _health(one)


def test_health_figures_in_french_write_numbers_the_french_way() -> None:
    many = HealthFigures(pages=1200, partnerships=1300, with_errors=0, with_warnings=0, problems=0)
    text = _health(many, FRENCH)
    assert "1\u202f200 pages" in text
    assert "Aucun problème ne demande d’intervention." in text


def test_report_block_opens_without_section_edit_links() -> None:
    assert report_block(_health(), "").startswith("__NOEDITSECTION__\n<onlyinclude>")


# --- notes and page text ---


def test_a_new_page_opens_with_a_sentence_and_an_empty_notes_block() -> None:
    intro = page_intro(ENGLISH, NOTES_BLOCK)
    expected = "This page is kept up to date by the partnership bot."
    assert intro.startswith(expected)
    assert intro.endswith(f"{begin_marker(NOTES_BLOCK)}\n<!-- partnerbot:end notes -->")


@pytest.mark.parametrize(
    "note",
    [
        human_edit_note(ENGLISH, "R"),
        damaged_markers_note(ENGLISH, "R"),
        breaker_note(ENGLISH, 40, 3, "R"),
    ],
)
def test_a_frozen_page_note_says_what_to_do_and_links_the_report(note: str) -> None:
    expected = (True, True, False)
    assert expected == ("[[R|" in note, "not being updated" in note, "partnerbot:" in note)


def test_breaker_note_gives_both_counts() -> None:
    assert "dropped from 40 to 3 at once" in breaker_note(ENGLISH, 40, 3, "R")


def test_retired_part_links_the_whole_table() -> None:
    expected = (
        "__NOEDITSECTION__\nCette partie n’est plus utile : le tableau complet se trouve sur "
        "[[:Partnerships/Status|<bdi>Partnerships/Status</bdi>]].\n"
    )
    assert expected == retired_part_note(FRENCH, "Partnerships/Status")


# --- edit summaries ---


def test_edit_summary_reads_naturally_with_counts() -> None:
    expected = "Partnership bot: status of 17 partnerships (1 with errors)"
    assert expected == message_summary(ENGLISH, "partnerbot-report-summary-tables", 17, 1)


def test_edit_summary_with_one_partnership_and_no_errors() -> None:
    expected = "Partnership bot: status of one partnership (none with errors)"
    assert expected == message_summary(ENGLISH, "partnerbot-report-summary-tables", 1, 0)


def test_edit_summary_in_french() -> None:
    expected = "Robot des partenariats : rapport (un problème demande une intervention)"
    assert expected == message_summary(FRENCH, "partnerbot-report-summary-report", 1)


@pytest.mark.parametrize("count", [-1, True, 1.5])
def test_edit_summary_counts_are_whole_numbers(count: int) -> None:
    with pytest.raises(ValueError, match="whole numbers"):
        message_summary(ENGLISH, "partnerbot-report-summary-report", count)


def test_configured_summary_is_fixed_text_and_sorted_counts() -> None:
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
