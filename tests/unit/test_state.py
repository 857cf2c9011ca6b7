"""The SQLite state file: what the store does when the file itself is broken.

The store's contract on every database (SQLite and MariaDB) is tested in tests/db/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.state.store import StateError, StateStore


def test_a_corrupted_file_is_an_error_not_an_empty_store(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError):
        StateStore(f"sqlite:///{path}")


def test_an_unwritable_location_fails_before_any_edit() -> None:
    with pytest.raises(StateError):
        StateStore("sqlite:////proc/partnerbot-cannot-write-here/state.sqlite")
