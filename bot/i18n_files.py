"""Read the message bundles in ``i18n/`` and hand them to :class:`bot.render.messages.Messages`.

The bundles are MediaWiki's JSON message files, split by area so that each part of the project
keeps its own: ``i18n/<area>/<language>.json`` (``i18n/method/fr.json``), each an object of
``"key": "text"`` with an optional ``"@metadata"`` object, as MediaWiki reads several message
directories. ``qqq.json`` documents every message for translators. Keys are unique across all
areas and start with ``partnerbot-<area>-``.

Every problem with a bundle raises :class:`MessageBundleError` naming the file and what to fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from bot.errors import PartnerbotError
from bot.render.messages import FALLBACK_LANGUAGE, Messages

#: The bundles shipped with the project.
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
#: Pseudo-language of the message documentation.
DOCUMENTATION = "qqq"
_LANGUAGE_FILE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]+)*\.json")

#: Language code -> key -> text (or documentation, for ``qqq``).
Bundles = dict[str, dict[str, str]]


class MessageBundleError(PartnerbotError):
    """A message bundle is missing, unreadable or malformed; the message names the file."""

    hint = "fix the file (MediaWiki's JSON message format: an object of key to text)"


def _refuse_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"{key} is given twice")
        seen[key] = value
    return seen


def read_bundle(path: Path) -> dict[str, str]:
    """Return the messages of one bundle file, without ``@metadata``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_refuse_duplicates)
    except FileNotFoundError as failure:
        raise MessageBundleError(f"{path} does not exist") from failure
    except (OSError, UnicodeDecodeError) as failure:
        raise MessageBundleError(f"{path}: cannot read: {failure}") from failure
    except json.JSONDecodeError as failure:
        raise MessageBundleError(
            f"{path}: not valid JSON: {failure.msg} at line {failure.lineno}, "
            f"column {failure.colno}"
        ) from failure
    except ValueError as failure:
        raise MessageBundleError(f"{path}: {failure}") from failure
    if not isinstance(data, dict):
        raise MessageBundleError(f"{path}: expected a JSON object of key to text")
    area = path.parent.name
    messages: dict[str, str] = {}
    for key, text in data.items():
        if key == "@metadata":
            continue
        if not key.startswith(f"partnerbot-{area}-"):
            raise MessageBundleError(f"{path}: key {key!r} must start with partnerbot-{area}-")
        if not isinstance(text, str):
            raise MessageBundleError(f"{path}: {key}: expected text, got {type(text).__name__}")
        messages[key] = text
    return messages


def load_bundles(directory: Path = I18N_DIR, areas: tuple[str, ...] | None = None) -> Bundles:
    """Return every language's messages from every area under ``directory`` (or ``areas``).

    The documentation (``qqq``) is included; :func:`shown_bundles` leaves it out.
    """
    folders = (
        sorted(path for path in directory.iterdir() if path.is_dir())
        if areas is None
        else [directory / area for area in areas]
    )
    bundles: Bundles = {}
    for folder in folders:
        if not (folder / f"{FALLBACK_LANGUAGE}.json").is_file():
            raise MessageBundleError(f"{folder}: no {FALLBACK_LANGUAGE}.json")
        for path in sorted(folder.glob("*.json")):
            if not _LANGUAGE_FILE.fullmatch(path.name):
                raise MessageBundleError(f"{path}: not named after a language code (fr.json)")
            # Keys carry their area's name, so two areas never hold the same key.
            bundles.setdefault(path.name.removesuffix(".json"), {}).update(read_bundle(path))
    return bundles


def shown_bundles(directory: Path = I18N_DIR, areas: tuple[str, ...] | None = None) -> Bundles:
    """Return the messages people read (every language but ``qqq``) of ``areas`` (or all)."""
    bundles = load_bundles(directory, areas)
    bundles.pop(DOCUMENTATION, None)
    return bundles


def load_messages(language: str, directory: Path = I18N_DIR) -> Messages:
    """Return the messages for the wiki's ``language``, English behind them."""
    return Messages.from_bundles(language, shown_bundles(directory))


def bundle_areas(directory: Path = I18N_DIR) -> Mapping[str, Path]:
    """Return the message areas under ``directory``, name to folder."""
    return {path.name: path for path in sorted(directory.iterdir()) if path.is_dir()}
