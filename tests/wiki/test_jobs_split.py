"""Big tables split into subpages deterministically; parts no longer needed say so."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.devwiki.wiki import DevWiki
from bot.run.jobs import run_once
from bot.settings import Settings
from tests.wiki.client import WikiClient

TODAY = dt.date(2026, 6, 1)


def page(template: str, number: int) -> str:
    return (
        f"{{{{{template}\n| name = Split partnership {number:03d}\n| partner = Partner {number}\n"
        f"| affiliate = Wikimedia Split\n| status = active\n| type = outreach\n}}}}\n"
    )


def test_a_large_table_is_split_and_shrinks_back(
    isolated: Settings, devwiki: DevWiki, admin_api: WikiClient
) -> None:
    settings = replace(isolated, outputs=replace(isolated.outputs, max_page_bytes=6000))
    template = settings.template.name
    titles = [f"Split test/{number:03d}" for number in range(40)]
    devwiki.import_pages({title: page(template, n) for n, title in enumerate(titles)})
    first = run_once(settings, today=TODAY)
    status = settings.outputs.status_page
    main_text = admin_api.text(status) or ""
    assert f"[[:{status}/1|" in main_text
    part_one = admin_api.text(f"{status}/1") or ""
    assert "Split partnership 000" in part_one
    parts = [o["title"] for o in first.outputs if o["title"].startswith(f"{status}/")]
    assert len(parts) >= 2
    again = run_once(settings, today=TODAY)
    assert again.edits == 0

    for title in titles[5:]:
        admin_api.edit(title, "The partnership moved elsewhere.")
    shrunk = run_once(replace(settings, run=replace(settings.run, breaker_drop=1.0)), today=TODAY)
    assert shrunk.outcome == "ok"
    assert "Split partnership 004" in (admin_api.text(status) or "")
    for title in parts:
        assert "This part is no longer needed" in (admin_api.text(title) or "")
