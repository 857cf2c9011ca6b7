"""Settings are read once from TOML, typed, and resolved against the file's directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import DEFAULT_SETTINGS, SettingsError, load_settings


def test_shipped_settings_point_at_the_local_wiki() -> None:
    settings = load_settings()
    assert (settings.wiki.family, settings.template.name) == ("devwiki", "Partnership infobox")
    assert settings.checklist_path == DEFAULT_SETTINGS.parent / "checklist.toml"
    assert settings.checklist_path.is_file()


def test_meta_settings_load() -> None:
    settings = load_settings(DEFAULT_SETTINGS.parent / "meta.toml")
    assert settings.wiki.put_throttle >= 10


def test_relative_paths_are_relative_to_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "s.toml"
    path.parent.mkdir()
    path.write_text(
        '[run]\nstate_url = "sqlite:///data/state.sqlite"\n[paths]\nchecklist = "c.toml"\n'
    )
    settings = load_settings(path)
    assert settings.run.state_url == f"sqlite:///{tmp_path / 'conf' / 'data' / 'state.sqlite'}"
    assert settings.checklist_path == tmp_path / "conf" / "c.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[wiki]\nusre = 'x'\n", r"\[wiki\]: unknown setting\(s\) usre"),
        ("[wikis]\n", "unknown section"),
        ("[run]\nmax_edits = 'many'\n", r"\[run\] max_edits: expected a whole number"),
        ("[template]\nnamespaces = 0\n", r"\[template\] namespaces: expected a list"),
        ("[run]\nbreaker_drop = true\n", r"\[run\] breaker_drop: expected a number"),
        ("not toml at all [", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_section_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=message):
        load_settings(path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="settings file not found"):
        load_settings(tmp_path / "nope.toml")
