"""The checklist as data: rules, warning flags and their sources, read from checklist.toml's data.

Every rule is data: an id, a severity, the stages and partnership types it applies to, an optional
``when`` condition on other fields, the named check it uses (see :mod:`bot.checklist.checks`) with
typed parameters, and the guidance it comes from. What a rule and a flag say to people is in the
message bundle ``i18n/checklist`` (``checklist-rule-<id>``, ``checklist-flag-<id>-label`` and
``checklist-flag-<id>-explanation``), in our own words.
:func:`checklist_from_data` validates all of it and raises :class:`ChecklistError` naming the rule
(or flag) and key; the file itself is read at the edge (:mod:`bot.resources`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TypeVar

from bot.checklist.assess import Checklist
from bot.checklist.checks import CHECKS
from bot.checklist.conditions import DATE_FIELDS, FIELDS, VOCABULARIES
from bot.checklist.predicates import Check, Default, Flag, Kind, Param, Rule, Source
from bot.errors import PartnerbotError
from bot.model import PartnershipType, Severity, Status

_RULE_KEYS = frozenset(
    {"id", "severity", "check", "field", "params", "statuses", "types", "when", "source"}
    | {"section"}
)
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_E = TypeVar("_E", Status, PartnershipType)
_T = TypeVar("_T")


class ChecklistError(PartnerbotError):
    """checklist.toml is unreadable or wrong; the message names the rule (or flag) and key."""


def checklist_from_data(data: Mapping[str, object]) -> Checklist:
    """Return the checklist described by checklist.toml's decoded ``data``."""
    return _checklist(data)


def _checklist(data: Mapping[str, object]) -> Checklist:
    unknown = sorted(set(data) - {"sources", "rules", "flags"})
    if unknown:
        raise ChecklistError(f"unknown top-level key {unknown[0]!r}")
    sources = _table(data.get("sources", {}), "[sources]")
    pages: dict[str, tuple[str, str]] = {}
    for key, value in sources.items():
        entry = _table(value, f"[sources.{key}]")
        page = _text(entry, "page", f"source {key!r}")
        url = _text(entry, "url", f"source {key!r}")
        if not url.startswith("https://"):
            raise ChecklistError(f"source {key!r}: key 'url': expected an https:// address")
        pages[key] = (page, url)
    flags: dict[str, Flag] = {}
    for flag_id, value in _table(data.get("flags", {}), "[flags]").items():
        where = f"flag {flag_id!r}"
        if not _ID.fullmatch(flag_id):
            raise ChecklistError(f"{where}: the id must be kebab-case")
        entry = _table(value, where)
        _only(entry, {"source", "section"}, where)
        flags[flag_id] = Flag(flag_id, _source(entry, pages, where))
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ChecklistError("expected at least one [[rules]] table")
    rules: list[Rule] = []
    seen: set[str] = set()
    for number, value in enumerate(raw_rules, start=1):
        rule = _rule(_table(value, f"rule #{number}"), number, pages)
        if rule.id in seen:
            raise ChecklistError(f"rule {rule.id!r}: key 'id': duplicate rule id")
        seen.add(rule.id)
        rules.append(rule)
    try:
        return Checklist(tuple(rules), MappingProxyType(flags))
    except ValueError as error:
        raise ChecklistError(str(error)) from error


def _rule(entry: Mapping[str, object], number: int, pages: Mapping[str, tuple[str, str]]) -> Rule:
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
        raise ChecklistError(f"rule #{number}: key 'id': expected a kebab-case id")
    where = f"rule {rule_id!r}"
    _only(entry, _RULE_KEYS, where)
    severity = _choice(entry, "severity", {s.value: s for s in Severity}, where)
    check_name = _text(entry, "check", where)
    check = CHECKS.get(check_name)
    if check is None:
        known = ", ".join(sorted(CHECKS))
        raise ChecklistError(f"{where}: key 'check': unknown check {check_name!r} ({known})")
    field_name = entry.get("field")
    if field_name is not None and (not isinstance(field_name, str) or field_name not in FIELDS):
        raise ChecklistError(f"{where}: key 'field': {field_name!r} is not an infobox field")
    try:
        params = _params(check, rule_id, field_name, _table(entry.get("params", {}), "params"))
    except ValueError as error:
        raise ChecklistError(f"{where}: key {error}") from error
    return Rule(
        id=rule_id,
        severity=severity,
        field=field_name,
        source=_source(entry, pages, where),
        statuses=_filter(entry, "statuses", Status, where),
        types=_filter(entry, "types", PartnershipType, where),
        check=check_name,
        params=MappingProxyType(params),
        when=MappingProxyType(_when(entry.get("when", {}), where)),
    )


def _params(
    check: Check, rule_id: str, rule_field: str | None, given: Mapping[str, object]
) -> dict[str, object]:
    """Return ``given`` typed, with defaults filled in; raise ValueError naming the key."""
    unknown = sorted(set(given) - set(check.params))
    if unknown:
        allowed = ", ".join(sorted(check.params)) or "none"
        raise ValueError(
            f"params.{unknown[0]}: check {check.name} takes no such parameter (it takes: {allowed})"
        )
    result: dict[str, object] = {}
    for name, spec in check.params.items():
        key = f"params.{name}"
        if name in given:
            result[name] = _typed(key, spec, given[name])
        elif spec.default is Default.REQUIRED:
            raise ValueError(f"{key}: required by check {check.name}")
        elif spec.default is Default.RULE_ID:
            result[name] = (rule_id,) if spec.kind is Kind.TEXTS else rule_id
        elif spec.default is Default.RULE_FIELD:
            if rule_field is None:
                raise ValueError(f"{key}: required because the rule names no field")
            single = spec.kind in (Kind.FIELD, Kind.DATE_FIELD)
            result[name] = _typed(key, spec, rule_field if single else [rule_field])
        else:
            result[name] = spec.default
    return result


def _typed(key: str, spec: Param, value: object) -> object:
    kind = spec.kind
    if kind is Kind.INT:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{key}: expected a whole number of 0 or more, got {value!r}")
        return value
    if kind in (Kind.TEXT, Kind.FIELD, Kind.DATE_FIELD):
        return _one(key, spec, value)
    if not isinstance(value, list):
        raise ValueError(f"{key}: expected a list ({kind.value}), got {value!r}")
    if kind is Kind.DATE_PAIRS:
        pairs = []
        for pair in value:
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError(f"{key}: expected [earlier, later] pairs, got {pair!r}")
            pairs.append(tuple(_one(key, Param(Kind.DATE_FIELD), item) for item in pair))
        return tuple(pairs)
    single = {Kind.TEXTS: Kind.TEXT, Kind.FIELDS: Kind.FIELD, Kind.DATE_FIELDS: Kind.DATE_FIELD}
    return tuple(_one(key, Param(single[kind], choices=spec.choices), item) for item in value)


def _one(key: str, spec: Param, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key}: expected a non-empty text, got {value!r}")
    if spec.kind is Kind.FIELD and value not in FIELDS:
        raise ValueError(f"{key}: {value!r} is not an infobox field")
    if spec.kind is Kind.DATE_FIELD and value not in DATE_FIELDS:
        raise ValueError(f"{key}: {value!r} is not a date field")
    if spec.choices is not None and value not in spec.choices:
        allowed = ", ".join(sorted(spec.choices))
        raise ValueError(f"{key}: {value!r} is not one of {allowed}")
    return value


def _filter(
    entry: Mapping[str, object], key: str, enum: Callable[[str], _E], where: str
) -> frozenset[_E] | None:
    value = entry.get(key)
    if value == "all":
        return None
    if not isinstance(value, list) or not value:
        raise ChecklistError(f'{where}: key {key!r}: expected "all" or a non-empty list')
    try:
        return frozenset(enum(item) for item in value)
    except ValueError as error:
        raise ChecklistError(f"{where}: key {key!r}: {error}") from error


def _when(value: object, where: str) -> dict[str, frozenset[str]]:
    result: dict[str, frozenset[str]] = {}
    for name, values in _table(value, f"{where}: key 'when'").items():
        key = f"{where}: key 'when.{name}'"
        if name not in FIELDS:
            raise ChecklistError(f"{key}: not an infobox field")
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise ChecklistError(f"{key}: expected a list of values")
        vocabulary = VOCABULARIES.get(name)
        if vocabulary is not None and not set(values) <= vocabulary:
            bad = ", ".join(sorted(set(values) - vocabulary))
            raise ChecklistError(
                f"{key}: {bad} not allowed (allowed: {', '.join(sorted(vocabulary))})"
            )
        result[name] = frozenset(values)
    return result


def _source(
    entry: Mapping[str, object], pages: Mapping[str, tuple[str, str]], where: str
) -> Source:
    key = _text(entry, "source", where)
    if key not in pages:
        raise ChecklistError(f"{where}: key 'source': no [sources.{key}] table")
    page, url = pages[key]
    return Source(page, _text(entry, "section", where), url)


def _table(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise ChecklistError(f"{where}: expected a table")
    return value


def _only(entry: Mapping[str, object], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(set(entry) - set(allowed))
    if unknown:
        raise ChecklistError(f"{where}: key {unknown[0]!r}: not a known key")


def _text(entry: Mapping[str, object], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ChecklistError(f"{where}: key {key!r}: expected a non-empty text")
    return value.strip()


def _choice(entry: Mapping[str, object], key: str, choices: Mapping[str, _T], where: str) -> _T:
    value = entry.get(key)
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(choices)
        raise ChecklistError(f"{where}: key {key!r}: {value!r} is not one of {allowed}")
    return choices[value]
