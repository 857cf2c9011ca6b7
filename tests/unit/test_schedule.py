"""The registry of ``partnerbot serve`` and its ``[serve]`` settings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.run.scheduled import resolve
from bot.schedule import JOBS, job_by_id
from bot.settings import ServeSettings, SettingsError, load_settings


def test_every_entry_names_its_interval_setting_and_a_function_that_exists() -> None:
    fields = {field.name for field in dataclasses.fields(ServeSettings)}
    assert len({job.id for job in JOBS}) == len(JOBS)
    for job in JOBS:
        assert job.interval_setting in fields
        assert job.minutes(ServeSettings()) > 0
        if not job.pending:
            assert callable(resolve(job.target))
    assert {"check-and-report", "notices", "usage", "full-relisting"} == {job.id for job in JOBS}


def test_an_entry_whose_function_is_missing_is_a_lookup_error() -> None:
    with pytest.raises(LookupError, match="no module"):
        resolve("bot.run.no_such_module:run")
    with pytest.raises(LookupError, match="no function"):
        resolve("bot.run.scheduled:no_such_function")
    with pytest.raises(KeyError):
        job_by_id("no-such-job")


def write(tmp_path: Path, serve: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f"[serve]\n{serve}\n", encoding="utf-8")
    return path


def test_serve_settings_are_read_and_the_health_file_is_next_to_the_settings(
    tmp_path: Path,
) -> None:
    settings = load_settings(write(tmp_path, 'check_minutes = 15\nhealth_file = "run/h.json"'))
    assert settings.serve.check_minutes == 15.0
    assert Path(settings.serve.health_file) == (tmp_path / "run" / "h.json").resolve()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("check_minutes = -1", "must not be negative"),
        ("stop_seconds = -5", "must not be negative"),
        ('health_file = " "', "give a file name"),
        ("every_minutes = 5", "unknown setting"),
        ('check_minutes = "hourly"', "expected a number"),
    ],
)
def test_bad_serve_settings_are_refused_with_the_key(
    tmp_path: Path, line: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(write(tmp_path, line))
