"""What the checklist is made of: rules, warning flags and their sources; and what a check is
made of: the hits it returns, the parameters it accepts, the context its builder gets once per rule.

The checks themselves are in :mod:`bot.checklist.checks`; the loader (:mod:`bot.checklist.rules`)
makes :class:`Rule` and :class:`Flag` values and validates parameters against :class:`Param`, and
assessing (:mod:`bot.checklist.assess`) calls the :data:`Predicate` each builder returns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from bot.model import ParamValue, PartnershipRecord, PartnershipType, Severity, Status


@dataclass(frozen=True, slots=True)
class Hit:
    """One reason a rule fails: the field concerned, why (a reason id and its parameters), and
    for a warning flag, the flag id and the flag's own source."""

    field: str | None
    reason: str = ""
    params: tuple[ParamValue, ...] = ()
    flag: str | None = None
    source: str | None = None


Predicate = Callable[[PartnershipRecord, dt.date], Sequence[Hit]]
NO_HITS: tuple[Hit, ...] = ()


class Kind(Enum):
    """What a check parameter holds, as written in checklist.toml."""

    TEXT = "text"
    TEXTS = "list of texts"
    INT = "whole number"
    FIELD = "infobox field"
    FIELDS = "list of infobox fields"
    DATE_FIELD = "date field"
    DATE_FIELDS = "list of date fields"
    DATE_PAIRS = "list of [earlier, later] date field pairs"


class Default(Enum):
    """Defaults that depend on the rule rather than on the check."""

    REQUIRED = "required"
    RULE_FIELD = "the rule's field"
    RULE_ID = "the rule's id"


@dataclass(frozen=True)
class Param:
    """One parameter a check accepts: its kind, default and, for texts, allowed values."""

    kind: Kind
    default: object = Default.REQUIRED
    choices: frozenset[str] | None = None


@dataclass(frozen=True)
class CheckContext:
    """What a builder gets: the rule's identity, its validated parameters, the flag texts."""

    rule_id: str
    field: str | None
    params: Mapping[str, object]
    #: Flag id -> the flag's source, as findings cite it.
    flags: Mapping[str, str]
    #: Parser problem ids that some ``parser_problem`` rule turns into findings.
    claimed_problems: frozenset[str]

    def text(self, name: str) -> str:
        """Return text parameter ``name``."""
        value = self.params[name]
        if not isinstance(value, str):
            raise TypeError(f"{self.rule_id}: params.{name} is not validated")
        return value

    def number(self, name: str) -> int:
        """Return whole-number parameter ``name``."""
        value = self.params[name]
        if not isinstance(value, int):
            raise TypeError(f"{self.rule_id}: params.{name} is not validated")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        """Return list parameter ``name``."""
        value = self.params[name]
        if not isinstance(value, tuple):
            raise TypeError(f"{self.rule_id}: params.{name} is not validated")
        return tuple(str(item) for item in value)

    def pairs(self, name: str) -> tuple[tuple[str, str], ...]:
        """Return pair-list parameter ``name``."""
        value = self.params[name]
        if not isinstance(value, tuple):
            raise TypeError(f"{self.rule_id}: params.{name} is not validated")
        return tuple((str(a), str(b)) for a, b in value)


Builder = Callable[[CheckContext], Predicate]


@dataclass(frozen=True)
class Check:
    """A named check: the parameters it takes and how to build its predicate."""

    name: str
    params: Mapping[str, Param]
    build: Builder


@dataclass(frozen=True)
class Source:
    """Where in the guidance a rule comes from."""

    page: str
    section: str
    url: str

    def __str__(self) -> str:
        return f"{self.page} § {self.section}"


@dataclass(frozen=True)
class Rule:
    """One checklist rule, as written in checklist.toml (``None`` filters mean all)."""

    id: str
    severity: Severity
    field: str | None
    source: Source
    statuses: frozenset[Status] | None
    types: frozenset[PartnershipType] | None
    check: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict, hash=False)
    #: Field -> accepted values; the rule applies only when every field matches.
    when: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Flag:
    """A warning sign from the guidance that editors can declare in ``flags``."""

    id: str
    source: Source
