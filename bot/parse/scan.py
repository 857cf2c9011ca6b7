"""Where the preprocessor's scan must stop, and the string steps it shares.

MediaWiki's ``Preprocessor_Hash`` loop copies text up to the next character in a set that
depends on its state (``strcspn``). :func:`search_regex` compiles, for each state, one regular
expression that finds that place (and also single braces, hyphens and newlines, which the
scan copies); :data:`SIMPLE_PART` and :data:`SIMPLE_LINK` read in one step the plain
``name = value`` parts and plain links the loop would read in several.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.parse.nodes import Node

#: What MediaWiki counts as spaces around comments and headings.
WS = " \t"
#: Tags a page view ignores (their content is read).
IGNORED_TAGS = ("noinclude", "/noinclude", "onlyinclude", "/onlyinclude")
# "[[...]]" holding nothing the scan stops at inside a link (pipes and "=" are text there).
_LINK = r"\[\[(?!\[)(?:[^\[\]{<\n-]++|\n(?!=)|-(?!\{))*+\]\]"
SIMPLE_LINK = re.compile(_LINK)
# Text the scan copies without a step in a template part after "|": no brace, bracket, angle,
# pipe, "-{" or heading ("\n="); no "=" in the name (it ends the name). The value may hold
# simple links, which the scan would push, close and break back into text.
SIMPLE_PART = re.compile(
    r"((?:[^{}\[\]<|=\n-]++|\n(?!=)|-(?!\{))*+)="
    rf"((?:[^{{}}\[\]<|\n-]++|\n(?!=)|-(?!\{{)|{_LINK})*+)"
)


@lru_cache(maxsize=64)
def elements_regex(tags: frozenset[str]) -> re.Pattern[str]:
    """Return the regex reading the tag name (or comment) after a ``<``."""
    names = "|".join(
        map(re.escape, sorted({*tags, "includeonly", *IGNORED_TAGS}, key=len, reverse=True))
    )
    return re.compile(rf"({names})(?:\s|/>|>)|(!--)", re.IGNORECASE | re.ASCII)


@lru_cache(maxsize=64)
def closing_regex(name: str) -> re.Pattern[str]:
    """Return the regex finding the closing tag of ``name``."""
    return re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE | re.ASCII)


@lru_cache(maxsize=256)
def search_regex(  # noqa: PLR0917 - the scan's state, unpacked from one tuple
    tags: frozenset[str],
    closing: str,
    pipe: bool,
    equals: bool,
    heading: bool,
    no_gt: bool,
    lc: bool,
) -> re.Pattern[str]:
    """Return the regex finding the next place the scan must look at, in one state."""
    alternatives = [r"\{\{", r"\[\["]
    if lc:
        alternatives.append(r"-\{")
    if no_gt:
        alternatives.append("<!--")
    else:
        names = "|".join(
            map(re.escape, sorted({*tags, "includeonly", *IGNORED_TAGS}, key=len, reverse=True))
        )
        alternatives.append(rf"<(?:!--|(?i:{names})(?:[ \t\n\r\f\v]|/>|>))")
    alternatives.append("\n" if heading else "\n=")
    if pipe:
        alternatives.append(r"\|")
    if equals:
        alternatives.append("=")
    if closing in ("}", "]"):
        alternatives.append(re.escape(closing * 2))
    elif closing == "}-":
        alternatives.append(r"\}-")
    return re.compile("|".join(alternatives), re.ASCII)


def spaces_before(text: str, end: int) -> int:
    """Return how many spaces and tabs end ``text[:end]`` (strspn on the reversed text)."""
    start = end
    while start > 0 and text[start - 1] in WS:
        start -= 1
    return end - start


def strspn(text: str, chars: str, start: int, limit: int | None = None) -> int:
    """Return strspn(text, chars, start, limit)."""
    end = len(text) if limit is None else min(len(text), start + limit)
    position = start
    while position < end and text[position] in chars:
        position += 1
    return position - start


def add_literal(accum: list[Node], text: str) -> None:
    """Append ``text`` to the nodes, joining it to the text before it."""
    if accum and isinstance(accum[-1], str):
        accum[-1] += text
    else:
        accum.append(text)


#: What can make MediaWiki parse text written earlier when it reads later markup: a reference
#: is parsed where its ``<references>`` list is rendered. (``{{#tag:ref|...}}`` needs no care:
#: a parser function's arguments are read in place, as uncertain.)
_DEFERRED = re.compile(r"<ref", re.IGNORECASE | re.ASCII)


class CallFreeRest:
    """Tells where the rest of a top-level text can hold no call (nothing is open there).

    No call starts where no ``{{`` is left, and nothing after the last one changes a call
    before it, unless a reference written before waits for a ``<references>`` list. Each
    character is looked at a bounded number of times: a ``{{`` found is remembered, and the text
    before is searched once, when no ``{{`` is left.
    """

    __slots__ = ("braces_at", "deferred", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        #: Where a ``{{`` is known to be, at or after the position asked (-1: none known).
        self.braces_at = -1
        #: Whether the text before holds a reference (None: not looked yet).
        self.deferred: bool | None = None

    def holds_no_call_from(self, position: int) -> bool:
        """Return True when no call can start at or after ``position``."""
        if self.deferred or self.braces_at >= position:
            return False
        self.braces_at = self.text.find("{{", position)
        if self.braces_at >= 0:
            return False
        if self.deferred is None:
            self.deferred = _DEFERRED.search(self.text, 0, position) is not None
        return not self.deferred
