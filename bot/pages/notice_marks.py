"""The hidden marker that follows every notice the bot posts, and how to find markers in a page.

``<!-- partnerbot:notice KEY -->`` is invisible to readers and survives archiving (tools copy
sections as wikitext). The board and its archives are the truth about what was posted: a key
found anywhere in them is never posted again. Finding is lenient about spacing and case of the
prefix, so a marker a person re-typed still counts; keys themselves are exact.
"""

from __future__ import annotations

import re

from bot.events.model import KEY_PATTERN

PREFIX = "partnerbot:notice"
_MARKER = re.compile(r"<!--\s*(?i:partnerbot:notice)\s+(" + KEY_PATTERN.pattern + r")\s*-->")


def notice_marker(key: str) -> str:
    """Return the hidden marker for ``key`` (which must be a well-formed event key)."""
    if KEY_PATTERN.fullmatch(key) is None:
        raise ValueError(f"not a notice key: {key!r}")
    return f"<!-- {PREFIX} {key} -->"


def notice_keys_in(text: str) -> frozenset[str]:
    """Return every notice key marked in ``text``."""
    if PREFIX not in text.casefold():
        return frozenset()
    return frozenset(match.group(1) for match in _MARKER.finditer(text))
