"""Decide what one save should do with a page the bot writes to: the edit-safety rules, pure.

Given the page exactly as it was read and what the bot wants to put in its block (or in the whole
page, for a page the bot owns), :func:`plan_save` returns the new page text, or why the page must
be left as it is:

- a redirect is not followed; ``{{nobots}}``/``{{bots}}`` are respected
  (:mod:`bot.pages.exclusion`);
- a missing page that the bot saved before, or that the deletion log names, was deleted by someone
  and is not recreated;
- missing or damaged markers mean no edit (:mod:`bot.pages.blocks`);
- a block (or owned page) whose current content differs from what the bot last saved, and whose
  last editor is not the bot, was edited by a person: it is kept and reported (an empty block hands
  it back to the bot);
- a text that would only change in what MediaWiki normalises on save is not an edit;
- the run's edit budget is respected.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.pages.blocks import (
    BlockDamage,
    find_block,
    new_page_with_block,
    normalise_for_compare,
    replace_block,
)
from bot.pages.exclusion import bot_may_edit

#: The block name used for pages the bot owns whole.
WHOLE_PAGE = "(page)"


class WriteStatus(StrEnum):
    """What happened to one output."""

    SAVED = "saved"
    CREATED = "created"
    UNCHANGED = "unchanged"
    SIMULATED = "simulated"
    MARKERS_DAMAGED = "markers damaged"
    HUMAN_EDIT = "edited by a person since the bot's last save"
    BOTS_DENIED = "bot excluded by {{bots}}/{{nobots}}"
    PROTECTED = "protected"
    DELETED = "deleted (not recreated)"
    CREATED_MEANWHILE = "created by someone else meanwhile"
    CONFLICT = "edit conflict persisted"
    DISABLED = "run page disabled the bot"
    EDIT_LIMIT = "edit limit reached"
    REDIRECT = "page is a redirect (not followed)"
    FAILED = "refused by the wiki"


#: Statuses that leave the page as it was and must be reported to a person.
REPORTABLE = frozenset(
    {
        WriteStatus.MARKERS_DAMAGED,
        WriteStatus.HUMAN_EDIT,
        WriteStatus.BOTS_DENIED,
        WriteStatus.PROTECTED,
        WriteStatus.DELETED,
        WriteStatus.CREATED_MEANWHILE,
        WriteStatus.CONFLICT,
        WriteStatus.EDIT_LIMIT,
        WriteStatus.REDIRECT,
        WriteStatus.FAILED,
    }
)


@dataclass(frozen=True)
class PageState:
    """A page exactly as read just before an edit; the edit is based on this revision."""

    title: str
    exists: bool
    text: str
    revid: int | None
    timestamp: str | None
    starttimestamp: str
    last_user: str | None
    content_model: str | None
    redirect: bool = False


@dataclass(frozen=True)
class Refusal:
    """Why a page is left as it is (or, for UNCHANGED, that nothing needs saving)."""

    status: WriteStatus
    detail: str = ""


def comparable(text: str) -> str:
    """Return ``text`` as MediaWiki stores it, without the newlines around a block's content."""
    return normalise_for_compare(text).strip("\n")


def content_digest(text: str) -> str:
    """Return the digest of ``text`` as the comparison sees it."""
    return hashlib.sha256(comparable(text).encode("utf-8")).hexdigest()


#: Fits the wanted content into a page's current text: (new text, current content) or a refusal.
Composer = Callable[[PageState], "tuple[str, str] | Refusal"]


def block_composer(block: str, content: str, intro: str = "") -> Composer:
    """Return the composer that puts ``content`` between the markers of ``block``."""

    def compose(state: PageState) -> tuple[str, str] | Refusal:
        if not state.exists:
            return new_page_with_block(block, content, intro), ""
        span = find_block(state.text, block)
        if isinstance(span, BlockDamage):
            return Refusal(WriteStatus.MARKERS_DAMAGED, span.detail)
        replaced = replace_block(state.text, block, content)
        if isinstance(replaced, BlockDamage):
            return Refusal(WriteStatus.MARKERS_DAMAGED, replaced.detail)
        return replaced, state.text[span.content_start : span.content_end]

    return compose


def whole_page_composer(text: str) -> Composer:
    """Return the composer for a page the bot owns whole."""

    def compose(state: PageState) -> tuple[str, str]:
        return text, state.text

    return compose


@dataclass(frozen=True)
class SaveRequest:
    """One wanted write: where, what, how it fits the page, and what the bot saved last time."""

    title: str
    block: str
    content: str
    compose: Composer
    #: Digest of what the bot last saved here (None: never, as far as the store knows).
    previous_digest: str | None

    @property
    def digest(self) -> str:
        """Return the digest of the wanted content."""
        return content_digest(self.content)


def plan_save(
    request: SaveRequest,
    state: PageState,
    *,
    bot_name: str,
    deleted: bool,
    budget_left: int,
) -> str | Refusal:
    """Return the new text of ``state``'s page, or why the page must be left as it is.

    ``deleted`` says whether the deletion log names a missing page; ``budget_left`` is how many
    edits the run may still make.
    """
    if state.exists and state.redirect:
        return Refusal(WriteStatus.REDIRECT)
    if state.exists and not bot_may_edit(state.text, bot_name):
        return Refusal(WriteStatus.BOTS_DENIED)
    if not state.exists and (request.previous_digest is not None or deleted):
        return Refusal(WriteStatus.DELETED, "deleted by someone; not recreated")
    composed = request.compose(state)
    if isinstance(composed, Refusal):
        return composed
    new_text, current = composed
    if state.exists:
        if comparable(current) == comparable(request.content):
            return Refusal(WriteStatus.UNCHANGED)
        if not bot_owns(current, state, request.previous_digest, bot_name):
            by = f"last edit by {state.last_user}" if state.last_user else ""
            return Refusal(WriteStatus.HUMAN_EDIT, by)
        if normalise_for_compare(new_text) == normalise_for_compare(state.text):
            return Refusal(WriteStatus.UNCHANGED)
    if budget_left <= 0:
        return Refusal(WriteStatus.EDIT_LIMIT)
    return new_text


def bot_owns(current: str, state: PageState, previous_digest: str | None, bot_name: str) -> bool:
    """Return whether the current content is the bot's to replace."""
    if not comparable(current).strip():
        return True
    if previous_digest is not None:
        return content_digest(current) == previous_digest
    return (state.last_user or "").casefold() == bot_name.casefold()


def unified_diff(title: str, old: str, new: str) -> str:
    """Return a unified diff of a page's text, for simulate mode and the logs."""
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), f"{title} (current)", f"{title} (bot)", lineterm="", n=1
    )
    return "\n".join(lines)
