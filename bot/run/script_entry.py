"""Check pages chosen by title: the job behind the pywikibot script ``scripts/partnerships.py``.

The script picks pages with pywikibot's page generators (``-page:``, ``-cat:``, ``-ns:``,
``-transcludes:``...) and hands their titles here; the texts are read in batches, parsed and
checked like every other page. Nothing is edited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.checklist.pages import CheckReport, check_pages
from bot.resources import load_checklist
from bot.run.connect import connect
from bot.settings import Settings


@dataclass(frozen=True)
class TitleCheck:
    """The findings of the pages that exist, and the titles that do not."""

    report: CheckReport
    missing: tuple[str, ...]


def check_titles(settings: Settings, titles: Sequence[str], today: dt.date) -> TitleCheck:
    """Check the pages called ``titles`` against the checklist, in title order."""
    checklist = load_checklist(settings.checklist_path)
    gateway = connect(settings, need_bot_flag=False)
    names = settings.template.names(gateway.template_names(settings.template.name))
    fetched = gateway.fetch_pages(titles=list(dict.fromkeys(titles)))
    found = {page.title for page in fetched}
    items = sorted(((p.title, p.text or "", p.revid) for p in fetched), key=lambda item: item[0])
    missing = tuple(sorted(title for title in set(titles) if title not in found))
    results = check_pages(checklist, items, names, today, gateway.site_facts())
    return TitleCheck(CheckReport(tuple(results)), missing)
