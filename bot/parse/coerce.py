"""Turn the text of one infobox parameter into a typed value, or a problem saying why not.

The parser (:mod:`bot.parse.records`) hands each parameter over as a
:data:`~bot.parse.value_text.Value`: its cleaned text (comments removed) when it holds no
markup, else a :class:`~bot.parse.value_text.RawValue` with its tokens. This module knows, for
every parameter of the infobox contract, what kind of value it holds and how to read it:

- text fields become plain text (link labels kept, markup dropped);
- link fields keep the link target (an external URL or a wikilink's target title);
- dates must be ``YYYY-MM-DD`` or ``YYYY-MM`` with a year from 2000 to 2100; nothing is guessed;
- enums match case-insensitively with spaces and hyphens read as underscores (``On hold``,
  ``on-hold`` and ``onhold`` are all ``on_hold``);
- lists are comma-separated, empty items and repeats dropped; usernames lose a ``User:`` link,
  link domains keep only the lowercased host, flags are lowercased with underscores;
- booleans are yes/no/true/false/y/n/1/0;
- a template or parser function in a typed field makes the field count as not given.

Placeholders (``-``, ``–``, ``—``, ``?``, ``n/a``, ``tbd``, any case) count as empty.
Nothing here raises on bad text: every failure is a :class:`~bot.model.Problem`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from enum import StrEnum
from functools import lru_cache

from bot.model import (
    Agreement,
    EvaluationMethod,
    LedBy,
    PartnershipType,
    PartnerType,
    Problem,
    Scope,
    Status,
    WikiDate,
)
from bot.parse.value_text import RawValue, Value, clean_text, first_link, list_items, plain_text

__all__ = ["FREE_TEXT", "PARAMETERS", "clean_text", "coerce", "record_attribute"]

#: Every parameter of the infobox, in the order of the contract in DESIGN.md.
PARAMETERS: tuple[str, ...] = (
    # identity
    "name", "partner", "partner_type", "partner_qid", "partner_website", "affiliate", "led_by",
    "type", "scope", "country",
    # lifecycle
    "status", "first_contact", "last_contact", "next_step", "next_step_date", "start_date",
    "end_date",
    # substance
    "goals", "benefit_wikimedia", "benefit_partner", "partner_contribution",
    "wikimedia_contribution",
    # people
    "contact_wikimedia", "contact_partner", "volunteers", "community_support",
    # agreement
    "agreement", "agreement_date", "agreement_renewal", "money_exchanged",
    # content
    "license", "commons_category", "commons_depth", "link_domains", "projects",
    # evaluation
    "evaluation", "last_review", "next_review", "announcement", "report",
    # risk
    "coi", "flags", "exit_plan", "wmf_informed", "affiliates_informed", "decline_reason",
    # bot control
    "notices", "bot",
)  # fmt: skip

#: Earliest and latest year a partnership date may have; anything else is a typo.
MIN_YEAR = 2000
MAX_YEAR = 2100

_PLACEHOLDERS = frozenset({"-", "–", "—", "?", "n/a", "tbd"})
_WHITESPACE = re.compile(r"\s+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
_BOOLEANS = {"yes": True, "y": True, "true": True, "1": True}
_BOOLEANS |= {"no": False, "n": False, "false": False, "0": False}
_USER_PREFIX = re.compile(r"(?:[a-z-]*:)*\s*user(?:[ _]talk)?\s*:\s*", re.IGNORECASE)
_CATEGORY_PREFIX = re.compile(r"(?:(?:commons|c)\s*:\s*)?category\s*:\s*", re.IGNORECASE)
_QID = re.compile(
    r"(?:https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/|(?:d|wikidata)\s*:\s*)?(Q[1-9][0-9]*)",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//")
_DOMAIN_BAD = re.compile(r"[\s\[\]{}<>|\"'\\]")
_MAX_SHOWN = 80


def _shown(value: str) -> str:
    """Return ``value`` quoted and cut short for a problem detail."""
    value = _WHITESPACE.sub(" ", value)
    if len(value) > _MAX_SHOWN:
        value = value[: _MAX_SHOWN - 1] + "…"
    return f"'{value}'"


def _is_placeholder(text: str) -> bool:
    return len(text) <= 3 and text.casefold() in _PLACEHOLDERS


# --- field kinds ---------------------------------------------------------------------------

Outcome = tuple[object, list[Problem]]


def _not_literal(field: str, text: str) -> Problem:
    detail = f"{_shown(text)} contains a template or parser function; write the value itself"
    return Problem("value-not-literal", field, detail)


def _plain(field: str, value: RawValue, problems: list[Problem]) -> str:
    """Return the plain text of ``value``, noting a dropped template in ``problems``."""
    text, templated = plain_text(value)
    if templated:
        problems.append(_not_literal(field, value.text))
    if value.tokens is not None or "''" in value.text:
        text = clean_text(text)
        if "\n" in text:  # list markers and tags leave ragged lines behind
            text = "\n".join(line.strip() for line in text.split("\n"))
    return "" if _is_placeholder(text) else text


def _text(field: str, value: RawValue) -> Outcome:
    problems: list[Problem] = []
    return _plain(field, value, problems), problems


def _link(field: str, value: RawValue) -> Outcome:
    problems: list[Problem] = []
    text = _plain(field, value, problems)
    target = first_link(value)
    if target is not None:
        text = clean_text(target, keep_newlines=False).lstrip(":").strip()
    return text, problems


def _category(field: str, value: RawValue) -> Outcome:
    text, problems = _link(field, value)
    return _title_case(_CATEGORY_PREFIX.sub("", str(text).lstrip(": "), count=1)), problems


def _qid(field: str, value: RawValue) -> Outcome:
    text = value.text
    match = _QID.fullmatch(text.rsplit("|", 1)[0].strip("[] "))
    if match:
        return match.group(1).upper(), []
    detail = f"{_shown(text)} is not a Wikidata item id such as Q42"
    return "", [Problem("value-invalid", field, detail)]


def _date(field: str, value: RawValue) -> Outcome:
    text = value.text
    match = _DATE.fullmatch(text)
    if match is None:
        detail = f"{_shown(text)} is not a date; write YYYY-MM-DD (or YYYY-MM for a month)"
        return None, [Problem("date-invalid", field, detail)]
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    if not MIN_YEAR <= year <= MAX_YEAR:
        detail = f"{_shown(text)} has the year {year}, outside {MIN_YEAR}-{MAX_YEAR}"
        return None, [Problem("date-invalid", field, detail)]
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        detail = f"{_shown(text)} is not a date in the calendar; write YYYY-MM-DD"
        return None, [Problem("date-invalid", field, detail)]
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
    allowed = ", ".join(member.value for member in enum)
    return Problem(rule, field, f"{_shown(item)} is not a known {field}; use one of: {allowed}")


def _enum_reader(enum: type[StrEnum], rule: str) -> Callable[[str, RawValue], Outcome]:
    lookup = _enum_lookup(enum)

    def read(field: str, value: RawValue) -> Outcome:
        member = _member(lookup, value.text)
        if member is None:
            return None, [_enum_problem(field, rule, value.text, enum)]
        return member, []

    return read


def _enum_list_reader(enum: type[StrEnum], rule: str) -> Callable[[str, RawValue], Outcome]:
    lookup = _enum_lookup(enum)

    def read(field: str, value: RawValue) -> Outcome:
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


def _flags(field: str, value: RawValue) -> Outcome:
    # Flag ids are kebab-case, as in config/checklist.toml: "Sudden deadline" -> sudden-deadline.
    ids = ("-".join(item.casefold().replace("_", " ").split()) for item in _literal_items(value))
    return tuple(dict.fromkeys(ids)), []


def _boolean(field: str, value: RawValue) -> Outcome:
    result = _BOOLEANS.get(value.text.lower())
    if result is None:
        return None, [Problem("value-invalid", field, f"{_shown(value.text)} is not yes or no")]
    return result, []


def _count(field: str, value: RawValue) -> Outcome:
    text = value.text
    if text.isdecimal():
        return int(text), []
    detail = f"{_shown(text)} is not a whole number of zero or more (digits only)"
    return None, [Problem("value-invalid", field, detail)]


def _users(field: str, value: RawValue) -> Outcome:
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


def _domains(field: str, value: RawValue) -> Outcome:
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
            detail = f"{_shown(text)} is not a web domain such as www.example.org"
            problems.append(Problem("value-invalid", field, detail))
    return tuple(dict.fromkeys(domains)), problems


def _domain(text: str) -> str:
    """Return the lowercased host of a URL or domain, or ``""`` when it is not one."""
    host = _SCHEME.sub("", text.strip().lower(), count=1)
    host = re.split(r"[/?#]", host, maxsplit=1)[0].rsplit("@", 1)[-1]
    host = re.sub(r":[0-9]*$", "", host).strip(".")
    if not host or _DOMAIN_BAD.search(host) or ":" in host:
        return ""
    return host


def _items(field: str, value: RawValue) -> Outcome:
    items: list[str] = []
    problems: list[Problem] = []
    for item in list_items(value):
        text = clean_text(_plain(field, item, problems), keep_newlines=False)
        if text:
            items.append(text)
    return tuple(dict.fromkeys(items)), problems


def _literal_items(value: RawValue) -> list[str]:
    """Split a literal list value on commas, dropping empty items and placeholders."""
    items = (item.strip() for item in value.text.split(","))
    return [item for item in items if item and not _is_placeholder(item)]


def _title_case(text: str) -> str:
    text = _WHITESPACE.sub(" ", text.replace("_", " ")).strip()
    first = text[:1].upper()
    return first + text[1:] if len(first) == 1 else text


_TEXT_FIELDS = (
    "name", "partner", "affiliate", "country", "next_step", "goals", "benefit_wikimedia",
    "benefit_partner", "partner_contribution", "wikimedia_contribution", "contact_partner",
    "volunteers", "license", "coi", "exit_plan", "decline_reason",
)  # fmt: skip
_DATE_FIELDS = (
    "first_contact", "last_contact", "next_step_date", "start_date", "end_date",
    "agreement_date", "agreement_renewal", "last_review", "next_review",
)  # fmt: skip
_BOOLEAN_FIELDS = ("money_exchanged", "wmf_informed", "affiliates_informed", "notices", "bot")
_LINK_FIELDS = ("partner_website", "community_support", "announcement", "report")

_READERS: dict[str, Callable[[str, RawValue], Outcome]] = {
    **dict.fromkeys(_TEXT_FIELDS, _text),
    **dict.fromkeys(_LINK_FIELDS, _link),
    **dict.fromkeys(_DATE_FIELDS, _date),
    **dict.fromkeys(_BOOLEAN_FIELDS, _boolean),
    "partner_qid": _qid,
    "commons_category": _category,
    "commons_depth": _count,
    "partner_type": _enum_reader(PartnerType, "value-invalid"),
    "led_by": _enum_reader(LedBy, "value-invalid"),
    "scope": _enum_reader(Scope, "value-invalid"),
    "status": _enum_reader(Status, "status-invalid"),
    "agreement": _enum_reader(Agreement, "value-invalid"),
    "type": _enum_list_reader(PartnershipType, "type-invalid"),
    "evaluation": _enum_list_reader(EvaluationMethod, "value-invalid"),
    "flags": _flags,
    "contact_wikimedia": _users,
    "link_domains": _domains,
    "projects": _items,
}
#: Fields read as free text or lists of free items; everything else must be literal.
_LENIENT = frozenset(
    (*_TEXT_FIELDS, *_LINK_FIELDS, "commons_category", "contact_wikimedia", "link_domains",
     "projects")
)  # fmt: skip


#: Fields whose markup-free text is their value, as written.
FREE_TEXT = frozenset((*_TEXT_FIELDS, *_LINK_FIELDS))


def record_attribute(field: str) -> str:
    """Return the :class:`~bot.model.PartnershipRecord` attribute holding parameter ``field``."""
    return "types" if field == "type" else field


def coerce(field: str, value: Value) -> tuple[object, tuple[Problem, ...]]:
    """Return the typed value of known parameter ``field`` and the problems found reading it.

    The value is ``None`` (or an empty string or tuple, as in the record's default) when the
    parameter is empty, a placeholder, or unreadable.
    """
    if isinstance(value, RawValue) and value.tokens is not None:
        if not value.exact:
            return _coerce_markup(field, value)
        key = (field, value.text)
        outcome = _EXACT_CACHE.get(key)
        if outcome is None:
            if len(_EXACT_CACHE) >= _EXACT_CACHE_SIZE:
                _EXACT_CACHE.clear()
            outcome = _EXACT_CACHE[key] = _coerce_markup(field, value)
        return outcome
    text = value if isinstance(value, str) else value.text
    if not text or (len(text) <= 3 and text.casefold() in _PLACEHOLDERS):
        return None, ()
    if field in FREE_TEXT and "''" not in text:
        return text, ()
    return _coerce_literal(field, text)


def _coerce_markup(field: str, value: RawValue) -> tuple[object, tuple[Problem, ...]]:
    """Return what :func:`coerce` returns for a value holding markup."""
    text = value.text
    if not text or (len(text) <= 3 and text.casefold() in _PLACEHOLDERS):
        return None, ()
    if field not in _LENIENT and plain_text(value)[1]:
        return None, (_not_literal(field, text),)
    result, problems = _READERS[field](field, value)
    return result, tuple(problems)


#: Readings of values whose tokens follow from their text; cleared when full.
_EXACT_CACHE: dict[tuple[str, str], tuple[object, tuple[Problem, ...]]] = {}
_EXACT_CACHE_SIZE = 16384


@lru_cache(maxsize=16384)
def _coerce_literal(field: str, text: str) -> tuple[object, tuple[Problem, ...]]:
    """Return what :func:`coerce` returns for markup-free text; values repeat across pages."""
    result, problems = _READERS[field](field, RawValue(text))
    return result, tuple(problems)
