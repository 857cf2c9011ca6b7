"""Check pages against the guidance: parse, assess, and report findings grouped by page.

Pure: data in, data out. Used by ``partnerbot check`` (a file or the wiki) and by the main pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.checklist.assess import Checklist, assess_page
from bot.model import Assessment, Finding, ParsedPage
from bot.parse.records import parse_page
from bot.settings import Settings


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
) -> list[PageResult]:
    """Parse and assess ``(title, text, revid)`` pages."""
    results = []
    for title, text, revid in pages:
        parsed = parse_page(title, text, template_names=template_names, revid=revid)
        assessments, page_findings = assess_page(checklist, parsed, today)
        results.append(PageResult(parsed, assessments, page_findings))
    return results


def template_names_from(settings: Settings, redirects: Sequence[str] = ()) -> list[str]:
    """Return every name the infobox may be called by (configured name, aliases, redirects)."""
    return [settings.template.name, *settings.template.aliases, *redirects]


def page_digest(result: PageResult) -> str:
    """Return a digest of a page's records and findings (what the state store remembers)."""
    payload = [
        [list(a.record.params), [f.as_dict() for f in a.findings], str(a.score)]
        for a in result.assessments
    ]
    payload.append([f.as_dict() for f in result.page_findings])
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
