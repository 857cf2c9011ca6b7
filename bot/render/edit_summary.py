"""Edit summaries made of fixed text and counts only, never of values from the wiki.

The fixed text is a message of the bundles in the wiki's language (:func:`message_summary`), or
the configured ``[run] edit_summary`` followed by named counts (:func:`edit_summary`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.render.escape import clean_text, truncate
from bot.render.messages import Messages

#: Longest edit summary MediaWiki keeps, in characters.
SUMMARY_LIMIT = 500

_COUNT_NAME = re.compile(r"[a-z][a-z0-9 ]{0,39}")
_SUMMARY_DROPPED = str.maketrans(dict.fromkeys("[]{}<>|~", " "))


def edit_summary(prefix: str, counts: Mapping[str, int]) -> str:
    """Return an edit summary made of fixed text and counts only, at most 500 characters.

    ``prefix`` is the configured summary text (``[]{}<>|~`` and the ``/*`` of section comments
    in it become spaces); ``counts`` maps a fixed lowercase noun to a number, shown in name order:
    ``edit_summary("Update", {"partnerships": 12, "errors": 3})`` gives
    ``"Update (3 errors, 12 partnerships)"``. Names must be short lowercase words chosen by the
    code, never values from the wiki.
    """
    for name, number in counts.items():
        if _COUNT_NAME.fullmatch(name) is None:
            raise ValueError(f"count names must be short lowercase words: {name!r}")
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ValueError(f"count {name!r} must be a whole number >= 0")
    text = clean_text(clean_text(prefix).translate(_SUMMARY_DROPPED).replace("/*", "/ "))
    if counts:
        listed = ", ".join(f"{counts[name]} {name}" for name in sorted(counts))
        text = f"{text} ({listed})" if text else listed
    return truncate(text, SUMMARY_LIMIT)


def message_summary(messages: Messages, key: str, *counts: int) -> str:
    """Return the edit summary ``key`` of the bundles, with ``counts`` filled in.

    The message is fixed text in the wiki's language and its parameters are counts only, so the
    summary reads naturally ("update the status of 17 partnerships (1 with errors)") and never
    carries a value from the wiki.
    """
    for number in counts:
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ValueError(f"edit summary counts must be whole numbers >= 0: {number!r}")
    return edit_summary(messages.text(key, *counts), {})
