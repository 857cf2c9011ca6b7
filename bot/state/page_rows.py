"""The state store's infobox pages: each page's last checked revision, its records and findings
(JSON), the first day its findings may change with the date, and running totals.

The totals (pages, records and a digest of every page's records and findings) are kept up to
date with every write, in the same transaction, so a pass that finds nothing new learns them
with one small query instead of reading a row per page. The digest is order-free (each page's
own digest, hashed with its title, combined by exclusive or), so a page can be taken out of it
as cheaply as put in.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from bot.state.entries import StoredPage
from bot.state.schema import MetaRow, PageRow

#: Rows per statement (keeps statements small on every database).
CHUNK = 500
_TOTALS = "page_totals"
_COLUMNS = (
    PageRow.title,
    PageRow.pageid,
    PageRow.revid,
    PageRow.digest,
    PageRow.records,
    PageRow.boundary,
    PageRow.kept,
    PageRow.edited,
)


@dataclass(frozen=True)
class PageTotals:
    """How many pages and records are stored, and a digest of all their records and findings."""

    pages: int = 0
    records: int = 0
    digest: int = 0

    def without(self, page: StoredPage) -> PageTotals:
        """Return the totals with ``page`` taken out."""
        return PageTotals(self.pages - 1, self.records - page.records, self.digest ^ mark(page))

    def with_(self, page: StoredPage) -> PageTotals:
        """Return the totals with ``page`` put in."""
        return PageTotals(self.pages + 1, self.records + page.records, self.digest ^ mark(page))

    def encode(self) -> str:
        return f"{self.pages} {self.records} {self.digest:032x}"

    @classmethod
    def decode(cls, text: str) -> PageTotals:
        pages, records, digest = text.split()
        return cls(int(pages), int(records), int(digest, 16))


def mark(page: StoredPage) -> int:
    """Return a page's share of the totals' digest (its title and its own digest)."""
    hashed = hashlib.sha256(f"{page.title}\n{page.digest}".encode()).digest()
    return int.from_bytes(hashed[:16], "big")


class PageRows:
    """The ``pages`` table, mixed into :class:`bot.state.store.StateStore`."""

    def _use(self, what: str, *, write: bool) -> contextlib.AbstractContextManager[Session]:
        raise NotImplementedError  # the store opens the sessions

    def pages(self, titles: Iterable[str] | None = None) -> dict[str, StoredPage]:
        """Return the stored infobox pages (all, or those of ``titles``) without their records."""
        with self._use("unreadable", write=False) as session:
            if titles is None:
                return {row[0]: StoredPage(*row) for row in session.execute(select(*_COLUMNS))}
            found: dict[str, StoredPage] = {}
            wanted = sorted(set(titles))
            for start in range(0, len(wanted), CHUNK):
                query = select(*_COLUMNS).where(PageRow.title.in_(wanted[start : start + CHUNK]))
                found.update((row[0], StoredPage(*row)) for row in session.execute(query))
            return found

    def kept_titles(self) -> list[str]:
        """Return the pages whose last readable revision is kept (their current one is broken)."""
        with self._use("unreadable", write=False) as session:
            return sorted(session.scalars(select(PageRow.title).where(PageRow.kept)).all())

    def page_count(self) -> int:
        """Return how many infobox pages are stored."""
        return self.page_totals().pages

    def page_totals(self) -> PageTotals:
        """Return the running totals of the stored pages (one small query)."""
        with self._use("unreadable", write=False) as session:
            return _totals(session)

    def checked(self, titles: Iterable[str] | None = None) -> dict[str, str]:
        """Return the records and findings (JSON) of ``titles``, or of every page."""
        with self._use("unreadable", write=False) as session:
            if titles is None:
                rows = session.execute(select(PageRow.title, PageRow.checked)).all()
                return dict(rows)
            wanted = list(titles)
            found: dict[str, str] = {}
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                query = select(PageRow.title, PageRow.checked).where(PageRow.title.in_(chunk))
                found.update((row[0], row[1]) for row in session.execute(query))
            return found

    def next_boundary(self) -> dt.date | None:
        """Return the first day on which some stored page's findings may change with the date."""
        with self._use("unreadable", write=False) as session:
            value = session.scalar(select(func.min(PageRow.boundary)))
        return value if isinstance(value, dt.date) else None

    def pages_due(self, today: dt.date) -> list[str]:
        """Return the titles whose findings may have changed with the date by ``today``."""
        with self._use("unreadable", write=False) as session:
            query = select(PageRow.title).where(PageRow.boundary <= today)
            return sorted(session.scalars(query).all())

    def save_pages(
        self, pages: Iterable[tuple[StoredPage, str]], removed: Iterable[str] = ()
    ) -> None:
        """Store ``(page, records and findings JSON)`` pairs and forget ``removed``, atomically.

        Rows are written ``CHUNK`` at a time, so memory does not grow with the number of pages;
        the totals follow in the same transaction.
        """
        with self._use("not writable", write=True) as session:
            totals = _totals(session)
            removed = list(removed)
            for start in range(0, len(removed), CHUNK):
                totals = _take_out(session, removed[start : start + CHUNK], totals)
            rows: list[Mapping[str, Any]] = []
            added: list[StoredPage] = []
            for page, checked in pages:
                rows.append(_row(page, checked))
                added.append(page)
                if len(rows) == CHUNK:
                    totals = _replace(session, rows, added, totals)
                    rows, added = [], []
            if rows:
                totals = _replace(session, rows, added, totals)
            session.merge(MetaRow(key=_TOTALS, value=totals.encode()))


def _totals(session: Session) -> PageTotals:
    """Return the stored totals, or count them from the rows (a store written before them)."""
    row = session.get(MetaRow, _TOTALS)
    if row is not None:
        return PageTotals.decode(row.value)
    totals = PageTotals()
    for values in session.execute(select(*_COLUMNS)):
        totals = totals.with_(StoredPage(*values))
    return totals


def _row(page: StoredPage, checked: str) -> Mapping[str, Any]:
    return {
        "title": page.title,
        "pageid": page.pageid,
        "revid": page.revid,
        "digest": page.digest,
        "records": page.records,
        "boundary": page.boundary,
        "kept": page.kept,
        "edited": page.edited,
        "checked": checked,
    }


def _take_out(session: Session, titles: list[str], totals: PageTotals) -> PageTotals:
    """Delete the rows of ``titles`` and return the totals without them."""
    for values in session.execute(select(*_COLUMNS).where(PageRow.title.in_(titles))):
        totals = totals.without(StoredPage(*values))
    session.execute(delete(PageRow).where(PageRow.title.in_(titles)))
    return totals


def _replace(
    session: Session, rows: list[Mapping[str, Any]], pages: list[StoredPage], totals: PageTotals
) -> PageTotals:
    totals = _take_out(session, [page.title for page in pages], totals)
    session.execute(insert(PageRow), rows)
    for page in pages:
        totals = totals.with_(page)
    return totals
