"""The layers keep their promises, checked over folders rather than a hand-kept list of modules.

- The pure core (every module under ``bot/parse``, ``bot/checklist``, ``bot/render``,
  ``bot/pages``, plus ``bot/model.py``; and ``bot/events``, ``bot/usage``, ``bot/contract.py``
  as soon as they exist) imports no network, database or scheduler library, and reads no file,
  clock or environment: data in, data out.
- Only ``bot/io`` sends requests: no other folder imports an HTTP library or pywikibot, except
  the composition layers that hand a gateway around (``bot/run``), the local wiki's own
  tooling (``bot/devwiki``), which talks to php and its own loopback services, and the command
  line's console set-up (``bot/console.py``), which only configures pywikibot's logging.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"
PURE_FOLDERS = ("parse", "checklist", "events", "usage", "render", "pages")
PURE_FILES = ("model.py", "contract.py")

#: Libraries the pure core never imports (top-level package names).
IO_LIBRARIES = frozenset(
    {"pywikibot", "requests", "sqlalchemy", "apscheduler", "urllib3", "pymysql", "matplotlib"}
)
#: Standard modules that give access to files, processes, the network or the clock.
SIDE_EFFECT_MODULES = frozenset(
    {"os", "io", "socket", "http", "urllib", "subprocess", "shutil", "tempfile", "time", "glob"}
    | {"sqlite3", "threading", "multiprocessing", "signal", "logging", "random", "secrets"}
)
#: Calls that read or write files, or read the clock or the environment.
SIDE_EFFECT_CALLS = frozenset(
    {"open", "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob", "rglob"}
    | {"exists", "is_file", "is_dir", "stat", "mkdir", "unlink", "touch", "resolve"}
    | {"now", "today", "utcnow", "getenv", "urlopen", "input", "print"}
)


def pure_modules() -> list[Path]:
    """Return every Python file of the pure core."""
    found = [BOT / name for name in PURE_FILES if (BOT / name).exists()]
    for folder in PURE_FOLDERS:
        found.extend(sorted((BOT / folder).rglob("*.py")))
    return found


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _calls(tree: ast.AST) -> set[str]:
    called: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                called.add(func.id)
            elif isinstance(func, ast.Attribute):
                called.add(func.attr)
    return called


@pytest.mark.parametrize("path", pure_modules(), ids=lambda p: str(p.relative_to(BOT)))
def test_pure_module_does_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = {name.split(".")[0] for name in _imports(tree)}
    assert sorted(roots & (IO_LIBRARIES | SIDE_EFFECT_MODULES)) == []
    assert sorted(_calls(tree) & SIDE_EFFECT_CALLS) == []


def test_pure_core_loads_no_io_library_at_run_time() -> None:
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in pure_modules()
    ]
    program = (
        "import sys\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        f"print(','.join(sorted(m for m in {sorted(IO_LIBRARIES)!r} if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""


def test_the_pure_folders_exist() -> None:
    # The checks above pass vacuously for a folder that was renamed away.
    present = [folder for folder in PURE_FOLDERS if (BOT / folder / "__init__.py").exists()]
    assert len(pure_modules()) > 10
    assert {"parse", "checklist", "render", "pages"} <= set(present)


#: Folders and modules that may import pywikibot or an HTTP library. ``console.py`` sends no
#: request: it routes pywikibot's console logging and reads a family's API URL for a message.
MAY_USE_PYWIKIBOT = frozenset({"io", "run", "devwiki", "console.py"})


@pytest.mark.parametrize(
    "path",
    sorted(p for p in BOT.rglob("*.py") if p.relative_to(BOT).parts[0] not in MAY_USE_PYWIKIBOT),
    ids=lambda p: str(p.relative_to(BOT)),
)
def test_only_io_talks_to_the_network(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = {name.split(".")[0] for name in _imports(tree)}
    assert sorted(roots & {"pywikibot", "requests", "urllib3", "socket", "http"}) == []


@pytest.mark.parametrize(
    "path",
    sorted(p for p in BOT.rglob("*.py") if p.relative_to(BOT).parts[0] != "io"),
    ids=lambda p: str(p.relative_to(BOT)),
)
def test_the_raw_edit_and_the_pywikibot_site_stay_inside_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"_edit", "_site"}
    }
    assert sorted(private) == []
