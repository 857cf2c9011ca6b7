"""``partnerbot stats`` as a person runs it: one-line failures, the stored figures with --cached."""

from __future__ import annotations

import json
from pathlib import Path

from bot.io.usage_sources import Month
from bot.state.store import StateStore
from bot.state.usage_store import UsageStore
from bot.usage.history import MonthFigures
from bot.usage.subjects import UsageSubject
from tests.unit.test_cli_failures import assert_one_line_failure, partnerbot, settings_file

SUBJECT = UsageSubject("P/Museum#0", "P/Museum", 0, "Museum", "Category:Museum", 0, ("m.example",))


def test_stats_with_usage_off_says_how_to_turn_it_on(tmp_path: Path) -> None:
    config = settings_file(tmp_path, "[usage]\nenabled = false\n")
    ran = partnerbot("--config", str(config), "stats", "--cached")
    assert_one_line_failure(ran, "usage statistics are off", "[usage] enabled = true")


def test_stats_cached_prints_the_stored_figures_and_writes_csv_and_tab(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    store = StateStore(f"sqlite:///{state}")
    usage = UsageStore(store.engine)
    usage.save_subjects([SUBJECT])
    usage.save_history(
        {
            SUBJECT.key: {
                Month(2026, 6): MonthFigures(
                    Month(2026, 6), 6, 5, 7, 0, 2, {"m.example": 3}, "2026-06-02T08:00:00Z"
                ),
                Month(2026, 5): MonthFigures(Month(2026, 5), views=1234, views_state="ok"),
            }
        }
    )
    store.close()
    config = settings_file(
        tmp_path,
        f'[usage]\nenabled = true\nhistory_months = 2\n[run]\nstate_url = "sqlite:///{state}"\n',
    )
    target = tmp_path / "usage.csv"
    ran = partnerbot(
        "--config", str(config), "--json", "stats", "--cached", "--today", "2026-06-15",
        "--csv", str(target),
    )  # fmt: skip

    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == [
        {
            "page": "P/Museum",
            "index": 0,
            "category": "Museum",
            "depth": 0,
            "files": 6,
            "files_used": 5,
            "pages_using": 7,
            "wikis": 2,
            "views": {"2026-04": None, "2026-05": 1234},
            "links": {"m.example": 3},
            "as_of": "2026-06-02T08:00:00Z",
        }
    ]
    assert target.read_text(encoding="utf-8").startswith("page,index,name,category,depth,month")
    assert json.loads(target.with_suffix(".tab").read_text(encoding="utf-8"))["data"]
