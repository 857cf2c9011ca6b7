"""The preprocessor port on its own: calls, titles, attributes, reports, robustness.

The call cases are data (fixtures/preprocessor/calls.toml), each checked once against MediaWiki;
tests/wiki/test_preprocessor_oracle.py keeps checking a larger corpus against a live wiki.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from dataclasses import FrozenInstanceError, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parse.calls import OpenToEnd, Parameter, plain_parameter
from bot.parse.dom import build_dom
from bot.parse.nodes import EQUALS, Comment, Ext, Heading, Ignore, Node, Template
from bot.parse.preprocessor import (
    CallReader,
    DependencyKind,
    NotCalledReason,
    PageCalls,
    SiteFacts,
    TemplateCall,
    find_template_calls,
    site_facts_from_siteinfo,
)
from bot.parse.sanitizer import (
    decode_char_references,
    decode_tag_attributes,
    php_array_key,
    php_trim,
)
from bot.parse.site import DEFAULT_EXTENSION_TAGS, NS_TEMPLATE, Title, split_title

FIXTURES = Path(__file__).parent / "fixtures" / "preprocessor"
CASES = tomllib.loads((FIXTURES / "calls.toml").read_text(encoding="utf-8"))["case"]
TEMPLATE = "Partnership infobox"
#: A wiki without Cite and Poem (the cases that need them say so with ``tags``).
SITE = replace(SiteFacts(), extension_tags=DEFAULT_EXTENSION_TAGS - {"ref", "references", "poem"})
CITE_SITE = SiteFacts()


def read(text: str, site: SiteFacts = SITE) -> PageCalls:
    return find_template_calls(text, [TEMPLATE], site)


def described(call: TemplateCall) -> dict[str, Any]:
    """Return a call as the fixtures write it."""
    found: dict[str, Any] = {str(key): parameter.value for key, parameter in call.arguments()}
    if not call.certain:
        found["@certain"] = False
    if call.within:
        found["@within"] = " / ".join(call.within)
    if call.reused:
        found["@reused"] = True
    if call.duplicates:
        found["@duplicates"] = list(call.duplicates)
    return found


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_calls_are_what_mediawiki_calls(case: dict[str, Any]) -> None:
    tags = frozenset(case.get("tags", ()))
    site = replace(SITE, extension_tags=SITE.extension_tags | tags)
    expected = [list(call.items()) for call in case["calls"]]
    assert [list(described(call).items()) for call in read(case["text"], site).calls] == expected


# -- what a call records ---------------------------------------------------------------------


def test_a_call_records_where_it_is_and_how_it_was_written() -> None:
    text = "Intro\n{{template:partnership_infobox#x\n| name = A\n}}"
    (call,) = read(text).calls
    assert (call.key, call.title, call.written) == (TEMPLATE, f"Template:{TEMPLATE}",
                                                    "template:partnership_infobox#x\n")  # fmt: skip
    assert (call.start, call.end, call.line) == (6, len(text), 2)
    (parameter,) = call.parameters
    assert text[parameter.start : parameter.end] == " name = A\n"


def test_every_occurrence_is_kept_and_the_last_is_used() -> None:
    (call,) = read("{{Partnership infobox|goals=a|goals=b}}").calls
    assert [(p.name, p.value, p.used) for p in call.parameters] == [
        ("goals", "a", False),
        ("goals", "b", True),
    ]
    assert call.get("goals") == call.parameters[1]
    assert call.duplicates == ("goals",)


def test_a_tag_in_a_value_is_its_source_with_a_span() -> None:
    text = (
        '{{Partnership infobox|volunteers=About ten<ref name="s">Sheet</ref> '
        "|n=<nowiki>a|b</nowiki>}}"
    )
    (call,) = read(text, CITE_SITE).calls
    volunteers, nowiki = call.get("volunteers"), call.get("n")
    assert volunteers is not None
    assert nowiki is not None
    assert volunteers.value == 'About ten<ref name="s">Sheet</ref>'
    (span,) = volunteers.tags
    assert (volunteers.value[span.start : span.end], span.name, span.inner) == (
        '<ref name="s">Sheet</ref>', "ref", "Sheet",
    )  # fmt: skip
    assert [(tag.name, tag.inner) for tag in nowiki.tags] == [("nowiki", "a|b")]
    assert volunteers.without_tags() == "About ten"
    assert nowiki.without_tags(("ref",)) == "<nowiki>a|b</nowiki>"


def test_a_value_with_a_template_says_what_it_depends_on() -> None:
    text = "{{Partnership infobox|a={{cite web|url=x}}|b={{#if:1|y}}|c={{PAGENAME}}|d=plain}}"
    (call,) = read(text).calls
    kinds = {str(key): [(d.kind, d.name) for d in p.depends_on] for key, p in call.arguments()}
    assert kinds == {
        "a": [(DependencyKind.TEMPLATE, "Template:Cite web")],
        "b": [(DependencyKind.PARSER_FUNCTION, "#if")],
        "c": [(DependencyKind.MAGIC_WORD, "PAGENAME")],
        "d": [],
    }


def test_a_name_built_by_a_template_is_unsure() -> None:
    (call,) = read("{{Partnership infobox|{{lc:STATUS}}=active}}").calls
    (parameter,) = call.parameters
    assert parameter.name == "{{lc:STATUS}}"
    assert [d.kind for d in parameter.name_depends_on] == [DependencyKind.PARSER_FUNCTION]


def test_a_call_whose_name_is_built_by_a_template_is_uncertain() -> None:
    (call,) = read("{{ {{Choose|Partnership infobox}} |name=A}}").calls
    assert (call.key, call.certain) == ("", False)
    assert [(d.kind, d.name) for d in call.because] == [
        (DependencyKind.UNKNOWN_TITLE, " {{Choose|Partnership infobox}} ")
    ]
    assert call.get("name") is not None


def test_an_uncertain_call_says_what_decides() -> None:
    (call,) = read("{{Collapsible|body={{Partnership infobox|a=1}}}}").calls
    assert not call.certain
    assert [(d.kind, d.name) for d in call.because] == [
        (DependencyKind.TEMPLATE, "Template:Collapsible")
    ]


def test_calls_inside_a_reference_list_are_attributed_to_the_reference() -> None:
    text = "Claim.<ref>{{Partnership infobox|a=1}}</ref>\n<references />"
    (call,) = read(text, CITE_SITE).calls
    assert call.within == ("<ref>",)
    assert text[call.start : call.end] == "{{Partnership infobox|a=1}}"


def test_arguments_order_is_positional_then_named() -> None:
    (call,) = read("{{Partnership infobox|b=1|x|a=2|y}}").calls
    assert [key for key, _ in call.arguments()] == [1, 2, "b", "a"]


# -- what is not a call ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<!-- {{Partnership infobox|a=1}} -->", NotCalledReason.COMMENT),
        ("<!-- {{Partnership infobox|a=1}}", NotCalledReason.COMMENT),
        ("<includeonly>{{Partnership infobox}}</includeonly>", NotCalledReason.INCLUDEONLY),
        ("<nowiki>{{partnership infobox}}</nowiki>", NotCalledReason.OPAQUE_TAG),
        ("<pre>{{Template:Partnership infobox|a}}</pre>", NotCalledReason.OPAQUE_TAG),
        ("{{subst:Partnership infobox|a=1}}", NotCalledReason.SUBST),
        ("{{msgnw:Partnership infobox|a=1}}", NotCalledReason.MSGNW),
        ("{{Partnership infobox|a={{Partnership infobox}}|a=2}}",
         NotCalledReason.OVERRIDDEN_PARAMETER),
    ],
)  # fmt: skip
def test_a_spelling_mediawiki_does_not_call_is_reported(text: str, reason: NotCalledReason) -> None:
    found = read(text)
    assert [item.reason for item in found.not_called] == [reason]


def test_a_reference_that_is_never_rendered_is_reported() -> None:
    found = read('x<ref group="n">{{Partnership infobox|a=1}}</ref>', CITE_SITE)
    assert found.calls == ()
    assert [item.reason for item in found.not_called] == [NotCalledReason.UNRENDERED_REFERENCE]


def test_an_unclosed_call_is_reported_with_what_keeps_it_open() -> None:
    text = "Intro\n{{Partnership infobox\n| report = [[Report\n}}\n"
    found = read(text)
    assert found.calls == ()
    (unclosed,) = found.unclosed
    assert (unclosed.start, unclosed.line, unclosed.written) == (6, 2, "Partnership infobox")
    assert unclosed.blocking == (("[[", text.index("[[")),)


def test_a_comment_left_open_inside_a_call_keeps_it_open() -> None:
    text = "{{Partnership infobox\n| name = A <!-- to do\n| status = active\n}}"
    (unclosed,) = read(text).unclosed
    assert unclosed.blocking == (("<!--", text.index("<!--")),)


@pytest.mark.parametrize("opening", ["<!--", "<includeonly>"])
def test_an_unclosed_comment_or_includeonly_of_the_page_is_reported(opening: str) -> None:
    text = f"Intro\n{opening} notes\n{{{{Partnership infobox|a=1}}}}"
    found = read(text)
    assert found.calls == ()
    assert found.open_to_end == (OpenToEnd(opening, 6, 2),)
    assert [item.start for item in found.not_called] == [text.index("{{")]


def test_a_closed_comment_is_not_open_to_the_end() -> None:
    assert read("<!-- a -->\n<includeonly>b</includeonly>").open_to_end == ()


def test_other_unclosed_braces_are_not_reported() -> None:
    assert read("{{Other|a=1\n{{{x").unclosed == ()


# -- configuration ---------------------------------------------------------------------------


def test_aliases_are_matched_and_keep_their_key() -> None:
    found = find_template_calls("{{Partnership box|a=1}}{{Partnership infobox|a=2}}",
                                [TEMPLATE, "Partnership box"])  # fmt: skip
    assert [call.key for call in found.calls] == ["Partnership box", TEMPLATE]


def test_language_conversion_can_be_switched_off() -> None:
    text = "{{Partnership infobox|a=-{x|y}-}}"
    off = replace(SITE, language_conversion=False)
    assert described(read(text).calls[0]) == {"a": "-{x|y}-"}
    assert described(read(text, off).calls[0]) == {"1": "y}-", "a": "-{x"}


def test_site_facts_come_from_siteinfo() -> None:
    query = {
        "general": {"case": "case-sensitive"},
        "extensiontags": ["<pre>", "<nowiki>", "<ref>"],
        "namespaces": [{"id": 10, "name": "Vorlage", "canonical": "Template"}],
        "namespacealiases": [{"id": 10, "alias": "T"}],
        "functionhooks": ["if"],
        "interwikimap": [
            {"prefix": "meta", "url": "x"},
            {"prefix": "Src", "url": "y", "trans": True},
        ],
        "variables": ["!", "pagename"],
        "magicwords": [
            {"name": "if", "aliases": ["if"]},
            {"name": "pagename", "aliases": ["SEITENNAME"], "case-sensitive": True},
            {"name": "!", "aliases": ["!"], "case-sensitive": True},
        ],
    }
    site = site_facts_from_siteinfo(query)
    assert site.extension_tags == {"pre", "nowiki", "ref"}
    assert site.namespaces == {"vorlage": 10, "template": 10, "t": 10}
    assert site.namespace_names == {10: "Vorlage"}
    assert (site.functions, site.variables, site.capital_links) == (
        {"if"}, {"!", "SEITENNAME"}, False,
    )  # fmt: skip
    assert (site.interwiki, site.transcludable) == ({"meta", "src"}, {"src"})
    found = find_template_calls("{{Vorlage:Box|a=1}}{{T:Box|a=2}}{{box|a=3}}", ["Box"], site)
    assert [call.title for call in found.calls] == ["Vorlage:Box", "Vorlage:Box"]


def test_a_call_inside_an_interwiki_call_is_made_unless_it_may_transclude() -> None:
    site = replace(SITE, interwiki=frozenset({"meta", "src"}), transcludable=frozenset({"src"}))
    found = read(
        "{{meta:X|{{Partnership infobox|a=1}}}}{{src:X|{{Partnership infobox|a=2}}}}", site
    )
    assert [(call.get("a").value, call.certain) for call in found.calls if call.get("a")] == [
        ("1", True), ("2", False),
    ]  # fmt: skip
    assert split_title("Meta:partnership infobox", NS_TEMPLATE, site) == Title(
        NS_TEMPLATE, "partnership infobox", "meta"
    )


def test_a_reader_can_be_reused_for_many_pages() -> None:
    reader = CallReader([TEMPLATE])
    first = reader.read("{{Partnership infobox|a=1}}")
    second = reader.read("{{partnership infobox|a=2}}")
    assert [described(call) for call in (*first.calls, *second.calls)] == [{"a": "1"}, {"a": "2"}]


# -- titles, attributes, PHP ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ("Partnership infobox", Title(NS_TEMPLATE, "Partnership infobox")),
        ("partnership_infobox", Title(NS_TEMPLATE, "Partnership infobox")),
        (" Partnership \u00a0 _infobox ", Title(NS_TEMPLATE, "Partnership infobox")),
        ("Partnership\u3000infobox", Title(NS_TEMPLATE, "Partnership infobox")),
        ("\u200ePartnership infobox\u200f", Title(NS_TEMPLATE, "Partnership infobox")),
        ("Template:X", Title(NS_TEMPLATE, "X")),
        ("template_:_x", Title(NS_TEMPLATE, "X")),
        (":Template:X", Title(NS_TEMPLATE, "X")),
        (":X", Title(0, "X")),
        ("File:X.jpg", Title(6, "X.jpg")),
        ("Other:X", Title(NS_TEMPLATE, "Other:X")),
        ("X#frag", Title(NS_TEMPLATE, "X")),
        ("X&#32;Y", Title(NS_TEMPLATE, "X Y")),
        ("&eacute;t&eacute;", Title(NS_TEMPLATE, "Été")),
        ("ßx", Title(NS_TEMPLATE, "SSx")),
        ("X&amp;Y", Title(NS_TEMPLATE, "X&Y")),
        ("X&amp;amp;Y", None),
        ("X[Y]", None),
        ("X{Y", None),
        ("X|Y", None),
        ("X\tY", None),
        ("X\nY", None),
        ("X%20Y", None),
        ("X~~~", None),
        ("../X", None),
        ("Template:", None),
        ("#frag", None),
        ("Talk:File:X", None),
        ("X" * 256, None),
    ],
)
def test_titles_read_as_mediawiki_reads_them(written: str, title: Title | None) -> None:
    assert split_title(written, NS_TEMPLATE, SITE) == title


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ("", {}),
        (' name="a b" group=x', {"name": "a b", "group": "x"}),
        (" NAME='q'", {"name": "q"}),
        (' name = "  spaced\n out "', {"name": "spaced out"}),
        (' name="a&amp;b"', {"name": "a&b"}),
        (" compact", {"compact": ""}),
        (' name="unclosed', {"name": "unclosed"}),
        (" a=1 a=2", {"a": "2"}),
        (' caption="a|b"', {"caption": "a|b"}),
    ],
)
def test_tag_attributes_read_as_mediawiki_reads_them(
    attributes: str, expected: dict[str, str]
) -> None:
    assert decode_tag_attributes(attributes) == expected


def test_php_trim_and_keys() -> None:
    assert php_trim(" \t\n\r\0\x0bx\u00a0\u3000 ") == "x\u00a0\u3000"
    assert [php_array_key(k) for k in ("1", "01", "-1", "0", "1.0", " 1", "x")] == [
        1, "01", -1, 0, "1.0", " 1", "x",
    ]  # fmt: skip
    assert decode_char_references("&#0;&#x41;&bogus;&") == ("\ufffdA&bogus;&", 4)


def test_a_plain_parameter_is_an_ordinary_frozen_parameter() -> None:
    fast = plain_parameter("name", "value", True, 3, 9)
    slow = Parameter("name", "value", "value", True, (), (), (), (), 3, 9)
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    with pytest.raises(FrozenInstanceError):
        fast.value = "changed"  # type: ignore[misc]


# -- the tree and robustness ---------------------------------------------------------------------


def flatten(nodes: list[Node]) -> Iterator[str]:
    """Yield the source text of a tree (MediaWiki's trees lose nothing)."""
    for node in nodes:
        if isinstance(node, str):
            yield node
        elif node is EQUALS:
            yield "="
        elif isinstance(node, Comment | Ignore):
            yield node.text
        elif isinstance(node, Ext):
            yield f"<{node.name}{node.attr}" + (
                "/>" if node.inner is None else f">{node.inner}{node.close or ''}"
            )
        elif isinstance(node, Heading):
            yield from flatten(node.children)
        elif isinstance(node, Template):
            braces = 3 if node.is_arg else 2
            yield "{" * braces
            yield from flatten(node.title)
            for part in node.parts:
                yield "|"
                if part.name is not None:
                    yield from flatten(part.name)
                    yield "="
                yield from flatten(part.value)
            yield "}" * braces


def templates(nodes: list[Node]) -> Iterator[Template]:
    for node in nodes:
        if isinstance(node, Template):
            yield node
            yield from templates(node.title)
            for part in node.parts:
                yield from templates(part.name or [])
                yield from templates(part.value)
        elif isinstance(node, Heading):
            yield from templates(node.children)


WIKITEXT = st.lists(
    st.sampled_from(
        [
            "{{", "}}", "{{{", "}}}", "{", "}", "[[", "]]", "[", "]", "|", "=", "==", "\n", "\n=",
            "\n==", " ", "\t", "-{", "}-", "<!--", "-->", "<ref>", "</ref>", "<ref name=a/>",
            "<nowiki>", "</nowiki>", "<pre>", "<poem>", "</poem>", "<includeonly>",
            "</includeonly>", "<noinclude>", "<gallery>", "</gallery>", "File:A.jpg|",
            "<references/>", "<span title=\"a|b\">", "Partnership infobox", "partnership_infobox",
            "Template:", "subst:", "msgnw:", "{{!}}", "{{=}}", "{{{x|y}}}", "#if:", "&#32;",
            "&amp;", "\u00a0", "\u3000", "\x7f", "\x00", "text", "name", "ß", "<", ">", "/>",
            "{{Partnership infobox", "|status=active", "| name = Harbour Museum\n", "|a=",
            "|2024-01-01", "[[Page|label]]", "[[Page", "\n== Heading ==\n",
        ]
    ),
    max_size=60,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(WIKITEXT)
def test_the_tree_keeps_every_character_in_place(text: str) -> None:
    dom = build_dom(text, DEFAULT_EXTENSION_TAGS | {"ref", "references", "poem"})
    assert "".join(flatten(dom.nodes)) == text
    for template in templates(dom.nodes):
        assert "".join(flatten([template])) == text[template.start : template.end]


@settings(max_examples=400, deadline=None)
@given(WIKITEXT)
def test_reading_any_text_never_raises(text: str) -> None:
    found = read(text, CITE_SITE)
    for call in found.calls:
        assert 0 <= call.start <= call.end <= len(text)
        assert call.arguments() is not None


def _calls(found: PageCalls) -> list[tuple[int, int, list[tuple[int | str, str]]]]:
    return [
        (call.start, call.end, [(key, param.value) for key, param in call.arguments()])
        for call in found.calls
    ]


@pytest.mark.parametrize(
    "head",
    [
        "Intro\n{{Partnership infobox|name=A|status=active}}",
        "<ref name=a>{{Partnership infobox|name=B}}</ref>{{Partnership infobox|name=A}}",
    ],
)
@settings(max_examples=1000, deadline=None)
@given(WIKITEXT.filter(lambda text: "{{" not in text))
def test_text_without_braces_after_the_last_call_changes_no_call(head: str, tail: str) -> None:
    # With the first head, each of the 1,000 texts ends in a part read as text in one step.
    alone, followed = read(head, CITE_SITE), read(head + tail, CITE_SITE)
    assert _calls(followed) == _calls(alone)
    assert followed.unclosed == alone.unclosed == ()
    assert followed.not_called == alone.not_called


def test_a_reference_list_after_the_last_call_renders_the_references_before_it() -> None:
    # The tree after the last call is read as text only when no reference waits for a list.
    text = (
        '<ref group="n">{{Partnership infobox|name=B}}</ref>{{Partnership infobox|name=A}}\n'
        '== Notes ==\n<references group="n" />'
    )
    found = read(text, CITE_SITE)
    assert [call.arguments()[0][1].value for call in found.calls] == ["A", "B"]
    assert found.not_called == ()


def test_an_unclosed_comment_after_the_last_call_hides_nothing_and_is_not_reported() -> None:
    found = read("{{Partnership infobox|name=A}}\n<!-- to do [[Link <ref>", CITE_SITE)
    assert len(found.calls) == 1
    assert found.open_to_end == found.unclosed == found.not_called == ()


def _work(text: str) -> int:
    """Return how many Python and C function calls reading ``text`` makes (no clock involved)."""
    count = 0

    def profile(_frame: object, event: str, _arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        read(text, CITE_SITE)
    finally:
        sys.setprofile(None)
    return count


@settings(max_examples=40, deadline=None)
@given(WIKITEXT.filter(lambda text: len(text) > 10))
def test_the_work_grows_linearly_with_the_text(unit: str) -> None:
    once, eight = _work(unit * 8), _work(unit * 64)
    assert eight <= 12 * once + 2000
