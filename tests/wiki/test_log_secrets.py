"""A full ``run-once`` logging everything at DEBUG to a file: no password, no token in it (I4).

The run logs in afresh (a copy of the pywikibot directory without its cookies), so the login
request with the BotPassword and every edit with its CSRF token go through the log: pywikibot's
debug output shows each request's body. The test checks that those requests were logged (so it
can fail) and that no secret value survived.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from bot.devwiki.wiki import DevWiki
from bot.settings import Settings
from tests.wiki.client import WikiClient
from tests.wiki.test_run_once import seed, write_settings_file
from tests.wiki.test_run_once import (
    settings as settings,  # noqa: PLC0414 - the run page fixture, re-exported for pytest
)

ROOT = Path(__file__).resolve().parents[2]
#: MediaWiki's edit tokens: an HMAC and a timestamp in hex, then "+\".
_TOKEN = re.compile(r"[0-9a-f]{32,}(\+\\|%2B%5C)", re.IGNORECASE)


def test_a_debug_log_of_a_full_run_holds_no_password_and_no_token(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings, tmp_path: Path
) -> None:
    seed(devwiki, settings, 3)
    pywikibot_dir = tmp_path / "pywikibot"
    shutil.copytree(
        devwiki.pywikibot_dir,
        pywikibot_dir,
        ignore=shutil.ignore_patterns("*.lwp", "apicache*", "throttle.ctrl", "logs"),
    )
    own = replace(settings, wiki=replace(settings.wiki, pywikibot_dir=str(pywikibot_dir)))
    config = write_settings_file(own, tmp_path / "settings.toml")
    log_file = tmp_path / "logs" / "run.log"

    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "--config",
            str(config),
            "--log-file",
            str(log_file),
            "run-once",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert ran.returncode == 0, ran.stderr
    assert "run-once ok" in ran.stdout
    log = log_file.read_text(encoding="utf-8")
    assert "lgpassword" in log, "the login request is in the log"
    assert "action=edit" in log or "'action': 'edit'" in log, "the edits are in the log"
    assert "token" in log
    password = devwiki.credentials()["bot_botpassword"]
    for text, where in [(log, "log file"), (ran.stderr, "stderr"), (ran.stdout, "stdout")]:
        assert password not in text, f"the BotPassword is in the {where}"
        assert _TOKEN.search(text) is None, f"a token is in the {where}: {_TOKEN.search(text)}"
    for line in log.splitlines():
        if re.match(r"^\d{4}-\d\d-\d\dT", line):
            assert line[19] == "Z", line  # timestamps in UTC
