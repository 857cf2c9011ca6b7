"""Read one parameter's wikitext from mwparserfromhell's tokens: source, plain text, links, items.

A :class:`RawValue` is a parameter's text with comments removed and, when that text holds any
markup, its token list (mwparserfromhell's tokenizer output, bold and italic left as text).
Working on tokens rather than node trees keeps parsing fast; values holding HTML-like tags are
the only ones whose source is rebuilt through mwparserfromhell's builder.

Plain text is what a reader sees: link labels (or the target when a link has none), tag contents,
decoded character references, line breaks as newlines, no bold or italic quotes. Templates,
parser functions and ``{{{arguments}}}`` are dropped and reported to the caller. Categories,
files, footnotes and the content of other extension tags (galleries, maps...) are not running
text and vanish. ``{{!}}`` is MediaWiki's literal bar and stays a bar.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from mwparserfromhell.parser import tokens
from mwparserfromhell.parser.builder import Builder

__all__ = [
    "RawValue",
    "Value",
    "clean_text",
    "first_link",
    "list_items",
    "plain_text",
    "source",
    "text_of",
]

_T = tokens
#: C0 and C1 controls except tab and newline, and lone surrogates (unencodable).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_WHITESPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"'{2,}")
#: Tags whose content is not running text (footnotes, galleries, code for other extensions).
_DROPPED_TAGS = frozenset(
    {"ref", "references", "includeonly", "gallery", "templatestyles", "math", "chem", "score",
     "graph", "timeline", "hiero", "mapframe", "maplink", "syntaxhighlight", "source",
     "categorytree", "inputbox", "templatedata", "section", "indicator"}
)  # fmt: skip
_BREAK_TAGS = frozenset({"br", "hr"})
_HIDDEN_LINK = re.compile(r"\s*(?:category|file|image)\s*:", re.IGNORECASE)
#: Tokens that open and close a nested construct (shared with bot.parse.locate).
OPENERS = _OPENERS = frozenset(
    {_T.TemplateOpen, _T.ArgumentOpen, _T.WikilinkOpen, _T.ExternalLinkOpen,
     _T.HTMLEntityStart, _T.HeadingStart, _T.CommentStart, _T.TagOpenOpen}
)  # fmt: skip
CLOSERS = _CLOSERS = frozenset(
    {_T.TemplateClose, _T.ArgumentClose, _T.WikilinkClose, _T.ExternalLinkClose,
     _T.HTMLEntityEnd, _T.HeadingEnd, _T.CommentEnd, _T.TagCloseSelfclose, _T.TagCloseClose}
)  # fmt: skip
_FIXED_SOURCE: dict[type, str] = {
    _T.TemplateOpen: "{{", _T.TemplateParamSeparator: "|", _T.TemplateParamEquals: "=",
    _T.TemplateClose: "}}", _T.ArgumentOpen: "{{{", _T.ArgumentSeparator: "|",
    _T.ArgumentClose: "}}}", _T.WikilinkOpen: "[[", _T.WikilinkSeparator: "|",
    _T.WikilinkClose: "]]", _T.HTMLEntityStart: "&", _T.HTMLEntityNumeric: "#",
    _T.HTMLEntityEnd: ";", _T.CommentStart: "<!--", _T.CommentEnd: "-->",
}  # fmt: skip


class RawValue(NamedTuple):
    """One parameter's cleaned text, with its tokens when the text holds markup.

    ``exact`` says the tokens follow from the text alone (it was tokenized on its own), so two
    values with equal text read alike and their reading may be cached.
    """

    text: str
    tokens: tuple[Any, ...] | None = None
    exact: bool = False


#: A parameter value: its cleaned text when it holds no markup, else the text with its tokens.
Value = str | RawValue


def text_of(value: Value) -> str:
    """Return the cleaned text of a value."""
    return value if type(value) is str else value.text  # type: ignore[union-attr]


def clean_text(text: str, *, keep_newlines: bool = True) -> str:
    """Remove controls and lone surrogates, NFC-normalise and strip ``text``."""
    stripped = text.strip()
    if stripped.isascii() and stripped.isprintable():
        return stripped
    if _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
    if not keep_newlines and ("\n" in text or "\t" in text):
        text = _WHITESPACE.sub(" ", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.strip()


def source(token_list: Sequence[Any]) -> str:
    """Return the wikitext the tokens were read from."""
    parts: list[str] = []
    stack: list[Any] = []
    for token in token_list:
        kind = type(token)
        fixed = _FIXED_SOURCE.get(kind)
        if fixed is not None:
            parts.append(fixed)
        elif kind is _T.Text:
            parts.append(token["text"])
        elif kind is _T.ExternalLinkOpen or kind is _T.HeadingStart:
            stack.append(token)
            parts.append("[" if token.get("brackets") else "=" * (token.get("level") or 0))
        elif kind is _T.ExternalLinkSeparator:
            parts.append("" if token.get("suppress_space") else " ")
        elif kind is _T.ExternalLinkClose:
            parts.append("]" if stack.pop().get("brackets") else "")
        elif kind is _T.HeadingEnd:
            parts.append("=" * (stack.pop().get("level") or 0))
        elif kind is _T.HTMLEntityHex:
            parts.append(token["char"])
        else:  # tags keep their attributes and padding in ways only the builder restores
            builder: Any = Builder  # mwparserfromhell's builder carries no annotations
            return str(builder().build(list(token_list)))
    return "".join(parts)


def plain_text(value: RawValue) -> tuple[str, bool]:
    """Return the text a reader sees, and whether a template or parser function was dropped."""
    if value.tokens is None:
        text = value.text
        return (_QUOTES.sub(_unquote, text) if "''" in text else text), False
    text, templated = _render(value.tokens)
    return (_QUOTES.sub(_unquote, text) if "''" in text else text), templated


def first_link(value: RawValue) -> str | None:
    """Return the target of the first link at the top of the value: a URL or a page title."""
    if value.tokens is None:
        return None
    depth = 0
    start = -1
    for index, token in enumerate(value.tokens):
        kind = type(token)
        if kind in _OPENERS:
            if depth == 0 and (kind is _T.WikilinkOpen or kind is _T.ExternalLinkOpen):
                start = index + 1
            depth += 1
        elif kind in _CLOSERS:
            depth -= 1
            if start >= 0 and depth == 0:
                return source(value.tokens[start:index])
        elif (
            start >= 0
            and depth == 1
            and (kind is _T.WikilinkSeparator or kind is _T.ExternalLinkSeparator)
        ):
            return source(value.tokens[start:index])
    return None


def list_items(value: RawValue) -> list[RawValue]:
    """Split a value on the commas of its top-level text; links and templates stay whole."""
    if value.tokens is None:
        return [RawValue(item.strip()) for item in value.text.split(",")]  # already clean
    items: list[list[Any]] = [[]]
    depth = 0
    for token in value.tokens:
        kind = type(token)
        if kind in _OPENERS:
            depth += 1
        elif kind in _CLOSERS:
            depth -= 1
        if depth == 0 and kind is _T.Text and "," in token["text"]:
            first, *rest = token["text"].split(",")
            items[-1].append(_T.Text(text=first))
            items.extend([_T.Text(text=piece)] for piece in rest)
        else:
            items[-1].append(token)
    result: list[RawValue] = []
    for item in items:
        plain = all(type(token) is _T.Text for token in item)
        text = "".join(token["text"] for token in item) if plain else source(item)
        result.append(RawValue(clean_text(text), None if plain else tuple(item)))
    return result


def _unquote(match: re.Match[str]) -> str:
    """Drop bold/italic quotes; four quotes are an apostrophe then bold, as in MediaWiki."""
    run = len(match.group())
    return "'" * (run - 5) if run > 5 else ("'" if run == 4 else "")


@dataclass(slots=True)
class _Frame:
    """An open construct while rendering: where its text starts and what it hides."""

    kind: type
    mark: int
    mutes: bool
    tag: str = ""
    label: bool = False
    title: str = ""


def _render(token_list: Sequence[Any]) -> tuple[str, bool]:
    """Return the plain text of tokens and whether a template or argument was met."""
    parts: list[str] = []
    stack: list[_Frame] = []
    muted = 0
    templated = False
    index, count = 0, len(token_list)
    while index < count:
        token = token_list[index]
        kind = type(token)
        if kind is _T.Text:
            if not muted:
                parts.append(token["text"])
        elif kind is _T.TemplateOpen and _is_bar(token_list, index):
            parts.append("" if muted else "|")
            index += 3
            continue
        elif kind is _T.HTMLEntityStart:
            end = index + 1
            while type(token_list[end]) is not _T.HTMLEntityEnd:
                end += 1
            if not muted:
                parts.append(html.unescape(source(token_list[index : end + 1])))
            index = end + 1
            continue
        elif kind in _OPENERS:
            frame = _open(token_list, index, kind, len(parts))
            templated |= not muted and (kind is _T.TemplateOpen or kind is _T.ArgumentOpen)
            muted += frame.mutes
            stack.append(frame)
        elif kind is _T.WikilinkSeparator or kind is _T.ExternalLinkSeparator:
            frame = stack[-1]
            frame.label, frame.title = True, "".join(parts[frame.mark :])
            del parts[frame.mark :]
        elif kind is _T.TagCloseOpen or kind is _T.TagOpenClose:
            frame = stack[-1]
            mutes = kind is _T.TagOpenClose or frame.tag in _DROPPED_TAGS
            muted += mutes - frame.mutes
            frame.mutes = mutes
        elif kind in _CLOSERS:
            frame = stack.pop()
            muted -= frame.mutes
            _close(frame, parts, kind, muted)
        index += 1
    return "".join(parts), templated


def _is_bar(token_list: Sequence[Any], index: int) -> bool:
    """Return whether the template opening at ``index`` is ``{{!}}``."""
    following = token_list[index + 1 : index + 3]
    return (
        len(following) == 2
        and type(following[0]) is _T.Text
        and following[0]["text"].strip() == "!"
        and type(following[1]) is _T.TemplateClose
    )


def _open(token_list: Sequence[Any], index: int, kind: type, mark: int) -> _Frame:
    if kind is _T.TagOpenOpen:
        following: Any = token_list[index + 1] if index + 1 < len(token_list) else None
        name = following["text"].strip().lower() if type(following) is _T.Text else ""
        return _Frame(kind, mark, mutes=True, tag=name)
    muting = kind is _T.TemplateOpen or kind is _T.ArgumentOpen or kind is _T.CommentStart
    return _Frame(kind, mark, mutes=muting)


def _close(frame: _Frame, parts: list[str], kind: type, muted: int) -> None:
    """Finish a link or tag: keep a link's label or target, hide categories, break lines."""
    if frame.kind is _T.WikilinkOpen:
        title = frame.title if frame.label else "".join(parts[frame.mark :])
        if _HIDDEN_LINK.match(title):
            del parts[frame.mark :]
        elif not frame.label:
            parts[frame.mark :] = [title.strip().lstrip(":")]
    elif kind is _T.TagCloseSelfclose and frame.tag in _BREAK_TAGS and not muted:
        parts.append("\n")
