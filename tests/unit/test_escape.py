"""Escaping of untrusted infobox values: nothing a value contains may change the page structure."""

from __future__ import annotations

import html
import re
import unicodedata

import mwparserfromhell
import pytest
import regex
from hypothesis import example, given
from hypothesis import strategies as st
from mwparserfromhell.nodes import HTMLEntity, Text

from bot.render.escape import ELLIPSIS, clean_text, escape_text, escape_value, truncate
from bot.render.links import is_linkable_title, page_link

#: Strings that mean something to MediaWiki, mixed into generated text.
SPECIAL = [
    "|", "||", "!!", "!", "{|", "|}", "|-", "|+", "{{", "}}", "{{{", "}}}", "{{{1}}}",
    "[[Category:Spam]]", "[[File:Big.jpg|9999px]]", "[[:Category:X]]", "[[fr:X]]", "[[", "]]",
    "[http://x.example y]", "http://spam.example", "https://x.example/a", "mailto:a@b.example",
    "//x.example", "ftp://x", "~~~", "~~~~", "~~~~~", "<!--", "-->", "<nowiki>", "</nowiki>",
    "<pre>", "<ref>x", "<references/>", "<script>", "<span style=\"position:fixed\">", "&lt;",
    "&amp;", "&#124;", "&", "__NOTOC__", "__NOINDEX__", "#REDIRECT [[X]]", "ISBN 978-3-16-148410-0",
    "RFC 1234", "PMID 123", "*", "#", ":", ";", "=", "==", "----", " ", "\n", "\r\n", "\t",
    "\u2028", "\x85", "\u202a", "\u202e", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d",
    "\ufeff", "\x00", "\x1f", "\x7f", "\x9f", "\ud800", "\udfff", "\ufffe", "e\u0301", "''",
    "'''", "-{", "}-", "{{subst:PAGENAME}}", "{{#invoke:x}}", "== H ==", "👨‍👩‍👧", "🇩🇪",
    "1️⃣", "👍🏽", "عربي (123)", "עברית 42", "می\u200cخواهم",
]  # fmt: skip
hostile_text = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=6)), max_size=14).map(
    "".join
)

#: Sequences that must never appear in escaped text, whatever the input.
STRUCTURAL = [
    "|", "[", "]", "{", "}", "<", ">", "~", "=", "''", "__", "!!", "\n", "\r", "\t",
    "://", "mailto:", "ISBN", "RFC", "PMID",
]  # fmt: skip
_OWN_ENTITY = re.compile(r"&(?!amp;|lt;|gt;|#[0-9]+;)")
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a|b", "a&#124;b"),
        ("a||b", "a&#124;&#124;b"),
        ("a!!b", "a&#33;&#33;b"),
        ("{{subst:PAGENAME}}", "&#123;&#123;subst&#58;PAGENAME&#125;&#125;"),
        ("[[Category:Spam]]", "&#91;&#91;Category&#58;Spam&#93;&#93;"),
        ("~~~~", "&#126;&#126;&#126;&#126;"),
        ("<!-- x", "&lt;!-- x"),
        ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
        ("__NOTOC__", "&#95;&#95;NOTOC&#95;&#95;"),
        ("#REDIRECT [[X]]", "&#35;REDIRECT &#91;&#91;X&#93;&#93;"),
        ("http://spam.example", "http&#58;//spam.example"),
        ("ISBN 978-3-16", "&#73;SBN 978-3-16"),
        ("RFC 1234", "&#82;FC 1234"),
        ("* item", "&#42; item"),
        ("----", "&#45;---"),
        (":indent", "&#58;indent"),
        ("''bold''", "&#39;&#39;bold&#39;&#39;"),
        ("a = b", "a &#61; b"),
    ],
)
def test_wikitext_syntax_is_turned_into_character_references(value: str, expected: str) -> None:
    assert expected == escape_text(value)


@pytest.mark.parametrize(
    "name",
    [
        "Museum of Modern Art",
        "O'Brien & Sons",
        "Yahoo! Research",
        "Museum: a history",
        "Bibliothèque nationale de France",
        "مكتبة الإسكندرية (2024)",
        "ארכיון המדינה 1948–2024",
        "👩‍🔬 Lab 🇩🇪",
        "می\u200cخواهم",
    ],
)
def test_ordinary_names_stay_readable(name: str) -> None:
    assert name.replace("&", "&amp;") == escape_text(name)


def test_value_is_wrapped_in_bdi_for_right_to_left_text() -> None:
    expected = "<bdi>مكتبة (12)</bdi>"
    assert expected == escape_value("مكتبة (12)")


def test_empty_value_gives_no_bdi() -> None:
    expected = ""
    assert expected == escape_value(" \n\u200b ")


def test_newlines_collapse_to_one_space() -> None:
    expected = "a b * c"
    assert expected == clean_text("a\r\n\n  b\n* c")
    expected = "a b * c"
    assert expected == escape_text("a\nb\n* c")


def test_controls_and_bidi_overrides_are_stripped() -> None:
    expected = "abcd"
    assert expected == clean_text("a\x00b\u202ec\u2066\u200bd\ufeff\x9f")


def test_lone_surrogates_are_dropped() -> None:
    expected = "ab"
    assert expected == clean_text("a\ud800b\udfff")


def test_text_is_nfc() -> None:
    expected = "é"
    assert expected == clean_text("e\u0301")


def test_joiner_inside_emoji_sequence_is_kept() -> None:
    family = "👨\u200d👩\u200d👧"
    assert family == clean_text(family)


def test_joiner_at_the_edges_is_dropped() -> None:
    expected = "a b"
    assert expected == clean_text("\u200da \u200d b\u200c")


def test_long_value_is_truncated_with_ellipsis() -> None:
    result = escape_text("x" * 10_000, 120)
    expected = ("x" * 119 + ELLIPSIS, 120)
    assert expected == (result, len(result))


def test_truncation_keeps_zwj_emoji_whole() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"  # seven code points, one grapheme
    expected = "ab" + ELLIPSIS
    assert expected == truncate("ab" + family + "cd", 8)
    assert "ab" + family + ELLIPSIS == truncate("ab" + family + "cd", 10)


def test_truncation_never_splits_a_combining_mark() -> None:
    expected = "ab" + ELLIPSIS
    assert expected == truncate("ab" + "e\u0301\u0302" + "xyz", 5)


def test_truncation_keeps_flags_in_pairs() -> None:
    flags = "🇩🇪🇫🇷🇬🇧"
    expected = "🇩🇪🇫🇷" + ELLIPSIS
    assert expected == truncate(flags, 5)


def test_truncation_keeps_hangul_jamo_together() -> None:
    syllable = "\u1100\u1161\u11a8"  # one syllable written with conjoining jamo
    expected = syllable + ELLIPSIS
    assert expected == truncate(syllable * 3, 5)


def test_truncation_of_one_giant_cluster_leaves_only_the_ellipsis() -> None:
    expected = ELLIPSIS
    assert expected == truncate("e" + "\u0301" * 500, 50)


def test_category_title_is_linked_with_a_leading_colon() -> None:
    expected = "[[:Category:Spam|<bdi>Spam</bdi>]]"
    assert expected == page_link("Category:Spam", "Spam")


def test_title_with_link_syntax_is_not_linked() -> None:
    expected = "<bdi>x&#93;&#93; &#91;&#91;Category&#58;Y</bdi>"
    assert expected == page_link("x]] [[Category:Y", "x]] [[Category:Y")


def test_ampersand_in_a_title_is_escaped_but_still_links() -> None:
    expected = "[[:meta:AT&amp;T|<bdi>AT&amp;T</bdi>]]"
    assert expected == page_link("AT&T", "AT&T", prefix="meta:")


@pytest.mark.parametrize(
    "title", ["", ":Main Page", "A#b", "A|b", "A~~~", "100%25", "../x", "a\nb"]
)
def test_unsafe_titles_are_not_linkable(title: str) -> None:
    assert is_linkable_title(title) is False


def test_prefix_must_be_an_interwiki_prefix() -> None:
    with pytest.raises(ValueError, match="interwiki"):
        page_link("A", "A", prefix="]]")


@given(hostile_text)
@example("|}\n{|\n|-\n!!x")
@example("<!--<nowiki>{{{1}}}</nowiki>-->~~~~~")
def test_escaped_text_contains_no_structural_sequence(value: str) -> None:
    escaped = escape_text(value)
    expected = []
    assert expected == [token for token in STRUCTURAL if token in escaped]
    assert _OWN_ENTITY.search(escaped) is None
    assert _INVISIBLE.search(escaped) is None
    assert escaped[:1] not in set("*#:;-! ")
    escaped.encode("utf-8")  # no lone surrogates survive


@given(hostile_text)
def test_unescaping_gives_back_the_cleaned_text(value: str) -> None:
    assert clean_text(value) == html.unescape(escape_text(value))


@given(hostile_text, st.integers(min_value=1, max_value=40))
def test_unescaping_a_truncated_value_gives_the_truncated_clean_text(
    value: str, limit: int
) -> None:
    shown = html.unescape(escape_text(value, limit))
    assert (truncate(clean_text(value), limit), True) == (shown, len(shown) <= limit)


@given(hostile_text)
def test_cleaning_twice_changes_nothing(value: str) -> None:
    once = clean_text(value)
    assert once == clean_text(once)
    assert unicodedata.is_normalized("NFC", once)


@given(hostile_text, st.integers(min_value=1, max_value=30))
def test_truncation_cuts_only_at_cluster_boundaries(value: str, limit: int) -> None:
    text = clean_text(value)
    result = truncate(text, limit)
    if result == text:
        return
    kept = result.removesuffix(ELLIPSIS)
    boundaries, position = {0}, 0
    for cluster in regex.findall(r"\X", text):
        position += len(cluster)
        boundaries.add(position)
    cut = len(kept)
    # truncate() drops a space left before the ellipsis
    at_boundary = cut in boundaries or (text[cut : cut + 1] == " " and cut + 1 in boundaries)
    expected = (True, True)
    assert expected == (text.startswith(kept), at_boundary)


@given(hostile_text)
def test_parser_sees_only_text_and_character_references(value: str) -> None:
    nodes = mwparserfromhell.parse(escape_text(value)).nodes
    expected = []
    assert expected == [
        type(node).__name__ for node in nodes if not isinstance(node, Text | HTMLEntity)
    ]


def test_label_that_cleans_to_nothing_shows_the_title() -> None:
    expected = "[[:AT&amp;T|<bdi>AT&amp;T</bdi>]]"  # "[[:X|]]" would be rewritten on save
    assert expected == page_link("AT&T", "\u200b\n")
