"""The embedded local MediaWiki: install, start, stop, seed.

Debian's ``mediawiki`` package provides a read-only tree in ``/usr/share/mediawiki``. Each local
wiki lives in its own directory (SQLite database, uploads, caches, ``LocalSettings.php``) and is
served by ``php -S`` on 127.0.0.1. Every maintenance script gets ``MW_CONFIG_FILE`` so nothing is
written through Debian's symlinks into ``/etc``. The demo and the tests use this module; it is
part of the product, not test scaffolding.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.devwiki.files import (
    ROUTER,
    SETTINGS_TEMPLATE,
    USER_CONFIG,
    toml_value,
    xml_dump,
)

MEDIAWIKI_ROOT = Path("/usr/share/mediawiki")
DEFAULT_DIR = Path(".devwiki")
DEFAULT_PORT = 8181
ADMIN_USER = "Admin"
BOT_USER = "PartnerBot"
BOT_APP_ID = "partnerbot"
ADMIN_APP_ID = "admintools"
SITE_NAME = "Partnership Dev Wiki"
#: Debian packages the local wiki needs (installed by the Makefile when missing).
DEBIAN_PACKAGES = ("mediawiki", "php-cli", "php-sqlite3", "php-intl", "php-mbstring", "lua5.1")
BOT_GRANTS = "basic,highvolume,editpage,createeditmovepage,uploadfile,uploadeditmovefile"
ADMIN_GRANTS = (
    "basic,highvolume,editpage,editprotected,createeditmovepage,uploadfile,"
    "uploadeditmovefile,protect,delete,editsiteconfig,editinterface,rollback,blockusers"
)


class DevWikiError(RuntimeError):
    """The local wiki could not be installed, started or reached (the message says why)."""


def missing_debian_packages() -> list[str]:
    """Return the Debian packages the local wiki needs that are not installed."""
    missing = []
    for package in DEBIAN_PACKAGES:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        if "install ok installed" not in result.stdout:
            missing.append(package)
    return missing


def port_is_free(port: int) -> bool:
    """Return True when nothing listens on 127.0.0.1:``port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _bot_password() -> str:
    # MediaWiki's createBotPassword.php accepts only 32 characters from [0-9a-w]; anything else
    # silently turns the login into a main-account login, which then fails.
    alphabet = "0123456789abcdefghijklmnopqrstuvw"
    return "".join(secrets.choice(alphabet) for _ in range(32))


@dataclass
class DevWiki:
    """One throwaway MediaWiki in ``directory``, served on 127.0.0.1:``port``."""

    directory: Path
    port: int = DEFAULT_PORT

    def __post_init__(self) -> None:
        self.directory = Path(self.directory).resolve()

    # -- addresses and files ------------------------------------------------------------------

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
    def pywikibot_dir(self) -> Path:
        """Return the directory holding the generated pywikibot configuration."""
        return self.directory / "pywikibot"

    @property
    def settings_file(self) -> Path:
        """Return the partnerbot settings file that points at this wiki."""
        return self.directory / "settings.toml"

    @property
    def _pid_file(self) -> Path:
        return self.directory / "server.pid"

    @property
    def _credentials_file(self) -> Path:
        return self.directory / "credentials.json"

    def credentials(self) -> dict[str, str]:
        """Return the generated account passwords (stored 0600 in the wiki's directory)."""
        data: dict[str, str] = json.loads(self._credentials_file.read_text(encoding="utf-8"))
        return data

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["MW_CONFIG_FILE"] = str(self.local_settings)
        env["MW_INSTALL_PATH"] = str(MEDIAWIKI_ROOT)
        return env

    # -- installation -------------------------------------------------------------------------

    @property
    def installed(self) -> bool:
        """Return True when the wiki in ``directory`` has been installed."""
        return self.local_settings.is_file() and self._credentials_file.is_file()

    def run_maintenance(
        self, script: str, *args: str, stdin: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run ``maintenance/SCRIPT.php`` for this wiki and return the finished process."""
        script_path = MEDIAWIKI_ROOT / "maintenance" / f"{script.removesuffix('.php')}.php"
        result = subprocess.run(
            ["php", str(script_path), *args],
            cwd=MEDIAWIKI_ROOT,
            env=self._env(),
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=1800,
        )
        if check and result.returncode != 0:
            output = (result.stdout + result.stderr).strip()[-2000:]
            raise DevWikiError(f"maintenance/{script}.php failed ({result.returncode}): {output}")
        return result

    def install(self) -> None:
        """Create the database, the accounts and the configuration files."""
        missing = missing_debian_packages()
        if missing:
            raise DevWikiError(
                "the local wiki needs these Debian packages: "
                + " ".join(missing)
                + " (run `make demo` as root, or: apt-get install --no-install-recommends "
                + " ".join(missing)
                + ")"
            )
        # A half-finished earlier install is replaced; anything else in the directory stays.
        for stale in ("data", "images", "cache"):
            shutil.rmtree(self.directory / stale, ignore_errors=True)
        self.local_settings.unlink(missing_ok=True)
        for sub in ("data", "cache", "images", "tmp"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        admin_password = secrets.token_urlsafe(18)
        pass_file = self.directory / "tmp" / "admin-pass"
        pass_file.touch(mode=0o600)
        pass_file.write_text(admin_password, encoding="utf-8")
        result = subprocess.run(
            [
                "php",
                str(MEDIAWIKI_ROOT / "maintenance" / "install.php"),
                "--dbtype=sqlite",
                f"--dbpath={self.directory / 'data'}",
                "--dbname=devwiki",
                f"--server={self.url}",
                "--scriptpath=",
                "--lang=en",
                f"--confpath={self.directory}",
                "--skins=Vector",
                f"--passfile={pass_file}",
                SITE_NAME,
                ADMIN_USER,
            ],
            cwd=MEDIAWIKI_ROOT,
            env=self._env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        pass_file.unlink()
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip()[-2000:]
            raise DevWikiError(f"install.php failed: {output}")
        with self.local_settings.open("a", encoding="utf-8") as settings:
            settings.write("\nrequire_once __DIR__ . '/DevWikiSettings.php';\n")
        (self.directory / "router.php").write_text(ROUTER, encoding="utf-8")
        self._write_wiki_settings()
        bot_password = _bot_password()
        admin_bot_password = _bot_password()
        self.run_maintenance("createAndPromote", "--bot", BOT_USER, secrets.token_urlsafe(18))
        self.run_maintenance(
            "createBotPassword",
            f"--appid={BOT_APP_ID}",
            f"--grants={BOT_GRANTS}",
            BOT_USER,
            bot_password,
        )
        self.run_maintenance(
            "createBotPassword",
            f"--appid={ADMIN_APP_ID}",
            f"--grants={ADMIN_GRANTS}",
            ADMIN_USER,
            admin_bot_password,
        )
        credentials = {
            "admin_user": ADMIN_USER,
            "admin_password": admin_password,
            "admin_botpassword_user": f"{ADMIN_USER}@{ADMIN_APP_ID}",
            "admin_botpassword": admin_bot_password,
            "bot_user": BOT_USER,
            "bot_botpassword_user": f"{BOT_USER}@{BOT_APP_ID}",
            "bot_botpassword": bot_password,
        }
        self.import_pages({f"User:{BOT_USER}/Run": "yes"}, summary="Enable the bot")
        self._credentials_file.touch(mode=0o600)
        self._credentials_file.write_text(json.dumps(credentials, indent=1), encoding="utf-8")
        os.chmod(self._credentials_file, 0o600)

    def _write_wiki_settings(self) -> None:
        text = SETTINGS_TEMPLATE.format(port=self.port, dir=self.directory)
        (self.directory / "DevWikiSettings.php").write_text(text, encoding="utf-8")

    def write_pywikibot_user_config(self) -> Path:
        """Write ``user-config.py`` for this wiki (possible before the wiki is installed).

        pywikibot reads it when it is first imported, so a process that talks to this wiki sets
        ``PYWIKIBOT_DIR`` to :attr:`pywikibot_dir` and calls this before importing pywikibot.
        """
        self.pywikibot_dir.mkdir(parents=True, exist_ok=True)
        config = self.pywikibot_dir / "user-config.py"
        config.write_text(USER_CONFIG.format(port=self.port, bot=BOT_USER), encoding="utf-8")
        return config

    def _write_pywikibot_config(self) -> None:
        credentials = self.credentials()
        self.write_pywikibot_user_config()
        password_file = self.pywikibot_dir / "user-password.py"
        password_file.touch(mode=0o600)
        os.chmod(password_file, 0o600)
        password_file.write_text(
            f"('devwiki', 'devwiki', {BOT_USER!r}, "
            f"BotPassword({BOT_APP_ID!r}, {credentials['bot_botpassword']!r}))\n",
            encoding="utf-8",
        )

    def write_settings_file(self, template: Path | None = None) -> Path:
        """Write ``DIR/settings.toml``: the shipped settings, pointed at this wiki."""
        import tomllib  # noqa: PLC0415

        from bot.settings import DEFAULT_SETTINGS  # noqa: PLC0415 - keeps devwiki import-light

        source = template or DEFAULT_SETTINGS
        data = tomllib.loads(source.read_text(encoding="utf-8"))
        data.setdefault("wiki", {})["pywikibot_dir"] = str(self.pywikibot_dir)
        data.setdefault("run", {})["state_url"] = f"sqlite:///{self.directory / 'state.sqlite'}"
        paths = data.setdefault("paths", {})
        for key in ("checklist", "templates"):
            if key in paths:
                paths[key] = str((source.parent / paths[key]).resolve())
        lines = [
            f"# Generated by `partnerbot devwiki start` from {source.name} for {self.url}",
            "",
        ]
        for section, values in data.items():
            lines.append(f"[{section}]")
            lines.extend(f"{key} = {toml_value(value)}" for key, value in values.items())
            lines.append("")
        self.settings_file.write_text("\n".join(lines), encoding="utf-8")
        return self.settings_file

    # -- server -------------------------------------------------------------------------------

    def _server_pid(self) -> int | None:
        try:
            pid = int(self._pid_file.read_text(encoding="utf-8").split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        return pid

    def answers(self) -> bool:
        """Return True when the wiki's API answers with its site name."""
        query = urllib.parse.urlencode(
            {"action": "query", "meta": "siteinfo", "format": "json", "formatversion": "2"}
        )
        try:
            url = f"{self.api_url}?{query}"
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                data = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError):
            return False
        return bool(data.get("query", {}).get("general", {}).get("sitename") == SITE_NAME)

    def running(self) -> bool:
        """Return True when this directory's server process is alive and answering."""
        return self._server_pid() is not None and self.answers()

    def start(self, *, workers: int = 4, timeout: float = 20.0) -> None:
        """Install if needed and start the server; reuse a server that is already running."""
        if not self.installed:
            self.install()
        recorded_port = self._recorded_port()
        if self._server_pid() is not None:
            if recorded_port == self.port and self.answers():
                self._write_pywikibot_config()
                self.write_settings_file()
                return
            self.stop()
        if not port_is_free(self.port):
            raise DevWikiError(
                f"port {self.port} on 127.0.0.1 is used by another program; "
                "choose another one with --port"
            )
        self._write_wiki_settings()
        self._write_pywikibot_config()
        self.write_settings_file()
        env = self._env()
        env["PHP_CLI_SERVER_WORKERS"] = str(workers)
        log = (self.directory / "server.log").open("ab")
        process = subprocess.Popen(
            [
                "php",
                "-S",
                f"127.0.0.1:{self.port}",
                "-t",
                str(MEDIAWIKI_ROOT),
                str(self.directory / "router.php"),
            ],
            cwd=MEDIAWIKI_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        self._pid_file.write_text(f"{process.pid} {self.port}\n", encoding="utf-8")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log_file = self.directory / "server.log"
                raise DevWikiError(f"php -S exited at start ({process.returncode}); see {log_file}")
            if self.answers():
                return
            time.sleep(0.05)
        self.stop()
        raise DevWikiError(f"the local wiki did not answer within {timeout:.0f} s on {self.url}")

    def _recorded_port(self) -> int | None:
        try:
            return int(self._pid_file.read_text(encoding="utf-8").split()[1])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server's whole process group and wait until the port is free."""
        pid = self._server_pid()
        port = self._recorded_port() or self.port
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self._group_alive(pid):
                time.sleep(0.05)
            if self._group_alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)
        self._pid_file.unlink(missing_ok=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not port_is_free(port):
            time.sleep(0.05)

    @staticmethod
    def _group_alive(pid: int) -> bool:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        # A zombie leader still "exists"; reap it if it is our child.
        with contextlib.suppress(ChildProcessError, OSError):
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return False
        return True

    def reset(self) -> None:
        """Stop the server and delete the wiki's directory."""
        self.stop()
        if self.directory.exists():
            shutil.rmtree(self.directory)

    def status(self) -> dict[str, object]:
        """Return what a person needs to know about this wiki."""
        pid = self._server_pid()
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
        """Import ``pages`` (title → wikitext) through an XML dump; return how many.

        Without ``link_updates`` the link tables are left for :meth:`refresh_links`, which is
        faster for thousands of pages.
        """
        if not pages:
            return 0
        with tempfile.NamedTemporaryFile(
            "w", suffix=".xml", dir=self.directory / "tmp", delete=False, encoding="utf-8"
        ) as dump:
            dump.writelines(xml_dump(pages, summary))
            dump_path = Path(dump.name)
        try:
            options = [] if link_updates else ["--no-updates"]
            self.run_maintenance("importDump", *options, str(dump_path))
        finally:
            dump_path.unlink(missing_ok=True)
        return len(pages)

    def upload_files(self, files: Mapping[str, tuple[bytes, str]], *, comment: str) -> int:
        """Upload ``files`` (name → (bytes, description wikitext)); return how many."""
        if not files:
            return 0
        with tempfile.TemporaryDirectory(dir=self.directory / "tmp") as staging:
            for name, (data, description) in files.items():
                (Path(staging) / name).write_bytes(data)
                (Path(staging) / f"{name}.txt").write_text(description, encoding="utf-8")
            self.run_maintenance(
                "importImages",
                "--extensions=png,jpg,svg",
                "--comment-ext=txt",
                f"--summary={comment}",
                f"--user={ADMIN_USER}",
                "--overwrite",
                staging,
            )
        return len(files)

    def refresh_links(self, namespace: int = 0) -> None:
        """Rebuild the link tables (templatelinks included) of one namespace."""
        self.run_maintenance("refreshLinks", f"--namespace={namespace}")

    def run_jobs(self) -> None:
        """Run the job queue (link tables after template changes, for example)."""
        self.run_maintenance("runJobs", "--maxjobs=100000")

    def set_read_only(self, reason: str | None) -> None:
        """Put the wiki in read-only mode with ``reason``, or end it with ``None``."""
        path = self.directory / "readonly"
        if reason:
            path.write_text(reason, encoding="utf-8")
        else:
            path.unlink(missing_ok=True)

    def set_fake_lag(self, seconds: float | None) -> None:
        """Make the API report ``seconds`` of replication lag (``None`` ends it)."""
        path = self.directory / "fake-lag"
        if seconds is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(str(seconds), encoding="utf-8")
