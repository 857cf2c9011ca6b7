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

#: Marks a value that was shortened.
ELLIPSIS = "…"

# Whitespace that becomes a plain space: tab, line feed, vertical tab, form feed, carriage return,
# next line (U+0085), line and paragraph separators.
_SPACES = frozenset("\t\n\x0b\x0c\r\x85\u2028\u2029 ")
_JOINERS = frozenset("\u200c\u200d")
_FORMAT_DROPPED = frozenset(
    [0x200B, 0xFEFF, *range(0x202A, 0x202F), *range(0x2060, 0x2065), *range(0x2066, 0x2070)]
)


def _dropped(char: str) -> bool:
    """Return whether ``char`` is removed outright by :func:`clean_text`."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return char not in _SPACES
    if 0xD800 <= code <= 0xDFFF:  # lone surrogate
        return True
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:  # non-characters
        return True
    return code in _FORMAT_DROPPED


_JOINER_RUN = re.compile("[\u200c\u200d]+")
_SPACE_RUN = re.compile(" {2,}")


def _keep_joiners(match: re.Match[str]) -> str:
    text = match.string
    start, end = match.span()
    if start == 0 or end == len(text) or text[start - 1] == " " or text[end] == " ":
        return ""
    return match.group()[0]


def clean_text(value: str) -> str:
    """Return ``value`` normalised as the module docstring describes (step 1)."""
    chars = [" " if char in _SPACES else char for char in value if not _dropped(char)]
    text = _JOINER_RUN.sub(_keep_joiners, "".join(chars))
    text = _SPACE_RUN.sub(" ", text).strip(" ")
    return unicodedata.normalize("NFC", text)


# --- grapheme clusters (a small approximation of Unicode UAX #29, enough for safe truncation) ---

_ZWJ = "\u200d"


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _extends(char: str) -> bool:
    """Return whether ``char`` never starts a cluster (marks, joiners, selectors, modifiers)."""
    code = ord(char)
    return (
        unicodedata.category(char) in {"Mn", "Me", "Mc"}
        or char in _JOINERS
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF  # variation selectors supplement
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
    )


def _hangul_kind(char: str) -> str:
    code = ord(char)
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return "L"
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return "V"
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return "T"
    if 0xAC00 <= code <= 0xD7A3:
        return "LV" if (code - 0xAC00) % 28 == 0 else "LVT"
    return ""


_HANGUL_JOINS = {
    ("L", "L"),
    ("L", "V"),
    ("L", "LV"),
    ("L", "LVT"),
    ("LV", "V"),
    ("V", "V"),
    ("LV", "T"),
    ("V", "T"),
    ("LVT", "T"),
    ("T", "T"),
}


def grapheme_clusters(value: str) -> list[str]:
    """Split ``value`` into user-perceived characters (approximate extended grapheme clusters).

    A cluster is never split before a combining mark, a joiner, a variation selector, an emoji
    modifier or tag, after a zero-width joiner, between the two regional indicators of a flag or
    inside a Hangul syllable written with conjoining jamo.
    """
    clusters: list[str] = []
    regional_run = 0
    for char in value:
        if clusters:
            previous = clusters[-1][-1]
            joins = (
                _extends(char)
                or previous == _ZWJ
                or (_is_regional_indicator(char) and regional_run % 2 == 1)
                or (_hangul_kind(previous), _hangul_kind(char)) in _HANGUL_JOINS
            )
            if joins:
                clusters[-1] += char
                regional_run = regional_run + 1 if _is_regional_indicator(char) else 0
                continue
        clusters.append(char)
        regional_run = 1 if _is_regional_indicator(char) else 0
    return clusters


def truncate(value: str, limit: int) -> str:
    """Return ``value`` cut to at most ``limit`` code points at a cluster boundary, with "…".

    Text that fits is returned unchanged. A first cluster longer than the limit (a letter with
    thousands of combining marks) leaves only the ellipsis.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(value) <= limit:
        return value
    kept: list[str] = []
    size = 0
    # Clusters ending before the cut depend only on the text up to the cut.
    for cluster in grapheme_clusters(value[:limit]):
        if size + len(cluster) > limit - 1:
            break
        kept.append(cluster)
        size += len(cluster)
    return "".join(kept).rstrip(" ") + ELLIPSIS


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


def escape_text(value: str, limit: int | None = None) -> str:
    """Return ``value`` cleaned, truncated to ``limit`` and escaped for wikitext element content."""
    text = clean_text(value)
    if limit is not None:
        text = truncate(text, limit)
    return "".join(_escape_char(text, index, title=False) for index in range(len(text)))


def escape_value(value: str, limit: int | None = None) -> str:
    """Return :func:`escape_text` of ``value`` inside ``<bdi>``, or ``""`` when nothing is left."""
    escaped = escape_text(value, limit)
    return f"<bdi>{escaped}</bdi>" if escaped else ""


# --- links ---

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
        and not any(_dropped(char) or char in _SPACES - {" "} for char in title)
        and not any(char in _JOINERS for char in title)
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
    target = "".join(_escape_char(title, index, title=True) for index in range(len(title)))
    return f"[[:{prefix}{target}|{shown}]]"
