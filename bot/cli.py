"""The ``partnerbot`` command line: parse options, call one function in :mod:`bot.run.jobs`.

Exit status: 0 on success (also "nothing to do" and "disabled by the run page"), 1 when the job
could not run (wiki unreachable, login failed, state store broken...), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.devwiki import wiki as devwiki
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("partnerbot")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from error


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (also used for ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="partnerbot",
        description="Keep Wikimedia partnerships visible and checked against the guidance.",
    )
    parser.add_argument("--config", type=Path, default=None, help="settings file (TOML)")
    parser.add_argument(
        "--simulate", action="store_true", help="send no write request; print diffs instead"
    )
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    wiki = commands.add_parser("devwiki", help="the embedded local MediaWiki")
    wiki_commands = wiki.add_subparsers(dest="devwiki_command", required=True, metavar="ACTION")
    for name, text in [
        ("start", "install if needed and start (reuses a running wiki)"),
        ("stop", "stop the server; the port is free afterwards"),
        ("status", "print the URL, the accounts and whether the wiki answers"),
        ("reset", "stop and delete the wiki's directory"),
        ("seed", "import sample pages (built-in set, or *.wikitext files of --from DIR)"),
    ]:
        action = wiki_commands.add_parser(name, help=text)
        action.add_argument("--dir", type=Path, default=devwiki.DEFAULT_DIR, help="wiki directory")
        action.add_argument("--port", type=int, default=None, help="port on 127.0.0.1")
        if name == "seed":
            action.add_argument("--from", dest="source", type=Path, default=None)

    commands.add_parser("install-templates", help="install or update the on-wiki templates")
    check = commands.add_parser("check", help="check infoboxes against the guidance checklist")
    target = check.add_mutually_exclusive_group()
    target.add_argument("--page", help="one wiki page")
    target.add_argument("--file", type=Path, help="a wikitext file (no wiki needed)")
    check.add_argument("--today", type=_date, default=None, help="fix today's date (YYYY-MM-DD)")
    for name, text in [
        ("report", "check every infobox page and update the status tables"),
        ("run-once", "one pass of the main job: check, tables, findings"),
    ]:
        job = commands.add_parser(name, help=text)
        job.add_argument("--today", type=_date, default=None, help="fix today's date")
        job.add_argument("--full", action="store_true", help="relist every infobox page")
        job.add_argument(
            "--accept-drop",
            action="store_true",
            help="confirm a large drop in records once (the circuit breaker)",
        )
    commands.add_parser("demo", help="start the local wiki, seed it and run the main job")
    return parser


def _emit(args: argparse.Namespace, result: object, text: str) -> None:
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    else:
        print(text)


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    if args.simulate:
        from dataclasses import replace  # noqa: PLC0415

        settings = replace(settings, simulate=True)
    return settings


def _devwiki_for(args: argparse.Namespace) -> devwiki.DevWiki:
    wiki = devwiki.DevWiki(args.dir, args.port or devwiki.DEFAULT_PORT)
    if args.port is None:
        recorded = wiki.status()
        if recorded.get("pid") is not None:
            wiki = devwiki.DevWiki(args.dir, wiki.recorded_port() or devwiki.DEFAULT_PORT)
    return wiki


def _run_devwiki(args: argparse.Namespace) -> int:
    from bot.run import jobs  # noqa: PLC0415 - jobs imports pywikibot; keep devwiki start light

    wiki = _devwiki_for(args)
    action = args.devwiki_command
    if action == "start":
        wiki.start()
        status = wiki.status()
        _emit(args, status, f"local wiki running at {wiki.url} (settings: {wiki.settings_file})")
    elif action == "stop":
        wiki.stop()
        _emit(args, {"stopped": True}, f"local wiki in {wiki.directory} stopped")
    elif action == "status":
        status = wiki.status()
        lines = [f"{key}: {value}" for key, value in status.items()]
        _emit(args, status, "\n".join(lines))
        return EXIT_OK
    elif action == "reset":
        wiki.reset()
        _emit(args, {"reset": True}, f"local wiki in {wiki.directory} deleted")
    elif action == "seed":
        if not wiki.running():
            wiki.start()
        result = jobs.seed_devwiki(wiki, args.source)
        _emit(args, result, f"seeded {result['pages']} pages and {result['files']} files")
    return EXIT_OK


def _today(args: argparse.Namespace) -> dt.date:
    return getattr(args, "today", None) or dt.datetime.now(dt.UTC).date()


def _run_job(args: argparse.Namespace, settings: Settings) -> int:
    from bot.run import jobs  # noqa: PLC0415 - pywikibot must see PYWIKIBOT_DIR first

    command = args.command
    if command == "check":
        report = jobs.check_wiki(settings, _today(args), page=args.page)
        _emit(args, report.as_json(), report.as_text())
        return EXIT_OK
    if command == "install-templates":
        result = jobs.install_templates(settings)
        lines = [f"{o['title']}: {o['status']} {o['detail']}".rstrip() for o in result["outputs"]]
        _emit(args, result, "\n".join([*lines, f"{result['edits']} edit(s)"]))
        return EXIT_OK
    if command in {"report", "run-once"}:
        summary = jobs.run_once(
            settings, today=_today(args), full=args.full, accept_drop=args.accept_drop
        )
        text = "\n".join([*summary.diffs, summary.line()])
        _emit(args, summary.as_json(), text)
        return EXIT_FAILED if summary.outcome in {"breaker", "failed"} else EXIT_OK
    raise AssertionError(f"unhandled command {command}")


def _run_demo(args: argparse.Namespace) -> int:
    from bot.run import jobs  # noqa: PLC0415

    wiki = devwiki.DevWiki(devwiki.DEFAULT_DIR, devwiki.DEFAULT_PORT)

    def settings_for(started: devwiki.DevWiki) -> Settings:
        os.environ["PYWIKIBOT_DIR"] = str(started.pywikibot_dir)
        return load_settings(started.settings_file)

    result = jobs.demo(settings_for, wiki)
    lines = [result["summary"], "", "Where to look:"]
    lines += [f"  {name:22} {url}" for name, url in result["urls"].items()]
    lines.append(f"  {'log in as':22} Admin (password in {wiki.directory}/credentials.json)")
    _emit(args, result, "\n".join(lines))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from bot.io.gateway import GatewayError  # noqa: PLC0415
    from bot.run.jobs import JobError  # noqa: PLC0415
    from bot.state.store import StateError  # noqa: PLC0415

    try:
        if args.command == "devwiki":
            return _run_devwiki(args)
        if args.command == "demo":
            return _run_demo(args)
        if args.command == "check" and args.file is not None:
            from bot.run import jobs  # noqa: PLC0415

            report = jobs.check_file(load_settings(args.config), args.file, _today(args))
            _emit(args, report.as_json(), report.as_text())
            return EXIT_OK
        settings = _settings(args)
        if settings.wiki.pywikibot_dir:
            os.environ["PYWIKIBOT_DIR"] = settings.wiki.pywikibot_dir
        return _run_job(args, settings)
    except (SettingsError, devwiki.DevWikiError, GatewayError, JobError, StateError) as error:
        print(f"partnerbot: {error}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
