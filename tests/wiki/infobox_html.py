"""Read the HTML MediaWiki makes of {{Partnership infobox}}: the boxes and their findings."""

from __future__ import annotations

import html
import re

BOX_START = '<table class="infobox partnership-infobox"'
_ITEM = re.compile(r"<li ([^>]*\bdata-rule=[^>]*)>(.*?)</li>", re.DOTALL)
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def boxes(html_text: str) -> list[str]:
    """Return the HTML of each infobox in page order (from its table's attributes on)."""
    return html_text.split(BOX_START)[1:]


def checked_revision(box: str) -> str:
    """Return the revision the bot checked, as the infobox's root element says ("" if none)."""
    found = re.match(r'\s*data-checked-revision="([^"]*)"', box)
    assert found is not None
    return found.group(1)


def finding_items(box: str) -> list[dict[str, str]]:
    """Return each finding the infobox lists, in order: its data-* attributes and ``text``."""
    items = []
    for attributes, inner in _ITEM.findall(box):
        item = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(attributes)}
        item["text"] = html.unescape(re.sub(r"<[^>]+>", "", inner))
        items.append(item)
    return items


def rules_shown(box: str, origin: str | None = None) -> list[tuple[str, str]]:
    """Return (rule, field) of each finding listed, of ``origin`` (bot, infobox) or all."""
    return [
        (item["data-rule"], item["data-field"])
        for item in finding_items(box)
        if origin is None or item["data-origin"] == origin
    ]


def summary_line(box: str) -> str:
    """Return the text of the checklist summary line at the top of the infobox."""
    found = re.search(r'class="partnership-infobox-summary-line"[^>]*>(.*?)</div>', box, re.S)
    assert found is not None
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))
