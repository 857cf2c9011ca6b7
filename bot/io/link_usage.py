"""Links to a partner's web domain from the pages of each configured wiki: ``list=exturlusage``.

``euquery=*.example.org`` matches the domain itself and every subdomain (``www.``, ``data.``);
``euprotocol`` is asked once for ``http`` and once for ``https`` (``exturlusage`` takes one
protocol per request); ``eulimit=max`` is 5,000 rows for a bot, 500 otherwise, and ``eucontinue``
carries the rest. A protocol-relative link (``//example.org/x``) is stored under both protocols
and both requests return it with the same URL, so it counts once: pages are counted once each,
links once per distinct (page, URL).
The floor is two requests per domain and wiki, plus one for each 5,000 further links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.io.action_api import (
    ApiSend,
    CountingSend,
    WikiEndpoint,
    WikiFailure,
    continued,
    page_id,
)
from bot.io.usage_sources import (
    Availability,
    LinkUsage,
    LinkUse,
    Method,
    PageUse,
    WikiStatus,
    failed_status,
    parameters,
)

PROTOCOLS = ("http", "https")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9-]{1,63})*$")


def link_domain(value: str) -> str:
    """Return the host name in a domain as an editor writes it, or "" when it is not one.

    ``https://www.Example.org/path``, ``example.org/``, ``*.example.org`` and ``example.org``
    all give ``www.example.org`` or ``example.org``; ``www.`` is kept (it names a subdomain).
    """
    text = value.strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).removeprefix("//")
    text = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    text = text.rsplit("@", 1)[-1].split(":", 1)[0].removeprefix("*.").rstrip(".")
    try:
        text = text.encode("idna").decode("ascii") if text and not text.isascii() else text
    except UnicodeError:
        return ""
    return text if _HOST.match(text) and "." in text else ""


@dataclass
class ExtUrlUsageSource:
    """Asks every configured wiki which of its pages link to a domain."""

    wikis: Sequence[WikiEndpoint]
    #: Namespaces counted (0: articles).
    namespaces: tuple[int, ...] = (0,)

    def links(self, domain: str) -> LinkUsage:
        """Return every link to ``domain`` or a subdomain, from the configured namespaces."""
        host = link_domain(domain)
        method_parameters = parameters(
            query=f"*.{host}" if host else domain,
            protocols=PROTOCOLS,
            namespaces=self.namespaces,
            wikis=[wiki.name for wiki in self.wikis],
        )
        endpoint = " ".join(wiki.api_url for wiki in self.wikis)
        if not host:
            status = WikiStatus("", Availability.CONFIG_ERROR, f"not a web domain: {domain!r}")
            method = Method("exturlusage", endpoint, method_parameters, 0)
            return LinkUsage(domain, (), (status,), method)
        found: set[LinkUse] = set()
        statuses = []
        requests = 0
        for wiki in self.wikis:
            counting = CountingSend(wiki.send)
            try:
                links = self._wiki_links(counting, wiki.name, host)
            except WikiFailure as error:
                statuses.append(failed_status(wiki.name, error))
            else:
                found.update(links)
                statuses.append(WikiStatus(wiki.name, Availability.OK))
            requests += counting.requests
        method = Method("exturlusage", endpoint, method_parameters, requests)
        return LinkUsage(host, tuple(sorted(found)), tuple(statuses), method)

    def _wiki_links(self, send: ApiSend, wiki: str, host: str) -> set[LinkUse]:
        links: set[LinkUse] = set()
        for protocol in PROTOCOLS:
            params = {
                "list": "exturlusage",
                "euquery": f"*.{host}",
                "euprotocol": protocol,
                "euprop": "ids|title|url",
                "eunamespace": "|".join(str(ns) for ns in self.namespaces),
                "eulimit": "max",
            }
            for answer in continued(send, params):
                for row in answer.get("query", {}).get("exturlusage", []):
                    page = PageUse(
                        wiki=wiki,
                        ns=int(row.get("ns", 0)),
                        title=str(row["title"]),
                        pageid=page_id(row.get("pageid")),
                    )
                    links.add(LinkUse(page, str(row.get("url", ""))))
        return links
