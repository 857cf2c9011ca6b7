"""Find the infobox calls MediaWiki would show on a page by walking mwparserfromhell's tokens.

The whole page is tokenized once (``skip_style_tags=True``) and the token stream is walked,
tracking which constructs hide their content: comments, extension tags, links, other templates.
This reads any page; :mod:`bot.parse.fastpath` reads ordinary pages faster and must agree with it.
Which calls count is described in :mod:`bot.parse.records`. Template names are normalised here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from mwparserfromhell.parser import Parser, tokens

from bot.parse.value_text import CLOSERS as _CLOSERS
from bot.parse.value_text import OPENERS as _OPENERS
from bot.parse.value_text import RawValue, Value, clean_text, source, text_of

__all__ = [
    "Located",
    "Parameter",
    "locate_tokens",
    "normalize_title",
    "template_key",
    "tokenize",
    "value_from",
]

#: One parameter: its name (``None`` when positional) and its value.
Parameter = tuple[str | None, Value]

#: Characters MediaWiki folds into one space in titles, and the direction marks it drops.
_TITLE_SPACE = re.compile("[ _\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\s]+")
_DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_PREFIX = re.compile(r"(?:(?:msg|raw) ?: ?)?(?:template ?: ?)?", re.IGNORECASE)
#: Openers that hide the rest of the page when they are never closed.
_RUNS_TO_END = re.compile(r"<!--|<includeonly(?:\s[^>]*)?>", re.IGNORECASE)
#: Why an infobox could not be read: a reason id (bot.contract.REASONS) and its parameters.
Broken = tuple[str, tuple[str, ...]]
_NEVER_CLOSED: Broken = ("never-closed", ())
_OPENER = re.compile(r"\{\{([^{}|\[\]<>]*)")
#: HTML elements MediaWiki renders with their content expanded, plus the inclusion tags whose
#: content shows on the page itself.
_TRANSPARENT_TAGS = frozenset(
    {"noinclude", "onlyinclude", "div", "span", "center", "font", "big", "small", "b", "i",
     "u", "s", "strike", "em", "strong", "sub", "sup", "p", "blockquote", "table", "caption",
     "tr", "td", "th", "tbody", "thead", "tfoot", "ul", "ol", "li", "dl", "dt", "dd", "abbr",
     "cite", "code", "dfn", "kbd", "samp", "var", "tt", "mark", "q", "bdi", "bdo", "ins",
     "del", "ruby", "rb", "rp", "rt", "rtc", "data", "time", "h1", "h2", "h3", "h4", "h5",
     "h6"}
)  # fmt: skip

_T = tokens


@dataclass(frozen=True, slots=True)
class Located:
    """The infoboxes shown on a page, in page order, and why any other one could not be read."""

    infoboxes: tuple[tuple[Parameter, ...], ...] = ()
    broken: tuple[Broken, ...] = ()


def normalize_title(title: str) -> str:
    """Return ``title`` as MediaWiki stores it: spaces folded, stripped, first letter upper."""
    title = _DIRECTION_MARKS.sub("", title)
    title = _TITLE_SPACE.sub(" ", title).strip()
    first = title[:1].upper()
    return first + title[1:] if len(first) == 1 else title


@lru_cache(maxsize=4096)
def template_key(name: str) -> str:
    """Return the name a template call refers to, without a ``Template:`` prefix."""
    if "<!--" in name:
        name = _COMMENT.sub("", name)
    name = _TITLE_SPACE.sub(" ", _DIRECTION_MARKS.sub("", name)).strip()
    return normalize_title(name[_PREFIX.match(name).end() :])  # type: ignore[union-attr]


def tokenize(text: str) -> list[Any]:
    """Return mwparserfromhell's tokens for ``text``, bold and italic left as text.

    NUL characters are dropped first: the C tokenizer stops at them, and MediaWiki never stores
    them.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    parser: Any = Parser()  # type: ignore[no-untyped-call]  # the parser carries no annotations
    tokenized: list[Any] = parser._tokenizer.tokenize(text, 0, True)
    return tokenized


def value_from(token_list: Sequence[Any]) -> Value:
    """Return the value read from a slice of tokens, comments removed."""
    parts: list[str] = []
    in_comment = False
    for token in token_list:
        kind = type(token)
        if kind is _T.Text:
            if not in_comment:
                parts.append(token["text"])
        elif kind is _T.CommentStart or kind is _T.CommentEnd:
            in_comment = kind is _T.CommentStart
        else:
            break
    else:
        return clean_text("".join(parts))
    kept: list[Any] = []
    in_comment = False
    for token in token_list:
        kind = type(token)
        if kind is _T.CommentStart or kind is _T.CommentEnd:
            in_comment = kind is _T.CommentStart
        elif not in_comment:
            kept.append(token)
    return RawValue(clean_text(source(kept)), tuple(kept))


# --- the token path ------------------------------------------------------------------------


def locate_tokens(text: str, keys: frozenset[str]) -> Located:
    """Return the infoboxes of any page by walking mwparserfromhell's tokens."""
    token_list = tokenize(text)
    scan = _scan(token_list, keys)
    return Located(
        tuple(_parameters(token_list, found) for found in scan.found), tuple(scan.broken)
    )


@dataclass(slots=True)
class _Frame:
    """One open construct while walking the tokens."""

    hides: bool  # what is inside does not show at the top level
    literal: bool  # what is inside is plain text to MediaWiki's preprocessor
    tag: str = ""
    start: int = -1  # token index of an infobox's opening braces; -1 for anything else
    params: list[list[int]] = field(default_factory=list)  # [bar index, equals index or -1]


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    params: list[list[int]]


@dataclass(slots=True)
class _Scan:
    found: list[_Found] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)


def _scan(token_list: Sequence[Any], keys: frozenset[str]) -> _Scan:
    """Find the infoboxes MediaWiki would show, and openers of infoboxes that never close."""
    scan = _Scan()
    stack: list[_Frame] = []
    hidden = literal = 0
    for index, token in enumerate(token_list):
        kind = type(token)
        if kind is _T.Text:
            if _read_text(scan, stack, token_list, index, depth=(hidden, literal), keys=keys):
                break  # an unclosed comment or includeonly hides the rest of the page
        elif kind in _OPENERS:
            frame = _open_frame(token_list, index, kind, hidden == 0, keys)
            stack.append(frame)
            hidden += frame.hides
            literal += frame.literal
        elif kind in _CLOSERS:
            frame = stack.pop()
            hidden -= frame.hides
            literal -= frame.literal
            if frame.start >= 0:
                scan.found.append(_Found(frame.start, index, frame.params))
        elif kind is _T.TemplateParamSeparator:
            if stack[-1].start >= 0:
                stack[-1].params.append([index, -1])
        elif kind is _T.TemplateParamEquals:
            frame = stack[-1]
            if frame.start >= 0 and frame.params and frame.params[-1][1] < 0:
                frame.params[-1][1] = index
        elif kind is _T.TagCloseOpen or kind is _T.TagOpenClose:
            frame = stack[-1]
            shown = kind is _T.TagCloseOpen and frame.tag in _TRANSPARENT_TAGS
            inside = kind is _T.TagCloseOpen and not shown
            hidden += (not shown) - frame.hides
            literal += inside - frame.literal
            frame.hides, frame.literal = not shown, inside
    scan.found.sort(key=lambda found: found.start)
    return scan


def _read_text(
    scan: _Scan,
    stack: list[_Frame],
    token_list: Sequence[Any],
    index: int,
    *,
    depth: tuple[int, int],
    keys: frozenset[str],
) -> bool:
    """Note infobox openers left as text; return True when the rest of the page is hidden."""
    text = token_list[index]["text"]
    hidden, literal = depth
    if literal == 0 and "<" in text and (cut := _RUNS_TO_END.search(text)):
        if hidden == 0 and _names_infobox(text[: cut.start()], keys):
            scan.broken.append(_NEVER_CLOSED)
        _hidden_tail(scan, stack, text[cut.start() :], token_list[index + 1 :], keys)
        return True
    if hidden == 0 and "{{" in text and _names_infobox(text, keys):
        scan.broken.append(_NEVER_CLOSED)
    return False


def _open_frame(
    token_list: Sequence[Any], index: int, kind: type, visible: bool, keys: frozenset[str]
) -> _Frame:
    if kind is _T.TemplateOpen:
        ours = visible and _template_name(token_list, index) in keys
        return _Frame(hides=True, literal=False, start=index if ours else -1)
    if kind is _T.TagOpenOpen:
        following: Any = token_list[index + 1] if index + 1 < len(token_list) else None
        name = following["text"] if type(following) is _T.Text else ""
        return _Frame(hides=True, literal=False, tag=name.strip().lower())
    if kind is _T.CommentStart:
        return _Frame(hides=True, literal=True)
    return _Frame(hides=kind is not _T.HeadingStart, literal=False)


def _template_name(token_list: Sequence[Any], index: int) -> str | None:
    """Return the key of the template opening at ``index``, or None if its name is markup."""
    parts: list[str] = []
    in_comment = False
    for token in token_list[index + 1 :]:
        kind = type(token)
        if kind is _T.Text:
            if not in_comment:
                parts.append(token["text"])
        elif kind is _T.CommentStart or kind is _T.CommentEnd:
            in_comment = kind is _T.CommentStart
        elif kind is _T.TemplateParamSeparator or kind is _T.TemplateClose:
            break
        else:
            return None
    return template_key("".join(parts))


def _names_infobox(text: str, keys: frozenset[str]) -> bool:
    """Return whether ``text`` holds a ``{{`` followed by one of the infobox names."""
    if "{{" not in text:
        return False
    for name in _OPENER.findall(text):
        if template_key(name) in keys or template_key(name.split("\n", 1)[0]) in keys:
            return True
    return False


def _hidden_tail(
    scan: _Scan, stack: list[_Frame], head: str, rest: Sequence[Any], keys: frozenset[str]
) -> None:
    """Record the problem when an unclosed comment or includeonly hides (part of) an infobox."""
    opener = head[:4] if head.startswith("<!--") else "<includeonly>"
    if any(frame.start >= 0 for frame in stack):
        scan.broken.append(("unclosed-inside", (opener,)))
        return
    mentions = _names_infobox(head, keys) or any(
        (type(token) is _T.TemplateOpen and _template_name(rest, position) in keys)
        or (
            type(token) is _T.Text and "{{" in token["text"] and _names_infobox(token["text"], keys)
        )
        for position, token in enumerate(rest)
    )
    if mentions:
        scan.broken.append(("unclosed-before", (opener,)))


def _parameters(token_list: Sequence[Any], found: _Found) -> tuple[Parameter, ...]:
    """Return (name or None for positional, value) for each parameter of one infobox."""
    result: list[Parameter] = []
    for number, (bar, equals) in enumerate(found.params):
        stop = found.params[number + 1][0] if number + 1 < len(found.params) else found.end
        if equals < 0:
            result.append((None, value_from(token_list[bar + 1 : stop])))
        else:
            name = text_of(value_from(token_list[bar + 1 : equals]))
            result.append((name, value_from(token_list[equals + 1 : stop])))
    return tuple(result)
