"""Messages compose text as MediaWiki's message syntax says, in the wiki's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.render.messages import Messages, UnknownLanguageError, compile_message, language_chain

ITEMS = "{{PLURAL:$1|$1 item|$1 items}}"
BUNDLES = {
    "en": {
        "test-items": ITEMS,
        "test-errors": "$1 {{PLURAL:$1|error|errors}} on $2",
        "test-exact": "{{PLURAL:$1|0=nothing to report|$1 finding|$1 findings}}",
        "test-link": "{{PLURAL:$1|[[Special:Log|one entry]]|[[Special:Log|$1 entries]]}}",
        "test-nested": "{{PLURAL:$1|one page on {{PLURAL:$2|one wiki|$2 wikis}}|$1 pages}}",
        "test-trimmed": "[{{PLURAL:$1| one | other }}]",
        "test-params": "$2 before $1, $1 again",
        "test-english-only": "Only in English",
        "test-literal": "{{PLURAL:3|one|several}} and $1",
        "test-wikitext": "See [[Help:$1|the help]] and {{int:ok}}",
    },
    "fr": {
        "test-items": "{{PLURAL:$1|$1 élément|$1 éléments}}",
        "test-errors": "$1 {{PLURAL:$1|erreur|erreurs}} sur $2",
    },
    "ru": {"test-items": "{{PLURAL:$1|$1 файл|$1 файла|$1 файлов}}"},
    "ar": {"test-items": "{{PLURAL:$1|لا ملفات|ملف|ملفان|$1 ملفات|$1 ملفًا|$1 ملف}}"},
    "pt": {"test-items": "{{PLURAL:$1|$1 item|$1 itens}}"},
}


def messages(language: str) -> Messages:
    return Messages.from_bundles(language, BUNDLES)


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 0, "0 items"),
        ("en", 1, "1 item"),
        ("en", 2, "2 items"),
        ("en", 1234, "1,234 items"),
        ("fr", 0, "0 élément"),  # French counts 0 and 1 as singular
        ("fr", 1, "1 élément"),
        ("fr", 2, "2 éléments"),
        ("ru", 1, "1 файл"),
        ("ru", 3, "3 файла"),
        ("ru", 5, "5 файлов"),
        ("ru", 21, "21 файл"),
        ("ru", 11, "11 файлов"),
        ("ar", 0, "لا ملفات"),
        ("ar", 2, "ملفان"),
        ("ar", 11, "11 ملفًا"),
    ],
)
def test_plural_follows_the_language_rules(language: str, count: int, expected: str) -> None:
    assert expected == messages(language).text("test-items", count)


def test_one_error_is_never_one_errors() -> None:
    english = messages("en")
    assert english.text("test-errors", 1, "Foo") == "1 error on Foo"
    assert english.text("test-errors", 3, "Foo") == "3 errors on Foo"


@given(st.integers(min_value=0, max_value=10**9))
def test_english_singular_only_for_one(count: int) -> None:
    text = messages("en").text("test-errors", count, "x")
    assert text.endswith("errors on x") == (count != 1)


def test_numbers_in_parameters_are_formatted_for_the_language() -> None:
    assert messages("fr").text("test-errors", 12345, "x") == "12\u202f345 erreurs sur x"
    assert messages("en").text("test-errors", 12345, "x") == "12,345 errors on x"


def test_explicit_form_wins_for_its_number() -> None:
    english = messages("en")
    assert english.text("test-exact", 0) == "nothing to report"
    assert english.text("test-exact", 1) == "1 finding"
    assert english.text("test-exact", 5) == "5 findings"


def test_pipes_inside_links_do_not_split_forms() -> None:
    english = messages("en")
    assert english.text("test-link", 1) == "[[Special:Log|one entry]]"
    assert english.text("test-link", 4) == "[[Special:Log|4 entries]]"


def test_nested_plural() -> None:
    english = messages("en")
    assert english.text("test-nested", 1, 1) == "one page on one wiki"
    assert english.text("test-nested", 1, 3) == "one page on 3 wikis"
    assert english.text("test-nested", 2, 3) == "2 pages"


def test_forms_are_trimmed_as_mediawiki_trims_parser_function_arguments() -> None:
    assert messages("en").text("test-trimmed", 1) == "[one]"


def test_parameters_in_any_order_and_repeated() -> None:
    assert messages("en").text("test-params", "a", "b") == "b before a, a again"


def test_parameters_are_inserted_as_given() -> None:
    # Message text keeps its wikitext; a parameter's markup is the caller's to escape.
    english = messages("en")
    assert english.text("test-wikitext", "Tables") == "See [[Help:Tables|the help]] and {{int:ok}}"
    assert english.text("test-params", "$2", "[[x]]") == "[[x]] before $2, $2 again"


def test_literal_number_plural() -> None:
    assert messages("en").text("test-literal", "x") == "several and x"


def test_plural_of_a_numeric_string_and_a_decimal() -> None:
    english = messages("en")
    assert english.text("test-items", "1") == "1 item"
    assert english.text("test-items", Decimal("2.5")) == "2.5 items"


def test_missing_key_falls_back_to_english() -> None:
    assert messages("fr").text("test-english-only") == "Only in English"


def test_regional_language_falls_back_to_its_base_language() -> None:
    assert language_chain("pt-br") == ("pt-br", "pt", "en")
    assert messages("pt-br").text("test-items", 2) == "2 itens"


def test_key_missing_in_english_is_a_bug() -> None:
    with pytest.raises(KeyError, match="test-nowhere"):
        messages("fr").text("test-nowhere")


def test_missing_parameter_names_the_key() -> None:
    with pytest.raises(ValueError, match=r"test-errors.*\$2"):
        messages("en").text("test-errors", 2)


def test_plural_of_text_names_the_key() -> None:
    with pytest.raises(ValueError, match=r"test-items.*not a number"):
        messages("en").text("test-items", "many")


def test_unclosed_plural_is_refused() -> None:
    with pytest.raises(ValueError, match="unclosed"):
        compile_message("{{PLURAL:$1|one|two")


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(UnknownLanguageError, match="'xx'"):
        messages("xx")


def test_dates_and_months_in_the_language() -> None:
    day = dt.date(2026, 11, 29)
    assert messages("en").date(day) == "29 November 2026"
    assert messages("fr").date(day) == "29 novembre 2026"
    assert messages("en").month(2026, 11) == "November 2026"
    assert messages("fr").month(2026, 11) == "novembre 2026"


def test_lists_in_the_language() -> None:
    assert messages("en").join(["a", "b", "c"]) == "a, b and c"
    assert messages("fr").join(["a", "b", "c"]) == "a, b et c"
    assert messages("fr").join(["a", "b"], style="or") == "a ou b"
    assert messages("en").join([]) == ""


def test_a_yes_no_value_is_not_a_number() -> None:
    with pytest.raises(TypeError):
        messages("en").number(True)
