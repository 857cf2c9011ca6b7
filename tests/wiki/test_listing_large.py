"""Listings of more than 500 pages deliver every page once, with its text.

Above 500 pages (one request's worth for a bot), MediaWiki cuts the texts of a listing and
repeats the pages it already delivered without text; the gateway must still yield each page
exactly once, complete.
"""

from __future__ import annotations

import pytest

from bot.devwiki.wiki import DevWiki
from bot.io.gateway import WikiGateway
from tests.bench.generate import page

TEMPLATE = "Listing test infobox"
COUNT = 600


@pytest.fixture(scope="module")
def listed_pages(devwiki: DevWiki) -> dict[str, str]:
    """Import COUNT realistic infobox pages (link tables rebuilt once, afterwards)."""
    pages = {}
    for index in range(COUNT):
        _, text = page(index)
        pages[f"Listing test/{index:04d}"] = text.replace(
            "{{Partnership infobox", "{{" + TEMPLATE, 1
        )
    devwiki.import_pages(pages, summary="Listing test page", link_updates=False)
    devwiki.refresh_links(namespace=0)
    return pages


def test_more_than_500_pages_are_listed_once_each_with_their_text(
    gateway: WikiGateway, listed_pages: dict[str, str]
) -> None:
    assert gateway.batch == 500  # the bot's limit: the listing needs more than one request
    before = gateway.counter.total
    listed = list(gateway.list_infobox_pages(TEMPLATE, [0], content=True))
    titles = [fetched.title for fetched in listed]
    assert len(titles) == len(set(titles)) == COUNT
    assert set(titles) == set(listed_pages)
    for fetched in listed:
        assert fetched.text is not None, fetched.title
        assert fetched.text.rstrip() == listed_pages[fetched.title].rstrip(), fetched.title
        assert fetched.revid > 0
    assert gateway.counter.total - before >= 2


def test_more_than_500_pages_are_listed_once_each_without_text(
    gateway: WikiGateway, listed_pages: dict[str, str]
) -> None:
    listed = list(gateway.list_infobox_pages(TEMPLATE, [0], content=False))
    titles = [fetched.title for fetched in listed]
    assert len(titles) == len(set(titles)) == COUNT
    assert set(titles) == set(listed_pages)
    assert all(fetched.text is None and fetched.revid > 0 for fetched in listed)


def test_more_than_500_pages_are_fetched_by_title_once_each_with_their_text(
    gateway: WikiGateway, listed_pages: dict[str, str]
) -> None:
    fetched = gateway.fetch_pages(titles=sorted(listed_pages), transcluding=TEMPLATE)
    assert sorted(p.title for p in fetched) == sorted(listed_pages)
    assert all(p.text is not None and p.transcludes for p in fetched)
