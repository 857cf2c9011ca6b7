"""Managed blocks: damaged markers stop the edit, text outside the markers never changes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.pages.blocks import (
    BlockDamage,
    BlockSpan,
    DamageKind,
    begin_marker,
    end_marker,
    find_block,
    new_page_with_block,
    normalise_for_compare,
    replace_block,
)

BEGIN = "<!-- partnerbot:begin status -->"
END = "<!-- partnerbot:end status -->"
PAGE = f"Intro text.\n\n{BEGIN}\nold table\n{END}\n\n== Talk ==\nKept.\n"


def _kind(text: str) -> DamageKind | None:
    found = find_block(text, "status")
    return found.kind if isinstance(found, BlockDamage) else None


def test_markers_have_the_documented_format() -> None:
    expected = (BEGIN, END)
    assert expected == (begin_marker("status"), end_marker("status"))


def test_block_is_found_between_the_markers() -> None:
    span = find_block(PAGE, "status")
    assert isinstance(span, BlockSpan)
    expected = ("\nold table\n", BEGIN, END)
    assert expected == (
        PAGE[span.content_start : span.content_end],
        PAGE[span.start : span.content_start],
        PAGE[span.content_end : span.end],
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("no markers at all", DamageKind.MISSING),
        (f"{BEGIN}\nx\n", DamageKind.NO_END),
        (f"x\n{END}", DamageKind.NO_BEGIN),
        (f"{BEGIN}\n{BEGIN}\nx\n{END}", DamageKind.DUPLICATED),
        (f"{BEGIN}\nx\n{END}\n{END}", DamageKind.DUPLICATED),
        (f"{BEGIN}\na\n{END}\n{BEGIN}\nb\n{END}", DamageKind.DUPLICATED),
        (f"{END}\nx\n{BEGIN}", DamageKind.OUT_OF_ORDER),
        (f"<!-- old: {BEGIN}\nx\n{END}", DamageKind.HIDDEN),
        (f"{BEGIN}\nx\n<!-- {END} -->", DamageKind.HIDDEN),
        (f"<!-- unclosed\n{BEGIN}\nx\n{END}", DamageKind.HIDDEN),
        (f"<nowiki>{BEGIN}</nowiki>\n{BEGIN}\nx\n{END}", DamageKind.HIDDEN),
        (f"<nowiki>{BEGIN}\nx\n{END}</nowiki>", DamageKind.HIDDEN),
        (f"<pre>{BEGIN}\nx\n{END}</pre>", DamageKind.HIDDEN),
        (f"<PRE class='x'>\n{BEGIN}\nx\n{END}\n</pre >", DamageKind.HIDDEN),
        (f"<syntaxhighlight lang=html>{BEGIN}\nx\n{END}</syntaxhighlight>", DamageKind.HIDDEN),
        (f"<includeonly>{BEGIN}\nx\n{END}</includeonly>", DamageKind.HIDDEN),
        (f"{BEGIN}\n<nowiki>x\n{END}", DamageKind.HIDDEN),
        (f"{{{{Box|1=\n{BEGIN}\nx\n{END}\n}}}}", DamageKind.HIDDEN),
        (f"{BEGIN}\n{{{{Unclosed|\n{END}", DamageKind.HIDDEN),
        (f"<!--partnerbot:begin status-->\nx\n{END}", DamageKind.MALFORMED),
        (f"<!-- PartnerBot:Begin status -->\nx\n{END}", DamageKind.MALFORMED),
        (f"{BEGIN}\nx\n<!-- partnerbot:end  status -->", DamageKind.MALFORMED),
        (f"{BEGIN}\n<!-- partnerbot:begin other -->\n{END}", DamageKind.NESTED),
    ],
)
def test_damaged_markers_are_reported(text: str, kind: DamageKind) -> None:
    assert kind == _kind(text)


@pytest.mark.parametrize(
    "text",
    [
        f"<nowiki/>{BEGIN}\nx\n{END}",
        f"<nowiki>a</nowiki> <pre>b</pre> <!-- c -->\n{BEGIN}\nx\n{END}",
        f"{{{{Template|a}}}}\n{BEGIN}\n}}}} stray\n{END}",
        f"{BEGIN}\nx\n{END}\n<!-- partnerbot:begin status-2 -->\ny\n"
        "<!-- partnerbot:end status-2 -->",
        f"<noinclude>\n{BEGIN}\nx\n{END}\n</noinclude>",
    ],
)
def test_markers_at_top_level_are_live(text: str) -> None:
    assert None is _kind(text)


def test_damage_does_not_raise_and_replace_returns_it() -> None:
    damage = replace_block("no markers", "status", "new")
    assert BlockDamage("status", DamageKind.MISSING, "the markers of status are missing") == damage


def test_replace_changes_only_the_content() -> None:
    expected = f"Intro text.\n\n{BEGIN}\nnew table\n{END}\n\n== Talk ==\nKept.\n"
    assert expected == replace_block(PAGE, "status", "new table")


def test_replacing_twice_gives_the_same_text() -> None:
    once = replace_block(PAGE, "status", "\nnew table\n\n")
    assert isinstance(once, str)
    assert once == replace_block(once, "status", "new table")


def test_empty_content_leaves_the_markers_on_consecutive_lines() -> None:
    assert f"{BEGIN}\n{END}" == replace_block(f"{BEGIN}x{END}", "status", "")


@pytest.mark.parametrize(
    "content", ["<!-- unclosed", "<nowiki>open", "{{open", f"x {END}", "<!-- partnerbot:end x -->"]
)
def test_content_that_would_break_the_markers_is_a_bug(content: str) -> None:
    with pytest.raises(ValueError, match="markers"):
        replace_block(PAGE, "status", content)


def test_block_names_are_checked() -> None:
    with pytest.raises(ValueError, match="block names"):
        begin_marker("bad name -->")


def test_new_page_puts_the_intro_before_the_block() -> None:
    expected = f"This page is updated by a bot.\n\n{BEGIN}\ntable\n{END}\n"
    assert expected == new_page_with_block("status", "table", "This page is updated by a bot.\n")


def test_new_page_without_intro_is_just_the_block() -> None:
    text = new_page_with_block("status", "table")
    assert (f"{BEGIN}\ntable\n{END}\n", True) == (
        text,
        isinstance(find_block(text, "status"), BlockSpan),
    )


# Outside text: anything a human might write around the block, without hiding it.
outside_piece = st.one_of(
    st.text(alphabet=st.characters(exclude_characters="<{}"), max_size=20),
    st.sampled_from([
        "== Heading ==\n", "{| class=wikitable\n|}\n", "<!-- a comment -->",
        "<nowiki>[[x]]</nowiki>", "<pre>pre</pre>", "\r\n", "  trailing  \n", "e\u0301",
        "\ufeff", "{{Template|a}}", "}}",
        "<!-- partnerbot:begin other -->x<!-- partnerbot:end other -->", "<nowiki/>", "\x00",
    ]),
)  # fmt: skip
outside_text = st.lists(outside_piece, max_size=8).map("".join)
content_text = st.text(alphabet=st.characters(exclude_characters="<{}"), max_size=60)


@given(outside_text, content_text, outside_text,
       content_text)  # fmt: skip
def test_text_outside_the_markers_is_kept_byte_for_byte(
    before: str, old: str, after: str, content: str
) -> None:
    text = f"{before}{BEGIN}{old}{END}{after}"
    result = replace_block(text, "status", content)
    assert isinstance(result, str)
    expected = (True, True)
    assert expected == (result.startswith(before + BEGIN), result.endswith(END + after))


@given(outside_text, outside_text, content_text)
def test_replace_then_find_gives_back_the_content(before: str, after: str, content: str) -> None:
    result = replace_block(f"{before}{BEGIN}\n{END}{after}", "status", content)
    assert isinstance(result, str)
    span = find_block(result, "status")
    assert isinstance(span, BlockSpan)
    assert content.strip("\n") == result[span.content_start : span.content_end].strip("\n")


def test_nfd_and_nfc_compare_equal() -> None:
    assert normalise_for_compare("Caf\u00e9") == normalise_for_compare("Cafe\u0301")


def test_crlf_and_trailing_spaces_compare_equal() -> None:
    expected = "a\nb\n\nc"
    assert expected == normalise_for_compare("a  \r\nb\t\r\n\r\nc \n\n\n")


def test_nul_characters_are_ignored() -> None:
    expected = "ab"
    assert expected == normalise_for_compare("a\x00b")


def test_a_real_change_still_differs() -> None:
    assert normalise_for_compare("| 1/2\n") != normalise_for_compare("| 2/2\n")


def test_leading_spaces_are_significant() -> None:
    assert normalise_for_compare(" x") != normalise_for_compare("x")
