"""Turn the text of one infobox parameter into a typed value, or a problem saying why not.

The parser (:mod:`bot.parse.records`) hands each parameter over as a
:class:`~bot.parse.markup.Value`: the text MediaWiki passes to the infobox (its source when it
depends on other templates), whose markup :mod:`bot.parse.markup` reads. Each parameter is read
by its kind in the infobox contract (:data:`bot.contract.PARAMETERS`):

- text fields become plain text (link labels kept, markup dropped);
- link fields keep the link target (an external URL or a wikilink's target title);
- dates must be ``YYYY-MM-DD`` or ``YYYY-MM`` with a year from 2000 to 2100; nothing is guessed;
- enums match case-insensitively with spaces and hyphens read as underscores (``On hold``,
  ``on-hold`` and ``onhold`` are all ``on_hold``);
- lists are comma-separated, empty items and repeats dropped; usernames lose a ``User:`` link,
  link domains keep only the lowercased host, flags become kebab-case ids;
- booleans are yes/no/true/false/y/n/1/0; counts are decimal digits (any script);
- a value that depends on a template, parser function or magic word makes a typed field count
  as not given; in a text, link or list field the template is dropped (``value-not-literal``).

Placeholders (``-``, ``–``, ``—``, ``?``, ``n/a``, ``tbd``, any case) count as empty.
Nothing here raises on bad text: every failure is a :class:`~bot.model.Problem` carrying a
reason id and its parameters (:data:`bot.contract.REASONS`), never a composed sentence.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from enum import StrEnum
from functools import lru_cache

from bot.contract import (
    BOOLEAN_WORDS,
    BY_NAME,
    MAX_YEAR,
    MIN_YEAR,
    NAMES,
    PLACEHOLDER_LENGTH,
    PLACEHOLDERS,
    VALUE_SUGGESTION_CUTOFF,
    Kind,
    Parameter,
    shown,
)
from bot.model import Problem, WikiDate
from bot.parse.markup import Value, clean_text, first_link, has_markup, list_items, plain_text

__all__ = [
    "FREE_TEXT",
    "PARAMETERS",
    "clean_text",
    "coerce",
    "coerce_literal",
    "coerce_text",
    "record_attribute",
]

#: Every parameter of the infobox, in contract order (:data:`bot.contract.PARAMETERS`).
PARAMETERS: tuple[str, ...] = NAMES

_PLACEHOLDERS = PLACEHOLDERS
_WHITESPACE = re.compile(r"\s+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
_USER_PREFIX = re.compile(r"(?:[a-z-]*:)*\s*user(?:[ _]talk)?\s*:\s*", re.IGNORECASE)
_CATEGORY_PREFIX = re.compile(r"(?:(?:commons|c)\s*:\s*)?category\s*:\s*", re.IGNORECASE)
_QID = re.compile(
    r"(?:https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/|(?:d|wikidata)\s*:\s*)?(Q[1-9][0-9]*)",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//")
_DOMAIN_BAD = re.compile(r"[\s\[\]{}<>|\"'\\]")


def _is_placeholder(text: str) -> bool:
    return len(text) <= PLACEHOLDER_LENGTH and text.casefold() in _PLACEHOLDERS


# --- field kinds ---------------------------------------------------------------------------

Outcome = tuple[object, list[Problem]]


def _not_literal(field: str, text: str) -> Problem:
    return Problem("value-not-literal", field, "not-literal", (shown(text),))


def _plain(field: str, value: Value, problems: list[Problem]) -> str:
    """Return the plain text of ``value``, noting a dropped template in ``problems``."""
    text, dropped = plain_text(value)
    if dropped:
        problems.append(_not_literal(field, value.text))
    if not value.plain or "''" in value.text:
        text = clean_text(text)
        if "\n" in text:  # list markers and tags leave ragged lines behind
            text = "\n".join(line.strip() for line in text.split("\n"))
    return "" if _is_placeholder(text) else text


def _text(field: str, value: Value) -> Outcome:
    problems: list[Problem] = []
    return _plain(field, value, problems), problems


def _link(field: str, value: Value) -> Outcome:
    problems: list[Problem] = []
    text = _plain(field, value, problems)
    target = first_link(value)
    if target is not None:
        text = clean_text(target, keep_newlines=False).lstrip(":").strip()
    return text, problems


def _category(field: str, value: Value) -> Outcome:
    text, problems = _link(field, value)
    return _title_case(_CATEGORY_PREFIX.sub("", str(text).lstrip(": "), count=1)), problems


def _qid(field: str, value: Value) -> Outcome:
    text = value.text
    match = _QID.fullmatch(text.rsplit("|", 1)[0].strip("[] "))
    if match:
        return match.group(1).upper(), []
    return "", [Problem("value-invalid", field, "not-a-qid", (shown(text),))]


def _date(field: str, value: Value) -> Outcome:
    text = value.text
    match = _DATE.fullmatch(text)
    if match is None:
        return None, [Problem("date-invalid", field, "not-a-date", (shown(text),))]
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    if not MIN_YEAR <= year <= MAX_YEAR:
        params = (shown(text), year, MIN_YEAR, MAX_YEAR)
        return None, [Problem("date-invalid", field, "year-out-of-range", params)]
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None, [Problem("date-invalid", field, "not-in-calendar", (shown(text),))]
    return WikiDate(year, month, day), []


def _enum_key(text: str) -> str:
    return _WHITESPACE.sub("_", text.strip().lower()).replace("-", "_")


def _enum_lookup(enum: type[StrEnum]) -> dict[str, StrEnum]:
    """Map each value of ``enum``, also written without underscores, to its member."""
    lookup: dict[str, StrEnum] = {member.value.replace("_", ""): member for member in enum}
    lookup.update({member.value: member for member in enum})
    return lookup


def _member(lookup: dict[str, StrEnum], text: str) -> StrEnum | None:
    """Return the member ``text`` names (``On hold``, ``on-hold`` and ``onhold`` alike)."""
    key = _enum_key(text)
    return lookup.get(key) or lookup.get(key.replace("_", ""))


def _enum_problem(field: str, rule: str, item: str, enum: type[StrEnum]) -> Problem:
    """Return the problem of a value outside ``enum``, suggesting the closest value if any."""
    allowed = tuple(member.value for member in enum)
    close = difflib.get_close_matches(_enum_key(item), allowed, n=1, cutoff=VALUE_SUGGESTION_CUTOFF)
    if close:
        return Problem(rule, field, "value-did-you-mean", (shown(item), close[0]))
    return Problem(rule, field, "not-in-vocabulary", (shown(item), allowed))


def _enum_reader(enum: type[StrEnum], rule: str) -> Callable[[str, Value], Outcome]:
    lookup = _enum_lookup(enum)

    def read(field: str, value: Value) -> Outcome:
        member = _member(lookup, value.text)
        if member is None:
            return None, [_enum_problem(field, rule, value.text, enum)]
        return member, []

    return read


def _enum_list_reader(enum: type[StrEnum], rule: str) -> Callable[[str, Value], Outcome]:
    lookup = _enum_lookup(enum)

    def read(field: str, value: Value) -> Outcome:
        members: list[StrEnum] = []
        problems: list[Problem] = []
        for item in _literal_items(value):
            member = _member(lookup, item)
            if member is None:
                problems.append(_enum_problem(field, rule, item, enum))
            else:
                members.append(member)
        return tuple(dict.fromkeys(members)), problems

    return read


def _flags(field: str, value: Value) -> Outcome:
    # Flag ids are kebab-case, as in config/checklist.toml: "Sudden deadline" -> sudden-deadline.
    ids = ("-".join(item.casefold().replace("_", " ").split()) for item in _literal_items(value))
    return tuple(dict.fromkeys(ids)), []


def _boolean(field: str, value: Value) -> Outcome:
    result = BOOLEAN_WORDS.get(value.text.lower())
    if result is None:
        return None, [Problem("value-invalid", field, "not-yes-no", (shown(value.text),))]
    return result, []


def _count(field: str, value: Value) -> Outcome:
    text = value.text
    if text.isdecimal():
        return int(text), []
    return None, [Problem("value-invalid", field, "not-a-count", (shown(text),))]


def _users(field: str, value: Value) -> Outcome:
    names: list[str] = []
    problems: list[Problem] = []
    for item in list_items(value):
        target = first_link(item)
        text = _plain(field, item, problems) if target is None else target
        text = clean_text(text, keep_newlines=False).lstrip(": ")
        match = _USER_PREFIX.match(text)
        name = _title_case(text[match.end() :] if match else text)
        if name and not _is_placeholder(name):
            names.append(name)
    return tuple(dict.fromkeys(names)), problems


def _domains(field: str, value: Value) -> Outcome:
    domains: list[str] = []
    problems: list[Problem] = []
    for item in list_items(value):
        target = first_link(item)
        text = _plain(field, item, problems) if target is None else clean_text(target)
        if not text:
            continue
        domain = _domain(text)
        if domain:
            domains.append(domain)
        else:
            problems.append(Problem("value-invalid", field, "not-a-domain", (shown(text),)))
    return tuple(dict.fromkeys(domains)), problems


def _domain(text: str) -> str:
    """Return the lowercased host of a URL or domain, or ``""`` when it is not one."""
    host = _SCHEME.sub("", text.strip().lower(), count=1)
    host = re.split(r"[/?#]", host, maxsplit=1)[0].rsplit("@", 1)[-1]
    host = re.sub(r":[0-9]*$", "", host).strip(".")
    if not host or _DOMAIN_BAD.search(host) or ":" in host:
        return ""
    return host


def _items(field: str, value: Value) -> Outcome:
    items: list[str] = []
    problems: list[Problem] = []
    for item in list_items(value):
        text = clean_text(_plain(field, item, problems), keep_newlines=False)
        if text:
            items.append(text)
    return tuple(dict.fromkeys(items)), problems


def _literal_items(value: Value) -> list[str]:
    """Split a literal list value on commas, dropping empty items and placeholders."""
    items = (item.strip() for item in value.text.split(","))
    return [item for item in items if item and not _is_placeholder(item)]


def _title_case(text: str) -> str:
    text = _WHITESPACE.sub(" ", text.replace("_", " ")).strip()
    first = text[:1].upper()
    return first + text[1:] if len(first) == 1 else text


def _reader(parameter: Parameter) -> Callable[[str, Value], Outcome]:
    """Return the function that reads values of ``parameter``, by its kind."""
    kind, vocabulary = parameter.kind, parameter.vocabulary
    if kind is Kind.ENUM and vocabulary is not None:
        return _enum_reader(vocabulary, parameter.problem_rule)
    if kind is Kind.ENUM_LIST and vocabulary is not None:
        return _enum_list_reader(vocabulary, parameter.problem_rule)
    return _KIND_READERS[kind]


_KIND_READERS: dict[Kind, Callable[[str, Value], Outcome]] = {
    Kind.TEXT: _text,
    Kind.LINK: _link,
    Kind.DATE: _date,
    Kind.FLAGS: _flags,
    Kind.USERS: _users,
    Kind.DOMAINS: _domains,
    Kind.COUNT: _count,
    Kind.BOOLEAN: _boolean,
    Kind.QID: _qid,
    Kind.CATEGORY: _category,
    Kind.ITEMS: _items,
}
_READERS: dict[str, Callable[[str, Value], Outcome]] = {
    name: _reader(parameter) for name, parameter in BY_NAME.items()
}
#: Kinds read as free text or lists of free items; every other kind must be written literally.
_LENIENT_KINDS = frozenset(
    {Kind.TEXT, Kind.LINK, Kind.CATEGORY, Kind.USERS, Kind.DOMAINS, Kind.ITEMS}
)
_LENIENT = frozenset(p.name for p in BY_NAME.values() if p.kind in _LENIENT_KINDS)
#: Fields whose markup-free text is their value, as written.
FREE_TEXT = frozenset(p.name for p in BY_NAME.values() if p.kind in {Kind.TEXT, Kind.LINK})


def record_attribute(field: str) -> str:
    """Return the :class:`~bot.model.PartnershipRecord` attribute holding parameter ``field``."""
    return BY_NAME[field].attribute


def coerce(field: str, value: Value) -> tuple[object, tuple[Problem, ...]]:
    """Return the typed value of known parameter ``field`` and the problems found reading it.

    The value is ``None`` (or an empty string or tuple, as in the record's default) when the
    parameter is empty, a placeholder, or unreadable.
    """
    text = value.text
    as_written = field in FREE_TEXT and value.plain and not value.templated and "''" not in text
    if as_written and (len(text) > PLACEHOLDER_LENGTH or text.casefold() not in _PLACEHOLDERS):
        return text, ()
    return coerce_text(field, text, value.templated)


@lru_cache(maxsize=65536)
def coerce_literal(field: str, text: str) -> tuple[object, tuple[Problem, ...]]:
    """Return what :func:`coerce` returns for a value ``text`` that depends on nothing.

    Values repeat across pages (stages, types, dates, licences, names of affiliates), so
    readings are kept.
    """
    text = clean_text(text)
    as_written = field in FREE_TEXT and not has_markup(text)
    if as_written and (len(text) > PLACEHOLDER_LENGTH or text.casefold() not in _PLACEHOLDERS):
        return text, ()
    return coerce_text(field, text)


@lru_cache(maxsize=32768)
def coerce_text(
    field: str, text: str, templated: bool = False
) -> tuple[object, tuple[Problem, ...]]:
    """Return what :func:`coerce` returns for a value with cleaned ``text``.

    Values repeat across pages (statuses, types, dates, licences), so readings are kept.
    """
    if not text or (len(text) <= PLACEHOLDER_LENGTH and text.casefold() in _PLACEHOLDERS):
        return None, ()
    if templated and field not in _LENIENT:
        return None, (_not_literal(field, text),)
    result, problems = _READERS[field](field, Value(text, templated))
    return result, tuple(problems)
