"""The top of the status page: counts, counts by stage, and what needs attention now.

Also checks that a page rendered in French carries no English sentence of the bundles: every
English message whose French differs contributes its fixed words, and none may appear.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.i18n_files import load_bundles
from bot.model import (
    Agreement,
    EvaluationMethod,
    LedBy,
    PartnershipRecord,
    PartnershipType,
    PartnerType,
    Scope,
    Score,
    Severity,
    Status,
    WikiDate,
)
from bot.render.messages import compile_message
from bot.render.status_rows import NEXT_STEP_OVERDUE, RENEWAL_OVERDUE, REVIEW_OVERDUE
from bot.render.status_summary import (
    ATTENTION_LIMIT,
    FOLLOW_UP_STALE,
    WARNING_FLAG,
    attention_list,
    stage_counts,
)
from bot.render.tables import TableContext, render_affiliate_tables, render_status_table
from bot.resources import load_checklist
from tests.unit.test_render import (
    CHANGED,
    CTX,
    ENGLISH,
    FLAG_LABELS,
    FRENCH,
    LINKS,
    _assessment,
    realistic_assessments,
)

ROOT = Path(__file__).resolve().parents[2]


def _attention(items: list | None = None) -> str:  # type: ignore[type-arg]
    return attention_list(items or realistic_assessments(), CTX.rows, "Partnerships/Method")


def test_the_attention_list_uses_rules_of_the_checklist() -> None:
    rules = {rule.id for rule in load_checklist(ROOT / "config" / "checklist.toml").rules}
    used = {REVIEW_OVERDUE, RENEWAL_OVERDUE, NEXT_STEP_OVERDUE, FOLLOW_UP_STALE, WARNING_FLAG}
    assert sorted(used - rules) == []


def test_errors_come_first_with_their_rules_linked_to_the_method_page() -> None:
    first = _attention().split("\n")[0:3]
    assert "'''Errors to fix''' (2)" in first[0]
    assert "[[Partnerships/Method#license-not-free|license-not-free]]" in first[2]


def test_overdue_reviews_and_renewals_give_their_dates() -> None:
    expected = "review due 1 October 2024 and renewal due September 2024"
    assert expected in _attention()


def test_stale_next_steps_give_the_date_and_the_last_contact() -> None:
    expected = "next step due 15 October 2024 and last contact 1 September 2024"
    assert expected in _attention()


def test_raised_flags_are_named() -> None:
    expected = "<bdi>Money changes hands</bdi>, <bdi>Partner asks for exclusivity</bdi>"
    assert expected in _attention().split("Warning flags raised")[1]


def test_paused_partnerships_are_left_out_and_the_list_says_so() -> None:
    text = _attention()
    assert ("Misspelt stage" not in text, text.endswith("are not listed here.\n")) == (True, True)


def test_each_item_links_the_partnership_page() -> None:
    assert "** [[:Partnerships/Alexandria|<bdi>مكتبة" in _attention()


def test_a_long_list_names_a_few_and_counts_the_rest() -> None:
    many = [
        _assessment(PartnershipRecord(page=f"P/{n}", name=f"N{n:02d}"), Score(1, 2), errors=1)
        for n in range(ATTENTION_LIMIT + 3)
    ]
    text = _attention(many)
    expected = (ATTENTION_LIMIT, True)
    assert expected == (text.count("** [[:P/"), "** … and 3 more (sort the table" in text)


def test_nothing_to_attend_to_says_so() -> None:
    calm = [_assessment(PartnershipRecord(page="P/1", name="Calm"), Score(3, 3))]
    expected = "Nothing needs attention now.\n"
    assert expected == _attention(calm)


def test_counts_by_stage_are_grouped_into_phases() -> None:
    text = stage_counts(realistic_assessments(), ENGLISH)
    expected = "! Running\n| 2\n| Agreed: 1 · Active: 1\n"
    assert expected in text
    assert "! Stage missing or invalid\n| 2\n" in text


def test_counts_by_stage_leave_out_empty_stages() -> None:
    records = [PartnershipRecord(page="P", status=Status.ACTIVE)]
    text = stage_counts([_assessment(records[0], Score(1, 1))], ENGLISH)
    assert ("Prospect" not in text, "Active: 1" in text) == (True, True)


def test_status_page_opens_with_health_counts_links_stages_and_attention() -> None:
    ctx = TableContext(FLAG_LABELS, CHANGED, messages=ENGLISH, links=LINKS)
    text = render_status_table(realistic_assessments(), ctx)
    order = [
        text.index("{{:Partnerships/Status/Bot report}}"),
        text.index("'''7 partnerships''' · 3 with errors · 2 overdue · 1 paused."),
        text.index("[[:Partnerships/Method|How the bot checks partnerships]]"),
        text.index("|+ Partnerships by stage"),
        text.index("== Needs attention now =="),
        text.index("mw-collapsible mw-collapsed"),
        text.index("== All partnerships =="),
    ]
    assert order == sorted(order)


def test_without_a_report_page_nothing_is_transcluded() -> None:
    assert "{{" not in render_status_table(realistic_assessments(), CTX)


def test_a_page_never_links_to_itself() -> None:
    ctx = TableContext(FLAG_LABELS, CHANGED, messages=ENGLISH, links=LINKS)
    text = render_status_table(realistic_assessments(), ctx)
    assert "[[:Partnerships/Status|" not in text


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 erreur"), (1, "1 erreur"), (2, "2 erreurs")]
)
def test_french_plurals_follow_french_rules(count: int, expected: str) -> None:
    assert expected == FRENCH.text("partnerbot-tables-errors", count)


# --- no English left in French ---

#: The areas of the messages the bot writes on its pages.
CHECKED_AREAS = (
    "partnerbot-tables-",
    "partnerbot-report-",
    "partnerbot-values-",
    "partnerbot-method-",
    "partnerbot-categories-",
)
_MARKUP = re.compile(r"'''|''|<[^>]+>|\[\[[^|\]]*\||\]\]|\[\[|\{\{[^}]*\}\}|[✖⚑⚠⏸✔⛔·:;,.()…]")


def english_fragments() -> set[str]:
    """Return the fixed words of every English message whose French text differs.

    A fragment is a run of text between parameters and markup with at least two words, or one
    word of at least eight letters, that the French message does not contain as well.
    """
    bundles = load_bundles()
    fragments = set()
    for key, english in bundles["en"].items():
        french = bundles["fr"].get(key, "")
        if french == english or not key.startswith(CHECKED_AREAS):
            continue
        for node in compile_message(english):
            if not isinstance(node, str):
                continue
            for piece in _MARKUP.split(node):
                words = piece.split()
                part = " ".join(words)
                long_word = len(words) == 1 and len(words[0]) >= 8
                if (len(words) >= 2 or long_word) and part not in french and part not in CODES:
                    fragments.add(part)
    return fragments


#: The values editors write in the infobox (``outreach``): the same words in every language.
CODES = frozenset(
    member.value
    for enum in (Status, PartnershipType, PartnerType, LedBy, Scope, Agreement, EvaluationMethod)
    for member in enum
)


#: Link targets, transclusions and values from the wiki (always inside <bdi>): not messages.
_TARGETS = re.compile(r"\[\[:?[^|\]]*\||\{\{[^}]*\}\}|<bdi>.*?</bdi>")


def english_in(text: str) -> list[str]:
    """Return the English fragments found as whole words in the visible part of ``text``."""
    shown = _TARGETS.sub(" ", text)
    return sorted(
        fragment
        for fragment in english_fragments()
        if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", shown)
    )


def test_the_check_finds_english_text_in_an_english_page() -> None:
    assert english_in(render_status_table(realistic_assessments(), CTX)) != []


@pytest.mark.parametrize("render", [render_status_table, render_affiliate_tables])
def test_a_french_page_has_no_english_sentence(render: Callable[..., str]) -> None:
    ctx = TableContext(FLAG_LABELS, CHANGED, messages=FRENCH, links=LINKS)
    assert english_in(render(realistic_assessments(), ctx)) == []


def test_errors_are_counted_per_partnership_in_the_summary() -> None:
    record = PartnershipRecord(page="P", name="One", next_step_date=WikiDate(2020, 1))
    assessment = _assessment(record, Score(1, 2), errors=3)
    text = render_status_table([assessment], CTX)
    assert "'''One partnership''' · 1 with errors." in text
    assert assessment.count(Severity.ERROR) == 3
