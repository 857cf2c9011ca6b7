"""A fake of Commons' ``prop=globalusage``, built to the extension's documented behaviour.

GlobalUsage runs only on Wikimedia's servers, so the client is tested against this fake. What it
reproduces (``ApiQueryGlobalUsage.php`` and ``GlobalUsageQuery.php``): rows ordered by (file,
wiki id, page id); ``gulimit`` capped at 500 whatever the user's rights; one extra row read to
know whether more follow, and ``gucontinue`` = ``<file dbkey>|<wiki id>|<page id>`` of that row,
included again by the next request (``>=``); ``gufilterlocal`` drops Commons' own wiki id;
``gunamespace`` filters on the namespace number; ``pageid`` and ``ns`` are strings; titles are
``Namespace text:db_key`` with underscores; ``wiki`` is the host name; missing file titles get
negative page ids and still carry usage; ``batchcomplete`` only when the batch is done; at most
500 titles per request with ``apihighlimits`` (50 without), else the error ``toomanyvalues``;
formatversion 1 (``pages`` keyed by id, ``batchcomplete: ""``) and 2 (a list, ``true``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

COMMONS_WIKI_ID = "commonswiki"


@dataclass(frozen=True, order=True)
class GlobalRow:
    """One row of ``globalimagelinks``."""

    file: str  # gil_to: file name as a db key (underscores, no namespace)
    wiki: str  # gil_wiki: wiki id, e.g. enwiki
    page: int  # gil_page
    host: str  # what WikiMap::getWikiName answers for the wiki id
    ns: int  # gil_page_namespace_id
    ns_text: str  # gil_page_namespace (localised, "" for articles)
    title: str  # gil_page_title: db key


@dataclass
class FakeGlobalUsage:
    """Answers ``action=query&prop=globalusage`` like Commons would."""

    rows: list[GlobalRow]
    #: File names (db keys) that have a page on Commons; others are missing titles.
    existing: list[str] = field(default_factory=list)
    highlimits: bool = True
    requests: int = 0
    sent: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rows = sorted(self.rows)

    def __call__(self, params: Mapping[str, str]) -> dict[str, Any]:
        self.requests += 1
        self.sent.append(dict(params))
        if params.get("action") != "query" or params.get("prop") != "globalusage":
            return _error("badparams", "the fake answers action=query&prop=globalusage only")
        titles = [title for title in params.get("titles", "").split("|") if title]
        limit = 500 if self.highlimits else 50
        if len(titles) > limit:
            return _error(
                "toomanyvalues",
                f'Too many values supplied for parameter "titles". The limit is {limit}.',
            )
        pages, normalized, keys = self._pages(titles)
        rows, following = self._select(keys, params)
        props = set(params.get("guprop", "url").split("|"))
        for row in rows:
            pages[row.file].setdefault("globalusage", []).append(_usage(row, props))
        fv2 = params.get("formatversion") == "2"
        answer: dict[str, Any] = {"query": {}}
        if normalized:
            answer["query"]["normalized"] = normalized
        page_list = list(pages.values())
        if fv2:
            answer["query"]["pages"] = page_list
        else:
            answer["query"]["pages"] = {str(page["pageid"]): page for page in page_list}
            for page in page_list:
                if page.get("missing") is True:
                    page["missing"] = ""
        if following is not None:
            answer["continue"] = {"gucontinue": following, "continue": "||"}
        else:
            answer["batchcomplete"] = True if fv2 else ""
        return answer

    def _pages(
        self, titles: list[str]
    ) -> tuple[dict[str, dict[str, Any]], list[dict[str, str]], list[str]]:
        pages: dict[str, dict[str, Any]] = {}
        normalized = []
        keys = []
        missing_id = 0
        for raw in titles:
            name = raw.partition(":")[2]
            name = name.replace("_", " ").strip()
            title = f"File:{name[:1].upper()}{name[1:]}"
            if title != raw:
                normalized.append({"from": raw, "to": title})
            key = title.removeprefix("File:").replace(" ", "_")
            if key in pages:
                continue
            keys.append(key)
            if key in self.existing:
                pages[key] = {"pageid": 1000 + self.existing.index(key), "ns": 6, "title": title}
            else:
                missing_id -= 1
                pages[key] = {"pageid": missing_id, "ns": 6, "title": title, "missing": True}
        return pages, normalized, keys

    def _select(
        self, keys: list[str], params: Mapping[str, str]
    ) -> tuple[list[GlobalRow], str | None]:
        limit_text = params.get("gulimit", "10")
        limit = 500 if limit_text == "max" else min(int(limit_text), 500)
        namespaces = params.get("gunamespace", "*")
        wanted_ns = None if namespaces == "*" else {int(ns) for ns in namespaces.split("|")}
        filter_local = "gufilterlocal" in params
        offset: tuple[str, str, int] | None = None
        if "gucontinue" in params:
            file, wiki, page = params["gucontinue"].split("|")
            offset = (file, wiki, int(page))
        selected = []
        for row in self.rows:
            if row.file not in keys:
                continue
            if filter_local and row.wiki == COMMONS_WIKI_ID:
                continue
            if wanted_ns is not None and row.ns not in wanted_ns:
                continue
            if offset is not None and (row.file, row.wiki, row.page) < offset:
                continue
            selected.append(row)
            if len(selected) > limit:
                break
        if len(selected) > limit:
            extra = selected[limit]
            return selected[:limit], f"{extra.file}|{extra.wiki}|{extra.page}"
        return selected, None


def _usage(row: GlobalRow, props: set[str]) -> dict[str, str]:
    title = f"{row.ns_text}:{row.title}" if row.ns_text else row.title
    entry = {"title": title, "wiki": row.host}
    if "url" in props:
        entry["url"] = f"https://{row.host}/wiki/{title}"
    if "pageid" in props:
        entry["pageid"] = str(row.page)
    if "namespace" in props:
        entry["ns"] = str(row.ns)
    return entry


def _error(code: str, info: str) -> dict[str, Any]:
    return {"error": {"code": code, "info": info, "*": "See the API help."}}
