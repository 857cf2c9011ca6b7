"""Test-session set-up shared by every suite.

pywikibot reads its configuration once, when first imported, so the test wiki's directory and
port are fixed here, at collection time, before any test module can import it. The wiki itself
starts only when a test asks for the ``devwiki`` fixture (tests/wiki/conftest.py).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot.devwiki.wiki import DevWiki, free_port

TEST_WIKI = DevWiki(Path(tempfile.mkdtemp(prefix="partnerbot-testwiki-")), free_port())
os.environ["PYWIKIBOT_DIR"] = str(TEST_WIKI.pywikibot_dir)
os.environ.setdefault("PYWIKIBOT_NO_USER_CONFIG", "0")
TEST_WIKI.write_pywikibot_user_config()
