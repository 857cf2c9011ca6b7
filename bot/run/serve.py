"""``partnerbot serve``: run the jobs of :mod:`bot.schedule` until SIGTERM, for a continuous job.

- APScheduler 3 keeps the schedule in the state database (``scheduler_jobs``), so a restart
  knows when each job last ran: runs missed while the bot was down are coalesced into one
  (within the misfire grace time), and a restart never runs a job twice in a row.
- One worker thread: jobs never overlap in this process, and each job takes the pass lock
  (:data:`bot.run.once.PASS_LOCK`), so they never overlap with a manual ``run-once`` either.
- A job that fails is logged on one line and runs again at its next time: never in a loop.
- After every job the health file says when it ended and how (:mod:`bot.run.health`).
- SIGTERM (or Ctrl-C): no new job starts; the running one may finish within
  ``[serve] stop_seconds``; then the process exits 0. A job still running then is abandoned:
  its lock is released (nothing of it survives the process) and the process exits 1, as for any
  run that could not finish; the next pass converges.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import signal
import threading
from pathlib import Path
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    JobEvent,
    JobExecutionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.run.health import HealthFile, utc_text
from bot.run.once import PASS_LOCK
from bot.run.scheduled import ACTIVITY, JobReport, resolve, run_scheduled
from bot.schedule import JOBS, ScheduledJob
from bot.settings import Settings
from bot.state.store import StateStore, process_owner

log = logging.getLogger("partnerbot.serve")

#: The table of the schedule in the state database.
JOBS_TABLE = "scheduler_jobs"
EXIT_OK = 0
EXIT_ABANDONED = 1


class Serve:
    """One ``serve`` process: the scheduler, its health file and its stop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.config = str(settings.source or "")
        self.health = HealthFile(Path(settings.serve.health_file))
        self.store = StateStore(settings.run.state_url)
        self.stop_requested = threading.Event()
        #: Each scheduled job's interval and last known next run time.
        self._intervals: dict[str, dt.timedelta] = {}
        self._next: dict[str, dt.datetime | None] = {}
        #: Runs that were due while the bot was down, per job, until the job has run.
        self.coalesced: dict[str, int] = {}
        self.scheduler = BackgroundScheduler(
            jobstores={
                "default": SQLAlchemyJobStore(engine=self.store.engine, tablename=JOBS_TABLE)
            },
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=dt.UTC,
            jobstore_retry_interval=30,
        )
        self.scheduler.add_listener(self._on_job, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        self.scheduler.add_listener(self._on_missed, EVENT_JOB_MISSED)

    # -- start ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the schedule, reconcile it with the registry and start running jobs."""
        ACTIVITY.reset()
        if self.store.release_lock(PASS_LOCK, process_owner()):
            log.warning("released the pass lock an earlier process with this pid left behind")
        self.scheduler.start(paused=True)
        now = dt.datetime.now(dt.UTC)
        for job in JOBS:
            self._reconcile(job, now)
        known = {job.id for job in JOBS}
        for stored in self.scheduler.get_jobs():
            if stored.id not in known:
                log.info("%s: no longer in the schedule, removed", stored.id)
                self.scheduler.remove_job(stored.id)
        self._next = self.next_runs()
        self.health.update(state="running", pid=os.getpid(), next_runs=self._next)
        self.scheduler.resume()
        log.info("serving %d job(s); health file %s", len(self._next), self.health.path)

    def _reconcile(self, job: ScheduledJob, now: dt.datetime) -> None:
        """Add, keep, update or remove one registry entry's job in the stored schedule."""
        minutes = job.minutes(self.settings.serve)
        stored = self.scheduler.get_job(job.id)
        if minutes > 0:
            try:
                resolve(job.target)
            except LookupError as error:
                level = logging.WARNING if job.pending else logging.ERROR
                log.log(level, "%s: left out of the schedule: %s", job.id, error)
                minutes = 0
        if minutes <= 0:
            if stored is not None:
                self.scheduler.remove_job(job.id)
            return
        interval = dt.timedelta(minutes=minutes)
        self._intervals[job.id] = interval
        grace_minutes = self.settings.serve.misfire_grace_minutes or minutes
        options: dict[str, Any] = {
            "args": (job.id, self.config, self.settings.simulate),
            "misfire_grace_time": max(1, math.ceil(grace_minutes * 60)),
            "coalesce": True,
            "max_instances": 1,
            "name": job.id,
        }
        trigger = IntervalTrigger(seconds=interval.total_seconds(), timezone=dt.UTC)
        if stored is None:
            first = now if job.runs_at_start else now + interval
            self.scheduler.add_job(
                run_scheduled, trigger, id=job.id, next_run_time=first, **options
            )
            log.info("%s: every %g min, first run %s", job.id, minutes, utc_text(first))
            return
        if stored.trigger.interval != interval:
            log.info("%s: interval changed to %g min", job.id, minutes)
            self.scheduler.reschedule_job(job.id, trigger=trigger)
            stored = self.scheduler.get_job(job.id)
        self.scheduler.modify_job(job.id, func=run_scheduled, **options)
        due = stored.next_run_time
        if due is not None and due <= now:
            missed = math.floor((now - due) / interval) + 1
            self.coalesced[job.id] = missed
            log.info(
                "%s: %d run(s) were due while the bot was down; they run once now", job.id, missed
            )

    def next_runs(self) -> dict[str, dt.datetime | None]:
        """Return each scheduled job's next run time (asks the scheduler: main thread only)."""
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs()}

    def _next_after(self, job_id: str, scheduled: dt.datetime) -> dt.datetime | None:
        """Return the job's next run time on its interval grid, without asking the scheduler."""
        interval = self._intervals.get(job_id)
        if interval is None:
            return None
        now = dt.datetime.now(dt.UTC)
        steps = max(1, math.floor((now - scheduled) / interval) + 1)
        return scheduled + steps * interval

    # -- events ---------------------------------------------------------------------------------

    def _on_job(self, event: JobExecutionEvent) -> None:
        """Log the job's one line and rewrite the health file.

        Runs in the worker thread; it must not call the scheduler, whose shutdown holds the
        job store's lock while it waits for this thread.
        """
        report = event.retval
        if event.exception is None and report is None:
            return  # not run: the process is stopping
        if not isinstance(report, JobReport):  # run_scheduled never raises; this is a bug
            now = dt.datetime.now(dt.UTC).replace(microsecond=0)
            report = JobReport(event.job_id, "failed", repr(event.exception), 0.0, now)
        data = report.as_json()
        coalesced = self.coalesced.pop(report.job, 0)
        if coalesced:
            data["coalesced"] = coalesced
        self._next[report.job] = self._next_after(report.job, event.scheduled_run_time)
        next_runs = dict(self._next)
        level = logging.ERROR if report.outcome in {"failed", "breaker"} else logging.INFO
        log.log(
            level,
            "%s %s in %.1f s%s, next %s: %s",
            report.job,
            report.outcome,
            report.seconds,
            f" ({coalesced} due runs as one)" if coalesced else "",
            utc_text(next_runs.get(report.job)) or "-",
            report.line,
        )
        self.health.update(report=data, next_runs=next_runs)

    def _on_missed(self, event: JobEvent) -> None:
        self.coalesced.pop(event.job_id, None)
        log.warning(
            "%s: the run due at %s was missed (later than the misfire grace time)",
            event.job_id,
            utc_text(event.scheduled_run_time),
        )

    # -- stop -----------------------------------------------------------------------------------

    def stop(self) -> int:
        """Stop: no new job, the running one gets ``stop_seconds``; return the exit status."""
        bound = self.settings.serve.stop_seconds
        self.scheduler.pause()
        running = ACTIVITY.stop(bound)
        if running is not None:
            log.error(
                "%s still running %g s after the stop signal: abandoned; the next pass "
                "finishes its work",
                running,
                bound,
            )
            self.store.release_lock(PASS_LOCK, process_owner())
            self.health.update(state="stopped", abandoned=running)
            return EXIT_ABANDONED
        self.scheduler.shutdown(wait=True)
        self.health.update(state="stopped", next_runs={})
        self.store.close()
        log.info("stopped")
        return EXIT_OK


def serve(settings: Settings) -> int:
    """Run the schedule until SIGTERM or SIGINT; return the exit status."""
    runner = Serve(settings)

    def request_stop(signum: int, _frame: object) -> None:
        log.info("%s received: stopping", signal.Signals(signum).name)
        runner.stop_requested.set()

    previous = {
        number: signal.signal(number, request_stop) for number in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        runner.start()
        while not runner.stop_requested.wait(1.0):
            pass
        status = runner.stop()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if status == EXIT_ABANDONED:
        logging.shutdown()
        os._exit(status)  # the abandoned job's thread must not go on without its lock
    return status
