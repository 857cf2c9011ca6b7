"""The notice ledger: which notice keys are known to be on which page. A cache of the wiki.

The board, its archives and the talk pages are the truth; the ledger only spares reading them
when every key a run wants to post is already known. A key is recorded when the bot posted it
(with the new revision) or found it on the wiki. When the ledger is empty or lost, the next run
that has something to post reads the wiki and refills it (:meth:`NoticeLedger.record` with
``found=True``), so nothing is posted twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bot.state.schema import exact_string
from bot.state.store import StateError


class LedgerError(StateError):
    """The ledger's database cannot be read or written; post nothing this run."""


class _LedgerBase(DeclarativeBase):
    pass


class _Notice(_LedgerBase):
    __tablename__ = "notice_ledger"
    # 191 + 255 characters keep the primary key within MariaDB's index limit in utf8mb4; the
    # target is a title, and titles differing only in case are different pages.
    key: Mapped[str] = mapped_column(exact_string(191), primary_key=True)
    target: Mapped[str] = mapped_column(exact_string(255), primary_key=True)
    revid: Mapped[int | None]
    found: Mapped[bool]
    recorded: Mapped[dt.datetime]


@contextlib.contextmanager
def _failing_as(what: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as error:
        raise LedgerError(f"notice ledger {what}: {type(error).__name__}") from error


class NoticeLedger:
    """Posted notice keys per target page, in the state database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with _failing_as("unusable"):
            _LedgerBase.metadata.create_all(engine)

    def posted_keys(self, target: str) -> frozenset[str]:
        """Return every key known to be on ``target`` (the board counts its archives)."""
        with _failing_as("unreadable"), Session(self._engine) as session:
            rows = session.scalars(select(_Notice.key).where(_Notice.target == target))
            return frozenset(rows)

    def count(self, target: str | None = None) -> int:
        """Return how many keys are recorded (for ``target``, or in all)."""
        query = select(func.count()).select_from(_Notice)
        if target is not None:
            query = query.where(_Notice.target == target)
        with _failing_as("unreadable"), Session(self._engine) as session:
            return int(session.scalar(query) or 0)

    def record(
        self, keys: Iterable[str], where: str, revid: int | None, *, found: bool = False
    ) -> int:
        """Record ``keys`` as on page ``where`` (posted in ``revid``, or ``found`` there).

        Keys already recorded for ``where`` are left as they are; returns how many were new.
        """
        wanted = sorted(set(keys))
        if not wanted:
            return 0
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with _failing_as("not writable"), Session(self._engine) as session, session.begin():
            known: set[str] = set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                query = select(_Notice.key).where(_Notice.target == where, _Notice.key.in_(chunk))
                known.update(session.scalars(query))
            rows = [
                {"key": key, "target": where, "revid": revid, "found": found, "recorded": now}
                for key in wanted
                if key not in known
            ]
            if rows:
                session.execute(insert(_Notice), rows)
        return len(rows)
