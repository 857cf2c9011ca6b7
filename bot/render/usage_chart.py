"""What a usage chart shows, as data: the monthly views of one partnership, or of all of them.

The picture itself is drawn outside the pure core (:mod:`bot.io.charts`, matplotlib). A chart is
uploaded again only when :meth:`ChartSpec.digest` changes, so the digest covers everything the
picture shows and nothing else. A month without data is drawn as a gap with a "no data" mark,
never as a bar of 0; a month whose figure is older than the last collection (stale) is hatched;
synthetic figures carry a label across the chart.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from bot.io.usage_sources import Availability, Month
from bot.render.messages import Messages
from bot.usage.history import MonthFigures

#: Longest file name part taken from a partnership's label.
NAME_LIMIT = 120
_UNSAFE = re.compile(r"[#<>\[\]|{}/:\\\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class ChartSpec:
    """One bar chart of monthly views."""

    title: str
    method: str
    months: tuple[str, ...]
    values: tuple[int | None, ...]
    stale: tuple[bool, ...]
    axis_label: str
    no_data_label: str
    stale_label: str
    #: Written across the chart when the figures are synthetic, else "".
    synthetic_label: str

    def digest(self) -> str:
        """Return a digest of everything the chart shows."""
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chart_file_title(prefix: str, label: str, index: int = 0) -> str:
    """Return the ``File:`` title of a chart: prefix, label and, for a second infobox, its number.

    Characters MediaWiki refuses in titles become hyphens; the label is cut to a safe length.
    """
    name = " ".join(_UNSAFE.sub("-", label).split())[:NAME_LIMIT].strip(" .-") or "partnership"
    suffix = f" {index + 1}" if index else ""
    return f"File:{prefix} - {name}{suffix}.png"


def chart_spec(
    title: str,
    method: str,
    history: Mapping[Month, MonthFigures],
    window: Sequence[Month],
    messages: Messages,
) -> ChartSpec:
    """Return the chart of the views of ``window`` months kept in ``history``."""
    values: list[int | None] = []
    stale: list[bool] = []
    synthetic = False
    for month in window:
        row = history.get(month)
        values.append(row.views if row is not None else None)
        stale.append(row is not None and row.views_state == Availability.STALE.value)
        synthetic = synthetic or (row is not None and row.synthetic)
    return ChartSpec(
        title=title,
        method=method,
        months=tuple(str(month) for month in window),
        values=tuple(values),
        stale=tuple(stale),
        axis_label=messages.text("partnerbot-usage-chart-axis"),
        no_data_label=messages.text("partnerbot-usage-no-data"),
        stale_label=messages.text("partnerbot-usage-chart-stale"),
        synthetic_label=messages.text("partnerbot-usage-synthetic") if synthetic else "",
    )
