"""The infobox contract: the parser, the Lua module and the TemplateData agree.

The Lua data module and the shard hash are checked by running them with ``lua5.1`` (the
interpreter Scribunto uses on the local wiki), on the page texts ``install-templates`` saves.
"""

from __future__ import annotations

import json
import re
import subprocess
import typing
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from bot.model import PartnershipRecord, WikiDate
from bot.parse.coerce import record_attribute
from bot.parse.records import PARAMETERS, parse_page, parse_value
from bot.render.findings_json import shard_of, shard_title, with_detail
from bot.resources import TemplatePagesError, load_template_pages

TEMPLATES = Path(__file__).resolve().parents[2] / "wiki_templates"
PAGES = load_template_pages(TEMPLATES)
DOC = PAGES["Template:Partnership infobox/doc"]

#: Serialises a Lua value as JSON (tables with a sequence part become arrays).
_LUA_DUMP = r"""
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
                        ("checklist.lua", "Module:Partnership infobox/checklist")):  # fmt: skip
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
def module_params(module_data: dict[str, Any]) -> list[dict[str, str]]:
    return [param for group in module_data["groups"] for param in group["params"]]


def templatedata(text: str) -> dict[str, Any]:
    found = re.search(r"<templatedata>(.*?)</templatedata>", text, re.DOTALL)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


TEMPLATEDATA = templatedata(DOC)


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


# --- the three lists of parameters ----------------------------------------------------------


def test_module_reads_the_parsers_parameters_in_contract_order(
    module_params: list[dict[str, str]],
) -> None:
    assert [param["name"] for param in module_params] == list(PARAMETERS)


def test_templatedata_lists_the_parsers_parameters_in_contract_order() -> None:
    assert list(TEMPLATEDATA["params"]) == list(PARAMETERS)
    assert TEMPLATEDATA["paramOrder"] == list(PARAMETERS)
    grouped = [name for group in TEMPLATEDATA["sets"] for name in group["params"]]
    assert grouped == list(PARAMETERS)


def test_templatedata_labels_are_the_infobox_labels(module_params: list[dict[str, str]]) -> None:
    labels = {name: param["label"] for name, param in TEMPLATEDATA["params"].items()}

    assert labels == {param["name"]: param["label"] for param in module_params}


def test_infobox_groups_follow_the_contract_groups(module_data: dict[str, Any]) -> None:
    groups = [group["id"] for group in module_data["groups"]]

    assert groups == [
        "identity", "lifecycle", "substance", "people", "agreement", "content", "evaluation",
        "risk", "bot",
    ]  # fmt: skip
    assert [group["label"] for group in module_data["groups"]] == [
        group["label"] for group in TEMPLATEDATA["sets"]
    ]


# --- vocabularies -----------------------------------------------------------------------------


def test_every_enum_parameter_uses_the_models_vocabulary(
    module_data: dict[str, Any], module_params: list[dict[str, str]]
) -> None:
    for param in module_params:
        enum = enum_of(param["name"])
        values = [value for value, _ in module_data["vocabularies"].get(param.get("vocab"), [])]
        assert values == ([member.value for member in enum] if enum else []), param["name"]
        is_list = any(typing.get_origin(hint) is tuple for hint in record_type(param["name"]))
        expected_kind = None if enum is None else "enums" if is_list else "enum"
        assert (param["kind"] if "vocab" in param else None) == expected_kind, param["name"]


def test_templatedata_suggests_exactly_the_models_values() -> None:
    for name, param in TEMPLATEDATA["params"].items():
        enum = enum_of(name)
        if enum is not None:
            assert param["suggestedvalues"] == [member.value for member in enum], name


def test_every_vocabulary_value_has_a_distinct_label(module_data: dict[str, Any]) -> None:
    for vocab, entries in module_data["vocabularies"].items():
        labels = [label for _, label in entries]
        assert len(set(labels)) == len(labels), vocab
        assert all(label and label[0].isupper() for label in labels), vocab


def test_doc_tables_of_allowed_values_match_the_module(
    module_data: dict[str, Any], module_params: list[dict[str, str]]
) -> None:
    for param in module_params:
        if "vocab" in param:
            section = DOC.split(f"; <code>{param['name']}</code>", 1)[1].split("|}", 1)[0]
            rows = re.findall(r"^\| <code>([a-z_]+)</code> \|\| (.+)$", section, re.MULTILINE)
            entries = module_data["vocabularies"][param["vocab"]]
            assert rows == [tuple(entry) for entry in entries], param["name"]


def test_yes_no_words_are_those_the_parser_accepts(
    module_data: dict[str, Any], module_params: list[dict[str, str]]
) -> None:
    words = ("yes", "no", "y", "n", "true", "false", "1", "0", "on", "off", "ja", "maybe")
    for word in words:
        parsed, problems = parse_value("money_exchanged", word)
        assert module_data["booleans"].get(word) == (None if problems else parsed), word
    for param in module_params:
        is_bool = bool in record_type(param["name"])
        assert (param["kind"] == "yesno") == is_bool, param["name"]
        if is_bool:
            assert TEMPLATEDATA["params"][param["name"]]["suggestedvalues"] == ["yes", "no"]


def test_date_parameters_are_dates_everywhere(module_params: list[dict[str, str]]) -> None:
    for param in module_params:
        is_date = bool(record_type(param["name"]) & {WikiDate})
        assert (param["kind"] == "date") == is_date, param["name"]
        assert (TEMPLATEDATA["params"][param["name"]]["type"] == "date") == is_date


# --- TemplateData as the extension validates it ---------------------------------------------


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
        assert param["label"], name
        assert param["description"], name


def test_required_parameters_agree_with_the_module(module_data: dict[str, Any]) -> None:
    required = {name for name, param in TEMPLATEDATA["params"].items() if param.get("required")}
    suggested = {name for name, param in TEMPLATEDATA["params"].items() if param.get("suggested")}

    assert required == set(module_data["required"])
    assert set(module_data["requiredOneOf"]) <= suggested


# --- the doc page and the other pages ---------------------------------------------------------


def test_doc_examples_are_valid_infoboxes_for_the_parser() -> None:
    examples = re.findall(r"^\{\{Partnership infobox\n.*?^\}\}", DOC, re.MULTILINE | re.DOTALL)
    assert len(examples) == 2
    for example in examples:
        page = parse_page("Partnerships/Example", example)
        assert [record.problems for record in page.records] == [()]


def test_doc_code_samples_show_no_live_template_calls() -> None:
    for sample in re.findall(r"<pre>(.*?)</pre>", DOC, re.DOTALL):
        assert "{{" not in sample
        assert "&#123;&#123;Partnership infobox" in sample


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
      io.write(checklist.shardOf(title, tonumber(shards)), '\\n')
    end
    """
    output = run_lua(script, tmp_path, "".join(f"{k}\t{t}\n" for t, k in cases))

    assert output.split() == [str(shard_of(title, shards)) for title, shards in cases]


def test_module_names_shards_and_messages_as_the_bot_does(tmp_path: Path) -> None:
    script = """
    local checklist = dofile('checklist.lua')
    io.write(encode({checklist.shardTitle('Module:Partnership infobox/findings.json', 3),
      checklist.withDetail('The status is missing.', 'Spring'),
      checklist.withDetail('No full stop', 'x'), checklist.withDetail('Plain.', '')}))
    """
    expected = [
        shard_title("Module:Partnership infobox/findings.json", 3),
        with_detail("The status is missing.", "Spring"),
        with_detail("No full stop", "x"),
        with_detail("Plain.", ""),
    ]

    assert json.loads(run_lua(script, tmp_path)) == expected


# --- reading the directory ----------------------------------------------------------------------


def test_manifest_lists_every_page_of_the_toolkit() -> None:
    assert set(PAGES) == {
        "Template:Partnership infobox",
        "Template:Partnership infobox/doc",
        "Template:Partnership notice",
        "Module:Partnership infobox",
        "Module:Partnership infobox/data",
        "Module:Partnership infobox/checklist",
        "Module:Partnership infobox/i18n",
        "Module:Partnership infobox/doc",
    }
    order = list(PAGES)
    assert order.index("Template:Partnership infobox/doc") < order.index(
        "Template:Partnership infobox"
    )
    assert order.index("Module:Partnership infobox/checklist") < order.index(
        "Module:Partnership infobox"
    )


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
