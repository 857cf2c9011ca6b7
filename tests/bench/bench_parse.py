"""Benchmark parsing and checking generated partnership pages on one core.

``python -m tests.bench.bench_parse [--count 10000] [--repeats 3] [--profile]`` parses every
generated page with :func:`bot.parse.parse_page` and assesses it with
:func:`bot.checklist.assess.assess_page` against ``config/checklist.toml``, as
``bot.checklist.pages.check_pages`` does, and reports records per second (best of the repeats)
with the split between parsing and
assessing. The first repeat is reported too: the parser and the checks cache readings of values
that repeat across pages, so later repeats run with warm caches (as a long run does after its
first few hundred pages).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import pstats
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.checklist.assess import Checklist, assess_page
from bot.model import ParsedPage
from bot.parse.records import DEFAULT_TEMPLATE_NAMES, parse_page
from bot.resources import load_checklist
from tests.bench.generate import TODAY, generate

CHECKLIST = Path(__file__).resolve().parents[2] / "config" / "checklist.toml"
TARGET_PER_SECOND = 5000


@dataclass(frozen=True)
class ParseFigures:
    """What the parse benchmark measured."""

    pages: int
    records: int
    findings: int
    token_path_pages: int
    megabytes: float
    #: Best of the repeats, seconds for every page.
    parse_seconds: float
    assess_seconds: float
    combined_seconds: float
    first_combined_seconds: float

    @property
    def per_second(self) -> float:
        """Return records parsed and assessed per second (best repeat, one loop as the bot)."""
        return self.records / self.combined_seconds

    def as_json(self) -> dict[str, object]:
        """Return the figures and the rates as plain data."""
        data: dict[str, object] = asdict(self)
        data["records_per_second"] = round(self.per_second)
        data["parse_per_second"] = round(self.records / self.parse_seconds)
        data["assess_per_second"] = round(self.records / self.assess_seconds)
        data["first_records_per_second"] = round(self.records / self.first_combined_seconds)
        return data


def _token_path_pages(pages: dict[str, str]) -> int:
    """Return how many pages the fast regular-expression reader refuses (tokenizer path)."""
    try:
        from bot.parse.fastpath import locate_plain  # noqa: PLC0415
        from bot.parse.locate import template_key  # noqa: PLC0415 - internal, for the label only
    except ImportError:
        return -1
    keys = frozenset(template_key(name) for name in DEFAULT_TEMPLATE_NAMES)
    return sum(1 for text in pages.values() if locate_plain(text, keys) is None)


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


def measure(count: int = 10_000, repeats: int = 3) -> ParseFigures:
    """Generate ``count`` pages and time parsing and assessing them, best of ``repeats``."""
    checklist = load_checklist(CHECKLIST)
    pages = generate(count)
    combined: list[float] = []
    parse: list[float] = []
    assess: list[float] = []
    records = findings = 0
    for _ in range(repeats):
        started = time.perf_counter()
        records = _combined(checklist, pages, TODAY)
        combined.append(time.perf_counter() - started)
        started = time.perf_counter()
        parsed = _parse_all(pages)
        parse.append(time.perf_counter() - started)
        started = time.perf_counter()
        findings = _assess_all(checklist, parsed, TODAY)
        assess.append(time.perf_counter() - started)
    return ParseFigures(
        pages=count,
        records=records,
        findings=findings,
        token_path_pages=_token_path_pages(pages),
        megabytes=round(sum(len(text.encode()) for text in pages.values()) / 1e6, 1),
        parse_seconds=min(parse),
        assess_seconds=min(assess),
        combined_seconds=min(combined),
        first_combined_seconds=combined[0],
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
    return "\n".join(
        [
            f"parse+validate: {figures.pages} pages ({figures.megabytes} MB of wikitext, "
            f"{figures.token_path_pages} through the tokenizer), {figures.records} records, "
            f"{figures.findings} findings",
            f"  parse+assess in one loop: {figures.combined_seconds:.2f} s = "
            f"{figures.per_second:,.0f} records/s (best of repeats; first repeat "
            f"{figures.records / figures.first_combined_seconds:,.0f}/s)",
            f"  parse only : {figures.parse_seconds:.2f} s = "
            f"{figures.records / figures.parse_seconds:,.0f} records/s",
            f"  assess only: {figures.assess_seconds:.2f} s = "
            f"{figures.records / figures.assess_seconds:,.0f} records/s",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures (``--json`` for machine-readable output)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print a cProfile listing")
    args = parser.parse_args(argv)
    if args.profile:
        print(profile(args.count))
        return
    figures = measure(args.count, args.repeats)
    print(json.dumps(figures.as_json()) if args.json else describe(figures))


if __name__ == "__main__":
    main()
