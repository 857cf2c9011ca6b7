"""The notice bundle's raw texts, and the project's message formatter noting which keys a test
used. A key missing from the bundles (and from English) raises KeyError, so a test fails when code
asks for a message nobody wrote.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bot.i18n_files import load_messages
from bot.model import WikiDate

BUNDLES = Path(__file__).resolve().parents[1] / "i18n" / "notices"


def load_bundle(language: str) -> dict[str, str]:
    """Return the messages of ``language`` (without ``@metadata``)."""
    data = json.loads((BUNDLES / f"{language}.json").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("@")}


class BundleText:
    """``text(key, *params)`` for one language (the project's own formatter), noting every key."""

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._messages = load_messages(language)
        self.used: set[str] = set()

    def __call__(self, key: str, *params: object) -> str:
        self.used.add(key)
        return self._messages.text(key, *params)  # type: ignore[arg-type]

    def date(self, day: dt.date) -> str:
        return self._messages.date(day)

    def wiki_date(self, date: WikiDate) -> str:
        return self._messages.wiki_date(date)
