"""Name sample page files the way the sample set does (``bot.devwiki.seed`` reads them back)."""

from __future__ import annotations

from urllib.parse import quote

#: Characters kept as they are in a page file name; everything else is percent-encoded.
SAFE_IN_FILE_NAME = "-_.,()'!&+=;@~"


def file_name_from_title(title: str) -> str:
    """Return the canonical file name for page ``title``: ``_`` for spaces, percent-encoding for
    ``/``, ``:``, ``%`` and non-ASCII; ``title_from_file_name`` reads it back."""
    return quote(title.replace(" ", "_"), safe=SAFE_IN_FILE_NAME) + ".wikitext"
