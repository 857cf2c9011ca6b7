"""Find and replace the bot-managed block of a page, and compare texts the way MediaWiki saves them.

A managed block is the text between ``<!-- partnerbot:begin NAME -->`` and
``<!-- partnerbot:end NAME -->``. The bot only ever changes what lies between the two markers;
text outside them is kept byte for byte. When the markers are not exactly one live begin followed
by one live end, the block is *damaged*: the caller makes no edit and reports the damage.

A marker counts as live only at the top level of the page. One inside another HTML comment,
inside a tag whose content is not ordinary page text (``<nowiki>``, ``<pre>``,
``<syntaxhighlight>``, ``<includeonly>``, ``<ref>``... see ``_OPAQUE_TAGS``) or inside an open
``{{`` template call is *hidden*, which is damage too: replacing text there would break the
surrounding markup. An unclosed comment or opaque tag hides everything after it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

_NAME_PATTERN = r"[A-Za-z0-9]+(?:[_.-][A-Za-z0-9]+)*"
_NAME = re.compile(_NAME_PATTERN)
_ANY_MARKER = re.compile(rf"<!-- partnerbot:(begin|end) ({_NAME_PATTERN}) -->")
_MARKER_WORD = re.compile(r"partnerbot\s*:\s*(?:begin|end)\b", re.IGNORECASE)
_OPAQUE_TAGS = (
    "nowiki", "pre", "syntaxhighlight", "source", "math", "chem", "ce", "score", "templatedata",
    "graph", "timeline", "hiero", "inputbox", "imagemap", "categorytree", "gallery", "mapframe",
    "maplink", "charinsert", "includeonly", "ref", "references", "poem", "indicator",
)  # fmt: skip
_OPENERS = re.compile(
    r"<!--|<(" + "|".join(_OPAQUE_TAGS) + r")(?=[\s/>])[^>]*?(/?)>", re.IGNORECASE
)
_BRACES = re.compile(r"\{\{|\}\}")


class DamageKind(StrEnum):
    """Why a managed block cannot be used."""

    MISSING = "missing"  # neither marker is on the page
    NO_BEGIN = "no-begin"
    NO_END = "no-end"
    DUPLICATED = "duplicated"
    OUT_OF_ORDER = "out-of-order"  # the end marker comes before the begin marker
    HIDDEN = "hidden"  # a marker is inside a comment, an opaque tag or a template call
    MALFORMED = "malformed"  # something that looks like one of our markers but is not exact
    NESTED = "nested"  # another block's marker lies between our markers


@dataclass(frozen=True)
class BlockSpan:
    """Where the block ``name`` is: ``text[content_start:content_end]`` is its content."""

    name: str
    start: int  # first character of the begin marker
    content_start: int  # just after the begin marker
    content_end: int  # first character of the end marker
    end: int  # just after the end marker


@dataclass(frozen=True)
class BlockDamage:
    """Why the block ``name`` cannot be found or replaced; ``detail`` is a sentence for reports."""

    name: str
    kind: DamageKind
    detail: str


def _check_name(name: str) -> None:
    if _NAME.fullmatch(name) is None:
        raise ValueError(f"block names are words of letters and digits joined by _ . -: {name!r}")


def begin_marker(name: str) -> str:
    """Return the marker that opens the block ``name``."""
    _check_name(name)
    return f"<!-- partnerbot:begin {name} -->"


def end_marker(name: str) -> str:
    """Return the marker that closes the block ``name``."""
    _check_name(name)
    return f"<!-- partnerbot:end {name} -->"


@dataclass(frozen=True)
class _Marker:
    kind: str  # "begin" or "end"
    name: str
    start: int
    end: int


def _scan(text: str) -> tuple[list[_Marker], list[tuple[int, int]]]:
    """Return the live markers of every name and the hidden regions of ``text``."""
    markers: list[_Marker] = []
    hidden: list[tuple[int, int]] = []
    depth = 0
    position = 0
    while True:
        opener = _OPENERS.search(text, position)
        stop = opener.start() if opener else len(text)
        for brace in _BRACES.finditer(text, position, stop):
            depth = depth + 1 if brace.group() == "{{" else max(depth - 1, 0)
        if opener is None:
            return markers, hidden
        if opener.group() == "<!--":
            close = text.find("-->", opener.end())
            end = len(text) if close < 0 else close + 3
            marker = _ANY_MARKER.fullmatch(text, opener.start(), end)
            if marker is None:
                hidden.append((opener.start(), end))
            elif depth == 0:  # a marker inside a template call is neither live nor a comment
                markers.append(_Marker(marker[1], marker[2], opener.start(), end))
        elif opener.group(2):  # self-closing <nowiki/>: nothing inside
            end = opener.end()
        else:
            closing = re.compile(rf"</{opener.group(1)}\s*>", re.IGNORECASE).search(
                text, opener.end()
            )
            end = len(text) if closing is None else closing.end()
            hidden.append((opener.start(), end))
        position = end


def _occurrences(text: str, needle: str) -> list[int]:
    found = []
    start = text.find(needle)
    while start >= 0:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def _hidden_or_malformed(
    text: str, name: str, live: set[int], hidden: list[tuple[int, int]]
) -> tuple[DamageKind, str] | None:
    exact = sorted(_occurrences(text, begin_marker(name)) + _occurrences(text, end_marker(name)))
    for start in exact:
        if start not in live:
            inside = any(low <= start < high for low, high in hidden)
            where = "a comment or a tag such as nowiki or pre" if inside else "a template call"
            return DamageKind.HIDDEN, f"a marker of {name} is inside {where}"
    ends_name = re.compile(rf"\s+{re.escape(name)}(?![A-Za-z0-9]|[_.-][A-Za-z0-9])")
    for word in _MARKER_WORD.finditer(text):
        if ends_name.match(text, word.end()) and word.start() - 5 not in exact:
            return DamageKind.MALFORMED, f"a marker of {name} is not written exactly"
    return None


def find_block(text: str, name: str) -> BlockSpan | BlockDamage:
    """Return where the block ``name`` is in ``text``, or why it cannot be used."""
    markers, hidden = _scan(text)
    ours = [marker for marker in markers if marker.name == name]
    begins = [marker for marker in ours if marker.kind == "begin"]
    ends = [marker for marker in ours if marker.kind == "end"]
    checks = [
        (not begins and not ends, DamageKind.MISSING, "the markers of {} are missing"),
        (len(begins) > 1 or len(ends) > 1, DamageKind.DUPLICATED, "a marker of {} appears twice"),
        (not begins, DamageKind.NO_BEGIN, "the begin marker of {} is missing"),
        (not ends, DamageKind.NO_END, "the end marker of {} is missing"),
    ]
    problem = _hidden_or_malformed(text, name, {marker.start for marker in ours}, hidden)
    if problem is None:
        problem = next(((kind, why.format(name)) for failed, kind, why in checks if failed), None)
    if problem is None and ends[0].start < begins[0].end:
        problem = DamageKind.OUT_OF_ORDER, f"the end marker of {name} comes before the begin"
    if problem is None and any(begins[0].end <= marker.start < ends[0].start for marker in markers):
        problem = DamageKind.NESTED, f"a marker of another block is inside {name}"
    if problem is not None:
        return BlockDamage(name, *problem)
    return BlockSpan(name, begins[0].start, begins[0].end, ends[0].start, ends[0].end)


def _inner(content: str) -> str:
    body = content.strip("\n")
    if _MARKER_WORD.search(body):
        raise ValueError("block content must not contain partnerbot markers")
    return f"\n{body}\n" if body else "\n"


def _checked(text: str, name: str, inner: str) -> str:
    span = find_block(text, name)
    if not isinstance(span, BlockSpan) or text[span.content_start : span.content_end] != inner:
        raise ValueError(f"the content would hide or break the markers of {name}")
    return text


def replace_block(text: str, name: str, content: str) -> str | BlockDamage:
    """Return ``text`` with the content of block ``name`` replaced, or the damage that stops it.

    The content goes on its own lines between the markers (leading and trailing newlines of
    ``content`` are not kept twice). Text before the begin marker and after the end marker is
    unchanged. Content that would itself hide or break the markers (an unclosed ``<!--`` or
    ``<nowiki>``, a marker) is a bug in the caller and raises ``ValueError``.
    """
    span = find_block(text, name)
    if isinstance(span, BlockDamage):
        return span
    inner = _inner(content)
    return _checked(text[: span.content_start] + inner + text[span.content_end :], name, inner)


def new_page_with_block(name: str, content: str, intro: str = "") -> str:
    """Return the text of a new page: ``intro`` (if any), a blank line, then the block."""
    inner = _inner(content)
    head = f"{intro.rstrip()}\n\n" if intro.strip() else ""
    return _checked(f"{head}{begin_marker(name)}{inner}{end_marker(name)}\n", name, inner)


_TRAILING_SPACE = re.compile(r"[ \t\x0b\x0c]+$", re.MULTILINE)


def normalise_for_compare(text: str) -> str:
    """Return ``text`` as MediaWiki would store it, for deciding whether an edit changes anything.

    Line endings become ``\\n``, NUL characters go, the text is NFC, trailing spaces and tabs are
    removed from every line and trailing blank lines from the end.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = unicodedata.normalize("NFC", text)
    return _TRAILING_SPACE.sub("", text).rstrip("\n")
