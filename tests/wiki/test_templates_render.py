"""The infobox on a real MediaWiki: it renders, categorises, and shows the bot's findings.

The template pages are installed with ``install_templates``; findings data pages are built from
the bot's own parse and checklist of the same wikitext (:mod:`tests.wiki.infobox_scene`) and
read back by the Lua module through ``mw.loadJsonData``. How the findings are shown (order,
folding, links, categories, languages) is tested in ``test_infobox_findings.py``.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from bot.contract import NAMES
from bot.model import Status
from bot.parse.records import parse_value
from bot.render.findings_json import shard_of
from bot.resources import load_template_pages
from bot.run.jobs import install_templates, run_once
from bot.settings import Settings
from tests.wiki.client import WikiClient
from tests.wiki.infobox_html import boxes, checked_revision, rules_shown
from tests.wiki.infobox_scene import (
    ROOT,
    TODAY,
    categories,
    check_and_save,
    render,
    with_data_page,
)

PAGES = load_template_pages(ROOT / "wiki_templates")
MAINTENANCE = "Partnership_infoboxes_needing_attention"
FAQ_URL = "https://meta.wikimedia.org/wiki/Partnerships_%26_Resource_Development/Questions"
GOOD = (
    "{{Partnership infobox\n|name=Harbour Museum residency\n|partner=Harbour Museum\n"
    "|type=residency, content_donation\n|status=active\n|agreement=mou\n|money_exchanged=no\n}}"
)


@pytest.fixture(scope="module")
def wiki(admin_api: WikiClient, wiki_settings: Settings) -> WikiClient:
    """Return the admin client after the bot installed every template page."""
    install_templates(wiki_settings)
    # Pages saved earlier in the session with the same text are not parsed again: refresh them.
    admin_api.post(action="purge", titles="|".join(PAGES), forcelinkupdate=1)
    return admin_api


# --- fields and categories ----------------------------------------------------------------------


def test_full_example_renders_every_group_with_human_labels(wiki: WikiClient) -> None:
    doc = PAGES["Template:Partnership infobox/doc"]
    examples = re.findall(r"^\{\{Partnership infobox\n.*?^\}\}", doc, re.MULTILINE | re.DOTALL)
    html_text = render(wiki, examples[1])["text"]

    headings = re.findall(r'<th colspan="2"[^>]*>([^<]+)</th>', html_text)
    assert headings == [
        "Partnership", "Stage and dates", "Goals and benefits", "People", "Agreement", "Content",
        "Evaluation", "Risks",
    ]  # fmt: skip
    assert "partnership-infobox-summary-line" in html_text
    for shown in (
        "Memorandum of understanding",
        "Residency, Content donation, Outreach",
        "Regular check-ins, Metrics",
        'href="https://www.wikidata.org/wiki/Q4115189"',
    ):
        assert shown in html_text
    assert 'class="infobox partnership-infobox"' in html_text


def test_status_and_types_become_tracking_categories(wiki: WikiClient) -> None:
    assert categories(render(wiki, GOOD)) == {
        "Partnerships_with_status_Active",
        "Partnerships_of_type_Residency",
        "Partnerships_of_type_Content_donation",
    }


@pytest.mark.parametrize(
    ("call", "rule"),
    [
        ("{{Partnership infobox|partner=A|type=outreach|status=ended}}", "status-invalid"),
        ("{{Partnership infobox|partner=A|type=outreach, picnic|status=active}}", "type-invalid"),
        ("{{Partnership infobox|partner=A|type=outreach}}", "status-missing"),
        ("{{Partnership infobox|name=A|status=active|type=outreach}}", "partner-missing"),
        ("{{Partnership infobox|partner=A|status=active|type=outreach|colour=blue}}",
         "unknown-parameter"),
        ("{{Partnership infobox|partner=A|status=active|type=outreach|stray text}}",
         "positional-parameter"),
        ("{{Partnership infobox|partner=A|status=active|start_date=Spring 2024}}", "date-invalid"),
    ],
)  # fmt: skip
def test_infobox_needing_attention_is_put_in_the_maintenance_category(
    wiki: WikiClient, call: str, rule: str
) -> None:
    parsed = render(wiki, call)

    assert MAINTENANCE in categories(parsed)
    assert rule in {found for found, _ in rules_shown(parsed["text"], "infobox")}


def test_warnings_about_missing_fields_do_not_need_attention(wiki: WikiClient) -> None:
    parsed = render(wiki, "{{Partnership infobox|partner=A|status=active}}")

    assert ("type-missing", "type") in rules_shown(parsed["text"], "infobox")
    assert MAINTENANCE not in categories(parsed)


def test_bad_status_gets_no_status_category(wiki: WikiClient) -> None:
    found = categories(render(wiki, "{{Partnership infobox|partner=A|type=outreach|status=ended}}"))

    assert found == {MAINTENANCE, "Partnerships_of_type_Outreach"}


def test_valid_infobox_is_not_flagged(wiki: WikiClient) -> None:
    parsed = render(wiki, GOOD)

    assert MAINTENANCE not in categories(parsed)
    assert "partnership-infobox-problem" not in parsed["text"]


@pytest.mark.parametrize(
    "spelling", ["On hold", "on-hold", "onhold", "ON_HOLD", " active ", "ónhold", "Ended"]
)
def test_module_reads_a_status_spelling_as_the_parser_does(wiki: WikiClient, spelling: str) -> None:
    status, problems = parse_value("status", spelling)
    call = f"{{{{Partnership infobox|name=A|type=outreach|status={spelling}}}}}"
    found = {name for name in categories(render(wiki, call)) if "_with_status_" in name}

    assert isinstance(status, Status) or problems
    expected = set()
    if isinstance(status, Status):
        expected = {f"Partnerships_with_status_{status.value.replace('_', ' ').capitalize()}"}
    assert found == {name.replace(" ", "_") for name in expected}


@pytest.mark.parametrize("title", ["User:Someone/Sandbox", "Help:Partnership infobox example"])
def test_pages_outside_the_main_namespace_are_not_categorised(wiki: WikiClient, title: str) -> None:
    bad = "{{Partnership infobox|name=A|type=outreach|status=ended}}"

    assert categories(render(wiki, GOOD + bad, title=title)) == set()


def test_template_page_with_its_live_examples_is_not_categorised(wiki: WikiClient) -> None:
    template = "Template:Partnership infobox"
    parsed = wiki.parse(PAGES[template], title=template)

    assert "scribunto-error" not in parsed["text"]
    assert "Harbour Museum residency" in parsed["text"]
    assert "Allowed values" in parsed["text"]
    assert parsed["categories"] == []


def test_paused_partnership_is_still_checked_and_says_what_is_paused(wiki: WikiClient) -> None:
    html_text = render(wiki, GOOD.replace("}}", "|bot=no\n|notices=no\n}}"))["text"]

    assert "The bot is paused for this partnership" in html_text
    assert "the bot still checks this partnership" in html_text
    assert "lists it as paused" in html_text
    assert "no community notices are posted" in html_text
    assert rules_shown(html_text, "infobox")


def test_notice_template_names_the_event_and_links_the_page(wiki: WikiClient) -> None:
    html_text = render(wiki, "{{Partnership notice|kind=flag|page=Partnerships/X|text=Look.}}")[
        "text"
    ]

    assert "Warning flag raised" in html_text
    assert 'title="Partnerships/X' in html_text


# --- TemplateData --------------------------------------------------------------------------------


def test_templatedata_is_accepted_by_the_extension(wiki: WikiClient) -> None:
    result = wiki.get(action="templatedata", titles="Template:Partnership infobox", lang="fr")
    (data,) = result["pages"].values()

    assert list(data["params"]) == list(NAMES)
    assert data["paramOrder"] == list(NAMES)
    assert data["params"]["status"]["suggestedvalues"][6] == "on_hold"
    assert data["params"]["status"]["required"] is True
    assert data["params"]["status"]["label"] == "Étape"
    assert "tight-deadline" in data["params"]["flags"]["suggestedvalues"]


def test_notice_templatedata_is_accepted_by_the_extension(wiki: WikiClient) -> None:
    result = wiki.get(action="templatedata", titles="Template:Partnership notice")
    (data,) = result["pages"].values()

    assert list(data["params"]) == ["kind", "label", "page", "link", "text", "contacts"]


# --- the bot's findings ------------------------------------------------------------------------


def test_current_findings_show_score_sentences_and_linked_sources(wiki: WikiClient) -> None:
    call, template, base = with_data_page(wiki, "single")
    page = "Partnerships/Findings shown"
    text = f"{call}|partner=X|status=active|type=outreach|flags=tight-deadline}}}}"
    check_and_save(wiki, base, {page: (text, 41)}, template)

    html_text = render(wiki, text, title=page)["text"]
    (box,) = boxes(html_text)
    assert checked_revision(box) == "41"
    assert re.search(r"\d+ of \d+ checks passed", box)
    assert "No goals are written down." in box
    assert "Tight deadlines: The partner pushes for results" in box
    assert f'href="{FAQ_URL}"' in box
    assert re.search(r"Checked on 1 June 2026, revision <a [^>]*>41</a>\.", box)
    assert ("goals-missing", "goals") in rules_shown(box, "bot")
    assert rules_shown(box, "infobox") == []


def test_changed_infobox_says_so_and_checks_the_new_text(wiki: WikiClient) -> None:
    call, template, base = with_data_page(wiki, "changed")
    page = "Partnerships/Changed since"
    checked = f"{call}|partner=X|status=active|type=outreach|flags=tight-deadline}}}}"
    check_and_save(wiki, base, {page: (checked, 57)}, template)

    edited = checked.replace("type=outreach", "type=outreach, picnic")
    (box,) = boxes(render(wiki, edited, title=page)["text"])
    assert checked_revision(box) == "57"
    assert "The bot checked revision 57; this infobox has changed since." in box
    # The infobox judges the rules it can itself on the new text...
    assert ("type-invalid", "type") in rules_shown(box, "infobox")
    assert ("goals-missing", "goals") in rules_shown(box, "infobox")
    # ...and shows, of the bot's findings for revision 57, those it cannot judge, marked so.
    assert rules_shown(box, "bot") == [("warning-flag", "flags")]
    assert "found by the bot in revision 57" in box


def test_data_page_text_is_stored_exactly_as_the_bot_built_it(wiki: WikiClient) -> None:
    call, template, base = with_data_page(wiki, "stored")
    page = "Partnerships/Ampersands & accents é"
    text = f"{call}|partner=<b>a</b> < b & c, e\u0301 😀|status=Spring|flags=x\u2028y}}}}"
    data = check_and_save(wiki, base, {page: (text, 3)}, template)

    assert wiki.text(base) == data[base]
    info = wiki.get(action="query", titles=base, prop="info")["query"]["pages"][0]
    assert info["contentmodel"] == "json"


def test_each_page_finds_its_findings_in_its_shard(wiki: WikiClient) -> None:
    call, template, base = with_data_page(wiki, "sharded")
    titles = [f"Partnerships/Shard test {n} é" for n in range(40)] + ["2024"]
    texts = {t: (f"{call}|partner=P|status=sleeping {n}}}}}", n) for n, t in enumerate(titles)}
    data = check_and_save(wiki, base, texts, template, max_bytes=14_000)
    shards = json.loads(data[base])["shards"]
    assert shards > 2

    for title in [titles[0], titles[17], titles[39], "2024"]:
        (box,) = boxes(render(wiki, texts[title][0], title=title)["text"])
        assert f"sleeping {texts[title][1]}" in box, (title, shard_of(title, shards))
        assert checked_revision(box) == str(texts[title][1])


def test_two_infoboxes_with_marked_up_names_each_find_their_own_record(
    wiki: WikiClient,
) -> None:
    call, template, base = with_data_page(wiki, "two")
    page = "Partnerships/Two infoboxes"
    first = f"{call}|name=[[Harbour Museum|Harbour]] ''residency''|partner=A|status=active}}}}"
    second = f"{call}|name=''[[Second]]'' partnership|partner=B|status=sleeping}}}}"
    text = f"{first}\n{second}"
    check_and_save(wiki, base, {page: (text, 9)}, template)

    one, two = boxes(render(wiki, text, title=page)["text"])
    assert "Not yet checked" not in one + two
    assert ("status-invalid", "status") not in rules_shown(one, "bot")
    assert ("status-invalid", "status") in rules_shown(two, "bot")
    assert ("multiple-infoboxes", "") in rules_shown(one, "bot")
    assert checked_revision(one) == checked_revision(two) == "9"

    reordered = f"{second}\n{first}"
    two_first, one_second = boxes(render(wiki, reordered, title=page)["text"])
    assert ("status-invalid", "status") in rules_shown(two_first, "bot")
    assert ("status-invalid", "status") not in rules_shown(one_second, "bot")


def test_only_the_edited_infobox_of_two_says_it_changed(wiki: WikiClient) -> None:
    call, template, base = with_data_page(wiki, "two edited")
    page = "Partnerships/Two infoboxes edited"
    first = f"{call}|name=''First''|partner=A|status=active}}}}"
    second = f"{call}|name=[[Second]]|partner=B|status=active}}}}"
    check_and_save(wiki, base, {page: (f"{first}\n{second}", 12)}, template)

    edited = second.replace("status=active", "status=on hold")
    one, two = boxes(render(wiki, f"{first}\n{edited}", title=page)["text"])
    assert "has changed since" not in one
    assert "The bot checked revision 12; this infobox has changed since." in two
    assert rules_shown(two, "infobox")


def test_missing_data_page_means_not_yet_checked(wiki: WikiClient) -> None:
    call, _, _ = with_data_page(wiki, "never written")

    (box,) = boxes(render(wiki, f"{call}|name=X|status=active|type=outreach}}}}")["text"])
    assert "Not yet checked by the bot." in box
    assert checked_revision(box) == ""
    assert ("partner-missing", "partner") in rules_shown(box, "infobox")


def test_page_without_an_entry_means_not_yet_checked(wiki: WikiClient) -> None:
    call, template, base = with_data_page(wiki, "other pages")
    check_and_save(wiki, base, {"Elsewhere": (f"{call}|partner=Y}}}}", 1)}, template)

    html_text = render(wiki, f"{call}|name=X}}}}", title="Partnerships/Not in the data")["text"]
    assert "Not yet checked by the bot." in html_text


@pytest.mark.parametrize(
    "content",
    [
        '{"shards": 3, "version": 2}',
        '{"shards": "many", "pages": 5, "version": 2}',
        "[1, 2, 3]",
        '{"version": 2, "pages": {"Partnerships/Damaged": "not a list"}}',
        '{"version": 2, "pages": {"Partnerships/Damaged": {"b": 5}}}',
        '{"version": 2, "rules": 7, "pages": {"Partnerships/Damaged": {"r": "x", "b": [{"s": "x", '
        '"k": 4, "f": [[1, 2], "x", null, ["goals-missing", 5, 6, 7, 8], ["warning-flag", "", "",'
        ' [], "no-such-flag"]]}]}}}',
        '{"version": 1, "pages": {"Partnerships/Damaged": [{"f": [["goals-missing"]]}]}}',
    ],
)
def test_damaged_data_page_never_breaks_the_infobox(wiki: WikiClient, content: str) -> None:
    call, _, base = with_data_page(wiki, "damaged")
    wiki.edit(base, content, contentmodel="json")

    call += "|partner=X|status=active|type=outreach}}"
    html_text = render(wiki, call, title="Partnerships/Damaged")["text"]
    assert 'class="infobox partnership-infobox"' in html_text
    assert "Active" in html_text


def test_data_page_that_is_not_json_is_ignored(wiki: WikiClient) -> None:
    wrapper = "Partnership infobox render test wikitext data"
    wiki.edit("Render test data page", "Just wikitext, not JSON.")
    invoke = "{{#invoke:Partnership infobox|main|findings=Render test data page}}"
    wiki.edit(f"Template:{wrapper}", invoke)

    html_text = render(wiki, f"{{{{{wrapper}|name=X}}}}")["text"]
    assert "Not yet checked by the bot." in html_text


def test_invalid_json_cannot_be_saved_to_a_data_page(wiki: WikiClient) -> None:
    title = "Module:Partnership infobox/render test invalid.json"
    result = wiki.post(action="edit", title=title, text="{not json", contentmodel="json")

    assert result["error"]["code"] == "invalid-json-data"


# --- end to end: the bot's run, then the infobox -------------------------------------------------


def test_infoboxes_checked_by_a_run_show_their_own_findings_until_edited(
    wiki: WikiClient, isolated: Settings
) -> None:
    tag = isolated.template.name.rsplit(" ", 1)[1]
    run_page = f"User:PartnerBot/Run {tag}"
    wiki.edit(run_page, "yes")
    settings = replace(isolated, run=replace(isolated.run, run_page=run_page))
    template = settings.template.name
    invoke = f"{{{{#invoke:Partnership infobox|main|findings={settings.outputs.findings_page}}}}}"
    wiki.edit(f"Template:{template}", invoke)
    first = (
        f"{{{{{template}|name=[[Harbour Museum|Harbour]] ''residency''|partner=A|status=active}}}}"
    )
    second = f"{{{{{template}|name=''[[Second]]'' reading|partner=B|status=sleeping}}}}"
    page = f"Partnerships {tag}/Two infoboxes"
    saved = wiki.edit(page, f"{first}\n{second}")["edit"]["newrevid"]

    assert run_once(settings, today=TODAY).outcome == "ok"
    one, two = boxes(render(wiki, f"{first}\n{second}", title=page)["text"])
    assert checked_revision(one) == checked_revision(two) == str(saved)
    assert ("status-invalid", "status") not in rules_shown(one, "bot")
    assert ("status-invalid", "status") in rules_shown(two, "bot")

    edited = second.replace("sleeping", "on hold")
    wiki.edit(page, f"{first}\n{edited}")
    one, two = boxes(render(wiki, f"{first}\n{edited}", title=page)["text"])
    assert "has changed since" not in one
    assert f"The bot checked revision {saved}; this infobox has changed since." in two
    assert ("status-invalid", "status") not in rules_shown(two, "infobox")
