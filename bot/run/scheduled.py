"""What one scheduled job does when ``partnerbot serve`` runs it, and the job functions it calls.

APScheduler keeps each job in the state database as a call of :func:`run_scheduled` with the
job's id, the settings file and the simulate flag: the settings are read afresh for every run,
and the registry (:mod:`bot.schedule`) says which function the id stands for. A job never raises:
a failure becomes a :class:`JobReport` with outcome ``failed`` and the one-line message a person
would see on the command line (the traceback is logged at DEBUG), and the job runs again at its
next time.

:data:`ACTIVITY` is this process's view of the running job, for a bounded stop on SIGTERM.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from bot.console import failure_line
from bot.schedule import job_by_id
from bot.settings import Settings, load_settings

log = logging.getLogger(__name__)


class JobSummary(Protocol):
    """What every job function returns: how it ended and its one line of figures."""

    @property
    def outcome(self) -> str: ...

    def line(self) -> str:
        """Return the job's figures in one line."""
        ...


@dataclass(frozen=True)
class JobReport:
    """How one scheduled run ended: for the log line and the health file."""

    job: str
    outcome: str
    line: str
    seconds: float
    ended: dt.datetime

    def as_json(self) -> dict[str, object]:
        """Return the report as plain data."""
        return {
            "job": self.job,
            "outcome": self.outcome,
            "line": self.line,
            "seconds": round(self.seconds, 1),
            "ended": self.ended.isoformat().replace("+00:00", "Z"),
        }


class JobActivity:
    """Which job this process is running, and whether it is stopping (no new job starts)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._current: str | None = None
        self._stopping = False

    @property
    def stopping(self) -> bool:
        """Return whether a stop was asked for."""
        with self._condition:
            return self._stopping

    @property
    def current(self) -> str | None:
        """Return the id of the running job, if any."""
        with self._condition:
            return self._current

    @contextmanager
    def running(self, job_id: str) -> Iterator[None]:
        """Mark ``job_id`` as running for the duration of the block."""
        with self._condition:
            self._current = job_id
        try:
            yield
        finally:
            with self._condition:
                self._current = None
                self._condition.notify_all()

    def stop(self, timeout: float) -> str | None:
        """Start no new job; wait up to ``timeout`` s for the running one; return it if it runs."""
        with self._condition:
            self._stopping = True
            self._condition.wait_for(lambda: self._current is None, timeout=timeout)
            return self._current

    def reset(self) -> None:
        """Allow jobs to start again (a new ``serve`` in the same process)."""
        with self._condition:
            self._stopping = False


#: This process's running job.
ACTIVITY = JobActivity()


def resolve(target: str) -> Callable[[Settings], JobSummary]:
    """Return the function ``module:function``; raise LookupError when it is not there."""
    module_name, _, name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        raise LookupError(f"{target}: no module {module_name}") from error
    function = getattr(module, name, None)
    if not callable(function):
        raise LookupError(f"{target}: no function {name}")
    return function  # type: ignore[no-any-return]


def run_scheduled(job_id: str, config: str, simulate: bool) -> JobReport | None:
    """Run the job ``job_id`` once with the settings in ``config``; never raise.

    Returns None, without running, once the process is stopping.
    """
    started = time.monotonic()
    if ACTIVITY.stopping:
        return None
    with ACTIVITY.running(job_id):
        settings: Settings | None = None
        try:
            settings = load_settings(Path(config) if config else None)
            if simulate:
                settings = replace(settings, simulate=True)
            function = resolve(job_by_id(job_id).target)
            summary = function(settings)
            return _report(job_id, str(summary.outcome), summary.line(), started)
        except Exception as error:  # a job failure is reported, never raised
            log.debug("job %s failed", job_id, exc_info=True)
            line = failure_line(error, settings, verbose=False).removeprefix("partnerbot: ")
            return _report(job_id, "failed", line, started)


def _report(job_id: str, outcome: str, line: str, started: float) -> JobReport:
    ended = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return JobReport(job_id, outcome, line, time.monotonic() - started, ended)


# -- the job functions named in bot.schedule ------------------------------------------------


def check_and_report(settings: Settings) -> JobSummary:
    """Run one pass of check and report (recent changes, or a full listing when due)."""
    from bot.run.once import run_once  # noqa: PLC0415 - pywikibot is imported on first use

    return run_once(settings, notices=False)  # the notices job posts them


def full_relisting(settings: Settings) -> JobSummary:
    """Run one pass of check and report that lists every infobox page."""
    from bot.run.once import run_once  # noqa: PLC0415

    return run_once(settings, full=True)


def post_notices(settings: Settings) -> JobSummary:
    """Run the notices job once, as ``partnerbot notify`` does (it takes the pass lock itself)."""
    from bot.run.notify import NotifySummary  # noqa: PLC0415
    from bot.run.notify_job import notify_command  # noqa: PLC0415

    result = notify_command(settings, dt.datetime.now(dt.UTC).date())
    return result if isinstance(result, NotifySummary) else result.summary
