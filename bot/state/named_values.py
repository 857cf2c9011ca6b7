"""The state store's small named values: the sync position, the data version, the report's
first-seen dates and figures. Only this module knows the names under which they are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Mapping

from sqlalchemy.orm import Session

from bot.state.entries import DataVersion, StoredReport, SyncPosition
from bot.state.schema import MetaRow

#: Where the store keeps the version of its schema.
SCHEMA_KEY = "schema_version"
_RC_ID = "rc_last_id"
_RC_TIMESTAMP = "rc_last_timestamp"
_LAST_FULL = "last_full_scan"
_DATA_DIGEST = "data_digest"
_DATA_CHANGED = "data_changed_at"
_REPORT_SINCE = "report_since"
_LAST_REPORT = "last_report"


class NamedValues:
    """Typed access to the ``meta`` table, mixed into :class:`bot.state.store.StateStore`."""

    def _use(self, what: str, *, write: bool) -> contextlib.AbstractContextManager[Session]:
        raise NotImplementedError  # the store opens the sessions

    def _meta(self, key: str) -> str | None:
        with self._use("unreadable", write=False) as session:
            row = session.get(MetaRow, key)
            return row.value if row else None

    def _set_meta(self, key: str, value: str) -> None:
        with self._use("not writable", write=True) as session:
            session.merge(MetaRow(key=key, value=value))

    def sync_position(self) -> SyncPosition | None:
        """Return where the last good run left recent changes (None before the first)."""
        timestamp = self._meta(_RC_TIMESTAMP)
        if timestamp is None:
            return None
        last_full = self._meta(_LAST_FULL)
        return SyncPosition(
            int(self._meta(_RC_ID) or 0),
            timestamp,
            dt.datetime.fromisoformat(last_full) if last_full else None,
        )

    def set_sync_position(self, rc_id: int, rc_timestamp: str, full_at: dt.datetime | None) -> None:
        """Record the recent-changes position (and the time of a full listing, if one was made)."""
        with self._use("not writable", write=True) as session:
            session.merge(MetaRow(key=_RC_ID, value=str(rc_id)))
            session.merge(MetaRow(key=_RC_TIMESTAMP, value=rc_timestamp))
            if full_at is not None:
                naive = full_at.astimezone(dt.UTC).replace(tzinfo=None)
                session.merge(MetaRow(key=_LAST_FULL, value=naive.isoformat()))

    def data_version(self) -> DataVersion | None:
        """Return the digest of what the tables last showed and when it changed."""
        digest, changed = self._meta(_DATA_DIGEST), self._meta(_DATA_CHANGED)
        if digest is None or changed is None:
            return None
        return DataVersion(digest, dt.datetime.fromisoformat(changed))

    def set_data_version(self, version: DataVersion) -> None:
        """Record a new data version."""
        with self._use("not writable", write=True) as session:
            session.merge(MetaRow(key=_DATA_DIGEST, value=version.digest))
            session.merge(MetaRow(key=_DATA_CHANGED, value=version.changed_at.isoformat()))

    def report_since(self) -> dict[str, dt.date]:
        """Return, per problem key of the bot's report, the day it was first reported."""
        raw: dict[str, str] = json.loads(self._meta(_REPORT_SINCE) or "{}")
        return {key: dt.date.fromisoformat(day) for key, day in raw.items()}

    def set_report_since(self, since: Mapping[str, dt.date]) -> None:
        """Record the problems on the report now (others are forgotten)."""
        value = json.dumps({key: day.isoformat() for key, day in since.items()}, sort_keys=True)
        self._set_meta(_REPORT_SINCE, value)

    def last_report(self) -> StoredReport | None:
        """Return the figures and problems of the report as last rendered (None before)."""
        raw = self._meta(_LAST_REPORT)
        if raw is None:
            return None
        data = json.loads(raw)
        figures = {str(name): int(value) for name, value in data["figures"].items()}
        return StoredReport(figures, str(data["problems"]))

    def set_last_report(self, report: StoredReport) -> None:
        """Record the figures and problems of a run that rendered every output."""
        value = {"figures": dict(report.figures), "problems": report.problems}
        self._set_meta(_LAST_REPORT, json.dumps(value, sort_keys=True, ensure_ascii=False))
