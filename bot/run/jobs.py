"""The jobs: the pure core composed with the wiki gateway and the state store.

Each job is one function that the command line, the pywikibot scripts and the scheduler call:
``check_file``, ``check_wiki``, ``install_templates``, ``run_once`` (also ``report``),
``seed_devwiki`` and ``demo``. Infrastructure problems raise :class:`JobError` (or the gateway's
and store's own errors) before any edit; problems with single pages become findings or report
rows and never stop the run. The main pass itself lives in :mod:`bot.run.report_pass`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.checklist.pages import CheckReport, PageResult, check_pages, template_names_from
from bot.devwiki import wiki as devwiki_module
from bot.devwiki.seed import (
    SAMPLES_DIR,
    SampleDataError,
    load_image_specs,
    make_png,
    sample_pages,
    title_from_file_name,
)
from bot.errors import PartnerbotError
from bot.io.gateway import GatewayError, WikiGateway
from bot.io.safe_save import WriteOutcome, WriteStatus, save_owned_page
from bot.render.tables import edit_summary
from bot.resources import load_checklist, load_template_pages
from bot.run.report_pass import RunContext, RunSummary, guard_for, main_pass, remember
from bot.settings import Settings
from bot.state.store import StateError, StateStore

__all__ = [
    "CheckReport",
    "JobError",
    "PageResult",
    "RunSummary",
    "check_file",
    "check_pages",
    "check_wiki",
    "connect",
    "demo",
    "install_templates",
    "run_once",
    "seed_devwiki",
]

log = logging.getLogger(__name__)


LOCK_NAME = "run-once"


class JobError(PartnerbotError):
    """The job cannot run (configuration, wiki or state store); nothing was edited."""


def check_file(settings: Settings, path: Path, today: dt.date) -> CheckReport:
    """Check one wikitext file, offline (no wiki needed)."""
    checklist = load_checklist(settings.checklist_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise JobError(f"cannot read {path}: {error}") from error
    title = title_from_file_name(path.name)
    results = check_pages(checklist, [(title, text, None)], template_names_from(settings), today)
    return CheckReport(tuple(results))


def connect(settings: Settings, *, need_bot_flag: bool = True) -> WikiGateway:
    """Open the wiki, log in and make sure edits will be flagged as a bot's."""
    if settings.wiki.family != "devwiki" and not settings.wiki.contact.strip():
        raise JobError(
            "settings [wiki] contact is empty: set it to a URL or e-mail address where people "
            "can reach the bot's operator (it goes into the user agent)"
        )
    gateway = WikiGateway(settings.wiki)
    gateway.login()
    missing = gateway.missing_rights()
    if missing and need_bot_flag and not settings.simulate:
        raise JobError(
            f"the account {settings.wiki.user} lacks the right(s) {', '.join(missing)}: grant "
            "'High-volume (bot) access' to its BotPassword/OAuth consumer and ask for the bot "
            "flag; unflagged bot edits would flood recent changes"
        )
    return gateway


def check_wiki(settings: Settings, today: dt.date, page: str | None = None) -> CheckReport:
    """Check one page, or every infobox page of the configured wiki (batched reads)."""
    checklist = load_checklist(settings.checklist_path)
    gateway = connect(settings, need_bot_flag=False)
    names = template_names_from(settings, gateway.template_names(settings.template.name))
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
    return CheckReport(tuple(check_pages(checklist, items, names, today)))


def install_templates(settings: Settings) -> dict[str, Any]:
    """Install or update the on-wiki templates, editing only pages whose text changed."""
    pages = load_template_pages(settings.templates_dir)
    store = StateStore(settings.run.state_url)
    gateway = connect(settings)
    guard = guard_for(settings, gateway)
    previous = store.outputs()
    outcomes = []
    for title, text in pages.items():
        model = "json" if title.endswith(".json") else None
        outcome = save_owned_page(
            guard,
            title,
            text,
            edit_summary("Partnership tracker: install template source", {}),
            previous=previous.get((title, "(page)")),
            contentmodel=model,
        )
        remember(store, outcome, settings)
        outcomes.append(outcome)
    return _outcome_summary(outcomes, gateway)


def _outcome_summary(outcomes: Sequence[WriteOutcome], gateway: WikiGateway) -> dict[str, Any]:
    return {
        "outputs": [o.as_dict() for o in outcomes],
        "edits": sum(o.status in {WriteStatus.SAVED, WriteStatus.CREATED} for o in outcomes),
        "requests": gateway.counter.total,
    }


def run_once(
    settings: Settings,
    *,
    today: dt.date | None = None,
    full: bool = False,
    accept_drop: bool = False,
    now: dt.datetime | None = None,
) -> RunSummary:
    """Run one pass: sync pages, check them, write tables and findings, record state."""
    started = time.monotonic()
    now = now or dt.datetime.now(dt.UTC)
    today = today or now.date()
    summary = RunSummary()
    store = StateStore(settings.run.state_url)
    owner = f"pid {os.getpid()} on {os.uname().nodename}"
    holder = store.acquire_lock(LOCK_NAME, owner, dt.timedelta(hours=2))
    if holder is not None:
        summary.outcome, summary.reason = "skipped", f"another run holds the lock ({holder})"
        return summary
    run_id = store.start_run("run-once")
    gateway: WikiGateway | None = None
    try:
        checklist = load_checklist(settings.checklist_path)
        gateway = connect(settings)
        context = RunContext(settings, store, gateway, checklist, today, now)
        main_pass(context, summary, full=full, accept_drop=accept_drop)
    except (GatewayError, StateError, JobError) as error:
        summary.outcome, summary.reason = "failed", str(error)
        raise
    except Exception as error:  # a bug; still never logged as a good run (breaker baseline)
        summary.outcome, summary.reason = "failed", f"{type(error).__name__}: {error}"
        raise
    finally:
        summary.seconds = time.monotonic() - started
        summary.requests = gateway.counter.total if gateway else 0
        records = summary.records if summary.outcome == "ok" and not settings.simulate else None
        try:
            store.finish_run(run_id, summary.outcome, summary.as_json(), records)
        finally:
            store.release_lock(LOCK_NAME, owner)
            store.close()
        log.info("%s", summary.line())
    return summary


def seed_devwiki(wiki: devwiki_module.DevWiki, source: Path | None) -> dict[str, Any]:
    """Import sample pages into the local wiki (built-in set, or ``*.wikitext`` of ``source``)."""
    if source is not None:
        try:
            pages = sample_pages(source)
        except (OSError, SampleDataError) as error:
            raise JobError(f"cannot read the pages to seed from {source}: {error}") from error
        if not pages:
            raise JobError(f"no *.wikitext files in {source}")
        return {"pages": wiki.import_pages(pages), "files": 0}
    files = {
        spec.name: (make_png(spec.width, spec.height, spec.rgb), spec.description)
        for spec in load_image_specs(SAMPLES_DIR / "images.toml")
    }
    uploaded = wiki.upload_files(files, comment="Sample image for the partnership demo")
    imported = wiki.import_pages(sample_pages())
    wiki.run_jobs()
    return {"pages": imported, "files": uploaded}


def demo(
    settings_for: Callable[[devwiki_module.DevWiki], Settings],
    wiki: devwiki_module.DevWiki,
    *,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Start the local wiki, install the templates, seed it, run the main job; return URLs."""
    wiki.start()
    settings = settings_for(wiki)
    templates = install_templates(settings)
    marker = wiki.directory / "seeded"
    seeded: dict[str, Any] = {"pages": 0, "files": 0}
    if not marker.exists():
        seeded = seed_devwiki(wiki, None)
        marker.write_text("built-in samples imported\n", encoding="utf-8")
    wiki.run_jobs()
    summary = run_once(settings, today=today)
    urls = {
        "wiki": wiki.url,
        "status table": wiki.page_url(settings.outputs.status_page),
        "by affiliate": wiki.page_url(settings.outputs.affiliate_page_prefix),
        "bot report": wiki.page_url(settings.outputs.report_page),
        "a partnership": wiki.page_url("Partnerships/Museum of Northern Crafts content donation"),
        "all partnership pages": wiki.page_url(
            "Special:WhatLinksHere/Template:Partnership infobox"
        ),
    }
    return {
        "templates": templates,
        "seeded": seeded,
        "run": summary.as_json(),
        "summary": summary.line(),
        "urls": urls,
    }
