"""The health file of ``partnerbot serve``: when the last job ended, how, and what runs next.

Rewritten whole (a temporary file, then ``os.replace``) after every job and at start and stop, so
a reader never sees half a file. A watchdog, ``partnerbot status`` or a person reads it; its age
says whether the bot is alive. All times are UTC.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def utc_text(moment: dt.datetime | None) -> str | None:
    """Return ``moment`` as ISO 8601 UTC with a Z (None stays None)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class HealthFile:
    """The JSON file; the process keeps the last report of each job and rewrites it whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, Any] = {"state": "starting", "pid": os.getpid(), "jobs": {}}
        previous = read_health(path)
        if isinstance(previous, dict) and isinstance(previous.get("jobs"), dict):
            self._data["jobs"] = previous["jobs"]

    def update(
        self,
        *,
        state: str | None = None,
        report: Mapping[str, object] | None = None,
        next_runs: Mapping[str, dt.datetime | None] | None = None,
        **extra: object,
    ) -> None:
        """Record a new state and/or a job's report, then rewrite the file."""
        now = dt.datetime.now(dt.UTC)
        if state is not None:
            self._data["state"] = state
        if report is not None:
            self._data["last"] = dict(report)
            self._data["jobs"][str(report["job"])] = dict(report)
        if next_runs is not None:
            self._data["next"] = {job: utc_text(moment) for job, moment in next_runs.items()}
        self._data.update(extra)
        self._data["updated"] = utc_text(now)
        self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self._data, indent=1, sort_keys=True, default=str)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".health-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def read_health(path: Path) -> dict[str, Any] | None:
    """Return the health file's content, or None when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
