"""MediaWiki's Sanitizer and PHP's string rules the preprocessor depends on.

Ports of PHP's ``trim`` and integer-like array keys, ``Sanitizer::decodeCharReferences`` and
``Sanitizer::decodeTagAttributes`` (MediaWiki 1.39). Pure functions of text.
"""

from __future__ import annotations

import re
from html.entities import html5

#: The characters PHP's trim() removes (MediaWiki trims named parameters and titles with it).
PHP_TRIM = " \t\n\r\0\x0b"


# -- PHP ----------------------------------------------------------------------------------------


def php_trim(text: str) -> str:
    """Return ``text`` trimmed as PHP's trim() does (not NBSP, not other Unicode spaces)."""
    return text.strip(PHP_TRIM)


#: First characters of names that cannot be PHP integer keys (a quick test before the regex).
NOT_NUMBERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_ ")
_INTEGER_KEY = re.compile(r"(?:0|-?[1-9][0-9]{0,18})\Z")


def php_array_key(name: str) -> int | str:
    """Return the key PHP uses for ``name`` in an array: integer-like strings become ints."""
    if name[:1] in NOT_NUMBERS:
        return name
    if _INTEGER_KEY.match(name):
        number = int(name)
        if -(2**63) <= number < 2**63:
            return number
    return name


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Return ``text`` with only ASCII letters lowercased, as PHP's strtolower() does."""
    return text.translate(_ASCII_LOWER)


# -- character references ------------------------------------------------------------------------

_CHAR_REFS = re.compile(r"&([A-Za-z0-9\x80-\U0010ffff]+;)|&\#([0-9]+);|&\#[xX]([0-9A-Fa-f]+);|(&)")
_MW_ENTITY_ALIASES = {"רלמ;": "rlm;", "رلم;": "rlm;"}


def _valid_codepoint(codepoint: int) -> bool:
    return (
        codepoint in (0x09, 0x0A)
        or 0x20 <= codepoint <= 0x7E
        or 0xA0 <= codepoint <= 0xD7FF
        or 0xE000 <= codepoint <= 0xFFFD
        or 0x10000 <= codepoint <= 0x10FFFF
    )


def _decode_reference(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.group(1), match.group(2), match.group(3)
    if name:
        name = _MW_ENTITY_ALIASES.get(name, name)
        return html5.get(name, "&" + name)
    if decimal or hexadecimal:
        codepoint = int(decimal, 10) if decimal else int(hexadecimal, 16)
        return chr(codepoint) if _valid_codepoint(codepoint) else "\ufffd"
    return match.group(0)


def decode_char_references(text: str) -> tuple[str, int]:
    """Return ``text`` with HTML character references decoded, and how many matched."""
    if "&" not in text:
        return text, 0
    return _CHAR_REFS.subn(_decode_reference, text)


# -- tag attributes -----------------------------------------------------------------------------

_SPACE = "[\x09\x0a\x0c\x0d\x20]"
_ATTRIB = "[^\x09\x0a\x0c\x0d\x20/>=]"
_ATTRIBS = re.compile(
    f"((?:{_ATTRIB}|=){_ATTRIB}*)"
    f"({_SPACE}*={_SPACE}*"
    f"(?:\"([^\"]*)(?:\"|$)|'([^']*)(?:'|$)|(((?!{_SPACE}|>).)*)))?",
    re.DOTALL,
)
_ATTRIB_WHITESPACE = re.compile("[\t\r\n ]+")


def _attribute_name_ok(name: str) -> bool:
    if not (name[0].isalnum() or name[0] in ":_"):
        return False
    return all(char.isalnum() or char in ":_.-" for char in name)


def decode_tag_attributes(text: str) -> dict[str, str]:
    """Return the attributes of a tag as ``Sanitizer::decodeTagAttributes`` reads them."""
    if not php_trim(text):
        return {}
    attributes: dict[str, str] = {}
    for match in _ATTRIBS.finditer(text):
        name = ascii_lower(match.group(1))
        if not _attribute_name_ok(name):
            continue
        if match.group(5) is not None:
            value = match.group(5)
        elif match.group(4) is not None:
            value = match.group(4)
        elif match.group(3) is not None:
            value = match.group(3)
        else:
            value = ""
        value = php_trim(_ATTRIB_WHITESPACE.sub(" ", value))
        attributes[name] = decode_char_references(value)[0]
    return attributes
