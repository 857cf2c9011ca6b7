"""The infobox on a real MediaWiki: it renders, categorises, and shows the bot's findings.

The template pages are saved as ``install-templates`` would save them; findings data pages are
written with ``build_findings_pages`` and read back by the Lua module through ``mw.loadJsonData``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.model import Assessment, Finding, PartnershipRecord, Score, Severity, Status
from bot.parse.records import PARAMETERS, parse_value
from bot.render.findings_json import FlagInfo, RuleInfo, build_findings_pages, shard_of, with_detail
from bot.resources import load_template_pages
from tests.wiki.client import WikiClient

PAGES = load_template_pages(Path(__file__).resolve().parents[2] / "wiki_templates")
MAINTENANCE = "Partnership_infoboxes_needing_attention"
FAQ = "Partnerships & Resource Development/Questions"
FAQ_URL = "https://meta.wikimedia.org/wiki/Partnerships_%26_Resource_Development/Questions"
GOALS = "The goals are not written down."
RULES = {"goals-missing": RuleInfo("warning", GOALS, f"{FAQ} § Goals", FAQ_URL)}
FLAGS = {"tight-deadline": FlagInfo("Tight deadlines", "Results are wanted too fast.", "Slides")}
GOOD = (
    "{{Partnership infobox\n|name=Harbour Museum residency\n|partner=Harbour Museum\n"
    "|type=residency, content_donation\n|status=active\n|agreement=mou\n|money_exchanged=no\n}}"
)


@pytest.fixture(scope="module")
def wiki(admin_api: WikiClient) -> WikiClient:
    """Return the admin client after saving every template page, as install-templates does."""
    for title, text in PAGES.items():
        admin_api.edit(title, text, summary="install templates for the render tests")
    # Pages saved earlier in the session with the same text are not parsed again: refresh them.
    admin_api.post(action="purge", titles="|".join(PAGES), forcelinkupdate=1)
    return admin_api


def render(wiki: WikiClient, text: str, title: str = "Partnerships/Render test") -> dict[str, Any]:
    """Return the parse result, failing on any script or parser error in the output."""
    parsed = wiki.parse(text, title=title)
    html = parsed["text"]
    assert "scribunto-error" not in html
    assert 'class="error' not in html
    return parsed


def categories(parsed: dict[str, Any]) -> set[str]:
    return {category["category"] for category in parsed["categories"]}


def with_data_page(wiki: WikiClient, name: str) -> tuple[str, str]:
    """Return (template call prefix, data page title): a wrapper reading its own data page."""
    base = f"Module:Partnership infobox/render test {name}.json"
    wrapper = f"Partnership infobox render test {name}"
    wiki.edit(f"Template:{wrapper}", f"{{{{#invoke:Partnership infobox|main|findings={base}}}}}")
    return "{{" + wrapper, base


def save_data(wiki: WikiClient, pages: dict[str, str]) -> None:
    for title, text in pages.items():
        wiki.edit(title, text, summary="findings data for the render tests", contentmodel="json")


def assessment(page: str, *findings: Finding, name: str = "", index: int = 0) -> Assessment:
    record = PartnershipRecord(page=page, index=index, name=name)
    return Assessment(record, findings, Score(10 - 3 * len(findings), 10))


def goals_finding(page: str, detail: str, index: int = 0) -> Finding:
    source = RULES["goals-missing"].source
    message = with_detail(GOALS, detail)
    return Finding(page, index, "goals-missing", Severity.WARNING, "goals", message, source)


def build(base: str, assessments: list[Assessment], max_bytes: int = 1_800_000) -> dict[str, str]:
    return build_findings_pages(base, assessments, RULES, FLAGS, "2025-03-01", max_bytes)


# --- fields and categories ----------------------------------------------------------------------


def test_full_example_renders_every_group_with_human_labels(wiki: WikiClient) -> None:
    doc = PAGES["Template:Partnership infobox/doc"]
    examples = re.findall(r"^\{\{Partnership infobox\n.*?^\}\}", doc, re.MULTILINE | re.DOTALL)
    html = render(wiki, examples[1])["text"]

    headings = re.findall(r'<th colspan="2"[^>]*>([^<]+)</th>', html)
    assert headings == [
        "Partnership", "Stage and dates", "Goals and benefits", "People", "Agreement", "Content",
        "Evaluation", "Risks", "Checklist",
    ]  # fmt: skip
    for shown in (
        "Memorandum of understanding",
        "Residency, Content donation, Outreach",
        "Regular check-ins, Metrics",
        'href="https://www.wikidata.org/wiki/Q4115189"',
    ):
        assert shown in html
    assert 'class="infobox partnership-infobox"' in html


def test_status_and_types_become_tracking_categories(wiki: WikiClient) -> None:
    assert categories(render(wiki, GOOD)) == {
        "Partnerships_with_status_Active",
        "Partnerships_of_type_Residency",
        "Partnerships_of_type_Content_donation",
    }


@pytest.mark.parametrize(
    "call",
    [
        "{{Partnership infobox|name=A|type=outreach|status=ended}}",
        "{{Partnership infobox|name=A|type=outreach, picnic|status=active}}",
        "{{Partnership infobox|name=A|type=outreach}}",
        "{{Partnership infobox|status=active|type=outreach}}",
        "{{Partnership infobox|name=A|status=active}}",
        "{{Partnership infobox|name=A|status=active|type=outreach|colour=blue}}",
        "{{Partnership infobox|name=A|status=active|type=outreach|stray positional}}",
    ],
)
def test_infobox_needing_attention_is_put_in_the_maintenance_category(
    wiki: WikiClient, call: str
) -> None:
    parsed = render(wiki, call)

    assert MAINTENANCE in categories(parsed)
    assert "Needs attention:" in parsed["text"]


def test_bad_status_gets_no_status_category(wiki: WikiClient) -> None:
    found = categories(render(wiki, "{{Partnership infobox|name=A|type=outreach|status=ended}}"))

    assert found == {MAINTENANCE, "Partnerships_of_type_Outreach"}


def test_valid_infobox_is_not_flagged(wiki: WikiClient) -> None:
    parsed = render(wiki, GOOD)

    assert MAINTENANCE not in categories(parsed)
    assert "Needs attention" not in parsed["text"]


@pytest.mark.parametrize(
    "spelling", ["On hold", "on-hold", "ON_HOLD", " active ", "ónhold", "Ended"]
)
def test_module_reads_a_status_spelling_as_the_parser_does(wiki: WikiClient, spelling: str) -> None:
    status, problems = parse_value("status", spelling)
    call = f"{{{{Partnership infobox|name=A|type=outreach|status={spelling}}}}}"
    found = {name for name in categories(render(wiki, call)) if "_with_status_" in name}

    assert isinstance(status, Status) or problems
    expected = set()
    if isinstance(status, Status):
        expected = {f"Partnerships_with_status_{status.value.capitalize()}"}
    assert found == expected


@pytest.mark.parametrize("title", ["User:Someone/Sandbox", "Help:Partnership infobox example"])
def test_pages_outside_the_main_namespace_are_not_categorised(wiki: WikiClient, title: str) -> None:
    bad = "{{Partnership infobox|name=A|type=outreach|status=ended}}"

    assert categories(render(wiki, GOOD + bad, title=title)) == set()


def test_template_page_with_its_live_examples_is_not_categorised(wiki: WikiClient) -> None:
    template = "Template:Partnership infobox"
    parsed = wiki.parse(PAGES[template], title=template)

    assert "scribunto-error" not in parsed["text"]
    assert "Harbour Museum residency" in parsed["text"]
    assert parsed["categories"] == []


def test_bot_control_switches_are_explained(wiki: WikiClient) -> None:
    html = render(wiki, GOOD.replace("}}", "|bot=no\n|notices=no\n}}"))["text"]

    assert "The bot does not check this partnership." in html
    assert "No community notices are posted about this partnership." in html


def test_notice_template_names_the_event_and_links_the_page(wiki: WikiClient) -> None:
    html = render(wiki, "{{Partnership notice|kind=flag|page=Partnerships/X|text=Look.}}")["text"]

    assert "Warning flag raised" in html
    assert 'title="Partnerships/X' in html


# --- TemplateData --------------------------------------------------------------------------------


def test_templatedata_is_accepted_by_the_extension(wiki: WikiClient) -> None:
    result = wiki.get(action="templatedata", titles="Template:Partnership infobox")
    (data,) = result["pages"].values()

    assert list(data["params"]) == list(PARAMETERS)
    assert data["paramOrder"] == list(PARAMETERS)
    assert data["params"]["status"]["suggestedvalues"][6] == "on_hold"
    assert data["params"]["status"]["required"] is True


def test_notice_templatedata_is_accepted_by_the_extension(wiki: WikiClient) -> None:
    result = wiki.get(action="templatedata", titles="Template:Partnership notice")
    (data,) = result["pages"].values()

    assert list(data["params"]) == ["kind", "label", "page", "link", "text", "contacts"]


# --- the bot's findings ------------------------------------------------------------------------


def test_findings_show_score_messages_and_linked_sources(wiki: WikiClient) -> None:
    call, base = with_data_page(wiki, "single")
    page = "Partnerships/Findings shown"
    save_data(wiki, build(base, [assessment(page, goals_finding(page, "none given"))]))

    html = render(wiki, f"{call}|name=X|status=active|type=outreach}}}}", title=page)["text"]
    assert "7 of 10 checks passed" in html
    assert "The goals are not written down (none given)." in html
    assert f'href="{FAQ_URL}"' in html
    assert "Checked 2025-03-01" in html
    assert "mw-collapsible" in html


def test_data_page_text_is_stored_exactly_as_the_bot_built_it(wiki: WikiClient) -> None:
    _, base = with_data_page(wiki, "stored")
    page = "Partnerships/<Tags> & ampersands"
    data = build(base, [assessment(page, goals_finding(page, "a < b & c, e\u0301 \u2028 😀"))])
    save_data(wiki, data)

    assert wiki.text(base) == data[base]
    info = wiki.get(action="query", titles=base, prop="info")["query"]["pages"][0]
    assert info["contentmodel"] == "json"


def test_each_page_finds_its_findings_in_its_shard(wiki: WikiClient) -> None:
    call, base = with_data_page(wiki, "sharded")
    titles = [f"Partnerships/Shard test {n} é" for n in range(40)] + ["2024"]
    data = build(base, [assessment(t, goals_finding(t, f"detail for {t}")) for t in titles], 3000)
    shards = json.loads(data[base])["shards"]
    assert shards > 2
    save_data(wiki, data)

    for title in [titles[0], titles[17], titles[39], "2024"]:
        html = render(wiki, f"{call}|name=X}}}}", title=title)["text"]
        assert f"detail for {title}" in html.replace("&#39;", "'"), (title, shard_of(title, shards))


def test_two_infoboxes_on_a_page_each_show_their_own_record(wiki: WikiClient) -> None:
    call, base = with_data_page(wiki, "two")
    page = "Partnerships/Two infoboxes"
    results = [
        assessment(page, name="First", index=0),
        assessment(page, goals_finding(page, "second only", 1), name="Second", index=1),
    ]
    save_data(wiki, build(base, results))

    html = render(wiki, f"{call}|name=First}}}}\n{call}|name=Second}}}}", title=page)["text"]
    first, second = html.split("</table>")[:2]
    assert "10 of 10 checks passed" in first
    assert "second only" not in first
    assert "7 of 10 checks passed" in second
    assert "second only" in second


def test_missing_data_page_means_not_yet_checked(wiki: WikiClient) -> None:
    call, _ = with_data_page(wiki, "never written")

    html = render(wiki, f"{call}|name=X|status=active|type=outreach}}}}")["text"]
    assert "Not yet checked by the bot." in html


def test_page_without_an_entry_means_not_yet_checked(wiki: WikiClient) -> None:
    call, base = with_data_page(wiki, "other pages")
    save_data(wiki, build(base, [assessment("Elsewhere")]))

    html = render(wiki, f"{call}|name=X}}}}", title="Partnerships/Not in the data")["text"]
    assert "Not yet checked by the bot." in html


@pytest.mark.parametrize(
    "content",
    [
        '{"shards": 3}',
        '{"shards": "many", "pages": 5}',
        "[1, 2, 3]",
        '{"pages": {"Partnerships/Damaged": "not a list"}}',
        '{"rules": 7, "pages": {"Partnerships/Damaged": [{"s": "x", "f": '
        '[[1, 2], "x", null, ["goals-missing", 5], ["goals-missing", "", "", "f"]]}]}}',
    ],
)
def test_damaged_data_page_never_breaks_the_infobox(wiki: WikiClient, content: str) -> None:
    call, base = with_data_page(wiki, "damaged")
    wiki.edit(base, content, contentmodel="json")

    call += "|name=X|status=active|type=outreach}}"
    html = render(wiki, call, title="Partnerships/Damaged")["text"]
    assert 'class="infobox partnership-infobox"' in html
    assert "Active" in html


def test_data_page_that_is_not_json_is_ignored(wiki: WikiClient) -> None:
    wrapper = "Partnership infobox render test wikitext data"
    wiki.edit("Render test data page", "Just wikitext, not JSON.")
    invoke = "{{#invoke:Partnership infobox|main|findings=Render test data page}}"
    wiki.edit(f"Template:{wrapper}", invoke)

    html = render(wiki, f"{{{{{wrapper}|name=X}}}}")["text"]
    assert "Not yet checked by the bot." in html


def test_invalid_json_cannot_be_saved_to_a_data_page(wiki: WikiClient) -> None:
    title = "Module:Partnership infobox/render test invalid.json"
    result = wiki.post(action="edit", title=title, text="{not json", contentmodel="json")

    assert result["error"]["code"] == "invalid-json-data"
