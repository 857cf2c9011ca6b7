"""Read the on-wiki source kept in ``wiki_templates/``: page title to page text.

``wiki_templates/manifest.toml`` has one table, ``[pages]``, mapping each file (relative to the
directory) to the title of the wiki page it becomes. Every source file in the directory must be
listed, so a page cannot be forgotten by ``partnerbot install-templates``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

MANIFEST = "manifest.toml"
#: Files that are wiki pages; anything else in the directory (a README) is not installed.
PAGE_SUFFIXES = (".wikitext", ".lua", ".json", ".css")


class TemplatePagesError(ValueError):
    """The manifest is missing, malformed, or disagrees with the files (the message says how)."""


def _page_text(raw: str) -> str:
    """Return ``raw`` as MediaWiki saves it: ``\\n`` line ends, no trailing whitespace."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def load_template_pages(directory: Path) -> dict[str, str]:
    """Return every page listed in ``directory``'s manifest, title to text, in manifest order.

    The manifest lists a page after the pages it uses; save them in this order.
    """
    manifest = directory / MANIFEST
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise TemplatePagesError(f"no {MANIFEST} in {directory}") from error
    except tomllib.TOMLDecodeError as error:
        raise TemplatePagesError(f"{manifest}: not valid TOML: {error}") from error
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
