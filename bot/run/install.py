"""The ``install-templates`` job: put the on-wiki source on the wiki, editing only what changed.

A page a person has edited since the bot installed it is left alone and reported, like any page
the bot writes (:mod:`bot.pages.plan`).
"""

from __future__ import annotations

from typing import Any

from bot.io.safe_save import WriteGuard, WriteStatus, save_owned_page
from bot.render.edit_summary import edit_summary
from bot.resources import load_template_pages
from bot.run.connect import connect
from bot.settings import Settings
from bot.state.store import StateStore


def install_templates(settings: Settings) -> dict[str, Any]:
    """Install or update the on-wiki templates, editing only pages whose text changed."""
    pages = load_template_pages(settings.templates_dir)
    store = StateStore(settings.run.state_url)
    try:
        gateway = connect(settings)
        guard = WriteGuard(
            gateway=gateway,
            run_page=settings.run.run_page,
            enabled_value=settings.run.enabled_value,
            max_edits=len(pages),
            conflict_retries=settings.run.conflict_retries,
            simulate=settings.simulate,
            run_page_max_age=settings.run.run_page_max_age,
        )
        previous = store.outputs()
        guard.prepare(pages, previous)
        summary = edit_summary("Partnership tracker: install template source", {})
        for title, text in pages.items():
            model = "json" if title.endswith(".json") else None
            outcome = save_owned_page(
                guard,
                title,
                text,
                summary,
                previous=previous.get((title, "(page)")),
                contentmodel=model,
            )
            if outcome.stored is not None and not settings.simulate:
                store.save_output(outcome.stored)
    finally:
        store.close()
    outcomes = guard.outcomes
    return {
        "outputs": [o.as_dict() for o in outcomes],
        "edits": sum(o.status in {WriteStatus.SAVED, WriteStatus.CREATED} for o in outcomes),
        "requests": gateway.counter.total,
    }
