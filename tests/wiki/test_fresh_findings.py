"""The loop an editor lives through: the infobox shows the bot's findings, an edit makes them
those of an earlier revision, the next run brings them up to date, and nobody purges a page.

Pages are read with ``action=parse&page=...``, which serves MediaWiki's parser cache as a reader's
view does: only the bot's purge of the pages whose findings changed makes a fresh rendering.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.run.jobs import install_templates, run_once
from bot.settings import Settings
from tests.wiki.client import WikiClient

pytestmark = pytest.mark.wiki

_RULES = re.compile(r'data-rule="([a-z0-9-]+)"')
_CHECKED = re.compile(r'data-checked-revision="([0-9]*)"')


@pytest.fixture
def settings(isolated: Settings, wiki_settings: Settings, admin_api: WikiClient) -> Settings:
    """Return isolated settings whose infobox template reads their own findings page."""
    install_templates(wiki_settings)
    tag = isolated.template.name.rsplit(" ", 1)[1]
    admin_api.edit(
        f"Template:{isolated.template.name}",
        "{{#invoke:Partnership infobox|main|findings=" + isolated.outputs.findings_page + "}}",
    )
    run_page = f"User:PartnerBot/Run {tag}"
    admin_api.edit(run_page, "yes")
    return replace(isolated, run=replace(isolated.run, run_page=run_page))


def infobox(settings: Settings, licence: str) -> str:
    return (
        f"{{{{{settings.template.name}\n|name=Lantern Museum photographs\n"
        "|partner=Lantern Museum\n|status=agreed\n|type=content_donation\n"
        f"|license={licence}\n|affiliate=Wikimedia Testland\n}}}}\nThe museum's photographs.\n"
    )


def reader_view(api: WikiClient, title: str) -> str:
    """Return the page as a reader gets it (from the parser cache when MediaWiki has it)."""
    data = api.get(action="parse", page=title, prop="text")
    return str(data["parse"]["text"])


def test_an_editor_sees_fresh_findings_after_each_run_without_purging(
    admin_api: WikiClient, settings: Settings
) -> None:
    title = f"Partnerships {settings.template.name.rsplit(' ', 1)[1]}/Lantern Museum"
    first = admin_api.edit(title, infobox(settings, "CC BY-NC 4.0"))["edit"]["newrevid"]
    before = reader_view(admin_api, title)  # cached now, before the bot ever ran
    assert _CHECKED.search(before).group(1) == ""  # type: ignore[union-attr]

    assert run_once(settings).outcome == "ok"
    checked = reader_view(admin_api, title)
    assert "license-not-free" in _RULES.findall(checked)
    assert _CHECKED.search(checked).group(1) == str(first)  # type: ignore[union-attr]

    fixed = admin_api.edit(title, infobox(settings, "CC BY-SA 4.0"))["edit"]["newrevid"]
    edited = reader_view(admin_api, title)
    assert f"The bot checked revision {first}; this infobox has changed since." in edited

    assert run_once(settings).outcome == "ok"
    after = reader_view(admin_api, title)
    assert "license-not-free" not in _RULES.findall(after)
    assert _CHECKED.search(after).group(1) == str(fixed)  # type: ignore[union-attr]
    assert "has changed since" not in after
