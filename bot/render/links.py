"""Links to wiki pages in bot-written wikitext: only plain titles become links.

:func:`page_link` builds ``[[:Title|label]]``; the leading colon keeps a ``Category:`` or
``File:`` title from categorising the page or embedding an image, the label is escaped
(:mod:`bot.render.escape`), and a title that is not a plain page title is shown as text.
"""

from __future__ import annotations

import re

from bot.render.escape import JOINERS, SPACES, escape_title, escape_value, is_dropped

#: Longest page title MediaWiki accepts, in UTF-8 bytes.
MAX_TITLE_BYTES = 255
_TITLE_FORBIDDEN = re.compile(
    r"[#<>\[\]{}|]|~~~|%[0-9A-Fa-f]{2}|^[:\s]|\s$|^\.\.?(/|$)|/\.\.?(/|$)"
)
_LINK_PREFIX = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9_-]*:)*")


def is_linkable_title(title: str) -> bool:
    """Return whether ``title`` is a plain page title that can safely be the target of a link."""
    return (
        bool(title)
        and len(title.encode("utf-8", "surrogatepass")) <= MAX_TITLE_BYTES
        and not any(is_dropped(char) or char in SPACES - {" "} for char in title)
        and not any(char in JOINERS for char in title)
        and _TITLE_FORBIDDEN.search(title) is None
    )


def page_link(title: str, label: str, *, prefix: str = "", limit: int | None = None) -> str:
    """Return a ``[[:prefix Title|label]]`` link, or the escaped label alone for a bad title.

    ``prefix`` is an interwiki prefix such as ``"meta:"`` (settings, not infobox data). The label
    is escaped and wrapped in ``<bdi>``; a label that cleans to nothing shows the title (an empty
    label would trigger the pipe trick when the page is saved).
    """
    if _LINK_PREFIX.fullmatch(prefix) is None:
        raise ValueError(f"not an interwiki prefix: {prefix!r}")
    shown = escape_value(label, limit) or escape_value(title, limit)
    if not is_linkable_title(title):
        return shown
    target = escape_title(title)
    return f"[[:{prefix}{target}|{shown}]]"
