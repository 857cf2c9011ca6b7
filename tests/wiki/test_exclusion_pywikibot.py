"""The answers recorded for pywikibot in tests/unit/test_exclusion.py are pywikibot's own.

Each case's text is saved on the local wiki and pywikibot, logged in as the bot, is asked
``Page.botMayEdit()``; it reads the page's templates from the wiki as it does before any save.
Cases whose answer depends on a wiki family's configuration are left out.
"""

from __future__ import annotations

import pytest

from bot.settings import Settings
from tests.unit.test_exclusion import BOT, CASES, Case
from tests.wiki.client import WikiClient

ASKED = [case for case in CASES if not case.site_specific]


@pytest.mark.parametrize(
    ("number", "case"), list(enumerate(ASKED)), ids=[case.text[:40] for case in ASKED]
)
def test_pywikibot_answers_as_recorded(
    wiki_settings: Settings, admin_api: WikiClient, number: int, case: Case
) -> None:
    import pywikibot  # noqa: PLC0415 - the test wiki's configuration must exist first

    title = f"Exclusion test/{number:02d}"
    admin_api.edit(title, case.text or "Empty page.")
    wiki = wiki_settings.wiki
    site = pywikibot.Site(wiki.code, wiki.family, user=wiki.user)
    site.login()
    assert site.username() == BOT
    page = pywikibot.Page(site, title)

    assert page.botMayEdit() is case.pywikibot
