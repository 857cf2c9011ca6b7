"""What the preprocessor must know about a wiki, and MediaWiki's rules for titles and attributes.

:class:`SiteFacts` holds the facts that change from wiki to wiki: the extension tags the parser
knows (siteinfo ``extensiontags``), the namespaces (``namespaces``, ``namespacealiases``), the
parser functions (``functionhooks`` with their ``magicwords`` aliases) and the magic variables
(``variables``). :func:`site_facts_from_siteinfo` builds them from a siteinfo query; the defaults
are what the embedded local wiki (MediaWiki 1.39 with ParserFunctions, Scribunto,
TemplateData, Cite and Poem) reports; :data:`WIKIMEDIA_SITE` adds the tags and parser functions
of the extensions Wikimedia's wikis run, for reading a page without asking its wiki.

The functions port, for MediaWiki 1.39, ``Title::newFromText`` (``MediaWikiTitleCodec::
splitTitleString``) without interwiki prefixes, and how ``Parser::braceSubstitution`` reads the
prefixes and magic words of a template name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.parse.sanitizer import decode_char_references

NS_MAIN = 0
NS_TALK = 1
NS_FILE = 6
NS_TEMPLATE = 10
NS_SPECIAL = -1

#: Extension tags of the embedded local wiki (siteinfo ``extensiontags``, MediaWiki 1.39).
DEFAULT_EXTENSION_TAGS = frozenset(
    {"pre", "nowiki", "gallery", "indicator", "langconvert", "templatedata", "ref", "references",
     "poem"}
)  # fmt: skip
#: Further extension tags of Wikimedia's wikis (SyntaxHighlight, Math, Score, Kartographer,
#: TemplateStyles, LabeledSectionTransclusion, CategoryTree, InputBox, ImageMap, Translate...).
WIKIMEDIA_EXTENSION_TAGS = DEFAULT_EXTENSION_TAGS | frozenset(
    {"timeline", "hiero", "charinsert", "inputbox", "imagemap", "source", "syntaxhighlight",
     "categorytree", "section", "score", "templatestyles", "math", "ce", "chem", "graph",
     "maplink", "mapframe", "languages"}
)  # fmt: skip
#: Namespace names and aliases of an English MediaWiki 1.39 (lowercase, spaces), with ids.
DEFAULT_NAMESPACES: Mapping[str, int] = {
    "media": -2, "special": -1, "talk": 1, "user": 2, "user talk": 3, "project": 4,
    "project talk": 5, "file": 6, "image": 6, "file talk": 7, "image talk": 7, "mediawiki": 8,
    "mediawiki talk": 9, "template": 10, "template talk": 11, "help": 12, "help talk": 13,
    "category": 14, "category talk": 15, "module": 828, "module talk": 829,
}  # fmt: skip
#: How MediaWiki prints the namespaces' names.
DEFAULT_NAMESPACE_NAMES: Mapping[int, str] = {
    -2: "Media", -1: "Special", 1: "Talk", 2: "User", 3: "User talk", 4: "Project",
    5: "Project talk", 6: "File", 7: "File talk", 8: "MediaWiki", 9: "MediaWiki talk",
    10: "Template", 11: "Template talk", 12: "Help", 13: "Help talk", 14: "Category",
    15: "Category talk", 828: "Module", 829: "Module talk",
}  # fmt: skip
#: Parser-function names of MediaWiki 1.39 with ParserFunctions and Scribunto (lowercase).
DEFAULT_FUNCTIONS = frozenset(
    {
    "ns", "nse", "urlencode", "lcfirst", "ucfirst", "lc", "uc", "localurl", "localurle",
    "fullurl", "fullurle", "canonicalurl", "canonicalurle", "formatnum", "grammar", "gender",
    "plural", "bidi", "numberofpages", "numberofusers", "numberofactiveusers",
    "numberofarticles", "numberoffiles", "numberofadmins", "numberingroup", "numberinggroup",
    "numberofedits", "language", "padleft", "padright", "anchorencode", "defaultsort",
    "defaultsortkey", "defaultcategorysort", "filepath", "pagesincategory", "pagesincat",
    "pagesize", "protectionlevel", "protectionexpiry", "namespace", "namespacee",
    "namespacenumber", "talkspace", "talkspacee", "subjectspace", "subjectspacee",
    "articlespace", "articlespacee", "pagename", "pagenamee", "fullpagename", "fullpagenamee",
    "rootpagename", "rootpagenamee", "basepagename", "basepagenamee", "subpagename",
    "subpagenamee", "talkpagename", "talkpagenamee", "subjectpagename", "subjectpagenamee",
    "articlepagename", "articlepagenamee", "pageid", "revisionid", "revisionday",
    "revisionday2", "revisionmonth", "revisionmonth1", "revisionyear", "revisiontimestamp",
    "revisionuser", "cascadingsources", "int", "special", "speciale", "tag", "formatdate",
    "displaytitle", "invoke", "if", "ifeq", "switch", "ifexist", "ifexpr", "iferror", "time",
    "timel", "expr", "rel2abs", "titleparts", "len", "pos", "rpos", "sub", "count", "replace",
    "explode", "urldecode",
    }
)  # fmt: skip
#: Further parser functions of Wikimedia's wikis (Babel, LabeledSectionTransclusion, Wikibase,
#: Translate, CategoryTree, GeoData...), lowercase.
WIKIMEDIA_FUNCTIONS = DEFAULT_FUNCTIONS | frozenset(
    {"babel", "lst", "lsth", "lstx", "section", "section-h", "section-x", "property",
     "statements", "translation", "categorytree", "coordinates", "commaseparatedlist",
     "target", "assessment", "noexternallanglinks", "mentor"}
)  # fmt: skip
#: Magic variables of MediaWiki 1.39 (siteinfo ``variables`` aliases); all are case-sensitive
#: except those in DEFAULT_CASELESS_VARIABLES.
DEFAULT_VARIABLES = frozenset(
    {
    "!", "=", "CURRENTMONTH", "CURRENTMONTH2", "CURRENTMONTH1", "CURRENTMONTHNAME",
    "CURRENTMONTHNAMEGEN", "CURRENTMONTHABBREV", "CURRENTDAY", "CURRENTDAY2", "CURRENTDAYNAME",
    "CURRENTYEAR", "CURRENTTIME", "CURRENTHOUR", "LOCALMONTH", "LOCALMONTH2", "LOCALMONTH1",
    "LOCALMONTHNAME", "LOCALMONTHNAMEGEN", "LOCALMONTHABBREV", "LOCALDAY", "LOCALDAY2",
    "LOCALDAYNAME", "LOCALYEAR", "LOCALTIME", "LOCALHOUR", "NUMBEROFARTICLES", "NUMBEROFFILES",
    "NUMBEROFEDITS", "SITENAME", "PAGENAME", "PAGENAMEE", "FULLPAGENAME", "FULLPAGENAMEE",
    "NAMESPACE", "NAMESPACEE", "NAMESPACENUMBER", "CURRENTWEEK", "CURRENTDOW", "LOCALWEEK",
    "LOCALDOW", "REVISIONID", "REVISIONDAY", "REVISIONDAY2", "REVISIONMONTH", "REVISIONMONTH1",
    "REVISIONYEAR", "REVISIONTIMESTAMP", "REVISIONUSER", "REVISIONSIZE", "SUBPAGENAME",
    "SUBPAGENAMEE", "TALKSPACE", "TALKSPACEE", "SUBJECTSPACE", "ARTICLESPACE", "SUBJECTSPACEE",
    "ARTICLESPACEE", "TALKPAGENAME", "TALKPAGENAMEE", "SUBJECTPAGENAME", "ARTICLEPAGENAME",
    "SUBJECTPAGENAMEE", "ARTICLEPAGENAMEE", "NUMBEROFUSERS", "NUMBEROFACTIVEUSERS",
    "NUMBEROFPAGES", "CURRENTVERSION", "ROOTPAGENAME", "ROOTPAGENAMEE", "BASEPAGENAME",
    "BASEPAGENAMEE", "CURRENTTIMESTAMP", "LOCALTIMESTAMP", "DIRECTIONMARK", "DIRMARK",
    "CONTENTLANGUAGE", "CONTENTLANG", "PAGELANGUAGE", "NUMBEROFADMINS", "CASCADINGSOURCES",
    }
)  # fmt: skip
DEFAULT_CASELESS_VARIABLES = frozenset(
    {"articlepath", "pageid", "server", "servername", "scriptpath", "stylepath"}
)


@dataclass(frozen=True)
class SiteFacts:
    """The facts about one wiki that change what its preprocessor does."""

    #: Extension tags the parser has hooks for, lowercase (siteinfo ``extensiontags``).
    extension_tags: frozenset[str] = DEFAULT_EXTENSION_TAGS
    #: Namespace names and aliases, lowercase with spaces, to namespace ids.
    namespaces: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_NAMESPACES))
    #: Each namespace's name as MediaWiki prints it.
    namespace_names: Mapping[int, str] = field(
        default_factory=lambda: dict(DEFAULT_NAMESPACE_NAMES)
    )
    #: Parser-function names and aliases, lowercase, without ``#``.
    functions: frozenset[str] = DEFAULT_FUNCTIONS
    #: Case-sensitive magic variables (``{{!}}``, ``{{PAGENAME}}``...).
    variables: frozenset[str] = DEFAULT_VARIABLES
    #: Case-insensitive magic variables, lowercase.
    caseless_variables: frozenset[str] = DEFAULT_CASELESS_VARIABLES
    #: ``$wgCapitalLinks``: the first letter of a title is case-insensitive.
    capital_links: bool = True
    #: ``-{ }-`` language-conversion markup is read (``$wgDisableLangConversion`` is false).
    language_conversion: bool = True
    #: Interwiki prefixes, lowercase (siteinfo ``interwikimap``): ``{{prefix:X}}`` names a page
    #: on another wiki. Empty by default: an unknown prefix is read as part of a local title.
    interwiki: frozenset[str] = frozenset()
    #: Interwiki prefixes marked transcludable (``trans``).
    transcludable: frozenset[str] = frozenset()


#: A Wikimedia wiki, as far as reading pages goes (its interwiki prefixes are not listed).
WIKIMEDIA_SITE = SiteFacts(extension_tags=WIKIMEDIA_EXTENSION_TAGS, functions=WIKIMEDIA_FUNCTIONS)


def site_facts_from_siteinfo(query: Mapping[str, Any]) -> SiteFacts:
    """Return the facts in a siteinfo ``query`` (formatversion 2).

    Reads ``extensiontags``, ``namespaces``, ``namespacealiases``, ``functionhooks``,
    ``variables``, ``magicwords``, ``interwikimap`` and ``general.case``; a missing part keeps
    its default.
    """
    defaults = SiteFacts()
    tags = defaults.extension_tags
    if "extensiontags" in query:
        tags = frozenset(tag.strip("<>").lower() for tag in query["extensiontags"])
    namespaces = dict(defaults.namespaces)
    printed = dict(defaults.namespace_names)
    if "namespaces" in query:
        namespaces, printed = {}, {}
        entries = query["namespaces"]
        for entry in entries.values() if isinstance(entries, Mapping) else entries:
            if entry.get("name"):
                printed[int(entry["id"])] = entry["name"]
            for key in ("name", "canonical"):
                if entry.get(key):
                    namespaces[_namespace_key(entry[key])] = int(entry["id"])
        for alias in query.get("namespacealiases", ()):
            namespaces[_namespace_key(alias["alias"])] = int(alias["id"])
    aliases: dict[str, tuple[list[str], bool]] = {
        word["name"]: (list(word.get("aliases", ())), bool(word.get("case-sensitive")))
        for word in query.get("magicwords", ())
    }
    functions = defaults.functions
    if "functionhooks" in query:
        names: set[str] = set()
        for hook in query["functionhooks"]:
            names.add(hook.lower())
            names.update(alias.rstrip(":").lower() for alias in aliases.get(hook, ([], False))[0])
        functions = frozenset(names)
    variables, caseless = defaults.variables, defaults.caseless_variables
    if "variables" in query:
        sensitive: set[str] = set()
        insensitive: set[str] = set()
        for variable in query["variables"]:
            words, case_sensitive = aliases.get(variable, ([variable], True))
            target = sensitive if case_sensitive else insensitive
            target.update(word if case_sensitive else word.lower() for word in words)
        variables, caseless = frozenset(sensitive), frozenset(insensitive)
    general = query.get("general", {})
    interwiki = query.get("interwikimap", ())
    return SiteFacts(
        interwiki=frozenset(entry["prefix"].lower() for entry in interwiki),
        transcludable=frozenset(
            entry["prefix"].lower() for entry in interwiki if entry.get("trans")
        ),
        extension_tags=tags,
        namespaces=namespaces,
        namespace_names=printed,
        functions=functions,
        variables=variables,
        caseless_variables=caseless,
        capital_links=general.get("case", "first-letter") == "first-letter",
    )


def _namespace_key(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).lower()


# -- titles -------------------------------------------------------------------------------------

_BIDI = re.compile("[\u200e\u200f\u202a-\u202e]+")
_TITLE_SPACE = re.compile("[ _\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_PREFIX = re.compile(r"^(.+?)_*:_*(.*)$")
_ILLEGAL = re.compile(
    r"[^ %!\"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~\x80-\U0010ffff+]"
    r"|%[0-9A-Fa-f]{2}|&[A-Za-z0-9\x80-\U0010ffff]+;"
)


@dataclass(frozen=True)
class Title:
    """A valid page title: namespace id and text (spaces, first letter normalised).

    ``interwiki`` is the lowercase prefix of a title on another wiki.
    """

    namespace: int
    text: str
    interwiki: str = ""


def split_title(text: str, default_namespace: int, site: SiteFacts) -> Title | None:
    """Return the title MediaWiki reads in ``text``, or None where it reads no valid title.

    Ports ``Title::newFromText`` for local titles: entities decoded (then NFC), bidi marks
    dropped, runs of spaces, underscores and Unicode spaces folded, a leading colon for the main
    namespace, a namespace prefix in any case, the ``#fragment`` dropped, illegal characters,
    relative paths, ``~~~`` and over-long titles rejected, the first letter upper-cased.
    An interwiki prefix listed in ``site.interwiki`` makes an external title (not upper-cased);
    local interwiki prefixes (links to the wiki itself) are not known.
    """
    text, decoded = decode_char_references(text)
    if decoded:
        text = unicodedata.normalize("NFC", text)
    dbkey = text.replace(" ", "_")
    dbkey = _BIDI.sub("", dbkey)
    dbkey = _TITLE_SPACE.sub("_", dbkey).strip("_")
    if "\ufffd" in dbkey:
        return None
    namespace = default_namespace
    if dbkey.startswith(":"):
        namespace = NS_MAIN
        dbkey = dbkey[1:].strip("_")
    if not dbkey:
        return None
    split = _split_prefix(dbkey, site)
    if split is None:
        return None
    found, interwiki, dbkey = split
    if found is not None:
        namespace = found
    if interwiki and dbkey.startswith(":"):
        namespace, dbkey = NS_MAIN, dbkey[1:].strip("_")
    fragment = dbkey.find("#")
    if fragment >= 0:
        dbkey = dbkey[:fragment].rstrip("_")
    if _ILLEGAL.search(dbkey) or _relative(dbkey) or "~~~" in dbkey:
        return None
    if len(dbkey.encode("utf-8", "surrogatepass")) > (512 if namespace == NS_SPECIAL else 255):
        return None
    if site.capital_links and dbkey and not interwiki:
        dbkey = _ucfirst(dbkey)
    if (not dbkey and not interwiki and namespace != NS_MAIN) or dbkey.startswith(":"):
        return None
    return Title(namespace, dbkey.replace("_", " "), interwiki)


def _split_prefix(dbkey: str, site: SiteFacts) -> tuple[int | None, str, str] | None:
    """Return (namespace or None, interwiki prefix or "", rest); None for an invalid title."""
    match = _PREFIX.match(dbkey)
    if not match:
        return None, "", dbkey
    prefix = match.group(1).replace("_", " ").lower()
    found = site.namespaces.get(prefix)
    rest = match.group(2)
    if found is None:
        if prefix.replace(" ", "_") in site.interwiki:
            return None, prefix.replace(" ", "_"), rest
        return None, "", dbkey
    if found == NS_TALK:
        inner = _PREFIX.match(rest)
        if inner:
            inner_prefix = inner.group(1).replace("_", " ").lower()
            if inner_prefix in site.namespaces or inner_prefix.replace(" ", "_") in site.interwiki:
                return None
    return found, "", rest


def _relative(dbkey: str) -> bool:
    if "." not in dbkey:
        return False
    return (
        dbkey in (".", "..")
        or dbkey.startswith(("./", "../"))
        or "/./" in dbkey
        or "/../" in dbkey
        or dbkey.endswith(("/.", "/.."))
    )


def _ucfirst(text: str) -> str:
    # Language::ucfirst: ASCII below "`" is taken as upper case or uncased; the rest is upper-cased
    # as mb_strtoupper() does (full case mapping: "ß" becomes "SS").
    if text[0] < "`":
        return text
    return text[0].upper() + text[1:]


def template_title(name: str, site: SiteFacts) -> Title | None:
    """Return the title a template name refers to (``Template:`` assumed), or None."""
    return split_title(name, NS_TEMPLATE, site)


# -- magic words in template names ---------------------------------------------------------------

_SUBST = re.compile(r"(?:(subst:)|(safesubst:))", re.IGNORECASE)
_MSGNW = re.compile(r"msgnw:", re.IGNORECASE)
_MSG = re.compile(r"msg:", re.IGNORECASE)
_RAW = re.compile(r"raw:", re.IGNORECASE)


def strip_subst(part1: str) -> tuple[str, str | None]:
    """Return ``part1`` without a leading ``subst:``/``safesubst:``, and which one it was."""
    match = _SUBST.match(part1)
    if not match:
        return part1, None
    return part1[match.end() :], "subst" if match.group(1) else "safesubst"


def strip_msg_prefixes(part1: str) -> tuple[str, bool]:
    """Return ``part1`` without ``msgnw:`` or ``msg:``, then ``raw:``; and whether msgnw."""
    nowiki = False
    match = _MSGNW.match(part1)
    if match:
        nowiki, part1 = True, part1[match.end() :]
    else:
        match = _MSG.match(part1)
        if match:
            part1 = part1[match.end() :]
    match = _RAW.match(part1)
    if match:
        part1 = part1[match.end() :]
    return part1, nowiki


def is_variable(name: str, site: SiteFacts) -> bool:
    """Return True when ``name`` (trimmed, no arguments) is a magic variable."""
    return name in site.variables or name.lower() in site.caseless_variables


def function_name(part1: str, site: SiteFacts) -> str | None:
    """Return the parser function ``part1`` calls (``#if:...``), or None for a template."""
    colon = part1.find(":")
    if colon < 0:
        return None
    name = part1[:colon]
    key = name.lower()
    if key.removeprefix("#") in site.functions:
        return name
    return None
