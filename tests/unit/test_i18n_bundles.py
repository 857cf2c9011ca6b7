"""The message bundles are complete, documented, used, and reach the wiki's Lua modules.

Every key of ``i18n/<area>/en.json`` must be in ``fr.json`` and ``qqq.json`` and be used by the
code (``bot/``) or the on-wiki modules (``wiki_templates/``), written out as a literal string;
every key the code names must exist in English. The generated Lua message module must equal
what the bundles generate now (``partnerbot build-messages`` rewrites it).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from bot.i18n_files import (
    DOCUMENTATION,
    I18N_DIR,
    LUA_MODULE,
    MessageBundleError,
    load_bundles,
    load_messages,
    lua_module_text,
    read_bundle,
)
from bot.render.messages import compile_message

ROOT = Path(__file__).resolve().parents[2]
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
    return "\n".join(p.read_text(encoding="utf-8") for p in paths if p != LUA_MODULE)


SOURCES = _sources()


def _used(key: str) -> bool:
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


def test_generated_lua_module_is_current() -> None:
    expected = lua_module_text()
    assert LUA_MODULE.read_text(encoding="utf-8") == expected, (
        "the bundles changed: run `partnerbot build-messages`"
    )


def test_generated_lua_module_is_valid_lua() -> None:
    result = subprocess.run(
        ["lua5.1", "-e", f"assert(loadfile({json.dumps(str(LUA_MODULE))}))"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


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
