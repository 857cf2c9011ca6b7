"""The README's repository map lists every folder of the tree, one layer each, and no other."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mapped_folders() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Repository map", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)/` \|", section, flags=re.MULTILINE))


def test_every_layer_folder_is_on_the_map_and_nothing_else() -> None:
    layers = {
        f"bot/{path.name}" for path in (ROOT / "bot").iterdir() if (path / "__init__.py").exists()
    }
    tops = {
        path.name
        for path in ROOT.iterdir()
        if path.is_dir()
        and not path.name.startswith(".")
        and path.name not in {"bot", "tests"}
        and not path.name.endswith(".egg-info")
        and path.name not in {"screenshots", "build"}
    }
    tests = {
        f"tests/{path.name}"
        for path in (ROOT / "tests").iterdir()
        if path.is_dir() and not path.name.startswith("_")
    }
    expected = layers | tops | tests
    assert sorted(expected) == sorted(mapped_folders())
