"""Events: what the community is told about, derived from the last snapshot and today's pages.

Records are parsed from infobox wikitext a coordinator would write, so the tests read like the
guidance: a stage changed, a flag was raised, a review falls due.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.events import (
    EventKind,
    NoticeSettings,
    RecordId,
    Snapshot,
    TrackedRecord,
    derive_events,
    event_key,
    order_events,
)
from bot.events.snapshot_data import (
    SnapshotFormatError,
    snapshot_from_data,
    snapshot_to_data,
)
from bot.parse.records import parse_page
from bot.resources import load_checklist
from tests.unit.test_checklist import CHECKLIST_PATH

TODAY = dt.date(2026, 6, 1)
SETTINGS = NoticeSettings(review_days_ahead=14, renewal_days_ahead=30, report_due_days=60)
FLAGS = frozenset(load_checklist(CHECKLIST_PATH).flags)


def tracked(
    fields: str,
    *,
    pageid: int = 7,
    revid: int = 100,
    title: str = "Partnerships/Harbour Museum",
    edited: dt.datetime | None = dt.datetime(2026, 5, 1, 12, 0),
    index: int = 0,
) -> TrackedRecord:
    """Return the record of ``{{Partnership infobox|fields}}`` on page ``title``."""
    before = "{{Partnership infobox|name=Harbour Museum|status=active}}\n" * index
    text = before + "{{Partnership infobox\n|name=Harbour Museum photographs\n" + fields + "\n}}"
    page = parse_page(title, text, revid=revid)
    return TrackedRecord(page.records[index], pageid, edited)


def run(
    previous: Snapshot | None,
    *records: TrackedRecord,
    today: dt.date = TODAY,
    settings: NoticeSettings = SETTINGS,
) -> tuple[list[str], Snapshot]:
    derivation = derive_events(previous, records, today, settings, FLAGS)
    return [event.key for event in derivation.events], derivation.snapshot


def baseline(*records: TrackedRecord, today: dt.date = TODAY) -> Snapshot:
    keys, snapshot = run(None, *records, today=today)
    assert keys == []
    return snapshot


# -- baseline ---------------------------------------------------------------------------------


def test_the_first_run_announces_nothing_that_already_exists() -> None:
    derivation = derive_events(
        None,
        [tracked("|status=active|flags=brand-exploitation|next_review=2026-01-01")],
        TODAY,
        SETTINGS,
        FLAGS,
    )
    assert derivation.baseline
    assert derivation.events == ()
    assert derivation.snapshot.pending == ()
    assert set(derivation.snapshot.records) == {RecordId(7, 0)}


def test_a_reminder_already_due_at_the_baseline_is_never_derived_later() -> None:
    record = tracked("|status=active|next_review=2026-01-01")
    snapshot = baseline(record)
    keys, _ = run(snapshot, record, today=TODAY + dt.timedelta(days=40))
    assert keys == []


def test_a_reminder_that_falls_due_after_the_baseline_is_derived() -> None:
    record = tracked("|status=active|next_review=2026-07-01")
    snapshot = baseline(record)
    keys, _ = run(snapshot, record, today=dt.date(2026, 6, 20))
    assert keys == ["p7.0/review-due/2026-07-01"]


# -- changes ----------------------------------------------------------------------------------


def test_a_partnership_added_after_the_baseline_is_new() -> None:
    snapshot = baseline(tracked("|status=active"))
    added = tracked("|status=prospect", pageid=9, title="Partnerships/Library")
    keys, after = run(snapshot, tracked("|status=active"), added)
    assert keys == ["p9.0/new"]
    assert after.pending[0].value == "prospect"


def test_a_new_partnership_with_a_flag_and_an_overdue_review_gets_each_notice() -> None:
    snapshot = baseline()
    record = tracked("|status=active|flags=Brand exploitation|next_review=2026-03-01")
    keys, _ = run(snapshot, record)
    assert keys == [
        "p7.0/new",
        "p7.0/flag/brand-exploitation/r0",
        "p7.0/review-overdue/2026-03-01",
    ]


def test_a_stage_change_is_keyed_by_the_new_stage_and_the_revision_before_it() -> None:
    snapshot = baseline(tracked("|status=negotiating", revid=100))
    keys, after = run(snapshot, tracked("|status=agreed", revid=105))
    assert keys == ["p7.0/stage/agreed/r100"]
    event = after.pending[0]
    assert (event.kind, event.previous, event.value) == (EventKind.STAGE, "negotiating", "agreed")


def test_the_same_stage_reached_twice_gets_two_keys() -> None:
    first = baseline(tracked("|status=active", revid=100))
    _, second = run(first, tracked("|status=on_hold", revid=110))
    _, third = run(second, tracked("|status=active", revid=120))
    keys, _ = run(third, tracked("|status=on_hold", revid=130))
    assert keys == ["p7.0/stage/on_hold/r120"]
    assert second.pending[0].key == "p7.0/stage/on_hold/r100"


def test_a_concluded_partnership_carries_its_report() -> None:
    snapshot = baseline(tracked("|status=active", revid=100))
    record = tracked("|status=concluded|report=Partnerships/Harbour Museum/Report", revid=101)
    keys, after = run(snapshot, record)
    assert keys == ["p7.0/concluded/r100"]
    assert after.pending[0].value == "Partnerships/Harbour Museum/Report"


def test_a_concluded_partnership_without_report_says_so_and_is_reminded_later() -> None:
    snapshot = baseline(tracked("|status=active", revid=100))
    record = tracked("|status=concluded|end_date=2026-05-20", revid=101)
    keys, after = run(snapshot, record)
    assert keys == ["p7.0/concluded/r100"]
    assert after.pending[0].value == ""
    later = dt.date(2026, 5, 20) + dt.timedelta(days=60)
    keys, _ = run(after, record, today=later - dt.timedelta(days=1))
    assert keys == []
    keys, _ = run(after, record, today=later)
    assert keys == ["p7.0/report-missing/2026-05-20"]


def test_an_invalid_stage_and_its_fix_announce_nothing() -> None:
    snapshot = baseline(tracked("|status=active", revid=100))
    keys, typo = run(snapshot, tracked("|status=actve", revid=101))
    assert keys == []
    keys, _ = run(typo, tracked("|status=active", revid=102))
    assert keys == []


def test_a_raised_flag_is_keyed_by_its_id_and_the_revision_before_it() -> None:
    snapshot = baseline(tracked("|status=active", revid=100))
    keys, _ = run(snapshot, tracked("|status=active|flags=article-freeze, not-a-flag", revid=101))
    assert keys == ["p7.0/flag/article-freeze/r100"]


def test_a_flag_lowered_and_raised_again_is_a_new_event() -> None:
    raised = baseline(tracked("|status=active|flags=article-freeze", revid=100))
    _, lowered = run(raised, tracked("|status=active", revid=110))
    keys, _ = run(lowered, tracked("|status=active|flags=article-freeze", revid=120))
    assert keys == ["p7.0/flag/article-freeze/r110"]


# -- reminders --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 6, 16), []),
        (dt.date(2026, 6, 17), ["p7.0/review-due/2026-07-01"]),
        (dt.date(2026, 7, 1), ["p7.0/review-due/2026-07-01"]),
        (dt.date(2026, 7, 2), ["p7.0/review-overdue/2026-07-01"]),
    ],
)
def test_review_due_soon_then_overdue(today: dt.date, expected: list[str]) -> None:
    snapshot = baseline(tracked("|status=active"), today=dt.date(2026, 1, 1))
    keys, _ = run(snapshot, tracked("|status=active|next_review=2026-07-01"), today=today)
    assert keys == expected


def test_a_reminder_is_derived_once_per_due_date_not_once_per_run() -> None:
    snapshot = baseline(tracked("|status=active"), today=dt.date(2026, 1, 1))
    record = tracked("|status=active|next_review=2026-07-01")
    first, snapshot = run(snapshot, record, today=dt.date(2026, 6, 20))
    second, snapshot = run(snapshot, record, today=dt.date(2026, 6, 21))
    moved = tracked("|status=active|next_review=2026-07-03")
    third, _ = run(snapshot, moved, today=dt.date(2026, 6, 22))
    assert (first, second, third) == (
        ["p7.0/review-due/2026-07-01"],
        [],
        ["p7.0/review-due/2026-07-03"],
    )


def test_a_month_only_review_date_is_overdue_after_the_month() -> None:
    snapshot = baseline(tracked("|status=active"), today=dt.date(2026, 1, 1))
    record = tracked("|status=active|next_review=2026-06")
    assert run(snapshot, record, today=dt.date(2026, 6, 30))[0] == ["p7.0/review-due/2026-06"]
    assert run(snapshot, record, today=dt.date(2026, 7, 1))[0] == ["p7.0/review-overdue/2026-06"]


def test_renewal_due_within_the_days_ahead() -> None:
    snapshot = baseline(tracked("|status=active"), today=dt.date(2026, 1, 1))
    record = tracked("|status=active|agreement=mou|agreement_renewal=2026-07-01")
    assert run(snapshot, record, today=dt.date(2026, 5, 31))[0] == []
    assert run(snapshot, record, today=dt.date(2026, 6, 1))[0] == ["p7.0/renewal-due/2026-07-01"]


def test_next_step_stale_when_its_date_passed_without_an_edit() -> None:
    snapshot = baseline(tracked("|status=contacted"), today=dt.date(2026, 1, 1))
    quiet = tracked(
        "|status=contacted|next_step=call back|next_step_date=2026-05-15",
        edited=dt.datetime(2026, 5, 15, 23, 0),
    )
    edited = dataclasses.replace(quiet, last_edited=dt.datetime(2026, 5, 16, 8, 0))
    assert run(snapshot, quiet)[0] == ["p7.0/next-step-stale/2026-05-15"]
    assert run(snapshot, edited)[0] == []
    assert run(snapshot, quiet, today=dt.date(2026, 5, 15))[0] == []


def test_closed_partnerships_get_no_date_reminders() -> None:
    snapshot = baseline(tracked("|status=declined"), today=dt.date(2026, 1, 1))
    record = tracked("|status=declined|next_review=2026-03-01|agreement_renewal=2026-06-10")
    assert run(snapshot, record)[0] == []


# -- opt-outs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("opt_out", ["|notices=no", "|bot=no"])
def test_an_opted_out_partnership_derives_nothing(opt_out: str) -> None:
    snapshot = baseline(tracked("|status=active", revid=100))
    keys, _ = run(snapshot, tracked("|status=on_hold|flags=article-freeze" + opt_out, revid=101))
    new_keys, _ = run(baseline(), tracked("|status=active" + opt_out))
    assert (keys, new_keys) == ([], [])


def test_a_change_made_while_opted_out_is_not_announced_on_opting_in() -> None:
    snapshot = baseline(tracked("|status=active", revid=100))
    _, paused = run(snapshot, tracked("|status=on_hold|notices=no", revid=101))
    keys, _ = run(paused, tracked("|status=on_hold", revid=102))
    assert keys == []


def test_opting_out_drops_pending_notices() -> None:
    snapshot = baseline(tracked("|status=active", revid=100))
    _, pending = run(snapshot, tracked("|status=on_hold", revid=101))
    derivation = derive_events(
        pending, [tracked("|status=on_hold|bot=no", revid=102)], TODAY, SETTINGS, FLAGS
    )
    assert derivation.snapshot.pending == ()
    assert [event.key for event in derivation.dropped] == ["p7.0/stage/on_hold/r100"]


# -- pending, moves, identity -----------------------------------------------------------------


def test_pending_events_are_carried_until_confirmed() -> None:
    snapshot = baseline(tracked("|status=active", revid=100))
    _, first = run(snapshot, tracked("|status=on_hold", revid=101))
    keys, second = run(first, tracked("|status=on_hold", revid=101))
    assert keys == []
    assert [event.key for event in second.pending] == ["p7.0/stage/on_hold/r100"]
    assert second.without({"p7.0/stage/on_hold/r100"}).pending == ()


def test_pending_events_expire_after_pending_days() -> None:
    snapshot = baseline(tracked("|status=active", revid=100))
    _, first = run(snapshot, tracked("|status=on_hold", revid=101))
    later = TODAY + dt.timedelta(days=SETTINGS.pending_days + 1)
    derivation = derive_events(first, [tracked("|status=on_hold")], later, SETTINGS, FLAGS)
    assert derivation.snapshot.pending == ()
    assert [event.key for event in derivation.expired] == ["p7.0/stage/on_hold/r100"]


def test_a_page_move_changes_no_key_and_derives_nothing() -> None:
    snapshot = baseline(tracked("|status=active", revid=100))
    moved = tracked("|status=active", revid=101, title="Partnerships/Harbour Museum (2026)")
    keys, after = run(snapshot, moved)
    assert keys == []
    assert after.records[RecordId(7, 0)].title == "Partnerships/Harbour Museum (2026)"


def test_a_second_infobox_is_its_own_record() -> None:
    snapshot = baseline(tracked("|status=active"))
    keys, _ = run(snapshot, tracked("|status=active"), tracked("|status=prospect", index=1))
    assert keys == ["p7.1/new"]


def test_records_given_twice_are_reported_and_counted_once() -> None:
    record = tracked("|status=active")
    derivation = derive_events(baseline(), [record, record], TODAY, SETTINGS, FLAGS)
    assert [event.key for event in derivation.events] == ["p7.0/new"]
    assert derivation.duplicates == (RecordId(7, 0),)


def test_keys_are_safe_inside_an_html_comment() -> None:
    with pytest.raises(ValueError, match="not a key part"):
        event_key(RecordId(1, 0), EventKind.FLAG, "a--b")
    with pytest.raises(ValueError, match="not a key part"):
        event_key(RecordId(1, 0), EventKind.FLAG, "x>")
    assert event_key(RecordId(1, 2), EventKind.STAGE, "on_hold", "r5") == "p1.2/stage/on_hold/r5"


def test_events_are_ordered_oldest_first_then_by_kind_and_name() -> None:
    snapshot = baseline()
    zeta = tracked("|status=active|flags=article-freeze", pageid=1, title="Zeta")
    alpha = tracked("|status=active", pageid=2, title="Alpha")
    derivation = derive_events(snapshot, [zeta, alpha], TODAY, SETTINGS, FLAGS)
    names = {RecordId(1, 0): "Zeta", RecordId(2, 0): "Alpha"}
    ordered = order_events(derivation.events, names)
    assert [event.key for event in ordered] == [
        "p2.0/new",
        "p1.0/new",
        "p1.0/flag/article-freeze/r0",
    ]


# -- snapshot data ----------------------------------------------------------------------------


def test_a_snapshot_survives_its_data_form() -> None:
    snapshot = baseline(tracked("|status=active|flags=article-freeze", revid=100))
    _, after = run(snapshot, tracked("|status=on_hold|next_review=2026-06-05", revid=101))
    assert snapshot_from_data(snapshot_to_data(after)) == after


@pytest.mark.parametrize(
    "data",
    [{}, {"version": 99}, {"version": 1, "taken": "2026-01-01"}, {"version": 1, "records": 3}],
)
def test_unreadable_snapshot_data_is_refused(data: dict[str, object]) -> None:
    with pytest.raises(SnapshotFormatError):
        snapshot_from_data(data)
