"""How the expander reads a stretch of text, and where that text came from.

:class:`Context` says how the expander is reading (for certain, uncertain, or for nothing) and
where; :class:`Origin` maps offsets in text MediaWiki parses again (a tag's content, a rewritten
poem, a reference list) back to offsets in the page.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from bot.parse.calls import Dependency, NotCalledReason

LIVE, UNCERTAIN, DEAD = 0, 1, 2


class Origin:
    """Map offsets in a text MediaWiki parses again back to offsets in the page.

    ``segments`` are (local start, local end, origin, start there), sorted: a local offset in
    one maps into that origin; any other maps to ``anchor`` in ``anchor_origin``. The page's own
    origin has no ``anchor_origin``.
    """

    __slots__ = ("anchor", "anchor_origin", "segments", "starts")

    def __init__(
        self,
        segments: tuple[tuple[int, int, Origin, int], ...] = (),
        anchor_origin: Origin | None = None,
        anchor: int = 0,
    ) -> None:
        self.segments = segments
        self.starts = [segment[0] for segment in segments]
        self.anchor_origin = anchor_origin
        self.anchor = anchor

    @classmethod
    def identity(cls) -> Origin:
        """Return the page's own offsets."""
        return cls()

    def shifted(self, start: int, length: int) -> Origin:
        """Return the origin of a copy of ``text[start:start+length]``."""
        return Origin(((0, length, self, start),), self, start)

    def anchored(self, offset: int) -> Origin:
        """Return an origin that maps every offset to ``offset`` (rewritten text)."""
        return Origin((), self, offset)

    def page(self, local: int) -> int:
        """Return the page offset of ``local``."""
        if self.anchor_origin is None:
            return local
        index = bisect_right(self.starts, local) - 1
        if index >= 0:
            start, end, origin, target = self.segments[index]
            if local <= end:
                return origin.page(target + local - start)
        return self.anchor_origin.page(self.anchor)


@dataclass(frozen=True)
class Context:
    """How and where the expander reads: for certain, possibly, or not at all."""

    mode: int
    within: tuple[str, ...]
    parent: int | None
    because: tuple[Dependency, ...]
    reason: NotCalledReason | None
    detail: str
    #: The frame's cache of parameterless calls (titles already expanded in it).
    frame: set[str]
    origin: Origin
    silenced: bool = False

    def doubt(self, dependency: Dependency) -> Context:
        """Return the context inside code that may or may not expand what it holds."""
        if self.mode == DEAD:
            return self
        return Context(UNCERTAIN, self.within, self.parent, (*self.because, dependency), None,
                       "", self.frame, self.origin, self.silenced)  # fmt: skip

    def dead(self, reason: NotCalledReason, detail: str) -> Context:
        """Return the context inside text MediaWiki never expands."""
        if self.mode == DEAD:
            return self
        return Context(DEAD, self.within, self.parent, self.because, reason, detail, self.frame,
                       self.origin, self.silenced)  # fmt: skip

    def nested(self, label: str, parent: int) -> Context:
        """Return the context inside a parameter of call ``parent``."""
        return Context(self.mode, (*self.within, label), parent, self.because, self.reason,
                       self.detail, self.frame, self.origin, self.silenced)  # fmt: skip

    def silent(self) -> Context:
        """Return this context reporting nothing."""
        return Context(self.mode, self.within, self.parent, self.because, self.reason,
                       self.detail, self.frame, self.origin, True)  # fmt: skip

    def inside(self, label: str, origin: Origin, frame: set[str] | None = None) -> Context:
        """Return the context for a tag's content parsed again."""
        return Context(self.mode, (*self.within, label), self.parent, self.because, self.reason,
                       self.detail, self.frame if frame is None else frame, origin,
                       self.silenced)  # fmt: skip
