"""Tell which record of the findings data belongs to which infobox on the page.

A page may hold several infoboxes, and a Lua module cannot count the infobox calls of a page
(each ``#invoke`` runs on its own). So each record carries a key of the infobox's parameters:
``Module:Partnership infobox/checklist`` computes it from the parameters MediaWiki passes, the bot
from the parameters it read, and equal keys mean this is the infobox the bot checked, with the
same values. A value the bot cannot reproduce as MediaWiki passes it (a template call, a tag) is
left out of the key on both sides (the record lists it). When no key matches, the module falls
back to the record with the same name key, or to the page's only record, and says that the
infobox has changed since the checked revision.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.model import PartnershipRecord

__all__ = ["HASH_MODULUS", "KEY_MULTIPLIERS", "infobox_key", "key_text", "name_key"]

#: Hashes are kept below 2**24 so Lua's double-precision numbers compute them exactly.
HASH_MODULUS = 1 << 24
#: The two multipliers of the infobox key's hashes.
KEY_MULTIPLIERS = (31, 37)
#: Characters removed before comparing parameter values (C0 and C1 controls but tab, newline, CR).
_KEY_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Values holding these are left out of the infobox key: MediaWiki passes them expanded.
_NOT_REPRODUCIBLE = ("{{", "<", "\x7f")


def key_text(text: str) -> str:
    """Return a parameter name or value as the infobox key compares it.

    Controls other than tab, newline and carriage return are removed, the text is NFC, runs of
    whitespace are one space, and the ends are trimmed (MediaWiki trims named values only).
    """
    text = _KEY_CONTROLS.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def infobox_key(params: Iterable[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    """Return the key of an infobox with ``params``, and the parameters left out of it.

    The key hashes the lines ``name=value`` of every parameter with a non-empty value, sorted by
    name, joined by newlines: two 24-bit hashes of the UTF-8 bytes (multipliers 31 and 37), as
    twelve hexadecimal digits. ``Module:Partnership infobox/checklist`` computes the same.
    """
    lines: dict[str, str] = {}
    left_out: list[str] = []
    for written, value in params:
        name, text = key_text(written), key_text(value)
        if any(mark in value for mark in _NOT_REPRODUCIBLE):
            left_out.append(name)
            lines.pop(name, None)
        elif text:
            lines[name] = text
        else:
            lines.pop(name, None)
    kept = [f"{name}={lines[name]}" for name in sorted(lines, key=lambda n: n.encode("utf-8"))]
    data = "\n".join(kept).encode("utf-8")
    hashes = []
    for multiplier in KEY_MULTIPLIERS:
        value_hash = 0
        for byte in data:
            value_hash = (value_hash * multiplier + byte) % HASH_MODULUS
        hashes.append(f"{value_hash:06x}")
    return "".join(hashes), tuple(sorted(dict.fromkeys(left_out)))


def name_key(record: PartnershipRecord) -> str:
    """Return what the module compares when no key matches: the name as written, else partner.

    Empty when that value cannot be reproduced as MediaWiki passes it (see :func:`infobox_key`).
    """
    written = record.raw("name") or record.raw("partner")
    if any(mark in written for mark in _NOT_REPRODUCIBLE):
        return ""
    return key_text(written)
