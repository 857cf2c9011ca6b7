"""The local set-up for usage statistics: the bot's wiki as Commons, a content wiki, analytics.

The bot's own local wiki holds the partner files and categories, as Commons does. A second local
wiki in ``DIR/content`` plays a Wikipedia: its articles show the first wiki's files through
``$wgForeignFileRepos`` (:mod:`bot.devwiki.standins.commons_pair`). A pageviews and Commons Impact
Metrics stand-in (:mod:`bot.devwiki.standins.analytics`) answers with synthetic figures, as a
process of its own. :class:`WikiPair` starts, stops and describes the three, and writes the
``[usage]`` section of the settings file (the pageviews endpoint marked synthetic).

By default the content wiki listens on the next port and the stand-in on the one after.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.devwiki.layout import DevWikiError
from bot.devwiki.server import group_members, port_is_free
from bot.devwiki.standins.commons_pair import link_foreign_files
from bot.devwiki.wiki import DevWiki

CONTENT_DIR = "content"
CONTENT_SITE_NAME = "Partnership Dev Content Wiki"
CONTENT_FAMILY = "devcontent"
#: The names the usage settings give the two wikis (also their pageviews project names).
COMMONS_NAME = "commons.devwiki"
CONTENT_NAME = "content.devwiki"
#: Seconds to wait for the stand-in to answer after its start, and to end after SIGTERM.
ANALYTICS_TIMEOUT = 20.0
_ANALYTICS_MODULE = "bot.devwiki.standins.analytics"


def usage_section(commons: DevWiki, content: DevWiki, analytics_port: int) -> dict[str, Any]:
    """Return the ``[usage]`` settings for the local pair and stand-in."""
    return {
        "enabled": True,
        "source": "fileusage",
        "commons_api": commons.api_url,
        "wikis": [
            {"name": COMMONS_NAME, "api": commons.api_url},
            {"name": CONTENT_NAME, "api": content.api_url},
        ],
        "namespaces": [0],
        "pageviews_url": f"http://127.0.0.1:{analytics_port}",
        "synthetic": True,
    }


@dataclass
class WikiPair:
    """The bot's local wiki (as Commons), the content wiki and the analytics stand-in."""

    commons: DevWiki
    content: DevWiki
    analytics_port: int

    @classmethod
    def around(
        cls,
        commons: DevWiki,
        *,
        content_port: int | None = None,
        analytics_port: int | None = None,
    ) -> WikiPair:
        """Return the pair built around ``commons`` (its content wiki in ``DIR/content``)."""
        content = DevWiki(
            commons.directory / CONTENT_DIR,
            content_port or commons.port + 1,
            site_name=CONTENT_SITE_NAME,
            family=CONTENT_FAMILY,
        )
        analytics = analytics_port or commons.port + 2
        commons.companions = (content,)
        commons.settings_sections["usage"] = usage_section(commons, content, analytics)
        return cls(commons, content, analytics)

    @property
    def analytics_url(self) -> str:
        """Return the stand-in's base URL (the pageviews endpoint of the settings)."""
        return f"http://127.0.0.1:{self.analytics_port}"

    @property
    def _analytics_pid_file(self) -> Path:
        return self.commons.directory / "analytics.pid"

    def start(self, *, show_files: bool = True) -> None:
        """Start (installing when needed) both wikis and the stand-in; reuse what runs.

        Without ``show_files`` the content wiki does not show the files (no foreign repository):
        its link tables still record every use, without a request per file to the first wiki.
        """
        self.commons.start()
        self.content.start()
        if show_files:
            link_foreign_files(self.content, self.commons)
        self.commons.write_client_config()  # the content wiki's bot password exists now
        self._start_analytics()

    def stop(self) -> None:
        """Stop the stand-in and both wikis (whatever of them runs)."""
        self._stop_analytics()
        self.content.stop()
        self.commons.stop()

    def status(self) -> dict[str, object]:
        """Return the status of the three parts."""
        return {
            **self.commons.status(),
            "content": self.content.status(),
            "analytics": {"url": self.analytics_url, "pid": self._analytics_pid()},
        }

    # -- the analytics stand-in ---------------------------------------------------------------

    def _analytics_pid(self) -> int | None:
        try:
            pid = int(self._analytics_pid_file.read_text(encoding="utf-8").split()[0])
            command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except (OSError, ValueError, IndexError):
            return None
        return pid if _ANALYTICS_MODULE in command and group_members(pid) else None

    def _analytics_answers(self) -> bool:
        try:
            with urllib.request.urlopen(  # noqa: S310 - loopback only
                f"{self.analytics_url}/_standin/requests", timeout=2
            ) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def _start_analytics(self) -> None:
        if self._analytics_pid() is not None and self._analytics_answers():
            return
        self._stop_analytics()
        if not port_is_free(self.analytics_port):
            raise DevWikiError(
                f"port {self.analytics_port} on 127.0.0.1 (analytics stand-in) is in use",
                hint="start the local wiki with another --port",
            )
        log = self.commons.directory / "analytics.log"
        with log.open("ab") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    _ANALYTICS_MODULE,
                    "--port",
                    str(self.analytics_port),
                    "--project",
                    COMMONS_NAME,
                    "--project",
                    CONTENT_NAME,
                ],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        self._analytics_pid_file.write_text(f"{process.pid} {self.analytics_port}\n", "utf-8")
        deadline = time.monotonic() + ANALYTICS_TIMEOUT
        while not self._analytics_answers():
            if process.poll() is not None or time.monotonic() > deadline:
                self._stop_analytics()
                raise DevWikiError(
                    f"the analytics stand-in did not answer on {self.analytics_url}",
                    hint=f"see {log}",
                )
            time.sleep(0.1)

    def _stop_analytics(self) -> None:
        pid = self._analytics_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            deadline = time.monotonic() + ANALYTICS_TIMEOUT
            while group_members(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        self._analytics_pid_file.unlink(missing_ok=True)
