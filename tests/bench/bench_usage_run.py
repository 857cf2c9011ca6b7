"""Benchmark a whole usage collection on two local wikis and the analytics stand-in.

``python -m tests.bench.bench_usage_run [--files 20000] [--pages 10000] [--json FILE]``

Set-up (not measured): two fresh local wikis and the stand-in (a process of its own, synthetic
figures). The first wiki holds ``--files`` file pages in 20 subcategories of one root category
(a tenth of them also in a second partner's category), and the two partnership pages; the
second holds ``--pages`` articles, each showing three files (``3 x pages`` uses), one in twenty
linking to the partner's domain, and one in twenty showing a file only through a template. The
content wiki records the uses in ``imagelinks`` without showing the pictures (no
``$wgForeignFileRepos``): what the bot asks is the same, and the foreign look-ups MediaWiki
would make while rendering are not part of the bot's cost. The partnership records are stored
by one ``run-once`` with usage off.

Measured, each in a process of its own (:mod:`tests.bench.usage_child`, ``partnerbot stats``):

- ``first``: nothing stored, 12 closed months of views for every page using the files;
- ``again``: the same day, nothing new: no closed month is fetched again;
- ``naive``: one ``list=imageusage`` request per file and wiki (a sample, extrapolated).

Floors: one request per category listed; per wiki, one ``prop=fileusage`` request per 500
files (``apihighlimits``) plus one per 5,000 further uses; two ``exturlusage`` requests per
domain and wiki; one ``embeddedin`` per template; one pageviews request per page (the API has
no batch form). Figures are for notes, not assertions.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bot.devwiki.configure import write_settings_file
from bot.devwiki.pair import WikiPair
from bot.devwiki.wiki import DevWiki, free_port
from bot.settings import DEFAULT_SETTINGS
from tests.bench.bench_run import REPO, BenchError
from tests.bench.child import RESULT_PREFIX
from tests.wiki.usage_wikis import anonymous_send

TAG = "Benchusage"
SUBCATEGORIES = 20
DOMAIN = "bench-usage.example"
TEMPLATE = f"Template:{TAG} box"
NAIVE_SAMPLE = 500


def _infobox(name: str, category: str, depth: int, domains: str = "") -> str:
    lines = [
        "{{Partnership infobox",
        f"| name = {name}",
        f"| partner = {name} partner",
        "| status = active",
        "| type = content_donation",
        f"| commons_category = {category}",
        f"| commons_depth = {depth}",
    ]
    if domains:
        lines.append(f"| link_domains = {domains}")
    return "\n".join([*lines, "}}", ""])


def seed(commons: DevWiki, content: DevWiki, files: int, pages: int) -> dict[str, float]:
    """Fill both wikis (see the module docstring); return the seconds each step took."""
    seconds: dict[str, float] = {}
    started = time.monotonic()
    categories = {f"Category:{TAG} root": "Root."} | {
        f"Category:{TAG} sub {k}": f"[[Category:{TAG} root]]" for k in range(SUBCATEGORIES)
    }
    categories[f"Category:{TAG} shared"] = "A second partner's category."
    file_pages = {
        f"File:{TAG} {n}.png": f"[[Category:{TAG} sub {n % SUBCATEGORIES}]]"
        + (f"[[Category:{TAG} shared]]" if n % 10 == 0 else "")
        for n in range(files)
    }
    partnerships = {
        f"Partnerships/{TAG} A": _infobox(f"{TAG} A", f"{TAG} root", 1, DOMAIN),
        f"Partnerships/{TAG} B": _infobox(f"{TAG} B", f"{TAG} shared", 0),
    }
    commons.import_pages({**categories, **file_pages, **partnerships}, link_updates=False)
    for namespace in (0, 6, 14):
        commons.refresh_links(namespace)
    seconds["commons"] = time.monotonic() - started
    started = time.monotonic()
    articles = {TEMPLATE: f"[[File:{TAG} 0.png|20px]]"}
    for n in range(pages):
        shown = "".join(f"[[File:{TAG} {(3 * n + k) % files}.png]]" for k in range(3))
        link = f" http://{DOMAIN}/item/{n}" if n % 20 == 0 else ""
        box = f" {{{{{TEMPLATE.removeprefix('Template:')}}}}}" if n % 20 == 1 else ""
        articles[f"{TAG} article {n}"] = shown + link + box
    content.import_pages(articles, link_updates=False)
    for namespace in (10, 0):
        content.refresh_links(namespace)
    seconds["content"] = time.monotonic() - started
    return {key: round(value, 1) for key, value in seconds.items()}


def _child(settings: Path, pywikibot_dir: Path, today: date) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "tests.bench.usage_child",
        "--settings",
        str(settings),
        "--today",
        today.isoformat(),
    ]
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")]))
    env = {**os.environ, "PYWIKIBOT_DIR": str(pywikibot_dir), "PYTHONPATH": path}
    result = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=7200, check=False
    )
    for line in reversed(result.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            figures: dict[str, Any] = json.loads(line.removeprefix(RESULT_PREFIX))
            return figures
    tail = (result.stdout + result.stderr).strip()[-3000:]
    raise BenchError(f"usage collection exited {result.returncode} with no result:\n{tail}")


def _naive(api_urls: list[str], files: int) -> dict[str, Any]:
    """One list=imageusage request per file and wiki, for a sample; extrapolated to all."""
    sample = min(NAIVE_SAMPLE, files)
    started = time.monotonic()
    requests = 0
    for api in api_urls:
        send = anonymous_send(api)
        for n in range(sample):
            params = {"action": "query", "list": "imageusage", "iulimit": "max"}
            params["iutitle"] = f"File:{TAG} {n * (files // sample)}.png"
            while True:
                requests += 1
                answer = send(params)
                if "continue" not in answer:
                    break
                params.update(answer["continue"])
    seconds = time.monotonic() - started
    scale = files / sample
    return {
        "sample_files": sample,
        "measured_requests": requests,
        "measured_seconds": round(seconds, 1),
        "requests": round(requests * scale),
        "seconds": round(seconds * scale, 1),
        "extrapolated": sample < files,
    }


def _settings(pair: WikiPair, directory: Path, *, enabled: bool) -> Path:
    usage = {
        **pair.commons.settings_sections["usage"],
        "enabled": enabled,
        "requests_per_second": 100.0,
        "max_files": 1_000_000,
        "page": f"{TAG}/Usage",
        "chart_prefix": f"{TAG} chart",
    }
    path = write_settings_file(pair.commons, DEFAULT_SETTINGS, {"usage": usage})
    target = directory / ("usage.toml" if enabled else "setup.toml")
    shutil.copyfile(path, target)
    return target


def measure(
    files: int, pages: int, *, ports: tuple[int, int, int] | None = None, keep: bool = False
) -> dict[str, Any]:
    """Seed, then measure the first and the repeated collection and the naive client."""
    base = Path(tempfile.mkdtemp(prefix="partnerbot-usage-run-bench-"))
    commons_port, content_port, analytics_port = ports or (free_port(), free_port(), free_port())
    commons = DevWiki(base / "commons", commons_port)
    pair = WikiPair.around(commons, content_port=content_port, analytics_port=analytics_port)
    figures: dict[str, Any] = {"files": files, "pages": pages, "uses": 3 * pages}
    today = date.today()
    try:
        started = time.monotonic()
        pair.start(show_files=False)
        figures["setup_seconds"] = round(time.monotonic() - started, 1)
        figures["seed_seconds"] = seed(pair.commons, pair.content, files, pages)
        setup = _settings(pair, base, enabled=False)
        usage = _settings(pair, base, enabled=True)
        check = subprocess.run(
            [sys.executable, "-m", "bot.cli", "--config", str(setup), "run-once"],
            cwd=REPO,
            env={**os.environ, "PYWIKIBOT_DIR": str(pair.commons.pywikibot_dir)},
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise BenchError(f"run-once failed: {(check.stdout + check.stderr)[-2000:]}")
        figures["first"] = _child(usage, pair.commons.pywikibot_dir, today)
        figures["again"] = _child(usage, pair.commons.pywikibot_dir, today)
        figures["naive"] = _naive([pair.commons.api_url, pair.content.api_url], files)
        batches = math.ceil(files / 500)
        figures["floor"] = {
            "categorymembers": 1 + SUBCATEGORIES + 1,
            "file use": 2 * batches,
            "embeddedin": 1,
            "exturlusage": 2 * 2,
            "pageviews": pages,
        }
    finally:
        pair.stop()
        if keep:
            print(f"kept {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)
    return figures


def describe(figures: dict[str, Any]) -> list[str]:
    """Return the lines of the report."""
    lines = [
        f"usage collection: {figures['files']:,} files, {figures['uses']:,} uses on "
        f"{figures['pages']:,} pages, 12 months of views (set-up {figures['setup_seconds']} s, "
        f"seed {figures['seed_seconds']})",
        f"  {'source':16} {'floor':>7} {'first':>7} {'again':>7} {'naive':>9}",
    ]
    first = figures["first"]["summary"]["requests"]
    again = figures["again"]["summary"]["requests"]
    naive = figures["naive"]
    for source, floor in figures["floor"].items():
        naive_text = f"{naive['requests']:,}*" if source == "file use" else "-"
        lines.append(
            f"  {source:16} {floor:>7,} {first.get(source, 0):>7,} {again.get(source, 0):>7,} "
            f"{naive_text:>9}"
        )
    for run in ("first", "again"):
        result = figures[run]
        lines.append(
            f"  {run}: {result['seconds']} s, peak {result['peak_mb']} MB, "
            f"{result['summary']['edits']} edits, views fetched for "
            f"{result['summary']['views_fetched']} pages ({result['summary']['views_failed']} "
            "failed)"
        )
    lines.append(
        f"  * naive: one list=imageusage per file and wiki, {naive['measured_requests']} "
        f"requests for {naive['sample_files']} files in {naive['measured_seconds']} s, "
        f"extrapolated to {naive['requests']:,} requests and {naive['seconds']} s"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_usage_run")
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--ports", help="three ports: files wiki, content wiki, stand-in")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    ports = tuple(int(port) for port in args.ports.split(",")) if args.ports else None
    if ports is not None and len(ports) != 3:
        parser.error("--ports takes three ports")
    figures = measure(args.files, args.pages, ports=ports, keep=args.keep)  # type: ignore[arg-type]
    print("\n".join(describe(figures)))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
