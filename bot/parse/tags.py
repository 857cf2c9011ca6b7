"""What extension tags do with their content on a page view (MediaWiki 1.39, Cite, Poem).

MediaWiki hands an extension tag's raw content to the tag's hook; some hooks parse it again as
wikitext, later or rewritten. Ported here: ``<ref>``/``<references>`` (Cite: a reference's
content is parsed when its list is rendered, at ``<references />`` or at the end of the page,
once per reference, and only when Cite accepts the tag), ``<poem>`` (lines rewritten, then
parsed), ``<indicator>`` (parsed when it has a ``name``), ``<gallery>`` (the ``caption``
attribute and every caption after a valid file name). Tags known to keep their content as text
are opaque; any other tag may do anything with it, so calls inside it are uncertain.

:class:`~bot.parse.context.Context` says how the expander is reading; Cite's hooks are in
:mod:`bot.parse.cite`.
"""

from __future__ import annotations

import re

from bot.parse.calls import Dependency, DependencyKind, NotCalledReason
from bot.parse.cite import CiteReader, inner_start
from bot.parse.context import DEAD, UNCERTAIN, Context
from bot.parse.nodes import Ext
from bot.parse.sanitizer import decode_tag_attributes, php_trim
from bot.parse.site import NS_FILE, SiteFacts, split_title

#: Tags whose content stays text (or, for langconvert, is parsed only on wikis with variants).
OPAQUE_TAGS = frozenset(
    {
        "nowiki", "pre", "templatedata", "langconvert", "syntaxhighlight", "source", "math",
        "chem", "ce", "score", "graph", "timeline", "hiero", "templatestyles", "section",
        "mapframe", "maplink", "charinsert",
    }
)  # fmt: skip
PARSING_TAGS = frozenset({"ref", "references", "poem", "indicator", "gallery"})

#: A strip marker MediaWiki leaves for a tag (or an item a tag inserts).
MARKER_PATTERN = re.compile("\x7f'\"`UNIQ--(.+?)-(?:[0-9A-F]{8}|[0-9]+-)-QINU`\"'\x7f")


def ext_source(node: Ext) -> str:
    """Return an extension tag as written (PPFrame::NO_TAGS)."""
    if node.inner is None:
        return f"<{node.name}{node.attr}/>"
    return f"<{node.name}{node.attr}>{node.inner}{node.close or ''}"


_INDENT = re.compile(r"^(:++)(.+)$", re.MULTILINE)
_POEM_BREAK = re.compile(r"(?<!^----)\n", re.MULTILINE)
_LEADING_SPACES = re.compile(r"^ +", re.MULTILINE)
_GALLERY_LINE = re.compile(r"([^|]+)(\|(.*))?\Z", re.DOTALL)
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")


def _raw_url_decode(text: str) -> str:
    """Return ``text`` with ``%XX`` sequences decoded as UTF-8 (PHP's rawurldecode)."""
    data = _PERCENT.sub(
        lambda match: bytes([int(match.group(1), 16)]), text.encode("utf-8", "surrogatepass")
    )
    return data.decode("utf-8", "replace")


class TagReader(CiteReader):
    """Extension-tag hooks for the expander (mixed into it)."""

    site: SiteFacts

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
            "ref": self.tag_ref,
            "references": self.tag_references,
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
            target = _raw_url_decode(match.group(1)) if "%" in line else match.group(1)
            if split_title(target, NS_FILE, self.site) is None or match.group(2) is None:
                continue
            raw = match.group(3)
            text = php_trim(raw)
            start = line_start + match.start(3) + (len(raw) - len(raw.lstrip(" \t\n\r\0\x0b")))
            origin = context.origin.shifted(start, len(text))
            self.read_subtext(text, context.inside("<gallery>", origin, set()))
