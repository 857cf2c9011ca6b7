"""Compose the sentence a finding shows, from the message bundle ``i18n/checklist``.

A finding is data (rule id, reason, parameters, flag id); its sentence exists only here, when
rendering, through a message lookup ``text(key, *params)`` that the caller passes in:

- a raised warning flag: ``checklist-finding-flag`` with the flag's label and explanation;
- otherwise the rule's message (``checklist-rule-<id>``), followed when there is a reason by
  that reason's message with its parameters (``checklist-finding-reason``).

``Module:Partnership infobox/checklist`` composes the same sentence on the wiki.
"""

from __future__ import annotations

from typing import Protocol

from bot.contract import reason_key
from bot.model import Finding, ParamValue

__all__ = ["Text", "finding_text", "message_param"]


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
