"""What the wiki's API answers mean: typed pages, edit outcomes, listings, request counts.

Pure interpretation of decoded API responses (no network); :mod:`bot.io.gateway` sends the requests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import unquote_plus

from bot.errors import PartnerbotError


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


@dataclass(frozen=True)
class PageState:
    """A page exactly as read just before an edit; the edit is based on this revision."""

    title: str
    exists: bool
    text: str
    revid: int | None
    timestamp: str | None
    starttimestamp: str
    last_user: str | None
    content_model: str | None
    protected_edit: tuple[str, ...] = ()
    redirect: bool = False


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


@dataclass
class RequestCounter:
    """Count the HTTP requests pywikibot sends (by method and API action)."""

    total: int = 0
    posts: int = 0
    edits: int = 0
    actions: dict[str, int] = field(default_factory=dict)

    def __call__(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        request = response.request
        self.total += 1
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        action = action_of(request.url, body)
        self.actions[action] = self.actions.get(action, 0) + 1
        if request.method == "POST":
            self.posts += 1
        if action in {"edit", "upload", "move", "delete", "protect"}:
            self.edits += 1
        return response

    def snapshot(self) -> dict[str, int]:
        """Return the counts as a plain dict."""
        return {"requests": self.total, "posts": self.posts, "writes": self.edits}


_ACTION = re.compile(rb'(?:^|[?&])action=([^&]*)|name="action"\r\n\r\n([^\r]*)')


def action_of(url: str, body: bytes) -> str:
    # Only the action is wanted; decoding a whole POST body (a 1 MB page text) is costly.
    for source in (url.encode("utf-8", "replace"), body):
        match = _ACTION.search(source)
        if match:
            value = match.group(1) if match.group(1) is not None else match.group(2)
            return unquote_plus(value.decode("utf-8", "replace"))
    return "?"


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
        )
    return FetchedPage(page["title"], int(page["pageid"]), int(page.get("lastrevid", 0)), None)


def page_state(title: str, page: dict[str, Any], now: str) -> PageState:
    if page.get("missing") or page.get("invalid") or not page.get("revisions"):
        return PageState(title, False, "", None, None, now, None, None)
    revision = page["revisions"][0]
    main = revision["slots"]["main"]
    edit_levels = tuple(
        str(item["level"]) for item in page.get("protection", []) if item.get("type") == "edit"
    )
    return PageState(
        title=title,
        exists=True,
        text=str(main.get("content", "")),
        revid=int(revision["revid"]),
        timestamp=str(revision["timestamp"]),
        starttimestamp=now,
        last_user=revision.get("user"),
        content_model=main.get("contentmodel"),
        protected_edit=edit_levels,
        redirect=bool(page.get("redirect")),
    )
