"""How the infobox shows the checklist, rendered by the local MediaWiki.

The summary at the top says how many checks passed and how many errors, warnings and notes
there are; the findings follow, errors first, each once, linked to their rule on the method
page, folded away (mw-collapsible) when none is an error. The infobox sorts its pages in its
categories by the partnership's name and puts pages with a bot error in a tracking category.
It speaks the page's language; a French page shows no English message.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from bot.i18n_files import load_messages, shown_bundles
from bot.render.lua_data import LUA_AREAS
from bot.render.messages import compile_message
from bot.render.method_page import render_method_page
from bot.resources import load_template_pages
from bot.run.jobs import install_templates
from bot.settings import Settings
from tests.wiki.client import WikiClient
from tests.wiki.infobox_html import (
    BOX_START,
    boxes,
    checked_revision,
    finding_items,
    summary_line,
)
from tests.wiki.infobox_scene import (
    CHECKLIST,
    ROOT,
    categories,
    check_and_save,
    render,
    with_data_page,
)

PAGES = load_template_pages(ROOT / "wiki_templates")
METHOD_PAGE = "Partnerships/Method"
BOT_ERRORS = "Partnership_infoboxes_with_bot_errors"
RANK = {"error": 0, "warning": 1, "info": 2}
#: A partnership with an error (a non-free licence), warnings and notes, as the bot sees it.
MIXED = (
    "|name=Mixed findings|partner=Harbour Museum|status=active|type=content_donation"
    "|led_by=affiliate|affiliate=WM Example|license=CC BY-NC 4.0|flags=tight-deadline"
    "|agreement=none|goals=Scan photos}}"
)
#: The same without the error: warnings and notes only.
WARNINGS_ONLY = MIXED.replace("CC BY-NC 4.0", "CC BY 4.0")
#: Misspellings the infobox judges itself: a value, a parameter, a date.
MISSPELT = (
    "|name=Misspelt|partner=Harbour Museum|status=activ|type=outreach|website=https://h.example"
    "|last_contact=Spring 2025|start_date=2025-04}}"
)


@pytest.fixture(scope="module")
def wiki(admin_api: WikiClient, wiki_settings: Settings) -> WikiClient:
    """Return the admin client: templates installed, the method page saved in English."""
    install_templates(wiki_settings)
    admin_api.post(action="purge", titles="|".join(PAGES), forcelinkupdate=1)
    admin_api.edit(METHOD_PAGE, render_method_page(CHECKLIST, load_messages("en")))
    return admin_api


def only_box(parsed: dict[str, Any]) -> str:
    (box,) = boxes(parsed["text"])
    return box


def checked_box(wiki: WikiClient, name: str, params: str, revision: int = 7) -> str:
    """Return the infobox of a page the bot checked (as it is now), with its own data page."""
    call, template, base = with_data_page(wiki, name)
    page = f"Partnerships/{name}"
    text = call + params
    check_and_save(wiki, base, {page: (text, revision)}, template)
    return only_box(render(wiki, text, title=page))


def summary_block(box: str) -> str:
    """Return the opening tag of the summary block (its classes and attributes)."""
    found = re.search(r'<div class="partnership-infobox-summary[^"]*"[^>]*>', box)
    assert found is not None
    return found.group(0)


# --- order, counts, folding ----------------------------------------------------------------------


def test_errors_come_first_then_warnings_then_notes(wiki: WikiClient) -> None:
    box = checked_box(wiki, "Order", MIXED)

    severities = [item["data-severity"] for item in finding_items(box)]
    assert set(severities) == {"error", "warning", "info"}
    assert severities == sorted(severities, key=RANK.__getitem__)
    assert finding_items(box)[0]["data-rule"] == "license-not-free"
    counts = {s: severities.count(s) for s in RANK}
    line = summary_line(box)
    assert re.search(r"\d+ of \d+ checks passed", line)
    assert f"1 error · {counts['warning']} warnings · {counts['info']} notes" in line


def test_the_summary_comes_before_the_fields(wiki: WikiClient) -> None:
    box = checked_box(wiki, "Summary on top", MIXED)

    assert box.index("partnership-infobox-summary-line") < box.index(">Partnership</th>")


def test_findings_with_an_error_are_open_and_collapsible(wiki: WikiClient) -> None:
    box = checked_box(wiki, "Open", MIXED)

    block = summary_block(box)
    assert "mw-collapsible" in block
    assert "mw-collapsed" not in block
    assert 'data-expandtext="show"' in block
    content = re.search(r'<div class="mw-collapsible-content"[^>]*>\s*<ul', box)
    assert content is not None  # without JavaScript, a plain list
    assert "display:none" not in box.replace(" ", "")


def test_findings_without_an_error_are_folded_away(wiki: WikiClient) -> None:
    box = checked_box(wiki, "Folded", WARNINGS_ONLY)

    assert "mw-collapsible mw-collapsed" in summary_block(box)
    assert "error" not in {item["data-severity"] for item in finding_items(box)}
    assert finding_items(box)  # still in the page, for readers without JavaScript


def test_nothing_to_report_is_one_line_without_a_list(wiki: WikiClient) -> None:
    good = (
        "|name=All good|partner=Harbour Museum|status=prospect|type=outreach"
        "|led_by=affiliate|affiliate=WM Example|coi=none}}"
    )
    box = checked_box(wiki, "Nothing to report", good)

    assert finding_items(box) == []
    assert "mw-collapsible" not in summary_block(box)
    assert "nothing to report" in summary_line(box)


def test_a_changed_infobox_lists_no_finding_twice(wiki: WikiClient) -> None:
    # The bot's findings for revision 7 and the infobox's own checks of the new text overlap
    # (missing fields, a bad status): each is listed once.
    call, template, base = with_data_page(wiki, "No repeats")
    page = "Partnerships/No repeats"
    checked = call + MIXED.replace("status=active", "status=sleeping")
    check_and_save(wiki, base, {page: (checked, 7)}, template)
    edited = checked.replace("|goals=Scan photos", "|goals=Scan photos|colour=blue")

    box = only_box(render(wiki, edited, title=page))
    items = finding_items(box)
    keys = [
        (i["data-rule"], i["data-field"], i["data-reason"], i["data-flag"], i["text"])
        for i in items
    ]
    assert len(keys) == len(set(keys))
    rules_fields = [(i["data-rule"], i["data-field"]) for i in items if not i["data-flag"]]
    assert len(rules_fields) == len(set(rules_fields))
    assert ("status-invalid", "status") in rules_fields
    assert ("unknown-parameter", "colour") in rules_fields
    assert {i["data-origin"] for i in items} == {"bot", "infobox"}
    assert checked_revision(box) == "7"


# --- what each finding says and links to ---------------------------------------------------------


def test_each_finding_links_to_its_rule_on_the_method_page(wiki: WikiClient) -> None:
    box = checked_box(wiki, "Links", MIXED)
    method = wiki.parse(f"{{{{:{METHOD_PAGE}}}}}", title="Sandbox")["text"]
    anchors = set(re.findall(r'<tr id="([^"]+)"', method))

    for item in finding_items(box):
        anchor = f"flag-{item['data-flag']}" if item["data-flag"] else item["data-rule"]
        link = f'href="/index.php?title=Partnerships/Method#{anchor}"'
        assert re.search(rf'data-rule="{item["data-rule"]}"[^>]*>.*?{re.escape(link)}', box, re.S)
        assert anchor in anchors
    assert "about this check" in box
    assert "flag-tight-deadline" in box


def test_the_method_page_is_the_one_the_wiki_names(wiki: WikiClient) -> None:
    call, _, _ = with_data_page(wiki, "Own method page", "|method=Help:Partnership checks")
    text = call + "|name=X|status=active|type=outreach}}"

    missing = only_box(render(wiki, text))
    wiki.edit("Help:Partnership checks", render_method_page(CHECKLIST, load_messages("en")))
    box = only_box(render(wiki, text))
    assert "about this check" not in missing  # no link to a page that does not exist
    assert "Help:Partnership_checks#partner-missing" in box
    assert "Partnerships/Method" not in box


def test_misspellings_say_what_was_probably_meant(wiki: WikiClient) -> None:
    call, _, _ = with_data_page(wiki, "Misspelt")

    box = only_box(render(wiki, call + MISSPELT))
    suggestions = {i["data-field"]: i.get("data-suggestion") for i in finding_items(box)}
    assert suggestions["status"] == "active"
    assert suggestions["website"] == "partner_website"
    assert "did you mean “active”?" in html.unescape(box)
    assert "did you mean “partner_website”?" in html.unescape(box)
    row = re.search(r">Status</th>.*?</td>", box, re.S)
    assert row is not None
    assert "did you mean “Active”?" in html.unescape(row.group(0))


def test_dates_are_written_in_the_language_not_as_timestamps(wiki: WikiClient) -> None:
    box = checked_box(
        wiki, "Dates", MIXED.replace("}}", "|start_date=2025-04-01|end_date=2027-03}}")
    )

    text = html.unescape(re.sub(r"<[^>]+>", "", box))
    assert "Checked on 1 June 2026, revision 7." in text
    assert "1 April 2025" in text
    assert "March 2027" in text
    assert "T09:30" not in text
    assert 'href="/index.php?title=Special:PermanentLink/7"' in box


def test_a_paused_partnership_is_still_checked_and_says_the_bot_is_paused(
    wiki: WikiClient,
) -> None:
    box = checked_box(wiki, "Paused", MIXED.replace("}}", "|bot=no}}"))

    assert "The bot is paused for this partnership" in html.unescape(box)
    assert {i["data-origin"] for i in finding_items(box)} == {"bot"}
    assert finding_items(box)[0]["data-rule"] == "license-not-free"


# --- categories ----------------------------------------------------------------------------------


def test_a_bot_error_puts_the_page_in_the_bot_errors_category(wiki: WikiClient) -> None:
    call, template, base = with_data_page(wiki, "Bot errors")
    with_error, without = "Partnerships/Bot error", "Partnerships/No bot error"
    texts = {with_error: (call + MIXED, 3), without: (call + WARNINGS_ONLY, 4)}
    check_and_save(wiki, base, texts, template)

    assert BOT_ERRORS in categories(render(wiki, texts[with_error][0], title=with_error))
    assert BOT_ERRORS not in categories(render(wiki, texts[without][0], title=without))
    # Until the bot checks again, an edit does not take the page out of the category.
    edited = texts[with_error][0].replace("|goals=Scan photos", "")
    assert BOT_ERRORS in categories(render(wiki, edited, title=with_error))


def test_the_bot_errors_category_has_the_name_the_category_pages_use() -> None:
    name = load_messages("en").text("partnerbot-categories-bot-errors-name")
    assert name.replace(" ", "_") == BOT_ERRORS


def saved_sort_keys(wiki: WikiClient, title: str, text: str) -> dict[str, str]:
    """Save the page and return its categories with the sort key prefix MediaWiki stored."""
    wiki.edit(title, text)
    wiki.post(action="purge", titles=title, forcelinkupdate=1)
    result = wiki.get(action="query", prop="categories", titles=title, clprop="sortkey|hidden")
    (page,) = result["query"]["pages"]
    return {c["title"]: c["sortkeyprefix"] for c in page.get("categories", [])}


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ("|name=[[Harbour Museum|Harbour]] ''residency''|partner=P", "Harbour residency"),
        ("|name='''Zoë''' & {{!}}Co [[x]]|partner=P", "Zoë & Co x"),
        ("|partner=[[Riverside Library]]", "Riverside Library"),
        ("|partner=  ", "Sort key from the title"),
    ],
)
def test_categories_sort_the_page_under_the_partnerships_name(
    wiki: WikiClient, params: str, key: str
) -> None:
    title = "Partnerships/Sort key from the title"
    text = "{{Partnership infobox" + params + "|status=activ|type=outreach, picnic}}"

    keys = saved_sort_keys(wiki, title, text)
    assert set(keys) == {
        "Category:Partnerships of type Outreach",
        "Category:Partnership infoboxes needing attention",
    }
    assert set(keys.values()) == {key}


# --- languages -----------------------------------------------------------------------------------


def english_fragments() -> set[str]:
    """Return the pieces of English message text that French says otherwise.

    Each message of the Lua bundles is cut at its parameters and {{PLURAL:}}; a piece the
    French message also holds (a licence name, a parameter name) is left out, as is a piece of
    fewer than four letters. Category names are in the wiki's language, not the page's.
    """
    bundles = shown_bundles(areas=LUA_AREAS)
    english, french = bundles["en"], bundles["fr"]
    fragments = set()
    for key, text in english.items():
        if key.startswith("partnerbot-categories-") or key.endswith("-format"):
            continue
        compile_message(text)
        for part in re.split(r"\$\d+|\{\{PLURAL:[^}]*\}\}|[“”\"]", text):
            fragment = part.strip(" .,:;()?…")
            if len(fragment) >= 4 and fragment not in french[key]:
                fragments.add(fragment)
    return fragments


def english_shown(text: str, written: str) -> list[str]:
    """Return the English fragments in ``text`` (single words as whole words), but those the
    editor wrote in the infobox (``written``: a value such as none is shown as written)."""
    return sorted(
        fragment
        for fragment in english_fragments()
        if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text) and fragment not in written
    )


def visible_text(box: str) -> str:
    """Return the text a reader sees of an infobox (no tags, no comments, no categories)."""
    box = BOX_START + box[: box.rindex("</table>")]
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<!--.*?-->", " ", box, flags=re.S))
    return re.sub(r"\s+", " ", html.unescape(text))


def test_a_french_page_shows_no_english_message(wiki: WikiClient, devwiki: Any) -> None:
    # Pages in another language than the wiki (Special:PageLanguage), as translations on
    # Meta-Wiki: the infobox speaks the page's language, categories keep the wiki's names.
    credentials = devwiki.credentials()
    admin = WikiClient(devwiki.api_url, credentials["admin_user"], credentials["admin_password"])
    call, template, base = with_data_page(wiki, "French")
    title = "Partnerships/Partenariat en français"
    text = call + MIXED.replace("|goals=Scan photos", "|start_date=2025-04|colour=bleu")
    wiki.edit(title, text)
    language = admin.post(
        action="setpagelanguage", title=title, lang="fr", token=admin.csrf_token()
    )
    assert "error" not in language, language
    check_and_save(wiki, base, {title: (text.replace("|colour=bleu", ""), 11)}, template)

    parsed = render(wiki, text, title=title)
    box, shown = only_box(parsed), visible_text(only_box(parsed))
    assert english_shown(shown, text) == []
    assert len(english_fragments()) > 300
    assert "Liste de contrôle" in shown
    assert "Erreur" in shown
    assert "avril 2025" in shown
    assert "Vérifié le 1 juin 2026" in shown
    assert "« colour » n’est pas un paramètre de l’infobox" in shown
    assert 'data-expandtext="afficher"' in box
    assert "Partnerships_of_type_Content_donation" in categories(parsed)


def test_the_invoke_can_name_the_language(wiki: WikiClient) -> None:
    call, _, _ = with_data_page(wiki, "Lang argument", "|lang=fr")

    text = call + "|name=X|status=activ|type=outreach}}"
    shown = visible_text(only_box(render(wiki, text)))
    assert "Pas encore vérifié par le bot." in shown
    assert "vouliez-vous dire « active » ?" in shown
    assert english_shown(shown, text) == []
