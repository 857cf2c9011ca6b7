"""The edit-safety rules every save goes through.

Two entry points share one implementation (:func:`_save`):

- :func:`save_block` writes generated content between ``<!-- partnerbot:begin NAME -->`` and
  ``<!-- partnerbot:end NAME -->``; text outside the markers is kept byte for byte; a missing page
  is created with its markers; missing or damaged markers on an existing page mean no edit.
- :func:`save_owned_page` writes a page the bot owns whole (the findings data page, the
  templates it installs).

Both refuse to overwrite a human: when the current content differs from what the bot last saved
(digest in the state store) and the page's last editor is not the bot, the page is skipped and
reported. An empty block is the way to hand it back to the bot. Before every edit the run page is
read again and the edit budget checked; ``{{nobots}}``/``{{bots}}`` are respected; edit conflicts
are retried after a fresh read; protected, deleted-meanwhile and created-meanwhile pages are
skipped. In simulate mode nothing is sent and the diff is kept for the report.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.io.gateway import EditOutcome, PageState, WikiGateway
from bot.pages.blocks import (
    BlockDamage,
    find_block,
    new_page_with_block,
    normalise_for_compare,
    replace_block,
)
from bot.pages.exclusion import bot_may_edit
from bot.state.store import StoredOutput

log = logging.getLogger(__name__)

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
    FAILED = "refused by the wiki"


#: Statuses that leave the page as it was and must be reported to a human.
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
        WriteStatus.FAILED,
    }
)


@dataclass(frozen=True)
class WriteOutcome:
    """The result for one output, with what the state store should remember."""

    title: str
    block: str
    status: WriteStatus
    detail: str = ""
    revid: int | None = None
    digest: str | None = None
    diff: str = ""

    def as_dict(self) -> dict[str, str]:
        """Return the outcome as plain data for ``--json`` and the run log."""
        return {
            "title": self.title,
            "block": self.block,
            "status": self.status.value,
            "detail": self.detail,
        }

    @property
    def stored(self) -> StoredOutput | None:
        """Return the state row to record, when the bot's content is now on the page."""
        if self.digest is None or self.status not in {
            WriteStatus.SAVED,
            WriteStatus.CREATED,
            WriteStatus.UNCHANGED,
        }:
            return None
        return StoredOutput(self.title, self.block, self.digest, self.revid)


def comparable(text: str) -> str:
    """Return ``text`` as stored by MediaWiki, without the newlines around a block's content."""
    return normalise_for_compare(text).strip("\n")


def content_digest(text: str) -> str:
    """Return the digest of ``text`` as the comparison sees it."""
    return hashlib.sha256(comparable(text).encode("utf-8")).hexdigest()


@dataclass
class WriteGuard:
    """Per-run write policy: simulate, edit budget, run page, retries, identity."""

    gateway: WikiGateway | None
    bot_name: str
    run_page: str
    enabled_value: str
    max_edits: int
    conflict_retries: int = 2
    simulate: bool = False
    edits: int = 0
    outcomes: list[WriteOutcome] = field(default_factory=list)
    read_run_page: Callable[[], str | None] | None = None

    def run_page_enabled(self) -> bool:
        """Read the run page now; anything but the configured value disables editing."""
        if self.read_run_page is not None:
            text = self.read_run_page()
        else:
            if self.gateway is None:
                return False
            state = self.gateway.read_page(self.run_page)
            text = state.text if state.exists else None
        return text is not None and text.strip().casefold() == self.enabled_value.casefold()


@dataclass(frozen=True)
class _Edit:
    """One requested write: where, what, and how to fit it into the page's current text."""

    title: str
    block: str
    content: str
    summary: str
    #: Returns (new page text, current content of the block) or a refusal.
    compose: Callable[[PageState], tuple[str, str] | WriteOutcome]
    previous: StoredOutput | None
    minor: bool = True
    contentmodel: str | None = None

    @property
    def digest(self) -> str:
        return content_digest(self.content)

    def outcome(
        self,
        status: WriteStatus,
        detail: str = "",
        *,
        revid: int | None = None,
        digest: str | None = None,
        diff: str = "",
    ) -> WriteOutcome:
        return WriteOutcome(self.title, self.block, status, detail, revid, digest, diff)


def save_block(
    guard: WriteGuard,
    title: str,
    block: str,
    content: str,
    summary: str,
    *,
    previous: StoredOutput | None,
    intro: str = "",
    minor: bool = True,
) -> WriteOutcome:
    """Write ``content`` into the managed block ``block`` of ``title``."""

    def compose(state: PageState) -> tuple[str, str] | WriteOutcome:
        if not state.exists:
            return new_page_with_block(block, content, intro), ""
        span = find_block(state.text, block)
        if isinstance(span, BlockDamage):
            return WriteOutcome(title, block, WriteStatus.MARKERS_DAMAGED, span.detail)
        replaced = replace_block(state.text, block, content)
        if isinstance(replaced, BlockDamage):
            return WriteOutcome(title, block, WriteStatus.MARKERS_DAMAGED, replaced.detail)
        return replaced, state.text[span.content_start : span.content_end]

    return _save(guard, _Edit(title, block, content, summary, compose, previous, minor))


def save_owned_page(
    guard: WriteGuard,
    title: str,
    text: str,
    summary: str,
    *,
    previous: StoredOutput | None,
    contentmodel: str | None = None,
) -> WriteOutcome:
    """Write the whole of ``title``, a page the bot owns (data pages, installed templates)."""

    def compose(state: PageState) -> tuple[str, str]:
        return text, state.text

    edit = _Edit(title, WHOLE_PAGE, text, summary, compose, previous, True, contentmodel)
    return _save(guard, edit)


def _save(guard: WriteGuard, edit: _Edit) -> WriteOutcome:
    if guard.gateway is None:
        raise RuntimeError("save without a wiki gateway")
    if edit.previous is not None and edit.previous.digest == edit.digest:
        # The bot saved exactly this content last time: nothing to write, so nothing to read.
        outcome = edit.outcome(WriteStatus.UNCHANGED, revid=edit.previous.revid, digest=edit.digest)
    else:
        outcome = _attempt(guard, guard.gateway, edit)
    guard.outcomes.append(outcome)
    level = logging.WARNING if outcome.status in REPORTABLE else logging.INFO
    log.log(level, "%s [%s]: %s %s", edit.title, edit.block, outcome.status.value, outcome.detail)
    return outcome


def _attempt(guard: WriteGuard, gateway: WikiGateway, edit: _Edit) -> WriteOutcome:
    for _retry in range(guard.conflict_retries + 1):
        state = gateway.read_page(edit.title)
        planned = _plan(guard, gateway, edit, state)
        if isinstance(planned, WriteOutcome):
            return planned
        diff = _diff(edit.title, state.text, planned)
        if guard.simulate:
            return edit.outcome(WriteStatus.SIMULATED, diff=diff)
        if not guard.run_page_enabled():
            return edit.outcome(WriteStatus.DISABLED, guard.run_page)
        result = gateway.edit(
            state, planned, edit.summary, minor=edit.minor, contentmodel=edit.contentmodel
        )
        if result.outcome is EditOutcome.CONFLICT:
            log.info("%s: edit conflict, reading again", edit.title)
            continue
        guard.edits += result.outcome is EditOutcome.SAVED
        status = _STATUSES.get(result.outcome, WriteStatus.FAILED)
        if status is WriteStatus.SAVED and not state.exists:
            status = WriteStatus.CREATED
        return edit.outcome(
            status, result.detail, revid=result.revid, digest=edit.digest, diff=diff
        )
    return edit.outcome(WriteStatus.CONFLICT, f"after {guard.conflict_retries} retries")


def _plan(
    guard: WriteGuard, gateway: WikiGateway, edit: _Edit, state: PageState
) -> str | WriteOutcome:
    """Return the new page text, or why the page must be left as it is."""
    if state.exists and state.redirect:
        return edit.outcome(WriteStatus.FAILED, "page is a redirect; not followed")
    if state.exists and not bot_may_edit(state.text, guard.bot_name):
        return edit.outcome(WriteStatus.BOTS_DENIED)
    if not state.exists and (edit.previous is not None or gateway.was_deleted(edit.title)):
        return edit.outcome(WriteStatus.DELETED, "deleted by someone; not recreated")
    composed = edit.compose(state)
    if isinstance(composed, WriteOutcome):
        return composed
    new_text, current = composed
    if state.exists:
        if comparable(current) == comparable(edit.content):
            return edit.outcome(WriteStatus.UNCHANGED, revid=state.revid, digest=edit.digest)
        if not _bot_owns(current, state, edit.previous, guard.bot_name):
            by = f"last edit by {state.last_user}" if state.last_user else ""
            return edit.outcome(WriteStatus.HUMAN_EDIT, by)
        if normalise_for_compare(new_text) == normalise_for_compare(state.text):
            return edit.outcome(WriteStatus.UNCHANGED, revid=state.revid, digest=edit.digest)
    if guard.edits >= guard.max_edits:
        return edit.outcome(WriteStatus.EDIT_LIMIT, f"limit {guard.max_edits}")
    return new_text


_STATUSES = {
    EditOutcome.SAVED: WriteStatus.SAVED,
    EditOutcome.UNCHANGED: WriteStatus.UNCHANGED,
    EditOutcome.PROTECTED: WriteStatus.PROTECTED,
    EditOutcome.DELETED: WriteStatus.DELETED,
    EditOutcome.CREATED: WriteStatus.CREATED_MEANWHILE,
}


def _bot_owns(current: str, state: PageState, previous: StoredOutput | None, bot_name: str) -> bool:
    if not comparable(current).strip():
        return True
    if previous is not None:
        return content_digest(current) == previous.digest
    return (state.last_user or "").casefold() == bot_name.casefold()


def _diff(title: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), f"{title} (current)", f"{title} (bot)", lineterm="", n=1
    )
    return "\n".join(lines)
