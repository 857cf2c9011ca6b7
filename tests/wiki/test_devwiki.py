"""The embedded local wiki starts, answers, lets the bot edit, and stops cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.devwiki.seed import title_from_file_name
from bot.devwiki.wiki import DevWiki, free_port, port_is_free
from tests.wiki.client import WikiClient


def test_wiki_answers_with_its_site_name(devwiki: DevWiki) -> None:
    assert devwiki.answers() is True


def test_bot_logs_in_and_edits_through_pywikibot(devwiki: DevWiki, admin_api: WikiClient) -> None:
    import pywikibot  # noqa: PLC0415 - imported after the test wiki's configuration exists

    site = pywikibot.Site("devwiki", "devwiki")
    site.login()
    assert site.user() == "PartnerBot"
    assert site.has_right("bot")
    assert site.has_right("apihighlimits")
    page = pywikibot.Page(site, "Devwiki smoke test")
    page.text = "Written by the bot through pywikibot."
    page.save(summary="smoke test", bot=True)
    assert admin_api.text("Devwiki smoke test") == "Written by the bot through pywikibot."
    assert admin_api.revisions("Devwiki smoke test")[0]["user"] == "PartnerBot"


def test_admin_and_bot_are_different_users(devwiki: DevWiki, admin_api: WikiClient) -> None:
    admin_api.edit("Devwiki second user", "by the admin")
    assert admin_api.revisions("Devwiki second user")[0]["user"] == "Admin"


def processes_mentioning(text: str) -> list[int]:
    """Return the ids of processes whose command line contains ``text`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in command:
            found.append(int(entry.name))
    return found


def test_stop_leaves_no_process_and_a_free_port(tmp_path: Path) -> None:
    port = free_port()
    wiki = DevWiki(tmp_path / "wiki", port)
    wiki.start()
    assert wiki.answers() is True
    pid = wiki.status()["pid"]
    assert isinstance(pid, int)
    assert len(processes_mentioning(f"127.0.0.1:{port}")) >= 2  # php -S and its workers
    wiki.stop()
    assert port_is_free(port) is True
    assert processes_mentioning(f"127.0.0.1:{port}") == []
    assert wiki.status()["answers"] is False


def test_start_reuses_a_running_wiki(tmp_path: Path) -> None:
    wiki = DevWiki(tmp_path / "wiki", free_port())
    wiki.start()
    try:
        first_pid = wiki.status()["pid"]
        DevWiki(tmp_path / "wiki", wiki.port).start()
        assert wiki.status()["pid"] == first_pid
    finally:
        wiki.stop()


def test_cli_start_then_run_once_then_stop_on_any_port(tmp_path: Path) -> None:
    port = free_port()
    directory = tmp_path / "cli wiki"
    cli = [sys.executable, "-m", "bot.cli"]
    started = subprocess.run(
        [*cli, "devwiki", "start", "--dir", str(directory), "--port", str(port)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr
    try:
        ran = subprocess.run(
            [*cli, "--config", str(directory / "settings.toml"), "run-once"],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr
    finally:
        stopped = subprocess.run(
            [*cli, "devwiki", "stop", "--dir", str(directory)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert stopped.returncode == 0, stopped.stderr
    assert port_is_free(port) is True


@pytest.mark.parametrize(
    ("stem", "title"),
    [
        ("Partnerships%2FMuseum_of_Northern_Crafts", "Partnerships/Museum of Northern Crafts"),
        ("Caf%C3%A9_culture", "Café culture"),
    ],
)
def test_seed_file_names_decode_to_titles(stem: str, title: str) -> None:
    assert title_from_file_name(stem) == title


def test_a_password_file_readable_by_others_stops_the_bot(devwiki: DevWiki) -> None:
    from bot.io.gateway import GatewayError, WikiGateway  # noqa: PLC0415
    from bot.settings import load_settings  # noqa: PLC0415

    password_file = devwiki.pywikibot_dir / "user-password.py"
    settings = load_settings(devwiki.settings_file)
    password_file.chmod(0o644)
    try:
        with pytest.raises(GatewayError, match="chmod 600"):
            WikiGateway(settings.wiki)
    finally:
        password_file.chmod(0o600)
    assert (password_file.stat().st_mode & 0o777) == 0o600
