"""Expand a preprocessor tree as a page view does and record every call of matched templates.

A port of ``PPFrame_Hash::expand``, ``Parser::braceSubstitution``, ``Parser::argSubstitution``
and ``PPFrame_Hash::newChild`` (MediaWiki 1.39) for the root frame of a page, where no template
arguments exist. Where the answer depends on code on other pages (a template's or parser
function's parameters, a name built by a template) nothing is guessed: a call there is recorded
as uncertain, with what it depends on.

Every expansion gives two texts, as MediaWiki's frames do: what is *passed* (templates
expanded, extension tags as strip markers) and the *source* (``PPFrame::NO_ARGS |
NO_TEMPLATES | NO_TAGS | STRIP_COMMENTS``: what is written, comments and ``<includeonly>``
content removed). Where the passed text depends on other templates, the source stands in.

Order of calls (MediaWiki's, for a module that reads every argument): the call's name, then the
names of its named parameters (MediaWiki expands them when it builds the frame), then the call
itself, then the values, positional first, then named, each name in the order it first appears
(``PPTemplateFrame_Hash::getArguments``). A value overridden by a later duplicate is never read.
Calls inside ``<ref>`` run when the reference list is rendered (``<references />`` or the end).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from bot.parse.arguments import CallRecorder, Out
from bot.parse.calls import (
    Dependency,
    DependencyKind,
    NotCalled,
    NotCalledReason,
    OpenToEnd,
    PageCalls,
    TemplateCall,
    Unclosed,
)
from bot.parse.cite import CiteState
from bot.parse.context import LIVE, Context, Origin
from bot.parse.dom import build_dom
from bot.parse.names import TemplateNames
from bot.parse.nodes import (
    Comment,
    Ext,
    Heading,
    Ignore,
    Node,
    OpenPiece,
    Part,
    Template,
)
from bot.parse.sanitizer import php_trim
from bot.parse.site import function_name, strip_msg_prefixes, strip_subst
from bot.parse.tags import TagReader, ext_source

#: MediaWiki's $wgMaxPPExpandDepth.
MAX_EXPAND_DEPTH = 100
#: How deep nested markup is followed here (MediaWiki follows it iteratively; pages never nest
#: this deep, generated stress input may).
MAX_NESTING = 150
#: At most this many unclosed calls are reported per text, each with this many blockers.
MAX_REPORTS = 20
MAX_BLOCKING = 5
_NEWLINE = re.compile("\n")
DEPTH_ERROR = '<span class="error">Expansion depth limit exceeded</span>'


class Expander(CallRecorder, TagReader):
    """Walk one page; collect calls of the templates in ``keys``."""

    def __init__(
        self,
        text: str,
        templates: TemplateNames,
    ) -> None:
        self.text = text
        self.templates = templates
        self.site = templates.site
        self.calls: list[TemplateCall | None] = []
        self.not_called: list[NotCalled] = []
        self.unclosed: list[Unclosed] = []
        self.open_to_end: list[OpenToEnd] = []
        self.markers: dict[str, tuple[str, str, str | None]] = {}
        self.marker_index = 0
        self.cite = CiteState()
        self.depth = 0
        self.nesting = 0
        self._lines_asked = 0
        self._newlines: list[int] | None = None

    # -- entry --------------------------------------------------------------------------------

    def run(self) -> PageCalls:
        """Read the page and return what MediaWiki calls."""
        context = Context(LIVE, (), None, (), None, "", set(), Origin.identity())
        self.read_subtext(self.text, context)
        self.finish_references(context)
        return PageCalls(
            calls=tuple(call for call in self.calls if call is not None),
            not_called=tuple(self.not_called),
            unclosed=tuple(self.unclosed),
            open_to_end=tuple(self.open_to_end),
        )

    def read_subtext(self, text: str, context: Context) -> None:
        """Preprocess ``text`` as a page and expand it in ``context`` (a recursiveTagParse)."""
        dom = build_dom(text, self.site.extension_tags, self.site.language_conversion)
        if context.mode == LIVE:
            for number, unclosed in enumerate(dom.unclosed):
                if len(self.unclosed) < MAX_REPORTS:
                    later = dom.unclosed[number + 1 : number + 1 + MAX_BLOCKING]
                    self._report_unclosed(unclosed, later, context)
        if text is self.text and dom.unclosed and dom.unclosed[-1].opening[0] == "<":
            start = dom.unclosed[-1].start
            self.open_to_end.append(OpenToEnd(dom.unclosed[-1].opening, start, self.line(start)))
        self.depth += 1
        try:
            self.render(dom.nodes, context, Out(wanted=False))
        finally:
            self.depth -= 1

    def line(self, offset: int) -> int:
        """Return the 1-based line of a page offset."""
        self._lines_asked += 1
        if self._lines_asked < 8:
            return self.text.count("\n", 0, offset) + 1
        if self._newlines is None:
            self._newlines = [match.start() for match in _NEWLINE.finditer(self.text)]
        return bisect_left(self._newlines, offset) + 1

    # -- expansion ----------------------------------------------------------------------------

    def render(self, nodes: list[Node], context: Context, out: Out) -> None:
        """Expand ``nodes`` into ``out`` (PPFrame_Hash::expand with STRIP_COMMENTS)."""
        if self.nesting > MAX_NESTING:
            self._too_deep(nodes, context, out)
            return
        self.nesting += 1
        try:
            for node in nodes:
                if type(node) is str:
                    out.passed.append(node)
                    out.source.append(node)
                elif type(node) is Template:
                    self.template(node, context, out)
                elif type(node) is Ext:
                    self.extension(node, context, out)
                elif type(node) is Heading:
                    self.render(node.children, context, out)
                elif type(node) is Comment:
                    reason = NotCalledReason.COMMENT
                    self.hidden(node.text, node.start, reason, "comment", context)
                elif type(node) is Ignore:
                    reason = NotCalledReason.INCLUDEONLY
                    self.hidden(node.text, node.start, reason, "includeonly", context)
                else:  # EQUALS
                    out.add("=", "=")
        finally:
            self.nesting -= 1

    def _too_deep(self, nodes: list[Node], context: Context, out: Out) -> None:
        out.add(DEPTH_ERROR, DEPTH_ERROR)
        start = next((node.start for node in nodes if isinstance(node, Template)), None)
        if start is not None:
            page = context.origin.page(start)
            self.report(NotCalledReason.DEPTH_LIMIT, page, page, "markup nested too deeply",
                        context)  # fmt: skip

    def render_text(self, nodes: list[Node], context: Context) -> Out:
        """Return the expansion of ``nodes`` (a fast path for plain text)."""
        out = Out()
        first = nodes[0] if len(nodes) == 1 else None
        if type(first) is str:
            out.passed.append(first)
            out.source.append(first)
        elif nodes:
            self.depth += 1
            try:
                if self.depth > MAX_EXPAND_DEPTH:
                    out.add(DEPTH_ERROR, DEPTH_ERROR)
                else:
                    self.render(nodes, context, out)
            finally:
                self.depth -= 1
        return out

    def render_part(self, part: Part, context: Context, out: Out) -> None:
        """Expand a part as a whole: ``name=value`` or the positional value."""
        if part.name is not None:
            self.render(part.name, context, out)
            out.add("=", "=")
        self.render(part.value, context, out)

    def template(self, node: Template, context: Context, out: Out) -> None:
        """Expand ``{{...}}`` or ``{{{...}}}`` (braceSubstitution, argSubstitution)."""
        if node.is_arg:
            self.argument(node, context, out)
            return
        title = self.render_text(node.title, context)
        if title.deps:
            self.built_title(node, title, context, out)
            return
        written = "".join(title.passed)
        resolution = self.templates.resolutions.get((written, bool(node.parts)))
        if resolution is None:
            resolution = self.templates.resolution(written, bool(node.parts))
        kind, name, key = resolution
        start, end = context.origin.page(node.start), context.origin.page(node.end)
        if kind == "literal":
            self.literal(node, title, context, out)
            if key:
                self.report(NotCalledReason.SUBST, start, end, "subst:", context)
        elif kind == "variable":
            source = "{{" + "".join(title.source) + "}}"
            if name in ("!", "="):
                out.add(name if name == "=" else "|", source)
            else:
                out.add(source, source)
                out.deps.append(Dependency(DependencyKind.MAGIC_WORD, name, start, end))
        elif kind == "function":
            dependency = Dependency(DependencyKind.PARSER_FUNCTION, name, start, end)
            self.unknown_code(node, title, context.doubt(dependency), out, dependency)
        elif not key:
            dependency = Dependency(DependencyKind.TEMPLATE, name, start, end)
            self.unknown_code(node, title, context.doubt(dependency), out, dependency)
        elif kind == "msgnw":
            names = self.names(node, context)
            self.report(NotCalledReason.MSGNW, start, end, "msgnw:", context)
            dead = context.dead(NotCalledReason.MSGNW, "msgnw:")
            values: list[str | Out] = [self.render_text(part.value, dead) for part in node.parts]
            source = self.source_form(title, node, names, values)
            out.add(source, source)
            out.deps.append(Dependency(DependencyKind.TEMPLATE, name, start, end))
        else:
            dependency = Dependency(DependencyKind.TEMPLATE, name, start, end)
            self.call(node, key, name, title, context, out=out, dependency=dependency)

    def built_title(self, node: Template, title: Out, context: Context, out: Out) -> None:
        """Expand a call whose name comes out of other templates.

        What precedes the first template in the name may already decide: ``subst:`` leaves the
        call as text, ``lc:`` makes it a parser function. Otherwise it may be any template.
        """
        source = "".join(title.source)
        start, end = context.origin.page(node.start), context.origin.page(node.end)
        head, subst = strip_subst(php_trim(source))
        if subst == "subst":
            self.literal(node, title, context, out)
            return
        head = strip_msg_prefixes(head)[0]
        colon, brace = head.find(":"), head.find("{{")
        function = function_name(head[: colon + 1], self.site) if 0 < colon < brace else None
        if function is not None:
            dependency = Dependency(DependencyKind.PARSER_FUNCTION, function, start, end)
            self.unknown_code(node, title, context.doubt(dependency), out, dependency)
            return
        dependency = Dependency(DependencyKind.UNKNOWN_TITLE, source, start, end)
        self.call(node, "", "", title, context.doubt(dependency), out=out, dependency=dependency)

    def argument(self, node: Template, context: Context, out: Out) -> None:
        """Expand ``{{{name|default}}}``: a page view has no arguments, so the default.

        The source keeps the whole ``{{{...}}}`` as written (PPFrame::NO_ARGS).
        """
        title = self.render_text(node.title, context)
        if not node.parts:
            out.passed.append("{{{" + "".join(title.passed) + "}}}")
            out.deps.extend(title.deps)
            out.source.append("{{{" + "".join(title.source) + "}}}")
            return
        default = Out()
        self.render_part(node.parts[0], context, default)
        out.passed.extend(default.passed)
        out.deps.extend(default.deps)
        rest = Out()
        unread = context.dead(NotCalledReason.COMMENT, "").silent()
        for part in node.parts[1:]:
            rest.source.append("|")
            self.render_part(part, unread, rest)
        out.source.append("{{{" + "".join(title.source) + "|")
        out.source.extend(default.source)
        out.source.extend(rest.source)
        out.source.append("}}}")

    def literal(self, node: Template, title: Out, context: Context, out: Out) -> None:
        """Expand a template MediaWiki leaves as text, its parameters expanded."""
        out.add("{{" + "".join(title.passed), "{{" + "".join(title.source))
        for part in node.parts:
            out.add("|", "|")
            self.render_part(part, context, out)
        out.add("}}", "}}")

    def unknown_code(
        self, node: Template, title: Out, context: Context, out: Out, dependency: Dependency
    ) -> None:
        """Expand what other code decides: its text is its source, calls inside are doubtful."""
        inner = Out()
        self.literal(node, title, context, inner)
        source = "".join(inner.source)
        out.add(source, source)
        out.deps.append(dependency)

    # -- matched calls ------------------------------------------------------------------------

    def extension(self, node: Ext, context: Context, out: Out) -> None:
        """Expand an extension tag: a strip marker, and what its hook does with the content."""
        name = node.name.lower()
        marker = f"\x7f'\"`UNIQ--{name}-{self.marker_index:08X}-QINU`\"'\x7f"
        self.marker_index += 1
        source = ext_source(node)
        self.markers[marker] = (name, source, node.inner)
        out.add(marker, source)
        self.nesting += 1
        try:
            self.run_tag(node, name, context)
        finally:
            self.nesting -= 1

    def new_item_marker(self) -> str:
        """Return a strip marker for markup a tag inserts (Parser::insertStripItem)."""
        marker = f"\x7f'\"`UNIQ--item-{self.marker_index}--QINU`\"'\x7f"
        self.marker_index += 1
        return marker

    def hidden(
        self, text: str, start: int, reason: NotCalledReason, detail: str, context: Context
    ) -> None:
        """Report mentions of matched templates in text MediaWiki does not expand."""
        if context.silenced:
            return
        for offset in self.templates.mentions.find(text):
            page = context.origin.page(start + offset)
            self.not_called.append(NotCalled(reason, page, page, self.line(page), detail))

    def report(
        self, reason: NotCalledReason, start: int, end: int, detail: str, context: Context
    ) -> None:
        """Record a matched template MediaWiki does not call."""
        if not context.silenced:
            self.not_called.append(NotCalled(reason, start, end, self.line(start), detail))

    def _report_unclosed(
        self, piece: OpenPiece, later: tuple[OpenPiece, ...], context: Context
    ) -> None:
        start, head = piece.start, piece.head
        if not piece.opening.startswith("{{"):
            return
        name = strip_msg_prefixes(strip_subst(php_trim(head))[0])[0]
        if self.templates.match(name) is None:
            return
        blocking = tuple((other.opening, context.origin.page(other.start)) for other in later)
        page = context.origin.page(start)
        self.unclosed.append(Unclosed(page, self.line(page), php_trim(head), blocking))
