"""The usage figures each infobox shows, as compact data in the findings data page.

One entry per record (``"u"`` in the record's object, see :mod:`bot.render.findings_json`);
``Module:Partnership infobox`` renders it. Keys, each left out when there is no value::

    {"f": files, "u": files used, "p": pages using them, "t": pages through templates only,
     "v": views in the last full month, "m": that month (YYYY-MM),
     "vs": the views' state ("ok", "no data", "stale"), "s": 1 when the counts are stale,
     "y": 1 when the figures are synthetic, "d": the collection's date (YYYY-MM-DD),
     "l": the link target of the partnership's section on the usage page}
"""

from __future__ import annotations

from bot.usage.history import Headline


def usage_entry(headline: Headline, link: str) -> dict[str, object]:
    """Return the infobox's usage entry for one record."""
    entry: dict[str, object] = {"l": link, "m": str(headline.views_month)}
    for key, value in (
        ("f", headline.files),
        ("u", headline.files_used),
        ("p", headline.pages),
        ("t", headline.template_pages),
        ("v", headline.views),
    ):
        if value is not None:
            entry[key] = value
    if headline.views_state:
        entry["vs"] = headline.views_state
    if headline.counts_stale:
        entry["s"] = 1
    if headline.synthetic:
        entry["y"] = 1
    if headline.as_of:
        entry["d"] = headline.as_of[:10]
    return entry
