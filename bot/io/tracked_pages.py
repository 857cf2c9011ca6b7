"""Read every infobox page with what the notices job needs: page id, revision, time, text.

One listing (``generator=embeddedin`` with the latest revision's ids, timestamp and content),
continued only as MediaWiki requires, and one request for the template's redirects. The
check-and-report pass reads the same pages; when it runs first it can hand its pages over
instead (page id, revision timestamp and text are all the notices job needs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.io.gateway import WikiGateway
from bot.io.responses import merge_page_batches


@dataclass(frozen=True)
class TrackedPage:
    """An infobox page at its latest revision."""

    title: str
    pageid: int
    revid: int
    timestamp: dt.datetime
    text: str


def template_titles(gateway: WikiGateway, template: str) -> list[str]:
    """Return the template's title and every redirect to it (one request)."""
    title = template if ":" in template else f"Template:{template}"
    names = [title]
    for batch in gateway.query_all(prop="redirects", titles=title, rdlimit="max"):
        for page in batch.get("pages", []):
            names.extend(redirect["title"] for redirect in page.get("redirects", []))
    return names


def list_tracked_pages(
    gateway: WikiGateway, template: str, namespaces: Sequence[int]
) -> list[TrackedPage]:
    """Return every page transcluding ``template``, with its latest revision, by title."""
    title = template if ":" in template else f"Template:{template}"
    params: dict[str, Any] = {
        "generator": "embeddedin",
        "geititle": title,
        "geinamespace": "|".join(str(ns) for ns in namespaces),
        "geilimit": 500 if gateway._site.has_right("apihighlimits") else 50,
        "prop": "revisions",
        "rvprop": "ids|timestamp|content",
        "rvslots": "main",
    }
    batches = (batch.get("pages", []) for batch in gateway.query_all(**params))
    pages = [
        _tracked(page)
        for page in merge_page_batches(batches, content=True, what=f"listing of {title}")
    ]
    return sorted(pages, key=lambda page: page.title)


def _tracked(page: dict[str, Any]) -> TrackedPage:
    revision = page["revisions"][0]
    stamp = dt.datetime.fromisoformat(str(revision["timestamp"]).replace("Z", "+00:00"))
    return TrackedPage(
        title=str(page["title"]),
        pageid=int(page["pageid"]),
        revid=int(revision["revid"]),
        timestamp=stamp.astimezone(dt.UTC).replace(tzinfo=None),
        text=str(revision["slots"]["main"].get("content", "")),
    )
