"""MediaWiki is the oracle: the preprocessor must find exactly the calls MediaWiki makes.

A wiki of its own (so the shared test wiki keeps its settings), with Cite and Poem as every
local wiki, loads ``oracle/PreprocessorOracle.php``; there ``Template:Partnership infobox`` is
the tag ``<preprocessororacle/>``, which records every call MediaWiki makes to it with the
arguments it passes. Each corpus page is rendered with ``action=parse`` and read by
:func:`bot.parse.preprocessor.find_template_calls` with the wiki's siteinfo.

Comparison rules:

- Calls: MediaWiki's list must be ours, in order, where each of our *uncertain* calls may be
  missing (whether MediaWiki makes it depends on other templates) and our ``reused`` calls are
  skipped (MediaWiki reuses the output of an identical parameterless call without running the
  template). A call made inside another call's parameter comes after it: the oracle records a
  call when it starts, and reads its arguments positional first, then named, as Scribunto does
  for a module that reads them all.
- Arguments: the same keys in the same order (PHP's ``getArguments``), and for each:
  the source (``NO_ARGS | NO_TEMPLATES | NO_TAGS | STRIP_COMMENTS``) equal to
  ``Parameter.source``; and,
  unless the value depends on other templates, the value as passed equal to ``Parameter.value``
  where each strip marker is written ``⧼tag⧽`` on both sides, the tag name in lowercase (a
  nowiki marker as ``⧼nowiki:content⧽``, its content as CoreTagHooks::nowiki stores it).
  A call whose parameter *names* depend on templates is compared on its position only.
- Duplicate parameters: the names in MediaWiki's "duplicate-args" warnings for the template
  (one warning per name and page) are the ``duplicates`` of the certain calls.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.devwiki.wiki import DevWiki, free_port
from bot.parse.preprocessor import (
    PageCalls,
    Parameter,
    SiteFacts,
    TagSpan,
    TemplateCall,
    find_template_calls,
    site_facts_from_siteinfo,
)
from tests.wiki.client import WikiClient

HERE = Path(__file__).resolve().parent
CORPUS = sorted((HERE / "oracle_corpus").glob("*.wikitext"))
ORACLE_SETTINGS = HERE / "oracle" / "PreprocessorOracle.php"
TEMPLATE = "Partnership infobox"
ALIAS = "Partnership box"
#: Other templates the corpus uses: one prints its parameter, one hides it, one cites.
TEMPLATES = {
    f"Template:{TEMPLATE}": "<preprocessororacle/>",
    f"Template:{ALIAS}": f"#REDIRECT [[Template:{TEMPLATE}]]",
    "Template:Note": "''{{{1|}}}''",
    "Template:Hidden": "<!-- prints nothing -->",
    "Template:Cite web": "[{{{url}}} {{{title}}}]",
}
_DUPLICATE = re.compile(r'is calling \[\[:(.+?)\]\] with more than one value for the "(.*?)"')
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOWIKI = re.compile(r"-\{|\}-|<|>")
_NOWIKI_TEXT = {"-{": "-&#123;", "}-": "&#125;-", "<": "&lt;", ">": "&gt;"}


@dataclass
class Oracle:
    """The oracle wiki's client and facts, and running totals for the summary."""

    api: WikiClient
    site: SiteFacts
    compared: Counter[str] = field(default_factory=Counter)

    def render(self, text: str) -> tuple[list[dict[str, Any]], list[str]]:
        """Return the calls the oracle recorded and the parse warnings for ``text``."""
        result = self.api.post(
            action="parse",
            text=text,
            title="Partnerships/Oracle page",
            contentmodel="wikitext",
            prop="jsconfigvars|parsewarnings",
        )
        if "error" in result:
            raise RuntimeError(f"parse failed: {result['error']}")
        variables = result["parse"].get("jsconfigvars", {})
        calls = [variables[key] for key in sorted(variables) if key.startswith("preprocessorOr")]
        return calls, list(result["parse"].get("parsewarnings", []))


@pytest.fixture(scope="module")
def oracle_wiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevWiki]:
    """Start a wiki with Cite, Poem and the oracle tag."""
    wiki = DevWiki(tmp_path_factory.mktemp("oracle-wiki"), free_port())
    wiki.install()
    with wiki.local_settings.open("a", encoding="utf-8") as settings:
        settings.write(f"\nrequire_once '{ORACLE_SETTINGS}';\n")
    wiki.start()
    try:
        yield wiki
    finally:
        wiki.stop()


@pytest.fixture(scope="module")
def oracle(oracle_wiki: DevWiki) -> Oracle:
    """Install the oracle templates and read the wiki's facts."""
    credentials = oracle_wiki.credentials()
    api = WikiClient(
        oracle_wiki.api_url,
        credentials["admin_botpassword_user"],
        credentials["admin_botpassword"],
    )
    for title, text in TEMPLATES.items():
        api.edit(title, text)
    siprop = (
        "general|namespaces|namespacealiases|extensiontags|functionhooks|variables|magicwords"
        "|interwikimap"
    )
    query = api.get(action="query", meta="siteinfo", siprop=siprop)["query"]
    return Oracle(api, site_facts_from_siteinfo(query))


def as_stored(text: str) -> str:
    """Return ``text`` as the wiki stores it: NFC, control characters replaced by U+FFFD.

    MediaWiki cleans every input this way (UtfNormal), so the bot never reads anything else.
    """
    return _CONTROLS.sub("\ufffd", unicodedata.normalize("NFC", text))


def _nowiki(inner: str | None) -> str:
    return _NOWIKI.sub(lambda match: _NOWIKI_TEXT[match.group()], inner or "")


def with_markers(text: str, tags: tuple[TagSpan, ...]) -> str:
    """Return ``text`` with every tag written as the oracle writes strip markers."""
    pieces, last = [], 0
    for span in tags:
        pieces.append(text[last : span.start])
        if span.name == "nowiki":
            pieces.append(f"⧼nowiki:{_nowiki(span.inner)}⧽")
        else:
            pieces.append(f"⧼{span.name}⧽")
        last = span.end
    pieces.append(text[last:])
    return "".join(pieces)


def passed_with_markers(parameter: Parameter) -> str:
    """Return a parameter's value as the oracle writes it."""
    return with_markers(parameter.value, parameter.tags)


def key_with_markers(key: int | str, parameter: Parameter) -> int | str:
    """Return a parameter's key as the oracle writes it."""
    if isinstance(key, int) or not parameter.name_tags:
        return key
    return with_markers(str(parameter.name), parameter.name_tags)


def _same_call(ours: TemplateCall, theirs: dict[str, Any]) -> str:
    """Return why our call differs from MediaWiki's ("" when they agree)."""
    if theirs["title"] != f"Template:{TEMPLATE}":
        return f"title {theirs['title']!r}"
    arguments = ours.arguments()
    if len(arguments) != len(theirs["arguments"]):
        return f"{len(arguments)} arguments, MediaWiki passes {len(theirs['arguments'])}"
    if any(parameter.name_depends_on for _key, parameter in arguments):
        return ""
    for (key, parameter), (their_key, value, source) in zip(
        arguments, theirs["arguments"], strict=True
    ):
        if key_with_markers(key, parameter) != their_key:
            return f"argument {key!r}, MediaWiki passes {their_key!r}"
        if parameter.source != source:
            return f"source of {key!r}: {parameter.source!r} != {source!r}"
        if not parameter.depends_on and passed_with_markers(parameter) != value:
            return f"value of {key!r}: {passed_with_markers(parameter)!r} != {value!r}"
    return ""


def compare(ours: PageCalls, theirs: list[dict[str, Any]], oracle: Oracle) -> list[str]:
    """Return the differences between our calls and MediaWiki's (empty when they agree)."""
    problems: list[str] = []
    position = 0
    for number, call in enumerate(ours.calls):
        if call.reused:
            continue
        reason = _same_call(call, theirs[position]) if position < len(theirs) else "no call"
        if not reason:
            position += 1
            oracle.compared["calls"] += 1
            oracle.compared["parameters"] += len(call.arguments())
            oracle.compared["uncertain calls made"] += not call.certain
            continue
        if call.certain:
            problems.append(f"our call {number} (line {call.line}, {call.written!r}): {reason}")
            break
        oracle.compared["uncertain calls not made"] += 1
    else:
        problems += [f"MediaWiki makes an extra call: {extra}" for extra in theirs[position:]]
    return problems


def duplicate_warnings(warnings: list[str]) -> set[str]:
    """Return the duplicated names MediaWiki warns about for the template (once per page)."""
    found = set()
    for warning in warnings:
        match = _DUPLICATE.search(warning)
        if match and match.group(1) == f"Template:{TEMPLATE}":
            found.add(match.group(2))
    return found


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def test_preprocessor_calls_what_mediawiki_calls(path: Path, oracle: Oracle) -> None:
    text = as_stored(path.read_text(encoding="utf-8"))
    theirs, warnings = oracle.render(text)
    ours = find_template_calls(text, [TEMPLATE, ALIAS], oracle.site)
    assert compare(ours, theirs, oracle) == []
    made = [call for call in ours.calls if not call.reused and call.certain]
    assert duplicate_warnings(warnings) == {str(key) for call in made for key in call.duplicates}
    oracle.compared["pages"] += 1


def test_corpus_is_large_enough(oracle: Oracle) -> None:
    assert len(CORPUS) >= 60
    print(f"\noracle agreement: {dict(oracle.compared)}")  # the figures, shown with -s
