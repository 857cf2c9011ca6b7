"""Read the name in ``{{...}}`` as ``Parser::braceSubstitution`` does, for the matched templates.

:class:`TemplateNames` says what an expanded name asks for (text, a magic word, a parser
function, a template, a matched template), and :class:`Mentions` finds matched names in text
MediaWiki does not expand (comments, ``<nowiki>``...), to report them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.parse.sanitizer import php_trim
from bot.parse.site import (
    NS_TEMPLATE,
    SiteFacts,
    Title,
    function_name,
    is_variable,
    split_title,
    strip_msg_prefixes,
    strip_subst,
)

#: How many resolved template names a reader keeps (pages of one wiki share most of them).
RESOLUTIONS_KEPT = 4096


class Mentions:
    """Find text that names a matched template in text MediaWiki does not expand."""

    def __init__(self, titles: Iterable[Title], site: SiteFacts) -> None:
        names = []
        for title in titles:
            text = title.text
            first = re.escape(text[:1])
            if text[:1].lower() != text[:1].upper():
                first = f"[{re.escape(text[0].upper())}{re.escape(text[0].lower())}]"
            rest = "[ _]+".join(re.escape(word) for word in text[1:].split(" "))
            namespace = r"(?i:template\s*:\s*)?"
            if title.namespace != NS_TEMPLATE:
                printed = site.namespace_names.get(title.namespace, "")
                namespace = rf"(?i:{re.escape(printed)}\s*:\s*)" if printed else ""
            names.append(namespace + first + rest)
        self.pattern = re.compile(
            r"\{\{\s*(?i:(?:safe)?subst:|msgnw:|msg:|raw:|:)*\s*(?:"
            + "|".join(names or ["(?!)"])
            + r")(?=[\s|}#<]|$)"
        )

    def find(self, text: str) -> list[int]:
        """Return the offsets of mentions in ``text``."""
        if "{{" not in text:
            return []
        return [match.start() for match in self.pattern.finditer(text)]


class TemplateNames:
    """What the name in ``{{...}}`` asks for on one wiki, knowing the matched templates.

    One per reader: the resolved names are kept (pages of one wiki share most of them).
    """

    def __init__(self, keys: Mapping[Title, str], site: SiteFacts) -> None:
        self.keys = keys
        self.site = site
        self.mentions = Mentions(keys, site)
        self.resolutions: dict[tuple[str, bool], tuple[str, str, str]] = {}

    def resolution(self, written: str, has_parts: bool) -> tuple[str, str, str]:
        """Return what a call's expanded name asks for, as braceSubstitution decides it.

        (kind, name, key): ``literal`` (``subst:`` or an invalid title: left as text; key set
        when a subst names a matched template), ``variable`` (a magic word), ``function`` (a
        parser function), ``template`` or ``msgnw`` (name: the title, key: the matched
        template's key or ""). Cached per reader: pages share their template names.
        """
        part1, subst = strip_subst(php_trim(written))
        resolution: tuple[str, str, str]
        if subst == "subst":
            resolution = ("literal", "", self.match(strip_msg_prefixes(part1)[0]) or "")
        elif not has_parts and is_variable(part1, self.site):
            resolution = ("variable", part1, "")
        else:
            part1, nowiki = strip_msg_prefixes(part1)
            function = function_name(part1, self.site)
            resolved = None if function else split_title(part1, NS_TEMPLATE, self.site)
            if function:
                resolution = ("function", function, "")
            elif resolved is None or (resolved.interwiki and not self.transcludes(resolved)):
                # Not a page, or a page on another wiki that is not transcluded: text.
                resolution = ("literal", "", "")
            elif resolved.interwiki:
                resolution = ("template", f"{resolved.interwiki}:{resolved.text}", "")
            else:
                kind = "msgnw" if nowiki else "template"
                resolution = (kind, self.prefixed(resolved), self.keys.get(resolved, ""))
        if len(self.resolutions) > RESOLUTIONS_KEPT:
            self.resolutions.clear()
        self.resolutions[written, has_parts] = resolution
        return resolution

    def transcludes(self, title: Title) -> bool:
        """Return True when MediaWiki may transclude a page of another wiki (``iw_trans``)."""
        return title.interwiki in self.site.transcludable

    def prefixed(self, title: Title) -> str:
        """Return ``Namespace:Text`` as MediaWiki prints a title."""
        if title.namespace == 0:
            return title.text
        name = self.site.namespace_names.get(title.namespace, str(title.namespace))
        return f"{name}:{title.text}"

    def match(self, part1: str) -> str | None:
        """Return the key a template name (after prefixes) matches, or None."""
        resolved = split_title(part1, NS_TEMPLATE, self.site)
        return None if resolved is None else self.keys.get(resolved)
