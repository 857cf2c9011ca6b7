"""One measured usage collection, in a process of its own (started by bench_usage_run).

``python -m tests.bench.usage_child --settings FILE --today YYYY-MM-DD`` runs
:func:`bot.run.usage_stats.usage_stats` (the ``partnerbot stats`` job: lock, login, collection,
outputs) against the wikis ``FILE`` points at and prints one line ``BENCH-RESULT {json}``: the
collection's summary (requests per source, edits), its wall time and the peak resident memory
of this process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from bot.settings import load_settings
from tests.bench.child import RESULT_PREFIX, peak_mb


def main(argv: list[str] | None = None) -> int:
    """Run one collection and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.usage_child")
    parser.add_argument("--settings", type=Path, required=True)
    parser.add_argument("--today", type=dt.date.fromisoformat, required=True)
    args = parser.parse_args(argv)
    settings = load_settings(args.settings)
    os.environ["PYWIKIBOT_DIR"] = settings.wiki.pywikibot_dir
    from bot.run.usage_stats import usage_stats  # noqa: PLC0415 - after PYWIKIBOT_DIR

    now = dt.datetime.combine(args.today, dt.time(8), tzinfo=dt.UTC)
    started = time.monotonic()
    result = usage_stats(settings, today=args.today, now=now)
    seconds = time.monotonic() - started
    summary = result.summary
    figures = {
        "seconds": round(seconds, 2),
        "peak_mb": peak_mb(),
        "summary": summary.as_json() if summary else None,
        "partnerships": len(result.stats),
    }
    print(RESULT_PREFIX + json.dumps(figures, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
