"""The pywikibot script ``scripts/partnerships.py`` runs on the local wiki, as operators run it.

It runs in its own process with ``PYWIKIBOT_DIR`` set, takes pywikibot's global options and page
generators, and reads partnerbot's settings from ``-partnerbot-config:``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.devwiki.seed import SAMPLES_DIR
from bot.devwiki.wiki import DevWiki, free_port
from tests.wiki.client import WikiClient

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "partnerships.py"
PAGES = SAMPLES_DIR / "pages"
CATEGORY = "Script test partnerships"
WITH_ERROR = "Script test/Harbourside photographs"
HEALTHY = "Script test/Northern Crafts donation"


@pytest.fixture(scope="module")
def script_pages(devwiki: DevWiki) -> None:
    """Import a page with a known error (a non-free licence) and a healthy one."""
    sources = {
        WITH_ERROR: "Partnerships%2FHarbourside_Maritime_Museum_photographs.wikitext",
        HEALTHY: "Partnerships%2FMuseum_of_Northern_Crafts_content_donation.wikitext",
    }
    devwiki.import_pages(
        {
            title: (PAGES / name).read_text(encoding="utf-8") + f"\n[[Category:{CATEGORY}]]\n"
            for title, name in sources.items()
        }
    )


def run_script(devwiki: DevWiki, *args: str, config: Path | None = None) -> tuple[int, str]:
    env = dict(os.environ, PYWIKIBOT_DIR=str(devwiki.pywikibot_dir))
    ran = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            f"-partnerbot-config:{config or devwiki.settings_file}",
            "-today:2026-11-21",
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    output = ran.stdout + ran.stderr
    assert "Traceback" not in output
    return ran.returncode, output


@pytest.mark.usefixtures("script_pages")
def test_a_page_with_a_known_error_gets_its_findings(devwiki: DevWiki) -> None:
    status, output = run_script(devwiki, f"-page:{WITH_ERROR}")
    assert status == 3, output
    assert f"== {WITH_ERROR} ==" in output
    assert "error   license-not-free [license]" in output
    assert HEALTHY not in output


@pytest.mark.usefixtures("script_pages")
def test_a_healthy_page_exits_0(devwiki: DevWiki) -> None:
    status, output = run_script(devwiki, f"-page:{HEALTHY}")
    assert status == 0, output
    assert f"== {HEALTHY} ==" in output
    assert "0 error findings" in output


@pytest.mark.usefixtures("script_pages")
@pytest.mark.parametrize(
    "chooser",
    [[f"-cat:{CATEGORY}"], [f"-cat:{CATEGORY}", "-ns:0"], ["-transcludes:Partnership infobox"]],
    ids=["cat", "cat-ns", "transcludes"],
)
def test_page_generators_choose_the_pages(devwiki: DevWiki, chooser: list[str]) -> None:
    status, output = run_script(devwiki, *chooser)
    assert status == 3, output
    assert f"== {WITH_ERROR} ==" in output
    assert f"== {HEALTHY} ==" in output


@pytest.mark.usefixtures("script_pages")
def test_a_namespace_filter_can_leave_nothing_to_check(devwiki: DevWiki) -> None:
    status, output = run_script(devwiki, f"-cat:{CATEGORY}", "-ns:4")
    assert status == 0, output
    assert WITH_ERROR not in output


def test_an_unknown_option_is_refused_with_help(devwiki: DevWiki) -> None:
    status, output = run_script(devwiki, "-bogus")
    assert status == 1
    assert 'Unknown parameter "-bogus"' in output


@pytest.mark.usefixtures("script_pages")
def test_run_with_simulate_saves_nothing(
    devwiki: DevWiki, admin_api: WikiClient, tmp_path: Path
) -> None:
    report_page = "Script test/Bot report"
    config = tmp_path / "settings.toml"
    config.write_text(
        devwiki.settings_file.read_text(encoding="utf-8")
        .replace('"Partnerships/Status/Bot report"', f'"{report_page}"')
        .replace(str(devwiki.directory / "state.sqlite"), str(tmp_path / "state.sqlite")),
        encoding="utf-8",
    )
    status, output = run_script(devwiki, "-run", "-simulate", config=config)
    assert status == 0, output
    assert "run-once ok" in output
    assert "0 edits" in output
    assert admin_api.text(report_page) is None


def test_a_wiki_that_is_not_running_is_named_without_a_traceback(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here
    absent = DevWiki(tmp_path / "wiki", port)
    absent.write_pywikibot_user_config()
    ran = subprocess.run(
        [sys.executable, str(SCRIPT), f"-partnerbot-config:{absent.write_settings_file()}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=dict(os.environ, PYWIKIBOT_DIR=str(absent.pywikibot_dir)),
        cwd=ROOT,
    )
    assert ran.returncode == 1
    assert "Traceback" not in ran.stdout + ran.stderr
    last = ran.stderr.strip().splitlines()[-1]
    assert f"http://127.0.0.1:{port}/api.php did not answer" in last
    assert "partnerbot devwiki start" in last
