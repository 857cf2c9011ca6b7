#!/usr/bin/env python3
"""Check partnership infoboxes against the guidance checklist, or run one pass of the bot.

A pywikibot script: the wiki, the account and the global options (-family, -lang, -user,
-simulate, -dir...) are pywikibot's, from its user-config.py and the command line. The
partnerbot settings file adds what pywikibot does not know: the infobox's name, the checklist,
the pages the bot writes and its state store.

Without -run, the script prints the checklist findings of the pages chosen with the page
generator options below (by default: every page that uses the infobox) and edits nothing.

The following parameters are supported:

&params;

-partnerbot-config:FILE
                  The partnerbot settings file (default: config/settings.toml). Its [wiki]
                  family and code are replaced by pywikibot's current site.

-run              Run one pass of the bot instead: check every infobox page, then write the
                  status tables and the findings data. With -simulate nothing is saved and
                  the diffs are printed.

-full             With -run: relist every infobox page instead of following recent changes.

-today:DATE       Fix today's date (YYYY-MM-DD), for reproducible reports.

Exit status: 0 done, 1 could not run, 3 the checked pages have error-severity findings.

Examples::

    python pwb.py scripts/partnerships.py -partnerbot-config:meta.toml -cat:Partnerships
    python pwb.py scripts/partnerships.py -partnerbot-config:meta.toml -run -simulate
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import pywikibot
from pywikibot import pagegenerators

from bot.console import api_url, failure_line
from bot.errors import PartnerbotError
from bot.model import Severity
from bot.render.check_report import check_report_text
from bot.resources import message_text
from bot.run import jobs, script_entry
from bot.settings import Settings, load_settings

# The text -help shows for &params; (pywikibot's convention).
docuReplacements = {"&params;": pagegenerators.parameterHelp}

EXIT_OK, EXIT_FAILED, EXIT_FINDINGS = 0, 1, 3


class HideTracebacks(logging.Filter):
    """Drop the tracebacks pywikibot logs for every failed retry, unless -verbose is given."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Return False for a traceback record, when not verbose."""
        traceback = str(record.msg).startswith("Traceback (most recent call last)")
        return bool(pywikibot.config.verbose_output) or not traceback


def settings_for_site(path: Path | None, site: pywikibot.site.BaseSite) -> Settings:
    """Return the partnerbot settings in ``path``, pointed at pywikibot's ``site``."""
    settings = load_settings(path)
    wiki = replace(
        settings.wiki,
        family=site.family.name,
        code=site.code,
        user=site.username() or settings.wiki.user,
        pywikibot_dir=str(pywikibot.config.base_dir),
    )
    return replace(settings, wiki=wiki, simulate=bool(pywikibot.config.simulate))


def check(settings: Settings, titles: list[str] | None, today: dt.date) -> int:
    """Print the findings of ``titles`` (None: every infobox page); return the exit status."""
    if titles is None:
        report = jobs.check_wiki(settings, today)
    else:
        checked = script_entry.check_titles(settings, titles, today)
        report = checked.report
        for title in checked.missing:
            pywikibot.warning(f"{title}: no such page")
    pywikibot.info(check_report_text(report, message_text()))
    errors = [f for p in report.pages for f in p.findings if f.severity is Severity.ERROR]
    return EXIT_FINDINGS if errors else EXIT_OK


@dataclass
class Options:
    """The script's own options (pywikibot's and the page generators' are taken first)."""

    config: Path | None = None
    run: bool = False
    full: bool = False
    today: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())
    unknown: list[str] = field(default_factory=list)


def parse_options(local_args: list[str]) -> Options:
    """Read the script's options; anything else is listed in ``unknown``."""
    options = Options()
    for arg in local_args:
        option, _, value = arg.partition(":")
        if option == "-partnerbot-config" and value:
            options.config = Path(value)
        elif option == "-run":
            options.run = True
        elif option == "-full":
            options.full = True
        elif option == "-today" and value:
            try:
                options.today = dt.date.fromisoformat(value)
            except ValueError:
                options.unknown.append(arg)
        else:
            options.unknown.append(arg)
    return options


def open_site(args: tuple[str, ...]) -> list[str] | None:
    """Apply pywikibot's global options and open its site; return the remaining arguments."""
    logging.getLogger("pywiki").addFilter(HideTracebacks())
    try:
        return list(pywikibot.handle_args(args))  # also opens the site: the wiki must answer
    except pywikibot.exceptions.Error as error:
        config = pywikibot.config
        pywikibot.error(
            f"the wiki at {api_url(config.family, config.mylang)} did not answer ({error}); "
            "for the local wiki run `partnerbot devwiki start`, otherwise check the site "
            f"options and user-config.py in {config.base_dir}"
        )
        return None


def main(*args: str) -> int:
    """Process the command line and run the check (or the pass); return the exit status."""
    local_args = open_site(args)
    if local_args is None:
        return EXIT_FAILED
    gen_factory = pagegenerators.GeneratorFactory()
    options = parse_options(gen_factory.handle_args(local_args))
    generator = gen_factory.getCombinedGenerator()
    if pywikibot.bot.suggest_help(unknown_parameters=options.unknown):
        return EXIT_FAILED
    if options.run and generator is not None:
        pywikibot.error("-run checks every infobox page; leave out the page generator options")
        return EXIT_FAILED
    settings = None
    try:
        settings = settings_for_site(options.config, pywikibot.Site())
        if not options.run:
            titles = None if generator is None else [page.title() for page in generator]
            return check(settings, titles, options.today)
        summary = jobs.run_once(settings, today=options.today, full=options.full)
    except PartnerbotError as error:
        pywikibot.error(failure_line(error, settings, verbose=False))
        return EXIT_FAILED
    for diff in summary.diffs:
        pywikibot.info(diff)
    pywikibot.info(summary.line())
    return EXIT_FAILED if summary.outcome in {"breaker", "failed"} else EXIT_OK


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
