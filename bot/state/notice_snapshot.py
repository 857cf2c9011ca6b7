"""Where the notices job keeps its snapshot between runs: one JSON document in the state database.

Saving replaces the document in one transaction, so a crash leaves either the old or the new
snapshot. A document that cannot be read as a snapshot is reported and treated as lost: the
next run takes a new baseline, and the markers on the wiki keep it from posting twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterator

from sqlalchemy import Engine, String, Text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bot.events.model import Snapshot
from bot.events.snapshot_data import SnapshotFormatError, snapshot_from_data, snapshot_to_data
from bot.state.store import StateError

_NAME = "notices"

log = logging.getLogger(__name__)


class SnapshotStoreError(StateError):
    """The snapshot cannot be read or written; the job must not post."""


class _SnapshotBase(DeclarativeBase):
    pass


class _Document(_SnapshotBase):
    __tablename__ = "notice_snapshot"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Long enough for many thousands of records (LONGTEXT on MariaDB).
    data: Mapped[str] = mapped_column(Text(2**32 - 1))
    saved: Mapped[dt.datetime]
    #: How many events wait to be confirmed on the wiki (read without decoding the document).
    pending: Mapped[int] = mapped_column(default=0)


@contextlib.contextmanager
def _failing_as(what: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as error:
        raise SnapshotStoreError(f"notices snapshot {what}: {type(error).__name__}") from error


class SnapshotTable:
    """Load and save the notices job's snapshot."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with _failing_as("unusable"):
            _SnapshotBase.metadata.create_all(engine)

    def waiting(self) -> int | None:
        """Return how many events wait for the wiki, or None when there is no snapshot yet.

        One small query: a pass with nothing new and nothing waiting need not load the snapshot.
        """
        with _failing_as("unreadable"), Session(self._engine) as session:
            row = session.get(_Document, _NAME)
            return None if row is None else int(row.pending or 0)

    def load(self) -> Snapshot | None:
        """Return the saved snapshot, or None when there is none (or it cannot be read)."""
        with _failing_as("unreadable"), Session(self._engine) as session:
            row = session.get(_Document, _NAME)
            data = row.data if row is not None else None
        if data is None:
            return None
        try:
            return snapshot_from_data(json.loads(data))
        except (ValueError, SnapshotFormatError) as error:
            log.warning("notices snapshot unreadable (%s); taking a new baseline", error)
            return None

    def save(self, snapshot: Snapshot) -> None:
        """Replace the saved snapshot with ``snapshot``, atomically."""
        data = json.dumps(snapshot_to_data(snapshot), ensure_ascii=False, sort_keys=True)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with _failing_as("not writable"), Session(self._engine) as session, session.begin():
            waiting = len(snapshot.pending) + len(snapshot.talk_pending)
            session.merge(_Document(name=_NAME, data=data, saved=now, pending=waiting))

    def forget(self) -> None:
        """Delete the saved snapshot (the next run takes a baseline)."""
        with _failing_as("not writable"), Session(self._engine) as session, session.begin():
            row = session.get(_Document, _NAME)
            if row is not None:
                session.delete(row)
