#!/usr/bin/env python3
"""Check partnership infoboxes and update the partnership status tables.

A pywikibot-style entry point over :func:`bot.run.jobs.run_once`, for operators who run bots with
``pwb.py`` or from cron. Global pywikibot options are accepted (``-simulate``, ``-user:``,
``-family:``, ``-lang:`` are passed to pywikibot first); the script's own options:

-config:FILE    partnerbot settings file (default: config/settings.toml, the local wiki)
-full           relist every infobox page instead of following recent changes
-check          only print the checklist findings for every infobox page; edit nothing
-today:DATE     fix today's date (YYYY-MM-DD), for reproducible reports

Example::

    python pwb.py scripts/partnerships.py -config:config/meta.toml -simulate
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path


def main(*args: str) -> int:
    """Parse the options, then run one job."""
    import pywikibot  # noqa: PLC0415 - imported only when run as a script

    from bot.run import jobs  # noqa: PLC0415
    from bot.settings import load_settings  # noqa: PLC0415

    local_args = pywikibot.handle_args(args)
    config: Path | None = None
    full = check_only = False
    today = dt.datetime.now(dt.UTC).date()
    for arg in local_args:
        option, _, value = arg.partition(":")
        if option == "-config":
            config = Path(value)
        elif option == "-full":
            full = True
        elif option == "-check":
            check_only = True
        elif option == "-today":
            today = dt.date.fromisoformat(value)
        else:
            pywikibot.bot.suggest_help(unknown_parameters=[arg])
            return 2
    settings = load_settings(config)
    if pywikibot.config.simulate:
        settings = replace(settings, simulate=True)
    if check_only:
        print(jobs.check_wiki(settings, today).as_text())
        return 0
    summary = jobs.run_once(settings, today=today, full=full)
    print(summary.line())
    return 0 if summary.outcome in {"ok", "disabled", "skipped"} else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
