"""The names of the infobox's vocabulary values (stages, partnership types, who leads), by language.

The bot shows a stage or a type by its label, never by its value: ``on_hold`` is "On hold" in
English and "En pause" in French. The labels are messages of ``i18n/values/``; the keys are
written out here so that the bundle tests find them. The English labels are the ones the
infobox shows (``Module:Partnership infobox/data``), so a tracking category the infobox adds
and the category page the installer writes have the same name.
"""

from __future__ import annotations

from bot.model import LedBy, PartnershipType, Status
from bot.render.messages import Messages

STAGE_MESSAGES = {
    Status.PROSPECT: "partnerbot-values-status-prospect",
    Status.RESEARCHING: "partnerbot-values-status-researching",
    Status.CONTACTED: "partnerbot-values-status-contacted",
    Status.NEGOTIATING: "partnerbot-values-status-negotiating",
    Status.AGREED: "partnerbot-values-status-agreed",
    Status.ACTIVE: "partnerbot-values-status-active",
    Status.ON_HOLD: "partnerbot-values-status-on-hold",
    Status.CONCLUDED: "partnerbot-values-status-concluded",
    Status.DECLINED: "partnerbot-values-status-declined",
    Status.TERMINATED: "partnerbot-values-status-terminated",
}
TYPE_MESSAGES = {
    PartnershipType.CONTENT_DONATION: "partnerbot-values-type-content-donation",
    PartnershipType.DISTRIBUTION: "partnerbot-values-type-distribution",
    PartnershipType.ACCESS: "partnerbot-values-type-access",
    PartnershipType.OUTREACH: "partnerbot-values-type-outreach",
    PartnershipType.RECRUITMENT: "partnerbot-values-type-recruitment",
    PartnershipType.IN_KIND: "partnerbot-values-type-in-kind",
    PartnershipType.FUNDING: "partnerbot-values-type-funding",
    PartnershipType.ADVOCACY: "partnerbot-values-type-advocacy",
    PartnershipType.RESIDENCY: "partnerbot-values-type-residency",
    PartnershipType.TECHNOLOGY: "partnerbot-values-type-technology",
    PartnershipType.RECOGNITION: "partnerbot-values-type-recognition",
    PartnershipType.UMBRELLA: "partnerbot-values-type-umbrella",
    PartnershipType.COLLECTIVE_IMPACT: "partnerbot-values-type-collective-impact",
    PartnershipType.OTHER: "partnerbot-values-type-other",
}
LED_BY_MESSAGES = {
    LedBy.AFFILIATE: "partnerbot-values-led-by-affiliate",
    LedBy.FOUNDATION: "partnerbot-values-led-by-foundation",
    LedBy.INDIVIDUAL: "partnerbot-values-led-by-individual",
}


def stage_label(messages: Messages, status: Status) -> str:
    """Return the name of stage ``status`` ("On hold")."""
    return messages.text(STAGE_MESSAGES[status])


def type_label(messages: Messages, kind: PartnershipType) -> str:
    """Return the name of partnership type ``kind`` ("Content donation")."""
    return messages.text(TYPE_MESSAGES[kind])


def led_by_label(messages: Messages, led_by: LedBy) -> str:
    """Return the name of who leads the work ("Wikimedia Foundation")."""
    return messages.text(LED_BY_MESSAGES[led_by])


def stage_pairs(messages: Messages) -> list[tuple[str, str]]:
    """Return ``(value, label)`` of every stage, in lifecycle order."""
    return [(status.value, stage_label(messages, status)) for status in Status]


def type_pairs(messages: Messages) -> list[tuple[str, str]]:
    """Return ``(value, label)`` of every partnership type, in the contract's order."""
    return [(kind.value, type_label(messages, kind)) for kind in PartnershipType]
