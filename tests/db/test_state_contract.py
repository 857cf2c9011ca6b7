"""The state store's contract: what the bot remembers between runs.

Every test runs against each database the store supports (the ``state_url`` fixture of
tests/db/conftest.py): a SQLite file and a MariaDB database, as on ToolsDB.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
import sqlalchemy

from bot.state.ledger import NoticeLedger
from bot.state.store import (
    DataVersion,
    PageTotals,
    RunOutcome,
    StateError,
    StateStore,
    StoredOutput,
    StoredPage,
    process_owner,
)


@pytest.fixture
def store(state_url: str) -> Iterator[StateStore]:
    store = StateStore(state_url)
    yield store
    store.close()


def test_pages_round_trip_and_removed_titles_are_forgotten(store: StateStore) -> None:
    a = StoredPage("A", 1, 10, "d1", 1, dt.date(2026, 5, 1))
    b = StoredPage("B", 2, 20, "d2", 2)
    store.save_pages([(a, '{"a": 1}'), (b, '{"b": 2}')])
    newer = StoredPage("A", 1, 11, "d3", 1, None, kept=True)
    store.save_pages([(newer, '{"a": 2}')], removed=["B"])
    assert {"A": newer} == store.pages()
    assert store.checked(["A", "B"]) == {"A": '{"a": 2}'}
    assert store.page_count() == 1


def test_running_totals_match_the_rows_after_every_write(store: StateStore) -> None:
    def counted() -> PageTotals:
        totals = PageTotals()
        for page in store.pages().values():
            totals = totals.with_(page)
        return totals

    assert store.page_totals() == PageTotals()
    store.save_pages([(StoredPage(f"P{n}", n, n, f"d{n}", n % 3), "{}") for n in range(700)])
    assert store.page_totals() == counted()
    assert store.page_totals().records == sum(n % 3 for n in range(700))
    before = store.page_totals()
    store.save_pages([(StoredPage("P5", 5, 6, "changed", 4), "{}")], removed=["P6", "P7"])
    after = store.page_totals()
    assert after == counted()
    assert (after.pages, after.records) == (698, before.records - 2 - 0 - 1 + 4)
    assert after.digest != before.digest
    store.save_pages([(StoredPage("P5", 5, 5, "d5", 2), "{}")])
    store.save_pages([(StoredPage(f"P{n}", n, n, f"d{n}", n % 3), "{}") for n in (6, 7)])
    assert store.page_totals() == before  # the same rows give the same digest, in any order


def test_pages_due_are_those_whose_boundary_has_come(store: StateStore) -> None:
    store.save_pages(
        [
            (StoredPage("Early", 1, 1, "d", 1, dt.date(2026, 1, 10)), "{}"),
            (StoredPage("Late", 2, 2, "d", 1, dt.date(2026, 3, 1)), "{}"),
            (StoredPage("Never", 3, 3, "d", 1, None), "{}"),
        ]
    )
    assert dt.date(2026, 1, 10) == store.next_boundary()
    assert store.pages_due(dt.date(2026, 1, 9)) == []
    assert store.pages_due(dt.date(2026, 1, 10)) == ["Early"]
    assert store.pages_due(dt.date(2026, 12, 31)) == ["Early", "Late"]


def test_many_titles_are_read_and_removed_in_chunks(store: StateStore) -> None:
    pages = [(StoredPage(f"P{n}", n, n, "d", 1), f'"{n}"') for n in range(1_234)]
    store.save_pages(pages)
    assert len(store.checked([f"P{n}" for n in range(1_234)])) == 1_234
    store.save_pages([], removed=[f"P{n}" for n in range(1_200)])
    assert store.page_count() == 34


def test_outputs_are_keyed_by_page_and_block(store: StateStore) -> None:
    store.save_output(StoredOutput("Status", "status", "abc", 5))
    store.save_output(StoredOutput("Status", "legend", "def", 5))
    store.save_output(StoredOutput("Status", "status", "abd", 6))
    assert StoredOutput("Status", "status", "abd", 6) == store.outputs()[("Status", "status")]
    assert len(store.outputs()) == 2


def test_sync_position_and_data_version_round_trip(store: StateStore) -> None:
    assert store.sync_position() is None
    assert store.data_version() is None
    full = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    store.set_sync_position(42, "2026-11-01T12:00:00Z", full)
    store.set_sync_position(43, "2026-11-01T13:00:00Z", None)
    position = store.sync_position()
    assert position is not None
    assert (position.rc_id, position.rc_timestamp) == (43, "2026-11-01T13:00:00Z")
    assert full.replace(tzinfo=None) == position.last_full
    version = DataVersion("abc", dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC))
    store.set_data_version(version)
    assert version == store.data_version()


def test_report_since_keeps_only_current_problems(store: StateStore) -> None:
    store.set_report_since({"k1": dt.date(2026, 1, 1), "k2": dt.date(2026, 2, 1)})
    store.set_report_since({"k2": dt.date(2026, 2, 1)})
    assert {"k2": dt.date(2026, 2, 1)} == store.report_since()


def test_last_good_record_count_ignores_failed_runs(store: StateStore) -> None:
    good = store.start_run("run-once")
    store.finish_run(good, RunOutcome.OK, {"records": 12}, records=12)
    failed = store.start_run("run-once")
    store.finish_run(failed, RunOutcome.FAILED, {}, records=None)
    assert store.last_good_record_count("run-once") == 12
    assert [run.outcome for run in store.runs("run-once")] == [RunOutcome.FAILED, RunOutcome.OK]


def test_a_second_run_sees_the_lock(store: StateStore) -> None:
    assert store.acquire_lock("run-once", "first", dt.timedelta(hours=2)) is None
    holder = store.acquire_lock("run-once", "second", dt.timedelta(hours=2))
    assert holder is not None
    assert holder.startswith("first since")
    store.release_lock("run-once", "first")
    assert store.acquire_lock("run-once", "second", dt.timedelta(hours=2)) is None


def test_a_stale_lock_is_taken_over(store: StateStore) -> None:
    assert store.acquire_lock("run-once", "dead run", dt.timedelta(hours=2)) is None
    assert store.acquire_lock("run-once", "new run", dt.timedelta(seconds=0)) is None


def test_a_store_from_another_schema_version_is_refused(state_url: str) -> None:
    url = state_url
    StateStore(url).close()
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sqlalchemy.text("UPDATE meta SET value = '999' WHERE meta.key = 'schema_version'")
        )
    engine.dispose()
    with pytest.raises(StateError, match="schema version 999"):
        StateStore(url)


def test_a_store_of_schema_1_loses_only_its_page_cache(state_url: str) -> None:
    url = state_url
    engine = sqlalchemy.create_engine(url)
    old = sqlalchemy.MetaData()
    meta = sqlalchemy.Table(
        "meta",
        old,
        sqlalchemy.Column("key", sqlalchemy.String(128), primary_key=True),
        sqlalchemy.Column("value", sqlalchemy.Text),
    )
    pages = sqlalchemy.Table(
        "pages",
        old,
        sqlalchemy.Column("title", sqlalchemy.String(512)),
        sqlalchemy.Column("text", sqlalchemy.Text),
    )
    old.create_all(engine)
    with engine.begin() as connection:
        connection.execute(meta.insert().values(key="schema_version", value="1"))
        connection.execute(pages.insert().values(title="A", text="old"))
    engine.dispose()
    store = StateStore(url)
    assert store.pages() == {}
    store.save_pages([(StoredPage("A", 1, 1, "d", 1), "{}")])
    assert list(store.pages()) == ["A"]


def test_titles_differing_only_in_case_or_accents_are_different_pages(store: StateStore) -> None:
    """MediaWiki titles are case- and accent-sensitive after the first letter; so is the store
    (MariaDB compares text case- and accent-blind unless told otherwise)."""
    titles = ["Partnerships/Abc", "Partnerships/ABC", "Partnerships/Café", "Partnerships/Cafe"]
    store.save_pages(
        [(StoredPage(title, n, n, "d", 1), f'"{n}"') for n, title in enumerate(titles)]
    )
    assert sorted(titles) == sorted(store.pages())
    assert {title: f'"{n}"' for n, title in enumerate(titles)} == store.checked(titles)
    for n, title in enumerate(titles):
        store.save_output(StoredOutput(title, "status", f"d{n}", n))
    assert len(store.outputs()) == 4


def test_text_outside_the_basic_plane_round_trips(store: StateStore) -> None:
    title = "Partnerships/𝔊𝔬𝔱𝔥𝔦𝔠 archive 🏛"
    store.save_pages([(StoredPage(title, 1, 1, "d", 1), '{"name": "🏛 museum"}')])
    assert store.checked([title]) == {title: '{"name": "🏛 museum"}'}


def test_the_notice_ledger_keeps_pages_differing_only_in_case_apart(state_url: str) -> None:
    engine = sqlalchemy.create_engine(state_url)
    try:
        ledger = NoticeLedger(engine)
        assert ledger.record(["p1.0/new"], "Talk:Partnerships/Abc", 1) == 1
        assert ledger.record(["p1.0/new"], "Talk:Partnerships/ABC", 2) == 1
        assert ledger.posted_keys("Talk:Partnerships/ABC") == {"p1.0/new"}
        assert ledger.count() == 2
    finally:
        engine.dispose()


def test_a_lock_of_a_process_that_is_gone_is_taken_over(store: StateStore) -> None:
    """A run killed with SIGKILL leaves its lock behind; on the same host it is seen to be gone."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = f"pid {child.pid} on {os.uname().nodename}"
    assert store.acquire_lock("pass", dead, dt.timedelta(hours=2)) is None
    assert store.acquire_lock("pass", process_owner(), dt.timedelta(hours=2)) is None
    assert store.lock_holder("pass") is not None
    assert store.release_lock("pass", process_owner()) is True
    assert store.lock_holder("pass") is None


def test_a_lock_of_a_live_process_or_another_host_is_respected(store: StateStore) -> None:
    elsewhere = f"pid {os.getpid()} on another-host-{os.uname().nodename}"
    assert store.acquire_lock("pass", elsewhere, dt.timedelta(hours=2)) is None
    holder = store.acquire_lock("pass", process_owner(), dt.timedelta(hours=2))
    assert holder is not None
    assert holder.startswith(elsewhere)
    assert store.release_lock("pass", process_owner()) is False
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as alive:
        try:
            store.release_lock("pass", elsewhere)
            owner = f"pid {alive.pid} on {os.uname().nodename}"
            assert store.acquire_lock("pass", owner, dt.timedelta(hours=2)) is None
            assert store.acquire_lock("pass", process_owner(), dt.timedelta(hours=2)) is not None
        finally:
            alive.kill()
