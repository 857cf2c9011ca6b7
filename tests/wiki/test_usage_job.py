"""The usage job end to end on two real local wikis and the analytics stand-in.

The session wiki holds the partners' files and categories (as Commons does); the session's
content wiki shows them in its articles, directly or through a template. Partnership pages on
the session wiki name the categories; ``run-once`` checks them and then collects their usage.
Every expected count is computed here from what MediaWiki reports through other modules
(``prop=categories`` for the trees, ``action=parse`` of each page's text for the files it shows,
with and without its templates), and every expected view from the stand-in's own figures.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser

import mwparserfromhell
import pytest

from bot.devwiki.seed import make_png
from bot.devwiki.standins import synthetic
from bot.devwiki.standins.analytics import AnalyticsStandIn
from bot.devwiki.standins.faults import Fault, FaultKind
from bot.devwiki.wiki import DevWiki
from bot.io.usage_sources import Month
from bot.run.jobs import install_templates, run_once
from bot.run.usage_stats import usage_stats
from bot.settings import Settings, UsageSettings, UsageWiki
from bot.state.store import StateStore
from bot.state.usage_store import UsageStore
from tests.wiki.client import WikiClient
from tests.wiki.usage_wikis import admin_client, pages_with_prefix, parent_categories

pytestmark = pytest.mark.wiki

TAG = "Usagejob"
TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 8, 0, tzinfo=dt.UTC)
LAST_MONTH = Month(2026, 5)
DOMAIN = "usagejob-partner.example"
COMMONS, CONTENT = "commons.devwiki", "content.devwiki"
#: File -> the categories it is in (A2 is in two partners' categories).
FILES = {
    "A1": ["A"],
    "A2": ["A", "B"],
    "A3": ["A"],
    "A5": ["A sub"],
    "B1": ["B"],
    "B2": ["B"],
    "E1": ["Empty"],
}
#: Partnership -> (category, depth, link domains).
PARTNERS = {
    "A": ("A", 1, DOMAIN),
    "B": ("B", 0, ""),
    "E": ("Empty", 0, ""),
    "M": ("Missing", 0, ""),
    "L": ("", 0, DOMAIN),
}


def _file(name: str) -> str:
    return f"File:{TAG} {name}.png"


def _infobox(settings: Settings, partner: str) -> str:
    category, depth, domain = PARTNERS[partner]
    values = {
        "name": f"{TAG} {partner}",
        "partner": f"{TAG} partner {partner}",
        "status": "active",
        "type": "content_donation",
        "commons_category": f"{TAG} {category}" if category else "",
        "commons_depth": str(depth),
        "link_domains": domain,
    }
    body = "".join(f"\n|{key}={value}" for key, value in values.items() if value)
    return f"{{{{{settings.template.name}{body}\n}}}}\n"


@dataclass
class Scene:
    """The seeded wikis, the stand-in and the settings of the usage runs."""

    commons: DevWiki
    content: DevWiki
    standin: AnalyticsStandIn
    settings: Settings
    admin: WikiClient


def _seed(commons: DevWiki, content: DevWiki, settings: Settings) -> None:
    categories = {
        f"Category:{TAG} A": "Partner A.",
        f"Category:{TAG} A sub": f"[[Category:{TAG} A]]",
        f"Category:{TAG} B": "Partner B.",
        f"Category:{TAG} Empty": "Partner E.",
    }
    commons.import_pages({**categories, f"{TAG} Gallery": f"[[{_file('A3')}]]"})
    commons.upload_files(
        {
            f"{TAG} {name}.png": (
                make_png(6, 6, (30 * index, 200, 90)),
                "".join(f"[[Category:{TAG} {category}]]" for category in parents),
            )
            for index, (name, parents) in enumerate(FILES.items())
        },
        comment="usage job test files",
    )
    pages = {f"Partnerships {TAG}/{partner}": _infobox(settings, partner) for partner in PARTNERS}
    commons.import_pages(pages)
    commons.run_jobs()
    content.import_pages({f"Template:{TAG} box": f"[[{_file('B2')}|20px]]"})
    content.import_pages(
        {
            f"{TAG} P1": f"[[{_file('A1')}]] [[{_file('A2')}]]",
            f"{TAG} P2": f"[[{_file('A2')}]] [[{_file('B1')}]] http://{DOMAIN}/x",
            f"{TAG} P3": f"{{{{{TAG} box}}}}",
            f"{TAG} P4": f"{{{{{TAG} box}}}} [[{_file('A5')}]] [https://www.{DOMAIN}/y y]",
            f"Talk:{TAG} P1": f"[[{_file('A3')}]]",
        }
    )
    content.run_jobs()


@pytest.fixture(scope="module")
def scene(
    devwiki: DevWiki,
    content_wiki: DevWiki,
    wiki_settings: Settings,
    admin_api: WikiClient,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Scene]:
    """Seed both wikis, start the stand-in, and run ``run-once`` (check, report, usage)."""
    run_page = f"User:PartnerBot/Run {TAG}"
    admin_api.edit(run_page, "yes")
    state = tmp_path_factory.mktemp("usagejob") / "state.sqlite"
    with AnalyticsStandIn(projects=[COMMONS, CONTENT], today=TODAY) as standin:
        settings = replace(
            wiki_settings,
            template=replace(wiki_settings.template, name=f"Partnership infobox {TAG}"),
            outputs=replace(
                wiki_settings.outputs,
                status_page=f"Test {TAG}/Status",
                affiliate_page_prefix=f"Test {TAG}/Affiliates",
                findings_page=f"Module:Partnership infobox/{TAG}.json",
                report_page=f"Test {TAG}/Report",
                method_page=f"Test {TAG}/Method",
            ),
            run=replace(wiki_settings.run, state_url=f"sqlite:///{state}", run_page=run_page),
            notices=replace(wiki_settings.notices, board=f"Test {TAG}/Noticeboard"),
            usage=UsageSettings(
                enabled=True,
                commons_api=devwiki.api_url,
                wikis=(
                    UsageWiki(COMMONS, devwiki.api_url),
                    UsageWiki(CONTENT, content_wiki.api_url),
                ),
                pageviews_url=standin.base_url,
                synthetic=True,
                page=f"Test {TAG}/Usage",
                chart_prefix=f"Usage {TAG}",
            ),
        )
        _seed(devwiki, content_wiki, settings)
        summary = run_once(settings, today=TODAY, now=NOW)
        assert summary.outcome == "ok", summary.reason
        yield Scene(devwiki, content_wiki, standin, settings, admin_client(devwiki))


# -- what MediaWiki reports -----------------------------------------------------------------------


def _tree(admin: WikiClient, category: str, depth: int) -> set[str]:
    """Files of ``Category:TAG category`` to ``depth``, from prop=categories (bottom up)."""
    files = pages_with_prefix(admin, f"{TAG} ", 6)
    categories = pages_with_prefix(admin, f"{TAG} ", 14)
    parents = parent_categories(admin, [*files, *categories])
    level = {f"Category:{TAG} {category}"}
    reached = set(level)
    for _ in range(depth):
        level = {c for c in categories if parents[c] & level} - reached
        reached |= level
    return {file for file in files if parents[file] & reached}


def _images(client: WikiClient, title: str, *, own_text_only: bool) -> set[str]:
    """Files MediaWiki shows for the page's text (its templates removed first, if asked)."""
    text = client.text(title) or ""
    if own_text_only:
        code = mwparserfromhell.parse(text)
        for template in code.filter_templates(recursive=False):
            code.remove(template)
        text = str(code)
    data = client.post(
        action="parse", title=title, text=text, contentmodel="wikitext", prop="images"
    )
    return {"File:" + name.replace("_", " ") for name in data["parse"]["images"]}


@dataclass(frozen=True)
class Expected:
    files: set[str]
    used: set[str]
    pages: set[tuple[str, str]]
    template_pages: set[tuple[str, str]]


def _uses(scene: Scene) -> dict[tuple[str, str], tuple[set[str], set[str]]]:
    """Per article (wiki, title): the files it shows in all, and through its own text."""
    found = {}
    for name, wiki in ((COMMONS, scene.commons), (CONTENT, scene.content)):
        client = admin_client(wiki)
        for title in pages_with_prefix(client, f"{TAG} ", 0):
            found[(name, title)] = (
                _images(client, title, own_text_only=False),
                _images(client, title, own_text_only=True),
            )
    return found


def _expected(scene: Scene, files: set[str]) -> Expected:
    uses = _uses(scene)
    pages = {page for page, (_all, own) in uses.items() if own & files}
    through = {page for page, (every, own) in uses.items() if every & files} - pages
    used = {file for _page, (_all, own) in uses.items() for file in own & files}
    return Expected(files, used, pages, through)


# -- what the usage page says ---------------------------------------------------------------------


class _Table(HTMLParser):
    """The rows (cell texts) of the first table with class partnerbot-usage."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._depth = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and (self._depth or "partnerbot-usage" in classes):
            self._depth += 1
        elif self._depth == 1 and tag == "tr":
            self.rows.append([])
        elif self._depth == 1 and tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._depth:
            self._depth -= 1
        elif self._depth == 1 and tag in {"td", "th"} and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def usage_rows(scene: Scene) -> dict[str, list[str]]:
    """Return the usage table's rows by partnership label (cells after the label)."""
    data = scene.admin.post(action="parse", page=scene.settings.usage.page, prop="text")
    table = _Table()
    table.feed(data["parse"]["text"])
    rows = {}
    for row in table.rows[1:]:
        label = row[0].removesuffix(" (details)")
        rows[label] = row[1:]
    return rows


def _number(text: str) -> int:
    return int(text.split(" (", maxsplit=1)[0].replace(",", ""))


def _views(pages: set[tuple[str, str]], month: Month) -> int:
    return sum(synthetic.page_views(wiki, title, month) for wiki, title in pages)


# -- tests ----------------------------------------------------------------------------------------


def test_counts_on_the_usage_page_equal_what_mediawiki_reports(scene: Scene) -> None:
    rows = usage_rows(scene)
    for partner in ("A", "B"):
        category, depth, _domain = PARTNERS[partner]
        expected = _expected(scene, _tree(scene.admin, category, depth))
        wikis = {wiki for wiki, _title in expected.pages}
        files, used, pages, wikis_cell, views = rows[f"{TAG} {partner}"][:5]
        assert [_number(files), _number(used), _number(pages), _number(wikis_cell)] == [
            len(expected.files),
            len(expected.used),
            len(expected.pages),
            len(wikis),
        ]
        assert _number(views) == _views(expected.pages, LAST_MONTH)
    # B's template shows B2 on P3 and P4: both are counted apart, not as pages using B's files.
    expected_b = _expected(scene, _tree(scene.admin, "B", 0))
    assert expected_b.template_pages == {(CONTENT, f"{TAG} P3"), (CONTENT, f"{TAG} P4")}
    histories = UsageStore(StateStore(scene.settings.run.state_url).engine).histories()
    current = histories[f"Partnerships {TAG}/B#0"][Month.of(TODAY)]
    assert current.template_pages == len(expected_b.template_pages)


def test_a_file_in_two_partners_categories_counts_once_in_the_totals(scene: Scene) -> None:
    rows = usage_rows(scene)
    trees = [_tree(scene.admin, PARTNERS[p][0], PARTNERS[p][1]) for p in ("A", "B", "E")]
    every_file = set().union(*trees)
    expected = _expected(scene, every_file)
    totals = rows["All partnerships"]
    assert _file("A2") in trees[0] & trees[1]
    assert _number(totals[0]) == len(every_file) < sum(len(tree) for tree in trees)
    assert _number(totals[2]) == len(expected.pages)
    assert _number(totals[4]) == _views(expected.pages, LAST_MONTH)


def test_no_data_renders_differently_from_zero(scene: Scene) -> None:
    rows = usage_rows(scene)
    empty, missing, links_only = rows[f"{TAG} E"], rows[f"{TAG} M"], rows[f"{TAG} L"]
    assert empty[:4] == ["1", "0", "0", "0"]  # one file, used nowhere: real zeros
    assert missing[:4] == ["no data"] * 4  # no such category: nothing to count
    assert links_only[:4] == ["—"] * 4  # no category named: the figures do not apply
    assert links_only[5] == f"{DOMAIN}: 2"  # P2 and P4, each once (http and https)


def test_the_infobox_data_carries_each_partnerships_headline(scene: Scene) -> None:
    data = json.loads(scene.admin.text(scene.settings.outputs.findings_page) or "{}")
    records = {
        title: page["b"][0] for title, page in data["pages"].items() if title.startswith("Part")
    }
    expected = _expected(scene, _tree(scene.admin, "A", 1))
    usage = records[f"Partnerships {TAG}/A"]["u"]
    assert (usage["u"], usage["p"], usage["m"]) == (
        len(expected.used),
        len(expected.pages),
        "2026-05",
    )
    assert usage["v"] == _views(expected.pages, LAST_MONTH)
    assert usage["y"] == 1  # synthetic figures say so
    assert usage["l"].startswith(f"Test {TAG}/Usage#usage-")
    missing = records[f"Partnerships {TAG}/M"]["u"]
    assert "v" not in missing  # no data is left out, never 0...
    assert missing["vs"] == "no data"  # ...and said


def _chart_versions(scene: Scene, partner: str) -> list[str]:
    title = f"File:Usage {TAG} - {TAG} {partner}.png"
    data = scene.admin.get(
        action="query", prop="imageinfo", titles=title, iiprop="user", iilimit="max"
    )
    return [info["user"] for info in data["query"]["pages"][0].get("imageinfo", [])]


def test_failing_pageviews_keep_the_last_figures_marked_stale_and_nothing_is_fetched_twice(
    scene: Scene,
) -> None:
    before = usage_rows(scene)[f"{TAG} A"]
    assert _chart_versions(scene, "A") == ["PartnerBot"]
    # A new article shows one of A's files; the pageviews service refuses every request.
    scene.content.import_pages({f"{TAG} P5": f"[[{_file('A1')}]]"})
    scene.content.run_jobs()
    scene.standin.inject(Fault(FaultKind.STATUS, status=429, retry_after="3600", times=0))
    next_day = NOW + dt.timedelta(hours=25)
    summary = run_once(scene.settings, today=TODAY, now=next_day)
    assert summary.outcome == "ok"
    after = usage_rows(scene)[f"{TAG} A"]
    assert _number(after[2]) == _number(before[2]) + 1  # the counts went on: P5 is counted
    assert _number(after[4]) == _number(before[4])  # May's views: the last good figure...
    assert "as of 2026-06-15" in after[4]  # ...marked with the day it was obtained
    assert usage_rows(scene)[f"{TAG} B"][4] == before_b_views(scene)
    # The service is back: only P5's months are asked for, once.
    scene.standin.faults.clear()
    scene.standin.reset_log()
    run_once(scene.settings, today=TODAY, now=next_day + dt.timedelta(hours=25))
    asked = [r.path for r in scene.standin.served() if "/per-article/" in r.path]
    assert len(asked) == 1
    assert "P5" in asked[0]
    assert "as of" not in usage_rows(scene)[f"{TAG} A"][4]
    versions = _chart_versions(scene, "A")
    assert len(versions) > 1  # the chart shows the new figures
    # Nothing new: no closed month is fetched again, and the chart is not uploaded again.
    scene.standin.reset_log()
    run_once(scene.settings, today=TODAY, now=next_day + dt.timedelta(hours=50))
    assert [r.path for r in scene.standin.served() if "/per-article/" in r.path] == []
    assert _chart_versions(scene, "A") == versions
    assert set(versions) == {"PartnerBot"}


def before_b_views(scene: Scene) -> str:
    """Return B's views cell as the first collection wrote it (B's pages did not change)."""
    expected = _expected(scene, _tree(scene.admin, "B", 0))
    return f"{_views(expected.pages, LAST_MONTH):,}"


def test_stats_exports_the_stored_figures_as_json_csv_and_tab(
    scene: Scene, tmp_path_factory: pytest.TempPathFactory
) -> None:
    target = tmp_path_factory.mktemp("stats") / "usage.csv"
    result = usage_stats(scene.settings, today=TODAY, now=NOW, collect=False, csv_path=target)
    by_page = {item["page"]: item for item in result.stats}
    rows = usage_rows(scene)

    a = by_page[f"Partnerships {TAG}/A"]
    assert (a["category"], a["depth"], a["index"]) == (f"{TAG} A", 1, 0)
    assert [a["files"], a["files_used"], a["pages_using"], a["wikis"]] == [
        _number(cell) for cell in rows[f"{TAG} A"][:4]
    ]
    assert a["views"]["2026-05"] == _number(rows[f"{TAG} A"][4])
    assert len(a["views"]) == 12
    assert by_page[f"Partnerships {TAG}/M"]["files"] is None
    assert by_page[f"Partnerships {TAG}/L"]["links"] == {DOMAIN: 2}
    assert result.files == (str(target), str(target.with_suffix(".tab")))
    tab = json.loads(target.with_suffix(".tab").read_text(encoding="utf-8"))
    assert len(tab["data"]) == len(target.read_text(encoding="utf-8").splitlines()) - 1


def test_the_infobox_shows_its_headline_and_links_to_the_details(
    scene: Scene, wiki_settings: Settings
) -> None:
    install_templates(wiki_settings)
    findings = scene.settings.outputs.findings_page
    scene.admin.edit(
        f"Template:{scene.settings.template.name}",
        f"{{{{#invoke:Partnership infobox|main|findings={findings}}}}}",
    )
    data = json.loads(scene.admin.text(findings) or "{}")["pages"]
    shown = {}
    for partner in ("A", "M"):
        title = f"Partnerships {TAG}/{partner}"
        parsed = scene.admin.parse(scene.admin.text(title) or "", title=title)
        assert "scribunto-error" not in parsed["text"]
        text = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(parsed["text"])).split())
        shown[partner] = text[text.index("Use of the content") :]
    usage = data[f"Partnerships {TAG}/A"]["b"][0]["u"]
    assert f"Files used {usage['u']} of {usage['f']}" in shown["A"]
    assert f"Pages using them {usage['p']}" in shown["A"]
    assert f"Views in 2026-05 {usage['v']:,} (synthetic)" in shown["A"]
    assert "Details and method" in shown["A"]
    assert "Views in 2026-05 no data" in shown["M"]  # never 0
