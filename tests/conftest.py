"""Test-session set-up shared by every suite.

pywikibot reads its configuration once, when first imported, so the test wiki's directory and
port are fixed here, at collection time, before any test module can import it. The wiki itself
starts only when a test asks for the ``devwiki`` fixture (tests/wiki/conftest.py); the MariaDB
server (ToolsDB's database) only when a test asks for the ``mariadb`` fixture.
starts only when a test asks for the ``devwiki`` fixture (tests/wiki/conftest.py); so does the
content wiki that shows its files (``content_wiki``), whose family is declared here too.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.devwiki.pair import CONTENT_DIR, CONTENT_FAMILY, CONTENT_SITE_NAME
from bot.devwiki.wiki import DevWiki, free_port
from tests.mariadb_server import MariaDB, start_mariadb

TEST_WIKI = DevWiki(Path(tempfile.mkdtemp(prefix="partnerbot-testwiki-")), free_port())
#: A second wiki showing the test wiki's files (started by the ``content_wiki`` fixture only).
#: pywikibot learns its family from the same user-config.py, written here.
TEST_CONTENT_WIKI = DevWiki(
    TEST_WIKI.directory / CONTENT_DIR,
    free_port(),
    site_name=CONTENT_SITE_NAME,
    family=CONTENT_FAMILY,
)
TEST_WIKI.companions = (TEST_CONTENT_WIKI,)
os.environ["PYWIKIBOT_DIR"] = str(TEST_WIKI.pywikibot_dir)
os.environ.setdefault("PYWIKIBOT_NO_USER_CONFIG", "0")
TEST_WIKI.write_pywikibot_user_config()


@pytest.fixture(scope="session")
def mariadb() -> Iterator[MariaDB]:
    """Start the session's MariaDB server (ToolsDB's database), on a socket in a temporary dir."""
    server = start_mariadb()
    try:
        yield server
    finally:
        server.stop()
