"""The notice ledger and snapshot tests of tests/unit/test_notice_state.py, run against MariaDB.

The unit suite runs them on SQLite; here the ``engine`` fixture is a MariaDB database, as on
ToolsDB (the tests are imported, so both suites always run the same assertions).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from tests.mariadb_server import MariaDB
from tests.unit.test_notice_state import (
    test_an_unreadable_snapshot_means_a_new_baseline,
    test_the_ledger_records_keys_per_page_once,
    test_the_ledger_takes_thousands_of_keys_in_one_call,
    test_the_snapshot_is_saved_and_loaded_whole,
)

__all__ = [
    "test_an_unreadable_snapshot_means_a_new_baseline",
    "test_the_ledger_records_keys_per_page_once",
    "test_the_ledger_takes_thousands_of_keys_in_one_call",
    "test_the_snapshot_is_saved_and_loaded_whole",
]


@pytest.fixture
def engine(mariadb: MariaDB) -> Iterator[Engine]:
    engine = create_engine(mariadb.new_database())
    yield engine
    engine.dispose()
