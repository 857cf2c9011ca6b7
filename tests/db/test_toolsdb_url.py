"""The ToolsDB URL of the runbook: no password in it, the credentials come from a 0600 file.

On Toolforge that file is the tool's ``replica.my.cnf`` (a ``[client]`` section with user and
password), read by PyMySQL's ``read_default_file``; here a user with a password on the test's
MariaDB plays the tool's account.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy

from bot.state.store import RunOutcome, StateStore
from tests.mariadb_server import MariaDB, add_user


def test_a_url_without_a_password_reads_the_credentials_file(
    mariadb: MariaDB, tmp_path: Path
) -> None:
    admin_url = mariadb.new_database()
    database = sqlalchemy.make_url(admin_url).database
    add_user(mariadb, admin_url, "s55555", "a-generated-password")
    credentials = tmp_path / "replica.my.cnf"
    credentials.write_text("[client]\nuser = s55555\npassword = a-generated-password\n")
    credentials.chmod(0o600)
    url = (
        f"mysql+pymysql://localhost/{database}?read_default_file={credentials}"
        f"&unix_socket={mariadb.socket}&charset=utf8mb4"
    )
    assert "a-generated-password" not in url
    store = StateStore(url)
    try:
        run = store.start_run("run-once")
        store.finish_run(run, RunOutcome.OK, {"records": 3}, records=3)
        assert store.last_good_record_count("run-once") == 3
        assert store.acquire_lock("pass", "pid 1 on tools", dt.timedelta(hours=2)) is None
    finally:
        store.close()
