"""The ``stats`` job: collect the usage figures now (or read the stored ones) and export them.

``partnerbot stats`` takes the run lock (a collection writes the usage page), runs a collection
(:func:`bot.run.usage.run_usage`), and returns the figures as the list ``--json`` prints
(:func:`bot.render.usage_exports.stats_json`). With a CSV path it writes the CSV file and, next
to it, the same rows as a Commons tabular data file (``NAME.tab``: the JSON to paste into a
``Data:NAME.tab`` page on Commons).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.i18n_files import load_messages
from bot.io.usage_sources import Month
from bot.progress import Progress
from bot.render.usage_exports import stats_csv, stats_json, stats_rows, stats_tab
from bot.run.connect import JobError, connect
from bot.run.once import STALE_LOCK
from bot.run.report import JOB
from bot.run.usage import UsageSummary, run_usage
from bot.run.usage_outputs import window_for
from bot.settings import Settings
from bot.state.store import StateStore
from bot.state.usage_store import UsageStore


@dataclass(frozen=True)
class StatsResult:
    """The figures, where they were written, and the collection's summary (if one ran)."""

    stats: list[dict[str, Any]]
    files: tuple[str, ...]
    summary: UsageSummary | None


def tab_path(csv_path: Path) -> Path:
    """Return where the tabular data file goes: next to the CSV, ``NAME.tab``."""
    return csv_path.with_suffix(".tab")


def usage_stats(
    settings: Settings,
    *,
    today: dt.date,
    now: dt.datetime,
    collect: bool = True,
    csv_path: Path | None = None,
    progress: Progress | None = None,
) -> StatsResult:
    """Collect (unless ``collect`` is False), then return and export the stored figures."""
    if not settings.usage.enabled:
        raise JobError(
            "usage statistics are off in the settings",
            hint="set [usage] enabled = true and its sources (config/meta.toml has an example)",
        )
    store = StateStore(settings.run.state_url)
    summary = None
    try:
        if collect:
            summary = _collect(settings, store, today=today, now=now, progress=progress)
        usage_store = UsageStore(store.engine)
        subjects = usage_store.subjects()
        histories = usage_store.histories()
    finally:
        store.close()
    _last, window = window_for(today, settings.usage.history_months)
    result = stats_json(subjects, histories, window)
    written: list[str] = []
    if csv_path is not None:
        messages = load_messages("en")
        months = [*window, Month.of(today)]
        rows = stats_rows(
            subjects, histories, months, messages.text("partnerbot-usage-totals-label")
        )
        csv_path.write_text(stats_csv(rows), encoding="utf-8")
        sources = f"partnerbot stats; {settings.usage.page}"
        tab = tab_path(csv_path)
        tab.write_text(
            stats_tab(rows, messages.text("partnerbot-usage-tab-description"), sources),
            encoding="utf-8",
        )
        written = [str(csv_path), str(tab)]
    return StatsResult(result, tuple(written), summary)


def _collect(
    settings: Settings,
    store: StateStore,
    *,
    today: dt.date,
    now: dt.datetime,
    progress: Progress | None,
) -> UsageSummary:
    owner = f"pid {os.getpid()} on {os.uname().nodename} (stats)"
    holder = store.acquire_lock(JOB, owner, STALE_LOCK)
    if holder is not None:
        raise JobError(
            f"another run holds the lock ({holder})", hint="wait for it to end, then run again"
        )
    try:
        gateway = connect(settings)
        return run_usage(settings, store, gateway, today=today, now=now, progress=progress)
    finally:
        store.release_lock(JOB, owner)
