"""Typed values shared by every layer: records, findings, scores.

Everything here is a frozen dataclass or an enum. The parser builds records from wikitext, the
checklist turns records into findings, the renderer turns both into wikitext. Nothing in this module
does any I/O.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters; errors block a partnership from counting as healthy."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Status(StrEnum):
    """Lifecycle stage of a partnership, in the order a partnership normally moves through them."""

    PROSPECT = "prospect"
    RESEARCHING = "researching"
    CONTACTED = "contacted"
    NEGOTIATING = "negotiating"
    AGREED = "agreed"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    CONCLUDED = "concluded"
    DECLINED = "declined"
    TERMINATED = "terminated"


class PartnerType(StrEnum):
    """What kind of organisation (or person) the partner is."""

    GLAM = "glam"
    EDUCATION = "education"
    RESEARCH = "research"
    GOVERNMENT = "government"
    NONPROFIT = "nonprofit"
    COMPANY = "company"
    PUBLISHER = "publisher"
    MEDIA = "media"
    NETWORK = "network"
    INDIVIDUAL = "individual"
    OTHER = "other"


class LedBy(StrEnum):
    """Who leads the partnership on the Wikimedia side."""

    AFFILIATE = "affiliate"
    FOUNDATION = "foundation"
    INDIVIDUAL = "individual"


class PartnershipType(StrEnum):
    """What the partnership does; a record may have several."""

    CONTENT_DONATION = "content_donation"
    DISTRIBUTION = "distribution"
    ACCESS = "access"
    OUTREACH = "outreach"
    RECRUITMENT = "recruitment"
    IN_KIND = "in_kind"
    FUNDING = "funding"
    ADVOCACY = "advocacy"
    RESIDENCY = "residency"
    TECHNOLOGY = "technology"
    RECOGNITION = "recognition"
    UMBRELLA = "umbrella"
    COLLECTIVE_IMPACT = "collective_impact"
    OTHER = "other"


class Scope(StrEnum):
    """Geographic reach of the partnership."""

    LOCAL = "local"
    NATIONAL = "national"
    REGIONAL = "regional"
    INTERNATIONAL = "international"


class Agreement(StrEnum):
    """How formally the partnership is agreed, from least to most formal."""

    NONE = "none"
    EMAIL = "email"
    LETTER = "letter"
    MOU = "mou"
    CONTRACT = "contract"
    GRANT = "grant"


class EvaluationMethod(StrEnum):
    """How the partnership is evaluated."""

    CHECKINS = "checkins"
    DEBRIEF = "debrief"
    SURVEY = "survey"
    MOU_REVIEW = "mou_review"
    METRICS = "metrics"


#: Stages in which the partnership is live: work is being done with the partner.
LIVE_STATUSES = frozenset({Status.AGREED, Status.ACTIVE, Status.ON_HOLD})
#: Stages before any agreement exists.
EARLY_STATUSES = frozenset(
    {Status.PROSPECT, Status.RESEARCHING, Status.CONTACTED, Status.NEGOTIATING}
)
#: Stages after which nothing more happens.
CLOSED_STATUSES = frozenset({Status.CONCLUDED, Status.DECLINED, Status.TERMINATED})


_WIKI_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


@dataclass(frozen=True, order=True, slots=True)
class WikiDate:
    """A date written as YYYY-MM-DD, or YYYY-MM when only the month is known."""

    year: int
    month: int
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> WikiDate:
        """Return the date ``str()`` wrote as ``text``; ValueError when it is no calendar date."""
        match = _WIKI_DATE.fullmatch(text)
        if match is None:
            raise ValueError(f"not a YYYY-MM-DD or YYYY-MM date: {text!r}")
        year, month, day = match.groups()
        date = cls(int(year), int(month), int(day) if day else None)
        date.last_day()  # raises for a month or day the calendar does not have
        return date

    def first_day(self) -> dt.date:
        """Return the earliest calendar day this date can mean."""
        return dt.date(self.year, self.month, self.day or 1)

    def last_day(self) -> dt.date:
        """Return the latest calendar day this date can mean."""
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


#: One parameter of a problem or finding: a text, a number, or a list of texts.
ParamValue = str | int | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the parser noticed about a value; the checklist turns it into a finding.

    ``rule`` is a checklist rule id (``date-invalid``, ``unknown-parameter``...), ``field`` the
    infobox parameter concerned (``None`` for the whole infobox or page), ``reason`` says why
    (a key of :data:`bot.contract.REASONS`) and ``params`` are the reason's parameters in its
    order: the offending value, the allowed values, a suggestion... Sentences are composed only
    when rendering.
    """

    rule: str
    field: str | None
    reason: str = ""
    params: tuple[ParamValue, ...] = ()


@dataclass(frozen=True, slots=True)
class PartnershipRecord:
    """One ``{{Partnership infobox}}`` as MediaWiki would read it, with typed values.

    Text fields are stripped and empty when absent. Enum fields are ``None`` when absent or
    outside the vocabulary (the parser then records a problem). ``params`` keeps every
    parameter's cleaned text value, including unknown ones, for rendering and diagnostics.
    """

    page: str
    index: int = 0
    revid: int | None = None
    params: tuple[tuple[str, str], ...] = ()
    # identity
    name: str = ""
    partner: str = ""
    partner_type: PartnerType | None = None
    partner_qid: str = ""
    partner_website: str = ""
    affiliate: str = ""
    led_by: LedBy | None = None
    types: tuple[PartnershipType, ...] = ()
    scope: Scope | None = None
    country: str = ""
    # lifecycle
    status: Status | None = None
    first_contact: WikiDate | None = None
    last_contact: WikiDate | None = None
    next_step: str = ""
    next_step_date: WikiDate | None = None
    start_date: WikiDate | None = None
    end_date: WikiDate | None = None
    # substance
    goals: str = ""
    benefit_wikimedia: str = ""
    benefit_partner: str = ""
    partner_contribution: str = ""
    wikimedia_contribution: str = ""
    # people
    contact_wikimedia: tuple[str, ...] = ()
    contact_partner: str = ""
    volunteers: str = ""
    community_support: str = ""
    # agreement
    agreement: Agreement | None = None
    agreement_date: WikiDate | None = None
    agreement_renewal: WikiDate | None = None
    money_exchanged: bool | None = None
    # content
    license: str = ""
    commons_category: str = ""
    commons_depth: int | None = None
    link_domains: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    # evaluation
    evaluation: tuple[EvaluationMethod, ...] = ()
    last_review: WikiDate | None = None
    next_review: WikiDate | None = None
    announcement: str = ""
    report: str = ""
    # risk
    coi: str = ""
    flags: tuple[str, ...] = ()
    exit_plan: str = ""
    wmf_informed: bool | None = None
    affiliates_informed: bool | None = None
    decline_reason: str = ""
    # bot control
    notices: bool = True
    bot: bool = True
    # what the parser noticed
    problems: tuple[Problem, ...] = ()

    @property
    def key(self) -> str:
        """Return the stable identity of this record: page title plus infobox position."""
        return f"{self.page}#{self.index}"

    @property
    def display_name(self) -> str:
        """Return the best human label: the name, else the partner, else the page title."""
        return self.name or self.partner or self.page

    def raw(self, name: str) -> str:
        """Return the cleaned text of parameter ``name`` as written, or ``""``."""
        for key, value in self.params:
            if key == name:
                return value
        return ""


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """Every infobox found on one page, plus problems that concern the page as a whole."""

    title: str
    revid: int | None
    records: tuple[PartnershipRecord, ...]
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One checklist result for one record (or page, when ``index`` is ``None``), as data.

    ``reason`` and ``params`` say why the rule failed (see :class:`Problem`); ``flag`` is the
    warning flag a ``warning-flag`` finding is about; ``source`` cites the guidance
    (``Page § Section``). The sentence shown to people is composed from the message bundle when
    rendering (:func:`bot.render.finding_text.finding_text`).
    """

    page: str
    index: int | None
    rule: str
    severity: Severity
    field: str | None
    source: str
    reason: str = ""
    params: tuple[ParamValue, ...] = ()
    flag: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Return the finding as plain data (parameters in order, as the reason lists them)."""
        return {
            "page": self.page,
            "index": self.index,
            "rule": self.rule,
            "severity": self.severity.value,
            "field": self.field,
            "reason": self.reason or None,
            "params": [list(value) if isinstance(value, tuple) else value for value in self.params],
            "flag": self.flag,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Score:
    """Checklist rules passed out of the rules that apply to a record."""

    passed: int
    applicable: int

    def __str__(self) -> str:
        return f"{self.passed}/{self.applicable}"


@dataclass(frozen=True, slots=True)
class Assessment:
    """A record with its findings and score: what the tables and the infobox show."""

    record: PartnershipRecord
    findings: tuple[Finding, ...] = field(default=())
    score: Score = field(default=Score(0, 0))

    def count(self, severity: Severity) -> int:
        """Return how many findings have ``severity``."""
        return sum(1 for finding in self.findings if finding.severity is severity)
