"""Settings of the notices job: the ``[notices]`` section of the settings file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The shared section reader: unknown keys and wrong types are refused with the key's name.
from bot.settings import SettingsError, _section


@dataclass(frozen=True)
class NoticeSettings:
    """Where notices go, how many, and when date reminders fire."""

    enabled: bool = True
    #: The noticeboard: every notice is a line in a new section here.
    board: str = "Partnerships/Noticeboard"
    #: Archive pages searched for notices already posted. Empty: every subpage of the board
    #: (``archive_prefix``, by default the board's title plus ``/``).
    archives: tuple[str, ...] = ()
    archive_prefix: str = ""
    #: Largest number of notices in one section; more are posted by the next run(s).
    max_events_per_section: int = 25
    #: Largest number of sections (edits) one run posts on the board.
    max_sections_per_run: int = 2
    #: Also post date reminders on each partnership page's talk page.
    talk_reminders: bool = False
    #: Largest number of talk pages one run posts on.
    max_talk_pages_per_run: int = 10
    #: Link the partnership's Wikimedia contacts (which notifies them); plain names otherwise.
    ping_contacts: bool = False
    #: "Review due soon" fires this many days before ``next_review``.
    review_days_ahead: int = 14
    #: "Agreement renewal due" fires this many days before ``agreement_renewal``.
    renewal_days_ahead: int = 30
    #: "Report missing" fires this many days after ``end_date`` of a concluded partnership.
    report_due_days: int = 60
    #: A notice not posted within this many days of its event (board closed to the bot, caps) is
    #: dropped and reported instead of being posted late.
    pending_days: int = 30
    #: Talk pages in this category get no reminders (MassMessage's opt-out convention).
    opt_out_category: str = "Opted-out of message delivery"
    #: Message type for ``{{bots|optout=...}}``.
    message_type: str = "partnership"

    @property
    def archive_search_prefix(self) -> str:
        """Return the title prefix of the board's archives."""
        return self.archive_prefix or f"{self.board}/"


def notice_settings_from(data: Mapping[str, Any]) -> NoticeSettings:
    """Return the settings of a decoded ``[notices]`` table (checked like every section)."""
    settings: NoticeSettings = _section(NoticeSettings, dict(data), "notices")
    for name in ("max_events_per_section", "max_sections_per_run", "pending_days"):
        if getattr(settings, name) < 1:
            raise SettingsError(f"[notices] {name}: must be at least 1")
    for name in ("review_days_ahead", "renewal_days_ahead", "report_due_days"):
        if getattr(settings, name) < 0:
            raise SettingsError(f"[notices] {name}: must not be negative")
    if not settings.board.strip():
        raise SettingsError("[notices] board: give the title of the noticeboard page")
    return settings
