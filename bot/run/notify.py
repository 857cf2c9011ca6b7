"""The notices job: derive events, skip what the wiki already has, post the rest once.

``notify`` composes the pure core (events, notice text) with the wiki (noticeboard, talk pages)
and the ledger. It costs, when something is to be posted, one read of the board and all its
archives plus one edit per section, whatever the number of notices (and one read of the run page
before each edit); when every pending key is already in the ledger, nothing at all.

Order of a run:

1. Derive events from the previous snapshot, the current records and today (a baseline when
   there is no snapshot: nothing is posted).
2. Keys already in the ledger are done. If any key is left, read the board and its archives,
   record every key found there in the ledger (this rebuilds a lost ledger), and drop those.
3. Post the rest, oldest first, ``max_events_per_section`` per section and at most
   ``max_sections_per_run`` sections; the rest waits for the next run. Each delivered section's
   keys go into the ledger at once. A section whose reply was lost is confirmed by reading the
   board again, never re-sent in the same run.
4. With talk reminders on, the same for each partnership's talk page (one section per page).

The returned snapshot holds every event not yet delivered; the caller saves it (except in
simulate mode). If the job fails before returning, the previous snapshot stays, and the next run
derives the same keys again.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.events.derive import Derivation, derive_events, order_events
from bot.events.model import Event, RecordId, Snapshot, TrackedRecord
from bot.io.gateway import WikiGateway
from bot.io.noticeboard import (
    NoticePage,
    PostOutcome,
    PostResult,
    Refusal,
    post_section,
    read_board,
    read_pages,
    read_talk_pages,
    refusal,
    talk_titles,
)
from bot.render.notices import (
    MessageText,
    NoticeSection,
    PartnershipInfo,
    info_from,
    render_board_section,
    render_talk_section,
)
from bot.settings import NoticeSettings, Settings
from bot.state.ledger import NoticeLedger

log = logging.getLogger(__name__)


@dataclass
class NotifySummary:
    """What one notices run did, for the log line, ``--json`` and the run log."""

    outcome: str = "ok"
    reason: str = ""
    records: int = 0
    derived: int = 0
    candidates: int = 0
    in_ledger: int = 0
    found_on_wiki: int = 0
    posted: int = 0
    sections: int = 0
    deferred: int = 0
    dropped: int = 0
    expired: int = 0
    talk_posted: int = 0
    requests: int = 0
    seconds: float = 0.0
    posted_keys: list[str] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)

    def problem(self, page: str, status: str, detail: str = "") -> None:
        """Record a page the job could not post on, for the report."""
        self.problems.append({"page": page, "status": status, "detail": detail})
        log.warning("notices: %s: %s %s", page, status, detail)

    def line(self) -> str:
        """Return the one-line summary (J1)."""
        return (
            f"notify {self.outcome}: {self.derived} new events, {self.candidates} pending, "
            f"{self.in_ledger} known, {self.found_on_wiki} found on the wiki, {self.posted} "
            f"posted in {self.sections} sections, {self.deferred} deferred, {self.talk_posted} "
            f"talk reminders, {self.requests} API requests, {self.seconds:.1f} s"
            + (f"; {self.reason}" if self.reason else "")
        )

    def as_dict(self) -> dict[str, object]:
        """Return the summary as plain data."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class NotifyResult:
    """The summary, the snapshot to save, and the sections posted (or, simulating, rendered)."""

    summary: NotifySummary
    snapshot: Snapshot
    sections: tuple[NoticeSection, ...] = ()
    #: The events this run had to post: new ones and those still waiting from earlier runs.
    events: tuple[Event, ...] = ()

    def as_json(self) -> dict[str, object]:
        """Return the summary, the events (and, simulating, the sections) as plain data."""
        return {
            "summary": self.summary.as_dict(),
            "events": [
                {
                    "key": event.key,
                    "kind": event.kind.value,
                    "page": event.title,
                    "name": event.name,
                    "value": event.value,
                    "previous": event.previous,
                    "since": event.since.isoformat(),
                }
                for event in self.events
            ],
            "sections": [
                {"heading": section.heading, "text": section.body} for section in self.sections
            ],
        }

    def as_text(self) -> str:
        """Return the sections (when simulating) and the summary line, for people."""
        shown = [f"== {section.heading} ==\n{section.body}\n" for section in self.sections]
        return "\n".join([*shown, self.summary.line()])


@dataclass
class _Run:
    settings: Settings
    notices: NoticeSettings
    gateway: WikiGateway
    ledger: NoticeLedger
    text: MessageText
    today: dt.date
    infos: Mapping[RecordId, PartnershipInfo]
    run_page_enabled: Callable[[], bool]
    summary: NotifySummary
    sections: list[NoticeSection] = field(default_factory=list)

    def may_edit(self) -> bool:
        if self.settings.simulate:
            return True
        if self.run_page_enabled():
            return True
        self.summary.outcome = "disabled"
        self.summary.reason = f"the run page {self.settings.run.run_page} disabled the bot"
        return False


def notify(
    settings: Settings,
    notices: NoticeSettings,
    records: Sequence[TrackedRecord],
    previous: Snapshot | None,
    today: dt.date,
    *,
    gateway: WikiGateway,
    ledger: NoticeLedger,
    text: MessageText,
    known_flags: frozenset[str] | None = None,
    run_page_enabled: Callable[[], bool] | None = None,
) -> NotifyResult:
    """Post the notices due since ``previous``; return the summary and the snapshot to save."""
    started = time.monotonic()
    counter = getattr(gateway, "counter", None)
    requests_before = counter.total if counter is not None else 0
    summary = NotifySummary(records=len(records))
    derivation = derive_events(previous, records, today, notices, known_flags)
    snapshot = _account(derivation, summary)
    sections: tuple[NoticeSection, ...] = ()
    if not notices.enabled:
        summary.outcome, summary.reason = "off", "notices are switched off in the settings"
        snapshot = Snapshot(snapshot.taken, snapshot.records)
    elif derivation.baseline:
        summary.outcome = "baseline"
        summary.reason = f"first run: {len(snapshot.records)} partnerships recorded, none announced"
    else:
        run = _Run(
            settings,
            notices,
            gateway,
            ledger,
            text,
            today,
            {item.id: info_from(item.record) for item in records},
            run_page_enabled or (lambda: run_page_says_enabled(gateway, settings)),
            summary,
        )
        snapshot = _post_board(run, snapshot)
        if notices.talk_reminders and summary.outcome == "ok":
            snapshot = _post_talk(run, snapshot)
        sections = tuple(run.sections)
        if settings.simulate and summary.outcome == "ok":
            summary.outcome = "simulated"
    summary.deferred = len(snapshot.pending)
    if counter is not None:
        summary.requests = counter.total - requests_before
    summary.seconds = time.monotonic() - started
    log.info("%s", summary.line())
    return NotifyResult(summary, snapshot, sections, derivation.snapshot.pending)


def _account(derivation: Derivation, summary: NotifySummary) -> Snapshot:
    summary.derived = len(derivation.events)
    summary.dropped = len(derivation.dropped)
    summary.expired = len(derivation.expired)
    for event in derivation.expired:
        summary.problem(event.title, "notice dropped", f"{event.key}: not posted in time")
    for rid in derivation.duplicates:
        summary.problem(rid.token(), "record given twice", "the first one was used")
    return derivation.snapshot


def run_page_says_enabled(gateway: WikiGateway, settings: Settings) -> bool:
    """Read the run page now; anything but the configured value means stop (one request)."""
    (page,) = read_pages(gateway, [settings.run.run_page])
    wanted = settings.run.enabled_value.casefold()
    return page.exists and page.text.strip().casefold() == wanted


# -- the board ----------------------------------------------------------------------------------


def _post_board(run: _Run, snapshot: Snapshot) -> Snapshot:
    notices, summary = run.notices, run.summary
    board = notices.board
    names = {rid: info.name for rid, info in run.infos.items()}
    pending = order_events(snapshot.pending, names)
    summary.candidates = len(pending)
    if not pending:
        return snapshot
    known = run.ledger.posted_keys(board)
    todo = [event for event in pending if event.key not in known]
    summary.in_ledger = len(pending) - len(todo)
    done = {event.key for event in pending if event.key in known}
    if not todo:
        return snapshot.without(done)
    reading = read_board(
        run.gateway,
        board,
        archives=notices.archives,
        archive_prefix=notices.archive_search_prefix,
    )
    if not run.settings.simulate:
        run.ledger.record(reading.keys, board, None, found=True)
    found = {event.key for event in todo if event.key in reading.keys}
    summary.found_on_wiki = len(found)
    done |= found
    todo = [event for event in todo if event.key not in found]
    if todo:
        done |= _deliver(run, reading.board, todo)
    return snapshot.without(done)


def _deliver(run: _Run, board: NoticePage, todo: Sequence[Event]) -> set[str]:
    notices, summary = run.notices, run.summary
    why = _refusal(run, board, may_create=False)
    if why is not None:
        summary.outcome = "skipped"
        summary.problem(board.title, "notices not posted", why.value)
        return set()
    delivered: set[str] = set()
    size = notices.max_events_per_section
    chunks = [todo[start : start + size] for start in range(0, len(todo), size)]
    for chunk in chunks[: notices.max_sections_per_run]:
        if not run.may_edit():
            break
        section = render_board_section(
            chunk, run.infos, run.today, run.text, ping=notices.ping_contacts
        )
        run.sections.append(section)
        if run.settings.simulate:
            continue
        result = post_section(run.gateway, board.title, section)
        if not _delivered(run, board.title, result):
            break
        delivered |= result.keys
        summary.sections += 1
        summary.posted += len(result.keys)
        summary.posted_keys.extend(key for key in section.keys if key in result.keys)
    return delivered


def _delivered(run: _Run, title: str, result: PostResult) -> bool:
    """Record a delivered section in the ledger; report one that was not."""
    if result.delivered:
        run.ledger.record(result.keys, title, result.revid)
        if result.outcome is PostOutcome.CONFIRMED:
            log.warning("%s: %s (%s)", title, result.outcome.value, result.detail)
        return True
    run.summary.outcome = "incomplete"
    run.summary.problem(title, result.outcome.value, result.detail)
    return False


def _refusal(run: _Run, page: NoticePage, *, may_create: bool) -> Refusal | None:
    return refusal(
        page,
        run.gateway.username,
        message_type=run.notices.message_type,
        has_right=run.gateway.has_right,
        may_create=may_create,
    )


# -- talk pages ---------------------------------------------------------------------------------


def _post_talk(run: _Run, snapshot: Snapshot) -> Snapshot:
    by_record: dict[RecordId, list[Event]] = {}
    for event in snapshot.talk_pending:
        by_record.setdefault(event.record, []).append(event)
    infos = {rid: run.infos.get(rid) for rid in by_record}
    titles = talk_titles(run.gateway, [info.title for info in infos.values() if info])
    targets = {
        rid: titles[info.title] for rid, info in infos.items() if info and info.title in titles
    }
    done: set[str] = set()
    todo: dict[RecordId, list[Event]] = {}
    for rid, target in targets.items():
        known = run.ledger.posted_keys(target)
        done |= {event.key for event in by_record[rid] if event.key in known}
        left = [event for event in by_record[rid] if event.key not in known]
        if left:
            todo[rid] = left
    chosen = sorted(todo, key=lambda rid: min(event.since for event in todo[rid]))
    chosen = chosen[: run.notices.max_talk_pages_per_run]
    wanted = sorted({targets[rid] for rid in chosen})
    category = run.notices.opt_out_category
    pages = {page.title: page for page in read_talk_pages(run.gateway, wanted, category)}
    for rid in chosen:
        target, info = targets[rid], run.infos[rid]
        page = pages[target]
        found = {event.key for event in todo[rid] if event.key in page.keys}
        if found and not run.settings.simulate:
            run.ledger.record(found, target, None, found=True)
        done |= found
        left = [event for event in todo[rid] if event.key not in found]
        if not left:
            continue
        why = _refusal(run, page, may_create=True)
        if why is not None:
            # Opted out or closed to the bot: these reminders are not for this page; do not
            # try again every run.
            run.summary.problem(target, "reminder not posted", why.value)
            done |= {event.key for event in left}
            continue
        if not run.may_edit():
            break
        section = render_talk_section(left, info, run.text, ping=run.notices.ping_contacts)
        run.sections.append(section)
        if run.settings.simulate:
            continue
        result = post_section(run.gateway, target, section, may_create=True)
        if not _delivered(run, target, result):
            break
        done |= result.keys
        run.summary.talk_posted += len(result.keys)
    return snapshot.without_talk(done)
