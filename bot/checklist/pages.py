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
from bot.model import Assessment, Finding, ParsedPage, Severity
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
    """Findings grouped by page, printable as text or JSON."""

    pages: tuple[PageResult, ...]

    def as_json(self) -> list[dict[str, object]]:
        """Return the ``--json`` list of findings."""
        return [finding.as_dict() for page in self.pages for finding in page.findings]

    def as_text(self) -> str:
        """Return findings grouped by page, for people."""
        lines: list[str] = []
        for result in self.pages:
            lines.append(f"== {result.page.title} ==")
            if not result.assessments and not result.page_findings:
                lines.append("  no partnership infobox found")
            for finding in result.page_findings:
                lines.append(_finding_line(finding))
            for assessment in result.assessments:
                record = assessment.record
                lines.append(
                    f"  infobox {record.index + 1} ({record.display_name}): checklist "
                    f"{assessment.score}, {assessment.count(Severity.ERROR)} error(s), "
                    f"{assessment.count(Severity.WARNING)} warning(s)"
                )
                lines.extend(_finding_line(finding) for finding in assessment.findings)
        errors = sum(1 for p in self.pages for f in p.findings if f.severity is Severity.ERROR)
        lines.append(f"{len(self.pages)} page(s), {errors} error finding(s)")
        return "\n".join(lines)


def _finding_line(finding: Finding) -> str:
    where = f" [{finding.field}]" if finding.field else ""
    severity = f"{finding.severity.value:7}"
    return f"  {severity} {finding.rule}{where}: {finding.message} ({finding.source})"


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
