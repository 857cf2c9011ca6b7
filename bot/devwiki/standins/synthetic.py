"""Synthetic, deterministic figures: the same question always gets the same number.

Each figure is derived from a SHA-256 of what it is about (project, title, month...), so a demo
and a test see stable numbers without any stored data. About one page-month in eleven has no
views (the pageviews API leaves such months out of its answers).
"""

from __future__ import annotations

import hashlib

from bot.io.usage_sources import Month


def _number(*parts: str) -> int:
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def page_views(project: str, title: str, month: Month) -> int:
    """Return the views of ``title`` (spaces or underscores) on ``project`` in ``month``."""
    number = _number("views", project, title.replace("_", " "), str(month))
    if number % 11 == 0:
        return 0
    return number % 5000


def category_views(category: str, scope: str, wiki: str, month: Month) -> int:
    """Return the monthly views of the pages using a category's files."""
    number = _number("category-views", category, scope, wiki, str(month))
    return 1000 + number % 90_000


def category_snapshot(category: str, month: Month) -> dict[str, int]:
    """Return the snapshot figures of a category: coherent (used <= files, shallow <= deep)."""
    number = _number("snapshot", category, str(month))
    files_deep = 40 + number % 400
    files = files_deep - (number >> 9) % (files_deep // 2 + 1)
    used_deep = (number >> 17) % (files_deep + 1)
    used = min(files, used_deep - (number >> 25) % (used_deep // 2 + 1))
    wikis_deep = 1 + (number >> 31) % 30 if used_deep else 0
    wikis = min(wikis_deep, 1 + (number >> 37) % 10) if used else 0
    pages_deep = used_deep + (number >> 41) % 200 if used_deep else 0
    pages = min(pages_deep, used + (number >> 49) % 100) if used else 0
    return {
        "media-file-count": files,
        "media-file-count-deep": files_deep,
        "used-media-file-count": used,
        "used-media-file-count-deep": used_deep,
        "leveraging-wiki-count": wikis,
        "leveraging-wiki-count-deep": wikis_deep,
        "leveraging-page-count": pages,
        "leveraging-page-count-deep": pages_deep,
    }
