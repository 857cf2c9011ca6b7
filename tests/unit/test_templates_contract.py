"""The infobox contract: one table, and everything on the wiki generated from it and agreeing.

The Lua data module, the messages module and the TemplateData are generated from
``bot/contract.py``, ``config/checklist.toml`` and ``i18n/``; these tests fail when the committed
files are stale, and check what the generated files say against the parser and the model. The
Lua code is run with ``lua5.1`` (the interpreter Scribunto uses on the local wiki) where it needs
no MediaWiki library.
"""

from __future__ import annotations

import difflib
import json
import random
import re
import shutil
import subprocess
import sys
import typing
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from bot.checklist.instant import JUDGED_PROBLEMS, instant_rules
from bot.contract import (
    BY_NAME,
    NAMES,
    PARAMETERS,
    REASONS,
    Group,
    Kind,
    group_label_key,
    value_label_key,
)
from bot.i18n_files import load_bundles
from bot.model import PartnershipRecord, WikiDate
from bot.parse.coerce import record_attribute
from bot.parse.records import PARAMETERS as PARSER_PARAMETERS
from bot.parse.records import parse_page, parse_value
from bot.render.findings_json import shard_of, shard_title
from bot.render.lua_data import whitespace_characters
from bot.resources import (
    GENERATED_DATA,
    GENERATED_MESSAGES,
    GENERATED_REFERENCE,
    TemplatePagesError,
    generated_template_files,
    load_checklist,
    load_template_pages,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "wiki_templates"
CHECKLIST_PATH = ROOT / "config" / "checklist.toml"
CHECKLIST = load_checklist(CHECKLIST_PATH)
PAGES = load_template_pages(TEMPLATES)
DOC = PAGES["Template:Partnership infobox/doc"]
REFERENCE = PAGES["Template:Partnership infobox/parameters"]
INFOBOX = load_bundles(areas=("infobox",))
CHECKS = load_bundles(areas=("checklist",))
CATEGORIES = load_bundles(areas=("categories",))
USAGE = load_bundles(areas=("usage",))

#: Serialises a Lua value as JSON (tables with a sequence part become arrays).
_LUA_DUMP = r"""
mw = { ustring = string, text = {}, html = {} }
local function encode(v)
  local kind = type(v)
  if kind == 'string' then
    local escape = function(c) return string.format('\\u%04x', c:byte()) end
    return '"' .. v:gsub('[%c"\\]', escape) .. '"'
  elseif kind == 'number' or kind == 'boolean' then
    return tostring(v)
  end
  local parts = {}
  if #v > 0 then
    for _, item in ipairs(v) do parts[#parts + 1] = encode(item) end
    return '[' .. table.concat(parts, ',') .. ']'
  end
  for key, item in pairs(v) do parts[#parts + 1] = encode(tostring(key)) .. ':' .. encode(item) end
  return '{' .. table.concat(parts, ',') .. '}'
end
"""


def run_lua(script: str, tmp_path: Path, stdin: str = "") -> str:
    """Run ``script`` with lua5.1, the module pages available as files in ``tmp_path``."""
    for name, title in (("data.lua", "Module:Partnership infobox/data"),
                        ("messages.lua", "Module:Partnership infobox/messages"),
                        ("checklist.lua", "Module:Partnership infobox/checklist"),
                        ("summary.lua", "Module:Partnership infobox/summary"),
                        ("similar.lua", "Module:Partnership infobox/similar")):  # fmt: skip
        (tmp_path / name).write_text(PAGES[title], encoding="utf-8")
    result = subprocess.run(
        ["lua5.1", "-e", _LUA_DUMP + script],
        cwd=tmp_path,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


@pytest.fixture(scope="module")
def module_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Return Module:Partnership infobox/data as the module sees it."""
    output = run_lua("io.write(encode(dofile('data.lua')))", tmp_path_factory.mktemp("lua"))
    data: dict[str, Any] = json.loads(output)
    return data


@pytest.fixture(scope="module")
def module_messages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Return Module:Partnership infobox/messages as the module sees it."""
    output = run_lua("io.write(encode(dofile('messages.lua')))", tmp_path_factory.mktemp("lua"))
    messages: dict[str, dict[str, str]] = json.loads(output)
    return messages


def templatedata(text: str) -> dict[str, Any]:
    found = re.search(r"<templatedata>(.*?)</templatedata>", text, re.DOTALL)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


TEMPLATEDATA = templatedata(REFERENCE)


def enum_of(parameter: str) -> type[StrEnum] | None:
    """Return the enum the record uses for ``parameter`` (also inside tuples), or None."""
    hint = typing.get_type_hints(PartnershipRecord)[record_attribute(parameter)]
    for candidate in (hint, *typing.get_args(hint)):
        if isinstance(candidate, type) and issubclass(candidate, StrEnum):
            return candidate
    return None


def record_type(parameter: str) -> set[object]:
    hint = typing.get_type_hints(PartnershipRecord)[record_attribute(parameter)]
    return {hint, *typing.get_args(hint)}


# --- one source, generated outward -------------------------------------------------------------


def test_committed_generated_files_are_current() -> None:
    generated = generated_template_files(CHECKLIST_PATH)
    committed = {name: (TEMPLATES / name).read_text(encoding="utf-8") for name in generated}

    stale = [name for name in generated if committed[name] != generated[name]]
    assert stale == [], "run `partnerbot build-templates` and commit the result"


def build_templates(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run ``partnerbot build-templates`` on a copy of the templates in ``tmp_path``."""
    config = tmp_path / "settings.toml"
    config.write_text('[paths]\ntemplates = "templates"\n', encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "build-templates", *options],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_build_templates_check_names_a_stale_page_and_the_command_rewrites_it(
    tmp_path: Path,
) -> None:
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    messages = tmp_path / "templates" / GENERATED_MESSAGES
    messages.write_text(messages.read_text(encoding="utf-8").replace("Checklist", "Checks"))

    stale = build_templates(tmp_path, "--check")
    written = build_templates(tmp_path)
    current = build_templates(tmp_path, "--check")

    assert stale.returncode == 1
    assert f"stale: {GENERATED_MESSAGES}" in stale.stdout
    assert written.returncode == 0
    assert f"wrote {GENERATED_MESSAGES}" in written.stdout
    assert (current.returncode, current.stdout.strip()) == (0, "generated files are current")
    assert messages.read_text(encoding="utf-8") == (TEMPLATES / GENERATED_MESSAGES).read_text()


def test_generated_files_are_the_ones_the_manifest_installs() -> None:
    manifest = (TEMPLATES / "manifest.toml").read_text(encoding="utf-8")

    for name in (GENERATED_DATA, GENERATED_MESSAGES, GENERATED_REFERENCE):
        assert f'"{name}"' in manifest


def test_contract_lists_every_record_field_once_in_group_order() -> None:
    fields = set(typing.get_type_hints(PartnershipRecord)) - {
        "page",
        "index",
        "revid",
        "params",
        "problems",
    }
    assert {p.attribute for p in PARAMETERS} == fields
    assert len(set(NAMES)) == len(NAMES)
    groups = [p.group for p in PARAMETERS]
    assert groups == sorted(groups, key=list(Group).index)
    assert PARSER_PARAMETERS == NAMES


def test_contract_kinds_agree_with_the_record_types() -> None:
    for p in PARAMETERS:
        types = record_type(p.name)
        assert (p.kind is Kind.DATE) == (WikiDate in types), p.name
        assert (p.kind is Kind.BOOLEAN) == (bool in types), p.name
        assert p.is_list == any(typing.get_origin(hint) is tuple for hint in types), p.name
        assert p.vocabulary is enum_of(p.name), p.name


# --- the Lua data module -------------------------------------------------------------------------


def test_module_reads_the_contracts_parameters_in_order(module_data: dict[str, Any]) -> None:
    assert module_data["order"] == list(NAMES)
    grouped = [name for group in module_data["groups"] for name in group["params"]]
    assert grouped == list(NAMES)
    assert [group["id"] for group in module_data["groups"]] == [group.value for group in Group]


def test_module_knows_each_kind_vocabulary_and_problem_rule(module_data: dict[str, Any]) -> None:
    for name, param in module_data["params"].items():
        contract = BY_NAME[name]
        assert param["kind"] == contract.kind.value, name
        assert param.get("values", []) == list(contract.values if contract.vocabulary else ())
        assert param["problem"] == contract.problem_rule, name


def test_yes_no_words_are_those_the_parser_accepts(module_data: dict[str, Any]) -> None:
    words = ("yes", "no", "y", "n", "true", "false", "1", "0", "on", "off", "ja", "maybe")
    for word in words:
        parsed, problems = parse_value("money_exchanged", word)
        assert module_data["booleans"].get(word) == (None if problems else parsed), word


def test_module_trims_the_characters_the_parser_trims(module_data: dict[str, Any]) -> None:
    assert module_data["whitespace"] == whitespace_characters()
    assert "\u00a0" in module_data["whitespace"]
    assert ("\u3000" + "x" + "\u2029").strip() == "x"


def test_instant_rules_are_the_checklists_own(module_data: dict[str, Any]) -> None:
    expected = instant_rules(CHECKLIST)
    rules = {rule.id: rule for rule in CHECKLIST.rules}

    assert [item["rule"] for item in module_data["instant"]] == [item.rule for item in expected]
    for item in module_data["instant"]:
        rule = rules[item["rule"]]
        assert item["severity"] == rule.severity.value
        assert item.get("statuses") == (sorted(rule.statuses) if rule.statuses else None)
    problems = {f for item in expected if item.check == "parser_problem" for f in item.fields}
    assert problems == set(JUDGED_PROBLEMS)
    assert {"required", "required_any", "required_yes", "unknown_flags"} <= {
        item.check for item in expected
    }


def test_module_knows_the_checklists_flags_and_rules(module_data: dict[str, Any]) -> None:
    assert module_data["flags"] == sorted(CHECKLIST.flags)
    assert set(module_data["rules"]) == {rule.id for rule in CHECKLIST.rules}


# --- messages: one place for every label ---------------------------------------------------------


def _infobox_keys() -> set[str]:
    keys = {group_label_key(group) for group in Group}
    for p in PARAMETERS:
        keys |= {p.label_key, p.description_key}
        keys |= {value_label_key(p.name, value) for value in p.values if p.vocabulary}
    return keys


@pytest.mark.parametrize("language", ["en", "fr", "qqq"])
def test_every_parameter_value_and_group_has_a_message(language: str) -> None:
    assert set() == _infobox_keys() - set(INFOBOX[language])
    assert set(INFOBOX["en"]) == set(INFOBOX[language])


def test_the_lua_modules_carry_the_bundles_they_read(module_messages: dict[str, Any]) -> None:
    assert set(module_messages) == {"en", "fr"}
    for language in ("en", "fr"):
        assert module_messages[language] == {
            **CHECKS[language],
            **INFOBOX[language],
            **CATEGORIES[language],
            **USAGE[language],
        }


def test_every_message_the_lua_modules_name_exists(module_messages: dict[str, Any]) -> None:
    named: set[str] = set()
    prefixes: set[str] = set()
    for title, text in PAGES.items():
        if title.startswith("Module:") and not title.endswith(("/data", "/messages")):
            for key in re.findall(r"'(partnerbot-[a-z0-9-]+)'", text):
                (prefixes if key.endswith("-") else named).add(key)
    assert {"partnerbot-categories-status-name", "partnerbot-categories-bot-errors-name"} <= named
    assert set() == named - set(module_messages["en"])
    # A key built at run time starts with a prefix some messages have.
    assert all(any(key.startswith(prefix) for key in module_messages["en"]) for prefix in prefixes)


def test_the_lua_modules_write_no_words_of_their_own() -> None:
    # What a module shows comes from the bundles; the text it writes out itself is markup.
    for title, text in PAGES.items():
        if not title.startswith("Module:") or title.endswith(("/data", "/messages", "/doc")):
            continue
        written = re.findall(r"wikitext\(\s*(?:'([^']*)'|\"([^\"]*)\")", text)
        words = [w for pair in written for w in re.findall(r"[^\W\d_]{2,}", "".join(pair))]
        assert words == [], title


def test_the_infobox_names_its_categories_as_the_category_pages_do() -> None:
    lua = PAGES["Module:Partnership infobox"]

    assert "partnerbot-infobox-category" not in lua
    assert not [key for key in INFOBOX["en"] if "-category-" in key]
    for key in ("status", "type", "attention", "bot-errors"):
        assert f"'partnerbot-categories-{key}-name'" in lua


def test_vocabulary_labels_are_distinct_and_capitalised() -> None:
    for language in ("en", "fr"):
        for p in PARAMETERS:
            if p.vocabulary is None:
                continue
            labels = [INFOBOX[language][value_label_key(p.name, v)] for v in p.values]
            assert len(set(labels)) == len(labels), (language, p.name)
            assert all(label[0].isupper() for label in labels), (language, p.name)


def test_every_reason_has_a_message() -> None:
    assert {f"partnerbot-checklist-reason-{reason}" for reason in REASONS} <= set(CHECKS["en"])


# --- TemplateData ---------------------------------------------------------------------------


def test_templatedata_lists_the_contracts_parameters_in_order() -> None:
    assert list(TEMPLATEDATA["params"]) == list(NAMES)
    assert TEMPLATEDATA["paramOrder"] == list(NAMES)
    grouped = [name for group in TEMPLATEDATA["sets"] for name in group["params"]]
    assert grouped == list(NAMES)


def test_templatedata_labels_are_the_infobox_labels_in_every_language() -> None:
    for name, param in TEMPLATEDATA["params"].items():
        assert param["label"] == {
            "en": INFOBOX["en"][f"partnerbot-infobox-param-{name}-label"],
            "fr": INFOBOX["fr"][f"partnerbot-infobox-param-{name}-label"],
        }
    assert [s["label"]["en"] for s in TEMPLATEDATA["sets"]] == [
        INFOBOX["en"][group_label_key(group)] for group in Group
    ]


def test_templatedata_suggests_the_accepted_values() -> None:
    for name, param in TEMPLATEDATA["params"].items():
        enum = enum_of(name)
        if enum is not None:
            assert param["suggestedvalues"] == [member.value for member in enum], name
        if bool in record_type(name):
            assert param["suggestedvalues"] == ["yes", "no"], name
    assert TEMPLATEDATA["params"]["flags"]["suggestedvalues"] == sorted(CHECKLIST.flags)


def test_templatedata_requires_what_the_checklist_requires_at_every_stage() -> None:
    required = {name for name, param in TEMPLATEDATA["params"].items() if param.get("required")}
    suggested = {name for name, param in TEMPLATEDATA["params"].items() if param.get("suggested")}

    assert required == {"partner", "status"}
    assert {"type", "led_by", "name"} <= suggested


def test_templatedata_uses_only_keys_and_types_the_extension_knows() -> None:
    keys = {"label", "required", "suggested", "description", "example", "deprecated", "aliases",
            "autovalue", "default", "type", "suggestedvalues"}  # fmt: skip
    types = {"content", "line", "number", "boolean", "string", "date", "unbalanced-wikitext",
             "unknown", "url", "wiki-page-name", "wiki-user-name", "wiki-file-name",
             "wiki-template-name"}  # fmt: skip
    assert set(TEMPLATEDATA) <= {"description", "params", "paramOrder", "sets", "format", "maps"}
    assert TEMPLATEDATA["format"] == "block"
    for name, param in TEMPLATEDATA["params"].items():
        assert set(param) <= keys, name
        assert param["type"] in types, name
        assert param["description"]["en"], name


def test_bot_switch_is_described_as_pausing_only_what_reaches_other_people() -> None:
    described = TEMPLATEDATA["params"]["bot"]["description"]["en"]

    assert "still shows the bot's checks" in described
    assert "paused" in described


def test_reference_tables_show_the_infobox_labels() -> None:
    for p in PARAMETERS:
        if p.vocabulary is None:
            continue
        section = REFERENCE.split(f"; <code>{p.name}</code>", 1)[1].split("|}", 1)[0]
        rows = re.findall(r"^\| <code>([a-z_]+)</code> \|\| (.+)$", section, re.MULTILINE)
        assert rows == [(v, INFOBOX["en"][value_label_key(p.name, v)]) for v in p.values]


# --- the doc page and the other pages ---------------------------------------------------------


def test_doc_examples_are_valid_infoboxes_for_the_parser() -> None:
    examples = re.findall(r"^\{\{Partnership infobox\n.*?^\}\}", DOC, re.MULTILINE | re.DOTALL)
    assert len(examples) == 2
    for example in examples:
        page = parse_page("Partnerships/Example", example)
        assert [record.problems for record in page.records] == [()]


def test_doc_code_samples_show_no_live_template_calls() -> None:
    for text in (DOC, REFERENCE):
        for sample in re.findall(r"<pre>(.*?)</pre>", text, re.DOTALL):
            assert "{{" not in sample
            assert "&#123;&#123;Partnership infobox" in sample


def test_doc_describes_bot_no_as_the_design_does() -> None:
    described = DOC.split("<code>bot=no</code>", 1)[1].split("\n", 1)[0]

    assert "still checks" in described
    assert "paused" in described


def test_pages_contain_nothing_that_saving_would_rewrite() -> None:
    for title, text in PAGES.items():
        assert "~~~" not in text, title
        assert "subst:" not in text.lower(), title
        assert text == text.rstrip(), title


def test_template_is_a_thin_wrapper_around_the_module() -> None:
    template = PAGES["Template:Partnership infobox"]

    assert "<includeonly>{{#invoke:Partnership infobox|main}}</includeonly>" in template


# --- the Lua side of the findings data ----------------------------------------------------------


def test_module_finds_the_same_shard_as_the_bot(tmp_path: Path) -> None:
    titles = ["Partnerships/Harbour Museum", "Ünïcode – ĳ 北京 😀", "x" * 300, "A", "2024"]
    titles += [f"Partnerships/Partner {n}" for n in range(200)]
    cases = [(title, shards) for title in titles for shards in (2, 3, 7, 64, 256)]
    script = """
    local checklist = dofile('checklist.lua')
    for line in io.lines() do
      local shards, title = line:match('^(%d+)\\t(.*)$')
      io.write(checklist.shardOf(title, tonumber(shards), 16777216), '\\n')
    end
    """
    output = run_lua(script, tmp_path, "".join(f"{k}\t{t}\n" for t, k in cases))

    assert output.split() == [str(shard_of(title, shards)) for title, shards in cases]


def test_module_names_shards_as_the_bot_does(tmp_path: Path) -> None:
    script = """
    local checklist = dofile('checklist.lua')
    io.write(checklist.shardTitle('Module:Partnership infobox/findings.json', 3))
    """
    expected = shard_title("Module:Partnership infobox/findings.json", 3)

    assert run_lua(script, tmp_path) == expected


def test_module_suggests_the_names_difflib_suggests(tmp_path: Path) -> None:
    chance = random.Random(7)  # noqa: S311 - a fixed, repeatable choice of test words
    words = ["stauts", "Goal", "partner_typ", "led", "tite-deadline", "zzz", "", "flags",
             "start-date", "enddate", "commons_categroy", "brandexploitation", "a"]  # fmt: skip
    alphabet = "abcdeilnorst_-"
    words += [
        "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 14))) for _ in range(300)
    ]
    flags = sorted(CHECKLIST.flags)
    cases = [(w, cands, cutoff) for w in words for cands, cutoff in ((NAMES, 0.75), (flags, 0.6))]
    script = r"""
    mw.ustring.gcodepoint = function (s)
      local i = 0
      return function () i = i + 1; if i <= #s then return s:byte(i) end end
    end
    local similar = dofile('similar.lua')
    local lists = { names = {}, flags = {} }
    for line in io.lines() do
      local kind, cutoff, word = line:match('^(%a+)\t([%d.]+)\t(.*)$')
      if kind == 'name' or kind == 'flag' then
        table.insert(lists[kind .. 's'], word)
      else
        local list = kind == 'n' and lists.names or lists.flags
        io.write(similar.closeMatch(word, list, tonumber(cutoff)) or '-', '\n')
      end
    end
    """
    lines = [f"name\t0\t{name}" for name in NAMES] + [f"flag\t0\t{flag}" for flag in flags]
    lines += [f"{'n' if c is NAMES else 'f'}\t{cutoff}\t{w}" for w, c, cutoff in cases]
    output = run_lua(script, tmp_path, "\n".join(lines) + "\n").split("\n")[:-1]

    expected = [
        (difflib.get_close_matches(w, c, n=1, cutoff=cutoff) or ["-"])[0] for w, c, cutoff in cases
    ]
    assert output == expected


# --- reading the directory ----------------------------------------------------------------------


def test_manifest_lists_every_page_of_the_toolkit() -> None:
    assert set(PAGES) == {
        "Template:Partnership infobox",
        "Template:Partnership infobox/doc",
        "Template:Partnership infobox/parameters",
        "Template:Partnership notice",
        "Module:Partnership infobox",
        "Module:Partnership infobox/data",
        "Module:Partnership infobox/messages",
        "Module:Partnership infobox/judge",
        "Module:Partnership infobox/similar",
        "Module:Partnership infobox/checklist",
        "Module:Partnership infobox/summary",
        "Module:Partnership infobox/fields",
        "Module:Partnership infobox/i18n",
        "Module:Partnership infobox/doc",
    }
    order = list(PAGES)
    for used, user in [
        ("Template:Partnership infobox/parameters", "Template:Partnership infobox/doc"),
        ("Template:Partnership infobox/doc", "Template:Partnership infobox"),
        ("Module:Partnership infobox/checklist", "Module:Partnership infobox"),
        ("Module:Partnership infobox/judge", "Module:Partnership infobox"),
        ("Module:Partnership infobox/similar", "Module:Partnership infobox/judge"),
        ("Module:Partnership infobox/data", "Module:Partnership infobox"),
        ("Module:Partnership infobox/messages", "Module:Partnership infobox/i18n"),
        ("Module:Partnership infobox/i18n", "Module:Partnership infobox"),
        ("Module:Partnership infobox/summary", "Module:Partnership infobox"),
        ("Module:Partnership infobox/fields", "Module:Partnership infobox"),
    ]:
        assert order.index(used) < order.index(user)


def test_unlisted_page_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text('[pages]\n"a.wikitext" = "Template:A"\n')
    (tmp_path / "a.wikitext").write_text("A\r\n\r\n")
    (tmp_path / "forgotten.lua").write_text("return {}")

    with pytest.raises(TemplatePagesError, match=r"forgotten\.lua"):
        load_template_pages(tmp_path)


def test_page_text_is_read_as_mediawiki_saves_it(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text('[pages]\n"a.wikitext" = "Template:A"\n')
    (tmp_path / "a.wikitext").write_bytes(b"line one\r\nline two  \r\n\r\n")

    assert load_template_pages(tmp_path) == {"Template:A": "line one\nline two"}


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ('[pages]\n"missing.wikitext" = "Template:A"\n', "not a file"),
        ('[pages]\n"a.wikitext" = ""\n', "needs a page title"),
        ('[pages]\n"a.wikitext" = "T"\n"./a.wikitext" = "T"\n', "listed twice"),
        ('[pages]\n"../a.wikitext" = "T"\n', "not a file"),
        ("pages = 1\n", r"exactly one table"),
        ("[pages\n", "not valid TOML"),
    ],
)
def test_broken_manifest_is_reported(tmp_path: Path, manifest: str, message: str) -> None:
    (tmp_path / "manifest.toml").write_text(manifest)
    (tmp_path / "a.wikitext").write_text("A")

    with pytest.raises(TemplatePagesError, match=message):
        load_template_pages(tmp_path)
