"""What the state store keeps, as typed values: pages checked, outputs saved, runs, positions.

Every method of :class:`bot.state.store.StateStore` takes and returns these, never rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.errors import PartnerbotError


class StateError(PartnerbotError):
    """The state store cannot be read or written; the run must stop before editing."""

    hint = "check the [run] state_url setting and that the database is reachable and writable"


class RunOutcome(StrEnum):
    """How a run ended, as kept in the run log and printed in its summary."""

    RUNNING = "running"
    OK = "ok"
    DISABLED = "disabled"
    SKIPPED = "skipped"
    BREAKER = "breaker"
    FAILED = "failed"


@dataclass(frozen=True)
class StoredPage:
    """An infobox page as the bot last checked it (its records and findings are kept apart)."""

    title: str
    pageid: int | None
    revid: int
    digest: str
    records: int
    #: The first day on which its findings may change with the date alone (None: never).
    boundary: dt.date | None = None
    #: True when the current revision could not be read and the last readable one is kept.
    kept: bool = False
    #: When the checked revision was saved (ISO 8601, UTC), when known.
    edited: str | None = None


@dataclass(frozen=True)
class StoredOutput:
    """What the bot last saved in one managed block (or bot-owned page)."""

    title: str
    block: str
    digest: str
    revid: int | None


@dataclass(frozen=True)
class StoredReport:
    """The bot's report as last rendered: its figures, and its problems part (wikitext).

    A run with nothing to render refreshes the report's health line from it, once a day.
    """

    figures: Mapping[str, int]
    problems: str


@dataclass(frozen=True)
class SyncPosition:
    """Where the last run left recent changes, and when the last full listing was."""

    rc_id: int
    rc_timestamp: str
    last_full: dt.datetime | None


@dataclass(frozen=True)
class DataVersion:
    """A digest of everything the tables show, and when it last changed."""

    digest: str
    changed_at: dt.datetime


@dataclass(frozen=True)
class RunInfo:
    """One run from the run log."""

    id: int
    job: str
    started: dt.datetime
    ended: dt.datetime | None
    outcome: RunOutcome
    summary: Mapping[str, Any]
    records: int | None
