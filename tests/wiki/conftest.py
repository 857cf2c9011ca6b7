"""Fixtures for tests against the real local MediaWiki (one wiki per test session)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.devwiki.standins.commons_pair import link_foreign_files
from bot.devwiki.wiki import DevWiki
from bot.io.gateway import WikiGateway
from bot.settings import Settings, load_settings
from tests.conftest import TEST_CONTENT_WIKI, TEST_WIKI
from tests.wiki.client import WikiClient


@pytest.fixture(scope="session")
def devwiki() -> Iterator[DevWiki]:
    """Start the session's local wiki (installed in a temporary directory, on a free port)."""
    TEST_WIKI.start()
    try:
        yield TEST_WIKI
    finally:
        TEST_WIKI.stop()
        shutil.rmtree(TEST_WIKI.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def content_wiki(devwiki: DevWiki) -> Iterator[DevWiki]:
    """Start a second wiki that shows the session wiki's files, as a Wikipedia shows Commons'.

    One per session, shared by every usage test (each seeds pages of its own); the bot's
    pywikibot configuration knows it and holds its bot password.
    """
    TEST_CONTENT_WIKI.start()
    try:
        link_foreign_files(TEST_CONTENT_WIKI, devwiki)
        devwiki.write_client_config()
        yield TEST_CONTENT_WIKI
    finally:
        TEST_CONTENT_WIKI.stop()


@pytest.fixture(scope="session")
def admin_api(devwiki: DevWiki) -> WikiClient:
    """Return an API client logged in as the wiki's admin (a different user from the bot)."""
    credentials = devwiki.credentials()
    return WikiClient(
        devwiki.api_url,
        credentials["admin_botpassword_user"],
        credentials["admin_botpassword"],
    )


@pytest.fixture(scope="session")
def wiki_settings(devwiki: DevWiki) -> Settings:
    """Return the settings file `devwiki start` wrote, pointing at the session's wiki."""
    return load_settings(devwiki.settings_file)


@pytest.fixture(scope="session")
def gateway(wiki_settings: Settings) -> WikiGateway:
    """Return the bot's logged-in gateway to the session's wiki."""
    gateway = WikiGateway(wiki_settings.wiki)
    gateway.login()
    return gateway


@pytest.fixture
def isolated(wiki_settings: Settings, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Return settings with their own state store, template name and output pages.

    Tests share one wiki; each gets a template name and page titles of its own, so listings and
    tables never see another test's pages.
    """
    tag = "T" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:8]
    return replace(
        wiki_settings,
        template=replace(wiki_settings.template, name=f"Partnership infobox {tag}"),
        outputs=replace(
            wiki_settings.outputs,
            status_page=f"Test {tag}/Status",
            affiliate_page_prefix=f"Test {tag}/Affiliates",
            findings_page=f"Module:Partnership infobox/{tag}.json",
            report_page=f"Test {tag}/Report",
            method_page=f"Test {tag}/Method",
        ),
        run=replace(wiki_settings.run, state_url=f"sqlite:///{tmp_path / 'state.sqlite'}"),
        notices=replace(wiki_settings.notices, board=f"Test {tag}/Noticeboard"),
    )
