"""The infobox's fields as the checklist sees them, derived from PartnershipRecord.

Deriving the tables from the record's type hints keeps the checks, the loader's validation and
the record from drifting apart: a new field in the record is a new field here.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from dataclasses import fields
from enum import StrEnum
from types import MappingProxyType

from bot.model import PartnershipRecord, WikiDate

Condition = Callable[[PartnershipRecord], bool]

_NOT_PARAMETERS = frozenset({"page", "index", "revid", "params", "problems"})
_HINTS = typing.get_type_hints(PartnershipRecord)

#: Infobox parameter name -> PartnershipRecord attribute (only ``type`` differs: ``types``).
FIELDS: Mapping[str, str] = MappingProxyType(
    {
        ("type" if f.name == "types" else f.name): f.name
        for f in fields(PartnershipRecord)
        if f.name not in _NOT_PARAMETERS
    }
)


def _hint_args(parameter: str) -> tuple[object, ...]:
    hint = _HINTS[FIELDS[parameter]]
    return (hint, *typing.get_args(hint))


def _vocabulary(parameter: str) -> frozenset[str] | None:
    for arg in _hint_args(parameter):
        if isinstance(arg, type) and issubclass(arg, StrEnum):
            return frozenset(member.value for member in arg)
        if arg is bool:
            return frozenset({"yes", "no"})
    return None


#: Fields holding a WikiDate.
DATE_FIELDS = frozenset(p for p in FIELDS if WikiDate in _hint_args(p))
#: Fields holding a list of values.
LIST_FIELDS = frozenset(p for p in FIELDS if typing.get_origin(_HINTS[FIELDS[p]]) is tuple)
#: Fields holding a yes/no value.
BOOL_FIELDS = frozenset(p for p in FIELDS if bool in _hint_args(p))
#: Closed vocabulary of each enum or yes/no field, as written in the infobox.
VOCABULARIES: Mapping[str, frozenset[str]] = MappingProxyType(
    {p: v for p in FIELDS if (v := _vocabulary(p)) is not None}
)


def field_texts(value: object) -> tuple[str, ...]:
    """Return a field value as the infobox texts it stands for (``yes``/``no`` for booleans)."""
    if value is None or value == "":
        return ()
    if isinstance(value, bool):
        return ("yes",) if value else ("no",)
    if isinstance(value, tuple):
        return tuple(str(item) for item in value)
    return (str(value),)


def is_blank(record: PartnershipRecord, parameter: str) -> bool:
    """Return whether ``parameter`` has no value and the parser reported nothing about it.

    Placeholders such as ``N/A`` or ``?`` count as blank; a value the parser rejected does not
    (its own problem, such as ``value-invalid``, already tells the editor what is wrong).
    """
    value = getattr(record, FIELDS[parameter])
    if value is not None and value not in ((), ""):
        return False
    return not any(problem.field == parameter for problem in record.problems)


def build_condition(when: Mapping[str, frozenset[str]]) -> Condition:
    """Return a test that every field in ``when`` has one of its listed values."""
    tests = tuple(_field_test(parameter, values) for parameter, values in when.items())

    def condition(record: PartnershipRecord) -> bool:
        return all(test(record) for test in tests)

    return tests[0] if len(tests) == 1 else condition


def _field_test(parameter: str, values: frozenset[str]) -> Condition:
    """Return a test that ``parameter`` has one of ``values`` (enums compare as their text)."""
    attribute = FIELDS[parameter]
    if parameter in BOOL_FIELDS:
        accepted = frozenset({True} if "yes" in values else set()) | (
            {False} if "no" in values else set()
        )
        return lambda record: getattr(record, attribute) in accepted
    if parameter in LIST_FIELDS:
        return lambda record: not values.isdisjoint(getattr(record, attribute))
    return lambda record: getattr(record, attribute) in values
