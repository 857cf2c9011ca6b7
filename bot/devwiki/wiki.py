"""The embedded local MediaWiki: one object to install, start, stop, seed and break it.

Debian's ``mediawiki`` package provides a read-only tree in ``/usr/share/mediawiki``. Each local
wiki lives in its own directory and is served by ``php -S`` on 127.0.0.1. :class:`DevWiki`
composes the modules that each do one part: :mod:`~bot.devwiki.layout` (files and addresses),
:mod:`~bot.devwiki.accounts` (install and accounts), :mod:`~bot.devwiki.configure` (configuration
files), :mod:`~bot.devwiki.server` (the server process), :mod:`~bot.devwiki.content` (imports)
and :mod:`~bot.devwiki.faults` (read-only mode, lag). The demo and the tests use it; it is part
of the product, not test scaffolding.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.devwiki import accounts, configure, content, faults, server
from bot.devwiki.accounts import ADMIN_USER, BOT_USER
from bot.devwiki.layout import DEFAULT_DIR, DEFAULT_PORT, SITE_NAME, DevWikiError, WikiLayout
from bot.devwiki.maintenance import require_debian_packages, run_maintenance
from bot.devwiki.server import free_port, port_is_free

__all__ = [
    "ADMIN_USER",
    "BOT_USER",
    "DEFAULT_DIR",
    "DEFAULT_PORT",
    "SITE_NAME",
    "DevWiki",
    "DevWikiError",
    "free_port",
    "port_is_free",
]


@dataclass
class DevWiki(WikiLayout):
    """One throwaway MediaWiki in ``directory``, served on 127.0.0.1:``port``.

    ``snippets`` (name -> PHP statements) are written after the generated settings on every
    start and by :meth:`apply_settings`; ``companions`` are other local wikis the bot talks to
    from this wiki's pywikibot configuration (their families and bot passwords go there too);
    ``settings_sections`` are added to the partnerbot settings file written on every start.
    """

    snippets: dict[str, str] = field(default_factory=dict)
    companions: tuple[DevWiki, ...] = ()
    settings_sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    # -- installation -------------------------------------------------------------------------

    @property
    def installed(self) -> bool:
        """Return True when the wiki in ``directory`` has been installed."""
        return accounts.is_installed(self)

    def credentials(self) -> dict[str, str]:
        """Return the generated account passwords (stored 0600 in the wiki's directory)."""
        return accounts.read_credentials(self)

    def run_maintenance(
        self, script: str, *args: str, stdin: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run ``maintenance/SCRIPT.php`` for this wiki and return the finished process."""
        return run_maintenance(self, script, *args, stdin=stdin, check=check)

    def install(self) -> None:
        """Create the database, the accounts and the configuration files.

        A half-finished earlier install is replaced; anything else in the directory stays.
        ``credentials.json`` is written last, so an interrupted install is redone at next start.
        """
        require_debian_packages()
        for stale in ("data", "images", "cache"):
            shutil.rmtree(self.directory / stale, ignore_errors=True)
        self.local_settings.unlink(missing_ok=True)
        self.credentials_file.unlink(missing_ok=True)
        for sub in ("data", "cache", "images", "tmp"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        admin_password = accounts.new_admin_password()
        accounts.run_install_script(self, admin_password)
        configure.include_wiki_settings(self)
        credentials = accounts.create_accounts(self, admin_password)
        content.import_pages(self, {f"User:{BOT_USER}/Run": "yes"}, summary="Enable the bot")
        accounts.write_credentials(self, credentials)

    def write_pywikibot_user_config(self) -> Path:
        """Write ``user-config.py`` for this wiki (possible before the wiki is installed).

        pywikibot reads it when it is first imported, so a process that talks to this wiki sets
        ``PYWIKIBOT_DIR`` to :attr:`pywikibot_dir` and calls this before importing pywikibot.
        """
        return configure.write_pywikibot_user_config(self, self.companions)

    def write_settings_file(self, template: Path | None = None) -> Path:
        """Write ``DIR/settings.toml``: the shipped settings (or ``template``), pointed here."""
        from bot.settings import DEFAULT_SETTINGS  # noqa: PLC0415 - keeps devwiki import-light

        return configure.write_settings_file(
            self, template or DEFAULT_SETTINGS, self.settings_sections
        )

    def write_client_config(self) -> None:
        """Write pywikibot's configuration and password file, and the settings file."""
        configure.write_pywikibot_user_config(self, self.companions)
        passwords = {self.family: self.credentials()["bot_botpassword"]}
        for companion in self.companions:
            if companion.installed:
                passwords[companion.family] = companion.credentials()["bot_botpassword"]
        configure.write_pywikibot_password(self, passwords)
        self.write_settings_file()

    def apply_settings(self) -> None:
        """Write the generated settings and snippets; wait until a running wiki serves them."""
        version = configure.write_wiki_settings(self, self.snippets)
        if server.server_pid(self) is not None:
            server.wait_for_settings(self, version)

    # -- server -------------------------------------------------------------------------------

    def answers(self) -> bool:
        """Return True when the wiki's API answers with its site name."""
        return server.answers(self)

    def running(self) -> bool:
        """Return True when this directory's server process is alive and answering."""
        return server.server_pid(self) is not None and self.answers()

    def recorded_port(self) -> int | None:
        """Return the port the running (or last) server of this directory was started on."""
        recorded = server.recorded_server(self)
        return recorded[1] if recorded else None

    def start(self, *, workers: int = 4, timeout: float = server.START_TIMEOUT) -> None:
        """Install if needed and start the server; reuse a server that is already running."""
        if not self.installed:
            self.install()
        if server.server_pid(self) is not None:
            if self.recorded_port() == self.port and self.answers():
                self.write_client_config()
                self.apply_settings()
                return
            self.stop()
        version = configure.write_wiki_settings(self, self.snippets)
        self.write_client_config()
        server.start_server(self, workers=workers, timeout=timeout)
        server.wait_for_settings(self, version)

    def stop(self, timeout: float = server.STOP_TIMEOUT) -> None:
        """Stop the server; return when its processes are gone and its port is free."""
        server.stop_server(self, timeout=timeout)

    def reset(self) -> None:
        """Stop the server and delete the wiki's directory."""
        self.stop()
        if self.directory.exists():
            shutil.rmtree(self.directory)

    def status(self) -> dict[str, object]:
        """Return what a person needs to know about this wiki."""
        pid = server.server_pid(self)
        return {
            "directory": str(self.directory),
            "installed": self.installed,
            "url": self.url,
            "api": self.api_url,
            "bot_account": BOT_USER,
            "admin_account": ADMIN_USER,
            "pid": pid,
            "answers": pid is not None and self.answers(),
            "settings": str(self.settings_file) if self.settings_file.exists() else None,
        }

    # -- content ------------------------------------------------------------------------------

    def import_pages(
        self, pages: Mapping[str, str], *, summary: str = "Seeded page", link_updates: bool = True
    ) -> int:
        """Import ``pages`` (title → wikitext) through an XML dump; return how many."""
        return content.import_pages(self, pages, summary=summary, link_updates=link_updates)

    def upload_files(self, files: Mapping[str, tuple[bytes, str]], *, comment: str) -> int:
        """Upload ``files`` (name → (bytes, description wikitext)); return how many."""
        return content.upload_files(self, files, comment=comment)

    def refresh_links(self, namespace: int = 0) -> None:
        """Rebuild the link tables (templatelinks included) of one namespace."""
        content.refresh_links(self, namespace)

    def run_jobs(self) -> None:
        """Run the job queue (link tables after template changes, for example)."""
        content.run_jobs(self)

    # -- fault injection ----------------------------------------------------------------------

    def set_read_only(self, reason: str | None) -> None:
        """Put the wiki in read-only mode with ``reason``, or end it with ``None``."""
        faults.set_read_only(self, reason)

    def set_fake_lag(self, seconds: float | None) -> None:
        """Make the API report ``seconds`` of replication lag (``None`` ends it)."""
        faults.set_fake_lag(self, seconds)
