"""Progress of long work: a live bar in a terminal (``rich``), plain log lines otherwise.

A job asks for a :class:`Progress` and opens one task per step::

    with progress.task("page views", total=len(pages)) as advance:
        for chunk in chunks:
            ...
            advance(len(chunk))

In a terminal the bars are drawn on standard error and leave a finished line each; elsewhere
(a scheduled job, a pipe, the tests) each task logs its start, a line at most every
``interval`` seconds, and its end, so a log shows where a long run is.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

log = logging.getLogger(__name__)

Advance = Callable[[int], None]


class Progress(Protocol):
    """Shows how far long work has come."""

    def task(self, description: str, total: int) -> contextlib.AbstractContextManager[Advance]:
        """Return a context whose value advances the task by a number of items."""
        ...


class QuietProgress:
    """Shows nothing (library use, tests)."""

    @contextlib.contextmanager
    def task(self, description: str, total: int) -> Iterator[Advance]:
        """Return a context that ignores every advance."""
        yield lambda _count: None


class LogProgress:
    """Writes a log line at the start and end of each task, and at most every ``interval`` s."""

    def __init__(self, interval: float = 30.0) -> None:
        self.interval = interval

    @contextlib.contextmanager
    def task(self, description: str, total: int) -> Iterator[Advance]:
        """Return a context that logs the task's progress."""
        started = last = time.monotonic()
        done = 0
        log.info("%s: %d to do", description, total)

        def advance(count: int) -> None:
            nonlocal done, last
            done += count
            now = time.monotonic()
            if now - last >= self.interval:
                last = now
                log.info("%s: %d of %d done (%.0f s)", description, done, total, now - started)

        yield advance
        log.info(
            "%s: %d of %d done in %.1f s", description, done, total, time.monotonic() - started
        )


class TerminalProgress:
    """Draws a ``rich`` progress bar per task on standard error."""

    def __init__(self) -> None:
        from rich.console import Console  # noqa: PLC0415 - only in a terminal
        from rich.progress import (  # noqa: PLC0415
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._columns: tuple[Any, ...] = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        self._console = Console(stderr=True)

    @contextlib.contextmanager
    def task(self, description: str, total: int) -> Iterator[Advance]:
        """Return a context that draws and advances one bar."""
        from rich.progress import Progress as RichProgress  # noqa: PLC0415

        with RichProgress(*self._columns, console=self._console) as bar:
            task = bar.add_task(description, total=total)
            yield lambda count: bar.advance(task, count)


def progress_for_terminal() -> Progress:
    """Return bars when standard error is a terminal, log lines otherwise."""
    if sys.stderr.isatty():
        return TerminalProgress()
    return LogProgress()
