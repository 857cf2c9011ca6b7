"""Two real local wikis for the usage sources: the session wiki as Commons, a content wiki.

The content wiki shows the session wiki's files through ``$wgForeignFileRepos``
(:mod:`bot.devwiki.standins.commons_pair`). Senders here are what a test needs to talk to
a wiki the way
the sources expect (``send(params) -> dict``, ApiUnavailable when the wiki cannot be reached);
the oracles ask MediaWiki through other modules than the sources use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from bot.devwiki.wiki import DevWiki
from bot.io.action_api import ApiSend, ApiUnavailable
from tests.wiki.client import WikiClient


def bot_client(wiki: DevWiki) -> WikiClient:
    """Return a client logged in as the wiki's bot (apihighlimits)."""
    credentials = wiki.credentials()
    return WikiClient(
        wiki.api_url, credentials["bot_botpassword_user"], credentials["bot_botpassword"]
    )


def admin_client(wiki: DevWiki) -> WikiClient:
    """Return a client logged in as the wiki's admin."""
    credentials = wiki.credentials()
    return WikiClient(
        wiki.api_url, credentials["admin_botpassword_user"], credentials["admin_botpassword"]
    )


def client_send(client: WikiClient) -> ApiSend:
    """Return a sender over a logged-in client."""

    def send(params: Mapping[str, str]) -> dict[str, Any]:
        try:
            return client.post(**params)
        except requests.RequestException as error:
            raise ApiUnavailable(f"{type(error).__name__}: {error}") from error

    return send


def anonymous_send(api_url: str) -> ApiSend:
    """Return a sender without login (no apihighlimits: 50 titles, 500 rows a request)."""
    session = requests.Session()
    session.headers["User-Agent"] = "partnerbot-tests (local wiki, anonymous)"

    def send(params: Mapping[str, str]) -> dict[str, Any]:
        try:
            response = session.post(
                api_url, data={**params, "format": "json", "formatversion": "2"}, timeout=60
            )
            response.raise_for_status()
        except requests.RequestException as error:
            raise ApiUnavailable(f"{type(error).__name__}: {error}") from error
        data: dict[str, Any] = response.json()
        return data

    return send


def pages_with_prefix(client: WikiClient, prefix: str, namespace: int) -> list[str]:
    """Return the titles of ``namespace`` starting with ``prefix`` (list=allpages)."""
    titles: list[str] = []
    params: dict[str, Any] = {
        "action": "query",
        "list": "allpages",
        "apprefix": prefix,
        "apnamespace": namespace,
        "aplimit": "max",
    }
    while True:
        data = client.get(**params)
        titles.extend(page["title"] for page in data["query"]["allpages"])
        if "continue" not in data:
            return titles
        params.update(data["continue"])


def parsed_images(client: WikiClient, titles: Iterable[str]) -> dict[str, set[str]]:
    """Return, per page, the files MediaWiki's parser shows for the page's current text.

    The text is parsed afresh (``action=parse&text=``), never taken from the parser cache: the
    local wiki's timestamps have one-second resolution, so an entry saved in the same second as
    a template change, or as a purge, still counts as fresh.
    """
    images = {}
    for title in titles:
        text = client.text(title) or ""
        data = client.post(
            action="parse", title=title, text=text, contentmodel="wikitext", prop="images"
        )
        images[title] = {"File:" + name.replace("_", " ") for name in data["parse"]["images"]}
    return images


def parent_categories(client: WikiClient, titles: Iterable[str]) -> dict[str, set[str]]:
    """Return, per page, the categories it is in (``prop=categories``, one title at a time)."""
    parents = {}
    for title in titles:
        data = client.get(action="query", prop="categories", titles=title, cllimit="max")
        page = data["query"]["pages"][0]
        parents[title] = {category["title"] for category in page.get("categories", [])}
    return parents


def page_links(client: WikiClient, titles: Iterable[str]) -> dict[str, set[str]]:
    """Return, per page, its external links (``prop=extlinks``)."""
    links = {}
    for title in titles:
        data = client.get(action="query", prop="extlinks", titles=title, ellimit="max")
        page = data["query"]["pages"][0]
        links[title] = {link["url"] for link in page.get("extlinks", [])}
    return links


def host_of(url: str) -> str:
    """Return the host name of an absolute or protocol-relative URL."""
    return (urlsplit(url).hostname or "").lower()
