"""The core is pure: importing it loads no network, database or scheduler library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CORE = [
    "bot.model",
    "bot.parse",
    "bot.values",
    "bot.plainpage",
    "bot.plaintext",
    "bot.locate",
    "bot.checklist",
    "bot.checking",
    "bot.checks",
    "bot.licences",
    "bot.fields",
    "bot.render",
    "bot.escape",
    "bot.blocks",
    "bot.exclusion",
    "bot.findings_data",
    "bot.template_pages",
    "bot.sample_images",
    "bot.devwiki_files",
    "bot.io.api_results",
    "bot.settings",
]
FORBIDDEN = ("pywikibot", "requests", "sqlalchemy", "apscheduler", "urllib3")
ROOT = Path(__file__).resolve().parents[2]


def test_core_modules_import_no_io_library() -> None:
    program = (
        "import sys\n"
        f"for name in {CORE!r}:\n"
        "    __import__(name)\n"
        f"print(','.join(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("path", sorted((ROOT / "bot").rglob("*.py")), ids=lambda p: p.name)
def test_only_the_io_layer_imports_io_libraries(path: Path) -> None:
    allowed = {"io", "jobs.py", "main_pass.py", "devwiki.py", "cli.py", "schedule.py", "state.py"}
    relative = path.relative_to(ROOT / "bot")
    if relative.parts[0] in allowed:
        return
    text = path.read_text(encoding="utf-8")
    imported = [
        library for library in FORBIDDEN if f"import {library}" in text or f"from {library}" in text
    ]
    assert imported == []


def test_every_core_module_exists() -> None:
    missing = [name for name in CORE if not (ROOT / (name.replace(".", "/") + ".py")).exists()]
    assert missing == []
