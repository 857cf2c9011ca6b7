"""The fixed text of the pages the bot writes: the note above its blocks, retired table parts,
and the problems its report lists.
"""

from __future__ import annotations

from bot.render.links import page_link

#: Written above the bot's block when it creates a page.
INTRO = (
    "This page is kept up to date by the partnership tracker bot. Text between the bot's "
    "markers is replaced on every run; write anything else outside them."
)


def retired_part_note(base_title: str) -> str:
    """Return what a table part a smaller table no longer needs says instead."""
    return (
        "This part is no longer needed: the whole table is on "
        f"{page_link(base_title, base_title)}.\n"
    )
