"""Benchmark the preprocessor port against the naive reading with mwparserfromhell.

``python -m tests.bench.bench_preprocessor [--count 2000] [--repeats 3] [--json]``

Both readers take every generated page (tests/bench/generate.py) and return the infobox calls
with their parameter names and values:

- naive: ``mwparserfromhell.parse(text).filter_templates(recursive=False)``, the templates whose
  name matches, and each parameter's stripped name and value (the last of duplicates, as
  ``Template.get`` and MediaWiki take it);
- preprocessor: one :class:`bot.parse.preprocessor.CallReader` for the run, ``read(text)``,
  and each call's ``arguments()``.

The figures are pages per second for each (best of the repeats, CPU time of this process, so
other work on a shared machine counts less; wall time too) and the ratio. The two readings are
compared as well: on these pages they should find the same calls and values (the generated
pages hold no comments or other markup on which they differ).
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import mwparserfromhell

from bot.parse.preprocessor import CallReader
from tests.bench.generate import generate

TEMPLATE = "Partnership infobox"
TARGET_RATIO = 4.0

Reading = list[list[tuple[str, str]]]


def naive(text: str) -> Reading:
    """Return the infobox calls of ``text`` read with mwparserfromhell (last duplicate wins)."""
    return [
        list(
            {str(param.name).strip(): str(param.value).strip() for param in template.params}.items()
        )
        for template in mwparserfromhell.parse(text).filter_templates(recursive=False)
        if template.name.matches(TEMPLATE)
    ]


def preprocessor(reader: CallReader) -> Callable[[str], Reading]:
    """Return the reading of ``text`` with the preprocessor port."""

    def read(text: str) -> Reading:
        return [
            [(str(key), parameter.value) for key, parameter in call.arguments()]
            for call in reader.read(text).calls
        ]

    return read


@dataclass(frozen=True)
class PreprocessorFigures:
    """What the benchmark measured."""

    pages: int
    kilobytes_per_page: float
    naive_pages_per_second: float
    preprocessor_pages_per_second: float
    #: CPU-time ratio (preprocessor speed / naive speed).
    ratio: float
    naive_wall_pages_per_second: float
    preprocessor_wall_pages_per_second: float
    wall_ratio: float
    calls: int
    parameters: int
    #: Pages where both readings found the same calls, names and values.
    same_reading: int


def _time(read: Callable[[str], Reading], pages: list[str], repeats: int) -> tuple[float, float]:
    """Return the best CPU and wall seconds of ``repeats`` passes over ``pages``."""
    cpu, wall = float("inf"), float("inf")
    for _ in range(repeats):
        gc.collect()
        started, started_wall = time.process_time(), time.perf_counter()
        for text in pages:
            read(text)
        cpu = min(cpu, time.process_time() - started)
        wall = min(wall, time.perf_counter() - started_wall)
    return cpu, wall


def measure(count: int = 2000, repeats: int = 3) -> PreprocessorFigures:
    """Generate ``count`` pages and time both readings, best of ``repeats``."""
    pages = list(generate(count).values())
    ours = preprocessor(CallReader([TEMPLATE]))
    naive_cpu, naive_wall = _time(naive, pages, repeats)
    ours_cpu, ours_wall = _time(ours, pages, repeats)
    readings = [(naive(text), ours(text)) for text in pages]
    return PreprocessorFigures(
        pages=count,
        kilobytes_per_page=round(sum(len(text.encode()) for text in pages) / count / 1000, 2),
        naive_pages_per_second=round(count / naive_cpu),
        preprocessor_pages_per_second=round(count / ours_cpu),
        ratio=round(naive_cpu / ours_cpu, 2),
        naive_wall_pages_per_second=round(count / naive_wall),
        preprocessor_wall_pages_per_second=round(count / ours_wall),
        wall_ratio=round(naive_wall / ours_wall, 2),
        calls=sum(len(mine) for _, mine in readings),
        parameters=sum(len(call) for _, mine in readings for call in mine),
        same_reading=sum(1 for theirs, mine in readings if theirs == mine),
    )


def describe(figures: PreprocessorFigures) -> str:
    """Return the figures as lines for people."""
    verdict = "PASS" if figures.ratio >= TARGET_RATIO else "MISS"
    return "\n".join(
        [
            f"preprocessor: {figures.pages} pages of {figures.kilobytes_per_page} KB, "
            f"{figures.calls} infobox calls, {figures.parameters} parameters",
            f"  naive (mwparserfromhell): {figures.naive_pages_per_second:,.0f} pages/s "
            f"(wall {figures.naive_wall_pages_per_second:,.0f})",
            f"  preprocessor port:        {figures.preprocessor_pages_per_second:,.0f} pages/s "
            f"(wall {figures.preprocessor_wall_pages_per_second:,.0f})",
            f"  ratio {figures.ratio:.2f} (wall {figures.wall_ratio:.2f}), target "
            f">= {TARGET_RATIO:.0f}: {verdict}",
            f"  same reading on {figures.same_reading} of {figures.pages} pages",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures (``--json`` for machine-readable output)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = measure(args.count, args.repeats)
    print(json.dumps(asdict(figures)) if args.json else describe(figures))


if __name__ == "__main__":
    main()
