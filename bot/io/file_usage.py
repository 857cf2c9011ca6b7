"""Where files are used, asked of each configured wiki with ``prop=fileusage`` (the fallback).

Where GlobalUsage is not available (the local wikis, a wiki farm without the extension), each wiki
that shows the files (through ``$wgForeignFileRepos`` or because it holds them) is asked directly:
its ``imagelinks`` table records every file a page shows, whether or not the wiki has a page for
the file, so ``prop=fileusage`` answers for titles the wiki reports as ``missing``. One request
carries up to 500 titles (``apihighlimits``); ``fulimit=max`` (5,000 rows for a bot) and
``fucontinue`` carry the rest. On a wiki in another language the file namespace has another
name; MediaWiki's ``normalized`` list maps it back to the title asked for.

The floor is one request per wiki and 500 files, plus one for each 5,000 uses beyond the first.
A wiki that fails is reported as stale; the others still count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.io.action_api import (
    ApiSend,
    CountingSend,
    WikiEndpoint,
    WikiFailure,
    page_id,
    title_rows,
)
from bot.io.usage_sources import (
    Availability,
    FileUsage,
    Method,
    PageUse,
    WikiStatus,
    failed_status,
    parameters,
)

#: API error codes that say the question is wrong.
_CONFIG_CODES = frozenset({"toomanyvalues", "badvalue", "unknown_funamespace"})


@dataclass
class FileUsageFallback:
    """Asks every configured wiki which of its pages show each file."""

    wikis: Sequence[WikiEndpoint]
    #: Namespaces counted (0: articles).
    namespaces: tuple[int, ...] = (0,)

    def usage(self, files: Sequence[str]) -> FileUsage:
        """Return the pages using each of ``files`` on every wiki; every file is a key."""
        wanted = list(dict.fromkeys(files))
        uses: dict[str, set[PageUse]] = {title: set() for title in wanted}
        statuses = []
        requests = 0
        for wiki in self.wikis:
            counting = CountingSend(wiki.send)
            status = WikiStatus(wiki.name, Availability.OK)
            found: dict[str, set[PageUse]] = {title: set() for title in wanted}
            try:
                for start in range(0, len(wanted), wiki.batch):
                    self._batch(counting, wiki.name, wanted[start : start + wiki.batch], found)
            except WikiFailure as error:
                status = failed_status(wiki.name, error, _CONFIG_CODES)
            else:
                for title, pages in found.items():
                    uses[title].update(pages)
            requests += counting.requests
            statuses.append(status)
        method = Method(
            "fileusage",
            " ".join(wiki.api_url for wiki in self.wikis),
            parameters(
                namespaces=self.namespaces,
                wikis=[wiki.name for wiki in self.wikis],
                batch=min((wiki.batch for wiki in self.wikis), default=0),
            ),
            requests,
        )
        return FileUsage(
            {title: tuple(sorted(pages)) for title, pages in uses.items()},
            tuple(statuses),
            method,
        )

    def _batch(
        self, send: ApiSend, wiki: str, titles: list[str], found: dict[str, set[PageUse]]
    ) -> None:
        params = {
            "prop": "fileusage",
            "titles": "|".join(titles),
            "fuprop": "pageid|title",
            "fulimit": "max",
            "funamespace": "|".join(str(ns) for ns in self.namespaces),
        }
        for title, row in title_rows(send, params, "fileusage", found):
            found[title].add(
                PageUse(
                    wiki=wiki,
                    ns=int(row.get("ns", 0)),
                    title=str(row["title"]),
                    pageid=page_id(row.get("pageid")),
                )
            )
