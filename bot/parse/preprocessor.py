"""Read the calls a page makes to given templates exactly as MediaWiki's preprocessor does.

This is a port of MediaWiki 1.39's preprocessor (``Preprocessor_Hash``) and of the parts of its
frame expansion, ``Parser::braceSubstitution`` and the core and Cite/Poem tag hooks that decide
which templates a page view calls and with what arguments. Use a :class:`CallReader`::

    reader = CallReader(["Partnership infobox"], site_facts_from_siteinfo(query))
    for call in reader.read(text).certain_calls:
        status = call.get("status")          # the parameter MediaWiki uses (the last one)

Nothing here raises on bad input: what MediaWiki shows as text is simply not a call, and what
could hide a call is reported (:class:`~bot.parse.calls.Unclosed`,
:class:`~bot.parse.calls.NotCalled`). What depends on code on other pages is reported as data
(``TemplateCall.certain`` and ``because``, ``Parameter.depends_on``).

The modules, in the order the text flows through them: :mod:`bot.parse.site` (what differs
between wikis; titles and template-name prefixes), :mod:`bot.parse.sanitizer` (PHP and
Sanitizer rules), :mod:`bot.parse.nodes`, :mod:`bot.parse.dom` and :mod:`bot.parse.scan`
(the tree and its scan), :mod:`bot.parse.names` (what a name in braces asks for),
:mod:`bot.parse.expand` and :mod:`bot.parse.context` (the frame walk),
:mod:`bot.parse.arguments` (a matched call's arguments), :mod:`bot.parse.tags` and
:mod:`bot.parse.cite` (tag hooks: Poem, gallery, indicator; Cite), :mod:`bot.parse.calls` (the
results). :mod:`bot.parse.records` turns the calls into partnership records.

Known limits: MediaWiki's parser limits (expansion depth, node count, include size) are
approximated; relative ``{{/Subpage}}`` names in namespaces with subpages, local interwiki
prefixes and template redirects are not known (list redirects among the template names); every
parser function's parameters count as uncertain (MediaWiki's core functions expand them all,
``#if`` and ``#invoke`` only some); ``<langconvert>`` is read as on a wiki without language
variants; Cite's book referencing (``extends``) is off, as on Wikimedia wikis.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from bot.parse.calls import (
    Dependency,
    DependencyKind,
    NotCalled,
    NotCalledReason,
    PageCalls,
    Parameter,
    TagSpan,
    TemplateCall,
    Unclosed,
)
from bot.parse.expand import Expander
from bot.parse.names import TemplateNames
from bot.parse.site import SiteFacts, Title, site_facts_from_siteinfo, template_title

__all__ = [
    "CallReader",
    "Dependency",
    "DependencyKind",
    "NotCalled",
    "NotCalledReason",
    "PageCalls",
    "Parameter",
    "SiteFacts",
    "TagSpan",
    "TemplateCall",
    "Unclosed",
    "find_template_calls",
    "site_facts_from_siteinfo",
    "template_keys",
]

DEFAULT_SITE = SiteFacts()


def template_keys(names: Iterable[str], site: SiteFacts = DEFAULT_SITE) -> dict[Title, str]:
    """Return the titles the template ``names`` resolve to (``Template:`` assumed), by title."""
    keys: dict[Title, str] = {}
    for name in names:
        title = template_title(unicodedata.normalize("NFC", name), site)
        if title is not None:
            keys.setdefault(title, name)
    return keys


class CallReader:
    """Read the calls of some templates on many pages of one wiki (prepared once)."""

    def __init__(self, templates: Iterable[str], site: SiteFacts = DEFAULT_SITE) -> None:
        self.site = site
        self.keys = template_keys(templates, site)
        self.templates = TemplateNames(self.keys, site)

    def read(self, text: str) -> PageCalls:
        """Return every call a view of a page with wikitext ``text`` makes to the templates.

        Offsets in the result are offsets in ``text`` (without NUL characters, which MediaWiki
        drops; U+007F, which MediaWiki reserves for its strip markers, reads as "?").
        """
        if "\x7f" in text or "\x00" in text:
            text = text.replace("\x7f", "?").replace("\x00", "")
        return Expander(text, self.templates).run()


def find_template_calls(
    text: str, templates: Iterable[str], site: SiteFacts = DEFAULT_SITE
) -> PageCalls:
    """Return every call a view of a page with wikitext ``text`` makes to ``templates``.

    ``templates`` are names as MediaWiki reads them in ``{{...}}`` (redirects and aliases
    listed too). For many pages, make one :class:`CallReader` and call its ``read``.
    """
    return CallReader(templates, site).read(text)
