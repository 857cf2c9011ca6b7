"""Run every benchmark and print one table of figures against the targets (``make bench``).

``python -m tests.bench.run [--sizes 1000,10000] [--skip-naive] [--skip-parse] [--skip-usage]
[--json FILE]``

The figures are for notes and docs, not assertions: the exit status is 0 when a target is
missed, and non-zero only when a run crashed. Targets:

- parse+validate: at least 5,000 records per second on one core;
- parser vs naive: reading every page's infobox calls at least 4 times faster than
  mwparserfromhell on the whole page then its top-level templates (same pages, same run);
- cold ``run-once``: at most ceil(N/500) + 15 requests other than edits (login, listing and
  content, reading every output page and the run page, the deletion log, tokens); purges are
  shown apart (one per 500 pages whose findings changed, writes like edits); for N up to
  10,000, within 60 s and under 300 MB peak memory;
- warm ``run-once`` (nothing changed): at most 10 requests and no edit, and a wall time that
  does not grow with N: the largest N within 1.5 times the smallest;
- warm full relisting (``--full``, nothing changed): at most ceil(N/500) + 10 requests, no edit
  (our own target: the daily relisting should cost about what discovery costs).
- usage collection (:mod:`tests.bench.bench_usage_run`: 20,000 files, 30,000 uses on 10,000
  pages, 12 months of views): every source at its floor (500 titles a request); a second
  collection with nothing new fetches no closed month again (0 pageviews requests).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.bench import bench_parse, bench_run, bench_usage_run

PARSE_TARGET = bench_parse.TARGET_PER_SECOND
RATIO_TARGET = bench_parse.TARGET_RATIO
WARM_REQUESTS = 10
WARM_RATIO = 1.5
COLD_SECONDS = 60.0
COLD_MB = 300.0
COLD_SIZE = 10_000


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    size: str
    kind: str
    requests: str
    seconds: str
    peak_mb: str
    edits: str
    target: str
    verdict: str


def _verdict(checks: list[bool]) -> str:
    return "PASS" if all(checks) else "MISS"


def _cold_row(size: int, run: dict[str, Any]) -> Row:
    allowed = math.ceil(size / 500) + 15
    discovery = int(run["discovery_fetch_requests"])
    other = int(run["other_requests"])
    purges = int(run.get("purge_requests", 0))
    checks = [other - purges <= allowed]
    target = f"requests other than edits and purges <= {allowed}"
    if size <= COLD_SIZE:
        checks += [float(run["seconds"]) <= COLD_SECONDS, float(run["peak_mb"]) < COLD_MB]
        target += f", <= {COLD_SECONDS:.0f} s, < {COLD_MB:.0f} MB"
    return Row(
        f"{size:,}",
        "cold run-once",
        f"{run['requests']} ({other} non-edit of which {purges} purge, {discovery} disc+fetch)",
        f"{run['seconds']:.1f}",
        f"{run['peak_mb']:.0f}",
        str(run["edits"]),
        target,
        _verdict(checks) + _outcome_note(run),
    )


def _warm_row(size: int, kind: str, run: dict[str, Any]) -> Row:
    if kind == "warm full":
        allowed = math.ceil(size / 500) + 10
        label = "warm run-once --full"
    else:
        allowed = WARM_REQUESTS
        label = "warm run-once"
    requests = int(run["requests"])
    return Row(
        f"{size:,}",
        label,
        f"{requests} ({run['discovery_fetch_requests']} disc+fetch)",
        f"{run['seconds']:.1f}",
        f"{run['peak_mb']:.0f}",
        str(run["edits"]),
        f"requests <= {allowed}, 0 edits",
        _verdict([requests <= allowed, int(run["edits"]) == 0]) + _outcome_note(run),
    )


def _naive_row(size: int, run: dict[str, Any]) -> Row:
    extrapolated = bool(run["extrapolated"])
    mark = "*" if extrapolated else ""
    return Row(
        f"{size:,}",
        "naive baseline" + (f" (read {run['read']:,}, extrapolated*)" if extrapolated else ""),
        f"{run['requests']:,}{mark}",
        f"{run['seconds']:.1f}{mark}",
        f"{run['peak_mb']:.0f}",
        "0",
        "baseline",
        "-",
    )


def _outcome_note(run: dict[str, Any]) -> str:
    return "" if run.get("outcome", "ok") == "ok" else f" ({run['outcome']})"


def warm_ratio_row(results: list[bench_run.SizeResult]) -> Row | None:
    """Return the row comparing warm-run time at the largest N with the smallest."""
    timed = sorted(
        (result.size, float(result.runs["warm"]["seconds"]))
        for result in results
        if "warm" in result.runs
    )
    if len(timed) < 2:
        return None
    (small, small_seconds), (large, large_seconds) = timed[0], timed[-1]
    ratio = large_seconds / small_seconds if small_seconds else float("inf")
    return Row(
        f"{large:,}/{small:,}",
        "warm run-once time ratio",
        "-",
        f"{large_seconds:.2f}/{small_seconds:.2f}",
        "-",
        "-",
        f"<= {WARM_RATIO}",
        f"{_verdict([ratio <= WARM_RATIO])} ({ratio:.2f})",
    )


def rows_for(result: bench_run.SizeResult) -> list[Row]:
    """Return the table rows of one size."""
    rows = []
    for kind, run in result.runs.items():
        if kind == "cold":
            rows.append(_cold_row(result.size, run))
        elif kind in {"warm", "warm full"}:
            rows.append(_warm_row(result.size, kind, run))
        elif kind == "naive":
            rows.append(_naive_row(result.size, run))
    if result.error:
        rows.append(Row(f"{result.size:,}", "CRASHED", "", "", "", "", "", "ERROR"))
    return rows


def usage_rows(figures: dict[str, Any]) -> list[Row]:
    """Return the rows of the usage collection benchmark."""
    size = f"{figures['files']:,}f/{figures['pages']:,}p"
    floor = figures["floor"]
    rows = []
    for run in ("first", "again"):
        result = figures[run]
        requests = result["summary"]["requests"]
        text = ", ".join(f"{name} {count:,}" for name, count in requests.items())
        if run == "first":
            checks = [requests.get(name, 0) <= value for name, value in floor.items()]
            target = "each source <= its floor"
        else:
            checks = [requests.get("pageviews", 0) == 0]
            target = "no closed month fetched again"
        rows.append(
            Row(
                size,
                f"usage collection ({run})",
                text,
                f"{result['seconds']:.1f}",
                f"{result['peak_mb']:.0f}",
                str(result["summary"]["edits"]),
                target,
                _verdict(checks),
            )
        )
    naive = figures["naive"]
    rows.append(
        Row(
            size,
            "usage naive (imageusage per file)*",
            f"{naive['requests']:,}*",
            f"{naive['seconds']:.1f}*",
            "-",
            "0",
            "baseline",
            "-",
        )
    )
    return rows


def parse_row(figures: bench_parse.ParseFigures) -> Row:
    """Return the parse benchmark's row."""
    rate = figures.per_second
    return Row(
        f"{figures.pages:,}",
        "parse+validate (1 core)",
        "-",
        f"{figures.combined_seconds:.2f}",
        "-",
        "-",
        f">= {PARSE_TARGET:,} records/s",
        f"{_verdict([rate >= PARSE_TARGET])} ({rate:,.0f}/s)",
    )


def ratio_row(figures: bench_parse.ParseFigures) -> Row:
    """Return the row comparing the parser's reading of the pages with the naive one."""
    return Row(
        f"{figures.pages:,}",
        "parser vs naive",
        "-",
        f"{figures.read_seconds:.2f}/{figures.naive_seconds:.2f}",
        "-",
        "-",
        f">= {RATIO_TARGET:.0f}x",
        f"{_verdict([figures.ratio >= RATIO_TARGET])} ({figures.ratio:.2f}x)",
    )


def table(rows: list[Row]) -> str:
    """Return ``rows`` as an aligned text table."""
    header = Row("N", "run", "requests", "seconds", "peak MB", "edits", "target", "result")
    cells = [list(header.__dict__.values())] + [list(row.__dict__.values()) for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def notes(results: list[bench_run.SizeResult]) -> list[str]:
    """Return the lines explaining how the figures were taken."""
    lines = [
        "parse+validate and parser vs naive: CPU seconds of one process (best of 3); the ratio "
        "compares reading every page's infobox calls with the parser and with mwparserfromhell "
        "(whole page, top-level templates).",
        "requests: HTTP requests the run sent (RunSummary.requests); 'disc+fetch' counts those "
        "of list_infobox_pages, fetch_pages and recent_changes.",
        "seconds: run_once's own wall time (connect and login included, process start not); "
        "peak MB: VmHWM (peak resident memory) of the run's own process.",
        f"Each N on a fresh local wiki; {bench_run.NO_TEMPLATES_NOTE}.",
        "The local wiki's pywikibot configuration spaces no requests (minthrottle 0, "
        "put_throttle 0); on a real wiki pywikibot waits at least 0.1 s before each read, "
        "which adds 0.1 s per request to both the bot and the naive baseline.",
    ]
    for result in results:
        lines.append(
            f"N={result.size:,}: wiki set-up {result.setup_seconds} s, importDump --no-updates "
            f"{result.import_seconds} s, refreshLinks {result.links_seconds} s "
            f"({result.listed:,} pages listed); not part of the measurement."
        )
        for kind in ("cold", "warm"):
            run = result.runs.get(kind)
            if run:
                steps = ", ".join(
                    f"{k} {v:.1f}" for k, v in run["step_seconds"].items() if v >= 0.1
                )
                lines.append(f"  {kind} run-once ({run['mode']}) seconds by step: {steps}")
                lines.append(f"  {kind} run-once outputs: {run['output_statuses']}")
        naive = result.runs.get("naive")
        if naive and naive["extrapolated"]:
            lines.append(
                f"  * naive baseline read {naive['read']:,} of {naive['pages']:,} pages in "
                f"{naive['measured_seconds']} s with {naive['measured_requests']} requests; "
                "requests and seconds extrapolated linearly to all pages."
            )
        if result.error:
            lines.append(f"  CRASH: {result.error}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table; return 1 if a run crashed, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated page counts")
    parser.add_argument("--skip-naive", action="store_true", help="no naive baseline")
    parser.add_argument("--skip-parse", action="store_true", help="no parse benchmark")
    parser.add_argument("--skip-usage", action="store_true", help="no usage benchmark")
    parser.add_argument("--usage-files", type=int, default=20_000, help="files in the tree")
    parser.add_argument("--usage-pages", type=int, default=10_000, help="pages using them")
    parser.add_argument("--naive-budget", type=float, default=180.0, help="seconds before a cap")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    sizes = [int(item) for item in args.sizes.split(",") if item.strip()]
    rows: list[Row] = []
    figures: dict[str, Any] = {}
    if not args.skip_parse:
        parsed = bench_parse.measure()
        print(bench_parse.describe(parsed), flush=True)
        rows.append(parse_row(parsed))
        rows.append(ratio_row(parsed))
        figures["parse"] = parsed.as_json()
    results = []
    for size in sizes:
        print(f"benchmarking run-once with {size:,} pages...", file=sys.stderr, flush=True)
        result = bench_run.bench_size(
            size, naive=not args.skip_naive, naive_budget=args.naive_budget
        )
        results.append(result)
        rows.extend(rows_for(result))
        figures[str(size)] = result.__dict__
    ratio = warm_ratio_row(results)
    if ratio is not None:
        rows.append(ratio)
    usage_lines: list[str] = []
    if not args.skip_usage:
        print("benchmarking a usage collection...", file=sys.stderr, flush=True)
        usage = bench_usage_run.measure(args.usage_files, args.usage_pages)
        rows.extend(usage_rows(usage))
        usage_lines = bench_usage_run.describe(usage)
        figures["usage"] = usage
    print()
    print(table(rows))
    print()
    print("\n".join([*notes(results), *usage_lines]))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str), encoding="utf-8")
    return 1 if any(result.error for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
