"""The contract of the usage sources: what each one answers, how it counted, and its interface.

Pure data (no network, no clock): the clients in :mod:`bot.io` fill these values, the usage core
reads them. Every result carries a :class:`Method` (what was asked, where, with which parameters,
in how many requests, and whether the figures are synthetic) and an :class:`Availability`, so "no
data" is never confused with 0 and a failed fetch is never taken for an empty answer.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from bot.io.action_api import ApiAnswerError, ApiUnavailable


class Availability(StrEnum):
    """Whether a figure could be obtained, and if not, why (expected conditions, not errors)."""

    OK = "ok"
    #: The service has no data for this question (a new page, a category not loaded): not 0.
    NO_DATA = "no data"
    #: The service did not answer usably now (rate limit, server error, timeout, malformed
    #: answer): keep the previous figures, marked with their own date; never replace them by 0.
    STALE = "stale"
    #: The question itself is wrong (unknown project, bad category name): retrying cannot help.
    CONFIG_ERROR = "configuration error"


@dataclass(frozen=True)
class Method:
    """How a figure was counted: source, endpoint, parameters, requests, synthetic or real."""

    #: Stable name of the source, e.g. ``categorymembers``, ``globalusage``, ``fileusage``,
    #: ``exturlusage``, ``pageviews-per-article``, ``commons-impact-metrics``.
    source: str
    #: Where it was asked (an Action API URL or a REST base URL; several joined by spaces).
    endpoint: str
    #: The parameters that decide what was counted, as sorted (name, value) pairs.
    parameters: tuple[tuple[str, str], ...] = ()
    #: HTTP requests sent to obtain the figure (retries included).
    requests: int = 0
    #: True when the figures come from a local stand-in service, not from Wikimedia.
    synthetic: bool = False

    def parameter(self, name: str) -> str | None:
        """Return one parameter's value, or None."""
        return dict(self.parameters).get(name)


def parameters(**values: object) -> tuple[tuple[str, str], ...]:
    """Return method parameters as sorted string pairs (lists joined with ``|``)."""
    pairs = []
    for name, value in values.items():
        if isinstance(value, list | tuple | set | frozenset):
            text = "|".join(str(item) for item in sorted(value, key=str))
        else:
            text = str(value)
        pairs.append((name, text))
    return tuple(sorted(pairs))


# -- months --------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month (UTC), the unit of every views figure."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"not a month: {self.year:04d}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Return the month written ``YYYY-MM`` (or ``YYYYMM``)."""
        digits = text.strip().replace("-", "")
        if len(digits) != 6 or not digits.isdigit():
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        return cls(int(digits[:4]), int(digits[4:]))

    @classmethod
    def of(cls, day: date) -> Month:
        """Return the month ``day`` falls in."""
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        """Return the month's first day."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """Return the month's last day."""
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def next(self) -> Month:
        """Return the following month."""
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        """Return the preceding month."""
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)


def months_between(first: Month, last: Month) -> list[Month]:
    """Return every month from ``first`` to ``last``, both included (empty when reversed)."""
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = current.next()
    return months


def last_complete_month(today: date, *, ready_after_days: int = 2) -> Month:
    """Return the newest month whose views are published by ``today``.

    A month's data appears some time after it ends; asking earlier gives a missing last
    month, so the month counts as complete only ``ready_after_days`` days after its end.
    """
    return Month.of(today - timedelta(days=ready_after_days)).previous()


# -- category tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryTree:
    """The files of a category and its subcategories down to a depth."""

    root: str
    depth: int
    availability: Availability
    #: File titles (``File:...``), each once, sorted.
    files: tuple[str, ...] = ()
    #: Categories visited (the root first), each once.
    categories: tuple[str, ...] = ()
    #: Subcategory links that led back to a category already visited (cycles, shared parents).
    revisits: int = 0
    #: True when the root category page does not exist and has no members.
    root_missing: bool = False
    detail: str = ""
    method: Method = field(default_factory=lambda: Method("categorymembers", ""))


class CategoryFilesSource(Protocol):
    """Lists the files of a category tree."""

    def files(self, category: str, depth: int) -> CategoryTree:
        """Return the files of ``category`` and its subcategories down to ``depth`` levels."""
        ...


# -- file usage ----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class PageUse:
    """One page on one wiki that shows a file or links to a domain."""

    #: The wiki's host name as Wikimedia names it (``en.wikipedia.org``) or as configured.
    wiki: str
    #: Namespace number.
    ns: int
    #: Title with spaces and its namespace prefix as the wiki spells it.
    title: str
    pageid: int | None = None


@dataclass(frozen=True)
class WikiStatus:
    """Whether one wiki answered completely."""

    wiki: str
    availability: Availability
    detail: str = ""


def worst_of(wikis: Iterable[WikiStatus]) -> Availability:
    """Return the availability of answers from ``wikis``: OK only when every one is OK."""
    states = {status.availability for status in wikis}
    for worst in (Availability.CONFIG_ERROR, Availability.STALE):
        if worst in states:
            return worst
    return Availability.OK


def failed_status(
    wiki: str, error: ApiAnswerError | ApiUnavailable, config_codes: Collection[str] = ()
) -> WikiStatus:
    """Return the status of a wiki that failed: a configuration error for an API error whose
    code says the question is wrong (retrying cannot help), stale otherwise."""
    wrong = isinstance(error, ApiAnswerError) and error.code in config_codes
    return WikiStatus(wiki, Availability.CONFIG_ERROR if wrong else Availability.STALE, str(error))


@dataclass(frozen=True)
class FileUsage:
    """Where each file is used: file title → the pages using it, on every wiki asked."""

    uses: Mapping[str, tuple[PageUse, ...]]
    #: One entry per wiki asked (for GlobalUsage: the one Commons request stream).
    wikis: tuple[WikiStatus, ...]
    method: Method

    @property
    def availability(self) -> Availability:
        """Return OK only when every wiki answered completely."""
        return worst_of(self.wikis)


class FileUsageSource(Protocol):
    """Tells where files are used."""

    def usage(self, files: Sequence[str]) -> FileUsage:
        """Return the pages using each of ``files`` (``File:`` titles)."""
        ...


# -- links ---------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class LinkUse:
    """One external link from one page to the partner's domain."""

    page: PageUse
    url: str


@dataclass(frozen=True)
class LinkUsage:
    """Links to one domain (and its subdomains) from the pages of every wiki asked."""

    domain: str
    links: tuple[LinkUse, ...]
    wikis: tuple[WikiStatus, ...]
    method: Method

    @property
    def pages(self) -> frozenset[PageUse]:
        """Return the distinct pages that link to the domain."""
        return frozenset(link.page for link in self.links)

    @property
    def availability(self) -> Availability:
        """Return OK only when every wiki answered completely."""
        return worst_of(self.wikis)


class LinkSource(Protocol):
    """Finds the pages that link to a domain."""

    def links(self, domain: str) -> LinkUsage:
        """Return every link to ``domain`` or one of its subdomains."""
        ...


# -- views ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlyViews:
    """Monthly views of one page (or of one category's pages), with why a month may be absent."""

    #: What was counted: ``project:title`` for a page, ``category:NAME`` for a category.
    subject: str
    availability: Availability
    #: Views per month; a month the service left out of a complete answer is 0 only when
    #: :attr:`zero_filled` lists it (the service omits months without views).
    months: Mapping[Month, int] = field(default_factory=dict)
    zero_filled: tuple[Month, ...] = ()
    detail: str = ""
    method: Method = field(default_factory=lambda: Method("", ""))


class PageViewsSource(Protocol):
    """Monthly views of pages."""

    def monthly(self, project: str, title: str, first: Month, last: Month) -> MonthlyViews:
        """Return the views of ``title`` on ``project`` for ``first``..``last``."""
        ...

    def monthly_many(
        self, pages: Sequence[tuple[str, str]], first: Month, last: Month
    ) -> list[MonthlyViews]:
        """Return the views of each (project, title), in the same order."""
        ...
