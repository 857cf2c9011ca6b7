"""The infobox's parameters, one table: name, kind, vocabulary, group and message keys.

Every other description of the infobox is derived from :data:`PARAMETERS`: the parser reads each
parameter by its kind (:mod:`bot.parse.coerce`), the checklist knows the fields by it
(:mod:`bot.checklist.conditions`), and the Lua data module and the TemplateData on the wiki are
generated from it (:mod:`bot.render.lua_data`, :mod:`bot.render.templatedata`). Labels and
descriptions are messages (``i18n/infobox``), found by the keys each parameter names.

The second table, :data:`REASONS`, is the findings contract: why a value or a record fails a
rule, as a reason id and the names of its parameters, in the order ``$1``, ``$2``... of the
reason's message (``checklist-reason-<id>`` in ``i18n/checklist``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from bot.model import (
    Agreement,
    EvaluationMethod,
    LedBy,
    ParamValue,
    PartnershipType,
    PartnerType,
    Scope,
    Status,
)


class Kind(StrEnum):
    """What a parameter holds, and so how it is read, checked and shown."""

    TEXT = "text"  # free wikitext; its plain text is the value
    LINK = "link"  # a URL or a wikilink; the link target is the value
    DATE = "date"  # YYYY-MM-DD, or YYYY-MM when only the month is known
    ENUM = "enum"  # one value of the vocabulary
    ENUM_LIST = "enum list"  # comma-separated values of the vocabulary
    FLAGS = "flags"  # comma-separated warning flag ids (the checklist's flag vocabulary)
    USERS = "users"  # comma-separated user names, with or without User: links
    DOMAINS = "domains"  # comma-separated web domains or URLs
    COUNT = "count"  # a whole number of zero or more
    BOOLEAN = "boolean"  # yes or no (see BOOLEAN_WORDS)
    QID = "qid"  # a Wikidata item id such as Q42
    CATEGORY = "category"  # a Commons category name
    ITEMS = "items"  # comma-separated free items


#: Kinds whose value is a list of items.
LIST_KINDS = frozenset({Kind.ENUM_LIST, Kind.FLAGS, Kind.USERS, Kind.DOMAINS, Kind.ITEMS})


class Group(StrEnum):
    """The sections of the infobox, in the order it shows them (DESIGN.md, "Contracts")."""

    IDENTITY = "identity"
    LIFECYCLE = "lifecycle"
    SUBSTANCE = "substance"
    PEOPLE = "people"
    AGREEMENT = "agreement"
    CONTENT = "content"
    EVALUATION = "evaluation"
    RISK = "risk"
    BOT = "bot"  # bot control: read, not shown as rows


@dataclass(frozen=True)
class Parameter:
    """One infobox parameter.

    ``problem`` names the rule a value outside the vocabulary is reported under, when it is not
    the kind's own (:attr:`problem_rule`). ``suggested``, ``example``, ``default``,
    ``multiline``, ``suggestions`` (values offered besides the vocabulary) and ``input`` (the
    TemplateData type, when the kind's own does not fit) are for the TemplateData.
    """

    name: str
    kind: Kind
    group: Group
    vocabulary: type[StrEnum] | None = None
    problem: str = ""
    suggested: bool = False
    example: str = ""
    default: str = ""
    multiline: bool = False
    suggestions: tuple[str, ...] = ()
    input: str = ""

    @property
    def attribute(self) -> str:
        """Return the :class:`~bot.model.PartnershipRecord` attribute holding the value."""
        return "types" if self.name == "type" else self.name

    @property
    def problem_rule(self) -> str:
        """Return the rule an unreadable value of this parameter is reported under."""
        if self.problem:
            return self.problem
        return "date-invalid" if self.kind is Kind.DATE else "value-invalid"

    @property
    def label_key(self) -> str:
        """Return the message key of the parameter's short label."""
        return f"partnerbot-infobox-param-{self.name}-label"

    @property
    def description_key(self) -> str:
        """Return the message key of the parameter's description."""
        return f"partnerbot-infobox-param-{self.name}-description"

    @property
    def values(self) -> tuple[str, ...]:
        """Return the values the parameter accepts, as written ("" when free)."""
        if self.vocabulary is not None:
            return tuple(member.value for member in self.vocabulary)
        if self.kind is Kind.BOOLEAN:
            return ("yes", "no")
        return ()

    @property
    def is_list(self) -> bool:
        """Return whether the value is a comma-separated list."""
        return self.kind in LIST_KINDS


def value_label_key(parameter: str, value: str) -> str:
    """Return the message key of the human label of ``value`` of an enum ``parameter``."""
    return f"partnerbot-infobox-value-{parameter}-{value}"


def group_label_key(group: Group) -> str:
    """Return the message key of a group's heading."""
    return f"partnerbot-infobox-group-{group.value}"


_P = Parameter
_G = Group
_K = Kind

#: Every parameter of the infobox, in contract order (groups in order, then within each group).
PARAMETERS: tuple[Parameter, ...] = (
    _P("name", _K.TEXT, _G.IDENTITY, suggested=True, example="Museum of the City image donation"),
    _P("partner", _K.TEXT, _G.IDENTITY, example="Museum of the City"),
    _P("partner_type", _K.ENUM, _G.IDENTITY, PartnerType, suggested=True),
    _P("partner_qid", _K.QID, _G.IDENTITY, example="Q42"),
    _P("partner_website", _K.LINK, _G.IDENTITY, example="https://museum.example.org",
       input="url"),
    _P("affiliate", _K.TEXT, _G.IDENTITY),
    _P("led_by", _K.ENUM, _G.IDENTITY, LedBy),
    _P("type", _K.ENUM_LIST, _G.IDENTITY, PartnershipType, "type-invalid",
       example="content_donation, outreach"),
    _P("scope", _K.ENUM, _G.IDENTITY, Scope, suggested=True),
    _P("country", _K.TEXT, _G.IDENTITY),
    _P("status", _K.ENUM, _G.LIFECYCLE, Status, "status-invalid"),
    _P("first_contact", _K.DATE, _G.LIFECYCLE, suggested=True, example="2024-03"),
    _P("last_contact", _K.DATE, _G.LIFECYCLE, example="2024-11-05"),
    _P("next_step", _K.TEXT, _G.LIFECYCLE, multiline=True),
    _P("next_step_date", _K.DATE, _G.LIFECYCLE),
    _P("start_date", _K.DATE, _G.LIFECYCLE),
    _P("end_date", _K.DATE, _G.LIFECYCLE),
    _P("goals", _K.TEXT, _G.SUBSTANCE, suggested=True, multiline=True),
    _P("benefit_wikimedia", _K.TEXT, _G.SUBSTANCE, suggested=True, multiline=True),
    _P("benefit_partner", _K.TEXT, _G.SUBSTANCE, suggested=True, multiline=True),
    _P("partner_contribution", _K.TEXT, _G.SUBSTANCE, multiline=True),
    _P("wikimedia_contribution", _K.TEXT, _G.SUBSTANCE, multiline=True),
    _P("contact_wikimedia", _K.USERS, _G.PEOPLE, suggested=True, example="Example user"),
    _P("contact_partner", _K.TEXT, _G.PEOPLE, example="Head of collections"),
    _P("volunteers", _K.TEXT, _G.PEOPLE, multiline=True),
    _P("community_support", _K.LINK, _G.PEOPLE),
    _P("agreement", _K.ENUM, _G.AGREEMENT, Agreement, suggested=True),
    _P("agreement_date", _K.DATE, _G.AGREEMENT),
    _P("agreement_renewal", _K.DATE, _G.AGREEMENT),
    _P("money_exchanged", _K.BOOLEAN, _G.AGREEMENT),
    _P("license", _K.TEXT, _G.CONTENT, example="CC BY-SA 4.0",
       suggestions=("CC0", "CC BY 4.0", "CC BY-SA 4.0", "public domain")),
    _P("commons_category", _K.CATEGORY, _G.CONTENT, example="Images from the Museum of the City"),
    _P("commons_depth", _K.COUNT, _G.CONTENT, example="2"),
    _P("link_domains", _K.DOMAINS, _G.CONTENT, example="museum.example.org"),
    _P("projects", _K.ITEMS, _G.CONTENT, example="commons, wikidata"),
    _P("evaluation", _K.ENUM_LIST, _G.EVALUATION, EvaluationMethod, suggested=True),
    _P("last_review", _K.DATE, _G.EVALUATION),
    _P("next_review", _K.DATE, _G.EVALUATION),
    _P("announcement", _K.LINK, _G.EVALUATION),
    _P("report", _K.LINK, _G.EVALUATION),
    _P("coi", _K.TEXT, _G.RISK, multiline=True),
    _P("flags", _K.FLAGS, _G.RISK),
    _P("exit_plan", _K.TEXT, _G.RISK, suggested=True, multiline=True),
    _P("wmf_informed", _K.BOOLEAN, _G.RISK),
    _P("affiliates_informed", _K.BOOLEAN, _G.RISK),
    _P("decline_reason", _K.TEXT, _G.RISK, multiline=True),
    _P("notices", _K.BOOLEAN, _G.BOT, default="yes"),
    _P("bot", _K.BOOLEAN, _G.BOT, default="yes"),
)  # fmt: skip

#: Each parameter by name.
BY_NAME: Mapping[str, Parameter] = MappingProxyType({p.name: p for p in PARAMETERS})
#: The parameter names, in contract order.
NAMES: tuple[str, ...] = tuple(p.name for p in PARAMETERS)

# --- how values are written ----------------------------------------------------------------------

#: Values that stand for "nothing given" (compared case-insensitively, whole value or list item).
PLACEHOLDERS = frozenset({"-", "–", "—", "?", "n/a", "tbd"})
#: Longest placeholder, in characters (a cheap test before the set lookup).
PLACEHOLDER_LENGTH = 3
#: Words read as yes or no (compared in lower case).
BOOLEAN_WORDS: Mapping[str, bool] = MappingProxyType(
    {"yes": True, "y": True, "true": True, "1": True}
    | {"no": False, "n": False, "false": False, "0": False}
)
#: Earliest and latest year a partnership date may have; anything else is a typo.
MIN_YEAR = 2000
MAX_YEAR = 2100
#: Longest offending value a finding quotes, in characters (longer ones end with "…").
SHOWN_LENGTH = 80
#: Least similarity (difflib's ratio) of a suggested parameter name to an unknown one.
NAME_SUGGESTION_CUTOFF = 0.75
#: Least similarity of a suggested value to one outside a vocabulary (``activ`` -> ``active``).
VALUE_SUGGESTION_CUTOFF = 0.6
_WHITESPACE = re.compile(r"\s+")


def shown(value: str) -> str:
    """Return ``value`` as a finding quotes it: whitespace runs as one space, cut short."""
    value = _WHITESPACE.sub(" ", value)
    if len(value) > SHOWN_LENGTH:
        value = value[: SHOWN_LENGTH - 1] + "…"
    return value


# --- why a rule fails: reason ids and the names of their parameters -------------------------------

_REASONS: dict[str, tuple[str, ...]] = {
    # reading a value (the parser)
    "not-literal": ("value",),
    "not-a-qid": ("value",),
    "not-a-date": ("value",),
    "year-out-of-range": ("value", "year", "min", "max"),
    "not-in-calendar": ("value",),
    "not-in-vocabulary": ("value", "allowed"),
    "value-did-you-mean": ("value", "suggestion"),
    "not-yes-no": ("value",),
    "not-a-count": ("value",),
    "not-a-domain": ("value",),
    # reading the page and the template call (the parser)
    "never-closed": ("line",),
    "unclosed-inside": ("line", "opener", "opener_line"),
    "unclosed-before": ("opener", "line"),
    "call-decided-by": ("templates", "line"),
    "unreadable-page": ("error",),
    "infobox-count": ("count",),
    "given-times": ("name", "count", "value"),
    "stray-text": ("text",),
    "unnamed-value": ("text",),
    "unknown-did-you-mean": ("name", "suggestion"),
    "unknown-case-sensitive": ("name", "suggestion"),
    "unknown-ignored": ("name",),
    # checklist rules
    "none-filled": ("fields",),
    "answered-no": ("field",),
    "not-answered": ("field",),
    "has-value": ("field", "value"),
    "items-listed": ("count",),
    "dates-reversed": ("first", "first_date", "second", "second_date"),
    "date-passed": ("field", "date"),
    "date-ahead": ("field", "date"),
    "contact-stale": ("date", "days", "today"),
    "review-passed": ("date",),
    "review-unplanned": ("date",),
    "licence-as-written": ("licence",),
    "licence-term": ("licence", "term"),
    "agreement-is": ("agreement",),
    "agreement-not-recorded": (),
    "flag-unlisted": ("flag",),
    "flag-did-you-mean": ("flag", "suggestion"),
    "kept-last-readable": (),
}
#: Reason id -> the names of its parameters, in message order.
REASONS: Mapping[str, tuple[str, ...]] = MappingProxyType(_REASONS)


def named_params(reason: str, params: tuple[ParamValue, ...]) -> dict[str, ParamValue]:
    """Return a reason's parameters by name (unnamed extras as "4", "5"...)."""
    names = REASONS.get(reason, ())
    return {names[n] if n < len(names) else str(n + 1): value for n, value in enumerate(params)}


def reason_key(reason: str) -> str:
    """Return the message key of a reason."""
    return f"partnerbot-checklist-reason-{reason}"
