"""Name the checks a checklist rule can use: typed predicates over one partnership record.

A check is registered under a name with the parameters it accepts (the types are in
:mod:`bot.checklist.predicates`). The checklist loader validates a rule's parameters once, then
calls the check's builder to get a predicate: a closure taking a record and today's date and
returning the hits (reasons the rule fails). Assessing a record only calls prebuilt closures;
nothing is parsed or compiled per record.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from bot.checklist.conditions import (
    BOOL_FIELDS,
    FIELDS,
    LIST_FIELDS,
    VOCABULARIES,
    field_texts,
    is_blank,
)
from bot.checklist.licences import LicenceKind, classify_licence
from bot.checklist.predicates import (
    NO_HITS,
    Builder,
    Check,
    CheckContext,
    Default,
    Hit,
    Kind,
    Param,
    Predicate,
)
from bot.contract import shown
from bot.model import Agreement, PartnershipRecord, PartnershipType, WikiDate

_REGISTRY: dict[str, Check] = {}
#: Every check a rule may name, by name.
CHECKS: Mapping[str, Check] = MappingProxyType(_REGISTRY)


def _check(name: str, **params: Param) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        _REGISTRY[name] = Check(name, MappingProxyType(params), build)
        return build

    return register


# --- the checks ----------------------------------------------------------------------------------


@_check("parser_problem", problems=Param(Kind.TEXTS, Default.RULE_ID))
def _parser_problem(ctx: CheckContext) -> Predicate:
    """Fail once per problem the parser recorded under one of ``problems``."""
    wanted = frozenset(ctx.texts("problems"))

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        if not record.problems:
            return NO_HITS
        return [Hit(p.field, p.reason, p.params) for p in record.problems if p.rule in wanted]

    return predicate


@_check("unclaimed_parser_problem")
def _unclaimed_parser_problem(ctx: CheckContext) -> Predicate:
    """Fail once per parser problem that no ``parser_problem`` rule claims."""
    claimed = ctx.claimed_problems

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        if not record.problems:
            return NO_HITS
        return [Hit(p.field, p.reason, p.params) for p in record.problems if p.rule not in claimed]

    return predicate


@_check("required", fields=Param(Kind.FIELDS, Default.RULE_FIELD))
def _required(ctx: CheckContext) -> Predicate:
    """Fail once per listed field left empty."""
    wanted = ctx.texts("fields")
    if len(wanted) > 1:
        return lambda record, today: [Hit(name) for name in wanted if is_blank(record, name)]
    name, attribute, hits = wanted[0], FIELDS[wanted[0]], (Hit(wanted[0]),)

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        if getattr(record, attribute):
            return NO_HITS
        return hits if is_blank(record, name) else NO_HITS

    return predicate


@_check("required_any", fields=Param(Kind.FIELDS))
def _required_any(ctx: CheckContext) -> Predicate:
    """Fail once when every listed field is empty."""
    wanted = ctx.texts("fields")
    hits = (Hit(wanted[0], "none-filled", (wanted,)),)

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        return hits if all(is_blank(record, name) for name in wanted) else NO_HITS

    return predicate


@_check("required_yes", fields=Param(Kind.FIELDS, Default.RULE_FIELD))
def _required_yes(ctx: CheckContext) -> Predicate:
    """Fail once per listed yes/no field that does not say yes."""
    wanted = tuple((name, FIELDS[name]) for name in ctx.texts("fields"))
    for name, _ in wanted:
        if name not in BOOL_FIELDS:
            raise ValueError(f"params.fields: {name!r} is not a yes/no field")

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        hits = []
        for name, attribute in wanted:
            value = getattr(record, attribute)
            if value is not True:
                hits.append(Hit(name, "answered-no" if value is False else "not-answered", (name,)))
        return hits

    return predicate


@_check("value_in", field=Param(Kind.FIELD, Default.RULE_FIELD), values=Param(Kind.TEXTS))
def _value_in(ctx: CheckContext) -> Predicate:
    """Fail when the field has one of ``values``."""
    name = ctx.text("field")
    values = frozenset(ctx.texts("values"))
    vocabulary = VOCABULARIES.get(name)
    if vocabulary is not None and not values <= vocabulary:
        bad = ", ".join(sorted(values - vocabulary))
        raise ValueError(f"params.values: {bad} not allowed for {name}")
    attribute = FIELDS[name]

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        found = [t for t in field_texts(getattr(record, attribute)) if t.casefold() in values]
        return [Hit(name, "has-value", (name, found[0]))] if found else NO_HITS

    return predicate


@_check("min_items", field=Param(Kind.FIELD, Default.RULE_FIELD), minimum=Param(Kind.INT))
def _min_items(ctx: CheckContext) -> Predicate:
    """Fail when the list field names fewer than ``minimum`` entries."""
    name = ctx.text("field")
    if name not in LIST_FIELDS:
        raise ValueError(f"params.field: {name!r} is not a list field")
    attribute = FIELDS[name]
    minimum = ctx.number("minimum")

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        count = len(getattr(record, attribute))
        return [Hit(name, "items-listed", (count,))] if count < minimum else NO_HITS

    return predicate


@_check("dates_in_order", pairs=Param(Kind.DATE_PAIRS))
def _dates_in_order(ctx: CheckContext) -> Predicate:
    """Fail once per pair whose earlier date is certainly after its later date."""
    pairs = tuple((a, FIELDS[a], b, FIELDS[b]) for a, b in ctx.pairs("pairs"))

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        hits = []
        for first, first_attribute, second, second_attribute in pairs:
            early: WikiDate | None = getattr(record, first_attribute)
            late: WikiDate | None = getattr(record, second_attribute)
            if early is not None and late is not None and early.first_day() > late.last_day():
                params = (first, str(early), second, str(late))
                hits.append(Hit(second, "dates-reversed", params))
        return hits

    return predicate


@_check(
    "date_passed", field=Param(Kind.DATE_FIELD, Default.RULE_FIELD), grace_days=Param(Kind.INT, 0)
)
def _date_passed(ctx: CheckContext) -> Predicate:
    """Fail when the date (its last possible day, plus the grace days) is before today."""
    name = ctx.text("field")
    attribute = FIELDS[name]
    grace = dt.timedelta(days=ctx.number("grace_days"))

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        date: WikiDate | None = getattr(record, attribute)
        if date is None or date.last_day() + grace >= today:
            return NO_HITS
        return [Hit(name, "date-passed", (name, str(date)))]

    return predicate


@_check("date_in_future", fields=Param(Kind.DATE_FIELDS, Default.RULE_FIELD))
def _date_in_future(ctx: CheckContext) -> Predicate:
    """Fail once per listed date that starts after today."""
    wanted = tuple((name, FIELDS[name]) for name in ctx.texts("fields"))

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        hits = []
        for name, attribute in wanted:
            date: WikiDate | None = getattr(record, attribute)
            if date is not None and date.first_day() > today:
                hits.append(Hit(name, "date-ahead", (name, str(date))))
        return hits

    return predicate


@_check("follow_up_stale", max_days=Param(Kind.INT, 14))
def _follow_up_stale(ctx: CheckContext) -> Predicate:
    """Fail when the last contact is older than ``max_days`` and no next step date lies ahead."""
    max_days = ctx.number("max_days")

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        last = record.last_contact or record.first_contact
        if last is None:
            return NO_HITS
        age = (today - last.last_day()).days
        if age <= max_days:
            return NO_HITS
        planned = record.next_step_date
        if planned is not None and planned.last_day() >= today:
            return NO_HITS
        return [Hit("last_contact", "contact-stale", (str(last), age, today.isoformat()))]

    return predicate


@_check("review_due", max_interval_days=Param(Kind.INT, 365), grace_days=Param(Kind.INT, 0))
def _review_due(ctx: CheckContext) -> Predicate:
    """Fail when next_review has passed or, without one, the last review (or start) is too old."""
    interval = ctx.number("max_interval_days")
    grace = dt.timedelta(days=ctx.number("grace_days"))

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        planned = record.next_review
        if planned is not None:
            if planned.last_day() + grace < today:
                return [Hit("next_review", "review-passed", (str(planned),))]
            return NO_HITS
        known = [d for d in (record.last_review, record.agreement_date, record.start_date) if d]
        if not known:
            return NO_HITS
        latest = max(known)
        if (today - latest.last_day()).days <= interval:
            return NO_HITS
        return [Hit("next_review", "review-unplanned", (str(latest),))]

    return predicate


@_check("licence_kind", kind=Param(Kind.TEXT, choices=frozenset(k.value for k in LicenceKind)))
def _licence_kind(ctx: CheckContext) -> Predicate:
    """Fail when the licence text is classified as ``kind`` (see bot.checklist.licences)."""
    kind = LicenceKind(ctx.text("kind"))

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        if not record.license:
            return NO_HITS
        found, term = classify_licence(record.license)
        if found is not kind:
            return NO_HITS
        if kind is LicenceKind.NON_FREE:
            return [Hit("license", "licence-term", (shown(record.license), term))]
        return [Hit("license", "licence-as-written", (shown(record.license),))]

    return predicate


@_check(
    "money_needs_agreement",
    formal=Param(Kind.TEXTS, choices=frozenset(a.value for a in Agreement)),
    money_types=Param(Kind.TEXTS, (), frozenset(t.value for t in PartnershipType)),
)
def _money_needs_agreement(ctx: CheckContext) -> Predicate:
    """Fail when money changes hands (or a money type is listed) without a formal agreement."""
    formal = frozenset(Agreement(value) for value in ctx.texts("formal"))
    money_types = frozenset(PartnershipType(value) for value in ctx.texts("money_types"))

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        money = record.money_exchanged
        if money is None:
            money = not money_types.isdisjoint(record.types)
        if not money or record.agreement in formal:
            return NO_HITS
        if record.agreement is None:
            return [Hit("agreement", "agreement-not-recorded")]
        return [Hit("agreement", "agreement-is", (record.agreement.value,))]

    return predicate


def normalise_flag(text: str) -> str:
    """Return the flag id an editor most likely meant: lower case, hyphens for spaces."""
    return "-".join(text.casefold().replace("_", " ").split())


@_check("warning_flags")
def _warning_flags(ctx: CheckContext) -> Predicate:
    """Fail once per declared flag from the vocabulary, naming the flag, with its source."""
    hits = {
        flag_id: Hit("flags", flag=flag_id, source=source) for flag_id, source in ctx.flags.items()
    }

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        if not record.flags:
            return NO_HITS
        found = dict.fromkeys(normalise_flag(flag) for flag in record.flags)
        return [hits[flag] for flag in found if flag in hits]

    return predicate


@_check("unknown_flags")
def _unknown_flags(ctx: CheckContext) -> Predicate:
    """Fail once per declared flag that is not in the vocabulary, suggesting a close one."""
    known = sorted(ctx.flags)

    def predicate(record: PartnershipRecord, today: dt.date) -> Sequence[Hit]:
        if not record.flags:
            return NO_HITS
        hits = []
        for flag in dict.fromkeys(record.flags):
            if normalise_flag(flag) in ctx.flags:
                continue
            close = difflib.get_close_matches(normalise_flag(flag), known, n=1)
            if close:
                hits.append(Hit("flags", "flag-did-you-mean", (shown(flag), close[0])))
            else:
                hits.append(Hit("flags", "flag-unlisted", (shown(flag),)))
        return hits

    return predicate
