"""What extension tags do with their content on a page view (MediaWiki 1.39, Cite, Poem).

MediaWiki hands an extension tag's raw content to the tag's hook; some hooks parse it again as
wikitext, later or rewritten. Ported here: ``<ref>``/``<references>`` (Cite: a reference's
content is parsed when its list is rendered, at ``<references />`` or at the end of the page,
once per reference, and only when Cite accepts the tag), ``<poem>`` (lines rewritten, then
parsed), ``<indicator>`` (parsed when it has a ``name``), ``<gallery>`` (the ``caption``
attribute and every caption after a valid file name). Tags known to keep their content as text
are opaque; any other tag may do anything with it, so calls inside it are uncertain.

:class:`Context` says how the expander is reading (for certain, uncertain, or for nothing) and
where; :class:`Origin` maps offsets in re-parsed text back to the page.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from urllib.parse import unquote

from bot.wikitext_calls import Dependency, DependencyKind, NotCalledReason
from bot.wikitext_nodes import Ext
from bot.wikitext_sanitizer import decode_tag_attributes, php_trim
from bot.wikitext_site import NS_FILE, SiteFacts, split_title

LIVE, UNCERTAIN, DEAD = 0, 1, 2

#: Tags whose content stays text (or, for langconvert, is parsed only on wikis with variants).
OPAQUE_TAGS = frozenset(
    {
        "nowiki", "pre", "templatedata", "langconvert", "syntaxhighlight", "source", "math",
        "chem", "ce", "score", "graph", "timeline", "hiero", "templatestyles", "section",
        "mapframe", "maplink", "charinsert",
    }
)  # fmt: skip
PARSING_TAGS = frozenset({"ref", "references", "poem", "indicator", "gallery"})

MARKER_PATTERN = re.compile("\x7f'\"`UNIQ--(.+?)-(?:[0-9A-F]{8}|[0-9]+-)-QINU`\"'\x7f")


class Origin:
    """Map offsets in a text MediaWiki parses again back to offsets in the page.

    ``segments`` are (local start, local end, origin, start there), sorted: a local offset in
    one maps into that origin; any other maps to ``anchor`` in ``anchor_origin``. The page's own
    origin has no ``anchor_origin``.
    """

    __slots__ = ("anchor", "anchor_origin", "segments", "starts")

    def __init__(
        self,
        segments: tuple[tuple[int, int, Origin, int], ...] = (),
        anchor_origin: Origin | None = None,
        anchor: int = 0,
    ) -> None:
        self.segments = segments
        self.starts = [segment[0] for segment in segments]
        self.anchor_origin = anchor_origin
        self.anchor = anchor

    @classmethod
    def identity(cls) -> Origin:
        """Return the page's own offsets."""
        return cls()

    def shifted(self, start: int, length: int) -> Origin:
        """Return the origin of a copy of ``text[start:start+length]``."""
        return Origin(((0, length, self, start),), self, start)

    def anchored(self, offset: int) -> Origin:
        """Return an origin that maps every offset to ``offset`` (rewritten text)."""
        return Origin((), self, offset)

    def page(self, local: int) -> int:
        """Return the page offset of ``local``."""
        if self.anchor_origin is None:
            return local
        index = bisect_right(self.starts, local) - 1
        if index >= 0:
            start, end, origin, target = self.segments[index]
            if local <= end:
                return origin.page(target + local - start)
        return self.anchor_origin.page(self.anchor)


@dataclass(frozen=True)
class Context:
    """How and where the expander reads: for certain, possibly, or not at all."""

    mode: int
    within: tuple[str, ...]
    parent: int | None
    because: tuple[Dependency, ...]
    reason: NotCalledReason | None
    detail: str
    #: The frame's cache of parameterless calls (titles already expanded in it).
    frame: set[str]
    origin: Origin
    silenced: bool = False

    def doubt(self, dependency: Dependency) -> Context:
        """Return the context inside code that may or may not expand what it holds."""
        if self.mode == DEAD:
            return self
        return Context(UNCERTAIN, self.within, self.parent, (*self.because, dependency), None,
                       "", self.frame, self.origin, self.silenced)  # fmt: skip

    def dead(self, reason: NotCalledReason, detail: str) -> Context:
        """Return the context inside text MediaWiki never expands."""
        if self.mode == DEAD:
            return self
        return Context(DEAD, self.within, self.parent, self.because, reason, detail, self.frame,
                       self.origin, self.silenced)  # fmt: skip

    def nested(self, label: str, parent: int) -> Context:
        """Return the context inside a parameter of call ``parent``."""
        return Context(self.mode, (*self.within, label), parent, self.because, self.reason,
                       self.detail, self.frame, self.origin, self.silenced)  # fmt: skip

    def silent(self) -> Context:
        """Return this context reporting nothing."""
        return Context(self.mode, self.within, self.parent, self.because, self.reason,
                       self.detail, self.frame, self.origin, True)  # fmt: skip

    def inside(self, label: str, origin: Origin, frame: set[str] | None = None) -> Context:
        """Return the context for a tag's content parsed again."""
        return Context(self.mode, (*self.within, label), self.parent, self.because, self.reason,
                       self.detail, self.frame if frame is None else frame, origin,
                       self.silenced)  # fmt: skip


@dataclass
class Reference:
    """One entry of a reference group (ReferenceStack)."""

    number: int | None
    name: str | None
    text: str | None
    key: int
    count: int
    #: Where the text came from, while it is one tag's content.
    origin: Origin | None
    start: int


@dataclass
class CiteState:
    """Cite's state during one parse: groups of references and the open ``<references>``."""

    groups: dict[str, dict[object, Reference]] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    sequence: int = 0
    in_group: str | None = None


def ext_source(node: Ext) -> str:
    """Return an extension tag as written (PPFrame::NO_TAGS)."""
    if node.inner is None:
        return f"<{node.name}{node.attr}/>"
    return f"<{node.name}{node.attr}>{node.inner}{node.close or ''}"


def inner_start(node: Ext) -> int:
    """Return the offset of an extension tag's content."""
    return node.end - len(node.close or "") - len(node.inner or "")


_INDENT = re.compile(r"^(:++)(.+)$", re.MULTILINE)
_POEM_BREAK = re.compile(r"(?<!^----)\n", re.MULTILINE)
_LEADING_SPACES = re.compile(r"^ +", re.MULTILINE)
_GALLERY_LINE = re.compile(r"([^|]+)(\|(.*))?\Z", re.DOTALL)
_TAGS_AND_COMMENTS = re.compile(r"<(\w++)[^>]*+>.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.ASCII)
_INCLUDED_REF = re.compile(r"<ref(erences)?\b[^>]*+>", re.IGNORECASE | re.ASCII)
_REF_ATTRIBUTES = ("group", "name", "extends", "follow", "dir")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class TagReader:
    """Extension-tag hooks for the expander (mixed into it)."""

    site: SiteFacts
    cite: CiteState

    def read_subtext(self, text: str, context: Context) -> None:
        raise NotImplementedError

    def hidden(
        self, text: str, start: int, reason: NotCalledReason, detail: str, context: Context
    ) -> None:
        raise NotImplementedError

    def new_item_marker(self) -> str:
        raise NotImplementedError

    def run_tag(self, node: Ext, name: str, context: Context) -> None:
        """Do what the tag's hook does with its content."""
        inner = node.inner or ""
        start = inner_start(node)
        origin = context.origin
        if name not in PARSING_TAGS:
            if name in OPAQUE_TAGS:
                self.hidden(inner, start, NotCalledReason.OPAQUE_TAG, f"<{name}>", context)
            elif inner:
                dependency = Dependency(
                    DependencyKind.EXTENSION_TAG, f"<{name}>", origin.page(node.start),
                    origin.page(node.end),
                )  # fmt: skip
                doubtful = context.doubt(dependency)
                self.read_subtext(
                    inner, doubtful.inside(f"<{name}>", origin.shifted(start, len(inner)))
                )
            return
        if context.mode == DEAD:
            self.hidden(inner, start, context.reason or NotCalledReason.COMMENT, context.detail,
                        context)  # fmt: skip
            return
        if context.mode == UNCERTAIN:
            self.read_subtext(inner, context.inside(f"<{name}>", origin.shifted(start, len(inner))))
            return
        hooks = {
            "ref": self._tag_ref,
            "references": self._tag_references,
            "poem": self._tag_poem,
            "indicator": self._tag_indicator,
            "gallery": self._tag_gallery,
        }
        hooks[name](node, context)

    # -- Poem, indicator, gallery -------------------------------------------------------------

    def _tag_poem(self, node: Ext, context: Context) -> None:
        tag = self.new_item_marker()
        text = _INDENT.sub(
            lambda match: (
                '<span class="mw-poem-indented" style="display: inline-block; '
                f'margin-inline-start: {len(match.group(1))}em;">{match.group(2)}</span>'
            ),
            node.inner or "",
        )
        text = text.removeprefix("\n")
        text = text.removesuffix("\n")
        text = _POEM_BREAK.sub(lambda _match: tag + "\n", text)
        text = _LEADING_SPACES.sub(lambda match: "&#160;" * len(match.group()), text)
        self.read_subtext(text, context.inside("<poem>", context.origin.anchored(node.start)))

    def _tag_indicator(self, node: Ext, context: Context) -> None:
        name = decode_tag_attributes(node.attr).get("name")
        inner = node.inner or ""
        if name is None or not php_trim(name):
            self.hidden(inner, inner_start(node), NotCalledReason.OPAQUE_TAG,
                        "<indicator> without a name", context)  # fmt: skip
            return
        origin = context.origin.shifted(inner_start(node), len(inner))
        self.read_subtext(inner, context.inside("<indicator>", origin))

    def _tag_gallery(self, node: Ext, context: Context) -> None:
        caption = decode_tag_attributes(node.attr).get("caption")
        if caption is not None:
            origin = context.origin.anchored(node.start)
            self.read_subtext(caption, context.inside("<gallery caption>", origin, set()))
        offset = inner_start(node)
        for line in (node.inner or "").split("\n"):
            line_start, offset = offset, offset + len(line) + 1
            match = _GALLERY_LINE.match(line)
            if not match:
                continue
            target = unquote(match.group(1), errors="replace") if "%" in line else match.group(1)
            if split_title(target, NS_FILE, self.site) is None or match.group(2) is None:
                continue
            raw = match.group(3)
            text = php_trim(raw)
            start = line_start + match.start(3) + (len(raw) - len(raw.lstrip(" \t\n\r\0\x0b")))
            origin = context.origin.shifted(start, len(text))
            self.read_subtext(text, context.inside("<gallery>", origin, set()))

    # -- Cite ---------------------------------------------------------------------------------

    def _tag_ref(self, node: Ext, context: Context) -> None:
        cite = self.cite
        if not node.attr.strip() and cite.in_group is None and "{{" not in (node.inner or "{{"):
            # An anonymous reference of plain text: it holds no call and touches no other
            # reference (its number shifts later ones, but not their order).
            return
        attributes = decode_tag_attributes(node.attr)
        text = node.inner
        group = attributes.get("group")
        if group is None:
            group = cite.in_group if cite.in_group is not None else ""
        name = attributes.get("name")
        error = self._ref_error(attributes, text, group)
        start = inner_start(node)
        if error and cite.in_group is not None:
            return
        if text is not None and not php_trim(text):
            text = None
        refs = cite.groups.setdefault(group, {})
        if cite.in_group is not None:  # defined inside <references>: it names a reference
            entry = refs.get(name)
            if entry is not None and text is not None and entry.text is None:
                entry.text, entry.origin, entry.start = text, context.origin, start
            return
        if error:
            self.hidden(text or "", start, NotCalledReason.UNRENDERED_REFERENCE,
                        f"<ref> that Cite rejects ({error})", context)  # fmt: skip
            return
        cite.sequence += 1
        entry = Reference(None, name, text, cite.sequence, 0 if name else -1, context.origin, start)
        self._push_ref(refs, entry, attributes.get("follow"), group)

    def _push_ref(
        self, refs: dict[object, Reference], entry: Reference, follow: str | None, group: str
    ) -> None:
        """Add a reference to its group (ReferenceStack::pushRef)."""
        name, text = entry.name, entry.text
        if follow:
            if follow not in refs:
                refs[object()] = entry
            elif text is not None:
                target = refs[follow]
                target.text = (target.text or "") + " " + text
                target.origin = None
            return
        if name and name in refs:
            existing = refs[name]
            existing.count += 1
            if existing.text is None and text is not None:
                existing.text, existing.origin, existing.start = text, entry.origin, entry.start
            return
        refs[name or object()] = entry
        self.cite.numbers[group] = entry.number = self.cite.numbers.get(group, 0) + 1

    def _ref_error(self, attributes: dict[str, str], text: str | None, group: str) -> str:
        """Return why Cite rejects a ``<ref>`` (empty when it accepts it)."""
        cite = self.cite
        name, extends, follow = (attributes.get(key) for key in ("name", "extends", "follow"))
        direction = attributes.get("dir")
        if any(key not in _REF_ATTRIBUTES for key in attributes):
            return "too many keys"
        if any(value and value.isdigit() and value.isascii() for value in (name, extends, follow)):
            return "numeric key"
        if extends:
            return "book referencing is off"
        if follow and (name or extends):
            return "too many keys"
        if direction is not None and direction.lower() not in ("ltr", "rtl"):
            return "invalid dir"
        if cite.in_group is None:
            if not name and (text is None or not php_trim(text)):
                return "no content"
            if text is not None and _INCLUDED_REF.search(_TAGS_AND_COMMENTS.sub("", text)):
                return "ref inside ref"
            return ""
        refs = cite.groups.get(group, {})
        if group != cite.in_group or not name or text is None or not php_trim(text):
            return "invalid in references"
        if not refs or name not in refs:
            return "missing key"
        return ""

    def _tag_references(self, node: Ext, context: Context) -> None:
        cite = self.cite
        if cite.in_group is not None:
            return
        attributes = decode_tag_attributes(node.attr)
        group = attributes.get("group", "")
        cite.in_group = group
        try:
            inner = node.inner
            if inner is not None and php_trim(inner):
                origin = context.origin.shifted(inner_start(node), len(inner))
                self.read_subtext(inner, context.inside("<references>", origin, set()))
            if all(key in ("group", "responsive") for key in attributes):
                self.render_group(group, context)
        finally:
            cite.in_group = None

    def finish_references(self, context: Context) -> None:
        """Render what Cite adds at the end of the page (ParserAfterParse)."""
        for group in list(self.cite.groups):
            if group == "":
                self.render_group(group, context)
                continue
            for entry in self.cite.groups.pop(group).values():
                if entry.text is not None and entry.origin is not None:
                    where = Context(DEAD, (), None, (), None, "", set(), entry.origin)
                    self.hidden(entry.text, entry.start, NotCalledReason.UNRENDERED_REFERENCE,
                                f'<ref group="{group}"> without <references>', where)  # fmt: skip

    def render_group(self, group: str, context: Context) -> None:
        """Parse a group's reference list, as ReferencesFormatter does."""
        refs = self.cite.groups.pop(group, None)
        self.cite.numbers.pop(group, None)
        if not refs or not any("{{" in (ref.text or "") for ref in refs.values()):
            return
        pieces = ['<ol class="references">', "\n"]
        length = len(pieces[0]) + 1
        segments: list[tuple[int, int, Origin, int]] = []
        for entry in sorted(refs.values(), key=lambda ref: ref.number or 0):
            head, text, tail = self._list_item(entry)
            pieces += [head, text, tail, "\n"]
            if entry.origin is not None and text:
                segments.append((length + len(head), length + len(head) + len(text),
                                 entry.origin, entry.start))  # fmt: skip
            length += len(head) + len(text) + len(tail) + 1
        pieces.append("</ol>")
        origin = Origin(tuple(segments), context.origin, 0)
        where = Context(LIVE, ("<ref>",), None, (), None, "", set(), origin)
        self.read_subtext("".join(pieces), where)

    @staticmethod
    def _list_item(entry: Reference) -> tuple[str, str, str]:
        """Return a list item's markup before the text, the text, and the markup after it."""
        text = (entry.text or "").rstrip("\n")
        name = _ID_UNSAFE.sub("_", entry.name or "")
        if entry.number is None:
            return f'<p id="cite_note-{name}"><span class="reference-text">', text, "</span>\n</p>"
        if entry.count < 0:
            link = f"[[#cite_ref-{entry.key}|↑]]"
            anchor = f"cite_note-{entry.key}"
        elif entry.count == 0:
            link = f"[[#cite_ref-{name}_{entry.key}-0|↑]]"
            anchor = f"cite_note-{name}-{entry.key}"
        else:
            links = "&#32;".join(
                f"<sup>[[#cite_ref-{name}_{entry.key}-{i}|{entry.number}.{i}]]</sup>"
                for i in range(entry.count + 1)
            )
            link, anchor = f"↑ {links}", f"cite_note-{name}-{entry.key}"
        head = f'<li id="{anchor}"><span class="mw-cite-backlink">{link}</span> '
        if entry.text is None:
            return head, "", "</li>"
        return head + '<span class="reference-text">', text, "</span>\n</li>"
