"""Read what people see in one parameter value: its plain text, its first link, its list items.

The value is the text MediaWiki passes to the infobox (:class:`Value`). Its markup is read with
mwparserfromhell's public API (``mwparserfromhell.parse`` and the node classes), bold and italic
left as quotes; only values holding markup are parsed at all.

Plain text is what a reader sees: link labels (or the target when a link has none), tag
contents, decoded character references, line breaks as newlines, no bold or italic quotes, no
list markers. Categories, files, footnotes and the content of other extension tags (galleries,
maps...) are not running text and vanish. In a value that depends on other templates (what
MediaWiki passes is then its source) templates are dropped and reported to the caller, except
``{{!}}`` and ``{{=}}``, MediaWiki's literal ``|`` and ``=``; ``{{{x|default}}}`` reads as its
default. In any other value every template is text MediaWiki shows as written
(``{{subst:...}}`` on a page view, for example).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)

__all__ = ["Value", "clean_text", "first_link", "has_markup", "list_items", "plain_text"]

#: C0 and C1 controls except tab and newline, and lone surrogates (unencodable).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_WHITESPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"'{2,}")
#: Characters that make a value need reading as markup (anywhere, or at its start).
_MARKUP = re.compile(r"[\[\]{}<&\n]|://|^[*#:;=\s]")
#: Tags whose content is not running text (footnotes, galleries, code for other extensions).
_DROPPED_TAGS = frozenset(
    {"ref", "references", "includeonly", "gallery", "templatestyles", "math", "chem", "score",
     "graph", "timeline", "hiero", "mapframe", "maplink", "syntaxhighlight", "source",
     "categorytree", "inputbox", "templatedata", "section", "indicator"}
)  # fmt: skip
_BREAK_TAGS = frozenset({"br", "hr"})
_HIDDEN_LINK = re.compile(r"\s*(?:category|file|image)\s*:", re.IGNORECASE)
#: Magic words MediaWiki passes as a character.
_LITERAL_WORDS = {"!": "|", "=": "="}
#: A value that is one link of plain text, read without the parser. Titles that could start
#: an external link (a URL scheme: ``//``, or one of the schemes without slashes) are left to it.
_ONE_LINK = re.compile(
    r"\[\[(?!\s*(?i:bitcoin|geo|magnet|mailto|news|sips?|sms|tel|urn|xmpp):)"
    r"([^\[\]{}<>|&\n]+)(?:\|([^\[\]{}<>|&\n']*))?\]\]"
)


class Value:
    """One parameter value as MediaWiki passes it, and whether it depends on other templates.

    ``text`` is the value cleaned (:func:`clean_text`); ``nodes`` its markup, parsed on first use
    (or the nodes of a list item).
    """

    __slots__ = ("_nodes", "link", "plain", "templated", "text")

    def __init__(
        self, text: str, templated: bool = False, nodes: Sequence[Node] | None = None
    ) -> None:
        self.text = clean_text(text)
        self.templated = templated
        self._nodes = nodes
        #: True when the value holds no markup (its text is what people see).
        self.plain = nodes is None and not _MARKUP.search(self.text)
        #: The value when it is one simple link: (title, label or None).
        self.link: tuple[str, str | None] | None = None
        if not self.plain and nodes is None and "//" not in self.text:
            match = _ONE_LINK.fullmatch(self.text)
            if match is not None:
                self.link = (match.group(1), match.group(2))

    @property
    def nodes(self) -> Sequence[Node]:
        """Return the value's markup as mwparserfromhell nodes."""
        if self._nodes is None:
            self._nodes = _parse(self.text)
        return self._nodes


def has_markup(text: str) -> bool:
    """Return True when cleaned ``text`` holds markup (what people see differs from it)."""
    return _MARKUP.search(text) is not None or "''" in text


@lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[Node, ...]:
    return tuple(mwparserfromhell.parse(text, skip_style_tags=True).nodes)


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


def plain_text(value: Value) -> tuple[str, bool]:
    """Return the text a reader sees, and whether a template was dropped from it."""
    if value.plain:
        text, dropped = value.text, False
    elif value.link is not None:
        title, label = value.link
        if _HIDDEN_LINK.match(title):
            text = ""
        else:
            text = title.strip().lstrip(":") if label is None else label
        dropped = False
    else:
        parts: list[str] = []
        dropped = _render(value.nodes, parts, value.templated)
        text = "".join(parts)
    return (_QUOTES.sub(_unquote, text) if "''" in text else text), dropped


def first_link(value: Value) -> str | None:
    """Return the target of the first link at the top of the value: a URL or a page title."""
    if value.plain:
        return None
    if value.link is not None:
        return value.link[0]
    for node in value.nodes:
        if isinstance(node, Wikilink):
            return str(node.title)
        if isinstance(node, ExternalLink):
            return str(node.url)
    return None


def list_items(value: Value) -> list[Value]:
    """Split a value on the commas of its top-level text; links and templates stay whole."""
    if value.plain:
        return [Value(item) for item in value.text.split(",")]
    items: list[list[Node]] = [[]]
    for node in value.nodes:
        if isinstance(node, Text) and "," in node.value:
            first, *rest = node.value.split(",")
            items[-1].append(Text(first))
            items.extend([Text(piece)] for piece in rest)
        else:
            items[-1].append(node)
    return [Value("".join(map(str, item)), value.templated, item) for item in items]


def _unquote(match: re.Match[str]) -> str:
    """Drop bold/italic quotes; four quotes are an apostrophe then bold, as in MediaWiki."""
    run = len(match.group())
    return "'" * (run - 5) if run > 5 else ("'" if run == 4 else "")


def _render(nodes: Sequence[Node], parts: list[str], templated: bool) -> bool:  # noqa: PLR0912
    """Append the plain text of ``nodes`` to ``parts``; return whether a template was dropped.

    One dispatch on the node classes (the lint exception): each branch is one kind of markup.
    """
    dropped = False
    for node in nodes:
        if isinstance(node, Text):
            parts.append(node.value)
        elif isinstance(node, Wikilink):
            title = str(node.title)
            if _HIDDEN_LINK.match(title):
                continue
            if node.text is not None:
                dropped |= _render(node.text.nodes, parts, templated)
            else:
                parts.append(title.strip().lstrip(":"))
        elif isinstance(node, ExternalLink):
            if node.title is not None:
                dropped |= _render(node.title.nodes, parts, templated)
            else:
                parts.append(str(node.url))
        elif isinstance(node, Tag):
            name = str(node.tag).strip().lower()
            if name in _BREAK_TAGS:
                parts.append("\n")
            elif node.contents is not None and name not in _DROPPED_TAGS:
                dropped |= _render(node.contents.nodes, parts, templated)
        elif isinstance(node, HTMLEntity):
            parts.append(node.normalize())
        elif isinstance(node, Heading):
            dropped |= _render(node.title.nodes, parts, templated)
        elif isinstance(node, Template):
            word = _LITERAL_WORDS.get(str(node.name).strip()) if not node.params else None
            if word is not None:
                parts.append(word)
            elif templated:
                dropped = True
            else:
                parts.append(str(node))
        elif isinstance(node, Argument):
            if node.default is not None:
                dropped |= _render(node.default.nodes, parts, templated)
            else:
                parts.append(str(node))
    return dropped
