"""``partnerbot serve`` in a process of its own against the real local wiki, with short intervals.

The scheduler runs the same jobs as the one-shot commands: the wiki must look as ``run-once``
leaves it. Then the operations faults of RELIABILITY.md H1, H3, H4 and H14: SIGTERM during a job
(it finishes within the bound, exit 0), a job longer than the bound (abandoned, exit 1, the next
pass converges), SIGKILL and a restart (nothing lost, missed runs coalesced into one), and a pass
already running elsewhere (the scheduled job stands aside).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy

from bot.devwiki.wiki import DevWiki
from bot.run.health import read_health
from bot.run.jobs import run_once
from bot.run.once import PASS_LOCK, STALE_LOCK
from bot.run.serve import JOBS_TABLE
from bot.settings import Settings, load_settings
from bot.state.store import RunInfo, StateStore, process_owner
from tests.wiki.client import WikiClient
from tests.wiki.test_run_once import (
    BOT,
    infobox,
    seed,
    table_titles,
    write_settings_file,
)
from tests.wiki.test_run_once import (
    settings as settings,  # noqa: PLC0414 - the run page fixture, re-exported for pytest
)

ROOT = Path(__file__).resolve().parents[2]


def wait_for(what: str, predicate: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Poll ``predicate`` until it returns something true; fail naming ``what`` after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class Bot:
    """The settings file of one test and the ``serve`` processes started from it."""

    settings: Settings
    directory: Path
    serve: dict[str, float]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def config(self) -> Path:
        return self.directory / "settings.toml"

    @property
    def health_file(self) -> Path:
        return self.directory / "health.json"

    @property
    def log_file(self) -> Path:
        return self.directory / "serve.log"

    def write(self, **serve: float) -> None:
        self.serve.update(serve)
        write_settings_file(self.settings, self.config)
        lines = ["", "[serve]", 'health_file = "health.json"']
        lines += [f"{key} = {value!r}" for key, value in self.serve.items()]
        with self.config.open("a", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")
        assert load_settings(self.config).serve.health_file == str(self.health_file)

    def start(self) -> subprocess.Popen[bytes]:
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "--config", str(self.config), "serve"],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8") if self.log_file.exists() else ""

    def health(self) -> dict[str, Any]:
        return read_health(self.health_file) or {}

    def job(self, job_id: str) -> dict[str, Any]:
        return dict(self.health().get("jobs", {}).get(job_id, {}))

    def runs(self) -> list[RunInfo]:
        store = StateStore(self.settings.run.state_url)
        try:
            return store.runs("run-once", limit=100)
        finally:
            store.close()

    def stored_next_run(self, job_id: str) -> dt.datetime:
        """Return the next run time the schedule in the state database holds for ``job_id``."""
        engine = sqlalchemy.create_engine(self.settings.run.state_url)
        try:
            with engine.connect() as connection:
                value = connection.execute(
                    sqlalchemy.text(f"SELECT next_run_time FROM {JOBS_TABLE} WHERE id = :id"),  # noqa: S608 - a constant
                    {"id": job_id},
                ).scalar_one()
        finally:
            engine.dispose()
        return dt.datetime.fromtimestamp(float(value), dt.UTC)

    def lock_holder(self) -> str | None:
        store = StateStore(self.settings.run.state_url)
        try:
            return store.lock_holder(PASS_LOCK)
        finally:
            store.close()

    def holds_lock(self, process: subprocess.Popen[bytes]) -> bool:
        holder = self.lock_holder()
        return holder is not None and holder.startswith(f"pid {process.pid} on ")


@pytest.fixture
def bot(settings: Settings, tmp_path: Path) -> Iterator[Bot]:
    instance = Bot(settings, tmp_path, {"stop_seconds": 20.0})
    try:
        yield instance
    finally:
        instance.stop_all()


def bot_edits(api: WikiClient, title: str) -> int:
    return sum(1 for revision in api.revisions(title) if revision["user"] == BOT)


def test_serve_runs_every_job_and_leaves_the_wiki_as_run_once_would(
    devwiki: DevWiki, admin_api: WikiClient, bot: Bot
) -> None:
    settings = bot.settings
    seeded = seed(devwiki, settings, 5)
    bot.write(check_minutes=0.05, notices_minutes=0.05, full_relisting_minutes=0.1)
    process = bot.start()

    wait_for("a full relisting", lambda: bot.job("full-relisting").get("outcome") == "ok")
    assert bot.job("check-and-report")["outcome"] == "ok"
    assert bot.job("notices")["outcome"] in {"baseline", "ok"}
    assert sorted(seeded) == sorted(table_titles(admin_api, settings))
    assert bot_edits(admin_api, settings.outputs.status_page) == 1

    changed = sorted(seeded)[0]
    admin_api.edit(changed, infobox(settings, "Renamed by a person"))
    wait_for(
        "the table to show the edit",
        lambda: "Renamed by a person" in (admin_api.text(settings.outputs.status_page) or ""),
    )

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert bot.health()["state"] == "stopped"
    log = bot.log()
    assert "check-and-report ok in" in log
    assert "Traceback" not in log
    for line in log.splitlines():
        assert line[:20].endswith("Z"), line  # every line starts with a UTC timestamp
    # The wiki is exactly as the one-shot command leaves it: a run-once now has nothing to do.
    after = run_once(settings)
    assert (after.outcome, after.edits) == ("ok", 0)
    runs = bot.runs()
    assert len(runs) >= 4
    assert {run.outcome for run in runs[1:]} == {"ok"}
    assert bot.lock_holder() is None


def test_sigterm_during_a_job_lets_it_finish_within_the_bound(
    devwiki: DevWiki, admin_api: WikiClient, bot: Bot
) -> None:
    seeded = seed(devwiki, bot.settings, 40)
    bot.write(check_minutes=30, notices_minutes=0, full_relisting_minutes=0, stop_seconds=40)
    process = bot.start()
    wait_for("the first pass to take the lock", lambda: bot.holds_lock(process))
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    took = time.monotonic() - signalled
    assert took < 40
    report = bot.job("check-and-report")
    assert report["outcome"] == "ok"
    assert bot.health()["state"] == "stopped"
    assert [run.outcome for run in bot.runs()] == ["ok"]
    assert bot.lock_holder() is None
    assert sorted(seeded) == sorted(table_titles(admin_api, bot.settings))
    print(f"SIGTERM to exit: {took:.1f} s (the pass finished: {report['line']})")


def test_a_job_outlasting_the_bound_is_abandoned_and_the_next_pass_converges(
    devwiki: DevWiki, admin_api: WikiClient, bot: Bot
) -> None:
    seeded = seed(devwiki, bot.settings, 40)
    bot.write(check_minutes=30, notices_minutes=0, full_relisting_minutes=0, stop_seconds=0)
    process = bot.start()
    wait_for("the first pass to take the lock", lambda: bot.holds_lock(process))
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 1
    assert "abandoned" in bot.log()
    assert bot.lock_holder() is None
    assert bot.health()["abandoned"] == "check-and-report"
    after = run_once(bot.settings)
    assert after.outcome == "ok"
    assert sorted(seeded) == sorted(table_titles(admin_api, bot.settings))


def test_sigkill_and_restart_lose_nothing_and_coalesce_the_missed_runs(
    devwiki: DevWiki, admin_api: WikiClient, bot: Bot
) -> None:
    settings = bot.settings
    seeded = seed(devwiki, settings, 30)
    interval = 3.0
    bot.write(check_minutes=interval / 60, notices_minutes=0, full_relisting_minutes=0)
    first = bot.start()
    wait_for("the first pass to take the lock", lambda: bot.holds_lock(first))
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert bot.holds_lock(first), "SIGKILL leaves the lock behind"
    changed = sorted(seeded)[3]
    admin_api.edit(changed, infobox(settings, "Edited while the bot was down"))
    time.sleep(4 * interval)

    # The schedule survived in the state database: its next run time is a point of the grid.
    grid_start = bot.stored_next_run("check-and-report")
    restarted_at = dt.datetime.now(dt.UTC)
    due = math.floor((restarted_at - grid_start) / dt.timedelta(seconds=interval)) + 1
    second = bot.start()
    report = wait_for(
        "the coalesced run",
        lambda: bot.job("check-and-report").get("coalesced") and bot.job("check-and-report"),
    )
    assert (report["outcome"], report["coalesced"]) == ("ok", due)
    assert due >= 3
    since = [run for run in bot.runs() if run.started >= restarted_at.replace(tzinfo=None)]
    coalesced_start = min(run.started for run in since).replace(tzinfo=dt.UTC)
    steps = math.ceil((coalesced_start - grid_start) / dt.timedelta(seconds=interval))
    next_grid = (grid_start + steps * dt.timedelta(seconds=interval)).replace(tzinfo=None)
    ran = [run for run in since if run.started < next_grid]
    assert len(ran) == 1, f"{due} missed runs must run as one, {len(ran)} ran"
    assert sorted(seeded) == sorted(table_titles(admin_api, settings))
    assert "Edited while the bot was down" in (admin_api.text(settings.outputs.status_page) or "")
    assert f"{due} run(s) were due while the bot was down" in bot.log()
    assert "taken over: its process is gone" in bot.log()
    killed = [run for run in bot.runs() if run.started < restarted_at.replace(tzinfo=None)]
    assert [run.outcome for run in killed] == ["running"]  # the killed pass, as it was left
    print(f"restart after SIGKILL: {due} runs were due, {len(ran)} ran")

    # A pass running elsewhere (a manual run-once) holds the lock: the scheduled job stands aside.
    store = StateStore(settings.run.state_url)
    try:
        manual = process_owner()
        wait_for("the lock to be free", lambda: store.lock_holder(PASS_LOCK) is None)
        assert store.acquire_lock(PASS_LOCK, manual, STALE_LOCK) is None
        edits = bot_edits(admin_api, settings.outputs.status_page)
        admin_api.edit(changed, infobox(settings, "Edited during a manual pass"))
        wait_for(
            "a scheduled run to stand aside",
            lambda: "another run holds the lock" in bot.job("check-and-report").get("line", ""),
            timeout=4 * interval,
        )
        assert bot_edits(admin_api, settings.outputs.status_page) == edits
        store.release_lock(PASS_LOCK, manual)
    finally:
        store.close()
    wait_for(
        "the next scheduled run to do the work",
        lambda: (
            "Edited during a manual pass" in (admin_api.text(settings.outputs.status_page) or "")
        ),
        timeout=4 * interval,
    )
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=30) == 0
    assert os.path.exists(bot.health_file)
