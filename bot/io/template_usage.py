"""Which pages transclude a template (``list=embeddedin``): template-borne file use told apart.

A template page that shows a partner's file is one of the file's uses (in the Template
namespace). The pages that transclude that template, directly or through other templates
(``templatelinks`` records every template a page's rendering used), show the file because of it:
:mod:`bot.usage.counting` counts them apart. One request per template and 5,000 pages
(``eilimit=max`` for a bot, 500 otherwise), asked only of the configured wikis; a template on
another wiki, or on a wiki that does not answer, stays unresolved and its uses count as direct.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.io.action_api import (
    ApiAnswerError,
    ApiUnavailable,
    CountingSend,
    WikiEndpoint,
    continued,
)
from bot.io.usage_sources import Method, parameters

#: A page on a wiki: (wiki name, title).
PageKey = tuple[str, str]


@dataclass(frozen=True)
class Transclusions:
    """The pages transcluding each template asked about, and the templates left unresolved."""

    pages: Mapping[PageKey, frozenset[str]]
    unresolved: frozenset[PageKey]
    method: Method


@dataclass
class EmbeddedInSource:
    """Asks each configured wiki which of its pages transclude a template."""

    wikis: Iterable[WikiEndpoint]
    namespaces: tuple[int, ...] = (0,)

    def transclusions(self, templates: Iterable[PageKey]) -> Transclusions:
        """Return the transcluding pages (in the counted namespaces) of each template."""
        endpoints = {wiki.name: wiki for wiki in self.wikis}
        counting = {name: CountingSend(wiki.send) for name, wiki in endpoints.items()}
        found: dict[PageKey, frozenset[str]] = {}
        unresolved: set[PageKey] = set()
        for wiki, title in sorted(set(templates)):
            send = counting.get(wiki)
            if send is None:
                unresolved.add((wiki, title))
                continue
            params = {
                "list": "embeddedin",
                "eititle": title,
                "einamespace": "|".join(str(ns) for ns in self.namespaces),
                "eilimit": "max",
            }
            try:
                pages = {
                    str(row["title"])
                    for answer in continued(send, params)
                    for row in answer.get("query", {}).get("embeddedin", [])
                }
            except (ApiAnswerError, ApiUnavailable):
                unresolved.add((wiki, title))
                continue
            found[(wiki, title)] = frozenset(pages)
        method = Method(
            "embeddedin",
            " ".join(wiki.api_url for wiki in endpoints.values()),
            parameters(namespaces=self.namespaces, wikis=sorted(endpoints)),
            sum(send.requests for send in counting.values()),
        )
        return Transclusions(found, frozenset(unresolved), method)
