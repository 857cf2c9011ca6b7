"""Every test here runs once per database the state store supports: SQLite and MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mariadb_server import MariaDB


@pytest.fixture(params=["sqlite", "mariadb"])
def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of an empty state database: a SQLite file, or a MariaDB database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite'}"
    server: MariaDB = request.getfixturevalue("mariadb")
    return server.new_database()
