"""What the notices job compares and produces: record identities, snapshots, events, keys.

A record's identity is its page id and the position of its infobox on the page, so a page move
changes nothing. A snapshot is what the last run saw of every record (its stage, raised flags,
revision, active date reminders) plus the events not yet confirmed on the wiki. An event's key
is built from the record's identity, the kind and what makes the event unique; never from text
a person wrote, so fixing a typo never makes a notice look new.

Key grammar (every part is ``[a-z0-9_.-]``, and ``--`` never occurs, so a key is safe inside an
HTML comment)::

    p<pageid>.<index>/new
    p<pageid>.<index>/stage/<new stage>/r<revision>
    p<pageid>.<index>/concluded/r<revision>
    p<pageid>.<index>/flag/<flag id>/r<revision>
    p<pageid>.<index>/<reminder kind>/<due date YYYY-MM-DD or YYYY-MM>

``r<revision>`` is the last revision of the page the bot saw *before* the change: it is in the
stored snapshot, so every run that derives the change again (after a crash, after more edits)
derives the same key, and a later change of the same kind has a later revision.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.model import PartnershipRecord


@dataclass(frozen=True, order=True)
class RecordId:
    """A record's identity: page id and infobox position (0 for the first infobox)."""

    pageid: int
    index: int

    def token(self) -> str:
        """Return the identity as it starts every key of this record."""
        return f"p{self.pageid}.{self.index}"


class EventKind(StrEnum):
    """What happened to a partnership."""

    NEW = "new"
    STAGE = "stage"
    CONCLUDED = "concluded"
    FLAG = "flag"
    REVIEW_DUE = "review-due"
    REVIEW_OVERDUE = "review-overdue"
    RENEWAL_DUE = "renewal-due"
    NEXT_STEP_STALE = "next-step-stale"
    REPORT_MISSING = "report-missing"

    @property
    def reminder(self) -> bool:
        """Return whether this kind is about a date rather than a change."""
        return self in REMINDER_KINDS


REMINDER_KINDS = frozenset(
    {
        EventKind.REVIEW_DUE,
        EventKind.REVIEW_OVERDUE,
        EventKind.RENEWAL_DUE,
        EventKind.NEXT_STEP_STALE,
        EventKind.REPORT_MISSING,
    }
)
#: Order of kinds within a digest (and among events of the same day when posts are capped).
KIND_ORDER: Mapping[EventKind, int] = {kind: rank for rank, kind in enumerate(EventKind)}

_PART = re.compile(r"[a-z0-9_.]+(?:-[a-z0-9_.]+)*")
KEY_PATTERN = re.compile(r"p[0-9]+\.[0-9]+(?:/[a-z0-9_.]+(?:-[a-z0-9_.]+)*)+")


def event_key(record: RecordId, kind: EventKind, *parts: str) -> str:
    """Return the key of an event; ``parts`` must already be key-safe (ids, dates, ``r123``)."""
    for part in parts:
        if _PART.fullmatch(part) is None:
            raise ValueError(f"not a key part: {part!r}")
    return "/".join((record.token(), kind.value, *parts))


def is_key_part(text: str) -> bool:
    """Return whether ``text`` may be a part of a key (lower-case id without ``--``)."""
    return _PART.fullmatch(text) is not None


@dataclass(frozen=True)
class Event:
    """One thing to tell the community, identified by ``key``.

    ``value`` is the new stage, the flag id or the due date; ``previous`` the stage before a stage
    change. ``title`` and ``name`` are the page title and partnership name when the event was
    derived; the notice shows the current ones when the record still exists.
    """

    key: str
    kind: EventKind
    record: RecordId
    since: dt.date
    value: str = ""
    previous: str = ""
    title: str = ""
    name: str = ""


@dataclass(frozen=True)
class TrackedRecord:
    """A record as the notices job needs it: with its page id and the time of the last edit."""

    record: PartnershipRecord
    pageid: int
    #: Time (UTC) of the page's latest revision; ``None`` when unknown.
    last_edited: dt.datetime | None = None

    @property
    def id(self) -> RecordId:
        """Return the record's identity."""
        return RecordId(self.pageid, self.record.index)

    @property
    def sends_notices(self) -> bool:
        """Return False when the infobox says ``notices=no`` or ``bot=no``."""
        return self.record.notices and self.record.bot


@dataclass(frozen=True)
class RecordState:
    """What a run saw of one record; the next run compares against it."""

    title: str
    #: The last valid stage seen (an invalid or missing value keeps the previous one).
    status: str | None
    #: The revision at which the bot first saw ``status``.
    status_revid: int
    #: Raised warning flags (normalised ids).
    flags: frozenset[str]
    #: The page revision seen.
    revid: int
    last_edited: dt.datetime | None
    report: str
    #: Keys of the date reminders that were due at that run.
    reminders: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Snapshot:
    """Everything the notices job remembers between runs."""

    taken: dt.date
    records: Mapping[RecordId, RecordState] = field(default_factory=dict)
    #: Events derived but not yet confirmed on the noticeboard, oldest first.
    pending: tuple[Event, ...] = ()
    #: Reminders not yet confirmed on their partnership's talk page (when talk reminders are on).
    talk_pending: tuple[Event, ...] = ()

    def without(self, keys: Collection[str]) -> Snapshot:
        """Return this snapshot with the events of ``keys`` no longer pending on the board."""
        kept = tuple(event for event in self.pending if event.key not in keys)
        return replace(self, pending=kept)

    def without_talk(self, keys: Collection[str]) -> Snapshot:
        """Return this snapshot with the reminders of ``keys`` no longer pending on talk pages."""
        kept = tuple(event for event in self.talk_pending if event.key not in keys)
        return replace(self, talk_pending=kept)
