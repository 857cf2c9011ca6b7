"""Notes on the bot's own pages: why a table there is not being updated, and what to do.

A page the bot creates has an empty ``notes`` block above its main block
(:func:`bot.render.bot_pages.page_intro`). When the main block is frozen (a person edited inside
it, its markers are damaged, or the circuit breaker holds the tables), the bot writes a note
there; when the block is the bot's again, it empties the note. Nothing outside the blocks is
ever changed: a page without a notes block (made before notes existed) gets no note, and the
report says how to add the block, but only when there is something to say.

A page the bot has just created holds an empty notes block: that is recorded without a request.
A page whose note is already what it should be costs no request either.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.io.safe_save import WriteGuard, WriteOutcome, WriteStatus, save_block
from bot.pages.plan import content_digest
from bot.render.bot_pages import NOTES_BLOCK, damaged_markers_note, human_edit_note
from bot.render.messages import Messages
from bot.run.pass_context import PassContext
from bot.run.saving import remember
from bot.state.store import StoredOutput

#: Statuses after which the main block holds the bot's content (the note must be empty).
_BOTS_AGAIN = frozenset({WriteStatus.SAVED, WriteStatus.CREATED, WriteStatus.UNCHANGED})


def note_after(outcome: WriteOutcome, messages: Messages, report_page: str) -> str | None:
    """Return the note a page needs after its main block's save, or None to leave the notes be."""
    if outcome.status is WriteStatus.HUMAN_EDIT:
        return human_edit_note(messages, report_page)
    if outcome.status is WriteStatus.MARKERS_DAMAGED:
        return damaged_markers_note(messages, report_page)
    if outcome.status in _BOTS_AGAIN:
        return ""
    return None


def write_note(
    context: PassContext,
    guard: WriteGuard,
    *,
    title: str,
    note: str,
    created: WriteOutcome | None,
    previous: Mapping[tuple[str, str], StoredOutput],
    summary: str,
) -> None:
    """Put ``note`` in the notes block of ``title`` (``""`` empties it) when it differs.

    ``created`` is the outcome of the main block's save when that save created the page (with
    an empty notes block).
    """
    stored = previous.get((title, NOTES_BLOCK))
    if created is not None and not context.settings.simulate:
        stored = StoredOutput(title, NOTES_BLOCK, content_digest(""), created.revid)
        context.store.save_output(stored)
    if stored is None and not note:
        return  # no notes block known here, and nothing to say
    if stored is not None and stored.digest == content_digest(note):
        return
    outcome = save_block(guard, title, NOTES_BLOCK, note, summary, previous=stored)
    remember(context, outcome)
