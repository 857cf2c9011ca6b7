"""The message bundles are complete, documented, used, and reach the wiki's Lua modules.

Every key of ``i18n/<area>/en.json`` must be in ``fr.json`` and ``qqq.json`` and be used by the
code (``bot/``) or the hand-written on-wiki pages (``wiki_templates/``), written out as a
literal string; the generated pages, which copy the bundles, do not count as a use. Every key
the code names must exist in English. (The generated pages are compared with what the bundles
generate now in ``tests/unit/test_templates_contract.py``.)
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from bot.contract import (
    PARAMETERS,
    REASONS,
    Group,
    group_label_key,
    reason_key,
    value_label_key,
)
from bot.i18n_files import (
    DOCUMENTATION,
    I18N_DIR,
    MessageBundleError,
    load_bundles,
    load_messages,
    read_bundle,
    shown_bundles,
)
from bot.render.lua_data import LUA_AREAS
from bot.render.messages import compile_message
from bot.resources import GENERATED_DATA, GENERATED_MESSAGES, GENERATED_REFERENCE, load_checklist

ROOT = Path(__file__).resolve().parents[2]
GENERATED = {ROOT / "wiki_templates" / name for name in (GENERATED_DATA, GENERATED_MESSAGES,
                                                          GENERATED_REFERENCE)}  # fmt: skip
BUNDLES = load_bundles()
ENGLISH = BUNDLES["en"]
#: Languages whose bundles must be complete.
COMPLETE = ("fr", DOCUMENTATION)
#: Areas other parts of the project will add; their keys in the code are checked too.
PLANNED_AREAS = ("tables", "checklist", "notices", "usage", "report")


def _sources() -> str:
    """Return the code and on-wiki sources that may name message keys, as one text."""
    paths = [*sorted((ROOT / "bot").rglob("*.py"))]
    for suffix in ("*.lua", "*.wikitext"):
        paths += sorted((ROOT / "wiki_templates").rglob(suffix))
    return "\n".join(p.read_text(encoding="utf-8") for p in paths if p not in GENERATED)


SOURCES = _sources()


def _derived_keys() -> set[str]:
    """Return the keys the code builds from the contract's and the checklist's ids at run time."""
    checklist = load_checklist(ROOT / "config" / "checklist.toml")
    keys = {group_label_key(group) for group in Group}
    for p in PARAMETERS:
        keys |= {p.label_key, p.description_key}
        keys |= {value_label_key(p.name, value) for value in p.values if p.vocabulary}
    keys |= {f"partnerbot-checklist-rule-{rule.id}" for rule in checklist.rules}
    for flag in checklist.flags:
        keys |= {f"partnerbot-checklist-flag-{flag}-label"}
        keys |= {f"partnerbot-checklist-flag-{flag}-explanation"}
    return keys | {reason_key(reason) for reason in REASONS}


DERIVED = _derived_keys()


def _used(key: str) -> bool:
    if key in DERIVED:
        return True
    return re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", SOURCES) is not None


def _params(text: str) -> set[str]:
    return set(re.findall(r"\$\d+", text))


@pytest.mark.parametrize("language", COMPLETE)
def test_every_english_message_is_in_the_bundle(language: str) -> None:
    assert sorted(set(ENGLISH) - set(BUNDLES[language])) == []


@pytest.mark.parametrize("language", sorted(set(BUNDLES) - {"en"}))
def test_no_message_exists_only_in_a_translation(language: str) -> None:
    assert sorted(set(BUNDLES[language]) - set(ENGLISH)) == []


def test_every_message_is_used_in_the_code_or_the_lua_modules() -> None:
    # A key built from an id of the contract or the checklist (a rule, a flag, a reason, a
    # parameter, a value) is used wherever that id is; the others must be written out.
    unused = [key for key in ENGLISH if not _used(key)]
    assert unused == []


def test_every_key_the_code_names_is_in_english() -> None:
    areas = "|".join(sorted({*PLANNED_AREAS, *(p.name for p in I18N_DIR.iterdir())}))
    named = set(
        re.findall(rf"[\"'](partnerbot-(?:{areas})-[a-z0-9]+(?:-[a-z0-9]+)*)[\"']", SOURCES)
    )
    assert sorted(named - set(ENGLISH)) == []


@pytest.mark.parametrize("language", sorted(set(BUNDLES) - {DOCUMENTATION}))
def test_every_message_compiles(language: str) -> None:
    for key, text in BUNDLES[language].items():
        try:
            compile_message(text)
        except ValueError as error:
            pytest.fail(f"{language}.json {key}: {error}")


@pytest.mark.parametrize("language", sorted(set(BUNDLES) - {"en", DOCUMENTATION}))
def test_translations_use_only_the_english_parameters(language: str) -> None:
    extra = {
        key: sorted(_params(text) - _params(ENGLISH[key]))
        for key, text in BUNDLES[language].items()
        if _params(text) - _params(ENGLISH[key])
    }
    assert extra == {}


def test_documentation_describes_every_parameter() -> None:
    documentation = BUNDLES[DOCUMENTATION]
    undocumented = {
        key: sorted(_params(text) - _params(documentation[key]))
        for key, text in ENGLISH.items()
        if _params(text) - _params(documentation[key])
    }
    assert undocumented == {}


def test_documentation_is_not_a_copy_of_the_english_text() -> None:
    documentation = BUNDLES[DOCUMENTATION]
    assert [key for key, text in ENGLISH.items() if documentation[key].strip() == text] == []


def test_keys_are_prefixed_with_their_area() -> None:
    for area in (p for p in I18N_DIR.iterdir() if p.is_dir()):
        for path in area.glob("*.json"):
            assert all(key.startswith(f"partnerbot-{area.name}-") for key in read_bundle(path))


def test_every_lua_module_compiles() -> None:
    modules = sorted((ROOT / "wiki_templates" / "module").glob("*.lua"))
    checks = "".join(f"assert(loadfile({json.dumps(str(path))}))\n" for path in modules)
    result = subprocess.run(
        ["lua5.1", "-e", checks], capture_output=True, text=True, check=False, timeout=60
    )
    assert len(modules) >= 8
    assert result.returncode == 0, result.stderr


def test_lua_areas_are_bundles_the_loader_reads() -> None:
    bundles = shown_bundles(areas=LUA_AREAS)
    assert set(bundles) == {"en", "fr"}
    assert all(key.startswith(tuple(f"partnerbot-{a}-" for a in LUA_AREAS)) for key in ENGLISH
               if key in bundles["en"])  # fmt: skip


def test_wiki_language_messages_load() -> None:
    assert load_messages("fr").text("partnerbot-method-rules-heading") == "Règles"
    assert load_messages("de").text("partnerbot-method-rules-heading") == "Rules"


# --- the loader's errors -------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_json_names_the_file(tmp_path: Path) -> None:
    broken = write(tmp_path / "method" / "en.json", '{"partnerbot-method-a": "A",}')
    with pytest.raises(MessageBundleError, match=re.escape(str(broken)) + ".*line 1"):
        load_messages("en", tmp_path)


def test_key_outside_its_area_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "method" / "en.json", '{"partnerbot-tables-a": "A"}')
    with pytest.raises(MessageBundleError, match="must start with partnerbot-method-"):
        load_bundles(tmp_path)


def test_message_that_is_not_text_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "method" / "en.json", '{"partnerbot-method-a": 3}')
    with pytest.raises(MessageBundleError, match="partnerbot-method-a: expected text"):
        load_bundles(tmp_path)


def test_bundle_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "method" / "en.json", '["partnerbot-method-a"]')
    with pytest.raises(MessageBundleError, match="expected a JSON object"):
        load_bundles(tmp_path)


def test_area_without_english_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "method" / "fr.json", '{"partnerbot-method-a": "A"}')
    with pytest.raises(MessageBundleError, match=r"no en\.json"):
        load_bundles(tmp_path)


def test_file_not_named_after_a_language_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "method" / "en.json", '{"partnerbot-method-a": "A"}')
    write(tmp_path / "method" / "French.json", '{"partnerbot-method-a": "A"}')
    with pytest.raises(MessageBundleError, match=r"French\.json"):
        load_bundles(tmp_path)


def test_key_given_twice_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path / "method" / "en.json", '{"partnerbot-method-a": "A", "partnerbot-method-a": "B"}'
    )
    with pytest.raises(MessageBundleError, match="partnerbot-method-a is given twice"):
        load_bundles(tmp_path)


def test_metadata_is_not_a_message(tmp_path: Path) -> None:
    write(
        tmp_path / "method" / "en.json",
        '{"@metadata": {"authors": []}, "partnerbot-method-a": "A"}',
    )
    assert load_bundles(tmp_path) == {"en": {"partnerbot-method-a": "A"}}
