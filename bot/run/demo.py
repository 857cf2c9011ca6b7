"""The ``devwiki seed`` and ``demo`` jobs: fill the local wiki with samples, run the bot on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.devwiki import wiki as devwiki_module
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
from bot.settings import Settings

#: The portal page of the samples: it links every partnership and every page the bot writes.
PORTAL = "Partnerships"
#: A sample partnership whose infobox shows problems (an error and warnings).
WITH_PROBLEMS = "Partnerships/Harbourside Maritime Museum photographs"


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
    changes = wiki.directory / "changed"
    if not changes.exists():
        # The first run took a baseline; a coordinator's later edits give the noticeboard its
        # first digest. Imported revisions do not show in recent changes: relist in full.
        wiki.import_pages(sample_changes(), summary="Partnership updates by a coordinator")
        wiki.run_jobs()
        summary = run_once(settings, today=today, full=True)
        changes.write_text("sample changes imported\n", encoding="utf-8")
    outputs = settings.outputs
    _show_current(wiki, settings)
    urls = {
        "start here": wiki.page_url(PORTAL),
        "status page": wiki.page_url(outputs.status_page),
        "with problems": wiki.page_url(WITH_PROBLEMS),
        "method page": wiki.page_url(outputs.method_page),
        "noticeboard": wiki.page_url(settings.notices.board),
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
