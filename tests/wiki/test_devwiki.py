"""The embedded local wiki starts, answers, lets the bot edit, and stops cleanly."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from bot.devwiki.accounts import create_account
from bot.devwiki.seed import title_from_file_name
from bot.devwiki.wiki import DevWiki, DevWikiError, free_port, port_is_free
from tests.wiki.client import WikiClient


def test_wiki_answers_with_its_site_name(devwiki: DevWiki) -> None:
    assert devwiki.answers() is True


def test_two_local_wikis_answer_each_with_its_own_name(
    devwiki: DevWiki, content_wiki: DevWiki
) -> None:
    assert content_wiki.answers() is True
    # The first wiki's name at the second wiki's address is not the first wiki.
    assert DevWiki(devwiki.directory, content_wiki.port).answers() is False


def test_settings_snippets_apply_at_once_and_replace_no_local_settings(
    content_wiki: DevWiki,
) -> None:
    def option() -> object:
        data = requests.get(
            content_wiki.api_url,
            params={"action": "query", "meta": "siteinfo", "siprop": "defaultoptions"}
            | {"format": "json", "formatversion": "2"},
            timeout=30,
        ).json()
        return data["query"]["defaultoptions"].get("partnerbot-test-snippet")

    local_settings = content_wiki.local_settings.read_text(encoding="utf-8")
    content_wiki.snippets["test"] = "$wgDefaultUserOptions['partnerbot-test-snippet'] = 'on';"
    try:
        content_wiki.apply_settings()
        assert [option() for _ in range(8)] == ["on"] * 8  # every worker has it already
    finally:
        del content_wiki.snippets["test"]
        content_wiki.apply_settings()
    assert option() is None
    assert content_wiki.local_settings.read_text(encoding="utf-8") == local_settings


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
    """Return the ids of live processes whose command line contains ``text`` (read from /proc)."""
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


def live_members_of_group(pgid: int) -> list[int]:
    """Return the processes of group ``pgid`` that are not zombies (read from /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] not in {"Z", "X"}:
            members.append(int(entry.name))
    return members


def test_stop_returns_when_no_process_is_left_and_the_port_is_free(tmp_path: Path) -> None:
    port = free_port()
    wiki = DevWiki(tmp_path / "wiki", port)
    wiki.start()
    assert wiki.answers() is True
    pid = wiki.status()["pid"]
    assert isinstance(pid, int)
    assert len(live_members_of_group(pid)) >= 2  # php -S and its workers
    wiki.stop()
    assert live_members_of_group(pid) == []
    assert processes_mentioning(f"127.0.0.1:{port}") == []
    assert port_is_free(port) is True
    assert wiki.status()["pid"] is None
    assert wiki.status()["answers"] is False


def test_stop_ends_a_suspended_server(tmp_path: Path) -> None:
    port = free_port()
    wiki = DevWiki(tmp_path / "wiki", port)
    wiki.start()
    pid = wiki.status()["pid"]
    assert isinstance(pid, int)
    os.killpg(pid, signal.SIGSTOP)  # as Ctrl-Z in the terminal that started it would
    wiki.stop()
    assert live_members_of_group(pid) == []
    assert port_is_free(port) is True


def test_start_on_a_port_another_program_listens_on_says_to_choose_another(
    tmp_path: Path,
) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        wiki = DevWiki(tmp_path / "wiki", squatter.getsockname()[1])
        with pytest.raises(DevWikiError, match="choose another one with --port"):
            wiki.start()
    assert wiki.status()["pid"] is None


def client_login(api_url: str, user: str, password: str) -> str:
    """Log in with a main-account password through action=clientlogin; return the status."""
    session = requests.Session()
    token = session.get(
        api_url,
        params={"action": "query", "meta": "tokens", "type": "login", "format": "json"},
        timeout=30,
    ).json()["query"]["tokens"]["logintoken"]
    result = session.post(
        api_url,
        data={
            "action": "clientlogin",
            "username": user,
            "password": password,
            "logintoken": token,
            "loginreturnurl": "http://127.0.0.1/",
            "format": "json",
        },
        timeout=30,
    ).json()
    return str(result["clientlogin"]["status"])


@pytest.mark.parametrize("password", ["-t" + "7" * 20, "--t=" + "c" * 20, "--force"])
def test_an_account_password_that_looks_like_an_option_is_taken_as_the_password(
    devwiki: DevWiki, password: str
) -> None:
    user = "Optionlike " + hashlib.sha256(password.encode()).hexdigest()[:8]
    create_account(devwiki, user, password)
    assert client_login(devwiki.api_url, user, password) == "PASS"
    assert client_login(devwiki.api_url, user, password + "x") == "FAIL"


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


def test_demo_runs_on_the_directory_and_port_given(tmp_path: Path) -> None:
    port = free_port()
    directory = tmp_path / "demo wiki"
    cli = [sys.executable, "-m", "bot.cli"]
    try:
        ran = subprocess.run(
            [*cli, "demo", "--dir", str(directory), "--port", str(port)],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr
        assert f"http://127.0.0.1:{port}/index.php?title=Partnerships/Status" in ran.stdout
        assert str(directory / "credentials.json") in ran.stdout
        assert DevWiki(directory, port).answers() is True
    finally:
        subprocess.run([*cli, "devwiki", "stop", "--dir", str(directory)], check=False, timeout=120)
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
