"""Record a call of a matched template: its arguments as MediaWiki files and passes them.

``CallRecorder.call`` follows ``PPFrame_Hash::newChild`` (names expanded in the frame of the
call, the last of duplicate keys kept, ``|1=`` the same key as the first positional
parameter) and ``PPTemplateFrame_Hash::getArguments`` (positional values first, then named, each
expanded once; named values trimmed with PHP's trim). Each parameter becomes a
:class:`~bot.parse.calls.Parameter` with its value as passed and its source; strip markers are
turned back into the markup they stand for.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.parse.calls import (
    Dependency,
    NotCalledReason,
    Parameter,
    TagSpan,
    TemplateCall,
    plain_parameter,
)
from bot.parse.context import DEAD, LIVE, Context, Origin
from bot.parse.nodes import Node, Part, Template
from bot.parse.sanitizer import NOT_NUMBERS, PHP_TRIM, php_array_key, php_trim
from bot.parse.tags import MARKER_PATTERN


class Out:
    """The two texts of an expansion and what they depend on (``wanted``: someone reads them)."""

    __slots__ = ("deps", "passed", "source", "wanted")

    def __init__(self, wanted: bool = True) -> None:
        self.wanted = wanted
        self.passed: list[str] = []
        self.source: list[str] = []
        self.deps: list[Dependency] = []

    def add(self, passed: str, source: str) -> None:
        self.passed.append(passed)
        self.source.append(source)


#: A plain call's parameters, duplicate keys, and arguments (``TemplateCall.arguments``).
PlainCall = tuple[tuple[Parameter, ...], tuple[int | str, ...], dict[int | str, Parameter]]


def plain_parameters(parts: list[Part]) -> PlainCall | None:
    """Return the parameters, duplicate keys and arguments of a call of plain-text parts.

    What :meth:`CallRecorder.call` and ``TemplateCall.arguments`` find for such a call, in one
    pass: nothing in it is expanded, so the order of expansion does not matter. None when a
    part holds markup.
    """
    found: list[tuple[int | str, str, int, int, int | str, bool]] = []
    last: dict[int | str, int] = {}
    duplicates: list[int | str] = []
    for part in parts:
        value_nodes = part.value
        if not value_nodes:
            value = ""
        elif len(value_nodes) == 1 and type(value_nodes[0]) is str:
            value = value_nodes[0]
        else:
            return None
        name_nodes = part.name
        label: int | str
        key: int | str
        if name_nodes is None:
            key = label = part.index
        else:
            if not name_nodes:
                name = ""
            elif len(name_nodes) == 1 and type(name_nodes[0]) is str:
                name = name_nodes[0]
            else:
                return None
            label = name.strip(PHP_TRIM)
            key = label if label[:1] in NOT_NUMBERS else php_array_key(label)
            value = value.strip(PHP_TRIM)
            if "\x7f" in label:
                return None
        if "\x7f" in value:
            return None
        if key in last:
            duplicates.append(key)
        last[key] = len(found)
        found.append((label, value, part.start, part.end, key, name_nodes is None))
    parameters, arguments = _plain_arguments(found, set(last.values()))
    return parameters, tuple(duplicates), arguments


def _plain_arguments(
    found: list[tuple[int | str, str, int, int, int | str, bool]], used: set[int]
) -> tuple[tuple[Parameter, ...], dict[int | str, Parameter]]:
    """Return the parameters found, and the arguments in PHP's order (``TemplateCall``)."""
    parameters: list[Parameter] = []
    numbered: dict[int | str, Parameter] = {}
    named: dict[int | str, Parameter] = {}
    for number, (label, value, start, end, key, positional) in enumerate(found):
        parameter = plain_parameter(label, value, number in used, start, end)
        parameters.append(parameter)
        if positional:
            named.pop(key, None)
            numbered[key] = parameter
        else:
            numbered.pop(key, None)
            named[key] = parameter
    return tuple(parameters), numbered | named


class CallRecorder:
    """Matched calls for the expander (mixed into it)."""

    calls: list[TemplateCall | None]
    markers: dict[str, tuple[str, str, str | None]]
    depth: int

    def render_text(self, nodes: list[Node], context: Context) -> Out:
        raise NotImplementedError

    def unknown_code(
        self, node: Template, title: Out, context: Context, out: Out, dependency: Dependency
    ) -> None:
        raise NotImplementedError

    def report(
        self, reason: NotCalledReason, start: int, end: int, detail: str, context: Context
    ) -> None:
        raise NotImplementedError

    def line(self, offset: int) -> int:
        raise NotImplementedError

    def text_of(self, nodes: list[Node], context: Context) -> str | Out:
        """Return the expansion of ``nodes``: the text itself when it is plain text."""
        if not nodes:
            return ""
        if len(nodes) == 1:
            first = nodes[0]
            if type(first) is str:
                return first
        return self.render_text(nodes, context)

    def names(self, node: Template, context: Context) -> list[str | Out | None]:
        """Expand the names of named parameters, as PPFrame_Hash::newChild does."""
        names: list[str | Out | None] = []
        for part in node.parts:
            name = part.name
            if name is None:
                names.append(None)
            elif len(name) == 1 and type(name[0]) is str:
                names.append(name[0])
            else:
                names.append(self.text_of(name, context))
        return names

    def call(
        self,
        node: Template,
        key: str,
        prefixed: str,
        title: Out,
        context: Context,
        *,
        out: Out,
        dependency: Dependency,
    ) -> None:
        """Record one call of a matched template and expand its arguments."""
        origin = context.origin
        start, end = origin.page(node.start), origin.page(node.end)
        if context.mode == DEAD:
            self.report(context.reason or NotCalledReason.COMMENT, start, end, context.detail,
                        context)  # fmt: skip
            self.unknown_code(node, title, context, out, dependency)
            return
        parts = node.parts
        if not out.wanted and origin.anchor_origin is None and parts:
            plain = plain_parameters(parts)
            if plain is not None:
                call = TemplateCall(
                    key=key, title=prefixed, written="".join(title.source), start=start, end=end,
                    line=self.line(start), parameters=plain[0],
                    certain=context.mode == LIVE, because=context.because,
                    within=context.within, parent=context.parent, reused=False,
                    duplicates=plain[1],
                )  # fmt: skip
                call.__dict__["_arguments"] = plain[2]  # the cached property, found in the pass
                self.calls.append(call)
                return
        names = self.names(node, context)
        numbered, named, duplicates, keys = self.frame_keys(node, names)
        reused = False
        if not parts and context.mode == LIVE:
            reused = prefixed in context.frame
            context.frame.add(prefixed)
        slot = len(self.calls)
        self.calls.append(None)
        values: list[str | Out] = [""] * len(parts)
        used = {*numbered.values(), *named.values()}
        self.depth += 1
        try:
            for number in (*numbered.values(), *named.values()):
                nodes = parts[number].value
                if len(nodes) == 1 and type(nodes[0]) is str:
                    values[number] = nodes[0]
                elif nodes:
                    inner = context.nested(f"parameter {keys[number]}", slot)
                    values[number] = self.render_text(nodes, inner)
            for number, part in enumerate(parts):
                if number not in used:
                    detail = f"overridden parameter {keys[number]}"
                    dead = context.dead(NotCalledReason.OVERRIDDEN_PARAMETER, detail)
                    values[number] = self.text_of(part.value, dead)
        finally:
            self.depth -= 1
        if out.wanted:
            source = self.source_form(title, node, names, values)
            out.add(source, source)
            out.deps.append(dependency)
        self.calls[slot] = TemplateCall(
            key=key,
            title=prefixed,
            written="".join(title.source),
            start=start,
            end=end,
            line=self.line(start),
            parameters=self.parameters(
                parts, names=names, values=values, keys=keys, used=used, origin=origin
            ),
            certain=context.mode == LIVE,
            because=context.because,
            within=context.within,
            parent=context.parent,
            reused=reused,
            duplicates=tuple(duplicates),
        )

    @staticmethod
    def frame_keys(
        node: Template, names: Sequence[str | Out | None]
    ) -> tuple[dict[int | str, int], dict[int | str, int], list[int | str], list[int | str]]:
        """Return the numbered and named arguments as PPFrame_Hash::newChild files them.

        Each maps a key to the number of the part that gives its value; with them, the keys
        given more than once and every part's key (a named part's key is its trimmed name or the
        integer that name spells).
        """
        numbered: dict[int | str, int] = {}
        named: dict[int | str, int] = {}
        duplicates: list[int | str] = []
        keys: list[int | str] = []
        for number, part in enumerate(node.parts):
            name = names[number]
            if name is None:
                key: int | str = part.index
                if key in named or key in numbered:
                    duplicates.append(key)
                numbered[key] = number
                named.pop(key, None)
            else:
                text = name if type(name) is str else "".join(name.passed)  # type: ignore[union-attr]
                key = text.strip(PHP_TRIM)
                if key[:1] not in NOT_NUMBERS:
                    key = php_array_key(key)
                if key in named or key in numbered:
                    duplicates.append(key)
                named[key] = number
                numbered.pop(key, None)
            keys.append(key)
        return numbered, named, duplicates, keys

    @staticmethod
    def source_form(
        title: Out, node: Template, names: Sequence[str | Out | None], values: Sequence[str | Out]
    ) -> str:
        """Return ``{{title|name=value|...}}`` from the source of its pieces."""
        pieces = ["{{", *title.source]
        for name, value in zip(names, values, strict=True):
            pieces.append("|")
            if name is not None:
                if type(name) is str:
                    pieces.append(name)
                else:
                    pieces.extend(name.source)  # type: ignore[union-attr]
                pieces.append("=")
            if type(value) is str:
                pieces.append(value)
            else:
                pieces.extend(value.source)  # type: ignore[union-attr]
        pieces.append("}}")
        return "".join(pieces)

    def parameters(
        self,
        parts: list[Part],
        *,
        names: list[str | Out | None],
        values: list[str | Out],
        keys: list[int | str],
        used: set[int],
        origin: Origin,
    ) -> tuple[Parameter, ...]:
        """Return the records of a call's parameters, in written order."""
        records: list[Parameter] = []
        shifted = origin.anchor_origin is not None
        append, strip = records.append, str.strip
        for number, part in enumerate(parts):
            name, value = names[number], values[number]
            if type(name) is str and type(value) is str and not shifted:
                # The common case, inline: plain name = plain value. The key is the trimmed
                # name, or the number it spells.
                key = keys[number]
                label = key if type(key) is str else strip(name, PHP_TRIM)
                text = strip(value, PHP_TRIM)
                if "\x7f" not in label and "\x7f" not in text:
                    append(plain_parameter(label, text, number in used, part.start, part.end))
                    continue
            append(self.parameter(part, name, value, number in used, origin))
        return tuple(records)

    def parameter(
        self, part: Part, name: str | Out | None, value: str | Out, used: bool, origin: Origin
    ) -> Parameter:
        """Return the record of one parameter."""
        deps: tuple[Dependency, ...] = ()
        if type(value) is str:
            passed = source = value if part.name is None else value.strip(PHP_TRIM)
        else:
            passed, source = "".join(value.passed), "".join(value.source)  # type: ignore[union-attr]
            deps = tuple(value.deps)  # type: ignore[union-attr]
            if part.name is not None:
                passed, source = passed.strip(PHP_TRIM), source.strip(PHP_TRIM)
        name_deps: tuple[Dependency, ...] = ()
        name_tags: tuple[TagSpan, ...] = ()
        label: int | str = part.index
        if type(name) is str:
            label = name.strip(PHP_TRIM)
            if "\x7f" in label:
                label, name_tags = self.unstrip(label)
        elif name is not None:
            name_deps = tuple(name.deps)  # type: ignore[union-attr]
            label, name_tags = self.unstrip(
                php_trim("".join(name.source if name_deps else name.passed))  # type: ignore[union-attr]
            )
        if deps:
            passed = source
        tags: tuple[TagSpan, ...] = ()
        if "\x7f" in passed:
            passed, tags = self.unstrip(passed)
            source = self.unstrip(source)[0]
        start, end = part.start, part.end
        if origin.anchor_origin is not None:
            start, end = origin.page(start), origin.page(end)
        # Positional arguments: this runs once per parameter of every call.
        return Parameter(
            label, passed, source, used, deps, name_deps, name_tags, tags, start, end
        )  # fmt: skip

    def unstrip(self, text: str) -> tuple[str, tuple[TagSpan, ...]]:
        """Replace strip markers by the markup they stand for; return the text and the spans."""
        if "\x7f" not in text:
            return text, ()
        pieces: list[str] = []
        spans: list[TagSpan] = []
        length = 0
        last = 0
        for match in MARKER_PATTERN.finditer(text):
            pieces.append(text[last : match.start()])
            length += match.start() - last
            name, source, inner = self.markers.get(match.group(), ("item", "<br />", None))
            if match.group(1) == "item":
                name, source, inner = "item", "<br />", None
            pieces.append(source)
            spans.append(TagSpan(length, length + len(source), name, inner))
            length += len(source)
            last = match.end()
        pieces.append(text[last:])
        return "".join(pieces), tuple(spans)

    # -- extension tags and hidden text ---------------------------------------------------------
