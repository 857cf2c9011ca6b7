"""How a finding reads: its sentence, composed from the bundles, and its line on the bot's pages.

A finding is data (rule id, reason, parameters, flag id); its sentence exists only here, when
rendering, through a message lookup ``text(key, *params)`` that the caller passes in:

- a raised warning flag: ``partnerbot-checklist-finding-flag`` with the flag's label and
  explanation;
- otherwise the rule's message (``partnerbot-checklist-rule-<id>``), followed when there is a
  reason by that reason's message with its parameters (``partnerbot-checklist-finding-reason``).

``Module:Partnership infobox/checklist`` composes the same sentence on the wiki. On the bot's own
pages a finding is one line: severity, the rule (linked to its row of the method page), sentence.
"""

from __future__ import annotations

from typing import Protocol

from bot.contract import reason_key
from bot.model import Finding, ParamValue
from bot.render.escape import escape_text
from bot.render.messages import Messages
from bot.render.method_page import SEVERITY_MESSAGES

__all__ = ["FINDING_LIMIT", "Text", "finding_line", "finding_text", "message_param", "rule_link"]

#: Longest finding sentence shown on the bot's pages, in characters.
FINDING_LIMIT = 400


class Text(Protocol):
    """A message lookup: the message ``key`` in one language, with ``$1``, ``$2``... filled in."""

    def __call__(self, key: str, *params: str | int) -> str:
        """Return the message ``key`` with its parameters."""
        ...


def message_param(value: ParamValue) -> str | int:
    """Return a finding parameter as a message parameter (a list becomes comma-separated)."""
    if isinstance(value, tuple):
        return ", ".join(value)
    return value


def finding_text(finding: Finding, text: Text) -> str:
    """Return the sentence that tells people what ``finding`` means and what to do."""
    if finding.flag:
        label = text(f"partnerbot-checklist-flag-{finding.flag}-label")
        explanation = text(f"partnerbot-checklist-flag-{finding.flag}-explanation")
        return text("partnerbot-checklist-finding-flag", label, explanation)
    sentence = text(f"partnerbot-checklist-rule-{finding.rule}")
    if not finding.reason:
        return sentence
    reason = text(reason_key(finding.reason), *map(message_param, finding.params))
    return text("partnerbot-checklist-finding-reason", sentence, reason)


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


def finding_line(finding: Finding, messages: Messages, method_page: str = "") -> str:
    """Return ``finding`` as one line of wikitext: severity, rule, and what to do."""
    severity = messages.text(SEVERITY_MESSAGES[finding.severity])
    sentence = escape_text(finding_text(finding, messages.text), FINDING_LIMIT)
    return messages.text(
        "partnerbot-report-finding", severity, rule_link(finding.rule, method_page), sentence
    )
