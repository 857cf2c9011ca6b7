"""Read the project's own data files and hand their contents to the pure core.

The checklist (``config/checklist.toml``), the message bundles (``i18n/<area>/<language>.json``)
and the on-wiki source (``wiki_templates/``, listed in its ``manifest.toml``) are data, read here
once per job; the core modules never open a file. Every problem with a file raises an error that
names the file and what to fix.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

from bot.checklist.assess import Checklist
from bot.checklist.rules import ChecklistError, checklist_from_data
from bot.errors import PartnerbotError
from bot.i18n_files import load_messages
from bot.render.lua_data import render_data_module, render_messages_module
from bot.render.templatedata import reference_page

MANIFEST = "manifest.toml"
#: The message bundles shipped with the project: one folder per area, one file per language.
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
#: The language every message exists in; lookups in other languages fall back to it.
FALLBACK_LANGUAGE = "en"
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
#: The usage messages the infobox shows (the rest of i18n/usage is for the bot's pages).
USAGE_INFOBOX_MESSAGES = "partnerbot-usage-infobox-"


def generated_template_files(checklist_path: Path, directory: Path = I18N_DIR) -> dict[str, str]:
    """Return the generated files of the on-wiki source, relative path to text.

    The Lua data module and the parameter reference (with the TemplateData) come from the
    infobox contract and the checklist; the messages module from ``i18n/infobox``,
    ``i18n/checklist`` and the infobox's texts of ``i18n/usage``.
    """
    checklist = load_checklist(checklist_path)
    infobox = load_message_bundles("infobox", directory)
    checks = load_message_bundles("checklist", directory)
    usage = {
        language: {k: v for k, v in texts.items() if k.startswith(USAGE_INFOBOX_MESSAGES)}
        for language, texts in load_message_bundles("usage", directory).items()
    }
    merged = {
        language: {
            **checks.get(language, {}),
            **infobox.get(language, {}),
            **usage.get(language, {}),
        }
        for language in sorted(set(infobox) | set(checks))
    }
    return {
        GENERATED_DATA: render_data_module(checklist),
        GENERATED_MESSAGES: render_messages_module(merged),
        GENERATED_REFERENCE: reference_page(checklist, infobox, checks),
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


class MessagesError(PartnerbotError):
    """A message bundle is missing or is not a JSON object of strings."""

    hint = "fix the files under i18n/ (MediaWiki's JSON message format)"


#: One area's messages: language code -> message key -> text.
Bundles = dict[str, dict[str, str]]


def load_message_bundles(area: str, directory: Path = I18N_DIR) -> Bundles:
    """Return every language of the bundle ``i18n/<area>/`` (``qqq``, the documentation, too)."""
    folder = directory / area
    bundles: Bundles = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as failure:
            raise MessagesError(f"{path}: cannot read: {failure}") from failure
        if not isinstance(data, dict) or not all(
            isinstance(key, str) and isinstance(value, str)
            for key, value in data.items()
            if key != "@metadata"
        ):
            raise MessagesError(f"{path}: expected a JSON object of message texts")
        bundles[path.stem] = {k: v for k, v in data.items() if k != "@metadata"}
    if FALLBACK_LANGUAGE not in bundles:
        raise MessagesError(f"{folder}: no {FALLBACK_LANGUAGE}.json")
    return bundles


def message_text(
    areas: tuple[str, ...] = ("checklist",),
    language: str = FALLBACK_LANGUAGE,
    directory: Path = I18N_DIR,
) -> Callable[..., str]:
    """Return ``text(key, *params)``: a message in ``language`` (English behind it).

    ``areas`` is kept for the callers that name the bundles they use; every area is loaded.
    """
    del areas
    return load_messages(language, directory).text
