"""The one way the bot saves a page: read, plan (:mod:`bot.pages.plan`), check the run page, edit.

Two entry points share one implementation:

- :func:`save_block` writes generated content between ``<!-- partnerbot:begin NAME -->`` and
  ``<!-- partnerbot:end NAME -->``; text outside the markers is kept byte for byte; a missing page
  is created with its markers;
- :func:`save_owned_page` writes a page the bot owns whole (the findings data page, the templates
  it installs).

A :class:`WriteGuard` carries one run's write policy. :meth:`WriteGuard.prepare` reads every page
the run may write, and the run page, in one request per 500 titles, and asks the deletion log
about the missing ones; each save then plans against that reading. The edit carries the
``basetimestamp`` and ``starttimestamp`` of the reading it was planned from, so a person's edit in
between is an edit conflict, after which the page is read again and planned again (at most
``conflict_retries`` times). Before an edit the run page is read again unless the last reading is
younger than ``run_page_max_age`` seconds (on a real wiki, where edits are ``put_throttle`` apart,
that is before every edit), so a switched-off bot makes no further edit. In simulate mode
nothing is sent and the diff is kept for the report.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.io.gateway import EditOutcome, WikiGateway
from bot.pages.plan import (
    REPORTABLE,
    WHOLE_PAGE,
    PageState,
    Refusal,
    SaveRequest,
    WriteStatus,
    block_composer,
    plan_save,
    unified_diff,
    whole_page_composer,
)
from bot.state.store import StoredOutput

__all__ = [
    "REPORTABLE",
    "WHOLE_PAGE",
    "WriteGuard",
    "WriteOutcome",
    "WriteStatus",
    "save_block",
    "save_owned_page",
]

log = logging.getLogger(__name__)

#: Statuses after which the bot's content is on the page (the store remembers it).
_ON_PAGE = frozenset({WriteStatus.SAVED, WriteStatus.CREATED, WriteStatus.UNCHANGED})


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
        if self.digest is None or self.status not in _ON_PAGE:
            return None
        return StoredOutput(self.title, self.block, self.digest, self.revid)


@dataclass
class WriteGuard:
    """One run's write policy: simulate, edit budget, run page, retries, identity."""

    gateway: WikiGateway
    run_page: str
    enabled_value: str
    max_edits: int
    conflict_retries: int = 2
    simulate: bool = False
    #: Seconds for which a reading of the run page stands for the next edits.
    run_page_max_age: float = 0.0
    edits: int = 0
    outcomes: list[WriteOutcome] = field(default_factory=list)
    _states: dict[str, PageState] = field(default_factory=dict, repr=False)
    _deleted: set[str] = field(default_factory=set, repr=False)
    _asked_log: set[str] = field(default_factory=set, repr=False)
    #: The last reading of the run page: (monotonic time, whether it allowed edits).
    _run_page_read: tuple[float, bool] | None = field(default=None, repr=False)

    @property
    def bot_name(self) -> str:
        """Return the account the bot edits as."""
        return self.gateway.username

    def prepare(
        self, titles: Iterable[str], previous: Mapping[tuple[str, str], StoredOutput]
    ) -> bool:
        """Read ``titles`` and the run page at once; return whether the run page allows edits.

        Missing pages the store never saw are looked up in the deletion log (one request per
        namespace), so that a page an administrator deleted is not recreated.
        """
        wanted = sorted(set(titles))
        states = self.gateway.read_pages([*wanted, self.run_page])
        run_page = states.pop(self.run_page)
        self._states.update(states)
        unknown_missing = [
            title
            for title, state in states.items()
            if not state.exists and not any(key[0] == title for key in previous)
        ]
        self._deleted |= self.gateway.deleted_titles(unknown_missing)
        self._asked_log.update(unknown_missing)
        enabled = self._enabled(run_page)
        self._run_page_read = (time.monotonic(), enabled)
        return enabled

    def run_page_enabled(self) -> bool:
        """Read the run page now; anything but the configured value disables editing."""
        enabled = self._enabled(self.gateway.read_page(self.run_page))
        self._run_page_read = (time.monotonic(), enabled)
        return enabled

    def _enabled(self, state: PageState) -> bool:
        text = state.text if state.exists else None
        return text is not None and text.strip().casefold() == self.enabled_value.casefold()

    def _state(self, title: str) -> PageState:
        state = self._states.pop(title, None)
        return state if state is not None else self.gateway.read_page(title)

    def _deleted_meanwhile(self, state: PageState, previous_digest: str | None) -> bool:
        """Return whether a missing page was deleted by someone (the log is asked once)."""
        if state.exists or previous_digest is not None:
            return False
        if state.title not in self._asked_log:
            self._asked_log.add(state.title)
            self._deleted |= self.gateway.deleted_titles([state.title])
        return state.title in self._deleted

    def _may_edit_now(self) -> bool:
        last = self._run_page_read
        if last is not None and time.monotonic() - last[0] <= self.run_page_max_age:
            return last[1]
        return self.run_page_enabled()


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
    digest = previous.digest if previous else None
    request = SaveRequest(title, block, content, block_composer(block, content, intro), digest)
    return _save(guard, request, summary, minor=minor, contentmodel=None)


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
    digest = previous.digest if previous else None
    request = SaveRequest(title, WHOLE_PAGE, text, whole_page_composer(text), digest)
    return _save(guard, request, summary, minor=True, contentmodel=contentmodel)


def _save(
    guard: WriteGuard,
    request: SaveRequest,
    summary: str,
    *,
    minor: bool,
    contentmodel: str | None,
) -> WriteOutcome:
    if request.previous_digest == request.digest:
        # The bot saved exactly this content last time: nothing to write, so nothing to read.
        guard._states.pop(request.title, None)
        outcome = _outcome(request, WriteStatus.UNCHANGED, digest=request.digest)
    else:
        outcome = _attempt(guard, request, summary, minor=minor, contentmodel=contentmodel)
    guard.outcomes.append(outcome)
    level = logging.WARNING if outcome.status in REPORTABLE else logging.INFO
    log.log(level, "%s [%s]: %s %s", request.title, request.block, outcome.status, outcome.detail)
    return outcome


def _outcome(
    request: SaveRequest,
    status: WriteStatus,
    detail: str = "",
    *,
    revid: int | None = None,
    digest: str | None = None,
    diff: str = "",
) -> WriteOutcome:
    return WriteOutcome(request.title, request.block, status, detail, revid, digest, diff)


def _attempt(
    guard: WriteGuard,
    request: SaveRequest,
    summary: str,
    *,
    minor: bool,
    contentmodel: str | None,
) -> WriteOutcome:
    gateway = guard.gateway
    for _retry in range(guard.conflict_retries + 1):
        state = guard._state(request.title)
        planned = plan_save(
            request,
            state,
            bot_name=guard.bot_name,
            deleted=guard._deleted_meanwhile(state, request.previous_digest),
            budget_left=guard.max_edits - guard.edits,
        )
        if isinstance(planned, Refusal):
            if planned.status is WriteStatus.UNCHANGED:
                return _outcome(request, planned.status, revid=state.revid, digest=request.digest)
            detail = planned.detail or (
                f"limit {guard.max_edits}" if planned.status is WriteStatus.EDIT_LIMIT else ""
            )
            return _outcome(request, planned.status, detail)
        diff = unified_diff(request.title, state.text, planned)
        if guard.simulate:
            return _outcome(request, WriteStatus.SIMULATED, diff=diff)
        if not guard._may_edit_now():
            return _outcome(request, WriteStatus.DISABLED, guard.run_page)
        result = gateway._edit(state, planned, summary, minor=minor, contentmodel=contentmodel)
        if result.outcome is EditOutcome.CONFLICT:
            log.info("%s: edit conflict, reading again", request.title)
            continue
        guard.edits += result.outcome is EditOutcome.SAVED
        status = _STATUSES.get(result.outcome, WriteStatus.FAILED)
        if status is WriteStatus.SAVED and not state.exists:
            status = WriteStatus.CREATED
        return _outcome(
            request, status, result.detail, revid=result.revid, digest=request.digest, diff=diff
        )
    return _outcome(request, WriteStatus.CONFLICT, f"after {guard.conflict_retries} retries")


_STATUSES = {
    EditOutcome.SAVED: WriteStatus.SAVED,
    EditOutcome.UNCHANGED: WriteStatus.UNCHANGED,
    EditOutcome.PROTECTED: WriteStatus.PROTECTED,
    EditOutcome.DELETED: WriteStatus.DELETED,
    EditOutcome.CREATED: WriteStatus.CREATED_MEANWHILE,
}
