"""The notices job's state: the ledger of posted keys, the snapshot document, the settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from bot.devwiki.proxy import Fault, FaultRule, request_params
from bot.events import NoticeSettings, RecordId, TrackedRecord, derive_events
from bot.events.snapshot_data import snapshot_from_data, snapshot_to_data
from bot.io.noticeboard import NoticePage, Refusal, refusal
from bot.model import PartnershipRecord, Status, WikiDate
from bot.settings import SettingsError, notice_settings_from
from bot.state.ledger import LedgerError, NoticeLedger
from bot.state.notice_snapshot import SnapshotTable

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return create_engine(f"sqlite:///{tmp_path / 'state.sqlite'}")


# -- ledger -----------------------------------------------------------------------------------


def test_the_ledger_records_keys_per_page_once(engine: Engine) -> None:
    ledger = NoticeLedger(engine)
    assert ledger.record(["p1.0/new", "p2.0/new"], "Board", 10) == 2
    assert ledger.record(["p1.0/new", "p3.0/new"], "Board", None, found=True) == 1
    assert ledger.record(["p1.0/new"], "Talk:P1", 11) == 1

    assert ledger.posted_keys("Board") == {"p1.0/new", "p2.0/new", "p3.0/new"}
    assert ledger.posted_keys("Talk:P1") == {"p1.0/new"}
    assert (ledger.count("Board"), ledger.count()) == (3, 4)
    assert NoticeLedger(engine).posted_keys("Board") == ledger.posted_keys("Board")


def test_the_ledger_takes_thousands_of_keys_in_one_call(engine: Engine) -> None:
    keys = [f"p{n}.0/new" for n in range(2500)]
    ledger = NoticeLedger(engine)
    assert ledger.record(keys, "Board", 1) == 2500
    assert ledger.record(keys, "Board", 1) == 0


def test_an_unusable_ledger_database_is_a_clear_error(tmp_path: Path) -> None:
    broken = create_engine(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'state.sqlite'}")
    with pytest.raises(LedgerError, match="notice ledger unusable"):
        NoticeLedger(broken)


# -- snapshot document ------------------------------------------------------------------------


def tracked(**fields: object) -> TrackedRecord:
    record = PartnershipRecord(page="P", revid=5, status=Status.ACTIVE, **fields)  # type: ignore[arg-type]
    return TrackedRecord(record, 1, dt.datetime(2026, 5, 1))


def test_the_snapshot_is_saved_and_loaded_whole(engine: Engine) -> None:
    settings = NoticeSettings(talk_reminders=True)
    base = derive_events(None, [], TODAY, settings).snapshot
    after = derive_events(base, [tracked(next_review=WikiDate(2026, 6, 5))], TODAY, settings)
    table = SnapshotTable(engine)
    assert table.load() is None

    table.save(after.snapshot)
    table.save(after.snapshot)

    loaded = SnapshotTable(engine).load()
    assert loaded == after.snapshot
    assert [event.key for event in after.snapshot.talk_pending] == ["p1.0/review-due/2026-06-05"]
    table.forget()
    assert table.load() is None


def test_an_unreadable_snapshot_means_a_new_baseline(engine: Engine) -> None:
    table = SnapshotTable(engine)
    table.save(derive_events(None, [tracked()], TODAY, NoticeSettings()).snapshot)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE notice_snapshot SET data = '{\"version\": 99}'")
    assert table.load() is None


def test_talk_reminders_wait_separately_from_the_board() -> None:
    settings = NoticeSettings(talk_reminders=True)
    base = derive_events(None, [], TODAY, settings).snapshot
    after = derive_events(
        base,
        [tracked(next_review=WikiDate(2026, 6, 5), flags=("article-freeze",))],
        TODAY,
        settings,
    ).snapshot
    assert {e.key for e in after.pending} == {
        "p1.0/new",
        "p1.0/flag/article-freeze/r0",
        "p1.0/review-due/2026-06-05",
    }
    assert [e.key for e in after.talk_pending] == ["p1.0/review-due/2026-06-05"]
    board_done = after.without({e.key for e in after.pending})
    assert board_done.talk_pending == after.talk_pending
    assert snapshot_from_data(snapshot_to_data(board_done)) == board_done
    assert RecordId(1, 0) in board_done.records


# -- settings ---------------------------------------------------------------------------------


def test_notice_settings_are_read_and_checked() -> None:
    settings = notice_settings_from(
        {"board": "Project:Partnerships/Notices", "archives": ["A", "B"], "ping_contacts": True}
    )
    assert (settings.board, settings.archives, settings.ping_contacts) == (
        "Project:Partnerships/Notices",
        ("A", "B"),
        True,
    )
    assert settings.archive_search_prefix == "Project:Partnerships/Notices/"
    with pytest.raises(SettingsError, match="unknown setting"):
        notice_settings_from({"bord": "X"})
    with pytest.raises(SettingsError, match="max_events_per_section: must be at least 1"):
        notice_settings_from({"max_events_per_section": 0})
    with pytest.raises(SettingsError, match="review_days_ahead: expected a whole number"):
        notice_settings_from({"review_days_ahead": "soon"})


# -- deciding where to post -------------------------------------------------------------------

BOARD = NoticePage("Board", exists=True, text="Notices.", revid=3)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (BOARD, None),
        (NoticePage("Board", exists=False), Refusal.MISSING),
        (NoticePage("Board", True, "#REDIRECT [[X]]", 3, redirect=True), Refusal.REDIRECT),
        (NoticePage("Board", True, "{}", 3, content_model="json"), Refusal.CONTENT_MODEL),
        (NoticePage("Board", True, "{{nobots}}", 3), Refusal.EXCLUDED),
        (NoticePage("Board", True, "{{bots|optout=partnership}}", 3), Refusal.EXCLUDED),
        (NoticePage("Board", True, "{{bots|allow=PartnerBot}}", 3), None),
        (NoticePage("Board", True, "x", 3, protection=("sysop",)), Refusal.PROTECTED),
        (NoticePage("Board", True, "x", 3, protection=("autoconfirmed",)), None),
        (NoticePage("Talk:P", True, "x", 3, opted_out=True), Refusal.OPTED_OUT),
    ],
)
def test_where_the_bot_may_post(page: NoticePage, expected: Refusal | None) -> None:
    rights = {"editsemiprotected", "bot"}
    found = refusal(page, "PartnerBot", message_type="partnership", has_right=rights.__contains__)
    assert found is expected


def test_a_missing_talk_page_may_be_created() -> None:
    missing = NoticePage("Talk:P", exists=False)
    assert refusal(missing, "B", message_type="x", has_right=bool, may_create=True) is None


# -- the proxy's request matching ---------------------------------------------------------------


def test_the_proxy_matches_requests_by_method_and_parameters() -> None:
    body = b"action=edit&title=Board&section=new&text=a%26b"
    params = request_params("/api.php?format=json", body, "application/x-www-form-urlencoded")
    rule = FaultRule(Fault.DROP, params={"action": "edit", "section": "new"})

    assert params == {
        "format": "json",
        "action": "edit",
        "title": "Board",
        "section": "new",
        "text": "a&b",
    }
    assert rule.matches("POST", params)
    assert not rule.matches("GET", params)
    assert not rule.matches("POST", {**params, "section": "0"})
