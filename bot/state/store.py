"""What the bot remembers between runs, in any SQLAlchemy database (SQLite by default, ToolsDB).

- pages: per infobox page, the last checked revision, its records and findings (JSON, so that an
  unchanged page is never fetched, parsed or assessed again) and the first day on which its
  findings may change with the date;
- outputs: per managed block or bot-owned page, a digest of what the bot last saved and the
  revision it saved, so that a person's edit inside the block is recognised and never overwritten;
- runs: the run log (start, end, outcome, figures), and the record count of successful runs;
- locks: one row per running job, so that two runs never edit at the same time;
- the sync position, the data version and the report's first-seen dates, each behind a typed
  method (the names under which they are kept are private to this module).

Every method raises :class:`StateError` when the database fails; the message never holds the URL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, inspect, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.state.entries import (
    DataVersion,
    RunInfo,
    RunOutcome,
    StateError,
    StoredOutput,
    StoredPage,
    StoredReport,
    SyncPosition,
)
from bot.state.named_values import SCHEMA_KEY, NamedValues
from bot.state.page_rows import PageRows, PageTotals
from bot.state.schema import (
    Base,
    LockRow,
    OutputRow,
    RunRecordCountRow,
    RunRow,
)

__all__ = [
    "SCHEMA_VERSION",
    "DataVersion",
    "PageTotals",
    "RunInfo",
    "RunOutcome",
    "StateError",
    "StateStore",
    "StoredOutput",
    "StoredPage",
    "StoredReport",
    "SyncPosition",
    "process_owner",
]

log = logging.getLogger(__name__)

SCHEMA_VERSION = "3"


@contextlib.contextmanager
def _failing_as(what: str) -> Iterator[None]:
    """Turn any database error into a StateError naming what failed (never the URL)."""
    try:
        yield
    except SQLAlchemyError as error:
        raise StateError(f"state store {what}: {type(error).__name__}") from error


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


#: How a lock names its holder: the process and the host it runs on.
_OWNER = re.compile(r"^pid (\d+) on (\S+)$")


def process_owner() -> str:
    """Return the name under which this process holds locks: its pid and its host."""
    return f"pid {os.getpid()} on {os.uname().nodename}"


def _holder_gone(owner: str) -> bool:
    """Return whether ``owner`` is a process of this host that no longer exists.

    Only processes of this host can be looked at; a holder on another host (another Toolforge
    pod) counts as alive until its lock is stale.
    """
    match = _OWNER.match(owner)
    if match is None or match.group(2) != os.uname().nodename:
        return False
    pid = int(match.group(1))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False


class StateStore(NamedValues, PageRows):
    """The bot's memory. Every method raises :class:`StateError` when the database fails."""

    def __init__(self, url: str) -> None:
        with _failing_as("unusable"):
            self._engine: Engine = create_engine(url, pool_pre_ping=True)
            if url.startswith("sqlite"):
                event.listen(self._engine, "connect", _sqlite_pragmas)
            self._migrate()

    @property
    def engine(self) -> Engine:
        """Return the engine, for the other tables of ``bot.state`` (the notice ledger...)."""
        return self._engine

    def _migrate(self) -> None:
        """Create missing tables; an older store loses its page cache (rebuilt by the next run)."""
        tables = set(inspect(self._engine).get_table_names())
        version = self._meta(SCHEMA_KEY) if "meta" in tables else None
        if version in {"1", "2"}:
            with self._engine.begin() as connection:
                for old in ("pages", "notice_snapshot"):  # caches: rebuilt by the next run
                    if old in tables:
                        connection.exec_driver_sql(f"DROP TABLE {old}")
        elif version is not None and version != SCHEMA_VERSION:
            raise StateError(
                f"state store has schema version {version}, this bot expects {SCHEMA_VERSION}",
                hint="use the bot version that wrote it, or point state_url at a new database",
            )
        Base.metadata.create_all(self._engine)
        if version != SCHEMA_VERSION:
            self._set_meta(SCHEMA_KEY, SCHEMA_VERSION)

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    @contextlib.contextmanager
    def _use(self, what: str, *, write: bool) -> Iterator[Session]:
        """Open a session (a transaction when ``write``); database errors become StateError."""
        with _failing_as(what), Session(self._engine, expire_on_commit=False) as session:
            if write:
                with session.begin():
                    yield session
            else:
                yield session

    # -- outputs --------------------------------------------------------------------------------

    def outputs(self) -> dict[tuple[str, str], StoredOutput]:
        """Return what was last saved, by (page title, block name)."""
        with self._use("unreadable", write=False) as session:
            rows = session.scalars(select(OutputRow)).all()
        return {
            (row.title, row.block): StoredOutput(row.title, row.block, row.digest, row.revid)
            for row in rows
        }

    def save_output(self, output: StoredOutput) -> None:
        """Record what was just saved in one block."""
        with self._use("not writable", write=True) as session:
            session.merge(
                OutputRow(
                    title=output.title, block=output.block, digest=output.digest, revid=output.revid
                )
            )

    # -- runs -----------------------------------------------------------------------------------

    def start_run(self, job: str) -> int:
        """Open a run-log entry and return its id."""
        with self._use("not writable", write=True) as session:
            run = RunRow(job=job, started=_utcnow(), outcome=RunOutcome.RUNNING, summary="{}")
            session.add(run)
            session.flush()
            return run.id

    def finish_run(
        self,
        run_id: int,
        outcome: RunOutcome,
        summary: Mapping[str, Any],
        records: int | None = None,
    ) -> None:
        """Close a run-log entry with its outcome, figures and (if it succeeded) record count."""
        with self._use("not writable", write=True) as session:
            run = session.get(RunRow, run_id)
            if run is None:
                raise StateError(f"run {run_id} is not in the run log")
            run.ended = _utcnow()
            run.outcome = outcome.value
            run.summary = json.dumps(dict(summary), sort_keys=True, default=str)
            if records is not None:
                session.merge(RunRecordCountRow(run_id=run_id, records=records))

    def runs(self, job: str | None = None, limit: int = 20) -> list[RunInfo]:
        """Return the newest runs first."""
        with self._use("unreadable", write=False) as session:
            query = select(RunRow).order_by(RunRow.id.desc()).limit(limit)
            if job is not None:
                query = query.where(RunRow.job == job)
            rows = session.scalars(query).all()
            ids = [row.id for row in rows]
            counts = dict(
                session.execute(
                    select(RunRecordCountRow.run_id, RunRecordCountRow.records).where(
                        RunRecordCountRow.run_id.in_(ids)
                    )
                ).all()
            )
        return [
            RunInfo(
                row.id,
                row.job,
                row.started,
                row.ended,
                RunOutcome(row.outcome),
                json.loads(row.summary),
                counts.get(row.id),
            )
            for row in rows
        ]

    def last_good_record_count(self, job: str) -> int | None:
        """Return the record count of the newest successful run of ``job``."""
        for run in self.runs(job, limit=50):
            if run.outcome is RunOutcome.OK and run.records is not None:
                return run.records
        return None

    # -- locks ----------------------------------------------------------------------------------

    def acquire_lock(
        self,
        name: str,
        owner: str,
        stale_after: dt.timedelta,
    ) -> str | None:
        """Take the lock ``name``; return None, or a description of the run that holds it.

        A lock older than ``stale_after``, or held by a process of this host that no longer
        exists (killed, out of memory), belongs to a run that died; it is taken over, with a
        warning in the log.
        """
        now = _utcnow()
        try:
            with Session(self._engine) as session, session.begin():
                held = session.get(LockRow, name)
                if held is not None:
                    since = f"{held.owner} since {held.acquired:%Y-%m-%d %H:%M:%S} UTC"
                    gone = _holder_gone(held.owner)
                    if now - held.acquired < stale_after and not gone:
                        return since
                    why = "its process is gone" if gone else "it is stale"
                    log.warning("lock %s of %s taken over: %s", name, since, why)
                    session.delete(held)
                    session.flush()
                session.add(LockRow(name=name, owner=owner, acquired=now))
        except IntegrityError:
            return "another run (it took the lock at the same moment)"
        except SQLAlchemyError as error:
            raise StateError(f"state store not writable: {type(error).__name__}") from error
        return None

    def release_lock(self, name: str, owner: str) -> bool:
        """Release the lock ``name`` if ``owner`` holds it; return whether it did."""
        with self._use("not writable", write=True) as session:
            result = session.execute(
                delete(LockRow).where(LockRow.name == name, LockRow.owner == owner)
            )
            return bool(getattr(result, "rowcount", 0))

    def lock_holder(self, name: str) -> str | None:
        """Return who holds the lock ``name`` and since when, or None."""
        with self._use("unreadable", write=False) as session:
            held = session.get(LockRow, name)
            if held is None:
                return None
            return f"{held.owner} since {held.acquired:%Y-%m-%d %H:%M:%S} UTC"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
