"""Bot exclusion: ``{{nobots}}`` and ``{{bots|allow=...|deny=...|optout=...}}`` on a page.

pywikibot checks ``nobots``/``bots`` when it saves through ``Page.save``; the bot sends its edits
itself (to control the conflict timestamps), so the same convention is applied here, as
pywikibot's own tests define it (``TestPageBotMayEdit`` in its tests/page_tests.py) and as the
English Wikipedia's Template:Bots documents it:

- ``{{nobots}}`` excludes every bot; ``{{nobots|BotA,BotB}}`` only the bots listed (or ``all``);
  ``{{nobots|key=...}}`` with any named parameter is declined, as pywikibot declines it.
- ``{{bots|allow=...}}`` lists the only bots allowed (``all``: every bot; ``none``: no bot);
  ``{{bots|deny=...}}`` lists excluded bots (``all``: every bot; ``none``: no bot).
  ``allowscript=``/``denyscript=`` do the same for script names (this bot has none to match,
  so only ``all`` applies to it).
- Only the first parameter counts, as pywikibot reads it: positional parameters first, then
  named ones in name order. A positional ``{{bots|BotA}}``, an empty ``allow=`` and unknown
  keys are ignored.

Where the project is deliberately stricter than pywikibot (tests/unit/test_exclusion.py lists
each case, with what pywikibot answers):

- ``optout=`` (the message types a page does not want: ``all``, or ``partnership`` for this
  bot's notices) is honoured, in any position; pywikibot ignores it.
- Names that exclude are compared without regard to case (``deny=partnerbot``,
  ``{{nobots|partnerbot}}``, ``{{NOBOTS}}``); pywikibot compares bot names exactly and template
  titles as MediaWiki does. Names that let the bot in (``allow=``) must be written exactly.

pywikibot is stricter in one way the project does not follow: a wiki family may list more
templates that stop every bot (``{{in use}}`` on some Wikipedias); this bot edits only the
pages it owns and the noticeboard, where such templates do not belong.
"""

from __future__ import annotations

import mwparserfromhell
from mwparserfromhell.nodes import Template

_EXCLUSION_TEMPLATES = frozenset({"bots", "nobots"})


def _names(value: str, *, exact: bool = False) -> set[str]:
    items = (item.strip() for item in value.split(","))
    return {item if exact else item.casefold() for item in items if item}


def _template_name(template: Template) -> str:
    name = str(template.name).strip().replace("_", " ").casefold()
    if name.startswith("template:"):
        name = name.removeprefix("template:").strip()
    return " ".join(name.split())


def _parameters(template: Template) -> list[tuple[str, str]]:
    """Return ``(key, value)`` as pywikibot orders them: positional first, then named by name.

    A positional parameter has the key ``""``; only consecutive numbers from 1 are positional.
    """
    numbered: dict[int, str] = {}
    named: dict[str, str] = {}
    for param in template.params:
        key, value = str(param.name).strip(), str(param.value).strip()
        if key.isdecimal():
            numbered[int(key)] = value
        else:
            named[key] = value
    positional = []
    for number in range(1, len(numbered) + 1):
        if number not in numbered:
            break
        positional.append(("", numbered.pop(number)))
    named.update({str(number): value for number, value in numbered.items()})
    return positional + [(key, named[key]) for key in sorted(named)]


def _excludes(template: Template, bot_name: str, message_type: str) -> bool:
    """Return whether one ``{{bots}}``/``{{nobots}}`` call excludes the bot ``bot_name``."""
    me = bot_name.casefold()
    params = _parameters(template)
    if any(key.casefold() == "optout" for key, _ in params):
        optout = next(value for key, value in params if key.casefold() == "optout")
        if {"all", message_type} & _names(optout):
            return True
    if _template_name(template) == "nobots":
        if not params:
            return True
        key, value = params[0]
        return bool(key) or bool({"all", me} & _names(value))
    if not params:
        return False
    key, value = params[0]
    key, names = key.casefold(), _names(value)
    if not key or not value:
        return False  # {{bots|BotA}} and {{bots|allow=}} are not valid: ignored
    if key == "allow":  # only the name exactly as written lets the bot in
        return not ("all" in names or bot_name in _names(value, exact=True))
    if key == "deny":
        return bool({"all", me} & names)
    if key == "allowscript":
        return "all" not in names
    if key == "denyscript":
        return "all" in names
    return False  # unknown keys are ignored


def bot_may_edit(text: str, bot_name: str, *, message_type: str = "partnership") -> bool:
    """Return False when the page's text excludes ``bot_name`` (or ``message_type``)."""
    if "bots" not in text.casefold():
        return True
    kind = message_type.casefold()
    wikicode = mwparserfromhell.parse(text, skip_style_tags=True)
    for template in wikicode.filter_templates(recursive=True):
        if _template_name(template) in _EXCLUSION_TEMPLATES and _excludes(template, bot_name, kind):
            return False
    return True
