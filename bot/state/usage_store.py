"""Usage history in the state database: views per page and month, figures per month, charts.

- ``usage_page_views``: one row per (wiki, page, month) whose views were fetched: the figure,
  or NULL when the service has no data. A closed month is never fetched again for a page that
  has its row; a month that could not be fetched has no row and is asked again next time.
- ``usage_history``: one row per partnership (or ``*`` for the totals) and month: the figures
  of :class:`bot.usage.history.MonthFigures` as JSON.
- ``usage_subjects``: what was counted for each partnership in the latest collection (category,
  depth, domains, label), so exports and pages can be written from the store alone.
- ``usage_files``: the files (charts) the bot uploaded, with a digest of the data they show.
- ``usage_collections``: when the last collection ran (the clock of the job, UTC).

Tables of their own, created next to the others on the engine of
:class:`~bot.state.store.StateStore`; every method raises :class:`UsageStoreError` when the
database fails.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict

from sqlalchemy import Engine, Integer, String, Text, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bot.errors import PartnerbotError
from bot.io.usage_sources import Month
from bot.usage.counting import PageKey
from bot.usage.history import MonthFigures
from bot.usage.subjects import UsageSubject

#: Rows per statement.
_CHUNK = 500


class UsageStoreError(PartnerbotError):
    """The usage tables cannot be read or written; the usage run stops before writing."""

    hint = "check the [run] state_url setting and that the database is reachable and writable"


class _UsageBase(DeclarativeBase):
    pass


class _PageViews(_UsageBase):
    __tablename__ = "usage_page_views"
    # 64 + 255 + 7 characters keep the key within MariaDB's index limit in utf8mb4.
    wiki: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(255), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    views: Mapped[int | None] = mapped_column(Integer)


class _History(_UsageBase):
    __tablename__ = "usage_history"
    subject: Mapped[str] = mapped_column(String(300), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    figures: Mapped[str] = mapped_column(Text)


class _Subject(_UsageBase):
    __tablename__ = "usage_subjects"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    data: Mapped[str] = mapped_column(Text)


class _File(_UsageBase):
    __tablename__ = "usage_files"
    title: Mapped[str] = mapped_column(String(255), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))


class _Collection(_UsageBase):
    __tablename__ = "usage_collections"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[dt.datetime]


#: The row of the last collection that ran to its end.
_LAST = "last"


@contextlib.contextmanager
def _failing_as(what: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as error:
        raise UsageStoreError(f"usage history {what}: {type(error).__name__}") from error


class UsageStore:
    """The usage tables, on the state store's engine."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with _failing_as("unusable"):
            _UsageBase.metadata.create_all(engine)

    @contextlib.contextmanager
    def _session(self, what: str, *, write: bool) -> Iterator[Session]:
        with _failing_as(what), Session(self._engine) as session:
            if write:
                with session.begin():
                    yield session
            else:
                yield session

    # -- views per page and month ---------------------------------------------------------------

    def page_views(self, months: Iterable[Month]) -> dict[PageKey, dict[Month, int | None]]:
        """Return every stored page figure for ``months``, by page."""
        wanted = sorted({str(month) for month in months})
        found: dict[PageKey, dict[Month, int | None]] = {}
        with self._session("unreadable", write=False) as session:
            query = select(_PageViews.wiki, _PageViews.title, _PageViews.month, _PageViews.views)
            for wiki, title, month, views in session.execute(
                query.where(_PageViews.month.in_(wanted))
            ):
                found.setdefault((wiki, title), {})[Month.parse(month)] = views
        return found

    def save_page_views(self, rows: Iterable[tuple[PageKey, Month, int | None]]) -> int:
        """Store fetched figures (None: no data), replacing stored ones; return how many."""
        batch: list[dict[str, object]] = []
        saved = 0
        with self._session("not writable", write=True) as session:
            for (wiki, title), month, views in rows:
                batch.append({"wiki": wiki, "title": title, "month": str(month), "views": views})
                if len(batch) == _CHUNK:
                    saved += self._replace_views(session, batch)
                    batch = []
            if batch:
                saved += self._replace_views(session, batch)
        return saved

    @staticmethod
    def _replace_views(session: Session, batch: list[dict[str, object]]) -> int:
        groups: dict[tuple[object, object], list[object]] = {}
        for row in batch:
            groups.setdefault((row["wiki"], row["month"]), []).append(row["title"])
        for (wiki, month), titles in groups.items():
            session.execute(
                delete(_PageViews).where(
                    _PageViews.wiki == wiki,
                    _PageViews.month == month,
                    _PageViews.title.in_(titles),
                )
            )
        session.execute(insert(_PageViews), batch)
        return len(batch)

    def page_view_count(self) -> int:
        """Return how many page-month figures are stored."""
        with self._session("unreadable", write=False) as session:
            return int(session.scalar(select(func.count()).select_from(_PageViews)) or 0)

    # -- figures per month --------------------------------------------------------------------

    def histories(self) -> dict[str, dict[Month, MonthFigures]]:
        """Return every partnership's (and the totals') rows, by subject key."""
        found: dict[str, dict[Month, MonthFigures]] = {}
        with self._session("unreadable", write=False) as session:
            for subject, month, figures in session.execute(
                select(_History.subject, _History.month, _History.figures)
            ):
                parsed = Month.parse(month)
                found.setdefault(subject, {})[parsed] = MonthFigures.from_json(parsed, figures)
        return found

    def save_history(self, rows: Mapping[str, Mapping[Month, MonthFigures]]) -> None:
        """Store the changed rows of each subject, replacing rows of the same month."""
        with self._session("not writable", write=True) as session:
            for subject, months in rows.items():
                for month, figures in months.items():
                    session.merge(
                        _History(subject=subject, month=str(month), figures=figures.to_json())
                    )

    # -- subjects -------------------------------------------------------------------------------

    def subjects(self) -> list[UsageSubject]:
        """Return the partnerships of the latest collection."""
        with self._session("unreadable", write=False) as session:
            rows = session.scalars(select(_Subject.data)).all()
        subjects = []
        for text in rows:
            data = json.loads(text)
            data["domains"] = tuple(data.get("domains") or ())
            subjects.append(UsageSubject(**data))
        return subjects

    def save_subjects(self, subjects: Iterable[UsageSubject]) -> None:
        """Replace the stored partnerships with ``subjects``."""
        rows = [
            {"key": subject.key, "data": json.dumps(asdict(subject), sort_keys=True)}
            for subject in subjects
        ]
        with self._session("not writable", write=True) as session:
            session.execute(delete(_Subject))
            if rows:
                session.execute(insert(_Subject), rows)

    # -- collections ----------------------------------------------------------------------------

    def last_collection(self) -> dt.datetime | None:
        """Return when the last collection that ran to its end ran (UTC), or None."""
        with self._session("unreadable", write=False) as session:
            row = session.get(_Collection, _LAST)
            return row.at.replace(tzinfo=dt.UTC) if row else None

    def set_last_collection(self, when: dt.datetime) -> None:
        """Record that a collection ran to its end at ``when``."""
        naive = when.astimezone(dt.UTC).replace(tzinfo=None)
        with self._session("not writable", write=True) as session:
            session.merge(_Collection(name=_LAST, at=naive))

    # -- uploaded files -----------------------------------------------------------------------

    def file_digests(self) -> dict[str, str]:
        """Return the digest of the data each uploaded chart shows, by file title."""
        with self._session("unreadable", write=False) as session:
            rows = session.execute(select(_File.title, _File.digest))
            return {str(title): str(digest) for title, digest in rows}

    def save_file_digest(self, title: str, digest: str) -> None:
        """Record that ``title`` now shows the data of ``digest``."""
        with self._session("not writable", write=True) as session:
            session.merge(_File(title=title, digest=digest))
