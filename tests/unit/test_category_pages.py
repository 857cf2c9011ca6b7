"""Every tracking category the infobox can add has a page that says what it collects."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pytest

from bot.contract import value_label_key
from bot.i18n_files import load_messages
from bot.model import PartnershipType, Status
from bot.render.category_pages import CategoryPage, render_category_pages
from bot.render.labels import stage_pairs, type_pairs

DATA_MODULE = (
    Path(__file__).resolve().parents[2] / "wiki_templates/module/partnership_infobox_data.lua"
)


def vocabulary(name: str, enum: type[StrEnum]) -> list[tuple[str, str]]:
    """Return (value, label) pairs of a vocabulary, labelled as the contract says."""
    messages = load_messages("en")
    return [(member.value, messages.text(value_label_key(name, member.value))) for member in enum]


STATUSES = vocabulary("status", Status)
TYPES = vocabulary("type", PartnershipType)


def pages(language: str) -> dict[str, CategoryPage]:
    rendered = render_category_pages(
        load_messages(language), template="Partnership infobox", statuses=STATUSES, types=TYPES
    )
    return {page.title: page for page in rendered}


def test_a_page_for_every_category_the_infobox_adds() -> None:
    titles = set(pages("en"))
    assert {f"Category:Partnerships with status {label}" for _, label in STATUSES} <= titles
    assert {f"Category:Partnerships of type {label}" for _, label in TYPES} <= titles
    assert "Category:Partnership infoboxes needing attention" in titles
    assert "Category:Partnership infoboxes with bot errors" in titles
    assert len(titles) == len(STATUSES) + len(TYPES) + 4


def test_maintenance_categories_are_hidden_and_the_others_are_not() -> None:
    hidden = {title for title, page in pages("en").items() if page.hidden}
    assert hidden == {
        "Category:Partnership infoboxes needing attention",
        "Category:Partnership infoboxes with bot errors",
    }
    for page in pages("en").values():
        assert page.text.startswith("__HIDDENCAT__\n") == page.hidden


def test_stage_category_explains_itself_and_sits_in_its_parent() -> None:
    page = pages("en")["Category:Partnerships with status On hold"]
    assert "<code>status = on_hold</code>" in page.text
    assert "[[Template:Partnership infobox|partnership infobox]]" in page.text
    assert page.text.endswith("[[Category:Partnerships by status|On hold]]")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_has_an_explanation(language: str) -> None:
    for page in pages(language).values():
        explanation = page.text.removeprefix("__HIDDENCAT__\n").split("\n")[0]
        assert len(explanation) > 60, page.title


def test_french_names() -> None:
    titles = set(pages("fr"))
    assert "Category:Partenariats à l’étape Active" in titles
    assert "Category:Infobox de partenariat à corriger" in titles


def test_english_stage_and_type_labels_are_the_infobox_labels() -> None:
    messages = load_messages("en")
    expected = (STATUSES, TYPES)
    assert expected == (
        [tuple(pair) for pair in stage_pairs(messages)],
        [tuple(pair) for pair in type_pairs(messages)],
    )


def test_installer_pages_use_the_wiki_language_labels() -> None:
    messages = load_messages("fr")
    rendered = render_category_pages(
        messages,
        template="Partnership infobox",
        statuses=stage_pairs(messages),
        types=type_pairs(messages),
    )
    titles = {page.title for page in rendered}
    assert "Category:Partenariats à l’étape En pause" in titles
