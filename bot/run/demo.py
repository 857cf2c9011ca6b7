"""The ``devwiki seed`` and ``demo`` jobs: fill the local wikis with samples, run the bot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.devwiki import wiki as devwiki_module
from bot.devwiki.pair import WikiPair
from bot.devwiki.seed import (
    SAMPLES_DIR,
    SampleDataError,
    load_image_specs,
    make_png,
    sample_changes,
    sample_pages,
)
from bot.run.connect import JobError, connect
from bot.run.install import install_templates
from bot.run.once import run_once
from bot.run.usage import USAGE_JOB
from bot.settings import Settings
from bot.state.store import StateStore

#: The portal page of the samples: it links every partnership and every page the bot writes.
PORTAL = "Partnerships"
#: A sample partnership whose infobox shows problems (an error and warnings).
WITH_PROBLEMS = "Partnerships/Harbourside Maritime Museum photographs"


def seed_content_wiki(content: devwiki_module.DevWiki) -> int:
    """Import the content wiki's samples: templates first, so pages see their images."""
    pages = sample_pages(SAMPLES_DIR / "content")
    templates = {title: text for title, text in pages.items() if title.startswith("Template:")}
    content.import_pages(templates)
    content.import_pages({t: text for t, text in pages.items() if t not in templates})
    content.run_jobs()
    return len(pages)


def seed_devwiki(
    wiki: devwiki_module.DevWiki,
    source: Path | None,
    *,
    content: devwiki_module.DevWiki | None = None,
) -> dict[str, Any]:
    """Import sample pages into the local wiki (built-in set, or ``*.wikitext`` of ``source``).

    With ``content`` (the content wiki of :class:`~bot.devwiki.pair.WikiPair`), the built-in
    set also puts articles there that show the museum partnership's files.
    """
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
    if content is not None:
        imported += seed_content_wiki(content)
    return {"pages": imported, "files": uploaded}


def demo(
    settings_for: Callable[[devwiki_module.DevWiki], Settings],
    wiki: devwiki_module.DevWiki,
    *,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Start the local wikis, install the templates, seed them, run the main job; return URLs.

    The bot's wiki holds the partner files, a content wiki shows them, and the analytics
    stand-in gives synthetic views (:class:`~bot.devwiki.pair.WikiPair`); the main job collects
    the usage figures after its tables, and writes them into the infoboxes' data at once.
    """
    pair = WikiPair.around(wiki)
    pair.start()
    settings = settings_for(wiki)
    templates = install_templates(settings)
    marker = wiki.directory / "seeded"
    content_marker = pair.content.directory / "seeded"
    seeded: dict[str, Any] = {"pages": 0, "files": 0}
    if not marker.exists():
        seeded = seed_devwiki(wiki, None, content=pair.content)
        marker.write_text("built-in samples imported\n", encoding="utf-8")
        content_marker.write_text("built-in samples imported\n", encoding="utf-8")
    elif not content_marker.exists():  # a local wiki from before the content wiki existed
        seeded["pages"] = seed_content_wiki(pair.content)
        content_marker.write_text("built-in samples imported\n", encoding="utf-8")
    wiki.run_jobs()
    summary = run_once(settings, today=today)
    changes = wiki.directory / "changed"
    if not changes.exists():
        # The first run took a baseline; a coordinator's later edits give the noticeboard its
        # first digest. Imported revisions do not show in recent changes: relist in full.
        wiki.import_pages(sample_changes(), summary="Partnership updates by a coordinator")
        wiki.run_jobs()
        summary = run_once(settings, today=today, full=True)
        changes.write_text("sample changes imported\n", encoding="utf-8")
    store = StateStore(settings.run.state_url)
    try:
        usage_runs = store.runs(USAGE_JOB, limit=1)
    finally:
        store.close()
    outputs = settings.outputs
    _show_current(wiki, settings)
    urls = {
        "start here": wiki.page_url(PORTAL),
        "status page": wiki.page_url(outputs.status_page),
        "with problems": wiki.page_url(WITH_PROBLEMS),
        "method page": wiki.page_url(outputs.method_page),
        "noticeboard": wiki.page_url(settings.notices.board),
        "usage": wiki.page_url(settings.usage.page),
        "content wiki": pair.content.url,
        "by affiliate": wiki.page_url(outputs.affiliate_page_prefix),
        "bot report": wiki.page_url(outputs.report_page),
        "all partnership pages": wiki.page_url(
            "Special:WhatLinksHere/Template:Partnership infobox"
        ),
    }
    return {
        "templates": templates,
        "seeded": seeded,
        "run": summary.as_json(),
        "summary": summary.line(),
        "usage": usage_runs[0].summary if usage_runs else None,
        "urls": urls,
    }


def _show_current(wiki: devwiki_module.DevWiki, settings: Settings) -> None:
    """Make the first look show what the run just wrote.

    The local wiki runs its job queue only when asked, and saves come within the same second
    (no throttle), so the status page may still show the report page it transcludes as it was.
    """
    wiki.run_jobs()
    outputs = settings.outputs
    titles = [outputs.status_page, outputs.affiliate_page_prefix, outputs.method_page, PORTAL]
    connect(settings).request(action="purge", titles="|".join(titles), forcelinkupdate=1)
