"""The notices job in a process of its own, for the crash tests (which kill it with SIGKILL).

``python -m tests.wiki.notify_child SPEC`` where SPEC is JSON: ``settings_file``, ``template``,
``state_url``, ``run_page``, ``board``, ``today``, ``per_section``, ``sections``. It logs in,
prints ``ready`` and then runs :func:`bot.run.notify_job.run_notify` exactly as a scheduled job
would, printing ``done {summary}`` at the end. ``PYWIKIBOT_DIR`` must point at the wiki's
pywikibot directory before pywikibot is imported (the parent passes it in the environment).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path

from bot.io.gateway import WikiGateway
from bot.run.notify_job import run_notify
from bot.settings import NoticeSettings, load_settings
from tests.messages import BundleText


def main(argv: list[str]) -> int:
    spec = json.loads(argv[0])
    settings = load_settings(Path(spec["settings_file"]))
    settings = replace(
        settings,
        template=replace(settings.template, name=spec["template"]),
        run=replace(settings.run, state_url=spec["state_url"], run_page=spec["run_page"]),
    )
    notices = NoticeSettings(
        board=spec["board"],
        max_events_per_section=spec["per_section"],
        max_sections_per_run=spec["sections"],
    )
    from pywikibot import config  # noqa: PLC0415 - PYWIKIBOT_DIR is set by the parent

    # pywikibot multiplies its read delay by the number of bot processes in throttle.ctrl, and a
    # killed process stays listed there for ten minutes: without this each trial would be
    # slower than the last. The local wiki needs no read throttle.
    config.minthrottle = 0
    gateway = WikiGateway(settings.wiki)
    gateway.login()
    print("ready", flush=True)
    job = run_notify(
        settings,
        notices,
        dt.date.fromisoformat(spec["today"]),
        BundleText(),
        gateway=gateway,
        lock_stale_after=dt.timedelta(0),
    )
    print("done " + json.dumps(job.summary.as_dict()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
