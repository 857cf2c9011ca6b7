"""The ``install-templates`` job: put the on-wiki source on the wiki, editing only what changed.

Besides the templates and modules of ``wiki_templates/``, it writes every tracking category page
the infobox can add (:mod:`bot.render.category_pages`), in the wiki's language, so that no page
with an infobox shows a red category link; the maintenance categories are hidden.

A page a person has edited since the bot installed it is left alone and reported, like any page
the bot writes (:mod:`bot.pages.plan`).
"""

from __future__ import annotations

from typing import Any

from bot.i18n_files import load_messages
from bot.io.safe_save import WriteGuard, WriteStatus, save_owned_page
from bot.render.category_pages import render_category_pages
from bot.render.edit_summary import message_summary
from bot.render.labels import stage_pairs, type_pairs
from bot.resources import load_template_pages
from bot.run.connect import connect
from bot.settings import Settings
from bot.state.store import StateStore


def category_pages(settings: Settings) -> dict[str, str]:
    """Return every tracking category page the infobox can add, title to text."""
    messages = load_messages(settings.wiki.language)
    pages = render_category_pages(
        messages,
        template=settings.template.name,
        statuses=stage_pairs(messages),
        types=type_pairs(messages),
    )
    return {page.title: page.text for page in pages}


def install_templates(settings: Settings) -> dict[str, Any]:
    """Install or update the on-wiki templates and category pages, editing only what changed."""
    messages = load_messages(settings.wiki.language)
    templates = load_template_pages(settings.templates_dir)
    categories = category_pages(settings)
    install = message_summary(messages, "partnerbot-report-summary-install")
    category = message_summary(messages, "partnerbot-report-summary-category")
    summaries = {**dict.fromkeys(templates, install), **dict.fromkeys(categories, category)}
    pages = {**templates, **categories}
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
        for title, text in pages.items():
            model = "json" if title.endswith(".json") else None
            outcome = save_owned_page(
                guard,
                title,
                text,
                summaries[title],
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
