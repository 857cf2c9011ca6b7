"""The state store: what the bot remembers between runs (SQLite through SQLAlchemy)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.state.store import StateError, StateStore, StoredOutput, StoredPage


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    return StateStore(f"sqlite:///{tmp_path / 'state.sqlite'}")


def test_pages_round_trip_and_removed_titles_are_forgotten(store: StateStore) -> None:
    store.save_pages(
        [StoredPage("A", 1, 10, "text a", "d1", 1), StoredPage("B", 2, 20, "b", "d2", 2)]
    )
    store.save_pages([StoredPage("A", 1, 11, "text a2", "d3", 1)], removed=["B"])
    assert store.pages() == {"A": StoredPage("A", 1, 11, "text a2", "d3", 1)}


def test_outputs_are_keyed_by_page_and_block(store: StateStore) -> None:
    store.save_output(StoredOutput("Status", "status", "abc", 5))
    store.save_output(StoredOutput("Status", "legend", "def", 5))
    assert store.outputs()[("Status", "status")].digest == "abc"
    assert len(store.outputs()) == 2


def test_last_good_record_count_ignores_failed_runs(store: StateStore) -> None:
    good = store.start_run("run-once")
    store.finish_run(good, "ok", {"records": 12}, records=12)
    failed = store.start_run("run-once")
    store.finish_run(failed, "failed", {}, records=None)
    assert store.last_good_record_count("run-once") == 12
    assert [run.outcome for run in store.runs("run-once")] == ["failed", "ok"]


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


def test_a_store_from_another_schema_version_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    StateStore(url).set_meta("schema_version", "999")
    with pytest.raises(StateError, match="schema version 999"):
        StateStore(url)


def test_a_corrupted_file_is_an_error_not_an_empty_store(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError):
        StateStore(f"sqlite:///{path}")


def test_an_unwritable_location_fails_before_any_edit() -> None:
    with pytest.raises(StateError):
        StateStore("sqlite:////proc/partnerbot-cannot-write-here/state.sqlite")
