"""Read the notice keys already on the wiki, and post one new section of notices.

The noticeboard and its archives are the truth about what was posted. :func:`read_board` reads
the board and every archive in one listing (``generator=allpages`` over the board's title prefix,
with content; continued only when MediaWiki splits a large answer), or the configured archive
titles in one batched read.

:func:`post_section` appends one section (``section=new``). An append is not idempotent, so it is
sent through a pywikibot request with ``max_retries=0``: pywikibot's own loop would otherwise
re-send a POST whose reply was lost (timeout, 5xx, connection reset) and post it twice
(``Request._http_request`` catches those errors and resubmits after ``wait()``; with no retries
left ``wait()`` raises ``ApiTimeoutError`` instead). When the outcome is unknown the page is read
again and the section's keys looked for: found, the post is confirmed; not found, nothing is sent
again in this run (a late save would then be doubled); the next run reads the page again first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.io.gateway import GatewayError, WikiGateway
from bot.io.responses import FATAL_EDIT_ERRORS, FatalEditError, merge_page_batches
from bot.pages.exclusion import bot_may_edit
from bot.pages.notice_marks import notice_keys_in
from bot.render.notices import NoticeSection

log = logging.getLogger(__name__)

#: Protection levels and the right that lets a user edit through them (MediaWiki's defaults).
_LEVEL_RIGHTS = {"sysop": "editprotected", "autoconfirmed": "editsemiprotected"}


@dataclass(frozen=True)
class NoticePage:
    """A page notices are posted to or kept on, as read just now."""

    title: str
    exists: bool
    text: str = ""
    revid: int | None = None
    protection: tuple[str, ...] = ()
    content_model: str | None = None
    redirect: bool = False
    #: The opt-out category, when the page is in it (talk pages only).
    opted_out: bool = False

    @property
    def keys(self) -> frozenset[str]:
        """Return the notice keys marked on this page."""
        return notice_keys_in(self.text)


@dataclass(frozen=True)
class BoardReading:
    """The board and its archives, and every notice key on them."""

    board: NoticePage
    archives: tuple[NoticePage, ...]
    keys: frozenset[str]


class Refusal(StrEnum):
    """Why nothing may be posted on a page."""

    MISSING = "page does not exist (not created by the bot)"
    REDIRECT = "page is a redirect; set the settings to its target"
    CONTENT_MODEL = "page is not wikitext"
    EXCLUDED = "bot excluded by {{bots}}/{{nobots}}"
    OPTED_OUT = "page is in the opt-out category"
    PROTECTED = "page is protected beyond the bot's rights"


class PostOutcome(StrEnum):
    """What became of one ``section=new`` edit."""

    POSTED = "posted"
    CONFIRMED = "reply lost, section found on the page"
    UNCONFIRMED = "reply lost, section not found; left for the next run"
    PROTECTED = "protected"
    MISSING = "page deleted meanwhile"
    REFUSED = "refused by the wiki"


@dataclass(frozen=True)
class PostResult:
    """The outcome of posting one section, with the keys now known to be on the page."""

    outcome: PostOutcome
    revid: int | None = None
    keys: frozenset[str] = frozenset()
    detail: str = ""

    @property
    def delivered(self) -> bool:
        """Return True when the section is on the page."""
        return self.outcome in {PostOutcome.POSTED, PostOutcome.CONFIRMED}


# -- reading ----------------------------------------------------------------------------------


def _page(page: Mapping[str, Any]) -> NoticePage:
    title = str(page["title"])
    if page.get("missing") or page.get("invalid") or not page.get("revisions"):
        return NoticePage(title, exists=False)
    revision = page["revisions"][0]
    main = revision.get("slots", {}).get("main", {})
    return NoticePage(
        title=title,
        exists=True,
        text=str(main.get("content", "")),
        revid=int(revision["revid"]),
        protection=tuple(
            str(item["level"]) for item in page.get("protection", []) if item.get("type") == "edit"
        ),
        content_model=main.get("contentmodel") or page.get("contentmodel"),
        redirect=bool(page.get("redirect")),
        opted_out=bool(page.get("categories")),
    )


_CONTENT = {
    "prop": "revisions|info",
    "rvprop": "ids|content",
    "rvslots": "main",
    "inprop": "protection",
}


def read_pages(gateway: WikiGateway, titles: Sequence[str], **extra: Any) -> list[NoticePage]:
    """Read ``titles`` with content and protection, batched; missing pages are included."""
    found: dict[str, NoticePage] = {}
    batch = 50
    for start in range(0, len(titles), batch):
        chunk = list(titles[start : start + batch])
        merged: dict[str, dict[str, Any]] = {}
        renamed: dict[str, str] = {}
        params = {**_CONTENT, **extra, "titles": "|".join(chunk)}
        for result in gateway.query_all(**params):
            renamed.update({item["from"]: item["to"] for item in result.get("normalized", [])})
            for page in result.get("pages", []):
                entry = merged.setdefault(page["title"], {})
                for key, value in page.items():
                    if value or key not in entry:
                        entry[key] = value
        for title in chunk:
            page = merged.get(renamed.get(title, title), {"title": title, "missing": True})
            found[title] = _page(page)
    return [found[title] for title in titles]


def read_board(
    gateway: WikiGateway,
    board: str,
    *,
    archives: Sequence[str] = (),
    archive_prefix: str = "",
) -> BoardReading:
    """Read the board and its archives (listed, or found by title prefix) with their keys."""
    if archives:
        pages = read_pages(gateway, [board, *archives])
        return _reading(pages[0], pages[1:])
    import pywikibot  # noqa: PLC0415 - titles are split by the logged-in site's namespaces

    prefix = archive_prefix or f"{board}/"
    board_page = pywikibot.Page(gateway._site, board)
    prefix_page = pywikibot.Page(gateway._site, prefix.rstrip("/") or prefix)
    board_title = board_page.title()
    archive_start = prefix_page.title() + ("/" if prefix.endswith("/") else "")
    namespace = board_page.namespace().id
    shared = archive_start.startswith(board_title) and prefix_page.namespace().id == namespace
    listed = _by_prefix(gateway, namespace, board_page.title(with_ns=False) if shared else None)
    if not shared:
        listed.extend(
            _by_prefix(gateway, prefix_page.namespace().id, prefix_page.title(with_ns=False))
        )
        listed.extend(read_pages(gateway, [board_title]))
    by_title = {page.title: page for page in listed}
    board_read = by_title.get(board_title, NoticePage(board_title, exists=False))
    kept = [
        page
        for title, page in sorted(by_title.items())
        if title != board_title and title.startswith(archive_start)
    ]
    return _reading(board_read, kept)


def _by_prefix(gateway: WikiGateway, namespace: int, prefix: str | None) -> list[NoticePage]:
    if prefix is None:
        return []
    batches = (
        result.get("pages", [])
        for result in gateway.query_all(
            generator="allpages",
            gapnamespace=namespace,
            gapprefix=prefix,
            gaplimit="max",
            **_CONTENT,
        )
    )
    what = f"pages starting with {prefix!r}"
    return [_page(page) for page in merge_page_batches(batches, content=True, what=what)]


def _reading(board: NoticePage, archives: Iterable[NoticePage]) -> BoardReading:
    kept = tuple(archives)
    keys = board.keys.union(*(page.keys for page in kept))
    return BoardReading(board, kept, keys)


def read_talk_pages(
    gateway: WikiGateway, titles: Sequence[str], opt_out_category: str
) -> list[NoticePage]:
    """Read talk pages with content, protection and membership of the opt-out category."""
    category = opt_out_category if ":" in opt_out_category else f"Category:{opt_out_category}"
    return read_pages(
        gateway,
        titles,
        prop="revisions|info|categories",
        clcategories=category,
        cllimit="max",
    )


def talk_titles(gateway: WikiGateway, titles: Sequence[str]) -> dict[str, str]:
    """Return the talk page of each of ``titles`` that is not itself a talk page (no request)."""
    import pywikibot  # noqa: PLC0415 - namespaces come from the logged-in site

    found: dict[str, str] = {}
    for title in titles:
        page = pywikibot.Page(gateway._site, title)
        if page.namespace().id >= 0 and not page.isTalkPage():
            found[title] = page.toggleTalkPage().title()
    return found


# -- deciding ---------------------------------------------------------------------------------


def refusal(
    page: NoticePage,
    bot_name: str,
    *,
    message_type: str,
    has_right: Callable[[str], bool],
    may_create: bool = False,
) -> Refusal | None:
    """Return why nothing may be posted on ``page`` now, or None when posting is allowed."""
    if not page.exists:
        return None if may_create else Refusal.MISSING
    if page.redirect:
        return Refusal.REDIRECT
    if page.content_model not in {None, "wikitext"}:
        return Refusal.CONTENT_MODEL
    if page.opted_out:
        return Refusal.OPTED_OUT
    if not bot_may_edit(page.text, bot_name, message_type=message_type):
        return Refusal.EXCLUDED
    for level in page.protection:
        if not has_right(_LEVEL_RIGHTS.get(level, level)):
            return Refusal.PROTECTED
    return None


# -- posting ----------------------------------------------------------------------------------

_OUTCOMES = {
    "protectedpage": PostOutcome.PROTECTED,
    "cascadeprotected": PostOutcome.PROTECTED,
    "protectedtitle": PostOutcome.PROTECTED,
    "protectednamespace": PostOutcome.PROTECTED,
    "missingtitle": PostOutcome.MISSING,
    "pagedeleted": PostOutcome.MISSING,
}


def post_section(
    gateway: WikiGateway, title: str, section: NoticeSection, *, may_create: bool = False
) -> PostResult:
    """Append ``section`` to ``title`` once; never re-send it when the reply is lost."""
    from pywikibot import exceptions  # noqa: PLC0415 - pywikibot is configured by the gateway
    from pywikibot.data.api import Request  # noqa: PLC0415
    from requests import RequestException  # noqa: PLC0415

    params: dict[str, Any] = {
        "action": "edit",
        "title": title,
        "section": "new",
        "sectiontitle": section.heading,
        "text": section.body,
        "summary": section.summary,
        "bot": True,
        "notminor": True,
        "assert": "user",
        "watchlist": "nochange",
        "formatversion": 2,
        "token": gateway._site.tokens["csrf"],
    }
    if not may_create:
        params["nocreate"] = True
    request = Request(site=gateway._site, parameters=params, max_retries=0, use_get=False)
    try:
        data = request.submit()
    except exceptions.MaxlagTimeoutError as error:
        # maxlag is refused before anything is saved.
        return PostResult(PostOutcome.REFUSED, detail=f"maxlag: {error}")
    except exceptions.APIError as error:
        if error.code in FATAL_EDIT_ERRORS or error.code.startswith("blocked"):
            raise FatalEditError(f"edit refused ({error.code}): {str(error.info)[:200]}") from error
        outcome = _OUTCOMES.get(error.code, PostOutcome.REFUSED)
        return PostResult(outcome, detail=f"{error.code}: {str(error.info)[:200]}")
    except (exceptions.ApiTimeoutError, exceptions.ServerError, RequestException, OSError) as error:
        log.warning("%s: reply to the new section lost (%s); reading the page", title, error)
        return confirm_section(gateway, title, section, f"{type(error).__name__}")
    edit = data.get("edit", {})
    if edit.get("result") != "Success" or "newrevid" not in edit:
        return PostResult(PostOutcome.REFUSED, detail=str(edit)[:300])
    return PostResult(PostOutcome.POSTED, int(edit["newrevid"]), frozenset(section.keys))


def confirm_section(
    gateway: WikiGateway, title: str, section: NoticeSection, reason: str
) -> PostResult:
    """After a lost reply, read ``title`` again and say whether the section is there."""
    try:
        (page,) = read_pages(gateway, [title])
    except GatewayError as error:
        return PostResult(PostOutcome.UNCONFIRMED, detail=f"{reason}; re-read failed: {error}")
    found = page.keys & frozenset(section.keys)
    if found:
        return PostResult(PostOutcome.CONFIRMED, page.revid, found, reason)
    return PostResult(PostOutcome.UNCONFIRMED, detail=reason)
