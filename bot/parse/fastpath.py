"""Read ordinary infobox pages without the tokenizer, or refuse.

Most partnership pages hold their infoboxes at the start of a line, with values made of plain
text, simple links and comments. Such a page is split with regular expressions; only values
holding URLs or unusual links are tokenized, one value at a time. As soon as anything could make
MediaWiki (or the tokenizer) read the page differently (braces, tags, brackets or comments
around or before an infobox, other spellings of its name, line-start markup in a value) the
reader refuses by returning ``None`` and :func:`bot.parse.locate.locate_tokens` reads the page.
A property test checks that both readings build the same records.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from mwparserfromhell.definitions import is_scheme
from mwparserfromhell.parser import tokens

from bot.parse.locate import Located, Parameter, template_key, tokenize, value_from
from bot.parse.value_text import RawValue, Value, clean_text

__all__ = ["locate_plain", "may_name"]

_T = tokens
_CLOSED_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
#: Simple links, masked so that their bars and equals signs split nothing.
_WIKILINK = re.compile(r"\[\[([^\[\]{}<>|\n]+)(?:\|([^\[\]{}<>|\n]*))?\]\]")
_EXTERNAL_LINK = re.compile(r"\[[^\[\]{}<>|\n]*\]")
_ANY_LINK = re.compile(r"\[\[[^\[\]{}<>\n]*\]\]")
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):(//)?")
#: Markup at the start of a line: lists, headings, rules.
_LINE_STARTS = frozenset("*#:;=-")
_LINE_MARKUP = re.compile(r"\n[ \t]*[*#:;=]|\n-{4}")
_PARAMETER = re.compile(r"\|([^|=]*)(?:(=)([^|]*))?")
#: Comments become one control character and links hide their bars, equals signs and brackets
#: behind others, so that splitting on bars and equals signs reads the body as MediaWiki does.
_COMMENT_MARK = "\x03"
_PROTECT = str.maketrans("|=[]", "\x01\x02\x04\x05")
_UNPROTECT = str.maketrans("\x01\x02\x04\x05", "|=[]")
_SENTINELS = re.compile("[\x00-\x05]")
#: Tokens without text are never changed, so every value can share them.
_WIKILINK_OPEN, _WIKILINK_SEPARATOR, _WIKILINK_CLOSE = (
    _T.WikilinkOpen(),
    _T.WikilinkSeparator(),
    _T.WikilinkClose(),
)
_FREE_LINK_OPEN, _EXTERNAL_LINK_CLOSE = _T.ExternalLinkOpen(brackets=False), _T.ExternalLinkClose()
_BARE_URL = re.compile(r"(\s*)(https?://[A-Za-z0-9/_~%#=+.?-]*[A-Za-z0-9/_~%#=+-])(\s*)")


def may_name(text: str, keys: frozenset[str]) -> bool:
    """Return False when ``text`` cannot call a template named by ``keys`` (a quick check)."""
    return "{{" in text and _patterns(keys)[0].search(text) is not None


@lru_cache(maxsize=64)
def _patterns(keys: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Return patterns for: any text naming a key, exact calls, anything that might be a call."""
    words = sorted(re.escape(max(key.split(" "), key=len)) for key in keys)
    probe = "|".join(words)
    names = "|".join(
        f"[{re.escape(key[0].upper())}{re.escape(key[0].lower())}]"
        + "[ _]+".join(re.escape(word) for word in key[1:].split(" "))
        for key in sorted(keys)
    )
    exact = re.compile(
        rf"\{{\{{[ \t\n_]*(?:(?i:template)[ _]*:[ _]*)?(?:{names})[ \t\n_]*(?=\||\}}\}})"
    )
    loose = re.compile(rf"\{{\{{[^{{}}|]*?(?:{probe})", re.IGNORECASE)
    return re.compile(probe, re.IGNORECASE), exact, loose


def locate_plain(text: str, keys: frozenset[str]) -> Located | None:
    """Return the infoboxes of a plain page, or None when the page needs the tokenizer."""
    _, exact, loose = _patterns(keys)
    calls = list(exact.finditer(text))
    if not calls or len(calls) != len(loose.findall(text)):
        return None
    infoboxes: list[tuple[Parameter, ...]] = []
    position = 0
    for call in calls:
        line_start = text.rfind("\n", position, call.start()) + 1
        if not _quiet(text[position : call.start()]) or text[line_start : call.start()].strip():
            return None
        if template_key(call.group()[2:]) not in keys:
            return None
        close = text.find("}}", call.end())
        body = text[call.end() : close]
        if close < 0 or "{" in body or "}" in body or text[close + 2 : close + 3] == "}":
            return None
        parameters = _plain_parameters(body)
        if parameters is None:
            return None
        infoboxes.append(parameters)
        position = close + 2
    return Located(tuple(infoboxes))


def _quiet(text: str) -> bool:
    """Return whether ``text`` leaves nothing open that could swallow a following call."""
    if "<" in text:
        text = _CLOSED_COMMENT.sub("", text)
    if "[" in text:
        text = _ANY_LINK.sub("", text)
    return not any(char in text for char in "{}[]<")


def _protect(match: re.Match[str]) -> str:
    """Hide a link's bars, equals signs and brackets so that they split nothing."""
    return match.group().translate(_PROTECT)


def _plain_parameters(body: str) -> tuple[Parameter, ...] | None:  # noqa: PLR0912
    """Split an infobox body that holds only text, simple links and comments, or return None.

    One flat loop on purpose (the lint exceptions): this is the hot path of every parse.
    """
    if not body:
        return ()
    if _SENTINELS.search(body):
        return None
    work = _CLOSED_COMMENT.sub(_COMMENT_MARK, body) if "<" in body else body
    if "[" in work:
        for link in _WIKILINK.finditer(work):
            if _looks_external(link.group(1)):
                return None
        work = _EXTERNAL_LINK.sub(_protect, _WIKILINK.sub(_protect, work))
    if work[0] != "|" or "<" in work or "[" in work or "]" in work:
        return None
    parameters: list[Parameter] = []
    for written, equals, after in _PARAMETER.findall(work):
        name: str | None = None
        raw = after
        if not equals:
            raw = written
            if "\x02" in raw:  # an equals sign inside a link: the tokenizer decides
                return None
        else:
            if "\n" in written and written.rstrip(" \t").endswith("\n"):  # may open a heading
                return None
            name = written.strip()
            if not (name.isascii() and name.isprintable()):
                if "\x04" in name:  # a link in a parameter name
                    return None
                name = clean_text(name.replace(_COMMENT_MARK, ""))
        text = raw.strip()
        if (
            text.isascii()
            and text.isprintable()  # no newline (line-start markup), no link, no comment
            and "&" not in text
            and ":" not in text
            and text[:1] not in _LINE_STARTS  # after a newline these open lists or headings
        ):
            parameters.append((name, text))
            continue
        value = _plain_value(raw.translate(_UNPROTECT))
        if value is None:
            return None
        parameters.append((name, value))
    return tuple(parameters)


def _looks_external(title: str) -> bool:
    """Return whether a ``[[...]]`` title starts like a URL (the tokenizer reads it as one)."""
    scheme = _SCHEME.match(title)
    return scheme is not None and is_scheme(scheme.group(1), bool(scheme.group(2)))


def _plain_value(text: str) -> Value | None:
    """Return the value of plain parameter text, tokenizing only when it holds links or URLs."""
    commented = _COMMENT_MARK in text
    if commented:
        text = text.replace(_COMMENT_MARK, "")
    if "\n" in text.rstrip() and _LINE_MARKUP.search(text):
        return None  # lists and headings read differently inside a template: leave to the tokenizer
    if not ("[" in text or "&" in text or ":" in text):
        return clean_text(text)
    if commented:  # a removed comment can join what the tokenizer would have seen apart
        return None
    cleaned = clean_text(text)
    exact = cleaned == text.strip()  # else equal cleaned texts could hold different tokens
    token_list = _link_tokens(text)
    if token_list is not None:
        return RawValue(cleaned, tuple(token_list), exact)
    token_list = tokenize(" " + text)  # the space keeps the start from reading as a new line
    first = token_list[0]
    if type(first) is not _T.Text or not first["text"].startswith(" "):
        return None
    token_list[0] = _T.Text(text=first["text"][1:])
    value = value_from(token_list)
    return value._replace(exact=exact) if isinstance(value, RawValue) else value


def _link_tokens(text: str) -> list[Any] | None:
    """Return the tokens of text with simple wikilinks or one bare web address, else None."""
    if "&" in text:
        return None
    url = _BARE_URL.fullmatch(text)
    if url:
        lead, address, trail = url.groups()
        token_list = [_T.Text(text=lead)] if lead else []
        token_list += [_FREE_LINK_OPEN, _T.Text(text=address), _EXTERNAL_LINK_CLOSE]
        return [*token_list, _T.Text(text=trail)] if trail else token_list
    token_list = []
    position = 0
    for link in _WIKILINK.finditer(text):
        before = text[position : link.start()]
        if ":" in before or "[" in before or "]" in before or _looks_external(link.group(1)):
            return None
        if before:
            token_list.append(_T.Text(text=before))
        token_list += [_WIKILINK_OPEN, _T.Text(text=link.group(1))]
        if link.group(2) is not None:
            token_list.append(_WIKILINK_SEPARATOR)
            if link.group(2):
                token_list.append(_T.Text(text=link.group(2)))
        token_list.append(_WIKILINK_CLOSE)
        position = link.end()
    after = text[position:]
    if not token_list or ":" in after or "[" in after or "]" in after:
        return None
    return [*token_list, _T.Text(text=after)] if after else token_list
