"""Read the partnership infoboxes of a page the way MediaWiki shows them.

``parse_page`` finds every ``{{Partnership infobox}}`` that MediaWiki would display on the page
and turns each into a :class:`~bot.model.PartnershipRecord`. Bad input becomes
:class:`~bot.model.Problem` values on the record or the page; nothing here raises.

Which templates count (RELIABILITY.md A1, A2, A4, A5):

- Names match as MediaWiki matches titles: first letter case-insensitive, ``_`` the same as a
  space, runs of spaces collapsed, an optional ``Template:`` prefix (any case, spaces around the
  colon) and the ``msg:``/``raw:`` modifiers. The rest of the name is case-sensitive. Comments
  inside the name are ignored; a name built from other markup never matches.
- Only templates MediaWiki would render on the page itself count: those at the top level of the
  text, also inside ``<noinclude>``/``<onlyinclude>`` (shown on the page) and inside HTML
  elements such as ``<div>`` (MediaWiki expands templates there). Templates inside comments,
  ``<includeonly>`` (not shown on the page), ``<nowiki>``, ``<pre>``, other extension tags
  (``<ref>``, ``<gallery>``...), links, or another template's parameters do not count.
- An unclosed ``<!--`` or ``<includeonly>`` hides everything after it, as in MediaWiki.
- Text is tokenized by mwparserfromhell with ``skip_style_tags=True``, so an unclosed ``''``
  cannot hide the infobox from the parser.
- A ``{{`` that opens the infobox but does not close (or is hidden by an unclosed comment) gives
  the page problem ``infobox-unparseable``; infoboxes that do parse are still returned.
- Several infoboxes on one page are all returned, ``index`` 0, 1, 2... in page order (a list
  page may describe several partnerships), with the page problem ``multiple-infoboxes``.

Parameters (A6-A8, A10):

- Names are trimmed and case-sensitive, as in MediaWiki: ``|Status=`` is not ``status``. It is
  reported as ``unknown-parameter`` with the suggestion ``status``, never silently accepted.
- The last of duplicate parameters wins, with a ``duplicate-parameter`` problem.
- Positional parameters (usually a raw ``|`` inside a value) give ``positional-parameter``; the
  named value before the bar is kept as written. Empty positional parameters (``||``) are
  harmless and not reported.
- ``PartnershipRecord.params`` keeps every parameter's text (comments removed, controls
  removed, NFC, stripped), unknown and positional ones included, in order of the occurrence
  that counts. Typed values come from :mod:`bot.parse.coerce`.

Speed: a page whose text cannot name the infobox is answered without parsing; a page whose
infoboxes hold only text, simple links and comments is split with regular expressions
(:mod:`bot.parse.fastpath`); any other page is tokenized once by mwparserfromhell and read from the
token stream (:mod:`bot.parse.locate`). A property test checks that both readings agree.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from functools import lru_cache
from typing import Any

from mwparserfromhell.parser import ParserError

from bot.contract import NAME_SUGGESTION_CUTOFF, shown
from bot.model import ParsedPage, PartnershipRecord, Problem
from bot.parse.coerce import FREE_TEXT, PARAMETERS, coerce, record_attribute
from bot.parse.fastpath import locate_plain, may_name
from bot.parse.locate import (
    Located,
    locate_tokens,
    normalize_title,
    template_key,
    tokenize,
    value_from,
)
from bot.parse.value_text import Value, clean_text, text_of

__all__ = ["PARAMETERS", "normalize_title", "parse_page", "parse_value", "template_key"]

DEFAULT_TEMPLATE_NAMES: tuple[str, ...] = ("Partnership infobox",)

_NAME_SPACE = re.compile(r"[\s_-]+")
_KNOWN = frozenset(PARAMETERS)
#: Each parameter, its record attribute, and whether it is free text (read as written when plain).
_ATTRIBUTES = tuple((name, record_attribute(name), name in FREE_TEXT) for name in PARAMETERS)


def parse_page(
    title: str,
    text: str,
    *,
    template_names: Collection[str] = DEFAULT_TEMPLATE_NAMES,
    revid: int | None = None,
) -> ParsedPage:
    """Return every infobox MediaWiki would show on page ``title``, with their problems."""
    title = normalize_title(title)
    keys = frozenset(key for key in map(template_key, template_names) if key)
    if not keys or not may_name(text, keys):
        return ParsedPage(title=title, revid=revid, records=())
    try:
        located = locate(text, keys)
        records = tuple(
            _record(title, index, revid, parameters)
            for index, parameters in enumerate(located.infoboxes)
        )
    except (ParserError, RecursionError, ValueError, SystemError) as error:  # a parser bug
        why = (type(error).__name__,)
        return ParsedPage(
            title, revid, (), (Problem("infobox-unparseable", None, "unreadable-page", why),)
        )
    problems = [Problem("infobox-unparseable", None, why, of) for why, of in located.broken]
    if len(records) > 1:
        problems.append(Problem("multiple-infoboxes", None, "infobox-count", (len(records),)))
    return ParsedPage(title, revid, records, tuple(dict.fromkeys(problems)))


def locate(text: str, keys: frozenset[str]) -> Located:
    """Return the parameters of every infobox named by one of ``keys`` that the page shows."""
    if "\x00" in text:  # the C tokenizer stops at NUL; both readers must see the same text
        text = text.replace("\x00", "")
    plain = locate_plain(text, keys)
    return plain if plain is not None else locate_tokens(text, keys)


def parse_value(field: str, text: str) -> tuple[object, tuple[Problem, ...]]:
    """Return the typed value of infobox parameter ``field`` written as ``text``."""
    try:
        value = value_from(tokenize(text))
    except (ParserError, RecursionError, ValueError, SystemError):
        value = clean_text(text)
    if field not in PARAMETERS:
        return text_of(value), (_unknown_parameter(field),)
    return coerce(field, value)


def _record(
    title: str, index: int, revid: int | None, parameters: tuple[tuple[str | None, Value], ...]
) -> PartnershipRecord:
    """Return the record of one infobox from its parameters in page order."""
    problems: list[Problem] = []
    values: dict[str, Value] = {}
    repeats: dict[str, int] = {}
    position = 0
    for written, value in parameters:
        if written in _KNOWN:
            name = written
        elif written is None:
            position += 1
            name = str(position)
            if text_of(value):
                problems.append(_positional(text_of(value)))
        elif not (name := written):
            problems.append(_positional(text_of(value), named=True))
        elif name not in values:
            problems.append(_unknown_parameter(name))
        if name in values:
            repeats[name] = repeats.get(name, 1) + 1
            del values[name]  # the last occurrence counts, and takes its place in the order
        values[name] = value
    problems.extend(_duplicates(repeats, values))
    attributes = _typed_values(values, problems)
    return PartnershipRecord(
        page=title,
        index=index,
        revid=revid,
        params=tuple([(name, text_of(value)) for name, value in values.items()]),
        problems=tuple(problems),
        **attributes,
    )


def _typed_values(values: dict[str, Value], problems: list[Problem]) -> dict[str, Any]:
    """Return the record attributes read from the known parameters, adding their problems."""
    attributes: dict[str, Any] = {}
    for name, attribute, free_text in _ATTRIBUTES:
        given = values.get(name)
        if given is None:
            continue
        if free_text and type(given) is str and "''" not in given and len(given) > 3:
            attributes[attribute] = given  # what coerce() returns, without the call
            continue
        result, found = coerce(name, given)
        if found:
            problems.extend(found)
        if result is not None:
            attributes[attribute] = result
    return attributes


def _duplicates(repeats: dict[str, int], values: dict[str, Value]) -> list[Problem]:
    """Return a problem for each parameter given more than once (numbered ones are positional)."""
    problems = []
    for name, count in repeats.items():
        if name in _KNOWN or not name.isdecimal():
            given = (name, count, shown(text_of(values[name])))
            problems.append(Problem("duplicate-parameter", name, "given-times", given))
    return problems


def _positional(text: str, *, named: bool = False) -> Problem:
    reason = "unnamed-value" if named else "stray-text"
    return Problem("positional-parameter", None, reason, (shown(text),))


def _name_with_part(words: str) -> list[str]:
    """Return the one parameter whose name starts or ends with ``words`` (partner_website)."""
    found = [
        name
        for name in PARAMETERS
        if words and (name.endswith("_" + words) or name.startswith(words + "_"))
    ]
    return found if len(found) == 1 else []


@lru_cache(maxsize=1024)
def _unknown_parameter(name: str) -> Problem:
    guess = _NAME_SPACE.sub("_", name.strip().lower())
    if guess not in PARAMETERS:
        close = difflib.get_close_matches(guess, PARAMETERS, n=1, cutoff=NAME_SUGGESTION_CUTOFF)
        close = close or _name_with_part(guess)
        guess = close[0] if close else ""
    if not guess:
        return Problem("unknown-parameter", name, "unknown-ignored", (shown(name),))
    reason = "unknown-case-sensitive" if guess == name.strip().lower() else "unknown-did-you-mean"
    return Problem("unknown-parameter", name, reason, (shown(name), guess))
