"""Where one local wiki keeps its files, and the addresses it answers on.

A local wiki is a directory (SQLite database, uploads, caches, ``LocalSettings.php``, generated
client configuration) plus a port on 127.0.0.1. :class:`WikiLayout` names every file and URL; the
other modules of :mod:`bot.devwiki` take it and do one thing each (maintenance scripts, accounts,
the server process, content, fault injection).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bot.errors import PartnerbotError

#: Debian's read-only MediaWiki tree.
MEDIAWIKI_ROOT = Path("/usr/share/mediawiki")
DEFAULT_DIR = Path(".devwiki")
DEFAULT_PORT = 8181
SITE_NAME = "Partnership Dev Wiki"
#: pywikibot's family name for the local wiki (``family_files`` in user-config.py).
FAMILY = "devwiki"


class DevWikiError(PartnerbotError):
    """The local wiki could not be installed, started, stopped or reached (the message says why)."""

    hint = "see `partnerbot devwiki status`; `partnerbot devwiki reset` starts afresh"


@dataclass
class WikiLayout:
    """The files and addresses of the local wiki in ``directory``, served on ``port``."""

    directory: Path
    port: int = DEFAULT_PORT
    #: The name the wiki gives itself (``$wgSitename``): two local wikis answer with two names.
    site_name: str = SITE_NAME
    #: pywikibot's family (and language code) for this wiki.
    family: str = FAMILY

    def __post_init__(self) -> None:
        self.directory = Path(self.directory).resolve()

    @property
    def url(self) -> str:
        """Return the wiki's base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """Return the Action API endpoint."""
        return f"{self.url}/api.php"

    def page_url(self, title: str) -> str:
        """Return the URL where a person reads ``title``."""
        return f"{self.url}/index.php?title={urllib.parse.quote(title.replace(' ', '_'))}"

    @property
    def local_settings(self) -> Path:
        """Return this wiki's LocalSettings.php."""
        return self.directory / "LocalSettings.php"

    @property
    def wiki_settings(self) -> Path:
        """Return the generated PHP settings that LocalSettings.php includes on every request."""
        return self.directory / "DevWikiSettings.php"

    @property
    def pywikibot_dir(self) -> Path:
        """Return the directory holding the generated pywikibot configuration."""
        return self.directory / "pywikibot"

    @property
    def settings_file(self) -> Path:
        """Return the partnerbot settings file that points at this wiki."""
        return self.directory / "settings.toml"

    @property
    def pid_file(self) -> Path:
        """Return the file recording the server's process id and port."""
        return self.directory / "server.pid"

    @property
    def server_log(self) -> Path:
        """Return the server's output file."""
        return self.directory / "server.log"

    @property
    def credentials_file(self) -> Path:
        """Return the file (mode 0600) holding the generated account passwords."""
        return self.directory / "credentials.json"

    @property
    def tmp_dir(self) -> Path:
        """Return the wiki's scratch directory (dumps and uploads being imported)."""
        return self.directory / "tmp"
