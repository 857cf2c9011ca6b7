"""A second, independent API client for tests: the "human" editing the local wiki.

The bot talks to the wiki through pywikibot; tests use this small client (logged in as the
admin account, a different user) to set the scene: edit pages, protect, delete, parse.
"""

from __future__ import annotations

from typing import Any

import requests

_WRITE_ACTIONS = frozenset(
    {"edit", "protect", "delete", "move", "upload", "rollback", "block", "unblock", "undelete"}
)


class WikiClient:
    """A logged-in Action API session for the local wiki's admin account."""

    def __init__(self, api_url: str, username: str, password: str) -> None:
        self.api_url = api_url
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "partnerbot-tests (local wiki)"
        token = self.get(action="query", meta="tokens", type="login")["query"]["tokens"]
        result = self.session.post(
            api_url,
            data={
                "action": "login",
                "lgname": username,
                "lgpassword": password,
                "lgtoken": token["logintoken"],
                "format": "json",
            },
            timeout=30,
        ).json()
        if result.get("login", {}).get("result") != "Success":
            raise RuntimeError(f"admin login failed: {result.get('login', {}).get('reason')}")
        self._csrf: str | None = None

    def get(self, **params: Any) -> dict[str, Any]:
        """Send a GET request and return the decoded JSON."""
        params.update(format="json", formatversion="2")
        response = self.session.get(self.api_url, params=params, timeout=60)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    def post(self, **params: Any) -> dict[str, Any]:
        """Send a POST request (with a CSRF token when none is given) and return the JSON."""
        params.update(format="json", formatversion="2")
        if params.get("action") in _WRITE_ACTIONS and "token" not in params:
            params["token"] = self.csrf_token()
        response = self.session.post(self.api_url, data=params, timeout=60)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    def csrf_token(self) -> str:
        """Return (and cache) the CSRF token."""
        if self._csrf is None:
            self._csrf = self.get(action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
        return self._csrf

    def edit(
        self, title: str, text: str, summary: str = "test edit", **extra: Any
    ) -> dict[str, Any]:
        """Replace the text of ``title`` and return the API result (raises on API errors)."""
        result = self.post(action="edit", title=title, text=text, summary=summary, **extra)
        if "error" in result:
            raise RuntimeError(f"edit of {title!r} failed: {result['error']}")
        return result

    def text(self, title: str) -> str | None:
        """Return the current text of ``title``, or None when the page does not exist."""
        data = self.get(
            action="query", prop="revisions", titles=title, rvprop="content", rvslots="main"
        )
        page = data["query"]["pages"][0]
        if page.get("missing"):
            return None
        return str(page["revisions"][0]["slots"]["main"]["content"])

    def revisions(self, title: str, limit: int = 50) -> list[dict[str, Any]]:
        """Return the newest revisions of ``title`` (ids, user, comment, flags), newest first."""
        data = self.get(
            action="query",
            prop="revisions",
            titles=title,
            rvprop="ids|user|comment|flags|timestamp",
            rvlimit=limit,
        )
        page = data["query"]["pages"][0]
        return list(page.get("revisions", []))

    def parse(self, text: str, title: str = "Sandbox") -> dict[str, Any]:
        """Return the action=parse result for ``text`` rendered as ``title``."""
        result = self.post(
            action="parse",
            text=text,
            title=title,
            contentmodel="wikitext",
            prop="text|categories|links|images|externallinks|templates|parsewarnings",
        )
        if "error" in result:
            raise RuntimeError(f"parse failed: {result['error']}")
        parsed: dict[str, Any] = result["parse"]
        return parsed

    def parse_page(self, title: str) -> dict[str, Any]:
        """Return the action=parse result for the saved page ``title``."""
        result = self.get(
            action="parse", page=title, prop="text|categories|links|images|externallinks|templates"
        )
        if "error" in result:
            raise RuntimeError(f"parse of {title!r} failed: {result['error']}")
        parsed: dict[str, Any] = result["parse"]
        return parsed

    def protect(self, title: str, level: str = "sysop") -> None:
        """Protect ``title`` against editing (and creation when missing) for non-sysops."""
        exists = self.text(title) is not None
        protections = f"edit={level}|move={level}" if exists else f"create={level}"
        result = self.post(
            action="protect", title=title, protections=protections, expiry="infinite"
        )
        if "error" in result:
            raise RuntimeError(f"protect failed: {result['error']}")

    def delete(self, title: str) -> None:
        """Delete ``title``."""
        result = self.post(action="delete", title=title, reason="test")
        if "error" in result:
            raise RuntimeError(f"delete failed: {result['error']}")
