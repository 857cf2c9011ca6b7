"""Count every HTTP request pywikibot sends while a block runs (for the progress line).

Unlike :mod:`bot.io.counting`, which counts per gateway, this counts on pywikibot's shared session
whatever wiki or gateway sends, so the command line can show progress without reaching into a job.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class RequestCount:
    """Count the HTTP requests pywikibot sends (its session's response hook)."""

    def __init__(self) -> None:
        self.total = 0
        self._lock = threading.Lock()

    def __call__(self) -> int:
        """Return how many requests were answered so far."""
        return self.total

    @contextmanager
    def counting(self) -> Iterator[RequestCount]:
        """Count while the block runs; pywikibot must be importable (PYWIKIBOT_DIR set)."""
        from pywikibot.comms import http  # noqa: PLC0415 - after PYWIKIBOT_DIR is set

        def hook(response: object, *_args: object, **_kwargs: object) -> object:
            with self._lock:
                self.total += 1
            return response

        hooks = http.session.hooks.setdefault("response", [])
        hooks.append(hook)
        try:
            yield self
        finally:
            hooks.remove(hook)
