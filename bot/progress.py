"""Progress of long work on the command line: a live line in a terminal, plain lines elsewhere.

In a terminal, ``rich`` shows a spinner with the elapsed time and the API requests sent so far,
and clears it when the work ends (the summary line follows). When the output is not a terminal
(a Toolforge job's log file), one plain line every ``every`` seconds says the job is still
working, so a slow run is visibly alive and a log never fills with redraws.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


def _line(label: str, count: int, started: float) -> str:
    return f"{label}: working, {count} API requests so far, {time.monotonic() - started:.0f} s"


@contextmanager
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
        console = Console(file=stream, force_terminal=True)
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
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
