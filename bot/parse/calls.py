"""What the preprocessor reports about a page: template calls, their parameters, and doubts.

Everything is a frozen dataclass. Offsets are positions in the text that was read (the page's
wikitext, with NUL characters removed as MediaWiki removes them); a call written inside text that
MediaWiki rewrites before reading it again (``<poem>``, a gallery's ``caption=``) points at the tag
that holds it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from bot.parse.sanitizer import php_array_key


class DependencyKind(StrEnum):
    """What kind of code another page (or the page's context) decides."""

    TEMPLATE = "template"
    PARSER_FUNCTION = "parser-function"
    MAGIC_WORD = "magic-word"
    #: A template name built by a template or parser function.
    UNKNOWN_TITLE = "unknown-title"
    #: An extension tag whose handling of its content is not known here.
    EXTENSION_TAG = "extension-tag"


@dataclass(frozen=True)
class Dependency:
    """A construct whose result depends on code this reader cannot see."""

    kind: DependencyKind
    #: The template title, ``#function``, magic word, or ``<tag>``.
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class TagSpan:
    """Where a value holds something MediaWiki passes as a strip marker.

    ``name`` is the extension tag's name in lowercase (``ref``, ``nowiki``...), or ``item`` for
    markup another tag inserted (the line breaks ``<poem>`` adds). ``inner`` is the tag's raw
    content (None for a self-closed tag or an item).
    """

    start: int
    end: int
    name: str
    inner: str | None


@dataclass(frozen=True)
class Parameter:
    """One ``|``-separated parameter of a call, as written and as MediaWiki passes it."""

    #: The number of a positional parameter, or the name of a named one (PHP-trimmed).
    name: int | str
    #: The value MediaWiki passes: named values PHP-trimmed, positional ones untrimmed, comments
    #: removed, ``{{!}}``/``{{=}}`` replaced and ``{{{x|default}}}`` read as its default. A tag
    #: (see ``tags``) stands as its source text. When ``depends_on`` is not empty the value is
    #: ``source``: what MediaWiki passes depends on other templates.
    value: str
    #: The value as written, comments and ``<includeonly>`` content removed (and named values
    #: trimmed): templates, ``{{{...}}}``, magic words and tags left as they are.
    source: str
    #: False when a later parameter with the same name overrides this one.
    used: bool
    #: Templates, functions or magic words in the value.
    depends_on: tuple[Dependency, ...]
    #: Templates or functions in the name: the name is then its source text and unsure.
    name_depends_on: tuple[Dependency, ...]
    #: Tags in ``name`` (rare: a name MediaWiki sees with a strip marker in it).
    name_tags: tuple[TagSpan, ...]
    #: Tags in ``value``.
    tags: tuple[TagSpan, ...]
    start: int
    end: int

    @property
    def positional(self) -> bool:
        """Return True for a parameter without ``=``."""
        return isinstance(self.name, int)

    def without_tags(self, names: Collection[str] = ("ref",)) -> str:
        """Return the value with the tags called ``names`` (and their content) cut out."""
        pieces, last = [], 0
        for span in self.tags:
            if span.name in names:
                pieces.append(self.value[last : span.start])
                last = span.end
        pieces.append(self.value[last:])
        return "".join(pieces)

    @property
    def key(self) -> int | str:
        """Return the key MediaWiki files the value under: ``|1=`` is positional parameter 1."""
        return self.name if isinstance(self.name, int) else php_array_key(self.name)


def plain_parameter(name: int | str, value: str, used: bool, start: int, end: int) -> Parameter:
    """Return ``Parameter(name, value, value, used, (), (), (), (), start, end)``, faster.

    The common parameter (plain text, no tag, nothing it depends on) is made once for every
    parameter of every page; giving the instance its dictionary at once takes a third of the
    time of the frozen dataclass's ``__init__`` (which sets each field through
    ``object.__setattr__``). The result is an ordinary, frozen ``Parameter``.
    """
    parameter = _new(Parameter)
    _set(parameter, "__dict__", {
        "name": name, "value": value, "source": value, "used": used, "depends_on": (),
        "name_depends_on": (), "name_tags": (), "tags": (), "start": start, "end": end,
    })  # fmt: skip
    return parameter


_new = object.__new__
_set = object.__setattr__


@dataclass(frozen=True)
class TemplateCall:
    """One call of a matched template, in the order MediaWiki makes the calls."""

    #: The configured template name this call matched; empty when the name is built by other
    #: templates (an uncertain call whose ``because`` says by what).
    key: str
    #: The title MediaWiki resolves (``Template:Partnership infobox``), or empty like ``key``.
    title: str
    #: The name as written, comments removed (``template:partnership_infobox#a``).
    written: str
    start: int
    end: int
    line: int
    #: Every parameter in written order, duplicates included.
    parameters: tuple[Parameter, ...]
    #: False when MediaWiki makes the call only if other code decides so (see ``because``).
    certain: bool
    because: tuple[Dependency, ...]
    #: Enclosing constructs, outermost first: ``<ref>``, ``<poem>``, ``parameter goals``...
    within: tuple[str, ...]
    #: Index in the page's calls of the matched call whose parameter holds this one.
    parent: int | None
    #: A call without parameters repeated in the same frame: MediaWiki reuses the first one's
    #: output and does not run the template again.
    reused: bool
    #: Names given more than once (MediaWiki warns "duplicate-args" and uses the last).
    duplicates: tuple[int | str, ...]

    def arguments(self) -> tuple[tuple[int | str, Parameter], ...]:
        """Return what MediaWiki passes, in PHP's order: positional, then named (first seen)."""
        return tuple(self._arguments.items())

    def get(self, name: int | str) -> Parameter | None:
        """Return the parameter MediaWiki uses for ``name`` (the last one given), or None."""
        key = name if isinstance(name, int) else php_array_key(name)
        return self._arguments.get(key)

    @cached_property
    def _arguments(self) -> dict[int | str, Parameter]:
        numbered: dict[int | str, Parameter] = {}
        named: dict[int | str, Parameter] = {}
        for parameter in self.parameters:
            name = parameter.name
            if type(name) is int:
                named.pop(name, None)
                numbered[name] = parameter
            else:
                key = php_array_key(name)  # type: ignore[arg-type]
                numbered.pop(key, None)
                named[key] = parameter
        return numbered | named


class NotCalledReason(StrEnum):
    """Why text that names a matched template is not a call MediaWiki makes."""

    SUBST = "subst"
    MSGNW = "msgnw"
    TRIPLE_BRACES = "triple-braces"
    COMMENT = "comment"
    INCLUDEONLY = "includeonly"
    OPAQUE_TAG = "opaque-tag"
    OVERRIDDEN_PARAMETER = "overridden-parameter"
    UNRENDERED_REFERENCE = "unrendered-reference"
    DEPTH_LIMIT = "depth-limit"


@dataclass(frozen=True)
class NotCalled:
    """Text naming a matched template that MediaWiki does not call, and why."""

    reason: NotCalledReason
    start: int
    end: int
    line: int
    #: Detail for people: the tag name, the parameter, the comment's start...
    detail: str


@dataclass(frozen=True)
class Unclosed:
    """A ``{{`` naming a matched template that is never closed: MediaWiki shows it as text.

    ``blocking`` lists what was opened inside it and still open at the end of the text (an
    unclosed ``[[`` stops MediaWiki from seeing the ``}}``, an unclosed ``<!--`` or
    ``<includeonly>`` hides it), as (opening, offset) pairs.
    """

    start: int
    line: int
    written: str
    blocking: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class OpenToEnd:
    """A ``<!--`` or ``<includeonly>`` in the page that is never closed.

    MediaWiki hides everything after it: calls written there are not made (they are in
    ``not_called``, as in a comment or ``<includeonly>``).
    """

    opening: str
    start: int
    line: int


@dataclass(frozen=True)
class PageCalls:
    """Every matched call MediaWiki makes on a page, and what this reader cannot be sure of."""

    calls: tuple[TemplateCall, ...]
    not_called: tuple[NotCalled, ...]
    unclosed: tuple[Unclosed, ...]
    #: The page's own unclosed ``<!--`` or ``<includeonly>`` (at most one: it hides the rest).
    open_to_end: tuple[OpenToEnd, ...] = ()

    @property
    def certain_calls(self) -> tuple[TemplateCall, ...]:
        """Return the calls MediaWiki makes whatever other templates do."""
        return tuple(call for call in self.calls if call.certain)
