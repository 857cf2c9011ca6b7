"""The checklist rules the infobox can judge by itself, before the bot runs.

The bot's checklist is the only judge of an infobox. The infobox gives instant feedback on the
text being shown with a subset of the same rules, generated from this module into
``Module:Partnership infobox/data`` and checked against the parser and the checklist on a real
wiki (tests/wiki/test_infobox_judge.py):

- the parser problems a Lua module can see in the values MediaWiki passes: unknown parameters,
  text without a parameter name, and values outside a parameter's kind (vocabularies, dates,
  yes/no, numbers, Wikidata ids, web domains);
- the rules that ask for fields (checks ``required``, ``required_any``, ``required_yes``) and the
  flag vocabulary (``unknown_flags``), with their stages, types and ``when`` conditions.

What only the bot can judge stays with the bot: values built by templates (MediaWiki passes them
expanded), parameters given twice (MediaWiki passes the last one only), dates against today,
licences, and everything about the page as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.checklist.assess import Checklist
from bot.contract import PARAMETERS, Kind
from bot.model import Severity

__all__ = ["JUDGED_PROBLEMS", "InstantRule", "instant_rules"]

#: Kinds whose values the infobox reads as the parser does, reporting the same problems.
JUDGED_KINDS = frozenset(
    {Kind.ENUM, Kind.ENUM_LIST, Kind.DATE, Kind.BOOLEAN, Kind.COUNT, Kind.QID, Kind.DOMAINS}
)
#: Parser problems the infobox finds itself.
JUDGED_PROBLEMS = frozenset(
    {"unknown-parameter", "positional-parameter"}
    | {p.problem_rule for p in PARAMETERS if p.kind in JUDGED_KINDS}
)
#: Checks the infobox runs itself.
JUDGED_CHECKS = frozenset({"required", "required_any", "required_yes", "unknown_flags"})


@dataclass(frozen=True)
class InstantRule:
    """One checklist rule as the infobox applies it (``None`` filters mean all)."""

    rule: str
    severity: Severity
    check: str
    #: The fields the check asks for; for ``parser_problem``, the problem ids it reports.
    fields: tuple[str, ...]
    statuses: tuple[str, ...] | None
    types: tuple[str, ...] | None
    when: tuple[tuple[str, tuple[str, ...]], ...]


def instant_rules(checklist: Checklist) -> tuple[InstantRule, ...]:
    """Return the rules of ``checklist`` the infobox applies itself, in checklist order."""
    found = []
    for rule in checklist.rules:
        if rule.check == "parser_problem":
            value = rule.params.get("problems", (rule.id,))
            fields = tuple(str(item) for item in value) if isinstance(value, tuple) else ()
            if not fields or not set(fields) <= JUDGED_PROBLEMS:
                continue
        elif rule.check in JUDGED_CHECKS:
            value = rule.params.get("fields", ("flags",))
            fields = tuple(str(item) for item in value) if isinstance(value, tuple) else ()
        else:
            continue
        found.append(
            InstantRule(
                rule=rule.id,
                severity=rule.severity,
                check=rule.check,
                fields=fields,
                statuses=_sorted(rule.statuses),
                types=_sorted(rule.types),
                when=tuple((name, tuple(sorted(values))) for name, values in rule.when.items()),
            )
        )
    return tuple(found)


def _sorted(values: frozenset[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(sorted(str(value) for value in values))
