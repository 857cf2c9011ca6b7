"""How a finding reads on the bot's pages: its rule (linked to the method page) and its sentence.

Findings carry a rule id, a severity and, for now, a message in English from the checklist.
Every page that shows a finding composes it here, so that when findings become data (a reason
and its parameters, composed from the message bundles) only :func:`finding_text` changes.
"""

from __future__ import annotations

from bot.model import Finding
from bot.render.escape import escape_text
from bot.render.messages import Messages
from bot.render.method_page import SEVERITY_MESSAGES

#: Longest finding sentence shown, in characters.
FINDING_LIMIT = 400


def rule_link(rule: str, method_page: str = "") -> str:
    """Return rule id ``rule``, linked to its row of the method page when given (else as code).

    Rule ids come from the checklist, not from the wiki; they are escaped all the same.
    """
    if (
        not method_page
        or not rule.replace("-", "").isascii()
        or not rule.replace("-", "").isalnum()
    ):
        return f"<code>{escape_text(rule)}</code>"
    return f"[[{method_page}#{rule}|{rule}]]"


def finding_text(finding: Finding, messages: Messages, method_page: str = "") -> str:
    """Return ``finding`` as one line of wikitext: severity, rule, and what to do."""
    severity = messages.text(SEVERITY_MESSAGES[finding.severity])
    sentence = escape_text(finding.message, FINDING_LIMIT)
    return messages.text(
        "partnerbot-report-finding", severity, rule_link(finding.rule, method_page), sentence
    )
