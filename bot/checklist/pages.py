"""Check pages against the guidance: parse, assess, and report findings grouped by page.

Pure: data in, data out. Used by ``partnerbot check`` (a file or the wiki) and by the main pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.checklist.assess import Checklist, assess_page
from bot.model import Assessment, Finding, ParsedPage
from bot.parse.records import parse_page
from bot.parse.site import SiteFacts


@dataclass(frozen=True)
class PageResult:
    """One page's parse and checklist result."""

    page: ParsedPage
    assessments: tuple[Assessment, ...]
    page_findings: tuple[Finding, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Return page-level findings first, then each infobox's in order."""
        found = list(self.page_findings)
        for assessment in self.assessments:
            found.extend(assessment.findings)
        return tuple(found)


@dataclass(frozen=True)
class CheckReport:
    """Findings grouped by page; :mod:`bot.render.check_report` prints them as text or JSON."""

    pages: tuple[PageResult, ...]


def check_pages(
    checklist: Checklist,
    pages: Iterable[tuple[str, str, int | None]],
    template_names: Sequence[str],
    today: dt.date,
    site: SiteFacts | None = None,
) -> list[PageResult]:
    """Parse and assess ``(title, text, revid)`` pages of a wiki with ``site`` facts.

    Without ``site`` the pages are read as on a Wikimedia wiki (an offline check).
    """
    results = []
    for title, text, revid in pages:
        parsed = parse_page(title, text, template_names=template_names, revid=revid, site=site)
        assessments, page_findings = assess_page(checklist, parsed, today)
        results.append(PageResult(parsed, assessments, page_findings))
    return results
