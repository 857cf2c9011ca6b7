"""Bring the state store's copy of the infobox pages up to date, with as few requests as possible.

Three ways, chosen automatically:

- **cold** (nothing stored yet): list every transcluding page *with its content*, one request
  per 500 pages.
- **full** (at least every ``full_scan_hours``, or ``--full``): list every transcluding page with
  only its revision id, then fetch the content of the pages whose revision changed. Pages no
  longer listed are removed.
- **incremental** (otherwise): ask recent changes what happened in the watched namespaces since
  the stored position, and fetch only those pages (with a check that they still transclude the
  infobox). An unchanged wiki costs one request.

The recent-changes position is taken *before* a listing, so changes made while a run lists are
seen by the next run.

A stored page whose infobox a person left unclosed no longer transcludes the template, so
MediaWiki stops listing it; it is kept (fetched and marked changed) while its text still opens
a broken infobox, so the main job can keep its last good row and report it (RELIABILITY A4).
Pages whose last good copy was kept are listed in the ``recheck_titles`` meta value and fetched
again on every run until they are repaired.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.io.gateway import FetchedPage, WikiGateway
from bot.parse.records import parse_page
from bot.settings import Settings
from bot.state.store import StateStore, StoredPage

log = logging.getLogger(__name__)

META_RC_ID = "rc_last_id"
META_RC_TIMESTAMP = "rc_last_timestamp"
META_LAST_FULL = "last_full_scan"
#: JSON list of titles whose last good copy the main job kept; fetched again every run.
META_RECHECK = "recheck_titles"


@dataclass
class SyncResult:
    """The current infobox pages and what changed since the stored copy."""

    mode: str
    pages: dict[str, StoredPage]
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    rc_position: tuple[int, str] | None = None
    full_scan: bool = False
    #: The stored pages as they were before this sync.
    before: dict[str, StoredPage] = field(default_factory=dict)


def _as_stored(page: FetchedPage, previous: StoredPage | None) -> StoredPage:
    return StoredPage(
        title=page.title,
        pageid=page.pageid,
        revid=page.revid,
        text=page.text or "",
        digest=previous.digest if previous and previous.revid == page.revid else "",
        records=previous.records if previous and previous.revid == page.revid else 0,
    )


def choose_mode(store: StateStore, settings: Settings, now: dt.datetime, *, full: bool) -> str:
    """Return ``cold``, ``full`` or ``incremental`` for this run."""
    if store.page_count() == 0 and store.get_meta(META_LAST_FULL) is None:
        return "cold"
    last_full = store.get_meta(META_LAST_FULL)
    if full or last_full is None or store.get_meta(META_RC_TIMESTAMP) is None:
        return "full"
    age = now - dt.datetime.fromisoformat(last_full)
    if age > dt.timedelta(hours=settings.run.full_scan_hours):
        return "full"
    return "incremental"


def sync_pages(
    gateway: WikiGateway,
    store: StateStore,
    settings: Settings,
    now: dt.datetime,
    *,
    full: bool = False,
    template_names: Sequence[str] = (),
) -> SyncResult:
    """Return every current infobox page (title → stored form) and what changed.

    ``template_names`` (the infobox's name, aliases and redirects) tell a broken infobox from a
    removed one; by default the configured name and aliases.
    """
    stored = store.pages()
    mode = choose_mode(store, settings, now, full=full)
    template = settings.template.name
    namespaces = settings.template.namespaces
    names = tuple(template_names) or (template, *settings.template.aliases)
    if mode == "incremental":
        return _incremental(gateway, store, stored, template, namespaces, names=names)
    rc_position = gateway.recent_changes_position()
    current: dict[str, StoredPage] = {}
    changed: set[str] = set()
    if mode == "cold":
        for page in gateway.list_infobox_pages(template, namespaces, content=True):
            current[page.title] = _as_stored(page, None)
            changed.add(page.title)
    else:
        listed = list(gateway.list_infobox_pages(template, namespaces, content=False))
        to_fetch = []
        for page in listed:
            previous = stored.get(page.title)
            if previous is not None and previous.revid == page.revid:
                current[page.title] = previous
            else:
                to_fetch.append(page.pageid)
        for page in gateway.fetch_pages(pageids=to_fetch):
            current[page.title] = _as_stored(page, stored.get(page.title))
            changed.add(page.title)
        unlisted = [p.pageid for t, p in stored.items() if t not in current and p.pageid]
        for page in gateway.fetch_pages(pageids=unlisted):
            if page.title in stored and page.title not in current and _broken(page, names):
                current[page.title] = _as_stored(page, stored[page.title])
                changed.add(page.title)
    removed = set(stored) - set(current)
    log.info(
        "%s listing: %d infobox pages, %d fetched, %d gone",
        *(mode, len(current), len(changed), len(removed)),
    )
    return SyncResult(mode, current, changed, removed, rc_position, full_scan=True, before=stored)


def _incremental(
    gateway: WikiGateway,
    store: StateStore,
    stored: dict[str, StoredPage],
    template: str,
    namespaces: tuple[int, ...],
    *,
    names: Sequence[str],
) -> SyncResult:
    since_id = int(store.get_meta(META_RC_ID) or 0)
    since_timestamp = store.get_meta(META_RC_TIMESTAMP) or ""
    changes = gateway.recent_changes(
        since_timestamp, since_id, namespaces, exclude_user=gateway.username
    )
    recheck = set(json.loads(store.get_meta(META_RECHECK) or "[]")) & set(stored)
    titles = changes.titles | recheck
    current = dict(stored)
    changed: set[str] = set()
    removed: set[str] = set()
    if titles:
        fetched = {
            page.title: page
            for page in gateway.fetch_pages(titles=sorted(titles), transcluding=template)
        }
        for title in titles:
            page = fetched.get(title)
            # Trust the text as well as the link tables: they are updated just after a save.
            if page is None or not (page.transcludes or _opens_infobox(page, names)):
                if title in current:
                    del current[title]
                    removed.add(title)
                continue
            previous = stored.get(title)
            if previous is None or previous.revid != page.revid:
                current[title] = _as_stored(page, previous)
                changed.add(title)
    log.info(
        "incremental: %d recent changes, %d infobox pages changed, %d gone",
        len(changes.titles),
        len(changed),
        len(removed),
    )
    position = (changes.last_rcid, changes.last_timestamp)
    return SyncResult("incremental", current, changed, removed, position, before=stored)


def _opens_infobox(page: FetchedPage, names: Sequence[str]) -> bool:
    """Return True when the parser finds an infobox on the page, whole or broken."""
    parsed = parse_page(page.title, page.text or "", template_names=names)
    return bool(parsed.records) or any(p.rule == "infobox-unparseable" for p in parsed.problems)


def _broken(page: FetchedPage, names: Sequence[str]) -> bool:
    """Return True when the page's text still opens the infobox but it does not parse (A4)."""
    parsed = parse_page(page.title, page.text or "", template_names=names)
    return any(problem.rule == "infobox-unparseable" for problem in parsed.problems)


def remember_position(store: StateStore, result: SyncResult, now: dt.datetime) -> None:
    """Store the recent-changes position (and the time of a full scan) after a good run."""
    if result.rc_position is not None:
        store.set_meta(META_RC_ID, str(result.rc_position[0]))
        store.set_meta(META_RC_TIMESTAMP, result.rc_position[1])
    if result.full_scan:
        store.set_meta(META_LAST_FULL, now.replace(tzinfo=None).isoformat())
