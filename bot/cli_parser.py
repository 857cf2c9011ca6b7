"""The options of the ``partnerbot`` command line (``partnerbot --help`` shows them).

Global options are accepted before and after the command; each command's own options follow it.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from bot.devwiki import wiki as devwiki


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from error


def _add_global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """Add the options every command accepts, before or after the command's name.

    Below the top level their defaults are suppressed, so an option given before the command is
    not reset by the command's parser.
    """

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    parser.add_argument("--config", type=Path, default=default(None), help="settings file (TOML)")
    parser.add_argument(
        "--simulate",
        action="store_true",
        default=default(False),
        help="send no write request; print diffs instead",
    )
    parser.add_argument(
        "--json", action="store_true", default=default(False), help="print machine-readable results"
    )
    parser.add_argument(
        "--log-file",
        type=Path,
        default=default(None),
        help="also write every log line, at DEBUG, to this file (UTC times, secrets removed)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default(False),
        help="log more detail; print the traceback of a failure",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (also used for ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="partnerbot",
        description="Keep Wikimedia partnerships visible and checked against the guidance.",
        epilog="Exit status: 0 done, 1 could not run, 2 usage error, 3 check found errors.",
    )
    _add_global_options(parser, top=True)
    common = argparse.ArgumentParser(add_help=False)
    _add_global_options(common, top=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    wiki = commands.add_parser("devwiki", help="the embedded local MediaWiki", parents=[common])
    wiki_commands = wiki.add_subparsers(dest="devwiki_command", required=True, metavar="ACTION")
    for name, text in [
        ("start", "install if needed and start (reuses a running wiki)"),
        ("stop", "stop the server; the port is free afterwards"),
        ("status", "print the URL, the accounts and whether the wiki answers"),
        ("reset", "stop and delete the wiki's directory"),
        ("seed", "import sample pages (built-in set, or *.wikitext files of --from DIR)"),
    ]:
        action = wiki_commands.add_parser(name, help=text, parents=[common])
        action.add_argument("--dir", type=Path, default=devwiki.DEFAULT_DIR, help="wiki directory")
        action.add_argument("--port", type=int, default=None, help="port on 127.0.0.1")
        if name == "seed":
            action.add_argument("--from", dest="source", type=Path, default=None)
        if name == "start":
            action.add_argument(
                "--with-content",
                action="store_true",
                help="also a content wiki showing this wiki's files (next port) and the "
                "analytics stand-in (the port after), for usage statistics",
            )

    commands.add_parser(
        "install-templates", help="install or update the on-wiki templates", parents=[common]
    )
    check = commands.add_parser(
        "check",
        help="check infoboxes against the guidance checklist (exit 3 on error findings)",
        parents=[common],
    )
    target = check.add_mutually_exclusive_group()
    target.add_argument("--page", help="one wiki page")
    target.add_argument("--file", type=Path, help="a wikitext file (no wiki needed)")
    check.add_argument("--today", type=_date, default=None, help="fix today's date (YYYY-MM-DD)")
    notify = commands.add_parser(
        "notify", help="post the community notices due since the last run", parents=[common]
    )
    notify.add_argument("--today", type=_date, default=None, help="fix today's date")
    for name, text in [
        ("report", "check every infobox page and update the status tables (no notices)"),
        ("run-once", "one pass of the main job: check, tables, findings, then notices"),
    ]:
        job = commands.add_parser(name, help=text, parents=[common])
        job.add_argument("--today", type=_date, default=None, help="fix today's date")
        job.add_argument("--full", action="store_true", help="relist every infobox page")
        job.add_argument(
            "--accept-drop",
            action="store_true",
            help="confirm a large drop in records once (the circuit breaker)",
        )
    stats = commands.add_parser(
        "stats",
        help="collect how the partners' content is used now, and print or export it",
        parents=[common],
    )
    stats.add_argument(
        "--csv", type=Path, default=None, help="write the figures to this CSV file (and NAME.tab)"
    )
    stats.add_argument(
        "--cached", action="store_true", help="collect nothing: print the stored figures"
    )
    stats.add_argument("--today", type=_date, default=None, help="fix today's date")
    build = commands.add_parser(
        "build-templates",
        help="regenerate every generated page in wiki_templates/: the infobox's Lua data and "
        "messages (from i18n/), the parameter reference and its TemplateData",
        parents=[common],
    )
    build.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a generated file is stale"
    )
    _add_serve_commands(commands, common)
    demo = commands.add_parser(
        "demo", help="start the local wiki, seed it and run the main job", parents=[common]
    )
    demo.add_argument("--dir", type=Path, default=devwiki.DEFAULT_DIR, help="wiki directory")
    demo.add_argument("--port", type=int, default=devwiki.DEFAULT_PORT, help="port on 127.0.0.1")
    return parser


def _add_serve_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``serve`` and ``status``: the continuous mode and what it and the runs did."""
    commands.add_parser(
        "serve",
        help="run every job on its schedule until SIGTERM ([serve] in the settings)",
        parents=[common],
    )
    status = commands.add_parser(
        "status", help="print the last runs, the health file and the run page", parents=[common]
    )
    status.add_argument("--runs", type=int, default=5, help="runs to show per job (default 5)")
    status.add_argument(
        "--offline", action="store_true", help="do not read the run page (no wiki request)"
    )
    status.add_argument(
        "--max-age-hours",
        type=float,
        default=None,
        help="exit 1 when no pass succeeded within this many hours (a watchdog job)",
    )
