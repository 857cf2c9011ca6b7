"""Check partnership records against the rules in config/checklist.toml.

Every rule is data: an id, a severity, the stages and partnership types it applies to, an optional
``when`` condition on other fields, the named check it uses (see ``bot.checks``) with typed
parameters, a message in our own words and the guidance it comes from. Loading validates all of it
and prebuilds each rule's predicate, so assessing a record is a loop over closures.

Which rules apply to a record:
- a rule with ``statuses`` applies only to records in one of those stages; a record whose status
  is missing or not in the vocabulary is checked only against the rules for all stages (the
  ``status-missing`` / ``status-invalid`` finding tells the editor why the rest is not shown);
- a rule with ``types`` applies only to records listing one of those partnership types;
- a rule with ``when`` applies only if each named field has one of the listed values.
A record with ``bot = no`` is still assessed: the editor paused the bot's edits for it, not the
coordinators' view of it. Its score is the applicable rules passed out of the applicable rules; a
rule fails when its check yields at least one finding.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from bot.checks import (
    CHECKS,
    Check,
    CheckContext,
    Default,
    Hit,
    Kind,
    Param,
    Predicate,
    normalise_flag,
)
from bot.fields import DATE_FIELDS, FIELDS, VOCABULARIES, Condition, build_condition
from bot.model import (
    Assessment,
    Finding,
    ParsedPage,
    PartnershipRecord,
    PartnershipType,
    Problem,
    Score,
    Severity,
    Status,
)

_RULE_KEYS = frozenset(
    {"id", "severity", "check", "field", "params", "statuses", "types", "when", "message", "source"}
    | {"section"}
)
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_E = TypeVar("_E", Status, PartnershipType)
_T = TypeVar("_T")


class ChecklistError(ValueError):
    """checklist.toml is unreadable or wrong; the message names the rule (or flag) and key."""


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
    message: str
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
    label: str
    explanation: str
    source: Source


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A rule ready to report: its source as findings cite it, and its parser problem ids."""

    rule: Rule
    source: str
    #: Parser problem ids this rule reports (also at page level); None: not a parser rule.
    problems: frozenset[str] | None
    #: Reports the parser problems no other rule claims.
    unclaimed: bool


#: One rule in the assessment loop, unpacked for speed: the rule, its filters, its predicate.
_Step = tuple[
    _Compiled,
    frozenset[Status] | None,
    frozenset[PartnershipType] | None,
    Condition | None,
    Predicate,
]


@dataclass(frozen=True)
class Checklist:
    """The loaded rules and flag vocabulary, with every rule's predicate prebuilt."""

    rules: tuple[Rule, ...]
    flags: Mapping[str, Flag]
    _steps: tuple[_Step, ...] = dataclasses.field(init=False, repr=False, compare=False, hash=False)
    _claimed: frozenset[str] = dataclasses.field(init=False, repr=False, compare=False, hash=False)
    _by_id: Mapping[str, Rule] = dataclasses.field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        steps = _compile(self.rules, self.flags)
        claimed = frozenset().union(*(step[0].problems for step in steps if step[0].problems))
        object.__setattr__(self, "_steps", steps)
        object.__setattr__(self, "_claimed", claimed)
        object.__setattr__(self, "_by_id", MappingProxyType({r.id: r for r in self.rules}))

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with id ``rule_id`` (KeyError if there is none)."""
        return self._by_id[rule_id]

    def flag_for(self, declared: str) -> Flag | None:
        """Return the flag an entry of ``flags`` names (any case, ``-``, ``_`` or spaces)."""
        return self.flags.get(normalise_flag(declared))

    def assess(self, record: PartnershipRecord, today: dt.date) -> Assessment:
        """Return ``record`` with its findings (rule order, then field) and its score."""
        findings: list[Finding] = []
        applicable = passed = 0
        status, types = record.status, record.types
        for compiled, statuses, kinds, condition, predicate in self._steps:
            if statuses is not None and status not in statuses:
                continue
            if kinds is not None and kinds.isdisjoint(types):
                continue
            if condition is not None and not condition(record):
                continue
            applicable += 1
            hits = predicate(record, today)
            if not hits:
                passed += 1
                continue
            findings.extend(_findings(compiled, record.page, record.index, hits))
        return Assessment(record, tuple(findings), Score(passed, applicable))

    def page_findings(self, page: ParsedPage) -> tuple[Finding, ...]:
        """Return the findings for problems that concern the page rather than one infobox."""
        if not page.problems:
            return ()
        claimed = self._claimed
        findings: list[Finding] = []
        for compiled, *_ in self._steps:
            if compiled.problems is not None:
                wanted = compiled.problems
                hits = [_hit(p) for p in page.problems if p.rule in wanted]
            elif compiled.unclaimed:
                hits = [_hit(p) for p in page.problems if p.rule not in claimed]
            else:
                continue
            findings.extend(_findings(compiled, page.title, None, hits))
        return tuple(findings)


def assess_page(
    checklist: Checklist, page: ParsedPage, today: dt.date
) -> tuple[tuple[Assessment, ...], tuple[Finding, ...]]:
    """Return the assessment of every infobox on ``page`` and the page-level findings."""
    assessments = tuple(checklist.assess(record, today) for record in page.records)
    return assessments, checklist.page_findings(page)


def _hit(problem: Problem) -> Hit:
    return Hit(problem.field, problem.detail)


def _findings(
    compiled: _Compiled, page: str, index: int | None, hits: Sequence[Hit]
) -> Iterable[Finding]:
    rule = compiled.rule
    if len(hits) > 1:
        hits = sorted(hits, key=lambda hit: hit.field or "")
    for hit in hits:
        if hit.message is not None:
            message = hit.message
        elif hit.detail:
            message = _with_detail(rule.message, hit.detail)
        else:
            message = rule.message
        source = compiled.source if hit.source is None else hit.source
        yield Finding(page, index, rule.id, rule.severity, hit.field, message, source)


def _with_detail(message: str, detail: str) -> str:
    """Return ``message`` with ``detail`` in brackets before its final full stop."""
    stem = message.removesuffix(".")
    return f"{stem} ({detail.strip().removesuffix('.')})."


def _compile(rules: Sequence[Rule], flags: Mapping[str, Flag]) -> tuple[_Step, ...]:
    flag_texts = {f.id: (f.label, f.explanation, str(f.source)) for f in flags.values()}
    claimed: set[str] = set()
    for rule in rules:
        if rule.check == "parser_problem":
            claimed.update(_problem_ids(rule))
    steps: list[_Step] = []
    for rule in rules:
        check = CHECKS.get(rule.check)
        if check is None:
            raise ChecklistError(f"rule {rule.id!r}: key 'check': unknown check {rule.check!r}")
        context = CheckContext(rule.id, rule.field, rule.params, flag_texts, frozenset(claimed))
        try:
            predicate = check.build(context)
        except ValueError as error:
            raise ChecklistError(f"rule {rule.id!r}: key {error}") from error
        problems = frozenset(_problem_ids(rule)) if rule.check == "parser_problem" else None
        compiled = _Compiled(
            rule, str(rule.source), problems, rule.check == "unclaimed_parser_problem"
        )
        condition = build_condition(rule.when) if rule.when else None
        steps.append((compiled, rule.statuses, rule.types, condition, predicate))
    return tuple(steps)


def _problem_ids(rule: Rule) -> tuple[str, ...]:
    value = rule.params.get("problems", (rule.id,))
    return tuple(str(item) for item in value) if isinstance(value, tuple) else (rule.id,)


# --- loading -------------------------------------------------------------------------------------


def load_checklist(path: Path) -> Checklist:
    """Read and validate checklist.toml; raise ChecklistError naming the rule and key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ChecklistError(f"{path}: cannot read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ChecklistError(f"{path}: not valid TOML: {error}") from error
    try:
        return _checklist(data)
    except ChecklistError as error:
        raise ChecklistError(f"{path.name}: {error}") from error


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
        _only(entry, {"label", "explanation", "source", "section"}, where)
        label = _text(entry, "label", where)
        explanation = _text(entry, "explanation", where)
        flags[flag_id] = Flag(flag_id, label, explanation, _source(entry, pages, where))
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
    return Checklist(tuple(rules), MappingProxyType(flags))


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
        message=_text(entry, "message", where),
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
