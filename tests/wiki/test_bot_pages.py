"""The pages coordinators read, on the real local MediaWiki: health, notes, categories, French.

- every category a seeded partnership page is in has its page (the installer writes them);
- the report page says whether the bot is alive, and the status page shows that line too;
- a warm run on a new day edits the report page only, once;
- a person's edit inside a table freezes it, the page says so in its notes block, and emptying
  the block hands it back (text outside the blocks never changes);
- with ``[wiki] language = "fr"`` the pages the bot writes carry no English sentence of the
  bundles, as MediaWiki renders them.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace
from pathlib import Path

import pytest

from bot.devwiki.seed import sample_pages
from bot.devwiki.wiki import DevWiki
from bot.i18n_files import load_messages
from bot.pages.blocks import BlockDamage, find_block
from bot.render.category_pages import render_category_pages
from bot.render.labels import stage_pairs, type_pairs
from bot.render.report_page import HealthFigures, render_health
from bot.resources import load_checklist
from bot.run.jobs import install_templates, run_once, seed_devwiki
from bot.settings import Settings
from tests.unit.test_status_summary import english_fragments
from tests.wiki.client import WikiClient
from tests.wiki.test_run_once import (
    BOT,
    block_of,
    bot_changes,
    infobox,
    page_text,
    revid,
    seed,
    tag_of,
)

pytestmark = pytest.mark.wiki

DAY = dt.date(2026, 6, 1)


@pytest.fixture
def settings(isolated: Settings, admin_api: WikiClient) -> Settings:
    """Return the isolated settings with a run page of their own, switched on."""
    run_page = f"User:{BOT}/Run {tag_of(isolated)}"
    admin_api.edit(run_page, "yes")
    return replace(isolated, run=replace(isolated.run, run_page=run_page))


def outside_blocks(text: str) -> str:
    """Return ``text`` without the content of any bot block (what a person owns)."""
    return re.sub(
        r"(<!-- partnerbot:begin (\S+) -->).*?(<!-- partnerbot:end \2 -->)",
        r"\1\3",
        text,
        flags=re.DOTALL,
    )


def visible_text(rendered: str) -> str:
    """Return the text a reader sees in rendered HTML, without values from the wiki (<bdi>)."""
    text = re.sub(r"<(bdi|code)>.*?</\1>", " ", rendered, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def checklist_texts(settings: Settings) -> list[str]:
    """Return the texts the method page cites from the guidance, as a reader sees them.

    The guidance's page and section titles are English names (rule and flag texts come from the
    bundles, in the wiki's language); longest first, so none is cut short.
    """
    checklist = load_checklist(settings.checklist_path)
    texts: list[str] = []
    sources = [*(rule.source for rule in checklist.rules),
               *(flag.source for flag in checklist.flags.values())]  # fmt: skip
    texts += [f"{source.page} § {source.section}" for source in sources]
    return sorted({" ".join(text.split()) for text in texts}, key=len, reverse=True)


def rendered(api: WikiClient, title: str) -> str:
    """Return ``title`` rendered now from its current text (no parser cache)."""
    return str(api.parse(page_text(api, title), title=title)["text"])


# --- categories ----------------------------------------------------------------------------


def test_every_category_a_seeded_page_is_in_has_its_page(
    devwiki: DevWiki, admin_api: WikiClient, wiki_settings: Settings, tmp_path: Path
) -> None:
    state_url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    install_templates(replace(wiki_settings, run=replace(wiki_settings.run, state_url=state_url)))
    seed_devwiki(devwiki, None)
    pages = sample_pages()
    seen: dict[str, bool] = {}
    titles = sorted(pages)
    for start in range(0, len(titles), 50):
        data = admin_api.get(action="query", titles="|".join(titles[start : start + 50]),
                             prop="categories", clprop="hidden", cllimit="max")  # fmt: skip
        for page in data["query"]["pages"]:
            for category in page.get("categories", []):
                seen[category["title"]] = bool(category.get("hidden"))
    assert "Category:Partnerships with status Active" in seen
    info = admin_api.get(action="query", titles="|".join(sorted(seen)), prop="info")
    missing = [page["title"] for page in info["query"]["pages"] if page.get("missing")]
    assert missing == []
    messages = load_messages("en")
    expected = {
        page.title: page.hidden
        for page in render_category_pages(
            messages,
            template="Partnership infobox",
            statuses=stage_pairs(messages),
            types=type_pairs(messages),
        )
    }
    assert {title: expected.get(title) for title in seen} == seen


# --- health --------------------------------------------------------------------------------


def test_report_and_status_page_say_the_bot_is_running_and_when_it_stopped(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    seed(devwiki, settings, 2)
    today = dt.datetime.now(dt.UTC).date()
    run_once(settings, today=today)
    report = visible_text(rendered(admin_api, settings.outputs.report_page))
    assert "✔ The bot is running. Its last successful run was on" in report
    assert "may have stopped" not in report
    status = visible_text(rendered(admin_api, settings.outputs.status_page))
    assert "✔ The bot is running." in status
    old = render_health(
        HealthFigures(1, 1, 0, 0, 0), load_messages("en"), day=today - dt.timedelta(days=2),
        run_page=settings.run.run_page,
    )  # fmt: skip
    stopped = visible_text(admin_api.parse(old, title=settings.outputs.report_page)["text"])
    assert "⛔ The bot may have stopped: no successful run since" in stopped
    assert "is running" not in stopped


def test_bot_pages_have_no_section_edit_links(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    seed(devwiki, settings, 2)
    run_once(settings, today=DAY)
    outputs = settings.outputs
    for title in (outputs.status_page, outputs.method_page, outputs.report_page):
        assert "mw-editsection" not in rendered(admin_api, title), title


def test_status_page_links_the_method_page_whose_rows_have_anchors(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    seed(devwiki, settings, 2)
    run_once(settings, today=DAY)
    outputs = settings.outputs
    links = admin_api.parse(page_text(admin_api, outputs.status_page), outputs.status_page)["links"]
    assert outputs.method_page in {link["title"] for link in links}
    assert 'id="goals-missing"' in rendered(admin_api, outputs.method_page)


# --- edits: one a day at most when nothing changes -----------------------------------------


def test_a_warm_run_on_a_new_day_edits_the_report_once_and_nothing_else(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    """Figures on the local wiki: the new day's run sends 6 requests, of them 1 edit."""
    seeded = seed(devwiki, settings, 3)
    run_once(settings, today=DAY)
    outputs = settings.outputs
    watched = [outputs.status_page, outputs.affiliate_page_prefix, outputs.method_page,
               outputs.findings_page, *seeded]  # fmt: skip
    before = {title: revid(admin_api, title) for title in [*watched, outputs.report_page]}
    same_day = run_once(settings, today=DAY)
    assert same_day.edits == 0
    changes = bot_changes(admin_api)
    next_day = run_once(settings, today=DAY + dt.timedelta(days=1))
    assert next_day.edits == 1
    assert len(bot_changes(admin_api)) == len(changes) + 1
    assert [o["title"] for o in next_day.outputs] == [outputs.report_page]
    assert next_day.requests <= 8
    after = {title: revid(admin_api, title) for title in watched}
    assert after == {title: before[title] for title in watched}
    assert revid(admin_api, outputs.report_page) != before[outputs.report_page]
    report = block_of(page_text(admin_api, outputs.report_page), "report")
    assert "20260603" in report  # stopped only after 2 June has passed
    again = run_once(settings, today=DAY + dt.timedelta(days=1))
    assert (again.edits, again.outputs) == (0, ())


# --- frozen tables -------------------------------------------------------------------------


def test_a_person_edit_freezes_the_table_the_page_says_so_and_emptying_hands_it_back(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    seed(devwiki, settings, 2)
    run_once(settings, today=DAY)
    status = settings.outputs.status_page
    text = page_text(admin_api, status)
    assert block_of(text, "notes").strip() == ""
    span = find_block(text, "status")
    assert not isinstance(span, BlockDamage)
    edited = (
        text[: span.content_start] + "\nA coordinator's own table.\n" + text[span.content_end :]
    )
    admin_api.edit(status, edited)
    new = f"Partnerships {tag_of(settings)}/Partnership 777"
    admin_api.edit(new, infobox(settings, "Partnership 777"))
    frozen = run_once(settings, today=DAY)
    assert {o["title"]: o["status"] for o in frozen.outputs if o["block"] == "status"} == {
        status: "edited by a person since the bot's last save"
    }
    after = page_text(admin_api, status)
    assert "A coordinator's own table." in block_of(after, "status")
    note = block_of(after, "notes")
    assert "This table is not being updated." in note
    assert "empty the bot's block" in note
    assert outside_blocks(after) == outside_blocks(text)
    report = block_of(page_text(admin_api, settings.outputs.report_page), "report")
    assert "Someone edited the bot's text on this page" in report
    span = find_block(after, "status")
    assert not isinstance(span, BlockDamage)
    admin_api.edit(status, after[: span.content_start] + "\n" + after[span.content_end :])
    thawed = run_once(settings, today=DAY)
    assert thawed.outcome == "ok"
    final = page_text(admin_api, status)
    assert block_of(final, "notes").strip() == ""
    assert "Partnership 777" in block_of(final, "status")
    assert outside_blocks(final) == outside_blocks(text)


# --- French --------------------------------------------------------------------------------


def test_in_french_the_bot_pages_carry_no_english_sentence(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    french = replace(settings, wiki=replace(settings.wiki, language="fr"))
    tag = tag_of(settings)
    devwiki.import_pages({
        f"Partenariats {tag}/Musée des Tisserands": infobox(
            settings, "Musée des Tisserands", partner="Musée des Tisserands",
            affiliate="Wikimédia Nordie", type="content_donation", license="CC BY-NC 4.0",
        ),
        f"Partenariats {tag}/Bibliothèque": infobox(
            settings, "Bibliothèque de Brume", partner="Bibliothèque de Brume", status="actve",
        ),
        f"Partenariats {tag}/Jardin": infobox(
            settings, "Jardin des Simples", partner="Jardin des Simples", bot="no",
        ),
    })  # fmt: skip
    first = run_once(french, today=DAY)
    assert first.outcome == "ok"
    status = french.outputs.status_page
    text = page_text(admin_api, status)
    span = find_block(text, "status")
    assert not isinstance(span, BlockDamage)
    admin_api.edit(status, text[: span.content_start] + "\nÀ la main.\n" + text[span.content_end :])
    admin_api.edit(f"Partenariats {tag}/Atelier", infobox(settings, "Atelier Lumière"))
    run_once(french, today=DAY)
    assert page_text(admin_api, french.outputs.findings_page)
    outputs = french.outputs
    pages = {
        title: visible_text(rendered(admin_api, title))
        for title in (
            status,
            outputs.affiliate_page_prefix,
            outputs.report_page,
            outputs.method_page,
        )
    }
    assert "Ce tableau n’est plus mis à jour." in pages[status]
    assert "actve (invalide)" in visible_text(
        re.sub(r"<bdi>(actve)</bdi>", r"\1", rendered(admin_api, outputs.affiliate_page_prefix))
    )
    for text in checklist_texts(settings):  # the checklist's own words are not the bundles'
        pages = {title: shown.replace(text, " ") for title, shown in pages.items()}
    fragments = english_fragments()
    found = {
        title: sorted(f for f in fragments if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", shown))
        for title, shown in pages.items()
    }
    assert found == {title: [] for title in pages}
