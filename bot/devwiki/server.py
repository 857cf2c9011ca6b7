"""The local wiki's web server: ``php -S`` on 127.0.0.1, started and stopped as one process group.

``start_server`` returns once the wiki answers; ``stop_server`` returns only when every process
of the server's group is gone and the port is free, waiting on those conditions themselves (with
a generous bound, so a busy machine only makes it slower), and raises when they do not hold.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bot.devwiki.files import SETTINGS_VERSION_OPTION
from bot.devwiki.layout import MEDIAWIKI_ROOT, DevWikiError, WikiLayout
from bot.devwiki.maintenance import maintenance_env

#: Seconds to wait for a server to answer after it was started.
START_TIMEOUT = 60.0
#: Seconds to wait for the processes to end after SIGTERM, then again after SIGKILL.
STOP_TIMEOUT = 60.0
_POLL = 0.05


def port_is_free(port: int) -> bool:
    """Return True when nothing listens on 127.0.0.1:``port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(2.0)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


#: Seconds to wait for a running wiki to serve newly written settings.
SETTINGS_TIMEOUT = 30.0
#: Answers in a row that must show new settings: one per ``php -S`` worker and some more.
SETTINGS_CONFIRMATIONS = 8


def _siteinfo(layout: WikiLayout, prop: str) -> dict[str, object] | None:
    query = urllib.parse.urlencode(
        {
            "action": "query",
            "meta": "siteinfo",
            "siprop": prop,
            "format": "json",
            "formatversion": "2",
        }
    )
    try:
        url = f"{layout.api_url}?{query}"
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            data = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    found = data.get("query", {}).get(prop) if isinstance(data, dict) else None
    return found if isinstance(found, dict) else None


def answers(layout: WikiLayout) -> bool:
    """Return True when the wiki's API answers with this wiki's site name (not another's)."""
    general = _siteinfo(layout, "general")
    return general is not None and general.get("sitename") == layout.site_name


def settings_version(layout: WikiLayout) -> str | None:
    """Return the version of the generated settings the wiki answered with, or None."""
    options = _siteinfo(layout, "defaultoptions")
    version = options.get(SETTINGS_VERSION_OPTION) if options else None
    return str(version) if version is not None else None


def wait_for_settings(layout: WikiLayout, version: str, timeout: float = SETTINGS_TIMEOUT) -> None:
    """Return once the wiki answers with settings ``version`` several times in a row.

    ``php -S`` compiles PHP files again only when their modification time changed (checked on
    every request when the server was started here, every 2 s otherwise), and each worker keeps
    its own copy: a few answers in a row with the new version mean every worker has it.
    """
    deadline = time.monotonic() + timeout
    seen = 0
    while seen < SETTINGS_CONFIRMATIONS:
        if time.monotonic() > deadline:
            raise DevWikiError(
                f"the local wiki on {layout.url} did not take up its new settings "
                f"within {timeout:.0f} s",
                hint=f"see {layout.server_log}",
            )
        if settings_version(layout) == version:
            seen += 1
        else:
            seen = 0
            time.sleep(0.2)


def recorded_server(layout: WikiLayout) -> tuple[int, int] | None:
    """Return the (process id, port) the pid file records, or None."""
    try:
        pid, port = layout.pid_file.read_text(encoding="utf-8").split()[:2]
        return int(pid), int(port)
    except (OSError, ValueError):
        return None


def _live_processes() -> dict[int, int]:
    """Return process id -> process group of every live (not zombie) process."""
    groups = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] not in {"Z", "X"}:
            groups[int(entry.name)] = int(fields[2])
    return groups


def group_members(pgid: int) -> list[int]:
    """Return the live processes of process group ``pgid``."""
    # Reap the group leader if it is this process's child, so it does not linger as a zombie.
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pgid, os.WNOHANG)
    return [pid for pid, group in _live_processes().items() if group == pgid]


def is_server_process(pid: int, port: int) -> bool:
    """Return True when process ``pid`` is a ``php -S 127.0.0.1:port`` (not a reused pid)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return False
    return "-S" in command and f"127.0.0.1:{port}" in command


def server_pid(layout: WikiLayout) -> int | None:
    """Return the process group of this wiki's running server (its first process), or None."""
    recorded = recorded_server(layout)
    if recorded is None:
        return None
    pid, port = recorded
    return pid if any(is_server_process(p, port) for p in group_members(pid)) else None


def _wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL)


def start_server(layout: WikiLayout, *, workers: int = 4, timeout: float = START_TIMEOUT) -> int:
    """Start ``php -S`` for the wiki in its own process group; return its id once it answers."""
    if not port_is_free(layout.port):
        raise DevWikiError(
            f"port {layout.port} on 127.0.0.1 is used by another program",
            hint="choose another one with --port",
        )
    env = maintenance_env(layout)
    env["PHP_CLI_SERVER_WORKERS"] = str(workers)
    with layout.server_log.open("ab") as log:
        process = subprocess.Popen(
            [
                "php",
                # Look at the settings' modification time on every request (not every 2 s), so
                # new settings apply as soon as they are written.
                "-d",
                "opcache.revalidate_freq=0",
                "-S",
                f"127.0.0.1:{layout.port}",
                "-t",
                str(MEDIAWIKI_ROOT),
                str(layout.directory / "router.php"),
            ],
            cwd=MEDIAWIKI_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    layout.pid_file.write_text(f"{process.pid} {layout.port}\n", encoding="utf-8")
    if _wait_until(lambda: process.poll() is not None or answers(layout), timeout):
        if process.poll() is None:
            return process.pid
        layout.pid_file.unlink(missing_ok=True)
        raise DevWikiError(
            f"php -S exited at start ({process.returncode})",
            hint=f"see {layout.server_log}",
        )
    stop_server(layout)
    raise DevWikiError(
        f"the local wiki did not answer within {timeout:.0f} s on {layout.url}",
        hint=f"see {layout.server_log}",
    )


def stop_server(layout: WikiLayout, *, timeout: float = STOP_TIMEOUT) -> None:
    """Stop the server's process group; return when its processes are gone and the port is free.

    SIGTERM (with SIGCONT, so a suspended server ends too), then SIGKILL for whatever is left
    after ``timeout`` seconds. Raises :class:`DevWikiError` when a process or a listener on the
    port outlives the second ``timeout``.
    """
    recorded = recorded_server(layout)
    port = recorded[1] if recorded else layout.port
    pid = server_pid(layout)
    if pid is not None:
        for sent in (signal.SIGTERM, signal.SIGCONT):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, sent)
        if not _wait_until(lambda: not group_members(pid), timeout):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            if not _wait_until(lambda: not group_members(pid), timeout):
                raise DevWikiError(
                    f"the local wiki's server (process group {pid}) did not end",
                    hint=f"end it with `kill -KILL -{pid}`",
                )
    layout.pid_file.unlink(missing_ok=True)
    if pid is not None and not _wait_until(lambda: port_is_free(port), timeout):
        raise DevWikiError(
            f"the local wiki's server has ended but port {port} on 127.0.0.1 is still in use",
            hint="another program listens there; start the wiki with another --port",
        )
