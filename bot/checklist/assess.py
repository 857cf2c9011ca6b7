"""Assess partnership records: which rules apply to a record, and which of them fail.

Which rules apply to a record:
- a rule with ``statuses`` applies only to records in one of those stages; a record whose status
  is missing or not in the vocabulary is checked only against the rules for all stages (the
  ``status-missing`` / ``status-invalid`` finding tells the editor why the rest is not shown);
- a rule with ``types`` applies only to records listing one of those partnership types;
- a rule with ``when`` applies only if each named field has one of the listed values.
A record with ``bot = no`` is still assessed: the editor paused what the bot does for it, not the
coordinators' view of it. Its score is the applicable rules passed out of the applicable rules; a
rule fails when its check yields at least one finding. Each rule's predicate is built once, when
the checklist is made, so assessing a record is a loop over closures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from bot.checklist.checks import CHECKS, normalise_flag
from bot.checklist.conditions import Condition, build_condition
from bot.checklist.predicates import CheckContext, Flag, Hit, Predicate, Rule
from bot.model import (
    Assessment,
    Finding,
    ParsedPage,
    PartnershipRecord,
    PartnershipType,
    Problem,
    Score,
    Status,
)


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
    return Hit(problem.field, problem.reason, problem.params)


def _findings(
    compiled: _Compiled, page: str, index: int | None, hits: Sequence[Hit]
) -> Iterable[Finding]:
    rule = compiled.rule
    if len(hits) > 1:
        hits = sorted(hits, key=lambda hit: hit.field or "")
    for hit in hits:
        source = compiled.source if hit.source is None else hit.source
        yield Finding(
            page, index, rule.id, rule.severity, hit.field, source, hit.reason, hit.params, hit.flag
        )


def _compile(rules: Sequence[Rule], flags: Mapping[str, Flag]) -> tuple[_Step, ...]:
    flag_sources = {f.id: str(f.source) for f in flags.values()}
    claimed: set[str] = set()
    for rule in rules:
        if rule.check == "parser_problem":
            claimed.update(_problem_ids(rule))
    steps: list[_Step] = []
    for rule in rules:
        check = CHECKS.get(rule.check)
        if check is None:
            raise ValueError(f"rule {rule.id!r}: key 'check': unknown check {rule.check!r}")
        context = CheckContext(rule.id, rule.field, rule.params, flag_sources, frozenset(claimed))
        try:
            predicate = check.build(context)
        except ValueError as error:
            raise ValueError(f"rule {rule.id!r}: key {error}") from error
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
