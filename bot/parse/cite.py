"""What Cite does with ``<ref>`` and ``<references>`` on a page view (MediaWiki 1.39).

A reference's content is parsed when its list is rendered, at ``<references />`` or at the end
of the page, once per reference, and only when Cite accepts the tag. :class:`CiteReader` is
mixed into the expander through :class:`~bot.parse.tags.TagReader`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.parse.calls import NotCalledReason
from bot.parse.context import DEAD, LIVE, Context, Origin
from bot.parse.nodes import Ext
from bot.parse.sanitizer import decode_tag_attributes, php_trim

_TAGS_AND_COMMENTS = re.compile(r"<(\w++)[^>]*+>.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.ASCII)
_INCLUDED_REF = re.compile(r"<ref(erences)?\b[^>]*+>", re.IGNORECASE | re.ASCII)
_REF_ATTRIBUTES = ("group", "name", "extends", "follow", "dir")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


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


def inner_start(node: Ext) -> int:
    """Return the offset of an extension tag's content."""
    return node.end - len(node.close or "") - len(node.inner or "")


class CiteReader:
    """Cite's tag hooks for the expander (mixed into it)."""

    cite: CiteState

    def read_subtext(self, text: str, context: Context) -> None:
        raise NotImplementedError

    def hidden(
        self, text: str, start: int, reason: NotCalledReason, detail: str, context: Context
    ) -> None:
        raise NotImplementedError

    def tag_ref(self, node: Ext, context: Context) -> None:
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

    def tag_references(self, node: Ext, context: Context) -> None:
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
