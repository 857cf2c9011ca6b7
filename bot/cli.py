"""The ``partnerbot`` command line: parse options, call one function in :mod:`bot.run.jobs`.

Exit status: 0 on success (also "nothing to do" and "disabled by the run page"), 1 when the job
could not run (wiki unreachable, login failed, state store broken...) or the circuit breaker
stopped it, 2 for usage errors, 3 when ``check`` found error-severity findings. A failure prints
one line to stderr saying what is wrong and what to do; ``-v`` adds the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.checklist.pages import CheckReport
from bot.cli_parser import build_parser
from bot.console import print_failure, quiet_pywikibot
from bot.devwiki import wiki as devwiki
from bot.devwiki.pair import CONTENT_DIR, WikiPair
from bot.logs import configure_logging
from bot.model import Severity
from bot.render.check_report import check_report_json, check_report_text
from bot.resources import (
    generated_template_files,
    message_text,
    stale_template_files,
    write_template_files,
)
from bot.run.notify import NotifyResult
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("partnerbot")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_FINDINGS = 3


def _emit(args: argparse.Namespace, result: object, text: str) -> None:
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    else:
        print(text)


@dataclass
class _Loaded:
    """What the command has loaded so far; a failure message may need the settings."""

    settings: Settings | None = None


def _settings(args: argparse.Namespace, loaded: _Loaded) -> Settings:
    settings = load_settings(args.config)
    if args.simulate:
        settings = replace(settings, simulate=True)
    loaded.settings = settings
    return settings


def _use_wiki(args: argparse.Namespace, settings: Settings) -> None:
    """Point pywikibot at the settings' configuration directory, before it is imported."""
    directory = settings.wiki.pywikibot_dir or os.environ.get("PYWIKIBOT_DIR", "")
    if directory and not (Path(directory) / "user-config.py").is_file():
        where = f"{settings.source}: " if settings.source else ""
        raise SettingsError(
            f"{where}[wiki] pywikibot_dir {directory} holds no user-config.py",
            hint="for the local wiki run `partnerbot devwiki start` and use the settings.toml it "
            "writes; for a real wiki copy user-config.py.sample there (see README)",
        )
    if settings.wiki.pywikibot_dir:
        os.environ["PYWIKIBOT_DIR"] = settings.wiki.pywikibot_dir
    quiet_pywikibot(verbose=args.verbose)


def _devwiki_for(args: argparse.Namespace) -> devwiki.DevWiki:
    wiki = devwiki.DevWiki(args.dir, args.port or devwiki.DEFAULT_PORT)
    if args.port is None and wiki.status().get("pid") is not None:
        wiki = devwiki.DevWiki(args.dir, wiki.recorded_port() or devwiki.DEFAULT_PORT)
    return wiki


def _run_devwiki(args: argparse.Namespace) -> int:
    wiki = _devwiki_for(args)
    action = args.devwiki_command
    with_content = getattr(args, "with_content", False) or (wiki.directory / CONTENT_DIR).is_dir()
    pair = WikiPair.around(wiki) if with_content else None
    if action == "start":
        if pair is not None:
            pair.start()
        else:
            wiki.start()
        status = pair.status() if pair is not None else wiki.status()
        _emit(args, status, f"local wiki running at {wiki.url} (settings: {wiki.settings_file})")
    elif action == "stop":
        if pair is not None:
            pair.stop()
        else:
            wiki.stop()
        _emit(args, {"stopped": True}, f"local wiki in {wiki.directory} stopped")
    elif action == "status":
        status = pair.status() if pair is not None else wiki.status()
        lines = [f"{key}: {value}" for key, value in status.items()]
        _emit(args, status, "\n".join(lines))
    elif action == "reset":
        if pair is not None:
            pair.stop()
        wiki.reset()
        _emit(args, {"reset": True}, f"local wiki in {wiki.directory} deleted")
    elif action == "seed":
        from bot.run import jobs  # noqa: PLC0415 - keeps the other devwiki actions light

        if pair is not None:
            pair.start()
        elif not wiki.running():
            wiki.start()
        result = jobs.seed_devwiki(wiki, args.source, content=pair.content if pair else None)
        _emit(args, result, f"seeded {result['pages']} pages and {result['files']} files")
    return EXIT_OK


def _today(args: argparse.Namespace) -> dt.date:
    return getattr(args, "today", None) or dt.datetime.now(dt.UTC).date()


def _check_status(report: CheckReport) -> int:
    errors = (f for page in report.pages for f in page.findings if f.severity is Severity.ERROR)
    return EXIT_FINDINGS if any(True for _ in errors) else EXIT_OK


def _run_check(args: argparse.Namespace, loaded: _Loaded) -> int:
    from bot.run import jobs  # noqa: PLC0415 - pywikibot must see PYWIKIBOT_DIR first

    settings = _settings(args, loaded)
    if args.file is not None:
        report = jobs.check_file(settings, args.file, _today(args))
    else:
        _use_wiki(args, settings)
        report = jobs.check_wiki(settings, _today(args), page=args.page)
    text = message_text()  # findings are composed in English on the command line
    if args.json:
        _emit(args, check_report_json(report, text), "")
    else:
        _emit(args, None, check_report_text(report, text))
    return _check_status(report)


def _run_job(args: argparse.Namespace, loaded: _Loaded) -> int:
    from bot.run import jobs  # noqa: PLC0415 - pywikibot must see PYWIKIBOT_DIR first

    settings = _settings(args, loaded)
    _use_wiki(args, settings)
    if args.command == "install-templates":
        result = jobs.install_templates(settings)
        lines = [f"{o['title']}: {o['status']} {o['detail']}".rstrip() for o in result["outputs"]]
        _emit(args, result, "\n".join([*lines, f"{result['edits']} edit(s)"]))
        return EXIT_OK
    if args.command == "notify":
        with _progress(args):
            notified = jobs.notify(settings, _today(args))
        if isinstance(notified, NotifyResult):
            _emit(args, notified.as_json(), notified.as_text())
            outcome = notified.summary.outcome
        else:
            _emit(args, {"summary": notified.as_dict()}, notified.line())
            outcome = notified.outcome
        return EXIT_FAILED if outcome in {"incomplete", "failed"} else EXIT_OK
    with _progress(args):
        summary = jobs.run_once(
            settings,
            today=_today(args),
            full=args.full,
            accept_drop=args.accept_drop,
            notices=args.command == "run-once",
        )
    text = "\n".join([*summary.diffs, summary.line()])
    _emit(args, summary.as_json(), text)
    failed = summary.outcome in {"breaker", "failed"} or summary.notices == "incomplete"
    return EXIT_FAILED if failed else EXIT_OK


def _run_stats(args: argparse.Namespace, loaded: _Loaded) -> int:
    from bot.progress import progress_for_terminal  # noqa: PLC0415
    from bot.run.usage_stats import usage_stats  # noqa: PLC0415 - pywikibot sees PYWIKIBOT_DIR

    settings = _settings(args, loaded)
    if not args.cached:
        _use_wiki(args, settings)
    now = dt.datetime.now(dt.UTC)
    result = usage_stats(
        settings,
        today=_today(args),
        now=now,
        collect=not args.cached,
        csv_path=args.csv,
        progress=None if args.json else progress_for_terminal(),
    )
    if args.json:
        print(json.dumps(result.stats, ensure_ascii=False, indent=1))
    else:
        lines = []
        if result.summary is not None:
            lines.append(result.summary.line())
        for item in result.stats:
            last = list(item["views"].items())[-1] if item["views"] else ("-", None)
            lines.append(
                f"{item['page']}#{item['index']}: {item['files']} files, "
                f"{item['files_used']} used, {item['pages_using']} pages on {item['wikis']} "
                f"wikis, {last[1]} views in {last[0]}, links {item['links']}"
            )
        lines.extend(f"wrote {path}" for path in result.files)
        print("\n".join(lines))
    failed = result.summary is not None and result.summary.outcome == "failed"
    return EXIT_FAILED if failed else EXIT_OK


def _run_demo(args: argparse.Namespace, loaded: _Loaded) -> int:
    from bot.run import jobs  # noqa: PLC0415

    wiki = devwiki.DevWiki(args.dir, args.port)

    def settings_for(started: devwiki.DevWiki) -> Settings:
        os.environ["PYWIKIBOT_DIR"] = str(started.pywikibot_dir)
        loaded.settings = load_settings(started.settings_file)
        quiet_pywikibot(verbose=args.verbose)
        return loaded.settings

    result = jobs.demo(settings_for, wiki)
    lines = [result["summary"]]
    usage = result.get("usage")
    if usage:
        lines.append(
            f"usage {usage['outcome']}: {usage['partnerships']} partnerships, "
            f"{usage['files']} files, {usage['pages']} pages using them"
        )
    lines += ["", "Where to look:"]
    lines += [f"  {name:22} {url}" for name, url in result["urls"].items()]
    lines.append(f"  {'log in as':22} Admin (password in {wiki.directory}/credentials.json)")
    _emit(args, result, "\n".join(lines))
    return EXIT_OK


def _build_templates(args: argparse.Namespace, loaded: _Loaded) -> int:
    """Write (or with --check, compare) the generated files of the on-wiki source."""
    settings = _settings(args, loaded)
    generated = generated_template_files(settings.checklist_path)
    if args.check:
        stale = stale_template_files(settings.templates_dir, generated)
        lines = [f"stale: {name}" for name in stale] or ["generated files are current"]
        if stale:
            lines.append("run `partnerbot build-templates` and commit the result")
        _emit(args, {"stale": stale}, "\n".join(lines))
        return EXIT_FAILED if stale else EXIT_OK
    written = write_template_files(settings.templates_dir, generated)
    lines = [f"wrote {name}" for name in written] or ["generated files are current"]
    _emit(args, {"written": written}, "\n".join(lines))
    return EXIT_OK


@contextlib.contextmanager
def _progress(args: argparse.Namespace) -> Iterator[None]:
    """Show the command's progress on stderr (not with -v, where the log lines say it)."""
    if args.verbose:
        yield
        return
    from bot.io.session_requests import RequestCount  # noqa: PLC0415 - imports pywikibot
    from bot.progress import show_progress  # noqa: PLC0415

    count = RequestCount()
    with count.counting(), show_progress(args.command, count):
        yield


def _run_serve(args: argparse.Namespace, loaded: _Loaded) -> int:
    """Run the scheduled jobs until SIGTERM (exit 0; 1 when a job had to be abandoned)."""
    settings = _settings(args, loaded)
    configure_logging(verbose=args.verbose, log_file=args.log_file, serve_lines=True)
    _use_wiki(args, settings)
    from bot.run.serve import serve  # noqa: PLC0415 - pywikibot must see PYWIKIBOT_DIR first

    return serve(settings)


def _run_status(args: argparse.Namespace, loaded: _Loaded) -> int:
    """Print the last runs of each job, the health file and the run page's state."""
    settings = _settings(args, loaded)
    if not args.offline:
        _use_wiki(args, settings)
    from bot.run.status import collect_status, overdue, status_text  # noqa: PLC0415

    status = collect_status(settings, runs=args.runs, read_run_page=not args.offline)
    _emit(args, status, status_text(status))
    if args.max_age_hours is not None:
        now = dt.datetime.now(dt.UTC)
        stuck = overdue(status, dt.timedelta(hours=args.max_age_hours), now)
        if stuck:
            print(f"partnerbot: {stuck}; read the logs and `partnerbot status`", file=sys.stderr)
            return EXIT_FAILED
    return EXIT_OK


def _dispatch(args: argparse.Namespace, loaded: _Loaded) -> int:
    if args.command == "serve":
        return _run_serve(args, loaded)
    if args.command == "status":
        return _run_status(args, loaded)
    if args.command == "build-templates":
        return _build_templates(args, loaded)
    if args.command == "devwiki":
        return _run_devwiki(args)
    if args.command == "demo":
        return _run_demo(args, loaded)
    if args.command == "check":
        return _run_check(args, loaded)
    if args.command == "stats":
        return _run_stats(args, loaded)
    return _run_job(args, loaded)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    configure_logging(verbose=args.verbose, log_file=args.log_file)
    loaded = _Loaded()
    try:
        return _dispatch(args, loaded)
    except KeyboardInterrupt:
        print("partnerbot: interrupted; nothing is left half-saved, run it again", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:  # noqa: BLE001 - every failure becomes one line (-v: traceback)
        print_failure(error, loaded.settings, verbose=args.verbose)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
