"""The tables of the state store (SQLAlchemy declarative models), private to ``bot.state``.

Column types are chosen to work the same on SQLite and on MariaDB (ToolsDB): every key column is a
bounded ``String`` (MariaDB indexes at most 3,072 bytes, 768 characters of utf8mb4), large values
are ``Text``, times are naive UTC ``DateTime``. On MariaDB every text column is utf8mb4 (whatever
the database's default) and compared byte for byte: MariaDB's default collations treat "ABC" and
"Abc", "Café" and "Cafe" as one value, MediaWiki titles do not.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.dialects.mysql import MEDIUMTEXT, TEXT, VARCHAR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

_MYSQL = ("mysql", "mariadb")
_CHARSET = "utf8mb4"
_COLLATION = "utf8mb4_bin"


def exact_string(length: int) -> String:
    """Return a bounded string type compared exactly (case and accents count) on every database."""
    return String(length).with_variant(
        VARCHAR(length, charset=_CHARSET, collation=_COLLATION), *_MYSQL
    )


#: Titles are at most 255 bytes in MediaWiki; 255 characters covers them in any script.
TITLE = exact_string(255)
#: Text of any size up to 64 KB, in utf8mb4.
TEXT_VALUE = Text().with_variant(TEXT(charset=_CHARSET, collation=_COLLATION), *_MYSQL)
#: Page data can exceed MariaDB's 64 KB TEXT for a page with many infoboxes.
BIG_TEXT = Text().with_variant(MEDIUMTEXT(charset=_CHARSET, collation=_COLLATION), *_MYSQL)


class Base(DeclarativeBase):
    """The declarative base of every table."""


class PageRow(Base):
    """An infobox page as last checked: its revision, and its records and findings as JSON."""

    __tablename__ = "pages"
    title: Mapped[str] = mapped_column(TITLE, primary_key=True)
    pageid: Mapped[int | None]
    revid: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    records: Mapped[int]
    boundary: Mapped[dt.date | None] = mapped_column(Date, index=True)
    #: When the checked revision was saved (ISO 8601), for "not edited since" reminders.
    edited: Mapped[str | None] = mapped_column(String(32))
    kept: Mapped[bool] = mapped_column(default=False)
    checked: Mapped[str] = mapped_column(BIG_TEXT)


class OutputRow(Base):
    """What the bot last saved in one managed block or bot-owned page."""

    __tablename__ = "outputs"
    title: Mapped[str] = mapped_column(TITLE, primary_key=True)
    block: Mapped[str] = mapped_column(exact_string(128), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    revid: Mapped[int | None]


class RunRow(Base):
    """One run of a job in the run log."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    job: Mapped[str] = mapped_column(exact_string(64), index=True)
    started: Mapped[dt.datetime]
    ended: Mapped[dt.datetime | None]
    outcome: Mapped[str] = mapped_column(String(32), default="running")
    summary: Mapped[str] = mapped_column(TEXT_VALUE, default="{}")


class RunRecordCountRow(Base):
    """The number of partnership records a successful run saw (the breaker's baseline)."""

    __tablename__ = "run_records"
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    records: Mapped[int]


class MetaRow(Base):
    """Small named values; only :class:`bot.state.store.StateStore` knows the names."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(exact_string(128), primary_key=True)
    value: Mapped[str] = mapped_column(TEXT_VALUE)


class LockRow(Base):
    """One row per running job, so that two runs never edit at the same time."""

    __tablename__ = "locks"
    name: Mapped[str] = mapped_column(exact_string(64), primary_key=True)
    owner: Mapped[str] = mapped_column(exact_string(255))
    acquired: Mapped[dt.datetime]
