"""Previous snapshot + current records + today -> events (changes and date reminders). Pure."""

from bot.events.derive import Derivation, derive_events, due_reminders, order_events
from bot.events.model import (
    Event,
    EventKind,
    RecordId,
    RecordState,
    Snapshot,
    TrackedRecord,
    event_key,
)
from bot.settings import NoticeSettings, notice_settings_from

__all__ = [
    "Derivation",
    "Event",
    "EventKind",
    "NoticeSettings",
    "RecordId",
    "RecordState",
    "Snapshot",
    "TrackedRecord",
    "derive_events",
    "due_reminders",
    "event_key",
    "notice_settings_from",
    "order_events",
]
