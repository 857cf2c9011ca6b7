"""Requests and seconds the usage sources need for a category of N files, against the floor.

``python -m tests.bench.bench_usage [--sizes 100,1000] [--ports 8353,8354] [--json FILE]``

For each N: two fresh local wikis (one holds the files, the other shows them through
``$wgForeignFileRepos``), the N files in a root category and four subcategories, and N/2
articles on the content wiki showing two files each. Measured, each with a naive baseline:

- category tree: ``generator=categorymembers`` with the bot's limits, against an anonymous
  client (500 members a request instead of 5,000);
- file usage (fallback): batched ``prop=fileusage`` on both wikis, against one ``list=imageusage``
  request per file and wiki;
- GlobalUsage: the client against the documented fake, against one request per file;
- pageviews: the client against the stand-in, one request per page (no batch form exists);
- links: ``list=exturlusage`` for one domain on both wikis.

Figures are for notes, not assertions.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from bot.devwiki.seed import make_png
from bot.devwiki.standins.analytics import AnalyticsStandIn
from bot.devwiki.standins.commons_pair import link_foreign_files
from bot.devwiki.wiki import DevWiki
from bot.io.action_api import CountingSend, WikiEndpoint, continued
from bot.io.category_files import CategoryMembersSource
from bot.io.file_usage import FileUsageFallback
from bot.io.global_usage import GlobalUsageSource
from bot.io.link_usage import ExtUrlUsageSource
from bot.io.pageviews import PageviewsClient
from bot.io.rest_client import RestClient, user_agent
from bot.io.usage_sources import Month
from tests.unit.globalusage_fake import FakeGlobalUsage, GlobalRow
from tests.wiki.usage_wikis import anonymous_send, bot_client, client_send

SUBCATEGORIES = 4
DOMAIN = "bench-partner.example"


def _timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def _seed(commons: DevWiki, content: DevWiki, size: int) -> None:
    files = {}
    for number in range(size):
        category = "Bench root" if number % 5 == 0 else f"Bench sub {number % SUBCATEGORIES}"
        files[f"Bench {number}.png"] = (
            make_png(4, 4, (number % 256, 0, 0)),
            f"[[Category:{category}]]",
        )
    categories = {
        f"Category:Bench sub {k}": "[[Category:Bench root]]" for k in range(SUBCATEGORIES)
    }
    commons.import_pages({"Category:Bench root": "Root.", **categories})
    commons.upload_files(files, comment="bench")
    pages = {
        f"Bench article {number}": (
            f"[[File:Bench {2 * number}.png]] [[File:Bench {2 * number + 1}.png]] "
            f"http://{DOMAIN}/item/{number}"
        )
        for number in range(size // 2)
    }
    content.import_pages(pages)


def _naive_imageusage(endpoints: list[WikiEndpoint], files: list[str]) -> int:
    requests = 0
    for wiki in endpoints:
        counting = CountingSend(wiki.send)
        for title in files:
            for _ in continued(
                counting, {"list": "imageusage", "iutitle": title, "iulimit": "max"}
            ):
                pass
        requests += counting.requests
    return requests


def measure(size: int, ports: tuple[int, int]) -> dict[str, Any]:
    """Measure every source for ``size`` files; return the figures."""
    base = Path(tempfile.mkdtemp(prefix="partnerbot-usage-bench-"))
    commons = DevWiki(base / "commons", ports[0])
    content = DevWiki(base / "content", ports[1])
    figures: dict[str, Any] = {"size": size}
    try:
        (_, figures["setup_seconds"]) = _timed(lambda: (commons.start(), content.start()))
        link_foreign_files(content, commons)
        (_, figures["seed_seconds"]) = _timed(lambda: _seed(commons, content, size))
        commons_bot, content_bot = bot_client(commons), bot_client(content)
        endpoints = [
            WikiEndpoint("content.devwiki", content.api_url, client_send(content_bot)),
            WikiEndpoint("commons.devwiki", commons.api_url, client_send(commons_bot)),
        ]
        categories = 1 + SUBCATEGORIES

        tree, seconds = _timed(
            lambda: CategoryMembersSource(client_send(commons_bot), commons.api_url).files(
                "Bench root", 1
            )
        )
        naive_tree = CategoryMembersSource(anonymous_send(commons.api_url), commons.api_url)
        figures["tree"] = {
            "files": len(tree.files),
            "requests": tree.method.requests,
            "floor": categories,
            "naive_requests": naive_tree.files("Bench root", 1).method.requests,
            "seconds": round(seconds, 2),
        }
        files = list(tree.files)

        usage, seconds = _timed(lambda: FileUsageFallback(endpoints).usage(files))
        naive, naive_seconds = _timed(lambda: _naive_imageusage(endpoints, files))
        figures["fileusage"] = {
            "uses": sum(len(pages) for pages in usage.uses.values()),
            "requests": usage.method.requests,
            "floor": len(endpoints) * math.ceil(len(files) / 500),
            "naive_requests": naive,
            "seconds": round(seconds, 2),
            "naive_seconds": round(naive_seconds, 2),
        }

        rows = [
            GlobalRow(
                title[5:].replace(" ", "_"), "enwiki", n + 1, "en.wikipedia.org", 0, "", f"P{n}"
            )
            for n, title in enumerate(files)
            for _ in range(3)
        ]
        rows = [
            GlobalRow(row.file, row.wiki, row.page * 10 + k, row.host, 0, "", f"{row.title}_{k}")
            for k, row in enumerate(rows)
        ]
        fake = FakeGlobalUsage(rows, existing=[title[5:].replace(" ", "_") for title in files])
        global_usage = GlobalUsageSource(fake, "fake").usage(files)
        figures["globalusage"] = {
            "uses": sum(len(pages) for pages in global_usage.uses.values()),
            "requests": global_usage.method.requests,
            "floor": max(math.ceil(len(files) / 500), math.ceil(len(rows) / 500)),
            "naive_requests": len(files),
        }

        pages = sorted({(use.wiki, use.title) for uses in usage.uses.values() for use in uses})
        with AnalyticsStandIn(today=date(2024, 6, 15)) as standin:
            client = PageviewsClient(RestClient(standin.base_url, user_agent("bench")))
            views, seconds = _timed(
                lambda: client.monthly_many(pages, Month(2023, 6), Month(2024, 5))
            )
            figures["pageviews"] = {
                "pages": len(pages),
                "requests": sum(item.method.requests for item in views),
                "floor": len(pages),
                "max_in_flight": standin.max_in_flight,
                "seconds": round(seconds, 2),
            }

        links, seconds = _timed(lambda: ExtUrlUsageSource(endpoints).links(DOMAIN))
        figures["exturlusage"] = {
            "links": len(links.links),
            "requests": links.method.requests,
            "floor": 2 * len(endpoints),
            "seconds": round(seconds, 2),
        }
    finally:
        commons.stop()
        content.stop()
        shutil.rmtree(base, ignore_errors=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_usage")
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--ports", default="8353,8354")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args(argv)
    first, second = (int(port) for port in options.ports.split(","))
    results = [measure(int(size), (first, second)) for size in options.sizes.split(",")]
    for result in results:
        setup, seed = result["setup_seconds"], result["seed_seconds"]
        print(f"N={result['size']} (setup {setup:.1f} s, seed {seed:.1f} s)")
        for source in ("tree", "fileusage", "globalusage", "pageviews", "exturlusage"):
            print(f"  {source:12} {json.dumps(result[source])}")
    if options.json:
        options.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
