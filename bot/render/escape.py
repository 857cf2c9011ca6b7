"""Make untrusted text safe to place inside wikitext, and keep ordinary names readable.

Every value that comes from an infobox is untrusted: nothing in it may change the structure of the
page it is written to. Values go through three steps.

1. :func:`clean_text` normalises the text. Lone surrogates and non-characters are dropped; tabs and
   line breaks become spaces; other C0/C1 controls, bidi embedding controls (U+202A–202E,
   U+2066–2069), invisible format characters (U+200B, U+2060–2064, U+206A–206F, U+FEFF) are
   dropped; a zero-width joiner or non-joiner (U+200C, U+200D) is kept only between two visible
   characters, where it joins an emoji sequence or a word (Persian, Indic scripts); runs of spaces
   become one space; the ends are stripped; the result is NFC.
2. :func:`truncate` shortens it to a per-field limit, cutting only between grapheme clusters
   and ending with "…".
3. :func:`escape_text` replaces every wikitext-significant character with an HTML character
   reference, which MediaWiki shows literally and never reads as markup:

   * always: ``& < > [ ] { } | ~ =`` (``&`` too, so ``&lt;`` in a value shows as ``&lt;``);
   * ``' _ !`` when next to the same character (``''`` bold/italic, ``__NOTOC__``, ``!!``);
   * ``:`` when followed by anything but a space (``http://``, ``mailto:`` free links);
   * the first letter of ``ISBN``, ``RFC`` and ``PMID`` (magic links);
   * the first character when it is one of ``* # : ; - !`` (lists, indents, ``----``,
     ``#REDIRECT``, header cells).

   The result contains none of ``| [ ] { } < > ~ =``, no ``''``/``__``/``!!``, no newline and no
   ``&`` that does not start one of our own references. ``html.unescape`` of the result gives back
   the cleaned, truncated text exactly. Escaped text is for element content only, never for an
   HTML attribute value (``"`` is left as is).

:func:`escape_value` wraps the escaped text in ``<bdi>`` so right-to-left names, and names that
mix scripts with digits and parentheses, display in their own direction. :func:`page_link` builds
``[[:Title|label]]`` links; the leading colon keeps a ``Category:`` or ``File:`` title from
categorising the page or embedding an image.
"""

from __future__ import annotations

import re
import unicodedata

import regex

#: Marks a value that was shortened.
ELLIPSIS = "…"

# Whitespace that becomes a plain space: tab, line feed, vertical tab, form feed, carriage return,
# next line (U+0085), line and paragraph separators.
SPACES = frozenset("\t\n\x0b\x0c\r\x85\u2028\u2029 ")
JOINERS = frozenset("\u200c\u200d")
_FORMAT_DROPPED = frozenset(
    [0x200B, 0xFEFF, *range(0x202A, 0x202F), *range(0x2060, 0x2065), *range(0x2066, 0x2070)]
)


def is_dropped(char: str) -> bool:
    """Return whether ``char`` is removed outright by :func:`clean_text`."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return char not in SPACES
    if 0xD800 <= code <= 0xDFFF:  # lone surrogate
        return True
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:  # non-characters
        return True
    return code in _FORMAT_DROPPED


_JOINER_RUN = re.compile("[\u200c\u200d]+")
_SPACE_RUN = re.compile(" {2,}")
#: One extended grapheme cluster (Unicode UAX #29), from the ``regex`` library.
_GRAPHEME = regex.compile(r"\X")


def _keep_joiners(match: re.Match[str]) -> str:
    text = match.string
    start, end = match.span()
    if start == 0 or end == len(text) or text[start - 1] == " " or text[end] == " ":
        return ""
    return match.group()[0]


def clean_text(value: str) -> str:
    """Return ``value`` normalised as the module docstring describes (step 1)."""
    if value.isascii() and value.isprintable():  # no control, no joiner; ASCII is NFC already
        return _SPACE_RUN.sub(" ", value).strip(" ")
    chars = [" " if char in SPACES else char for char in value if not is_dropped(char)]
    text = _JOINER_RUN.sub(_keep_joiners, "".join(chars))
    text = _SPACE_RUN.sub(" ", text).strip(" ")
    return unicodedata.normalize("NFC", text)


def truncate(value: str, limit: int) -> str:
    """Return ``value`` cut to at most ``limit`` code points at a cluster boundary, with "…".

    Text that fits is returned unchanged. A first cluster longer than the limit (a letter with
    thousands of combining marks) leaves only the ellipsis.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(value) <= limit:
        return value
    cut = 0
    # The cluster that holds the last kept code point must end before the cut, too.
    for cluster in _GRAPHEME.finditer(value):
        if cluster.end() > limit - 1:
            break
        cut = cluster.end()
    return value[:cut].rstrip(" ") + ELLIPSIS


# --- escaping ---

_ALWAYS = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "~": "&#126;",
    "=": "&#61;",
}
_IN_RUNS = {"'": "&#39;", "_": "&#95;", "!": "&#33;"}
_LINE_START = frozenset("*#:;-!")
_MAGIC_LINK_WORDS = ("ISBN", "RFC", "PMID")


def _escape_char(text: str, index: int, *, title: bool) -> str:
    char = text[index]
    if char in _ALWAYS:
        return _ALWAYS[char]
    if char in _IN_RUNS and char in (text[index - 1 : index], text[index + 1 : index + 2]):
        return _IN_RUNS[char]
    special = not title and (
        (index == 0 and char in _LINE_START)
        or (char == ":" and text[index + 1 : index + 2] not in ("", " "))
        or text.startswith(_MAGIC_LINK_WORDS, index)
    )
    return f"&#{ord(char)};" if special else char


#: Anything :func:`_escape_char` may change; text without it is returned as it is.
_NEEDS_ESCAPE = re.compile(r"[&<>\[\]{}|~=]|''|__|!!|:[^ ]|ISBN|RFC|PMID|^[*#:;!-]")


def escape_text(value: str, limit: int | None = None) -> str:
    """Return ``value`` cleaned, truncated to ``limit`` and escaped for wikitext element content."""
    text = clean_text(value)
    if limit is not None:
        text = truncate(text, limit)
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return "".join(_escape_char(text, index, title=False) for index in range(len(text)))


def escape_title(title: str) -> str:
    """Return a page title with every wikitext-significant character as a character reference."""
    return "".join(_escape_char(title, index, title=True) for index in range(len(title)))


def escape_value(value: str, limit: int | None = None) -> str:
    """Return :func:`escape_text` of ``value`` inside ``<bdi>``, or ``""`` when nothing is left."""
    escaped = escape_text(value, limit)
    return f"<bdi>{escaped}</bdi>" if escaped else ""
