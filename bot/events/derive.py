"""Previous snapshot + current records + today -> events and the next snapshot.

Pure: no I/O and no clock. Rules, in the order a coordinator would ask about them:

- **Baseline.** With no previous snapshot (the first run on a wiki, or a lost store), the
  current state is recorded and nothing is derived: no notice for what already exists, and no
  reminder for dates already due (they count as known). Reminders that fall due later, and every
  change after the baseline, are derived as usual.
- **Changes.** A record not in the snapshot is new (plus one event per flag it raises and per
  reminder already due). A valid stage different from the stored one is a stage change (to
  ``concluded``: the "concluded" event, which carries the report link). A flag in the
  vocabulary raised since the snapshot is a flag event. A missing or invalid stage changes
  nothing: the last valid stage is kept, so a typo and its fix announce nothing.
- **Reminders** (partnerships not closed): ``review-due`` from ``review_days_ahead`` days before
  ``next_review`` until it passes, then ``review-overdue``; ``renewal-due`` from
  ``renewal_days_ahead`` days before ``agreement_renewal``; ``next-step-stale`` once
  ``next_step_date`` has passed and the page has not been edited after that day; for a concluded
  partnership without a report, ``report-missing`` ``report_due_days`` after ``end_date``. Each
  reminder is derived when it becomes due, once per due date.
- **Opt-outs.** ``notices=no`` or ``bot=no``: the record is followed (so nothing is announced
  late when it opts in again) but derives no events, and its pending events are dropped.
- **Pending.** Events not yet confirmed on the noticeboard stay in the snapshot until they are,
  or until ``pending_days`` have passed (then they are dropped and reported, not posted late).
  With ``talk_reminders``, reminders also wait, separately, for their talk page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.checklist.checks import normalise_flag
from bot.events.model import (
    KIND_ORDER,
    Event,
    EventKind,
    RecordId,
    RecordState,
    Snapshot,
    TrackedRecord,
    event_key,
    is_key_part,
)
from bot.model import CLOSED_STATUSES, PartnershipRecord, Status, WikiDate
from bot.settings import NoticeSettings


@dataclass(frozen=True)
class Derivation:
    """The result of comparing the current records with the previous snapshot."""

    #: Events derived from this comparison (not those carried over as pending).
    events: tuple[Event, ...]
    #: The next snapshot; its ``pending`` holds every event still to confirm on the wiki.
    snapshot: Snapshot
    baseline: bool
    #: Pending events dropped: their record is gone or opted out.
    dropped: tuple[Event, ...] = ()
    #: Pending events dropped because they waited longer than ``pending_days``.
    expired: tuple[Event, ...] = ()
    #: Records given twice (same page id and position); the first is used.
    duplicates: tuple[RecordId, ...] = ()


def derive_events(
    previous: Snapshot | None,
    current: Iterable[TrackedRecord],
    today: dt.date,
    settings: NoticeSettings,
    known_flags: frozenset[str] | None = None,
) -> Derivation:
    """Compare ``current`` with ``previous`` on ``today`` and return the events and next snapshot.

    ``known_flags`` is the flag vocabulary; flags outside it raise no event (the checklist
    reports them). Without it every well-formed flag id counts.
    """
    baseline = previous is None
    before_all: Mapping[RecordId, RecordState] = previous.records if previous else {}
    states: dict[RecordId, RecordState] = {}
    derived: list[Event] = []
    duplicates: list[RecordId] = []
    senders: set[RecordId] = set()
    for tracked in sorted(current, key=lambda item: item.id):
        rid = tracked.id
        if rid in states:
            duplicates.append(rid)
            continue
        reminders = due_reminders(tracked, today, settings)
        before = before_all.get(rid)
        state = next_state(before, tracked, frozenset(r.key for r in reminders), known_flags)
        states[rid] = state
        if not tracked.sends_notices:
            continue
        senders.add(rid)
        if baseline:
            continue
        derived.extend(_changes(before, state, tracked, today))
        known = before.reminders if before is not None else frozenset()
        derived.extend(reminder for reminder in reminders if reminder.key not in known)
    carried, dropped, expired = _carry(
        previous.pending if previous else (), senders, today, settings
    )
    talk_carried, talk_dropped, talk_expired = _carry(
        previous.talk_pending if previous else (), senders, today, settings
    )
    talk = [event for event in derived if event.kind.reminder] if settings.talk_reminders else []
    snapshot = Snapshot(today, states, _merge(carried, derived), _merge(talk_carried, talk))
    dropped.extend(event for event in talk_dropped if event not in dropped)
    expired.extend(event for event in talk_expired if event not in expired)
    return Derivation(
        tuple(derived), snapshot, baseline, tuple(dropped), tuple(expired), tuple(duplicates)
    )


def next_state(
    before: RecordState | None,
    tracked: TrackedRecord,
    reminders: frozenset[str],
    known_flags: frozenset[str] | None,
) -> RecordState:
    """Return what this run remembers of ``tracked``."""
    record = tracked.record
    revid = record.revid or 0
    status = record.status.value if record.status is not None else None
    status_revid = revid
    if before is not None:
        if status is None:
            status = before.status
        if status == before.status:
            status_revid = before.status_revid
    return RecordState(
        title=record.page,
        status=status,
        status_revid=status_revid,
        flags=raised_flags(record, known_flags),
        revid=revid,
        last_edited=tracked.last_edited,
        report=record.report,
        reminders=reminders,
    )


def raised_flags(record: PartnershipRecord, known_flags: frozenset[str] | None) -> frozenset[str]:
    """Return the record's flags as vocabulary ids (unknown or malformed ones left out)."""
    flags = {normalise_flag(flag) for flag in record.flags}
    if known_flags is not None:
        return frozenset(flags & known_flags)
    return frozenset(flag for flag in flags if is_key_part(flag))


def _event(
    tracked: TrackedRecord, kind: EventKind, today: dt.date, *parts: str, **values: str
) -> Event:
    record = tracked.record
    return Event(
        key=event_key(tracked.id, kind, *parts),
        kind=kind,
        record=tracked.id,
        since=today,
        title=record.page,
        name=record.display_name,
        **values,
    )


def _changes(
    before: RecordState | None, state: RecordState, tracked: TrackedRecord, today: dt.date
) -> list[Event]:
    if before is None:
        events = [_event(tracked, EventKind.NEW, today, value=state.status or "")]
        events.extend(
            _event(tracked, EventKind.FLAG, today, flag, "r0", value=flag)
            for flag in sorted(state.flags)
        )
        return events
    events = []
    after = f"r{before.revid}"
    if state.status is not None and state.status != before.status:
        if state.status == Status.CONCLUDED.value:
            events.append(
                _event(
                    tracked,
                    EventKind.CONCLUDED,
                    today,
                    after,
                    value=state.report,
                    previous=before.status or "",
                )
            )
        else:
            events.append(
                _event(
                    tracked,
                    EventKind.STAGE,
                    today,
                    state.status,
                    after,
                    value=state.status,
                    previous=before.status or "",
                )
            )
    events.extend(
        _event(tracked, EventKind.FLAG, today, flag, after, value=flag)
        for flag in sorted(state.flags - before.flags)
    )
    return events


def due_reminders(tracked: TrackedRecord, today: dt.date, settings: NoticeSettings) -> list[Event]:
    """Return the date reminders that are due for ``tracked`` on ``today``."""
    record = tracked.record
    found: list[Event] = []

    def add(kind: EventKind, date: WikiDate) -> None:
        found.append(_event(tracked, kind, today, str(date), value=str(date)))

    if record.status in CLOSED_STATUSES:
        end = record.end_date
        wait = dt.timedelta(days=settings.report_due_days)
        missing = record.status is Status.CONCLUDED and not record.report
        if missing and end is not None and today >= end.last_day() + wait:
            add(EventKind.REPORT_MISSING, end)
        return found
    review = record.next_review
    if review is not None:
        if today > review.last_day():
            add(EventKind.REVIEW_OVERDUE, review)
        elif today >= review.first_day() - dt.timedelta(days=settings.review_days_ahead):
            add(EventKind.REVIEW_DUE, review)
    renewal = record.agreement_renewal
    if renewal is not None and today >= renewal.first_day() - dt.timedelta(
        days=settings.renewal_days_ahead
    ):
        add(EventKind.RENEWAL_DUE, renewal)
    step = record.next_step_date
    edited = tracked.last_edited
    if (
        step is not None
        and edited is not None
        and today > step.last_day()
        and edited.date() <= step.last_day()
    ):
        add(EventKind.NEXT_STEP_STALE, step)
    return found


def _carry(
    pending: Iterable[Event], senders: set[RecordId], today: dt.date, settings: NoticeSettings
) -> tuple[list[Event], list[Event], list[Event]]:
    carried: list[Event] = []
    dropped: list[Event] = []
    expired: list[Event] = []
    oldest = today - dt.timedelta(days=settings.pending_days)
    for event in pending:
        if event.record not in senders:
            dropped.append(event)
        elif event.since < oldest:
            expired.append(event)
        else:
            carried.append(event)
    return carried, dropped, expired


def _merge(carried: Sequence[Event], derived: Sequence[Event]) -> tuple[Event, ...]:
    merged: dict[str, Event] = {}
    for event in (*carried, *derived):
        merged.setdefault(event.key, event)
    return tuple(merged.values())


def order_events(events: Iterable[Event], names: Mapping[RecordId, str]) -> list[Event]:
    """Return ``events`` oldest first; then by kind, partnership name and key (stable order)."""

    def sort_key(event: Event) -> tuple[dt.date, int, str, str]:
        name = names.get(event.record, event.name)
        return (event.since, KIND_ORDER[event.kind], name.casefold(), event.key)

    return sorted(events, key=sort_key)
