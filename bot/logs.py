"""Where log lines go and what they look like: UTC timestamps, one record a line, no secrets.

Every handler formats through :class:`RedactingFormatter`, which removes the values of
passwords, tokens, OAuth secrets, cookies and authorisation headers from the whole line
(tracebacks included), whatever logged them: pywikibot's debug output shows each request's
body, which holds the CSRF token and, at login, the BotPassword.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from pathlib import Path

#: A key that names a secret, its separator (``=``, ``: ``, ``': '``, URL-encoded ``=``), and
#: the value up to the next delimiter.
_SECRET = re.compile(
    r"""(?ix)
    (
      \b\w*(?:password|passwd|token|secret)\w*
      | \boauth_\w+
      | \bcookie | \bset-cookie | \bauthorization
      | \w*session\w*
    )
    ( ['"]?\s*[:=]\s*['"]? | %3D )
    ( (?:OAuth\s+)? [^\s&'",;)}\]]+ )
    """
)
_REDACTED = "[hidden]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
#: The loggers whose INFO records are the one line per job, shown without -v: ``serve``'s,
#: and the pass's own for the one-shot commands (``serve`` says it in its own line).
SERVE_LOGGER = "partnerbot.serve"
RUN_ONCE_LOGGER = "bot.run.once"


def redact(text: str) -> str:
    """Return ``text`` with the value of every secret-looking key replaced."""
    return _SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}{_REDACTED}", text)


class RedactingFormatter(logging.Formatter):
    """Format records with UTC timestamps, then remove secrets from the whole text."""

    converter = staticmethod(time.gmtime)

    def __init__(self) -> None:
        super().__init__(FORMAT, DATE_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        """Return the record's line (and traceback) without secrets."""
        return redact(super().format(record))


class _ConsoleLevel(logging.Filter):
    """Without -v: warnings and errors, and the INFO line of each job."""

    def __init__(self, job_logger: str) -> None:
        super().__init__()
        self.job_logger = job_logger

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return record.levelno >= logging.INFO and record.name == self.job_logger


class _FileHandler(logging.FileHandler):
    """The ``--log-file`` handler (also given pywikibot's records)."""


def configure_logging(
    *, verbose: bool, log_file: Path | None = None, serve_lines: bool = False
) -> None:
    """Send log records to stderr (and every record, at DEBUG, to ``log_file``)."""
    root = logging.getLogger()
    for handler in root.handlers[:]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.DEBUG if verbose or log_file else logging.INFO)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(RedactingFormatter())
    if not verbose:
        console.addFilter(_ConsoleLevel(SERVE_LOGGER if serve_lines else RUN_ONCE_LOGGER))
    root.addHandler(console)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        to_file = _FileHandler(log_file, encoding="utf-8")
        to_file.setFormatter(RedactingFormatter())
        to_file.setLevel(logging.DEBUG)
        root.addHandler(to_file)


def route_pywikibot(logger: logging.Logger) -> None:
    """Give pywikibot's logger (which does not propagate) the ``--log-file`` handler too."""
    files = [h for h in logging.getLogger().handlers if isinstance(h, _FileHandler)]
    for handler in files:
        if handler not in logger.handlers:
            logger.addHandler(handler)
    if files:
        logger.setLevel(logging.DEBUG)
