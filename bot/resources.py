"""Read the project's own data files and hand their contents to the pure core.

The checklist (``config/checklist.toml``) and the on-wiki source (``wiki_templates/``, listed in
its ``manifest.toml``) are data, read here once per job; the core modules never open a file. The
message bundles are read by :mod:`bot.i18n_files`, the one loader. Every problem with a file
raises an error that names the file and what to fix.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

from bot.checklist.assess import Checklist
from bot.checklist.rules import ChecklistError, checklist_from_data
from bot.errors import PartnerbotError
from bot.i18n_files import I18N_DIR, load_messages, shown_bundles
from bot.render.lua_data import LUA_AREAS, render_data_module, render_messages_module
from bot.render.messages import FALLBACK_LANGUAGE
from bot.render.templatedata import reference_page

MANIFEST = "manifest.toml"
#: Files that are wiki pages; anything else in the directory (a README) is not installed.
PAGE_SUFFIXES = (".wikitext", ".lua", ".json", ".css")


class TemplatePagesError(PartnerbotError):
    """The manifest is missing, malformed, or disagrees with the files (the message says how)."""

    hint = "fix wiki_templates/manifest.toml (or the [paths] templates setting)"


def _read_toml(path: Path, error: type[PartnerbotError]) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as failure:
        raise error(f"{path} does not exist") from failure
    except (OSError, UnicodeDecodeError) as failure:
        raise error(f"{path}: cannot read: {failure}") from failure
    except tomllib.TOMLDecodeError as failure:
        raise error(f"{path}: not valid TOML: {failure}") from failure


def load_checklist(path: Path) -> Checklist:
    """Read and validate checklist.toml; the error names the file, the rule and the key."""
    data = _read_toml(path, ChecklistError)
    try:
        return checklist_from_data(data)
    except ChecklistError as error:
        raise ChecklistError(f"{path}: {error}") from error


#: Files of the on-wiki source that are generated (relative to the templates directory).
GENERATED_DATA = "module/partnership_infobox_data.lua"
GENERATED_MESSAGES = "module/partnership_infobox_messages.lua"
GENERATED_REFERENCE = "template/partnership_infobox_parameters.wikitext"


def generated_template_files(checklist_path: Path, directory: Path = I18N_DIR) -> dict[str, str]:
    """Return every generated file of the on-wiki source, relative path to text.

    The Lua data module and the parameter reference (with the TemplateData) come from the
    infobox contract, the checklist and the messages; the messages module from the bundles of
    the areas the Lua modules read (:data:`bot.render.lua_data.LUA_AREAS`).
    """
    checklist = load_checklist(checklist_path)
    messages = shown_bundles(directory, LUA_AREAS)
    return {
        GENERATED_DATA: render_data_module(checklist),
        GENERATED_MESSAGES: render_messages_module(messages),
        GENERATED_REFERENCE: reference_page(checklist, messages),
    }


def stale_template_files(templates_dir: Path, generated: Mapping[str, str]) -> list[str]:
    """Return the generated files whose committed text differs from ``generated``."""
    stale = []
    for name, text in generated.items():
        path = templates_dir / name
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        if current != text:
            stale.append(name)
    return stale


def write_template_files(templates_dir: Path, generated: Mapping[str, str]) -> list[str]:
    """Write the generated files that changed; return their names."""
    written = stale_template_files(templates_dir, generated)
    for name in written:
        path = templates_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated[name], encoding="utf-8")
    return written


def _page_text(raw: str) -> str:
    """Return ``raw`` as MediaWiki saves it: ``\\n`` line ends, no trailing whitespace."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def load_template_pages(directory: Path) -> dict[str, str]:
    """Return every page listed in ``directory``'s manifest, title to text, in manifest order.

    ``manifest.toml`` has one table, ``[pages]``, mapping each file (relative to the directory) to
    the title of the wiki page it becomes. Every source file must be listed, so a page cannot be
    forgotten by ``partnerbot install-templates``. The manifest lists a page after the pages it
    uses; save them in this order.
    """
    manifest = directory / MANIFEST
    data = _read_toml(manifest, TemplatePagesError)
    listed = data.get("pages")
    if not isinstance(listed, dict) or set(data) != {"pages"}:
        raise TemplatePagesError(f"{manifest}: expected exactly one table, [pages]")
    pages: dict[str, str] = {}
    for name, title in listed.items():
        path = directory / name
        if not isinstance(title, str) or not title.strip():
            raise TemplatePagesError(f"{manifest}: {name!r} needs a page title")
        if title in pages:
            raise TemplatePagesError(f"{manifest}: {title!r} is listed twice")
        if not path.resolve().is_relative_to(directory.resolve()) or not path.is_file():
            raise TemplatePagesError(f"{manifest}: {name!r} is not a file in {directory}")
        pages[title] = _page_text(path.read_text(encoding="utf-8"))
    known = {(directory / name).resolve() for name in listed}
    unlisted = sorted(
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.suffix in PAGE_SUFFIXES and path.resolve() not in known
    )
    if unlisted:
        raise TemplatePagesError(f"{manifest}: files not listed: {', '.join(unlisted)}")
    return pages


def message_text(language: str = FALLBACK_LANGUAGE) -> Callable[..., str]:
    """Return ``text(key, *params)``: the messages of ``language`` (:func:`load_messages`)."""
    return load_messages(language).text
