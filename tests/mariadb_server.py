"""A throwaway MariaDB server for the tests (ToolsDB is MariaDB), from Debian's ``mariadb-server``.

The server lives in a temporary directory and listens on a Unix socket only (no TCP port), so
tests on the same machine never meet. :meth:`MariaDB.new_database` hands each test a database of
its own. ``make test`` installs the package when it is missing; without it the tests that need it
fail with a message saying so (they are never skipped).
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pymysql
import sqlalchemy

#: Small buffers: the tests hold a few thousand rows at most.
_SERVER_OPTIONS = (
    "--skip-networking",
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=16M",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_unicode_ci",
    # ToolsDB runs in strict mode: a value that does not fit is an error, never truncated.
    "--sql-mode=STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION",
)


class MariaDBMissingError(RuntimeError):
    """Debian's mariadb-server is not installed."""


class MariaDB:
    """One server in its own directory; :meth:`start` it, :meth:`stop` it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.socket = directory / "mysqld.sock"
        self._process: subprocess.Popen[bytes] | None = None
        self._names = itertools.count(1)

    @staticmethod
    def programs() -> tuple[str, str]:
        """Return the server and the installer; raise MariaDBMissingError if either is missing."""
        server = shutil.which("mariadbd") or shutil.which("mariadbd", path="/usr/sbin")
        installer = shutil.which("mariadb-install-db")
        if server is None or installer is None:
            raise MariaDBMissingError(
                "MariaDB is not installed: `make test` installs it, or run "
                "`apt-get install --no-install-recommends mariadb-server` as root"
            )
        return server, installer

    def start(self, timeout: float = 60.0) -> None:
        """Create the data directory and start the server; wait until it answers."""
        server, installer = self.programs()
        data = self.directory / "data"
        user = ["--user=root"] if os.geteuid() == 0 else []
        subprocess.run(
            [
                installer,
                "--no-defaults",
                f"--datadir={data}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
                *user,
            ],
            check=True,
            capture_output=True,
        )
        log = (self.directory / "server.log").open("ab")
        self._process = subprocess.Popen(
            [
                server,
                "--no-defaults",
                f"--datadir={data}",
                f"--socket={self.socket}",
                f"--pid-file={self.directory / 'mysqld.pid'}",
                f"--log-error={self.directory / 'error.log'}",
                *_SERVER_OPTIONS,
                *user,
            ],
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"MariaDB did not start: see {self.directory / 'error.log'}")
            try:
                self._connect().close()
                return
            except pymysql.err.OperationalError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"MariaDB did not answer within {timeout:.0f} s")

    def _connect(self, database: str | None = None) -> pymysql.connections.Connection:
        return pymysql.connect(user="root", unix_socket=str(self.socket), database=database)

    def new_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        name = f"partnerbot_{next(self._names)}"
        connection = self._connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                )
        finally:
            connection.close()
        return f"mysql+pymysql://root@localhost/{name}?unix_socket={self.socket}&charset=utf8mb4"

    def stop(self) -> None:
        """Stop the server (it shuts down cleanly on SIGTERM) and delete its directory."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        shutil.rmtree(self.directory, ignore_errors=True)


def start_mariadb() -> MariaDB:
    """Start a server in a new temporary directory."""
    server = MariaDB(Path(tempfile.mkdtemp(prefix="partnerbot-mariadb-")))
    server.start()
    return server


def add_user(server: MariaDB, database_url: str, user: str, password: str) -> None:
    """Create ``user`` with ``password``, allowed everything on the database of ``database_url``."""
    database = sqlalchemy.make_url(database_url).database
    connection = server._connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE USER '{user}'@'localhost' IDENTIFIED BY %s", (password,))
            cursor.execute(f"GRANT ALL ON {database}.* TO '{user}'@'localhost'")
    finally:
        connection.close()
