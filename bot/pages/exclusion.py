"""Bot exclusion: ``{{nobots}}`` and ``{{bots|allow=...|deny=...|optout=...}}`` on a page.

pywikibot checks ``nobots``/``bots`` when it saves through ``Page.save``; the bot sends its edits
itself (to control the conflict timestamps), so the same convention is applied here, plus the
``optout=`` key that pywikibot ignores. The rules follow the community convention
(Template:Bots on English Wikipedia): ``{{nobots}}`` and ``deny=all``/``allow=none`` exclude every
bot; ``deny=`` lists excluded bot names; ``allow=`` lists the only bots allowed; ``optout=`` lists
message types a page does not want (``all`` for every type).
"""

from __future__ import annotations

import mwparserfromhell


def _names(value: str) -> set[str]:
    return {item.strip().casefold() for item in value.split(",") if item.strip()}


def bot_may_edit(text: str, bot_name: str, *, message_type: str = "partnership") -> bool:
    """Return False when the page's text excludes ``bot_name`` (or ``message_type``)."""
    lowered = text.casefold()
    if "bots" not in lowered:
        return True
    me = bot_name.casefold()
    wikicode = mwparserfromhell.parse(text, skip_style_tags=True)
    for template in wikicode.filter_templates(recursive=True):
        name = str(template.name).strip().replace("_", " ").casefold()
        name = name.removeprefix("template:").strip()
        if name == "nobots":
            return False
        if name != "bots":
            continue
        for param in template.params:
            key = str(param.name).strip().casefold()
            values = _names(str(param.value))
            if key == "allow":
                if "none" in values:
                    return False
                if "all" not in values and me not in values:
                    return False
            elif key == "deny":
                if "all" in values or me in values:
                    return False
            elif key == "optout" and ("all" in values or message_type.casefold() in values):
                return False
    return True
