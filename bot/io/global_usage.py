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
    ApiAnswerError,
    ApiSend,
    ApiUnavailable,
    CountingSend,
    answer_pages,
    continued,
    page_id,
    renamed_titles,
)
from bot.io.usage_sources import (
    Availability,
    FileUsage,
    Method,
    PageUse,
    WikiStatus,
    parameters,
)


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
        except ApiAnswerError as error:
            config = error.code in {"toomanyvalues", "badvalue", "unknown_gunamespace"}
            status = WikiStatus(
                self.endpoint,
                Availability.CONFIG_ERROR if config else Availability.STALE,
                str(error),
            )
        except ApiUnavailable as error:
            status = WikiStatus(self.endpoint, Availability.STALE, str(error))
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
        renamed: dict[str, str] = {}
        complete = False
        for answer in continued(send, params):
            # A batch is complete when its last answer says so; continuing the prop alone
            # keeps batchcomplete away until every row of the batch was sent.
            complete = "batchcomplete" in answer
            renamed.update(renamed_titles(answer))
            for page in answer_pages(answer):
                title = str(page.get("title", ""))
                target = uses.get(renamed.get(title, title))
                if target is None:
                    continue
                for row in page.get("globalusage", []) or []:
                    target.add(global_use(row))
        if not complete:
            raise ApiUnavailable("globalusage ended without batchcomplete: rows may be missing")


def global_use(row: dict[str, object]) -> PageUse:
    """Return the page of one ``globalusage`` row (strings coerced, underscores to spaces)."""
    ns_text = str(row.get("ns", "0"))
    return PageUse(
        wiki=str(row.get("wiki", "")),
        ns=int(ns_text) if ns_text.lstrip("-").isdigit() else 0,
        title=str(row.get("title", "")).replace("_", " "),
        pageid=page_id(row.get("pageid")),
    )
