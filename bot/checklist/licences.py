"""Read a licence as written in an infobox: free, non-free, GFDL only, or unrecognised.

The Wikimedia projects take only free content: anyone may reuse it for any purpose, including
commercially, and adapt it. Restrictive terms therefore win over a named free licence.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum


class LicenceKind(StrEnum):
    """How a licence text reads against the Wikimedia definition of free content."""

    FREE = "free"
    #: Restricts use (NC, ND, "Wikipedia only", all rights reserved...): not acceptable.
    NON_FREE = "non_free"
    #: The GFDL and nothing else: free, but Commons no longer takes new media under it alone.
    GFDL_ONLY = "gfdl_only"
    UNRECOGNISED = "unrecognised"


_WIKI = r"(?:the )?wiki(?:pedia|media)"
#: Terms that make a licence non-free wherever they appear, even beside a free licence.
_NON_FREE_TERMS = re.compile(
    r"\b(?:nc|non ?commercial|no ?commercial|not for commercial(?: use)?"
    r"|commercial use (?:is )?(?:not|prohibited|forbidden)"
    r"|nd|no ?derivs?|no ?derivatives?|no derivative works|no modifications?"
    r"|all rights reserved|fair use|proprietary|non ?free|not free|no re ?use|no redistribution"
    rf"|{_WIKI} (?:use )?only|only (?:for|on|in|by) (?:use (?:on|in|by) )?{_WIKI}"
    rf"|for {_WIKI} (?:use|only)|for use (?:on|in|by) {_WIKI}|exclusively (?:for|on|in) {_WIKI}"
    r"|(?:educational|education|personal|private|internal|research|academic|scholarly"
    r"|non ?profit) (?:use|purposes?))\b"
)
#: Named free licences and public-domain statements.
_FREE_TERMS = re.compile(
    r"\b(?:cc ?0|cc zero|creative commons zero|cc by|creative commons (?:attribution|by)"
    r"|creativecommons org (?:licenses by|publicdomain)|public domain|pd|pdm|domaine public"
    r"|dominio p[uú]blico|gemeinfrei|odbl|open database licen[cs]e|free art licen[cs]e"
    r"|licence art libre|[al]?gpl|gnu (?:lesser |affero )?general public licen[cs]e"
    r"|mit licen[cs]e|apache(?: licen[cs]e)?|bsd|mpl|mozilla public licen[cs]e"
    r"|ogl|open government licen[cs]e|licence ouverte|etalab)\b"
)
_GFDL_TERMS = re.compile(r"\b(?:gfdl|gnu free documentation licen[cs]e)\b")
#: Terms that mean "not free" only when no free licence is named beside them: "permission"
#: with a CC BY-SA licence is a documented free release, "permission" alone is not.
_RESTRICTED_ALONE = re.compile(
    r"\b(?:permission|permitted|copyright(?:ed)?|licensed to|courtesy(?: of)?|used with)\b"
)
_PUNCTUATION = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=4096)
def classify_licence(text: str) -> tuple[LicenceKind, str]:
    """Return how ``text`` reads as a licence, and the term that decided it ("" if none).

    Restrictive terms win over free ones ("CC BY-NC-SA" is not free, nor "CC BY for Wikipedia
    only"); then a named free licence; then the GFDL alone; then words like "permission" or
    "copyright" with no free licence named; anything else is unrecognised.
    """
    words = " " + _PUNCTUATION.sub(" ", text.casefold().replace("©", " copyright ")) + " "
    for pattern, kind in (
        (_NON_FREE_TERMS, LicenceKind.NON_FREE),
        (_FREE_TERMS, LicenceKind.FREE),
        (_GFDL_TERMS, LicenceKind.GFDL_ONLY),
        (_RESTRICTED_ALONE, LicenceKind.NON_FREE),
    ):
        match = pattern.search(words)
        if match:
            return kind, match.group(0)
    return LicenceKind.UNRECOGNISED, ""
