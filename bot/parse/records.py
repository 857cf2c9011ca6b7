"""Turn the infobox calls MediaWiki makes on a page into partnership records.

MediaWiki is the judge: ``parse_page`` reads the page with the port of its preprocessor
(:mod:`bot.parse.preprocessor`) and makes one :class:`~bot.model.PartnershipRecord` per call
MediaWiki makes to ``{{Partnership infobox}}`` (or a name listed with it) when it renders the
page, in the order it makes them, with exactly the parameters it passes. Bad input becomes
:class:`~bot.model.Problem` values on the record or the page; nothing here raises.

Which calls count (RELIABILITY.md A1, A2, A4, A5) is the preprocessor's answer: names match as
MediaWiki matches titles (first letter, spaces and underscores, ``Template:``, ``msg:``...);
examples in comments, ``<nowiki>``, ``<pre>`` or ``<includeonly>`` are not calls; calls in
``<noinclude>``, HTML elements, references and poems are. The page problems:

- ``infobox-unparseable``: an infobox opened with ``{{`` that MediaWiki never sees closed (the
  line, and what opened inside it is still open), an unclosed ``<!--`` or ``<includeonly>``
  that hides an infobox, or a call that MediaWiki makes only if other code decides so (inside
  another template's parameter, a parser function, an unknown extension tag): the bot does not
  guess and reads no record from it, and says which template decides.
- ``multiple-infoboxes``: several calls, each a record (``index`` 0, 1, 2... in MediaWiki's
  order).

Parameters (A6-A8, A10), as MediaWiki passes them:

- Named values are trimmed as PHP trims them; positional ones are not. Names are
  case-sensitive: ``|Status=`` is not ``status``; it is reported as ``unknown-parameter`` with
  the suggestion ``status``, never silently accepted.
- The last of duplicate parameters wins, with a ``duplicate-parameter`` problem.
- Positional parameters (usually a raw ``|`` inside a value) give ``positional-parameter``.
  Empty positional parameters (``||``) are harmless and not reported.
- ``PartnershipRecord.params`` holds every parameter in MediaWiki's order (positional first,
  then named) with the value it passes: comments removed, ``{{!}}`` a bar, a tag as written; a
  value that depends on other templates is its source text. Typed values come from
  :mod:`bot.parse.coerce`; such a value is ``value-not-literal``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from functools import lru_cache
from sys import intern
from typing import Any

from bot.contract import NAME_SUGGESTION_CUTOFF, shown
from bot.model import ParamValue, ParsedPage, PartnershipRecord, Problem
from bot.parse.calls import NotCalledReason, PageCalls, Parameter, TemplateCall
from bot.parse.coerce import PARAMETERS, coerce, coerce_literal, record_attribute
from bot.parse.markup import Value, clean_text
from bot.parse.preprocessor import CallReader
from bot.parse.site import WIKIMEDIA_SITE, SiteFacts

__all__ = [
    "DEFAULT_TEMPLATE_NAMES",
    "PARAMETERS",
    "call_reader",
    "normalize_title",
    "parse_page",
    "parse_value",
]

DEFAULT_TEMPLATE_NAMES: tuple[str, ...] = ("Partnership infobox",)

_NAME_SPACE = re.compile(r"[\s_-]+")
_KNOWN = frozenset(PARAMETERS)
#: Each parameter and its record attribute, in contract order.
_ATTRIBUTES = tuple((name, record_attribute(name)) for name in PARAMETERS)
#: Characters MediaWiki folds into one space in titles, and the direction marks it drops.
_TITLE_SPACE = re.compile("[ _\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\\s]+")
_DIRECTION_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")
#: Why text that names the infobox is no call: hidden by what (an unclosed one hides the rest).
_HIDING = frozenset({NotCalledReason.COMMENT, NotCalledReason.INCLUDEONLY})
#: Readers kept, by template names and site (the same few for a whole run).
_READERS: dict[tuple[tuple[str, ...], int], tuple[SiteFacts, CallReader]] = {}
_READERS_KEPT = 16


def parse_page(
    title: str,
    text: str,
    *,
    template_names: Collection[str] = DEFAULT_TEMPLATE_NAMES,
    revid: int | None = None,
    site: SiteFacts | None = None,
) -> ParsedPage:
    """Return a record for every infobox call MediaWiki makes on page ``title``, with problems.

    ``site`` holds the wiki's facts (its extension tags, namespaces, parser functions); without
    it the page is read as on a Wikimedia wiki.
    """
    title = normalize_title(title)
    reader = call_reader(template_names, site)
    if not reader.keys or "{{" not in text:
        return ParsedPage(title=title, revid=revid, records=())
    if "\x00" in text:  # MediaWiki never stores NUL; offsets below are in the text read
        text = text.replace("\x00", "")
    try:
        calls = reader.read(text)
    except RecursionError:  # nesting deeper than any page holds; say so rather than fail
        problem = Problem("infobox-unparseable", None, "unreadable-page", ("RecursionError",))
        return ParsedPage(title, revid, (), (problem,))
    made = [call for call in calls.certain_calls if not call.reused]
    records = tuple(_record(title, index, revid, call) for index, call in enumerate(made))
    problems = _page_problems(text, calls)
    if len(records) > 1:
        problems.append(Problem("multiple-infoboxes", None, "infobox-count", (len(records),)))
    return ParsedPage(title, revid, records, tuple(dict.fromkeys(problems)))


def call_reader(template_names: Iterable[str], site: SiteFacts | None = None) -> CallReader:
    """Return the reader of calls to ``template_names`` on a wiki with ``site`` (kept for reuse)."""
    site = WIKIMEDIA_SITE if site is None else site
    key = (tuple(template_names), id(site))
    kept = _READERS.get(key)
    if kept is not None and kept[0] is site:
        return kept[1]
    if len(_READERS) >= _READERS_KEPT:
        _READERS.clear()
    reader = CallReader(key[0], site)
    _READERS[key] = (site, reader)
    return reader


def normalize_title(title: str) -> str:
    """Return ``title`` as MediaWiki stores it: spaces folded, stripped, first letter upper."""
    title = _DIRECTION_MARKS.sub("", title)
    title = _TITLE_SPACE.sub(" ", title).strip()
    first = title[:1].upper()
    return first + title[1:] if len(first) == 1 else title


def parse_value(field: str, text: str) -> tuple[object, tuple[Problem, ...]]:
    """Return the typed value of infobox parameter ``field`` written as ``|field=text``."""
    value = _passed_value(text)
    if field not in PARAMETERS:
        return value.text, (_unknown_parameter(field),)
    return coerce(field, value)


def _passed_value(text: str) -> Value:
    """Return what MediaWiki passes for ``text`` written as the value of a named parameter."""
    reader = call_reader(DEFAULT_TEMPLATE_NAMES)
    calls = reader.read(f"{{{{{DEFAULT_TEMPLATE_NAMES[0]}|value={text}}}}}").certain_calls
    if len(calls) == 1 and len(calls[0].parameters) == 1:
        parameter = calls[0].parameters[0]
        if parameter.name == "value":
            return Value(parameter.value, bool(parameter.depends_on))
    return Value(text, "{{" in text)  # the text breaks out of a value: read it as written


def _page_problems(text: str, calls: PageCalls) -> list[Problem]:
    """Return the page's problems: infoboxes never closed, hidden, or decided by other code."""
    problems: list[Problem] = []
    params: tuple[ParamValue, ...]
    for unclosed in calls.unclosed:
        if unclosed.blocking:
            opener, offset = unclosed.blocking[0]
            params = (unclosed.line, opener, text.count("\n", 0, offset) + 1)
            problems.append(Problem("infobox-unparseable", None, "unclosed-inside", params))
        else:
            params = (unclosed.line,)
            problems.append(Problem("infobox-unparseable", None, "never-closed", params))
    for opened in calls.open_to_end:
        if any(n.reason in _HIDING and n.start > opened.start for n in calls.not_called):
            params = (opened.opening, opened.line)
            problems.append(Problem("infobox-unparseable", None, "unclosed-before", params))
    for call in calls.calls:
        if not call.certain:
            deciders = tuple(dict.fromkeys(dependency.name for dependency in call.because))
            params = (deciders, call.line)
            problems.append(Problem("infobox-uncertain", None, "call-decided-by", params))
    return problems


def _record(title: str, index: int, revid: int | None, call: TemplateCall) -> PartnershipRecord:
    """Return the record of one call: its parameters as passed, their problems, typed values."""
    parameters = call.parameters
    arguments = {
        key if type(key) is str else str(key): parameter for key, parameter in call.arguments()
    }
    problems = [] if _KNOWN.issuperset(arguments) else _name_problems(parameters)
    for key in call.duplicates:
        if isinstance(key, str):
            count = sum(1 for parameter in parameters if parameter.key == key)
            times = (key, count, shown(clean_text(arguments[key].value)))
            problems.append(Problem("duplicate-parameter", key, "given-times", times))
    attributes: dict[str, Any] = {}
    for name, attribute in _ATTRIBUTES:
        given = arguments.get(name)
        if given is None:
            continue
        if given.depends_on:
            result, found = coerce(name, Value(given.value, templated=True))
        else:
            result, found = coerce_literal(name, given.value)
        if found:
            problems.extend(found)
        if result is not None:
            attributes[attribute] = result
    return PartnershipRecord(
        page=title,
        index=index,
        revid=revid,
        # Interned names: every record of a pass shares one string per parameter name.
        params=tuple([(intern(key), parameter.value) for key, parameter in arguments.items()]),
        problems=tuple(problems),
        **attributes,
    )


def _name_problems(parameters: Iterable[Parameter]) -> list[Problem]:
    """Return the problems of positional, unnamed and unknown parameters, in written order."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for parameter in parameters:
        name = parameter.name
        if isinstance(name, int):
            if parameter.value.strip():
                problems.append(_positional(parameter.value))
        elif not name:
            problems.append(_positional(parameter.value, named=True))
        elif name not in _KNOWN and name not in seen:
            problems.append(_unknown_parameter(name))
        seen.add(str(name))
    return problems


def _positional(text: str, *, named: bool = False) -> Problem:
    reason = "unnamed-value" if named else "stray-text"
    return Problem("positional-parameter", None, reason, (shown(clean_text(text)),))


def _name_with_part(words: str) -> list[str]:
    """Return the one parameter whose name starts or ends with ``words`` (partner_website)."""
    found = [
        name
        for name in PARAMETERS
        if words and (name.endswith("_" + words) or name.startswith(words + "_"))
    ]
    return found if len(found) == 1 else []


@lru_cache(maxsize=1024)
def _unknown_parameter(name: str) -> Problem:
    guess = _NAME_SPACE.sub("_", name.strip().lower())
    if guess not in PARAMETERS:
        close = difflib.get_close_matches(guess, PARAMETERS, n=1, cutoff=NAME_SUGGESTION_CUTOFF)
        close = close or _name_with_part(guess)
        guess = close[0] if close else ""
    if not guess:
        return Problem("unknown-parameter", name, "unknown-ignored", (shown(name),))
    reason = "unknown-case-sensitive" if guess == name.strip().lower() else "unknown-did-you-mean"
    return Problem("unknown-parameter", name, reason, (shown(name), guess))
