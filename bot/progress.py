"""Progress of long work: a live display in a terminal (``rich``), plain lines otherwise.

Two shapes, for two kinds of work:

- :func:`show_progress` shows that a whole command is working (a spinner with the elapsed time
  and the API requests sent so far, cleared when the command ends); elsewhere (a Toolforge job's
  log) one plain line every ``every`` seconds says it is still alive.
- A :class:`Progress` counts the items of one step::

      with progress.task("page views", total=len(pages)) as advance:
          for chunk in chunks:
              ...
              advance(len(chunk))

  :class:`TerminalProgress` draws a bar per task; :class:`LogProgress` logs a task's start, a
  line at most every ``interval`` seconds, and its end; :class:`QuietProgress` shows nothing.
  Inside a command that already shows a spinner, steps log (only one live display at a time).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TextIO

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


def _line(label: str, count: int, started: float) -> str:
    return f"{label}: working, {count} API requests so far, {time.monotonic() - started:.0f} s"


@contextlib.contextmanager
def show_progress(
    label: str,
    count: Callable[[], int],
    *,
    stream: TextIO | None = None,
    every: float = 30.0,
    terminal: bool | None = None,
) -> Iterator[None]:
    """Show that ``label`` is running, with ``count()`` requests, until the block ends."""
    stream = stream or sys.stderr
    terminal = stream.isatty() if terminal is None else terminal
    started = time.monotonic()
    done = threading.Event()
    if terminal:
        from rich.console import Console  # noqa: PLC0415 - only in a terminal
        from rich.progress import Progress as RichProgress  # noqa: PLC0415
        from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn  # noqa: PLC0415

        console = Console(file=stream, force_terminal=True)
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with RichProgress(*columns, console=console, transient=True) as progress:
            task = progress.add_task(label, total=None)

            def refresh() -> None:
                while not done.wait(0.2):
                    progress.update(task, description=f"{label}: {count()} API requests")

            watcher = threading.Thread(target=refresh, daemon=True)
            watcher.start()
            try:
                yield
            finally:
                done.set()
                watcher.join()
        return

    def report() -> None:
        while not done.wait(every):
            print(_line(label, count(), started), file=stream, flush=True)

    watcher = threading.Thread(target=report, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
