"""Print the result of ``partnerbot check``: findings grouped by page, as text or as JSON.

Every sentence comes from the message bundle through the ``text`` lookup the caller passes in
(``i18n/checklist``); the JSON keeps each finding's data (rule, reason and named parameters,
flag, source) and adds the composed English ``message`` for people reading it.
"""

from __future__ import annotations

from bot.checklist.pages import CheckReport
from bot.contract import named_params
from bot.model import Finding, Severity
from bot.render.finding_text import Text, finding_text

__all__ = ["check_report_json", "check_report_text"]


def check_report_json(report: CheckReport, text: Text) -> list[dict[str, object]]:
    """Return the ``--json`` list of findings, page-level findings first on each page."""
    found = []
    for page in report.pages:
        for finding in page.findings:
            data = finding.as_dict()
            data["params"] = {
                name: list(value) if isinstance(value, tuple) else value
                for name, value in named_params(finding.reason, finding.params).items()
            }
            data["message"] = finding_text(finding, text)
            found.append(data)
    return found


def check_report_text(report: CheckReport, text: Text) -> str:
    """Return findings grouped by page, for people."""
    lines: list[str] = []
    for result in report.pages:
        lines.append(text("partnerbot-checklist-report-page", result.page.title))
        if not result.assessments and not result.page_findings:
            lines.append("  " + text("partnerbot-checklist-report-no-infobox"))
        lines.extend(_finding_line(finding, text) for finding in result.page_findings)
        for assessment in result.assessments:
            record = assessment.record
            errors, warnings = assessment.count(Severity.ERROR), assessment.count(Severity.WARNING)
            line = text(
                "partnerbot-checklist-report-infobox",
                record.index + 1,
                record.display_name,
                str(assessment.score),
                errors,
                warnings,
            )
            lines.append("  " + line)
            lines.extend(_finding_line(finding, text) for finding in assessment.findings)
    errors = sum(1 for page in report.pages for f in page.findings if f.severity is Severity.ERROR)
    lines.append(text("partnerbot-checklist-report-total", len(report.pages), errors))
    return "\n".join(lines)


def _finding_line(finding: Finding, text: Text) -> str:
    where = f" [{finding.field}]" if finding.field else ""
    severity = f"{finding.severity.value:7}"
    return f"  {severity} {finding.rule}{where}: {finding_text(finding, text)} ({finding.source})"
