"""Count the HTTP requests each gateway's wiki receives, by method and API action.

pywikibot sends every request through one shared HTTP session. One response hook is installed on
it, once; it hands each response to the counters of every live gateway whose API URL the request
went to. A second gateway adds a counter of its own and never silences the first.
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

#: API actions that change the wiki.
WRITE_ACTIONS = frozenset({"edit", "upload", "move", "delete", "protect", "purge"})
_ACTION = re.compile(rb'(?:^|[?&])action=([^&]*)|name="action"\r\n\r\n([^\r]*)')


def action_of(url: str, body: bytes) -> str:
    """Return the API action of a request from its URL or (form or multipart) body."""
    # Only the action is wanted; decoding a whole POST body (a 1 MB page text) is costly.
    for source in (url.encode("utf-8", "replace"), body):
        match = _ACTION.search(source)
        if match:
            value = match.group(1) if match.group(1) is not None else match.group(2)
            return unquote_plus(value.decode("utf-8", "replace"))
    return "?"


@dataclass(eq=False)
class RequestCounter:
    """The requests sent to one wiki's API: total, POSTs, writes, and per action."""

    api_url: str
    total: int = 0
    posts: int = 0
    writes: int = 0
    actions: dict[str, int] = field(default_factory=dict)

    def count(self, method: str, url: str, body: bytes) -> None:
        """Count one request."""
        action = action_of(url, body)
        self.total += 1
        self.actions[action] = self.actions.get(action, 0) + 1
        if method == "POST":
            self.posts += 1
        if action in WRITE_ACTIONS:
            self.writes += 1

    def snapshot(self) -> dict[str, int]:
        """Return the counts as plain data."""
        return {"requests": self.total, "posts": self.posts, "writes": self.writes}


_counters: weakref.WeakSet[RequestCounter] = weakref.WeakSet()
_lock = threading.Lock()
_installed: set[int] = set()


def _dispatch(response: Any, *args: Any, **kwargs: Any) -> Any:
    request = response.request
    url = str(request.url)
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    with _lock:
        counters = [counter for counter in _counters if url.startswith(counter.api_url)]
    for counter in counters:
        counter.count(str(request.method), url, body)
    return response


def counter_for(session: Any, api_url: str) -> RequestCounter:
    """Return a new counter for ``api_url``, hooked into the HTTP ``session`` (hooked once)."""
    counter = RequestCounter(api_url)
    with _lock:
        _counters.add(counter)
        if id(session) not in _installed:
            session.hooks.setdefault("response", []).append(_dispatch)
            _installed.add(id(session))
    return counter
