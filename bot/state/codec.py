"""Encode checked pages (records, findings, scores) as JSON for the store, and decode them.

The encoding follows the dataclasses of :mod:`bot.model` by their type hints, so a field added to
a record or a finding is stored without a change here. Decoders are built once per type.
Enums are stored by value, :class:`~bot.model.WikiDate` as its ISO text, tuples as lists.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any

from bot.model import Assessment, Finding, WikiDate

Decoder = Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class CheckedPage:
    """What checking one page gave: each infobox's assessment, and findings about the page."""

    title: str
    assessments: tuple[Assessment, ...]
    page_findings: tuple[Finding, ...]


def encode_checked(page: CheckedPage) -> str:
    """Return ``page`` as compact JSON (keys in a fixed order, so equal pages give equal text)."""
    return json.dumps(_plain(page), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def decode_checked(text: str) -> CheckedPage:
    """Return the page :func:`encode_checked` encoded."""
    decoded: CheckedPage = _decoder(CheckedPage)(json.loads(text))
    return decoded


def _plain(value: object) -> object:
    if isinstance(value, WikiDate):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def _identity(value: Any) -> Any:
    return value


@cache
def _decoder(hint: Any) -> Decoder:
    """Return a function that turns the JSON form of ``hint`` back into a value."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        inner = _decoder(options[0]) if len(options) == 1 else _identity
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda value: tuple(item(entry) for entry in value)
        parts = [_decoder(arg) for arg in args]
        return lambda value: tuple(part(entry) for part, entry in zip(parts, value, strict=True))
    if origin in (Mapping, dict) or hint in (Mapping, dict):
        return dict
    if hint is WikiDate:
        return WikiDate.parse
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    return _identity


def _dataclass_decoder(cls: type) -> Decoder:
    hints = typing.get_type_hints(cls)
    fields = [
        (field.name, _decoder(hints[field.name])) for field in dataclasses.fields(cls) if field.init
    ]

    def decode(value: Mapping[str, Any]) -> Any:
        return cls(
            **{name: decode_field(value[name]) for name, decode_field in fields if name in value}
        )

    return decode
