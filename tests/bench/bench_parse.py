"""Benchmark parsing and checking generated partnership pages on one core, against the naive way.

``python -m tests.bench.bench_parse [--count 10000] [--repeats 3] [--json] [--profile]``

Every generated page (tests/bench/generate.py) is parsed with
:func:`bot.parse.records.parse_page` and assessed with :func:`bot.checklist.assess.assess_page`
against ``config/checklist.toml``, as ``bot.checklist.pages.check_pages`` does; the figure is
records per second (best of the repeats) with the split between parsing and assessing. The first
repeat is reported too: the parser and the checks keep readings of values that repeat across
pages, so later repeats run with warm caches (as a long run does after its first few hundred
pages).

The parser is also compared with the naive way of reading the same pages, both returning every
infobox call with its parameter names and values:

- naive: ``mwparserfromhell.parse(text).filter_templates(recursive=False)``, the templates whose
  name matches, and each parameter's stripped name and value (the last of duplicates, as
  ``Template.get`` and MediaWiki take it);
- parser: the reader :func:`bot.parse.records.parse_page` uses (the preprocessor port), and each
  call's arguments as MediaWiki passes them.

The ratio is naive time over parser time (target 4 or more). The two readings are compared as
well: on these pages (no comments or other markup on which they differ) they find the same
calls and values. Times are CPU seconds of this process, so other work on a shared machine
counts less.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import pstats
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

import mwparserfromhell

from bot.checklist.assess import Checklist, assess_page
from bot.model import ParsedPage
from bot.parse.records import DEFAULT_TEMPLATE_NAMES, call_reader, parse_page
from bot.resources import load_checklist
from tests.bench.generate import TODAY, generate

CHECKLIST = Path(__file__).resolve().parents[2] / "config" / "checklist.toml"
TARGET_PER_SECOND = 5000
TARGET_RATIO = 4.0
TEMPLATE = DEFAULT_TEMPLATE_NAMES[0]

#: Every infobox call of a page: its (name, value) pairs.
Reading = list[list[tuple[str, str]]]
T = TypeVar("T")


@dataclass(frozen=True)
class ParseFigures:
    """What the parse benchmark measured (seconds: best of the repeats, for every page)."""

    pages: int
    records: int
    findings: int
    megabytes: float
    parse_seconds: float
    assess_seconds: float
    combined_seconds: float
    first_combined_seconds: float
    #: Reading every page's infobox calls: naive (mwparserfromhell) and with the parser.
    naive_seconds: float
    read_seconds: float
    #: Pages where both readings found the same calls, names and values.
    same_reading: int

    @property
    def per_second(self) -> float:
        """Return records parsed and assessed per second (best repeat, one loop as the bot)."""
        return self.records / self.combined_seconds

    @property
    def ratio(self) -> float:
        """Return how many times faster the parser reads the pages than the naive way."""
        return self.naive_seconds / self.read_seconds

    def as_json(self) -> dict[str, object]:
        """Return the figures and the rates as plain data."""
        data: dict[str, object] = asdict(self)
        data["records_per_second"] = round(self.per_second)
        data["parse_per_second"] = round(self.records / self.parse_seconds)
        data["assess_per_second"] = round(self.records / self.assess_seconds)
        data["first_records_per_second"] = round(self.records / self.first_combined_seconds)
        data["naive_pages_per_second"] = round(self.pages / self.naive_seconds)
        data["read_pages_per_second"] = round(self.pages / self.read_seconds)
        data["ratio"] = round(self.ratio, 2)
        return data


def naive(text: str) -> Reading:
    """Return the infobox calls of ``text`` read with mwparserfromhell (last duplicate wins)."""
    return [
        list(
            {str(param.name).strip(): str(param.value).strip() for param in template.params}.items()
        )
        for template in mwparserfromhell.parse(text).filter_templates(recursive=False)
        if template.name.matches(TEMPLATE)
    ]


def parser() -> Callable[[str], Reading]:
    """Return the reading of a page with the parser's call reader."""
    reader = call_reader(DEFAULT_TEMPLATE_NAMES)

    def read(text: str) -> Reading:
        return [
            [(str(key), parameter.value) for key, parameter in call.arguments()]
            for call in reader.read(text).certain_calls
        ]

    return read


def _parse_all(pages: dict[str, str]) -> list[ParsedPage]:
    return [parse_page(title, text) for title, text in pages.items()]


def _assess_all(checklist: Checklist, parsed: list[ParsedPage], today: dt.date) -> int:
    findings = 0
    for page in parsed:
        assessments, page_findings = assess_page(checklist, page, today)
        findings += len(page_findings) + sum(len(a.findings) for a in assessments)
    return findings


def _combined(checklist: Checklist, pages: dict[str, str], today: dt.date) -> int:
    records = 0
    for title, text in pages.items():
        assessments, _ = assess_page(checklist, parse_page(title, text), today)
        records += len(assessments)
    return records


def _cpu(work: Callable[[], T]) -> tuple[float, T]:
    """Return the CPU seconds ``work`` took and what it returned."""
    gc.collect()
    started = time.process_time()
    result = work()
    return time.process_time() - started, result


def measure(count: int = 10_000, repeats: int = 3) -> ParseFigures:
    """Generate ``count`` pages; time parsing, assessing and reading them, best of ``repeats``."""
    checklist = load_checklist(CHECKLIST)
    pages = generate(count)
    texts = list(pages.values())
    read = parser()
    combined: list[float] = []
    parse: list[float] = []
    assess: list[float] = []
    naive_times: list[float] = []
    read_times: list[float] = []
    records = findings = 0
    for _ in range(repeats):
        seconds, records = _cpu(lambda: _combined(checklist, pages, TODAY))
        combined.append(seconds)
        seconds, parsed = _cpu(lambda: _parse_all(pages))
        parse.append(seconds)
        seconds, findings = _cpu(lambda: _assess_all(checklist, parsed, TODAY))  # noqa: B023
        assess.append(seconds)
        naive_times.append(_cpu(lambda: [naive(text) for text in texts])[0])
        read_times.append(_cpu(lambda: [read(text) for text in texts])[0])
    return ParseFigures(
        pages=count,
        records=records,
        findings=findings,
        megabytes=round(sum(len(text.encode()) for text in texts) / 1e6, 1),
        parse_seconds=min(parse),
        assess_seconds=min(assess),
        combined_seconds=min(combined),
        first_combined_seconds=combined[0],
        naive_seconds=min(naive_times),
        read_seconds=min(read_times),
        same_reading=sum(1 for text in texts if naive(text) == read(text)),
    )


def profile(count: int = 10_000, top: int = 25) -> str:
    """Return the cProfile listing (by own time) of one parse-and-assess pass."""
    checklist = load_checklist(CHECKLIST)
    pages = generate(count)
    profiler = cProfile.Profile()
    profiler.runcall(_combined, checklist, pages, TODAY)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def describe(figures: ParseFigures) -> str:
    """Return the figures as lines for people."""
    verdict = "PASS" if figures.ratio >= TARGET_RATIO else "MISS"
    return "\n".join(
        [
            f"parse+validate: {figures.pages} pages ({figures.megabytes} MB of wikitext), "
            f"{figures.records} records, {figures.findings} findings (CPU seconds)",
            f"  parse+assess in one loop: {figures.combined_seconds:.2f} s = "
            f"{figures.per_second:,.0f} records/s (best of repeats; first repeat "
            f"{figures.records / figures.first_combined_seconds:,.0f}/s)",
            f"  parse only : {figures.parse_seconds:.2f} s = "
            f"{figures.records / figures.parse_seconds:,.0f} records/s",
            f"  assess only: {figures.assess_seconds:.2f} s = "
            f"{figures.records / figures.assess_seconds:,.0f} records/s",
            f"  reading the calls: naive (mwparserfromhell) {figures.naive_seconds:.2f} s = "
            f"{figures.pages / figures.naive_seconds:,.0f} pages/s, parser "
            f"{figures.read_seconds:.2f} s = {figures.pages / figures.read_seconds:,.0f} pages/s",
            f"  parser vs naive: {figures.ratio:.2f}x (target >= {TARGET_RATIO:.0f}: {verdict}); "
            f"same reading on {figures.same_reading} of {figures.pages} pages",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures (``--json`` for machine-readable output)."""
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--count", type=int, default=10_000)
    arguments.add_argument("--repeats", type=int, default=3)
    arguments.add_argument("--json", action="store_true")
    arguments.add_argument("--profile", action="store_true", help="print a cProfile listing")
    args = arguments.parse_args(argv)
    if args.profile:
        print(profile(args.count))
        return
    figures = measure(args.count, args.repeats)
    print(json.dumps(figures.as_json()) if args.json else describe(figures))


if __name__ == "__main__":
    main()
