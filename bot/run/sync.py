"""Find out which infobox pages exist now and fetch the ones that changed, in as few requests as
the API allows. Nothing here parses a page or writes to the state store.

Three ways, chosen by :func:`choose_mode`:

- **cold** (nothing stored yet): list every transcluding page *with its content*, one request
  per 500 pages.
- **full** (at least every ``full_scan_hours``, or ``--full``): list every transcluding page with
  only its revision id, then fetch the content of the pages whose revision changed.
- **incremental** (otherwise): ask recent changes what happened in the watched namespaces since
  the stored position, and fetch only those pages, with whether each still transcludes the
  infobox. An unchanged wiki costs one request.

The recent-changes position is taken *before* a listing, so changes made while a run lists are
seen by the next run.

A stored page that MediaWiki no longer lists (a person left its infobox unclosed, so the template
is no longer transcluded) is fetched too, marked as not transcluding: the pass decides, by
parsing it, whether it still holds a broken infobox (keep the last good rows) or none (gone).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.io.gateway import FetchedPage, WikiGateway
from bot.settings import Settings
from bot.state.store import StateStore, StoredPage, SyncPosition

log = logging.getLogger(__name__)


class SyncMode(StrEnum):
    """How a run found out what changed."""

    COLD = "cold"
    FULL = "full"
    INCREMENTAL = "incremental"


@dataclass(frozen=True)
class SyncResult:
    """What changed: the text of the pages that did, and the stored pages that are gone."""

    mode: SyncMode
    #: Pages fetched this run: new or changed, or stored and no longer listed.
    fetched: Mapping[str, FetchedPage]
    #: Stored pages that no longer exist or no longer use the infobox, for certain.
    gone: frozenset[str] = frozenset()
    #: Where recent changes stood when the run began (rcid, timestamp).
    position: tuple[int, str] | None = None
    #: The stored pages this sync looked at: every one (cold, full) or those named (incremental).
    stored: Mapping[str, StoredPage] = field(default_factory=dict)


def choose_mode(
    stored: int,
    position: SyncPosition | None,
    settings: Settings,
    now: dt.datetime,
    *,
    full: bool,
) -> SyncMode:
    """Return the way this run finds what changed."""
    if stored == 0 and position is None:
        return SyncMode.COLD
    if full or position is None or position.last_full is None:
        return SyncMode.FULL
    if now.replace(tzinfo=None) - position.last_full > dt.timedelta(
        hours=settings.run.full_scan_hours
    ):
        return SyncMode.FULL
    return SyncMode.INCREMENTAL


def sync_pages(
    gateway: WikiGateway,
    store: StateStore,
    settings: Settings,
    now: dt.datetime,
    *,
    full: bool = False,
) -> SyncResult:
    """Return the text of every page that changed, and the stored pages that are gone.

    An incremental sync reads from the store only the pages recent changes name (and the
    kept ones), so its cost does not grow with the number of pages.
    """
    position = store.sync_position()
    mode = choose_mode(store.page_count(), position, settings, now, full=full)
    template = settings.template.name
    namespaces = settings.template.namespaces
    if mode is SyncMode.INCREMENTAL and position is not None:
        return _incremental(gateway, store, position, template, namespaces)
    stored = store.pages()
    rc_position = gateway.recent_changes_position()
    current: set[str] = set()
    fetched: dict[str, FetchedPage] = {}
    if mode is SyncMode.COLD:
        for page in gateway.list_infobox_pages(template, namespaces, content=True):
            current.add(page.title)
            fetched[page.title] = page
    else:
        to_fetch = []
        for page in gateway.list_infobox_pages(template, namespaces, content=False):
            current.add(page.title)
            previous = stored.get(page.title)
            if previous is None or previous.revid != page.revid or previous.kept:
                to_fetch.append(page.pageid)
        unlisted = [p.pageid for t, p in stored.items() if t not in current and p.pageid]
        for page in gateway.fetch_pages(pageids=[*to_fetch, *unlisted]):
            listed = page.title in current
            fetched[page.title] = page if listed else replace(page, transcludes=False)
    gone = frozenset(title for title in stored if title not in current and title not in fetched)
    log.info(
        "%s listing: %d infobox pages, %d fetched, %d gone",
        *(mode.value, len(current), len(fetched), len(gone)),
    )
    return SyncResult(mode, fetched, gone, rc_position, stored)


def _incremental(
    gateway: WikiGateway,
    store: StateStore,
    position: SyncPosition,
    template: str,
    namespaces: tuple[int, ...],
) -> SyncResult:
    changes = gateway.recent_changes(
        position.rc_timestamp, position.rc_id, namespaces, exclude_user=gateway.username
    )
    titles = changes.titles | set(store.kept_titles())
    stored = store.pages(titles)
    fetched: dict[str, FetchedPage] = {}
    returned: set[str] = set()
    if titles:
        for page in gateway.fetch_pages(titles=sorted(titles), transcluding=template):
            returned.add(page.title)
            previous = stored.get(page.title)
            if previous is None or previous.revid != page.revid or previous.kept:
                fetched[page.title] = page
            elif not page.transcludes:
                fetched[page.title] = page  # same revision, but the link tables dropped it
    # A stored title that recent changes named and the fetch did not return no longer exists.
    gone = frozenset(title for title in titles if title in stored and title not in returned)
    log.info(
        "incremental: %d recent changes, %d pages fetched, %d gone",
        *(len(changes.titles), len(fetched), len(gone)),
    )
    position_now = (changes.last_rcid, changes.last_timestamp)
    return SyncResult(SyncMode.INCREMENTAL, fetched, gone, position_now, stored)
