"""Set the scene for infobox tests: a wrapper template with its own findings data page.

The data pages are built from the bot's own parse and checklist of the same wikitext
(``build_findings_pages``) and read back by the Lua module through ``mw.loadJsonData``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from bot.checklist.assess import assess_page
from bot.parse.records import parse_page
from bot.render.findings_json import build_findings_pages, flag_infos, rule_infos
from bot.resources import load_checklist
from tests.wiki.client import WikiClient

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST = load_checklist(ROOT / "config" / "checklist.toml")
TODAY = dt.date(2026, 6, 1)
#: When the bot's data says it checked the pages.
UPDATED = "2026-06-01T09:30:00+00:00"


def render(wiki: WikiClient, text: str, title: str = "Partnerships/Render test") -> dict[str, Any]:
    """Return the parse result, failing on any script or parser error in the output."""
    parsed = wiki.parse(text, title=title)
    assert "scribunto-error" not in parsed["text"]
    assert 'class="error' not in parsed["text"]
    return parsed


def categories(parsed: dict[str, Any]) -> set[str]:
    return {category["category"] for category in parsed["categories"]}


def with_data_page(wiki: WikiClient, name: str, extra: str = "") -> tuple[str, str, str]:
    """Return (template call prefix, template name, data page): a wrapper with its own data.

    ``extra`` is added to the #invoke's arguments (``|method=...``).
    """
    base = f"Module:Partnership infobox/render test {name}.json"
    wrapper = f"Partnership infobox render test {name}"
    invoke = f"{{{{#invoke:Partnership infobox|main|findings={base}{extra}}}}}"
    wiki.edit(f"Template:{wrapper}", invoke)
    return "{{" + wrapper, wrapper, base


def save_data(wiki: WikiClient, pages: dict[str, str]) -> None:
    for title, text in pages.items():
        wiki.edit(title, text, summary="findings data for the render tests", contentmodel="json")


def check_and_save(
    wiki: WikiClient,
    base: str,
    checked: dict[str, tuple[str, int]],
    template: str,
    max_bytes: int = 1_800_000,
) -> dict[str, str]:
    """Check each page (title -> (wikitext, revision)) as the bot does and save the data."""
    assessments, page_findings = [], []
    for title, (text, revid) in checked.items():
        parsed = parse_page(title, text, template_names=[template], revid=revid)
        found, about_page = assess_page(CHECKLIST, parsed, TODAY)
        assessments.extend(found)
        page_findings.extend(about_page)
    pages = build_findings_pages(
        base,
        assessments,
        rule_infos(CHECKLIST.rules),
        flag_infos(CHECKLIST.flags.values()),
        UPDATED,
        max_bytes,
        page_findings=page_findings,
    )
    save_data(wiki, pages)
    return pages
