"""The jobs of ``partnerbot serve``: what runs, how often, and why that often.

A declarative registry read by :mod:`bot.run.serve`. Each entry names its function by reference
(``module:function``, called with the settings and returning a summary with ``outcome`` and
``line()``), the ``[serve]`` setting that holds its interval in minutes, and why that interval
is the default. Every job takes the same pass lock as the one-shot commands
(:data:`bot.run.once.PASS_LOCK`), so ``serve`` and a manual ``run-once`` never pass together.

An entry whose function is not in this version of the bot is left out of the schedule with a
warning (``pending``); point ``target`` at the function when it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import ServeSettings


@dataclass(frozen=True)
class ScheduledJob:
    """One job of the continuous mode."""

    #: The job's id in the job store, the log and the health file.
    id: str
    #: ``module:function`` taking :class:`bot.settings.Settings`.
    target: str
    #: The field of :class:`bot.settings.ServeSettings` holding the interval in minutes.
    interval_setting: str
    #: Whether the first start of ``serve`` runs the job at once (else after one interval).
    runs_at_start: bool = True
    #: Set while the function is not in this version: the job is left out, with a warning.
    pending: bool = False

    def minutes(self, serve: ServeSettings) -> float:
        """Return the configured interval in minutes (0: the job is left out)."""
        return float(getattr(serve, self.interval_setting))


JOBS: tuple[ScheduledJob, ...] = (
    # Hourly (check_minutes = 60): a pass that finds nothing changed costs three API requests
    # (run page, template redirects, recent changes), so editors see their infobox's findings
    # and the tables within the hour of an edit at almost no cost to the wiki; more often gains
    # little for pages edited a few times a month, and stays far from the bot policy's limits.
    ScheduledJob("check-and-report", "bot.run.scheduled:check_and_report", "check_minutes"),
    # Hourly (notices_minutes = 60): a notice reaches the noticeboard within the hour of the
    # change that caused it; the caps per run ([notices] max_sections_per_run) spread a burst
    # over the following hours instead of flooding the board.
    ScheduledJob("notices", "bot.run.scheduled:post_notices", "notices_minutes"),
    # Daily (usage_minutes = 1440): page views are published per day and Commons Impact Metrics
    # per month, so a second collection on the same day finds nothing new; the function itself
    # skips the work when nothing is due (``run_usage_if_due``).
    ScheduledJob(
        "usage", "bot.run.usage:run_usage_if_due", "usage_minutes", runs_at_start=True, pending=True
    ),
    # Daily (full_relisting_minutes = 1440): the hourly passes follow recent changes, which do
    # not show a page that starts or stops using the infobox through an edit to another template
    # or a (un)deletion; one full listing a day catches those. Not at the first start: the first
    # check-and-report pass is a full (cold) listing already.
    ScheduledJob(
        "full-relisting",
        "bot.run.scheduled:full_relisting",
        "full_relisting_minutes",
        runs_at_start=False,
    ),
)


def job_by_id(job_id: str) -> ScheduledJob:
    """Return the registry entry ``job_id``; raise KeyError for an unknown one."""
    for job in JOBS:
        if job.id == job_id:
            return job
    raise KeyError(job_id)
