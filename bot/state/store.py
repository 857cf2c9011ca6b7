"""What the bot remembers between runs, in any SQLAlchemy database (SQLite by default).

- ``pages``: per infobox page, the last processed revision, its text and a digest of the records
  and findings it produced; a page at the same revision is never fetched again.
- ``outputs``: per managed block or bot-owned page, a digest of what the bot last saved and the
  revision it saved, so a human edit inside the block is recognised and never overwritten.
- ``runs``: a run log (start, end, outcome, counts).
- ``meta``: small values (recent-changes position, time of the last full scan, data timestamp).
- ``locks``: one row per running job, so two runs never edit at the same time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Engine,
    ForeignKey,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bot.errors import PartnerbotError

SCHEMA_VERSION = "1"


class StateError(PartnerbotError):
    """The state store cannot be read or written; the run must stop before editing."""


class _Base(DeclarativeBase):
    pass


class _Page(_Base):
    __tablename__ = "pages"
    title: Mapped[str] = mapped_column(String(512), primary_key=True)
    pageid: Mapped[int | None]
    revid: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    records: Mapped[int]


class _Output(_Base):
    __tablename__ = "outputs"
    title: Mapped[str] = mapped_column(String(512), primary_key=True)
    block: Mapped[str] = mapped_column(String(128), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    revid: Mapped[int | None]


class _Run(_Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    job: Mapped[str] = mapped_column(String(64))
    started: Mapped[dt.datetime]
    ended: Mapped[dt.datetime | None]
    outcome: Mapped[str] = mapped_column(String(32), default="running")
    summary: Mapped[str] = mapped_column(Text, default="{}")


class _RunRecordCount(_Base):
    __tablename__ = "run_records"
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    records: Mapped[int]


class _Meta(_Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class _Lock(_Base):
    __tablename__ = "locks"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(256))
    acquired: Mapped[dt.datetime]


@dataclass(frozen=True)
class StoredPage:
    """An infobox page as the bot last processed it."""

    title: str
    pageid: int | None
    revid: int
    text: str
    digest: str
    records: int


@dataclass(frozen=True)
class StoredOutput:
    """What the bot last saved in one managed block (or bot-owned page)."""

    title: str
    block: str
    digest: str
    revid: int | None


@dataclass(frozen=True)
class RunInfo:
    """One finished run from the run log."""

    id: int
    job: str
    started: dt.datetime
    ended: dt.datetime | None
    outcome: str
    summary: Mapping[str, Any]
    records: int | None


@contextlib.contextmanager
def _failing_as(what: str) -> Iterator[None]:
    """Turn any database error into a StateError naming what failed (never the URL)."""
    try:
        yield
    except SQLAlchemyError as error:
        raise StateError(f"state store {what}: {type(error).__name__}") from error


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class StateStore:
    """The bot's memory. Every method raises :class:`StateError` when the database fails."""

    def __init__(self, url: str) -> None:
        with _failing_as("unusable"):
            self._engine: Engine = create_engine(url)
            if url.startswith("sqlite"):
                event.listen(self._engine, "connect", _sqlite_pragmas)
            _Base.metadata.create_all(self._engine)
            version = self.get_meta("schema_version")
            if version is None:
                self.set_meta("schema_version", SCHEMA_VERSION)
            elif version != SCHEMA_VERSION:
                raise StateError(
                    f"state store has schema version {version}, this bot expects {SCHEMA_VERSION}"
                )

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def _session(self) -> Session:
        return Session(self._engine, expire_on_commit=False)

    @contextlib.contextmanager
    def _use(self, what: str, *, write: bool) -> Iterator[Session]:
        """Open a session (a transaction when ``write``); database errors become StateError."""
        with _failing_as(what), self._session() as session:
            if write:
                with session.begin():
                    yield session
            else:
                yield session

    # -- meta ---------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """Return the stored value for ``key``."""
        with self._use("unreadable", write=False) as session:
            row = session.get(_Meta, key)
            return row.value if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` for ``key``."""
        with self._use("not writable", write=True) as session:
            session.merge(_Meta(key=key, value=value))

    # -- pages --------------------------------------------------------------------------------

    def pages(self) -> dict[str, StoredPage]:
        """Return every stored infobox page by title."""
        with self._use("unreadable", write=False) as session:
            rows = session.scalars(select(_Page)).all()
        return {
            row.title: StoredPage(
                row.title, row.pageid, row.revid, row.text, row.digest, row.records
            )
            for row in rows
        }

    def page_count(self) -> int:
        """Return how many infobox pages are stored."""
        with self._use("unreadable", write=False) as session:
            return int(session.scalar(select(func.count()).select_from(_Page)) or 0)

    def save_pages(self, pages: Iterable[StoredPage], removed: Iterable[str] = ()) -> None:
        """Store ``pages`` (replacing rows of the same title) and forget ``removed``, atomically."""
        rows = [
            {
                "title": page.title,
                "pageid": page.pageid,
                "revid": page.revid,
                "text": page.text,
                "digest": page.digest,
                "records": page.records,
            }
            for page in pages
        ]
        gone = [*removed, *(row["title"] for row in rows)]
        with self._use("not writable", write=True) as session:
            for start in range(0, len(gone), 500):
                session.execute(delete(_Page).where(_Page.title.in_(gone[start : start + 500])))
            if rows:
                session.execute(insert(_Page), rows)

    # -- outputs ------------------------------------------------------------------------------

    def outputs(self) -> dict[tuple[str, str], StoredOutput]:
        """Return what was last saved, by (page title, block name)."""
        with self._use("unreadable", write=False) as session:
            rows = session.scalars(select(_Output)).all()
        return {
            (row.title, row.block): StoredOutput(row.title, row.block, row.digest, row.revid)
            for row in rows
        }

    def save_output(self, output: StoredOutput) -> None:
        """Record what was just saved in one block."""
        with self._use("not writable", write=True) as session:
            session.merge(
                _Output(
                    title=output.title,
                    block=output.block,
                    digest=output.digest,
                    revid=output.revid,
                )
            )

    # -- runs ---------------------------------------------------------------------------------

    def start_run(self, job: str) -> int:
        """Open a run-log entry and return its id."""
        with self._use("not writable", write=True) as session:
            run = _Run(job=job, started=_utcnow(), outcome="running", summary="{}")
            session.add(run)
            session.flush()
            return run.id

    def finish_run(
        self, run_id: int, outcome: str, summary: Mapping[str, Any], records: int | None = None
    ) -> None:
        """Close a run-log entry with its outcome, counts and (if it succeeded) record count."""
        with self._use("not writable", write=True) as session:
            run = session.get(_Run, run_id)
            if run is None:
                raise StateError(f"run {run_id} is not in the run log")
            run.ended = _utcnow()
            run.outcome = outcome
            run.summary = json.dumps(dict(summary), sort_keys=True, default=str)
            if records is not None:
                session.merge(_RunRecordCount(run_id=run_id, records=records))

    def runs(self, job: str | None = None, limit: int = 20) -> list[RunInfo]:
        """Return the newest runs first."""
        with self._use("unreadable", write=False) as session:
            query = select(_Run).order_by(_Run.id.desc()).limit(limit)
            if job is not None:
                query = query.where(_Run.job == job)
            rows = session.scalars(query).all()
            counts = {row.run_id: row.records for row in session.scalars(select(_RunRecordCount))}
        return [
            RunInfo(
                row.id,
                row.job,
                row.started,
                row.ended,
                row.outcome,
                json.loads(row.summary),
                counts.get(row.id),
            )
            for row in rows
        ]

    def last_good_record_count(self, job: str) -> int | None:
        """Return the record count of the newest successful run of ``job``."""
        for run in self.runs(job, limit=50):
            if run.outcome == "ok" and run.records is not None:
                return run.records
        return None

    # -- locks --------------------------------------------------------------------------------

    def acquire_lock(self, name: str, owner: str, stale_after: dt.timedelta) -> str | None:
        """Take the lock ``name``; return None, or a description of the run that holds it.

        A lock older than ``stale_after`` belongs to a run that died; it is taken over (and the
        caller reports that).
        """
        now = _utcnow()
        try:
            with self._session() as session, session.begin():
                held = session.get(_Lock, name)
                if held is not None:
                    if now - held.acquired < stale_after:
                        return f"{held.owner} since {held.acquired:%Y-%m-%d %H:%M:%S} UTC"
                    session.delete(held)
                    session.flush()
                session.add(_Lock(name=name, owner=owner, acquired=now))
        except IntegrityError:
            return "another run (it took the lock at the same moment)"
        except SQLAlchemyError as error:
            raise StateError(f"state store not writable: {type(error).__name__}") from error
        return None

    def release_lock(self, name: str, owner: str) -> None:
        """Release the lock ``name`` if ``owner`` holds it."""
        with self._use("not writable", write=True) as session:
            session.execute(delete(_Lock).where(_Lock.name == name, _Lock.owner == owner))

    def iter_page_titles(self) -> Iterator[str]:
        """Yield stored page titles in order."""
        yield from sorted(self.pages())


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
