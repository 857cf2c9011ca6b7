"""A small stand-in for the message formatter: reads i18n/notices/*.json, fills in $1, $2...

It knows what the notice messages use: ``$n`` parameters and ``{{PLURAL:$n|one|other}}`` with
the English and French rules. A key missing from the bundle (and from English) raises KeyError,
so a test fails when code asks for a message nobody wrote.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

BUNDLES = Path(__file__).resolve().parents[1] / "i18n" / "notices"
_PARAM = re.compile(r"\$([1-9][0-9]*)")
_PLURAL = re.compile(r"\{\{PLURAL:\s*([0-9]+)\s*\|([^{}]*)\}\}")


def load_bundle(language: str) -> dict[str, str]:
    """Return the messages of ``language`` (without ``@metadata``)."""
    data = json.loads((BUNDLES / f"{language}.json").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("@")}


class BundleText:
    """``text(key, *params)`` for one language, falling back to English."""

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self.messages = load_bundle(language)
        self.fallback = load_bundle("en")
        self.used: set[str] = set()

    def __call__(self, key: str, *params: object) -> str:
        self.used.add(key)
        message = self.messages.get(key, self.fallback[key])
        filled = _PARAM.sub(lambda match: _param(params, match), message)
        return _PLURAL.sub(self._plural, filled)

    def _plural(self, match: re.Match[str]) -> str:
        count = int(match.group(1))
        forms = match.group(2).split("|")
        singular = count <= 1 if self.language == "fr" else count == 1
        return forms[0] if singular or len(forms) == 1 else forms[1]


def _param(params: tuple[object, ...], match: re.Match[str]) -> str:
    index = int(match.group(1)) - 1
    return str(params[index]) if index < len(params) else match.group()
