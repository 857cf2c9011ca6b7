"""Draw a usage chart (:class:`bot.render.usage_chart.ChartSpec`) as PNG bytes with matplotlib.

The Agg backend, through matplotlib's object interface (no pyplot state shared between charts).
The PNG carries no software version in its metadata, so the same figures drawn by the same
matplotlib give the same bytes.
"""

from __future__ import annotations

import io

from bot.render.usage_chart import ChartSpec

WIDTH_INCHES = 8.0
HEIGHT_INCHES = 3.4
DPI = 100
BAR_COLOUR = "#36c"
STALE_COLOUR = "#a2a9b1"


def draw_chart(spec: ChartSpec) -> bytes:
    """Return the chart as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - heavy import
    from matplotlib.figure import Figure  # noqa: PLC0415

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(spec.months)))
    top = max((value for value in spec.values if value is not None), default=0) or 1
    for x, value, stale in zip(positions, spec.values, spec.stale, strict=True):
        if value is None:
            axes.text(
                x, top * 0.02, spec.no_data_label, rotation=90, ha="center", va="bottom",
                fontsize=7, color="#54595d",
            )  # fmt: skip
            continue
        axes.bar(
            x,
            value,
            color=STALE_COLOUR if stale else BAR_COLOUR,
            hatch="//" if stale else None,
            edgecolor="white",
        )
    axes.set_xticks(positions, spec.months, rotation=45, ha="right", fontsize=8)
    axes.set_ylim(0, top * 1.15)
    axes.set_ylabel(spec.axis_label, fontsize=9)
    axes.set_title(spec.title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    if any(spec.stale):
        axes.bar(0, 0, color=STALE_COLOUR, hatch="//", label=spec.stale_label)
        axes.legend(loc="upper left", fontsize=7, frameon=False)
    if spec.synthetic_label:
        figure.text(
            0.5, 0.5, spec.synthetic_label, ha="center", va="center", fontsize=22,
            color="#d33", alpha=0.25, rotation=15,
        )  # fmt: skip
    figure.text(0.01, 0.01, spec.method, fontsize=6, color="#54595d", wrap=True)
    figure.subplots_adjust(left=0.09, right=0.98, top=0.88, bottom=0.3)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
