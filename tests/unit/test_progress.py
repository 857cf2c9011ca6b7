"""Progress of long work: a live line in a terminal, plain lines in a log file."""

from __future__ import annotations

import io
import time

from bot.progress import show_progress


def test_plain_lines_when_the_output_is_not_a_terminal() -> None:
    stream = io.StringIO()
    sent = iter(range(100))
    with show_progress("run-once", lambda: next(sent), stream=stream, every=0.05, terminal=False):
        time.sleep(0.3)
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 3
    assert all(line.startswith("run-once: working, ") for line in lines)
    assert "\x1b" not in stream.getvalue()  # no terminal control codes in a log file


def test_a_live_line_in_a_terminal_is_cleared_at_the_end() -> None:
    stream = io.StringIO()
    with show_progress("run-once", lambda: 7, stream=stream, terminal=True):
        time.sleep(0.5)
    shown = stream.getvalue()
    assert "run-once: 7 API requests" in shown
    assert "\x1b" in shown  # drawn and redrawn in place
    assert "working," not in shown
