"""Every failure a person can act on is one line on stderr, exit status 1, and no traceback.

The command line runs in a separate process, as a person runs it, so whatever pywikibot or the
logging set-up prints to the console is seen too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import EXIT_FAILED, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, build_parser
from bot.console import failure_line
from bot.devwiki.seed import SAMPLES_DIR
from bot.devwiki.wiki import DevWiki, free_port
from bot.resources import load_checklist, load_template_pages
from bot.settings import DEFAULT_SETTINGS, load_settings

PAGES = SAMPLES_DIR / "pages"
WITH_ERRORS = PAGES / "Partnerships%2FHarbourside_Maritime_Museum_photographs.wikitext"
WITHOUT_ERRORS = PAGES / "Partnerships%2FCorrowick_Gazette_archive.wikitext"


def partnerbot(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd,
    )


def assert_one_line_failure(ran: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert ran.returncode == EXIT_FAILED, ran.stderr
    assert "Traceback" not in ran.stderr + ran.stdout
    lines = ran.stderr.splitlines()
    assert len(lines) == 1, ran.stderr
    [line] = lines
    assert line.startswith("partnerbot: ")
    for text in expected:
        assert text in line
    return line


def settings_file(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_broken_checklist_names_the_file_rule_and_key(tmp_path: Path) -> None:
    (tmp_path / "checklist.toml").write_text('[[rules]]\nid = "half-written"\n')
    config = settings_file(tmp_path, '[paths]\nchecklist = "checklist.toml"\n')
    ran = partnerbot("--config", str(config), "check", "--file", str(WITHOUT_ERRORS))
    line = assert_one_line_failure(ran, str(tmp_path / "checklist.toml"), "half-written")
    assert "severity" in line
    assert "fix the checklist file" in line


def test_a_broken_manifest_names_the_manifest(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "manifest.toml").write_text('[pages]\n"missing.wikitext" = "Template:X"\n')
    config = settings_file(tmp_path, '[paths]\ntemplates = "templates"\n')
    ran = partnerbot("--config", str(config), "install-templates")
    assert_one_line_failure(ran, str(templates / "manifest.toml"), "missing.wikitext")


def test_a_wiki_that_is_not_running_names_the_url_and_how_to_start_it(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here
    wiki = DevWiki(tmp_path / "wiki", port)
    wiki.write_pywikibot_user_config()
    config = wiki.write_settings_file()
    text = config.read_text(encoding="utf-8").replace("max_retries = 2", "max_retries = 1")
    config.write_text(text, encoding="utf-8")
    for command in (["run-once"], ["check"], ["install-templates"]):
        ran = partnerbot("--config", str(config), *command)
        line = assert_one_line_failure(
            ran, f"http://127.0.0.1:{port}/api.php", "partnerbot devwiki start"
        )
        assert "ERROR" not in line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[wiki]\nmaxlag = 'five'\n", "[wiki] maxlag: expected a whole number"),
        ("[wikis]\n", "unknown section(s) wikis"),
        ("[paths]\nchecklists = 'x.toml'\n", "[paths]: unknown setting(s) checklists"),
        ("wiki = 3\n", "wiki must be a section"),
        ("[wiki\n", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_file_and_the_setting(
    tmp_path: Path, text: str, expected: str
) -> None:
    config = settings_file(tmp_path, text)
    ran = partnerbot("--config", str(config), "run-once")
    assert_one_line_failure(ran, str(config), expected, "fix the settings file")


def test_a_pywikibot_directory_without_user_config_says_how_to_get_one(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    config = settings_file(tmp_path, "[wiki]\npywikibot_dir = 'empty'\n")
    ran = partnerbot("--config", str(config), "run-once")
    assert_one_line_failure(ran, str(tmp_path / "empty"), "no user-config.py", "devwiki start")


def test_a_missing_settings_file_says_to_pass_one(tmp_path: Path) -> None:
    ran = partnerbot("--config", str(tmp_path / "nowhere.toml"), "check")
    assert_one_line_failure(ran, "settings file not found", "--config")


def test_with_v_the_traceback_is_printed_too(tmp_path: Path) -> None:
    config = settings_file(tmp_path, "[wiki]\nmaxlag = 'five'\n")
    ran = partnerbot("-v", "--config", str(config), "run-once")
    assert ran.returncode == EXIT_FAILED
    assert "Traceback" in ran.stderr
    assert ran.stderr.splitlines()[-1].startswith("partnerbot: ")


def test_an_unexpected_exception_is_one_line_naming_it_as_internal() -> None:
    line = failure_line(KeyError("surprise"), None, verbose=False)
    assert line == (
        "partnerbot: internal error: KeyError: 'surprise' (run with -v for the traceback)"
    )
    assert "run with -v" not in failure_line(KeyError("x"), None, verbose=True)


def test_check_exit_status_says_whether_error_findings_were_found() -> None:
    assert partnerbot("check", "--file", str(WITH_ERRORS)).returncode == EXIT_FINDINGS
    assert partnerbot("check", "--file", str(WITHOUT_ERRORS)).returncode == EXIT_OK
    assert len({EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_FINDINGS}) == 4


def test_global_options_work_after_the_command() -> None:
    ran = partnerbot("check", "--json", "--file", str(WITH_ERRORS))
    assert ran.returncode == EXIT_FINDINGS
    assert any(f["rule"] == "license-not-free" for f in json.loads(ran.stdout))
    parser = build_parser()
    assert parser.parse_args(["run-once", "--simulate"]).simulate is True
    assert parser.parse_args(["--simulate", "run-once"]).simulate is True
    assert parser.parse_args(["run-once"]).simulate is False
    after = parser.parse_args(["devwiki", "status", "--config", "x.toml", "-v"])
    assert (after.config, after.verbose) == (Path("x.toml"), True)


def test_a_usage_error_exits_2() -> None:
    ran = partnerbot("check", "--page")
    assert ran.returncode == EXIT_USAGE
    assert "Traceback" not in ran.stderr


def test_meta_settings_work_when_copied_anywhere(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "meta.toml"
    copy.parent.mkdir()
    shutil.copy(DEFAULT_SETTINGS.parent / "meta.toml", copy)
    settings = load_settings(copy)
    assert settings.wiki.family == "meta"
    assert load_checklist(settings.checklist_path).rules
    assert load_template_pages(settings.templates_dir)
    assert settings.run.state_url == f"sqlite:///{copy.parent / 'state.sqlite'}"
