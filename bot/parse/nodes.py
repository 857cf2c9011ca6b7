"""The preprocessor tree MediaWiki builds of wikitext (Preprocessor_Hash's node arrays).

A tree is a list of ``str`` and nodes: :class:`Template` (``{{...}}`` and ``{{{...}}}`` with
their :class:`Part` s), :class:`Comment`, :class:`Ignore` (what a page view ignores),
:class:`Ext` (an extension tag), :class:`Heading`, and :data:`EQUALS`, the ``=`` node MediaWiki
keeps inside text that was not split into a parameter name and value. :class:`Piece` is an
element of the scan's stack, from which the nodes are made. Offsets point into the text read.
"""

from __future__ import annotations

from dataclasses import dataclass


class Equals:
    """The ``=`` node (``['equals', ['=']]``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "EQUALS"


EQUALS = Equals()


class Part:
    """One ``|``-separated part of a template: ``name = value`` or a positional value.

    While the scan runs a part accumulates ``out`` (PPDPart_Hash); when its template closes,
    ``name``, ``value``, ``index`` and ``end`` are filled in. (No ``__slots__``: the class
    defaults make the many parts of a page cheaper to create.)
    """

    #: Where ``=`` is in ``out`` (None: positional).
    eqpos: int | None = None
    #: Where the last comment in the part ends, and where the text before it ends.
    comment_end: int | None = None
    visual_end: int | None = None
    #: The name's nodes, or None for a positional part.
    name: list[Node] | None = None
    #: The position of a positional part (1, 2...), 0 for a named one.
    index = 0

    def __init__(self, start: int, out: str = "") -> None:
        self.out: list[Node] = [out] if out else []
        self.value: list[Node] = self.out
        self.start = start
        self.end = start


class Template:
    """``{{title|parts}}`` (``template``) or ``{{{title|parts}}}`` (``tplarg``)."""

    __slots__ = ("end", "is_arg", "parts", "start", "title")

    def __init__(
        self, title: list[Node], parts: list[Part], *, is_arg: bool, start: int, end: int
    ) -> None:
        self.title = title
        self.parts = parts
        self.is_arg = is_arg
        self.start = start
        self.end = end


class Comment:
    """``<!-- ... -->``; ``text`` is what the node covers (a whole eaten line included)."""

    __slots__ = ("end", "start", "text", "unclosed")

    def __init__(self, text: str, start: int, unclosed: bool = False) -> None:
        self.text = text
        self.start = start
        self.end = start + len(text)
        self.unclosed = unclosed


class Ignore:
    """Text the page view ignores: ``<includeonly>...</includeonly>``, ``<noinclude>`` tags."""

    __slots__ = ("end", "start", "text")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.start = start
        self.end = start + len(text)


class Ext:
    """An extension tag: name as written, attribute text, inner text and closing tag."""

    __slots__ = ("attr", "close", "end", "inner", "name", "start")

    def __init__(
        self, name: str, attr: str, inner: str | None, close: str | None, *, start: int, end: int
    ) -> None:
        self.name = name
        self.attr = attr
        self.inner = inner
        self.close = close
        self.start = start
        self.end = end


class Heading:
    """``== heading ==`` (``h`` at the top level, ``possible-h`` elsewhere)."""

    __slots__ = ("children", "index", "level", "top")

    def __init__(self, level: int, index: int, children: list[Node]) -> None:
        self.level = level
        self.index = index
        self.children = children
        self.top = False


#: A node of the tree.
Node = str | Template | Comment | Ignore | Ext | Heading | Equals


@dataclass(frozen=True)
class OpenPiece:
    """Something opened and never closed: ``{{``, ``[[``, ``-{``, ``<!--``... and where."""

    opening: str
    start: int
    #: The text before its first ``|`` (the title of a template), comments and markup left out.
    head: str


@dataclass(frozen=True)
class Dom:
    """The preprocessor tree of a text, and what was left open at its end."""

    nodes: list[Node]
    unclosed: tuple[OpenPiece, ...]


class Piece:
    """An opened brace, bracket or heading on the scan's stack (PPDStackElement_Hash)."""

    __slots__ = ("close", "count", "line_start", "open", "parts", "saved_prefix", "start")

    def __init__(self, opening: str, close: str, count: int, start: int, prefix: str = "") -> None:
        self.open = opening
        self.close = close
        self.count = count
        self.start = start
        self.saved_prefix = prefix
        self.parts = [Part(start + count)]

    def break_syntax(self, opening_count: int | None = None) -> list[Node]:
        """Return the piece as text (and the nodes inside it): it was never closed."""
        if self.open == "\n":
            return [self.saved_prefix, *self.parts[0].out]
        if opening_count is None:
            opening_count = self.count
        head = self.open[:-1]
        accum: list[Node] = [self.saved_prefix + head + self.open[-1] * (opening_count - len(head))]
        first = True
        for part in self.parts:
            if first:
                first = False
            elif isinstance(accum[-1], str):
                accum[-1] += "|"
            else:
                accum.append("|")
            for node in part.out:
                if isinstance(node, str) and isinstance(accum[-1], str):
                    accum[-1] += node
                else:
                    accum.append(node)
        return accum
