"""Property tests: an event's key depends on what happened, never on when or how it was seen.

A run may be repeated after a crash (the snapshot was not saved) while people keep editing, and
pages are moved. Whatever the records, deriving the same change again gives the same keys, a
typo fixed in an unrelated field or a page move changes none of them, and a key is only made of
id characters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.events import EventKind, NoticeSettings, Snapshot, TrackedRecord, derive_events
from bot.events.model import KEY_PATTERN
from bot.model import PartnershipRecord, Status, WikiDate

TODAY = dt.date(2026, 6, 1)
SETTINGS = NoticeSettings()
FLAGS = frozenset({"article-freeze", "brand-exploitation", "mission-conflict"})
EDITED = dt.datetime(2026, 4, 1, 9, 30)

dates = st.builds(
    WikiDate,
    st.integers(2025, 2027),
    st.integers(1, 12),
    st.one_of(st.none(), st.integers(1, 28)),
)
optional_dates = st.one_of(st.none(), dates)
statuses = st.one_of(st.none(), st.sampled_from(list(Status)))
flag_lists = st.lists(
    st.sampled_from([*FLAGS, "Brand exploitation", "not-in-vocabulary", "x--y"]), max_size=3
)
text = st.text(max_size=20)


@st.composite
def records(draw: st.DrawFn, pageid: int) -> TrackedRecord:
    record = PartnershipRecord(
        page=f"Partnerships/P{pageid}",
        index=draw(st.integers(0, 1)),
        revid=draw(st.integers(1, 10_000)),
        name=draw(text),
        status=draw(statuses),
        flags=tuple(draw(flag_lists)),
        next_review=draw(optional_dates),
        agreement_renewal=draw(optional_dates),
        next_step_date=draw(optional_dates),
        end_date=draw(optional_dates),
        report=draw(st.sampled_from(["", "Partnerships/Report"])),
        notices=draw(st.booleans()),
        bot=draw(st.booleans()),
    )
    return TrackedRecord(record, pageid, EDITED)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[TrackedRecord], list[TrackedRecord]]:
    """Return records before and after some changes (some records new, none removed)."""
    before = [draw(records(pageid)) for pageid in range(1, draw(st.integers(0, 4)) + 1)]
    after = [
        dataclasses.replace(
            item,
            record=dataclasses.replace(
                draw(records(item.pageid)).record,
                index=item.record.index,
                revid=(item.record.revid or 0) + draw(st.integers(0, 5)),
            ),
        )
        for item in before
    ]
    after.extend(draw(records(pageid)) for pageid in range(10, 10 + draw(st.integers(0, 2))))
    return before, after


def unrelated_edit(item: TrackedRecord, data: st.DataObject) -> TrackedRecord:
    """Return ``item`` after a later edit that fixes a typo, maybe in a moved page."""
    record = item.record
    moved = data.draw(st.sampled_from([record.page, record.page + " (moved)", "Elsewhere/X"]))
    edited = dataclasses.replace(
        record,
        page=moved,
        revid=(record.revid or 0) + data.draw(st.integers(1, 50)),
        name=record.name + data.draw(text),
        partner=data.draw(text),
        goals=data.draw(text),
        contact_partner=data.draw(text),
        next_step=data.draw(text),
    )
    return dataclasses.replace(item, record=edited)


def keys(previous: Snapshot | None, current: list[TrackedRecord], today: dt.date) -> set[str]:
    derivation = derive_events(previous, current, today, SETTINGS, FLAGS)
    return {event.key for event in derivation.snapshot.pending}


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@PROPERTY
@given(worlds(), st.dates(dt.date(2025, 1, 1), dt.date(2028, 1, 1)))
def test_the_same_inputs_give_the_same_keys(
    world: tuple[list[TrackedRecord], list[TrackedRecord]], today: dt.date
) -> None:
    before, after = world
    snapshot = derive_events(None, before, TODAY, SETTINGS, FLAGS).snapshot
    first = derive_events(snapshot, after, today, SETTINGS, FLAGS)
    again = derive_events(snapshot, list(reversed(after)), today, SETTINGS, FLAGS)
    assert first == again


@PROPERTY
@given(worlds(), st.data())
def test_a_typo_fix_or_a_move_seen_in_a_repeated_run_changes_no_key(
    world: tuple[list[TrackedRecord], list[TrackedRecord]], data: st.DataObject
) -> None:
    # The run that saw `after` crashed before saving its snapshot; meanwhile people fixed typos
    # and moved pages. The repeated run must derive exactly the same keys.
    before, after = world
    snapshot = derive_events(None, before, TODAY, SETTINGS, FLAGS).snapshot
    retouched = [unrelated_edit(item, data) for item in after]
    assert keys(snapshot, after, TODAY) == keys(snapshot, retouched, TODAY)


@PROPERTY
@given(worlds(), st.data())
def test_a_typo_fix_after_a_change_was_seen_derives_nothing_more(
    world: tuple[list[TrackedRecord], list[TrackedRecord]], data: st.DataObject
) -> None:
    before, after = world
    snapshot = derive_events(None, before, TODAY, SETTINGS, FLAGS).snapshot
    seen = derive_events(snapshot, after, TODAY, SETTINGS, FLAGS).snapshot
    retouched = [unrelated_edit(item, data) for item in after]
    derivation = derive_events(seen, retouched, TODAY, SETTINGS, FLAGS)
    assert derivation.events == ()
    assert {event.key for event in derivation.snapshot.pending} == {
        event.key for event in seen.pending
    }


@PROPERTY
@given(worlds(), st.dates(dt.date(2025, 1, 1), dt.date(2028, 1, 1)))
def test_keys_are_ids_and_name_their_record_and_kind(
    world: tuple[list[TrackedRecord], list[TrackedRecord]], today: dt.date
) -> None:
    before, after = world
    snapshot = derive_events(None, before, TODAY, SETTINGS, FLAGS).snapshot
    for event in derive_events(snapshot, after, today, SETTINGS, FLAGS).events:
        assert KEY_PATTERN.fullmatch(event.key), event.key
        assert "--" not in event.key
        assert event.key.startswith(f"{event.record.token()}/{event.kind.value}")
        if event.kind is EventKind.FLAG:
            assert event.value in FLAGS


@PROPERTY
@given(worlds(), st.dates(dt.date(2025, 1, 1), dt.date(2028, 1, 1)))
def test_opted_out_records_never_derive_events(
    world: tuple[list[TrackedRecord], list[TrackedRecord]], today: dt.date
) -> None:
    before, after = world
    snapshot = derive_events(None, before, TODAY, SETTINGS, FLAGS).snapshot
    quiet = {item.id for item in after if not (item.record.notices and item.record.bot)}
    derivation = derive_events(snapshot, after, today, SETTINGS, FLAGS)
    assert not [event for event in derivation.snapshot.pending if event.record in quiet]
