"""Where files are used on every Wikimedia wiki: ``prop=globalusage`` on Commons (production).

One request carries up to 500 titles (``apihighlimits``). GlobalUsage returns at most 500 usage
rows per request whatever ``gulimit`` says (``GlobalUsageQuery::setLimit`` caps it), so a batch
whose files are used more than that continues with ``gucontinue``; the answer has no
``batchcomplete`` until every row of the batch was sent, and rows are merged per file until it
has. ``pageid`` and ``ns`` arrive as strings and titles with underscores (raw database values):
both are normalised here. ``wiki`` is the host name (``en.wikipedia.org``).

GlobalUsage exists only on Wikimedia's servers; the tests use a fake built to the extension's
documented answers. The local fallback is :mod:`bot.io.file_usage`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.io.action_api import (
    HIGH_BATCH,
    ApiSend,
    CountingSend,
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
_CONFIG_CODES = frozenset({"toomanyvalues", "badvalue", "unknown_gunamespace"})


@dataclass
class GlobalUsageSource:
    """Asks Commons which pages of which wikis use each file."""

    send: ApiSend
    #: Where ``send`` goes (Commons' api.php), for the method.
    endpoint: str
    #: Namespaces counted on the using wikis (0: articles).
    namespaces: tuple[int, ...] = (0,)
    #: Leave out usage on Commons itself (gallery pages, other files' pages).
    filter_local: bool = True
    #: Titles per request (500 with apihighlimits, 50 without).
    batch: int = HIGH_BATCH

    def usage(self, files: Sequence[str]) -> FileUsage:
        """Return the pages using each of ``files``; every file is a key, used or not."""
        counting = CountingSend(self.send)
        wanted = list(dict.fromkeys(files))
        uses: dict[str, set[PageUse]] = {title: set() for title in wanted}
        status = WikiStatus(self.endpoint, Availability.OK)
        try:
            for start in range(0, len(wanted), self.batch):
                self._batch(counting, wanted[start : start + self.batch], uses)
        except WikiFailure as error:
            status = failed_status(self.endpoint, error, _CONFIG_CODES)
        method = Method(
            "globalusage",
            self.endpoint,
            parameters(
                namespaces=self.namespaces,
                filterlocal=self.filter_local,
                batch=self.batch,
            ),
            counting.requests,
        )
        return FileUsage(
            {title: tuple(sorted(pages)) for title, pages in uses.items()}, (status,), method
        )

    def _batch(self, send: ApiSend, titles: list[str], uses: dict[str, set[PageUse]]) -> None:
        params = {
            "prop": "globalusage",
            "titles": "|".join(titles),
            "guprop": "url|pageid|namespace",
            "gulimit": "max",
            "gunamespace": "|".join(str(ns) for ns in self.namespaces),
        }
        if self.filter_local:
            params["gufilterlocal"] = "1"
        for title, row in title_rows(send, params, "globalusage", uses):
            uses[title].add(global_use(row))


def global_use(row: dict[str, object]) -> PageUse:
    """Return the page of one ``globalusage`` row (strings coerced, underscores to spaces)."""
    ns_text = str(row.get("ns", "0"))
    return PageUse(
        wiki=str(row.get("wiki", "")),
        ns=int(ns_text) if ns_text.lstrip("-").isdigit() else 0,
        title=str(row.get("title", "")).replace("_", " "),
        pageid=page_id(row.get("pageid")),
    )
