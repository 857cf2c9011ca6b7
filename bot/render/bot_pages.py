"""The fixed text of the pages the bot writes: what opens them, notes about frozen tables, and
the note on table parts a smaller table no longer needs.

Every page the bot creates opens with a sentence saying who maintains it, followed by an empty
``notes`` block and then the bot's main block. The notes block is where the bot says, on the page
itself, why its table is not being updated (a person edited inside the bot's block, the markers
are damaged, or the circuit breaker holds the tables) and what to do. The bot never writes
outside its blocks: a page created before notes existed gets them when a person adds the two
marker lines of the ``notes`` block above the table (the report says so when a note could not
be shown).
"""

from __future__ import annotations

from bot.pages.blocks import begin_marker, end_marker
from bot.render.links import page_link
from bot.render.messages import Messages

#: Opens every block the bot writes on a page of its own.
NO_EDIT_SECTION = "__NOEDITSECTION__"
#: The block of a page in which the bot explains why its table is frozen.
NOTES_BLOCK = "notes"
_NOTE_STYLE = "border:1px solid #a66200;background:#fef6e7;padding:0.4em 0.8em;margin:0.5em 0"


def page_intro(messages: Messages, *blocks: str) -> str:
    """Return what a new page holds above its main block: a sentence, then empty ``blocks``."""
    lines = [messages.text("partnerbot-report-intro"), ""]
    for name in blocks:
        lines += [begin_marker(name), end_marker(name)]
    return "\n".join(lines)


def human_edit_note(messages: Messages, report_page: str) -> str:
    """Return the note on a page whose block a person edited since the bot's last save."""
    return _note(messages.text("partnerbot-report-note-human-edit", report_page))


def damaged_markers_note(messages: Messages, report_page: str) -> str:
    """Return the note on a page whose block markers are damaged."""
    return _note(messages.text("partnerbot-report-note-damaged", report_page))


def breaker_note(messages: Messages, previous: int, current: int, report_page: str) -> str:
    """Return the note on the table pages while the circuit breaker holds them."""
    return _note(messages.text("partnerbot-report-note-breaker", previous, current, report_page))


def _note(text: str) -> str:
    return f'<div class="partnerbot-note" style="{_NOTE_STYLE}">\n{text}\n</div>'


def retired_part_note(messages: Messages, base_title: str) -> str:
    """Return what a table part a smaller table no longer needs says instead."""
    link = page_link(base_title, base_title)
    return f"{NO_EDIT_SECTION}\n{messages.text('partnerbot-report-retired-part', link)}\n"


def unreadable_detail() -> str:
    """Return what a kept page's finding adds when its current revision cannot be read.

    Part of the finding's sentence, which the checklist still writes in English.
    """
    return (
        "The page uses the infobox, but it could not be read; the last readable version is "
        "shown until the page is repaired."
    )
