"""The usage sources' contract and the synthetic figures are pure: no I/O library loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PURE = ["bot.io.usage_sources", "bot.devwiki.standins.synthetic", "bot.devwiki.standins.faults"]
FORBIDDEN = ("pywikibot", "requests", "sqlalchemy", "apscheduler", "urllib3")
ROOT = Path(__file__).resolve().parents[2]


def test_usage_contract_and_synthetic_figures_load_no_io_library() -> None:
    program = (
        "import sys\n"
        f"for name in {PURE!r}:\n"
        "    __import__(name)\n"
        f"print(','.join(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""
