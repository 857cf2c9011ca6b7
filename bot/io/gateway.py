"""The pywikibot gateway: discover and fetch infobox pages, read pages, and save safely.

Every read is batched (one request for up to 500 pages with the bot's ``apihighlimits``), every
listing follows continuation to the end, and a listing that fails part-way raises instead of
returning a partial result. Every write goes through :func:`bot.io.safe_save.save_block` or
:func:`bot.io.safe_save.save_owned_page`, which call :meth:`WikiGateway.edit` here: the single
place where an edit request is sent. Edits are sent with the ``basetimestamp`` of the revision
actually read and a ``starttimestamp`` from the same read, ``nocreate`` for existing pages and
``createonly`` for new ones, so a page deleted or created meanwhile is never overwritten.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.io.counting import counter_for
from bot.io.responses import (
    EditOutcome,
    EditResult,
    FatalEditError,
    FetchedPage,
    GatewayError,
    RecentChanges,
    edit_error,
    fetched_page,
    merge_page_batches,
    page_state,
)
from bot.pages.plan import PageState
from bot.parse.site import SiteFacts, site_facts_from_siteinfo
from bot.settings import WikiSettings

__all__ = [
    "EditOutcome",
    "EditResult",
    "FatalEditError",
    "FetchedPage",
    "GatewayError",
    "PageState",
    "RecentChanges",
    "WikiGateway",
    "configure_pywikibot",
    "merge_page_batches",
]

log = logging.getLogger(__name__)

#: Titles (or page ids) per batched read; MediaWiki's maximum with apihighlimits.
BATCH = 500
#: Without apihighlimits MediaWiki allows only this many.
SMALL_BATCH = 50
#: The siteinfo parts that change how MediaWiki reads a page (bot.parse.site.SiteFacts).
SITEINFO_PROPS = (
    "general|namespaces|namespacealiases|extensiontags|functionhooks|variables|magicwords"
    "|interwikimap"
)


def configure_pywikibot(settings: WikiSettings) -> None:
    """Point pywikibot at the configured directory and apply our limits; call before import."""
    if settings.pywikibot_dir:
        os.environ["PYWIKIBOT_DIR"] = settings.pywikibot_dir


class WikiGateway:
    """One logged-in connection to one wiki."""

    def __init__(self, settings: WikiSettings, *, user_agent_suffix: str = "") -> None:
        configure_pywikibot(settings)
        import pywikibot  # noqa: PLC0415 - PYWIKIBOT_DIR must be set first
        from pywikibot import config  # noqa: PLC0415
        from pywikibot.comms import http  # noqa: PLC0415

        self._pywikibot = pywikibot
        self.settings = settings
        config.write_maxlag = settings.maxlag
        config.read_maxlag = settings.maxlag
        config.max_retries = settings.max_retries
        config.put_throttle = settings.put_throttle
        config.solve_captcha = False
        contact = settings.contact or "no contact configured"
        config.user_agent_description = f"partnerbot/0.1 ({contact}){user_agent_suffix}"
        _refuse_open_secrets(config)
        try:
            self._site = pywikibot.Site(settings.code, settings.family, user=settings.user)
        except Exception as error:  # pywikibot raises many types for a bad configuration
            raise GatewayError(
                f"cannot open the wiki {settings.family}:{settings.code}: {error}"
            ) from error
        self.counter = counter_for(http.session, self._site.base_url(self._site.apipath()))
        self._site_facts: SiteFacts | None = None

    # -- session ------------------------------------------------------------------------------

    def login(self) -> None:
        """Log in and check the rights a safe run needs; raise GatewayError otherwise."""
        exceptions = self._pywikibot.exceptions
        try:
            self._site.login()
        except (exceptions.NoUsernameError, exceptions.APIError) as error:
            raise GatewayError(
                f"login as {self.settings.user} failed: {type(error).__name__}"
            ) from error
        except (exceptions.ApiTimeoutError, exceptions.ServerError) as error:
            raise self._unavailable(error) from error
        if not self._site.logged_in():
            raise GatewayError(f"not logged in as {self.settings.user}")

    @property
    def username(self) -> str:
        """Return the name the bot is logged in as."""
        return str(self._site.username())

    def has_right(self, right: str) -> bool:
        """Return whether the logged-in account has ``right``."""
        return bool(self._site.has_right(right))

    @property
    def api_url(self) -> str:
        """Return the URL of the wiki's Action API."""
        return str(self._site.base_url(self._site.apipath()))

    def missing_rights(self) -> list[str]:
        """Return the rights a bot run needs that this login lacks (``bot``, ``apihighlimits``)."""
        return [right for right in ("bot", "apihighlimits") if not self._site.has_right(right)]

    @property
    def batch(self) -> int:
        """Return how many titles one read request may carry for this login."""
        return BATCH if self._site.has_right("apihighlimits") else SMALL_BATCH

    def request(self, **params: Any) -> dict[str, Any]:
        """Send one API request through pywikibot (maxlag, retries, throttling) and decode it."""
        params.setdefault("formatversion", 2)
        exceptions = self._pywikibot.exceptions
        try:
            result: dict[str, Any] = self._site.simple_request(**params).submit()
        except (exceptions.ApiTimeoutError, exceptions.ServerError) as error:
            raise self._unavailable(error) from error
        return result

    def _unavailable(self, error: Exception) -> GatewayError:
        """Return the error for a wiki that kept refusing after pywikibot's retries."""
        return GatewayError(
            f"the wiki gave no usable answer after {self.settings.max_retries} retries "
            f"(replication lag over maxlag, read-only mode or a server error): "
            f"{type(error).__name__}: {error}"
        )

    def query_all(self, **params: Any) -> Iterator[dict[str, Any]]:
        """Yield every ``query`` result batch, following continuation to the end."""
        params = {"action": "query", **params}
        continuation: dict[str, Any] = {}
        while True:
            data = self.request(**params, **continuation)
            if "query" in data:
                yield data["query"]
            if "continue" not in data:
                return
            continuation = dict(data["continue"])

    def site_facts(self) -> SiteFacts:
        """Return what the wiki's parser knows: tags, namespaces, functions (one request, kept)."""
        if self._site_facts is None:
            data = self.request(action="query", meta="siteinfo", siprop=SITEINFO_PROPS)
            self._site_facts = site_facts_from_siteinfo(data.get("query", {}))
        return self._site_facts

    # -- discovery ----------------------------------------------------------------------------

    def template_names(self, template: str) -> list[str]:
        """Return the template's title and every redirect to it (one request)."""
        title = template if ":" in template else f"Template:{template}"
        names = [title]
        for batch in self.query_all(prop="redirects", titles=title, rdlimit="max"):
            for page in batch.get("pages", []):
                names.extend(redirect["title"] for redirect in page.get("redirects", []))
        return names

    def list_infobox_pages(
        self, template: str, namespaces: Sequence[int], *, content: bool
    ) -> Iterator[FetchedPage]:
        """Yield every page transcluding ``template`` (directly or through a redirect).

        With ``content`` the text comes in the same requests (one request per ``batch`` pages);
        without, only revision ids (for comparing with the state store).
        """
        title = template if ":" in template else f"Template:{template}"
        params: dict[str, Any] = {
            "generator": "embeddedin",
            "geititle": title,
            "geinamespace": "|".join(str(ns) for ns in namespaces),
            # With content, MediaWiki sends at most `batch` texts per request; asking for more
            # pages only makes it repeat the rest without text.
            "geilimit": self.batch if content else "max",
        }
        if content:
            params.update(prop="revisions", rvprop="ids|timestamp|content", rvslots="main")
        else:
            params.update(prop="info")
        batches = (batch.get("pages", []) for batch in self.query_all(**params))
        for page in merge_page_batches(batches, content=content, what=f"listing of {title}"):
            yield fetched_page(page, content=content)

    def fetch_pages(
        self,
        titles: Iterable[str] = (),
        pageids: Iterable[int] = (),
        *,
        transcluding: str | None = None,
    ) -> list[FetchedPage]:
        """Return the current text of ``titles`` / ``pageids`` (missing pages are left out).

        With ``transcluding`` (a template name) each result says whether the page still
        transcludes that template, from the same request.
        """
        template = None
        if transcluding is not None:
            template = transcluding if ":" in transcluding else f"Template:{transcluding}"
        fetched: list[FetchedPage] = []
        for key, values in (("titles", list(titles)), ("pageids", [str(p) for p in pageids])):
            for start in range(0, len(values), self.batch):
                params: dict[str, Any] = {
                    "prop": "revisions",
                    "rvprop": "ids|timestamp|content",
                    "rvslots": "main",
                    key: "|".join(values[start : start + self.batch]),
                }
                if template is not None:
                    params.update(prop="revisions|templates", tltemplates=template, tllimit="max")
                merged: dict[int, dict[str, Any]] = {}
                for batch in self.query_all(**params):
                    for page in batch.get("pages", []):
                        if page.get("missing") or page.get("invalid"):
                            continue
                        entry = merged.setdefault(page["pageid"], {})
                        for name, value in page.items():
                            if name in {"revisions", "templates"} and not value:
                                continue
                            entry[name] = value
                for page in merged.values():
                    if not page.get("revisions"):
                        continue
                    result = fetched_page(page, content=True)
                    if template is not None:
                        result = replace(result, transcludes=bool(page.get("templates")))
                    fetched.append(result)
        return fetched

    def recent_changes(
        self,
        since_timestamp: str,
        since_rcid: int,
        namespaces: Sequence[int],
        *,
        exclude_user: str | None = None,
    ) -> RecentChanges:
        """Return titles edited, created, deleted or moved since a recent-changes position."""
        titles: set[str] = set()
        last_rcid, last_timestamp = since_rcid, since_timestamp
        for batch in self.query_all(
            list="recentchanges",
            rcstart=since_timestamp,
            rcdir="newer",
            rcnamespace="|".join(str(ns) for ns in namespaces),
            rcprop="title|ids|timestamp|loginfo",
            rctype="edit|new|log",
            rclimit="max",
            **({"rcexcludeuser": exclude_user} if exclude_user else {}),
        ):
            for change in batch.get("recentchanges", []):
                if change["rcid"] <= since_rcid:
                    continue
                titles.add(change["title"])
                params = change.get("logparams") or {}
                if isinstance(params, dict) and params.get("target_title"):
                    titles.add(str(params["target_title"]))
                if change["rcid"] > last_rcid:
                    last_rcid, last_timestamp = change["rcid"], change["timestamp"]
        return RecentChanges(frozenset(titles), last_rcid, last_timestamp)

    def recent_changes_position(self) -> tuple[int, str]:
        """Return the newest (rcid, timestamp) in recent changes, or (0, now)."""
        data = self.request(
            action="query", list="recentchanges", rcprop="ids|timestamp", rclimit=1, curtimestamp=1
        )
        changes = data.get("query", {}).get("recentchanges", [])
        if changes:
            return int(changes[0]["rcid"]), str(changes[0]["timestamp"])
        return 0, str(data.get("curtimestamp"))

    # -- pages for editing --------------------------------------------------------------------

    def read_pages(self, titles: Sequence[str]) -> dict[str, PageState]:
        """Read ``titles`` for editing (text, revision, last user), one request per batch."""
        states: dict[str, PageState] = {}
        for start in range(0, len(titles), self.batch):
            chunk = titles[start : start + self.batch]
            data = self.request(
                action="query",
                prop="revisions|info",
                rvprop="ids|content|timestamp|user",
                rvslots="main",
                titles="|".join(chunk),
                curtimestamp=1,
            )
            now = str(data.get("curtimestamp"))
            query = data.get("query", {})
            renamed = {item["from"]: item["to"] for item in query.get("normalized", [])}
            by_title = {page["title"]: page for page in query.get("pages", [])}
            for title in chunk:
                page = by_title.get(renamed.get(title, title), {"missing": True})
                states[title] = page_state(title, page, now)
        return states

    def deleted_titles(self, titles: Sequence[str]) -> set[str]:
        """Return which of ``titles`` the deletion log names.

        The log is read newest first, one request of up to 5,000 entries; a title that this
        page of the log does not settle (a long log) is then asked about on its own.
        """
        if not titles:
            return set()
        wanted = set(titles)
        data = self.request(
            action="query", list="logevents", letype="delete", leprop="title", lelimit="max"
        )
        logged = {event["title"] for event in data.get("query", {}).get("logevents", [])}
        found = logged & wanted
        if "continue" not in data:
            return found
        for title in sorted(wanted - logged):
            data = self.request(
                action="query", list="logevents", letype="delete", letitle=title, lelimit=1
            )
            if data.get("query", {}).get("logevents"):
                found.add(title)
        return found

    def purge(self, titles: Sequence[str]) -> int:
        """Purge ``titles`` (one request per batch); return how many.

        Each page's rendering is marked old and made again on its next view. No links update
        is forced: rendering 10,000 pages inside the purge requests took most of a 77 s run.
        """
        purged = 0
        for start in range(0, len(titles), self.batch):
            chunk = titles[start : start + self.batch]
            params = {"action": "purge", "titles": "|".join(chunk)}
            data = self.request(**params, **{"assert": "user"})
            purged += sum(1 for page in data.get("purge", []) if page.get("purged"))
        return purged

    def read_page(self, title: str) -> PageState:
        """Read one page for editing."""
        return self.read_pages([title])[title]

    def _edit(
        self,
        base: PageState,
        text: str,
        summary: str,
        *,
        minor: bool = True,
        contentmodel: str | None = None,
    ) -> EditResult:
        """Send one edit based on ``base``; the only place an edit request leaves the bot.

        Private to ``bot.io``: every write goes through :mod:`bot.io.safe_save`.
        """
        params: dict[str, Any] = {
            "action": "edit",
            "title": base.title,
            "text": text,
            "summary": summary,
            "bot": True,
            "minor" if minor else "notminor": True,
            "starttimestamp": base.starttimestamp,
            "token": self._site.tokens["csrf"],
            "assert": "user",
            "watchlist": "nochange",
        }
        if base.exists:
            params["nocreate"] = True
            params["basetimestamp"] = base.timestamp
        else:
            params["createonly"] = True
        if contentmodel:
            params["contentmodel"] = contentmodel
        api_error = self._pywikibot.exceptions.APIError
        try:
            data = self.request(**params)
        except api_error as error:
            return edit_error(error.code, str(error.info))
        edit = data.get("edit", {})
        if edit.get("result") != "Success":
            return EditResult(EditOutcome.REFUSED, detail=str(edit)[:300])
        if "nochange" in edit:
            return EditResult(EditOutcome.UNCHANGED, base.revid)
        return EditResult(EditOutcome.SAVED, int(edit["newrevid"]))


def _refuse_open_secrets(config: Any) -> None:
    """Refuse to run when the password file can be read by anyone but its owner."""
    if not getattr(config, "password_file", None):
        return
    path = Path(config.base_dir, config.password_file)
    if path.exists() and path.stat().st_mode & 0o077:
        raise GatewayError(
            f"{path} can be read by other users; run `chmod 600 {path}` before the bot uses it"
        )
