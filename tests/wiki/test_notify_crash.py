"""Crash injection: the notices job killed with SIGKILL at random moments, then run normally.

Each trial has its own noticeboard and state database. A person creates two partnership pages
that raise twelve notices (a new partnership and five warning flags each); the job, in a process
of its own, posts them two per section (six edits); it is killed at a random moment, then a
normal run follows. One trial in three is killed at a moment drawn uniformly over a whole run
after login (reading, deriving, posting, recording, saving); the others just after a random
number (1-5) of sections appeared on the board, a random fraction of a section's time later, so
many kills land between a POST, its ledger record and the next POST. Afterwards every
expected key must be on the board exactly once. The figures (trials, notices expected, found,
lost, doubled, and where the kills landed) are printed and checked.

After a kill the test waits a moment before the next run, as a scheduler would: the killed run's
last request may still be in the wiki's hands.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from bot.devwiki.wiki import DevWiki
from bot.io.gateway import WikiGateway
from bot.settings import Settings
from tests.wiki.client import WikiClient
from tests.wiki.notify_scene import Scene, tag_of

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 24
FLAGS = ("article-freeze", "mission-conflict", "brand-exploitation", "tight-deadline")
FLAGS += ("sudden-deadline",)
PER_SECTION = 2
BASE = dt.datetime.now(dt.UTC).date()
TODAY = BASE + dt.timedelta(days=1)
SETTLE = 1.5


@dataclass
class Trial:
    delay: float
    posted_before_kill: int
    exited_before_kill: bool
    counts: Counter[str]
    expected: set[str]


def start_child(devwiki: DevWiki, scene: Scene) -> subprocess.Popen[str]:
    spec = {
        "settings_file": str(devwiki.settings_file),
        "template": scene.settings.template.name,
        "state_url": scene.settings.run.state_url,
        "run_page": scene.settings.run.run_page,
        "board": scene.notices.board,
        "today": TODAY.isoformat(),
        "per_section": PER_SECTION,
        "sections": 20,
    }
    env = {**os.environ, "PYWIKIBOT_DIR": str(devwiki.pywikibot_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.wiki.notify_child", json.dumps(spec)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def wait_ready(child: subprocess.Popen[str]) -> None:
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.strip() == "ready", f"child did not start: {line!r}"


def wait_for_edits(scene: Scene, child: subprocess.Popen[str], edits: int) -> None:
    deadline = time.monotonic() + 60
    while scene.bot_edits() < edits and child.poll() is None:
        assert time.monotonic() < deadline, "the job posted nothing for a minute"
        time.sleep(0.02)


def prepare(base: Settings, number: int, admin: WikiClient, gateway: WikiGateway) -> Scene:
    tag = f"{tag_of(base)}c{number}"
    directory = Path(base.run.state_url.removeprefix("sqlite:///")).parent
    settings = replace(
        base,
        template=replace(base.template, name=f"Partnership infobox {tag}"),
        run=replace(base.run, state_url=f"sqlite:///{directory / f'state-{number}.sqlite'}"),
    )
    scene = Scene.make(settings, admin, gateway)
    scene.run(BASE)
    for name in ("Harbour", "Library"):
        scene.write(name, status="active", flags=", ".join(FLAGS))
    return scene


def expected_keys(scene: Scene) -> set[str]:
    keys: set[str] = set()
    for name in ("Harbour", "Library"):
        pageid = scene.pageid(name)
        keys.add(f"p{pageid}.0/new")
        keys.update(f"p{pageid}.0/flag/{flag}/r0" for flag in FLAGS)
    return keys


def calibrate(devwiki: DevWiki, base: Settings, admin: WikiClient, gateway: WikiGateway) -> float:
    """Return how long an unkilled run takes after it logged in (and check that it works)."""
    scene = prepare(base, 0, admin, gateway)
    child = start_child(devwiki, scene)
    wait_ready(child)
    started = time.monotonic()
    assert child.wait(timeout=120) == 0
    duration = time.monotonic() - started
    assert scene.keys_on() == dict.fromkeys(expected_keys(scene), 1)
    scene.engine.dispose()
    return duration


def test_killed_runs_never_lose_or_double_a_notice(
    devwiki: DevWiki, isolated: Settings, admin_api: WikiClient, gateway: WikiGateway
) -> None:
    duration = calibrate(devwiki, isolated, admin_api, gateway)
    seed = int(time.time())
    chance = random.Random(seed)  # noqa: S311 - kill moments, not secrets
    trials: list[Trial] = []
    for number in range(1, TRIALS + 1):
        scene = prepare(isolated, number, admin_api, gateway)
        expected = expected_keys(scene)
        child = start_child(devwiki, scene)
        wait_ready(child)
        started = time.monotonic()
        if number % 3 == 0:
            time.sleep(chance.uniform(0, duration))
        else:
            # Wait for the k-th section to appear on the board, then a little more.
            wait_for_edits(scene, child, chance.randint(1, 5))
            time.sleep(chance.uniform(0, 0.12))
        delay = time.monotonic() - started
        exited = child.poll() is not None
        if not exited:
            child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        time.sleep(SETTLE)
        posted = len(scene.keys_on())
        follow_up = scene.run(TODAY)
        assert follow_up.outcome == "ok", follow_up.line()
        trials.append(Trial(delay, posted, exited, scene.keys_on(), expected))
        scene.engine.dispose()

    expected_total = sum(len(trial.expected) for trial in trials)
    found = sum(len(trial.expected & set(trial.counts)) for trial in trials)
    lost = expected_total - found
    doubled = sum(
        1
        for trial in trials
        for key, count in trial.counts.items()
        if count > 1 or key not in trial.expected
    )
    landed = Counter(trial.posted_before_kill for trial in trials)
    figures = {
        "seed": seed,
        "trials": len(trials),
        "run_seconds": round(duration, 2),
        "notices_expected": expected_total,
        "found": found,
        "lost": lost,
        "doubled": doubled,
        "killed_after_n_notices_posted": dict(sorted(landed.items())),
        "finished_before_kill": sum(trial.exited_before_kill for trial in trials),
        "kills": [(round(t.delay, 2), t.posted_before_kill) for t in trials],
    }
    print("CRASH-FIGURES " + json.dumps(figures))
    assert (lost, doubled) == (0, 0), figures
    assert len(trials) >= 20
    # The kills must land while notices are being posted, not only before or after.
    assert sum(1 for trial in trials if 0 < trial.posted_before_kill < 12) >= 5, figures
