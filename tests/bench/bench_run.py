"""Benchmark ``run-once`` against a fresh local wiki holding N generated partnership pages.

For each N: install and start a local MediaWiki in a temporary directory on a free port, import
the N pages (timed on its own, not part of the measurement), then run in separate processes,
one after the other:

- ``cold``: ``run-once`` with an empty state store (lists every page with its content);
- ``warm``: ``run-once`` again, nothing changed (follows recent changes);
- ``warm full``: ``run-once --full`` (the daily relisting: revision ids only, nothing fetched);
- ``naive``: pywikibot lists the pages without content and reads ``.text`` one page per
  request, then parses and assesses each; capped (and extrapolated, labelled so) when it would
  take longer than ``--naive-budget`` seconds.

Each process reports its own peak RSS, so memory is per run. The wiki's templates are NOT
installed: with ``Module:Partnership infobox`` present every infobox page re-renders when the
bot saves the findings page, which would measure MediaWiki's links updates, not the bot.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.devwiki.wiki import DevWiki, free_port
from bot.errors import PartnerbotError
from tests.bench.child import RESULT_PREFIX
from tests.bench.generate import TODAY, generate

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = "Template:Partnership infobox"
NO_TEMPLATES_NOTE = (
    "templates not installed on the bench wiki (with Module:Partnership infobox installed, "
    "every infobox page re-renders on each save of the findings page)"
)


class BenchError(RuntimeError):
    """A benchmark run could not be completed (the message says which and why)."""


@dataclass
class SizeResult:
    """Everything measured for one N."""

    size: int
    setup_seconds: float = 0.0
    import_seconds: float = 0.0
    links_seconds: float = 0.0
    listed: int = 0
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str = ""


def import_bench_pages(wiki: DevWiki, count: int) -> tuple[float, float]:
    """Import ``count`` generated pages; return (import seconds, link-table seconds).

    ``importDump.php --no-updates`` then ``refreshLinks.php`` is faster than importing with link
    updates (1,000 pages: 5.6 s + 13.3 s against 22.1 s), and leaves ``templatelinks`` filled,
    which is what ``embeddedin`` reads.
    """
    started = time.monotonic()
    wiki.import_pages(generate(count), summary="Benchmark page", link_updates=False)
    imported = time.monotonic() - started
    started = time.monotonic()
    wiki.refresh_links()
    return imported, time.monotonic() - started


def count_transclusions(wiki: DevWiki) -> int:
    """Return how many main-namespace pages the API lists as transcluding the infobox."""
    params: dict[str, str] = {
        "action": "query",
        "list": "embeddedin",
        "eititle": TEMPLATE,
        "einamespace": "0",
        "eilimit": "max",
        "format": "json",
        "formatversion": "2",
    }
    total = 0
    while True:
        url = f"{wiki.api_url}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback only
            data = json.loads(response.read().decode("utf-8"))
        total += len(data.get("query", {}).get("embeddedin", []))
        if "continue" not in data:
            return total
        params.update(data["continue"])


def run_child(wiki: DevWiki, *args: str, timeout: float = 3600) -> dict[str, Any]:
    """Run ``python -m tests.bench.child ARGS`` for ``wiki`` and return its figures."""
    command = [
        sys.executable,
        "-m",
        "tests.bench.child",
        *args,
        "--settings",
        str(wiki.settings_file),
        "--today",
        TODAY.isoformat(),
    ]
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")]))
    env = {"PYWIKIBOT_DIR": str(wiki.pywikibot_dir), "PYTHONPATH": path}
    started = time.monotonic()
    result = subprocess.run(
        command,
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    wall = time.monotonic() - started
    for line in reversed(result.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            figures: dict[str, Any] = json.loads(line.removeprefix(RESULT_PREFIX))
            figures["child_wall_seconds"] = round(wall, 2)
            return figures
    tail = (result.stdout + result.stderr).strip()[-3000:]
    raise BenchError(f"{' '.join(args[:1])} exited {result.returncode} with no result:\n{tail}")


def bench_size(
    size: int, *, naive: bool = True, naive_budget: float = 180.0, keep: bool = False
) -> SizeResult:
    """Measure cold, warm, warm-full and naive runs for ``size`` pages on a wiki of their own."""
    result = SizeResult(size)
    directory = Path(tempfile.mkdtemp(prefix=f"partnerbot-bench-{size}-"))
    wiki = DevWiki(directory / "wiki", free_port())
    try:
        started = time.monotonic()
        wiki.start()
        result.setup_seconds = round(time.monotonic() - started, 1)
        imported, links = import_bench_pages(wiki, size)
        result.import_seconds, result.links_seconds = round(imported, 1), round(links, 1)
        result.listed = count_transclusions(wiki)
        if result.listed != size:
            raise BenchError(f"the wiki lists {result.listed} infobox pages, expected {size}")
        state = f"sqlite:///{directory / 'bench-state.sqlite'}"
        result.runs["cold"] = run_child(wiki, "run-once", "--state", state)
        result.runs["warm"] = run_child(wiki, "run-once", "--state", state)
        result.runs["warm full"] = run_child(wiki, "run-once", "--state", state, "--full")
        if naive:
            result.runs["naive"] = run_child(wiki, "naive", "--budget", str(naive_budget))
    except (PartnerbotError, BenchError, OSError, subprocess.SubprocessError) as error:
        result.error = f"{type(error).__name__}: {error}"
    finally:
        wiki.stop()
        if keep:
            print(f"kept {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark for the given sizes and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--naive-budget", type=float, default=180.0)
    parser.add_argument("--keep", action="store_true", help="keep the wiki directories")
    args = parser.parse_args(argv)
    for size in (int(item) for item in args.sizes.split(",") if item.strip()):
        outcome = bench_size(
            size, naive=not args.skip_naive, naive_budget=args.naive_budget, keep=args.keep
        )
        print(json.dumps(outcome.__dict__, indent=1, default=str), flush=True)


if __name__ == "__main__":
    main()
