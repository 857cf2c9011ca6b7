"""Messages in the wiki's language, in MediaWiki's message syntax, with English as the fallback.

Every human-readable string the bot writes comes from the message bundles in ``i18n/`` (read by
:mod:`bot.i18n_files`). A :class:`Messages` value holds the bundles for one language and composes
text from them, as MediaWiki's ``wfMessage( key, params )->text()`` does:

* ``$1`` .. ``$9`` (any number of digits) are replaced by the parameters, in order; numbers are
  formatted for the language (``1,234`` / ``1 234``), so pass quantities as numbers and
  identifiers (a year, a revision id) as text; text is inserted as given: callers escape
  untrusted values before passing them, because message text may hold wikitext on purpose;
* ``{{PLURAL:$n|form|form...}}`` picks a form by the language's CLDR plural rules (from Babel), in
  the order MediaWiki uses: zero, one, two, few, many, other, keeping only the categories the
  language has; with fewer forms than categories the last form serves the rest. A form written
  ``N=text`` is used when the number is exactly N (``{{PLURAL:$1|0=none|one|$1 items}}``); forms
  are trimmed, and ``|`` inside ``[[...]]`` or ``{{...}}`` does not split them.

A key missing in the language falls back to the base language (``pt`` for ``pt-br``), then to
English; a key missing in English is a bug and raises :class:`KeyError`. A message that uses a
parameter it was not given, or takes the plural of something that is not a number, raises
:class:`ValueError` naming the key: bundle tests catch both before a run does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

import babel.dates
import babel.lists
import babel.numbers
from babel import Locale, UnknownLocaleError

from bot.errors import PartnerbotError
from bot.model import WikiDate

#: The language every key must exist in.
FALLBACK_LANGUAGE = "en"
#: CLDR plural categories in the order MediaWiki numbers the forms of {{PLURAL:}}.
PLURAL_ORDER = ("zero", "one", "two", "few", "many", "other")
#: Babel locale used for a wiki language when its own CLDR data reads differently from
#: MediaWiki: English wikis write dates day first ("29 November 2026").
_BABEL_LOCALES = {"en": "en_GB"}

Param = str | int | float | Decimal


class UnknownLanguageError(PartnerbotError):
    """The wiki's language is not a language code Babel knows."""

    hint = "set [wiki] language to a MediaWiki language code such as en or fr"


@dataclass(frozen=True, slots=True)
class _Param:
    """``$n`` in a message (``number`` counts from 1)."""

    number: int


@dataclass(frozen=True, slots=True)
class _Plural:
    """``{{PLURAL:arg|forms}}``: arg is a parameter or a literal number."""

    argument: _Param | Decimal
    #: Exact-number forms (``0=none``): the count as MediaWiki writes it -> form.
    explicit: tuple[tuple[str, tuple[_Node, ...]], ...]
    forms: tuple[tuple[_Node, ...], ...]


_Node = str | _Param | _Plural

_PARAM = re.compile(r"\$(\d+)")
_PLURAL_START = re.compile(r"\{\{\s*PLURAL\s*:", re.IGNORECASE)
_EXPLICIT = re.compile(r"\d+=")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@lru_cache(maxsize=4096)
def compile_message(text: str) -> tuple[_Node, ...]:
    """Return the parts of message ``text``; raise ValueError for an unclosed ``{{PLURAL:``."""
    nodes: list[_Node] = []
    position = 0
    while (start := _PLURAL_START.search(text, position)) is not None:
        nodes.extend(_text_nodes(text[position : start.start()]))
        parts, end = _split_call(text, start.end())
        nodes.append(_plural(parts))
        position = end
    nodes.extend(_text_nodes(text[position:]))
    return tuple(nodes)


def _text_nodes(text: str) -> list[_Node]:
    nodes: list[_Node] = []
    position = 0
    for match in _PARAM.finditer(text):
        if match.start() > position:
            nodes.append(text[position : match.start()])
        nodes.append(_Param(int(match.group(1))))
        position = match.end()
    if position < len(text):
        nodes.append(text[position:])
    return nodes


def _split_call(text: str, start: int) -> tuple[list[str], int]:
    """Return the ``|``-separated parts of the call opened before ``start`` and its end."""
    parts: list[str] = []
    depth = 0
    begin = index = start
    while index < len(text):
        pair = text[index : index + 2]
        if pair in ("{{", "[["):
            depth += 1
            index += 2
        elif pair in ("}}", "]]") and depth > 0:
            depth -= 1
            index += 2
        elif pair == "}}":
            parts.append(text[begin:index])
            return parts, index + 2
        elif text[index] == "|" and depth == 0:
            parts.append(text[begin:index])
            begin = index = index + 1
        else:
            index += 1
    raise ValueError(f"unclosed {{{{PLURAL:}}}} in {text!r}")


def _plural(parts: list[str]) -> _Plural:
    argument_text, *form_texts = (part.strip() for part in parts)
    argument: _Param | Decimal
    if (param := _PARAM.fullmatch(argument_text)) is not None:
        argument = _Param(int(param.group(1)))
    elif _NUMBER.fullmatch(argument_text):
        argument = Decimal(argument_text)
    else:
        raise ValueError(f"{{{{PLURAL:{argument_text}}}}} needs $n or a number")
    explicit: list[tuple[str, tuple[_Node, ...]]] = []
    forms: list[tuple[_Node, ...]] = []
    for form in form_texts:
        # As MediaWiki's handleExplicitPluralForms: a form holding "digits=" is an exact form.
        if _EXPLICIT.search(form):
            count, _, shown = form.partition("=")
            explicit.append((count, compile_message(shown)))
        else:
            forms.append(compile_message(form))
    return _Plural(argument, tuple(explicit), tuple(forms))


def _babel_locale(language: str) -> Locale:
    """Return the Babel locale for a MediaWiki language code (``pt-br``), or its base language."""
    candidates = [_BABEL_LOCALES.get(language, language.replace("-", "_"))]
    if "-" in language:
        candidates.append(language.partition("-")[0])
    for candidate in candidates:
        try:
            locale = Locale.parse(candidate)
            locale.plural_form(1)  # loads the locale's data: fails here, not in a render
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        return locale
    raise UnknownLanguageError(f"unknown language code {language!r}")


def language_chain(language: str) -> tuple[str, ...]:
    """Return the languages whose messages serve ``language``, English last (``pt-br, pt, en``)."""
    chain = [language]
    if "-" in language:
        chain.append(language.partition("-")[0])
    chain.append(FALLBACK_LANGUAGE)
    return tuple(dict.fromkeys(chain))


@dataclass(frozen=True, eq=False)
class Messages:
    """The messages of one language, English behind them; formats numbers and dates too.

    Compared and hashed by identity: one value is made per run and passed down.
    """

    language: str
    #: The message tables consulted in order: the language, its base language, English.
    tables: tuple[Mapping[str, str], ...]
    _locale: Locale = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_locale", _babel_locale(self.language))

    @classmethod
    def from_bundles(cls, language: str, bundles: Mapping[str, Mapping[str, str]]) -> Messages:
        """Return the messages for ``language`` from ``bundles`` (language code -> key -> text)."""
        if FALLBACK_LANGUAGE not in bundles:
            raise KeyError(f"no {FALLBACK_LANGUAGE} messages among {sorted(bundles)}")
        tables = tuple(
            MappingProxyType(dict(bundles[code]))
            for code in language_chain(language)
            if code in bundles
        )
        return cls(language, tables)

    def has(self, key: str) -> bool:
        """Return whether ``key`` is a message (in this language or in English)."""
        return any(key in table for table in self.tables)

    def raw(self, key: str) -> str:
        """Return the message text of ``key`` before any parameter is filled in."""
        for table in self.tables:
            text = table.get(key)
            if text is not None:
                return text
        raise KeyError(f"message {key!r} is not in the {FALLBACK_LANGUAGE} bundles")

    def __call__(self, key: str, *params: Param) -> str:
        """Return message ``key`` with ``params`` filled in: a Messages value is a text function."""
        return self.text(key, *params)

    def text(self, key: str, *params: Param) -> str:
        """Return message ``key`` with ``params`` filled in (see the module docstring)."""
        nodes = compile_message(self.raw(key))
        try:
            return self._render(nodes, params)
        except ValueError as error:
            raise ValueError(f"message {key!r}: {error}") from error

    def _render(self, nodes: Iterable[_Node], params: tuple[Param, ...]) -> str:
        out: list[str] = []
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, _Param):
                out.append(self._param_text(_param(node, params)))
            else:
                out.append(self._render(self._choose(node, params), params))
        return "".join(out)

    def _param_text(self, value: Param) -> str:
        if isinstance(value, str):
            return value
        return self.number(value)

    def _choose(self, plural: _Plural, params: tuple[Param, ...]) -> tuple[_Node, ...]:
        if isinstance(plural.argument, Decimal):
            count: int | float | Decimal = plural.argument
        else:
            count = _count(_param(plural.argument, params))
        written = _count_text(count)
        for exact, form in plural.explicit:
            if exact == written:
                return form
        if not plural.forms:
            return ()
        tags = self._locale.plural_form.tags | {"other"}
        order = [tag for tag in PLURAL_ORDER if tag in tags]
        index = order.index(self._locale.plural_form(count))
        return plural.forms[min(index, len(plural.forms) - 1)]

    def plural_category(self, count: int | float | Decimal) -> str:
        """Return the CLDR plural category of ``count`` in this language (``one``, ``few``...)."""
        return str(self._locale.plural_form(count))

    def number(self, value: int | float | Decimal) -> str:
        """Return ``value`` written for the language (``12,345.5`` / ``12 345,5``)."""
        if isinstance(value, bool):
            raise TypeError("a yes/no value is not a number")
        return str(babel.numbers.format_decimal(value, locale=self._locale))

    def date(self, day: dt.date) -> str:
        """Return ``day`` written out (``29 November 2026`` / ``29 novembre 2026``)."""
        return str(babel.dates.format_date(day, format="long", locale=self._locale))

    def month(self, year: int, month: int) -> str:
        """Return a month written out (``November 2026`` / ``novembre 2026``)."""
        first = dt.date(year, month, 1)
        return str(babel.dates.format_skeleton("yMMMM", first, locale=self._locale))

    def wiki_date(self, date: WikiDate) -> str:
        """Return an infobox date written out (``15 November 2025``, ``November 2025``)."""
        if date.day is None:
            return self.month(date.year, date.month)
        return self.date(date.first_day())

    def join(self, items: Iterable[str], style: Literal["and", "or"] = "and") -> str:
        """Return ``items`` as a list in the language (``a, b and c`` / ``a, b ou c``)."""
        listed = list(items)
        if not listed:
            return ""
        if style == "or":
            return str(babel.lists.format_list(listed, style="or", locale=self._locale))
        return str(babel.lists.format_list(listed, style="standard", locale=self._locale))


def _param(param: _Param, params: tuple[Param, ...]) -> Param:
    if not 1 <= param.number <= len(params):
        raise ValueError(f"${param.number} has no value ({len(params)} parameter(s) given)")
    return params[param.number - 1]


def _count(value: Param) -> int | float | Decimal:
    """Return ``value`` as the number {{PLURAL:}} chooses by."""
    if isinstance(value, bool):
        raise ValueError("{{PLURAL:}} of a yes/no value")
    if isinstance(value, int | float | Decimal):
        return value
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"{{{{PLURAL:}}}} of {value!r}, which is not a number") from None


def _count_text(count: int | float | Decimal) -> str:
    """Return ``count`` as MediaWiki compares it with ``N=`` forms (PHP's string of a number)."""
    if isinstance(count, float) and count.is_integer():
        return str(int(count))
    if isinstance(count, Decimal) and count == count.to_integral_value():
        return str(int(count))
    return str(count)
