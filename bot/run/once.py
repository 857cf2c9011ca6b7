"""The ``run-once`` job: one locked, logged pass of check and report.

The run lock (in the state store) keeps two runs from editing at the same time; the run log keeps
every run's outcome and figures, and the record count of good runs for the circuit breaker. An
error that stops the run (the wiki, the store, the settings) is logged as a failed run and raised
for the command line to report; no run ends without its log entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
from dataclasses import replace
from pathlib import Path

from bot.i18n_files import I18N_DIR
from bot.resources import load_checklist
from bot.run.connect import connect
from bot.run.pass_context import PassContext
from bot.run.report import JOB, check_and_report
from bot.run.summary import RunSummary
from bot.run.usage import run_usage_if_due
from bot.settings import Settings
from bot.state.store import RunOutcome, StateStore

log = logging.getLogger(__name__)

#: The one lock every pass takes (run-once, notify, usage, and each job of ``serve``), so that
#: two passes never run at the same time, whoever started them.
PASS_LOCK = "pass"  # noqa: S105 - a pass of the bot, not a password
#: A lock older than this belongs to a run that died.
STALE_LOCK = dt.timedelta(hours=2)


def lock_owner() -> str:
    """Return how this process names itself as a lock's holder."""
    return f"pid {os.getpid()} on {os.uname().nodename}"


#: The code and texts that make the outputs: a new version of either renders them again.
RENDERING_SOURCES = (
    Path(__file__).resolve().parent.parent / "render",
    I18N_DIR,
)


def inputs_digest(settings: Settings) -> str:
    """Return a digest of everything besides the records that changes what the outputs show.

    That is the checklist file, the settings that name or word the outputs, the renderers and
    the message bundles: after an upgrade, the next run renders every output again.
    """
    digest = hashlib.sha256(settings.checklist_path.read_bytes())
    shown = (settings.outputs, settings.template, settings.run.edit_summary, settings.wiki.language)
    digest.update(repr(shown).encode())
    for folder in RENDERING_SOURCES:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".json"}:
                digest.update(f"{path.relative_to(folder)}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def run_once(
    settings: Settings,
    *,
    today: dt.date | None = None,
    full: bool = False,
    accept_drop: bool = False,
    now: dt.datetime | None = None,
    notices: bool = True,
) -> RunSummary:
    """Run one pass: sync pages, check them, write tables and findings, record state."""
    started = time.monotonic()
    now = now or dt.datetime.now(dt.UTC)
    today = today or now.date()
    store = StateStore(settings.run.state_url)
    owner = lock_owner()
    try:
        holder = store.acquire_lock(PASS_LOCK, owner, STALE_LOCK)
        if holder is not None:
            summary = RunSummary(
                outcome=RunOutcome.SKIPPED, reason=f"another run holds the lock ({holder})"
            )
            log.info("%s", summary.line())
            return summary
        try:
            summary = _logged_pass(
                store,
                settings,
                today=today,
                now=now,
                full=full,
                accept_drop=accept_drop,
                notices=notices,
                started=started,
            )
        finally:
            store.release_lock(PASS_LOCK, owner)
    finally:
        store.close()
    log.info("%s", summary.line())
    return summary


def _logged_pass(
    store: StateStore,
    settings: Settings,
    *,
    today: dt.date,
    now: dt.datetime,
    full: bool,
    accept_drop: bool,
    notices: bool,
    started: float,
) -> RunSummary:
    run_id = store.start_run(JOB)
    requests = 0
    summary = RunSummary(outcome=RunOutcome.FAILED)
    try:
        checklist = load_checklist(settings.checklist_path)
        gateway = connect(settings)
        context = PassContext(
            settings,
            store,
            gateway,
            checklist,
            inputs_digest(settings),
            today,
            now,
            full,
            accept_drop,
            notices,
        )
        try:
            summary = check_and_report(context)
            run_usage_if_due(context)
        finally:
            requests = gateway.counter.total
    except Exception as error:  # logged as a failed run (never the breaker's baseline), raised
        summary = replace(summary, reason=f"{type(error).__name__}: {error}")
        raise
    finally:
        summary = replace(summary, seconds=time.monotonic() - started, requests=requests)
        good = summary.outcome is RunOutcome.OK and not settings.simulate
        store.finish_run(
            run_id, summary.outcome, summary.as_json(), summary.records if good else None
        )
    return summary
