"""What the wiki's API answers mean: typed pages, edit outcomes, listings.

Pure interpretation of decoded API responses (no network); :mod:`bot.io.gateway` sends the requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.errors import PartnerbotError
from bot.pages.plan import PageState


class GatewayError(PartnerbotError):
    """The wiki cannot be used for this run (login, rights, listing failure); edit nothing."""


@dataclass(frozen=True)
class FetchedPage:
    """An infobox page as read from the wiki."""

    title: str
    pageid: int
    revid: int
    text: str | None  # None when only the revision id was listed
    transcludes: bool = True
    #: When the revision was saved (ISO 8601, UTC), when known.
    timestamp: str | None = None


@dataclass(frozen=True)
class RecentChanges:
    """What changed in the watched namespaces since a position in recent changes."""

    titles: frozenset[str]
    last_rcid: int
    last_timestamp: str
    complete: bool = True


class EditOutcome(StrEnum):
    """Typed results of one edit request (expected outcomes are not exceptions)."""

    SAVED = "saved"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    PROTECTED = "protected"
    DELETED = "deleted meanwhile"
    CREATED = "created meanwhile"
    SPAM = "spam blacklist"
    FILTERED = "abuse filter"
    TOO_BIG = "too big"
    REFUSED = "refused"


@dataclass(frozen=True)
class EditResult:
    """The outcome of an edit request, with the new revision id when one was created."""

    outcome: EditOutcome
    revid: int | None = None
    detail: str = ""


def merge_page_batches(
    batches: Iterable[Sequence[dict[str, Any]]], *, content: bool, what: str
) -> Iterator[dict[str, Any]]:
    """Yield each page of a continued ``query`` once, complete, as soon as it is complete.

    When content is cut by MediaWiki's limits, the continuation responses list the same pages
    again, with or without their revisions; a page is complete when it carries its revision (or,
    without content, at once). Pages never completed mean the listing is incomplete: raise.
    """
    pending: dict[int, dict[str, Any]] = {}
    delivered: set[int] = set()
    for pages in batches:
        for page in pages:
            pageid = page["pageid"]
            if pageid in delivered:
                continue
            merged = pending.setdefault(pageid, {})
            merged.update({key: value for key, value in page.items() if key != "revisions"})
            if page.get("revisions"):
                merged["revisions"] = page["revisions"]
        for pageid in list(pending):
            if content and "revisions" not in pending[pageid]:
                continue
            delivered.add(pageid)
            yield pending.pop(pageid)
    if pending:
        raise GatewayError(
            f"{what} ended with {len(pending)} page(s) never delivered; not taken as complete"
        )


_EDIT_ERRORS = {
    "editconflict": EditOutcome.CONFLICT,
    "pagedeleted": EditOutcome.DELETED,
    "missingtitle": EditOutcome.DELETED,
    "articleexists": EditOutcome.CREATED,
    "protectedpage": EditOutcome.PROTECTED,
    "protectedtitle": EditOutcome.PROTECTED,
    "cascadeprotected": EditOutcome.PROTECTED,
    "protectednamespace": EditOutcome.PROTECTED,
    "protectednamespace-interface": EditOutcome.PROTECTED,
    "spamblacklist": EditOutcome.SPAM,
    "abusefilter-disallowed": EditOutcome.FILTERED,
    "abusefilter-warning": EditOutcome.FILTERED,
    "contenttoobig": EditOutcome.TOO_BIG,
}
#: Errors after which no further edit can succeed this run: stop, do not skip.
FATAL_EDIT_ERRORS = frozenset(
    {
        "blocked",
        "autoblocked",
        "permissiondenied",
        "writeapidenied",
        "readonly",
        "assertuserfailed",
        "assertbotfailed",
        "notloggedin",
        "noedit",
        "noedit-anon",
    }
)


class FatalEditError(GatewayError):
    """An edit failed in a way that means every further edit fails too (blocked, read-only...)."""


def edit_error(code: str, info: str) -> EditResult:
    if code in FATAL_EDIT_ERRORS or code.startswith("blocked"):
        raise FatalEditError(f"edit refused ({code}): {info[:200]}")
    outcome = _EDIT_ERRORS.get(code, EditOutcome.REFUSED)
    return EditResult(outcome, detail=f"{code}: {info[:200]}")


def fetched_page(page: dict[str, Any], *, content: bool) -> FetchedPage:
    if content:
        revision = page["revisions"][0]
        return FetchedPage(
            title=page["title"],
            pageid=int(page["pageid"]),
            revid=int(revision["revid"]),
            text=str(revision["slots"]["main"].get("content", "")),
            timestamp=revision.get("timestamp"),
        )
    return FetchedPage(page["title"], int(page["pageid"]), int(page.get("lastrevid", 0)), None)


def page_state(title: str, page: dict[str, Any], now: str) -> PageState:
    if page.get("missing") or page.get("invalid") or not page.get("revisions"):
        return PageState(title, False, "", None, None, now, None, None)
    revision = page["revisions"][0]
    main = revision["slots"]["main"]
    return PageState(
        title=title,
        exists=True,
        text=str(main.get("content", "")),
        revid=int(revision["revid"]),
        timestamp=str(revision["timestamp"]),
        starttimestamp=now,
        last_user=revision.get("user"),
        content_model=main.get("contentmodel"),
        redirect=bool(page.get("redirect")),
    )


def revision_time(timestamp: str | None) -> dt.datetime | None:
    """Return a revision's ISO 8601 timestamp as a naive UTC datetime (None stays None)."""
    if not timestamp:
        return None
    stamp = dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return stamp.astimezone(dt.UTC).replace(tzinfo=None)
