"""The message bundles on a real MediaWiki: the Lua accessor, the method page, the categories.

Module:Partnership infobox/i18n, over the bundles that Module:Partnership infobox/messages carries,
is run by Scribunto on the local wiki and must compose the same text as
:class:`bot.render.messages.Messages` for every message, in English and in French (the local
wiki's content language is English; a test module asks for another language with
``mw.language.new``). MediaWiki's own plural rules (``lang:convertPlural``) are the oracle
the Python side is compared with.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.i18n_files import load_bundles, load_messages
from bot.render.category_pages import render_category_pages
from bot.render.lua_data import LUA_AREAS
from bot.render.messages import Messages, compile_message
from bot.render.method_page import render_method_page
from bot.resources import load_checklist, load_template_pages
from tests.unit.test_category_pages import STATUSES, TYPES
from tests.unit.test_messages import BUNDLES as EDGE_CASES
from tests.wiki.client import WikiClient

pytestmark = pytest.mark.wiki

ROOT = Path(__file__).resolve().parents[2]
PAGES = load_template_pages(ROOT / "wiki_templates")
TEST_MODULE = "Module:I18n render test"
CASES_PAGE = "Module:I18n render test/cases.json"
#: Composes each case of a JSON data page with the accessor, over the bundles of the wiki plus
#: the page's messages (edge cases the bundles do not have), and returns the texts as JSON.
TEST_MODULE_TEXT = """
local p = {}

function p.run(frame)
	local i18n = require('Module:Partnership infobox/i18n')
	local data = mw.loadJsonData(frame.args[1])
	local bundles = {}
	local shipped = mw.loadData('Module:Partnership infobox/messages')
	for _, source in ipairs({ shipped, data.messages }) do
		for code, messages in pairs(source) do
			bundles[code] = bundles[code] or {}
			for key, text in pairs(messages) do
				bundles[code][key] = text
			end
		end
	end
	local out = {}
	for _, case in ipairs(data.cases) do
		local params = {}
		for _, value in ipairs(case.params) do
			table.insert(params, value)
		end
		table.insert(out, i18n.fromBundles(bundles, case.lang):text(case.key, unpack(params)))
	end
	return mw.text.jsonEncode(out)
end

function p.show(frame)
	local i18n = require('Module:Partnership infobox/i18n')
	local code = frame.args.lang ~= '' and frame.args.lang or nil
	local msg = i18n.new(code)
	local params = {}
	for _, value in ipairs(frame.args) do
		table.insert(params, tonumber(value) or value)
	end
	return msg.code .. ': ' .. msg:text(frame.args.key, unpack(params))
end

return p
"""
COUNTS = (0, 1, 2, 3, 5, 11, 21, 101)
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@pytest.fixture(scope="module")
def wiki(admin_api: WikiClient) -> WikiClient:
    """Return the admin client after saving the template pages and the test module."""
    for title, text in PAGES.items():
        admin_api.edit(title, text, summary="install templates for the message tests")
    admin_api.edit(TEST_MODULE, TEST_MODULE_TEXT, summary="message test module")
    admin_api.post(action="purge", titles="|".join(PAGES), forcelinkupdate=1)
    return admin_api


def plural_params(text: str) -> set[int]:
    """Return the parameter numbers {{PLURAL:}} chooses by in ``text``."""
    return {int(n) for n in re.findall(r"PLURAL\s*:\s*\$(\d+)", text, flags=re.IGNORECASE)}


def cases_for(key: str, text: str, language: str) -> list[dict[str, Any]]:
    """Return cases covering ``key``: every count for a plural parameter, text for the others."""
    compile_message(text)
    numbers = sorted(plural_params(text))
    highest = max((int(n) for n in re.findall(r"\$(\d+)", text)), default=0)
    cases = []
    for count in COUNTS if numbers else (None,):
        params: list[str | int] = [f"«P{n}»" for n in range(1, highest + 1)]
        for n in numbers:
            params[n - 1] = count if count is not None else 0
        cases.append({"lang": language, "key": key, "params": params})
    return cases


def run_on_wiki(wiki: WikiClient, cases: list[dict[str, Any]], extra: dict[str, Any]) -> list[str]:
    data = {"messages": extra, "cases": cases}
    wiki.edit(CASES_PAGE, json.dumps(data, ensure_ascii=False), contentmodel="json")
    result = wiki.post(
        action="expandtemplates", text=f"{{{{#invoke:I18n render test|run|{CASES_PAGE}}}}}",
        prop="wikitext", title="Sandbox",
    )  # fmt: skip
    assert "error" not in result, result
    texts: list[str] = json.loads(result["expandtemplates"]["wikitext"])
    return texts


def python_text(case: dict[str, Any], bundles: dict[str, dict[str, str]] | None = None) -> str:
    """Return the case composed by the bot: with the project's bundles, or with ``bundles``."""
    if bundles is None:
        messages = load_messages(case["lang"])
    else:
        messages = Messages.from_bundles(case["lang"], bundles)
    return messages.text(case["key"], *case["params"])


def test_lua_accessor_composes_every_message_as_the_bot_does(wiki: WikiClient) -> None:
    bundles = load_bundles(
        ROOT / "i18n", tuple(a for a in LUA_AREAS if (ROOT / "i18n" / a).is_dir())
    )
    bundles.pop("qqq")
    cases = [
        case
        for language in ("en", "fr")
        for key in sorted(bundles["en"])
        for case in cases_for(key, bundles[language].get(key, bundles["en"][key]), language)
    ]

    lua = run_on_wiki(wiki, cases, {})

    assert len(cases) > 50
    assert [python_text(case, bundles) for case in cases] == lua


def test_lua_accessor_handles_the_syntax_edge_cases_as_the_bot_does(wiki: WikiClient) -> None:
    # MediaWiki's plural rules for Russian and Arabic, exact forms, links, nesting, trimming.
    cases = [
        {"lang": language, "key": key, "params": params}
        for language in ("en", "fr", "ru", "ar", "pt-br")
        for key in sorted(EDGE_CASES["en"])
        if "$" in EDGE_CASES["en"][key] or "PLURAL" in EDGE_CASES["en"][key]
        for params in ([n, 3] if "$2" in EDGE_CASES["en"][key] else [n] for n in COUNTS)
    ]
    bundles = {code: dict(table) for code, table in EDGE_CASES.items()}

    lua = run_on_wiki(wiki, cases, bundles)

    # MediaWiki writes Arabic numbers with Arabic-Indic digits ($digitTransformTable, which a
    # wiki may turn off with $wgTranslateNumerals); CLDR's default for Arabic is Latin digits.
    latin = [text.translate(ARABIC_DIGITS) for text in lua]
    assert [python_text(case, bundles) for case in cases] == latin
    assert {"3 файла", "21 файл", "11 файлов", "ملفان", "11 ملفًا"} <= set(latin)


def test_numbers_are_formatted_on_both_sides(wiki: WikiClient) -> None:
    key = "partnerbot-infobox-checks-passed"
    cases = [{"lang": lang, "key": key, "params": [1234, 5678]} for lang in ("en", "fr")]

    english, french = run_on_wiki(wiki, cases, {})

    assert english == "1,234 of 5,678 checks passed" == python_text(cases[0])
    # MediaWiki separates French thousands with a no-break space, CLDR with a narrow one.
    assert french == "1\u00a0234 vérifications réussies sur 5\u00a0678"
    assert python_text(cases[1]) == french.replace("\u00a0", "\u202f")


def test_accessor_uses_the_content_language_unless_told(wiki: WikiClient) -> None:
    call = "{{#invoke:I18n render test|show|lang=%s|key=partnerbot-infobox-checks-passed|2|2}}"
    english = wiki.parse(call % "", title="Sandbox")["text"]
    french = wiki.parse(call % "fr", title="Sandbox")["text"]

    assert "en: 2 of 2 checks passed" in english
    assert "fr: 2 vérifications réussies sur 2" in french


def test_unknown_key_is_a_script_error(wiki: WikiClient) -> None:
    html = wiki.parse("{{#invoke:I18n render test|show|key=partnerbot-nowhere}}")["text"]

    assert "scribunto-error" in html


# --- the method page ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_method_page_has_an_anchor_for_every_rule_and_flag(wiki: WikiClient, language: str) -> None:
    checklist = load_checklist(ROOT / "config" / "checklist.toml")
    text = render_method_page(checklist, load_messages(language))

    parsed = wiki.parse(text, title="Partnerships/Method")
    html = parsed["text"]

    ids = re.findall(r'<tr id="([^"]+)"', html)
    assert ids == [r.id for r in checklist.rules] + [f"flag-{f}" for f in checklist.flags]
    assert parsed.get("parsewarnings", []) == []
    assert "scribunto-error" not in html
    rows = re.findall(r"<tr id=.*?</tr>", html, flags=re.DOTALL)
    assert all(row.count("<td") == 2 for row in rows)  # no cell split by a stray pipe
    assert '<table class="wikitable partnerbot-method-flags" id="flags">' in html
    assert 'href="#flags"' in html


# --- the category pages --------------------------------------------------------------------------


def test_every_category_the_infobox_adds_has_its_page(wiki: WikiClient) -> None:
    pages = render_category_pages(
        load_messages("en"), template="Partnership infobox", statuses=STATUSES, types=TYPES
    )
    for page in pages:
        wiki.edit(page.title, page.text, summary="category pages for the message tests")
    types = ", ".join(value for value, _ in TYPES)
    calls = [
        f"{{{{Partnership infobox|name=A|type={types}|status={status}}}}}" for status, _ in STATUSES
    ]
    calls.append("{{Partnership infobox|name=A|type=outreach|status=ended}}")

    seen: dict[str, bool] = {}
    for call in calls:
        for category in wiki.parse(call, title="Partnerships/Category test")["categories"]:
            assert not category.get("missing"), category
            seen[category["category"]] = bool(category.get("hidden"))

    titles = {page.title.removeprefix("Category:").replace(" ", "_"): page for page in pages}
    assert set(seen) <= set(titles)
    assert len(seen) == len(STATUSES) + len(TYPES) + 1
    assert {name: titles[name].hidden for name in seen} == seen
