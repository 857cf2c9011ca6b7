"""The ``check`` job: check one wikitext file (no wiki needed), one wiki page, or every page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.checklist.pages import CheckReport, check_pages
from bot.devwiki.seed import title_from_file_name
from bot.resources import load_checklist
from bot.run.connect import JobError, connect
from bot.settings import Settings


def check_file(settings: Settings, path: Path, today: dt.date) -> CheckReport:
    """Check one wikitext file, offline (no wiki needed)."""
    checklist = load_checklist(settings.checklist_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise JobError(f"cannot read {path}: {error}") from error
    title = title_from_file_name(path.name)
    results = check_pages(checklist, [(title, text, None)], settings.template.names(), today)
    return CheckReport(tuple(results))


def check_wiki(settings: Settings, today: dt.date, page: str | None = None) -> CheckReport:
    """Check one page, or every infobox page of the configured wiki (batched reads)."""
    checklist = load_checklist(settings.checklist_path)
    gateway = connect(settings, need_bot_flag=False)
    names = settings.template.names(gateway.template_names(settings.template.name))
    if page is not None:
        fetched = gateway.fetch_pages(titles=[page])
        if not fetched:
            raise JobError(f"page {page!r} does not exist on the wiki")
        items = [(p.title, p.text or "", p.revid) for p in fetched]
    else:
        listed = gateway.list_infobox_pages(
            settings.template.name, settings.template.namespaces, content=True
        )
        items = [(p.title, p.text or "", p.revid) for p in listed]
    items.sort(key=lambda item: item[0])
    return CheckReport(tuple(check_pages(checklist, items, names, today, gateway.site_facts())))
