"""The usage page, its exports, the charts' data and the infobox entry (bot.render.usage_*)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from bot.i18n_files import load_messages
from bot.io.charts import draw_chart
from bot.io.usage_sources import Month
from bot.model import Assessment, PartnershipRecord
from bot.render.findings_json import build_findings_pages
from bot.render.usage_chart import chart_file_title, chart_spec
from bot.render.usage_exports import COLUMNS, stats_csv, stats_json, stats_rows, stats_tab
from bot.render.usage_infobox import usage_entry
from bot.render.usage_method import method_line
from bot.render.usage_page import UsageView, anchor, render_usage_page
from bot.settings import SettingsError, UsageWiki, load_settings
from bot.usage.history import MonthFigures, headline
from bot.usage.method import UsageMethod
from bot.usage.subjects import TOTAL_KEY, UsageSubject
from bot.usage.views import view_window

MESSAGES = load_messages("en")
MAY, JUNE = Month(2026, 5), Month(2026, 6)
WINDOW = view_window(MAY, 3)
MUSEUM = UsageSubject("P/Museum#0", "P/Museum", 0, "Museum", "Category:Museum", 1, ("m.example",))
EMPTY = UsageSubject("P/Empty#0", "P/Empty", 0, "Empty", "Category:Empty")
GONE = UsageSubject("P/Gone#0", "P/Gone", 0, "Gone", "Category:Gone")
HOSTILE = UsageSubject("P/X#0", "P/X", 0, "[[Evil]] {{boom}} | '''x'''", "", 0, ("x.example",))
METHOD = UsageMethod(
    "Category:Museum", 1, (0,), "fileusage", ("a", "b"), "pageviews-per-article", "user",
    "all-access", True, "2026-06-15T08:00:00Z",
)  # fmt: skip


def _counted(
    files: int | None,
    used: int | None,
    pages: int | None,
    links: dict[str, int | None] | None = None,
    template_pages: int = 0,
) -> MonthFigures:
    return MonthFigures(
        JUNE,
        files,
        used,
        pages,
        template_pages,
        None if pages is None else int(bool(pages)),
        links=links or {},
        counts_as_of="2026-06-15T08:00:00Z",
    )


HISTORIES = {
    MUSEUM.key: {
        JUNE: _counted(6, 5, 7, links={"m.example": 3}),
        MAY: MonthFigures(MAY, views=1234, views_state="ok", views_as_of="x", synthetic=True),
        Month(2026, 4): MonthFigures(
            Month(2026, 4), views=99, views_state="stale", views_as_of="2026-05-10T00:00:00Z"
        ),
    },
    EMPTY.key: {
        JUNE: _counted(1, 0, 0),
        MAY: MonthFigures(MAY, views=0, views_state="ok", views_as_of="x"),
    },
    GONE.key: {
        JUNE: _counted(None, None, None),
        MAY: MonthFigures(MAY, views_state="no data", views_as_of="x"),
    },
    HOSTILE.key: {JUNE: _counted(None, None, None, links={"x.example": None})},
    TOTAL_KEY: {JUNE: _counted(7, 5, 7)},
}


def _view(**changes: object) -> UsageView:
    values: dict[str, object] = {
        "subjects": [EMPTY, GONE, MUSEUM, HOSTILE],
        "histories": HISTORIES,
        "methods": {MUSEUM.key: METHOD, TOTAL_KEY: METHOD},
        "carriers": {MUSEUM.key: ["content: Template:Crafts"]},
        "charts": {MUSEUM.key: "File:Usage - Museum.png"},
        "window": WINDOW,
        "open_month": JUNE,
    }
    values.update(changes)
    return UsageView(**values)  # type: ignore[arg-type]


def _row(text: str, label: str) -> list[str]:
    """Return the cells of the summary table row whose first cell mentions ``label``."""
    rows = text.split("\n|-")
    row = next(r for r in rows if f"<bdi>{label}" in r.split("\n")[1])
    return [line[2:] for line in row.split("\n")[2:] if line.startswith("| ")]


def test_no_data_zero_and_not_applicable_read_differently() -> None:
    text = render_usage_page(_view(), MESSAGES)

    assert _row(text, "Empty")[:5] == ["1", "0", "0", "0", "0"]
    assert _row(text, "Gone")[:5] == ["''no data''"] * 5
    assert _row(text, "&#91;&#91;Evil&#93;&#93;")[:5] == ["—"] * 5


def test_a_stale_figure_keeps_its_value_with_the_day_it_was_obtained() -> None:
    text = render_usage_page(_view(), MESSAGES)
    assert "| 99 <small>(as of 2026-05-10)</small>" in text
    assert "<bdi>x.example</bdi>: ''no data''" in text


def test_synthetic_views_are_said_to_be_synthetic() -> None:
    text = render_usage_page(_view(), MESSAGES)
    assert MESSAGES.text("partnerbot-usage-synthetic-note") in text
    assert "synthetic figures from a local stand-in" in text


def test_template_only_pages_are_shown_apart_with_their_templates() -> None:
    museum = dict(HISTORIES[MUSEUM.key])
    museum[JUNE] = _counted(6, 5, 7, template_pages=40)
    text = render_usage_page(_view(histories={**HISTORIES, MUSEUM.key: museum}), MESSAGES)
    assert "A further 40 pages show these files only through the template" in text
    assert "Template&#58;Crafts" in text


def test_infobox_values_cannot_break_out_of_the_page() -> None:
    text = render_usage_page(_view(), MESSAGES)
    assert "[[Evil]]" not in text
    assert "{{boom}}" not in text
    assert f'<span id="{anchor(HOSTILE.key)}"></span>' in text


def test_the_same_figures_render_the_same_text() -> None:
    assert render_usage_page(_view(), MESSAGES) == render_usage_page(_view(), MESSAGES)


def test_the_method_line_says_what_was_counted_where_and_when() -> None:
    line = method_line(METHOD, MESSAGES)
    assert "files in Category:Museum and its subcategories, 1 level down" in line
    assert "namespace 0 of a and b (from prop=fileusage)" in line
    assert "each file and each page counted once" in line
    assert line.endswith("as of 2026-06-15.")
    assert "as of" not in method_line(METHOD, MESSAGES, dated=False)


# -- exports -------------------------------------------------------------------------------------


def test_stats_json_has_exactly_the_documented_shape() -> None:
    stats = stats_json([MUSEUM, GONE], HISTORIES, WINDOW)
    keys = {"page", "index", "category", "depth", "files", "files_used", "pages_using", "wikis"}
    assert set(stats[0]) == keys | {"views", "links", "as_of"}
    assert stats[0]["views"] == {"2026-03": None, "2026-04": 99, "2026-05": 1234}
    assert (stats[0]["category"], stats[0]["links"]) == ("Museum", {"m.example": 3})
    assert (stats[1]["files"], stats[1]["views"]["2026-05"]) == (None, None)  # no data: null
    json.dumps(stats)


def test_csv_and_tab_hold_the_same_rows_with_a_valid_schema(tmp_path: Path) -> None:
    rows = stats_rows([MUSEUM, EMPTY], HISTORIES, [*WINDOW, JUNE], "All partnerships")
    parsed = list(csv.reader(stats_csv(rows).splitlines()))
    tab = json.loads(stats_tab(rows, "Usage.", "partnerbot"))

    assert parsed[0] == [name for name, _kind, _title in COLUMNS]
    assert len(parsed) == 1 + 3 * 4  # three partnerships' rows (with the totals), four months
    assert tab["license"] == "CC0-1.0"
    fields = tab["schema"]["fields"]
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", f["name"]) for f in fields)
    assert {f["type"] for f in fields} <= {"string", "number", "boolean", "localized"}
    assert all(len(row) == len(fields) for row in tab["data"])
    kinds = {"string": str, "number": int, "boolean": bool}
    for row in tab["data"]:
        for value, field in zip(row, fields, strict=True):
            assert value is None or isinstance(value, kinds[field["type"]])
    museum_june = next(r for r in tab["data"] if r[0] == "P/Museum" and r[5] == "2026-06")
    assert museum_june[6:9] == [6, 5, 7]


# -- charts and the infobox -----------------------------------------------------------------------


def test_a_chart_shows_gaps_for_no_data_and_changes_only_with_its_figures() -> None:
    spec = chart_spec("Museum", "method", HISTORIES[MUSEUM.key], WINDOW, MESSAGES)
    assert spec.values == (None, 99, 1234)
    assert spec.stale == (False, True, False)
    assert spec.synthetic_label == MESSAGES.text("partnerbot-usage-synthetic")
    again = chart_spec("Museum", "method", HISTORIES[MUSEUM.key], WINDOW, MESSAGES)
    assert again.digest() == spec.digest()
    other = chart_spec("Museum", "method", HISTORIES[EMPTY.key], WINDOW, MESSAGES)
    assert other.digest() != spec.digest()


def test_a_chart_is_a_png_and_the_same_figures_give_the_same_bytes() -> None:
    spec = chart_spec("Museum", "method", HISTORIES[MUSEUM.key], WINDOW, MESSAGES)
    png = draw_chart(spec)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert draw_chart(spec) == png


def test_chart_file_names_are_valid_titles() -> None:
    assert chart_file_title("Usage", "A/B [c] {d} #1", 1) == "File:Usage - A-B -c- -d- -1 2.png"
    assert chart_file_title("Usage", "...") == "File:Usage - partnership.png"


def test_the_findings_data_carries_each_records_usage_entry() -> None:
    record = PartnershipRecord(page="P/Museum", index=0, revid=5, name="Museum")
    figures = headline(HISTORIES[MUSEUM.key], MAY)
    assert figures is not None
    entry = usage_entry(figures, f"Partnerships/Usage#{anchor(MUSEUM.key)}")
    pages = build_findings_pages(
        "Module:F.json", [Assessment(record, ())], {}, {}, "u", 100_000, usage={MUSEUM.key: entry}
    )
    stored = json.loads(pages["Module:F.json"])["pages"]["P/Museum"]["b"][0]["u"]
    assert stored == {
        "f": 6, "u": 5, "p": 7, "t": 0, "v": 1234, "m": "2026-05", "vs": "ok", "y": 1,
        "d": "2026-06-15", "l": f"Partnerships/Usage#{anchor(MUSEUM.key)}",
    }  # fmt: skip


# -- settings --------------------------------------------------------------------------------------


def _settings_file(tmp_path: Path, usage: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f"[usage]\n{usage}\n", encoding="utf-8")
    return path


def test_the_usage_section_reads_its_wikis(tmp_path: Path) -> None:
    settings = load_settings(
        _settings_file(
            tmp_path,
            'enabled = true\nsource = "globalusage"\n'
            'wikis = [{name = "en.wikipedia.org", api = "https://en.wikipedia.org/w/api.php"}]',
        )
    )
    assert settings.usage.enabled
    assert settings.usage.wikis == (
        UsageWiki("en.wikipedia.org", "https://en.wikipedia.org/w/api.php"),
    )


@pytest.mark.parametrize(
    ("usage", "message"),
    [
        ('source = "scraping"', "source"),
        ('wikis = [{name = "x"}]', "wikis, entry 1"),
        ('wikis = [{name = "x", api = "ftp://x"}]', "wikis, entry 1"),
        ("history_months = 0", "history_months"),
        ("colour = 1", "unknown setting"),
    ],
)
def test_a_bad_usage_setting_names_itself(tmp_path: Path, usage: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(_settings_file(tmp_path, usage))
