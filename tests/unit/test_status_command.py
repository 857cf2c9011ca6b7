"""``partnerbot status --offline``: the run log, the lock, the health file; the watchdog's exit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.run.health import HealthFile
from bot.run.once import PASS_LOCK
from bot.state.store import RunOutcome, StateStore


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(
        '[run]\nstate_url = "sqlite:///state.sqlite"\n[serve]\nhealth_file = "health.json"\n',
        encoding="utf-8",
    )
    return path


def test_status_shows_runs_lock_and_health(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = StateStore(f"sqlite:///{tmp_path / 'state.sqlite'}")
    run = store.start_run("run-once")
    store.finish_run(run, RunOutcome.OK, {"mode": "cold", "records": 4, "edits": 4}, records=4)
    store.acquire_lock(PASS_LOCK, "pid 99999 on elsewhere", dt.timedelta(hours=2))
    store.close()
    HealthFile(tmp_path / "health.json").update(
        state="running",
        report={"job": "check-and-report", "outcome": "ok", "line": "run-once ok", "seconds": 1},
    )

    assert main(["--config", str(config), "status", "--offline"]) == 0
    shown = capsys.readouterr().out
    assert "pass lock: pid 99999 on elsewhere since" in shown
    assert "health file" in shown
    assert "check-and-report: ok" in shown
    assert "ok: mode cold, records 4, edits 4" in shown

    assert main(["--config", str(config), "--json", "status", "--offline"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs"]["run-once"][0]["outcome"] == "ok"
    assert data["health"]["state"] == "running"


def test_the_watchdog_exits_1_when_no_pass_succeeded_recently(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(config), "status", "--offline", "--max-age-hours", "3"]) == 1
    assert "no pass has ever succeeded" in capsys.readouterr().err
    store = StateStore(f"sqlite:///{tmp_path / 'state.sqlite'}")
    store.finish_run(store.start_run("run-once"), RunOutcome.DISABLED, {})
    store.close()
    assert main(["--config", str(config), "status", "--offline", "--max-age-hours", "3"]) == 0
