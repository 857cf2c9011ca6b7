"""The jobs: one function each, called by the command line, the pywikibot script and the scheduler.

Infrastructure problems raise :class:`~bot.errors.PartnerbotError` subclasses before any edit;
problems with single pages become findings or report rows and never stop a run.
"""

from __future__ import annotations

from bot.run.check import check_file, check_wiki
from bot.run.connect import JobError, connect
from bot.run.demo import demo, seed_devwiki
from bot.run.install import install_templates
from bot.run.notify_job import notify_command as notify
from bot.run.once import run_once
from bot.run.summary import RunSummary

__all__ = [
    "JobError",
    "RunSummary",
    "check_file",
    "check_wiki",
    "connect",
    "demo",
    "install_templates",
    "notify",
    "run_once",
    "seed_devwiki",
]
