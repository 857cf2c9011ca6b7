"""toolforge/jobs.yaml and jobs-serve.yaml against the Toolforge jobs framework's file format.

The format is encoded here as data, from the framework's command line (``tjf_cli/cli.py``: the
keys ``toolforge jobs load`` reads, and the choices of ``toolforge jobs run``) and the Jobs
framework help page; see REFERENCE.md 3.1. Unknown keys are only a warning for ``load``, so a typo
would silently drop a setting: here it is an error. Every job's command must run the real command
line (with ``--help`` appended it must exit 0).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "toolforge" / "jobs.yaml", ROOT / "toolforge" / "jobs-serve.yaml"]
#: Where the jobs expect the repository: cloned as ~/partnerbot, commands run in ~.
CLONE = "partnerbot/"

_QUANTITY = re.compile(r"^\d+(\.\d+)?(Mi|Gi)$")
_CPU = re.compile(r"^(\d+(\.\d+)?|\d+m)$")
_CRON_FIELD = r"(\*|\d+(-\d+)?)(/\d+)?(,(\d+(-\d+)?)(/\d+)?)*"
_CRON = re.compile(rf"^({_CRON_FIELD}\s+){{4}}{_CRON_FIELD}$")
_MACROS = {"@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually"}
#: Job names become Kubernetes object names (DNS labels; CronJobs allow 52 characters).
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$")


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


#: Each key ``toolforge jobs load`` reads, and what its value must be.
JOB_KEYS: dict[str, Callable[[Any], bool]] = {
    "name": lambda v: isinstance(v, str) and bool(_NAME.match(v)),
    "command": _text,
    "image": _text,
    "schedule": lambda v: isinstance(v, str) and (v in _MACROS or bool(_CRON.match(v))),
    "continuous": lambda v: isinstance(v, bool),
    "wait": lambda v: isinstance(v, bool),
    "no-filelog": lambda v: isinstance(v, bool),
    "filelog-stdout": _text,
    "filelog-stderr": _text,
    "retry": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 5,
    "mem": lambda v: isinstance(v, str) and bool(_QUANTITY.match(v)),
    "cpu": lambda v: isinstance(v, str) and bool(_CPU.match(v)),
    "emails": lambda v: v in {"none", "all", "onfinish", "onfailure"},
}
REQUIRED = ("name", "command", "image")
#: Images this project runs on (``toolforge jobs images`` lists them).
IMAGES = {"python3.11"}


def job_problems(job: Any) -> list[str]:
    """Return what is wrong with one job entry (empty when it is valid)."""
    if not isinstance(job, dict):
        return [f"not a mapping: {job!r}"]
    problems = [f"missing {key}" for key in REQUIRED if key not in job]
    problems += [f"unknown key {key}" for key in job if key not in JOB_KEYS]
    problems += [
        f"bad value for {key}: {value!r}"
        for key, value in job.items()
        if key in JOB_KEYS and not JOB_KEYS[key](value)
    ]
    if job.get("schedule") and job.get("continuous"):
        problems.append("schedule and continuous exclude each other")
    if job.get("wait") and (job.get("schedule") or job.get("continuous")):
        problems.append("wait is for one-off jobs only")
    if job.get("no-filelog") and ("filelog-stdout" in job or "filelog-stderr" in job):
        problems.append("no-filelog with filelog paths")
    if "image" in job and job["image"] not in IMAGES:
        problems.append(f"image {job['image']} is not one this project runs on")
    return problems


def load(path: Path) -> list[dict[str, Any]]:
    jobs = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(jobs, list), f"{path.name}: a list of jobs"
    return jobs


def all_jobs() -> list[tuple[str, dict[str, Any]]]:
    return [(path.name, job) for path in FILES for job in load(path)]


@pytest.mark.parametrize(
    ("file", "job"), all_jobs(), ids=lambda v: str(v.get("name", v)) if isinstance(v, dict) else v
)
def test_every_job_follows_the_jobs_framework_format(file: str, job: dict[str, Any]) -> None:
    assert job_problems(job) == [], file
    assert job.get("emails") == "onfailure", "a failed run must reach the maintainers"
    assert "schedule" in job or job.get("continuous") is True
    assert job["filelog-stdout"].startswith("logs/")
    assert job["filelog-stderr"].startswith("logs/")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"emails": "onfail"}, "bad value for emails"),
        ({"shedule": "@daily"}, "unknown key shedule"),
        ({"continuous": True}, "schedule and continuous exclude each other"),
        ({"mem": "512MB"}, "bad value for mem"),
        ({"schedule": "every hour"}, "bad value for schedule"),
        ({"name": "Partnerbot_Run"}, "bad value for name"),
        ({"retry": 9}, "bad value for retry"),
    ],
)
def test_the_format_check_catches_mistakes(change: dict[str, Any], problem: str) -> None:
    job = {**load(FILES[0])[0], **change}
    assert any(found.startswith(problem) for found in job_problems(job)), job_problems(job)


def test_names_are_unique_and_each_mode_has_its_jobs() -> None:
    for path in FILES:
        names = [job["name"] for job in load(path)]
        assert len(names) == len(set(names)), path.name
    commands = {path.name: [job["command"] for job in load(path)] for path in FILES}
    assert any(c.endswith(" run-once") for c in commands["jobs.yaml"])
    assert any(c.endswith(" run-once --full") for c in commands["jobs.yaml"])
    assert any("--max-age-hours" in c for c in commands["jobs.yaml"])
    assert [c.rsplit(" ", 1)[1] for c in commands["jobs-serve.yaml"]] == ["serve"]


def test_no_secret_is_in_the_job_files() -> None:
    for path in FILES:
        text = path.read_text(encoding="utf-8").lower()
        for word in ("password", "secret", "token", "botpassword("):
            assert word not in text, f"{path.name} mentions {word}"


@pytest.mark.parametrize(
    ("file", "job"), all_jobs(), ids=lambda v: str(v.get("name", v)) if isinstance(v, dict) else v
)
def test_each_command_runs_the_real_command_line(file: str, job: dict[str, Any]) -> None:
    argv = shlex.split(job["command"])
    assert argv[0].startswith(CLONE), f"{file}: commands start in the clone ({CLONE})"
    script = ROOT / argv[0].removeprefix(CLONE)
    assert os.access(script, os.X_OK), f"{script} must be executable"
    environment = {
        **os.environ,
        "PARTNERBOT_VENV": sys.prefix,
        "PARTNERBOT_SETTINGS": str(ROOT / "config" / "settings.toml"),
    }
    ran = subprocess.run(
        [str(script), *argv[1:], "--help"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    command = next(arg for arg in argv[1:] if not arg.startswith("-"))
    assert f"usage: partnerbot {command}" in ran.stdout.replace("\n", " ")
