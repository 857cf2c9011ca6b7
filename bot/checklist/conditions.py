"""The infobox's fields as the checklist sees them, derived from the infobox contract.

Deriving the tables from :data:`bot.contract.PARAMETERS` keeps the checks, the loader's
validation, the parser and the Lua module from drifting apart: a new parameter in the contract
is a new field here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from bot.contract import PARAMETERS, Kind
from bot.model import PartnershipRecord

Condition = Callable[[PartnershipRecord], bool]

#: Infobox parameter name -> PartnershipRecord attribute (only ``type`` differs: ``types``).
FIELDS: Mapping[str, str] = MappingProxyType({p.name: p.attribute for p in PARAMETERS})
#: Fields holding a WikiDate.
DATE_FIELDS = frozenset(p.name for p in PARAMETERS if p.kind is Kind.DATE)
#: Fields holding a list of values.
LIST_FIELDS = frozenset(p.name for p in PARAMETERS if p.is_list)
#: Fields holding a yes/no value.
BOOL_FIELDS = frozenset(p.name for p in PARAMETERS if p.kind is Kind.BOOLEAN)
#: Closed vocabulary of each enum or yes/no field, as written in the infobox.
VOCABULARIES: Mapping[str, frozenset[str]] = MappingProxyType(
    {p.name: frozenset(p.values) for p in PARAMETERS if p.values}
)
#: Parser problems that say nothing about the value itself: a field they name can still be empty.
_NOT_ABOUT_THE_VALUE = frozenset({"duplicate-parameter"})


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
    (its own problem, such as ``value-invalid``, already tells the editor what is wrong). A
    parameter given twice whose last value is empty is blank: the value that counts is empty.
    """
    value = getattr(record, FIELDS[parameter])
    if value is not None and value not in ((), ""):
        return False
    return not any(
        problem.field == parameter and problem.rule not in _NOT_ABOUT_THE_VALUE
        for problem in record.problems
    )


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
