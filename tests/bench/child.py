"""One measured run, in a process of its own (started by :mod:`tests.bench.bench_run`).

``python -m tests.bench.child run-once --settings FILE --state URL [--full]`` runs
:func:`bot.run.jobs.run_once` against the wiki ``FILE`` points at, with the state store at ``URL``.
``python -m tests.bench.child naive --settings FILE`` runs the naive baseline: pywikibot lists the
transcluding pages without content, then reads ``.text`` page by page (one request each) and
parses and assesses each page.

Each prints one line ``BENCH-RESULT {json}`` on stdout: the run's figures, the peak resident
memory of this process, and where the requests and the time went. pywikibot reads its
configuration when first imported, so ``PYWIKIBOT_DIR`` is set from the settings file before
anything imports it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.settings import Settings, load_settings

RESULT_PREFIX = "BENCH-RESULT "
#: Gateway methods whose requests count as discovering and fetching infobox pages.
DISCOVERY_FETCH = ("list_infobox_pages", "fetch_pages", "recent_changes")
#: Gateway methods measured one by one; anything else (login, site info, tokens) is "setup".
GATEWAY_METHODS = (
    *DISCOVERY_FETCH,
    "recent_changes_position",
    "template_names",
    "read_pages",
    "_edit",
    "purge",
    "deleted_titles",
)
#: Steps of the pass timed one by one (module attributes of bot.run.once, report and outputs).
JOB_STEPS = (
    "connect",
    "sync_pages",
    "_check_fetched",
    "_check_due",
    "_all_checked",
    "write_outputs",
    "render_outputs",
)
STORE_STEPS = ("pages", "checked", "save_pages", "outputs")


def peak_mb() -> float:
    """Return this process's peak resident memory in MB.

    Linux keeps ``ru_maxrss`` across ``exec``, so a child started by a big parent would report
    the parent's size; ``VmHWM`` belongs to the process's own address space.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Meter:
    """Requests and seconds per instrumented step."""

    def __init__(self) -> None:
        self.requests: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        #: The process's peak memory when the step (last) ended: where the peak grows.
        self.peak_after: dict[str, float] = {}

    def add(self, name: str, requests: int, seconds: float) -> None:
        """Add one call of step ``name``."""
        self.requests[name] = self.requests.get(name, 0) + requests
        self.seconds[name] = round(self.seconds.get(name, 0.0) + seconds, 3)
        self.calls[name] = self.calls.get(name, 0) + 1
        self.peak_after[name] = peak_mb()

    def gateway_method(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        """Return ``method`` (of WikiGateway) counting its requests under ``name``."""
        if name == "list_infobox_pages":

            @functools.wraps(method)
            def listing(gateway: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
                before, started = gateway.counter.total, time.perf_counter()
                try:
                    yield from method(gateway, *args, **kwargs)
                finally:
                    self.add(name, gateway.counter.total - before, time.perf_counter() - started)

            return listing

        @functools.wraps(method)
        def counted(gateway: Any, *args: Any, **kwargs: Any) -> Any:
            before, started = gateway.counter.total, time.perf_counter()
            try:
                return method(gateway, *args, **kwargs)
            finally:
                self.add(name, gateway.counter.total - before, time.perf_counter() - started)

        return counted

    def timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """Return ``function`` timing its calls under ``name``."""

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(name, 0, time.perf_counter() - started)

        return wrapper


def instrument(meter: Meter) -> None:
    """Wrap the gateway's methods and the main pass's steps (those that exist) with ``meter``."""
    from bot.io.gateway import WikiGateway  # noqa: PLC0415
    from bot.run import once, outputs, report  # noqa: PLC0415
    from bot.state import store as state  # noqa: PLC0415 - after PYWIKIBOT_DIR is set

    for name in GATEWAY_METHODS:
        if hasattr(WikiGateway, name):
            setattr(WikiGateway, name, meter.gateway_method(name, getattr(WikiGateway, name)))
    for module in (once, report, outputs):
        for name in JOB_STEPS:
            if hasattr(module, name):
                setattr(module, name, meter.timed(name.lstrip("_"), getattr(module, name)))
    for name in STORE_STEPS:
        if hasattr(state.StateStore, name):
            method = getattr(state.StateStore, name)
            setattr(state.StateStore, name, meter.timed(f"store.{name}", method))


def _settings(path: Path, state_url: str | None) -> Settings:
    settings = load_settings(path)
    os.environ["PYWIKIBOT_DIR"] = settings.wiki.pywikibot_dir
    if state_url:
        settings = replace(settings, run=replace(settings.run, state_url=state_url))
    return settings


def run_once_figures(settings: Settings, today: dt.date, *, full: bool) -> dict[str, object]:
    """Run the main job once and return its summary, peak memory and where the requests went."""
    meter = Meter()
    instrument(meter)
    from bot.run.jobs import run_once  # noqa: PLC0415 - after PYWIKIBOT_DIR is set

    summary = run_once(settings, today=today, full=full)
    data = summary.as_json()
    data.pop("outputs", None)
    statuses: dict[str, int] = {}
    for output in summary.outputs:
        statuses[output["status"]] = statuses.get(output["status"], 0) + 1
    discovery = sum(meter.requests.get(name, 0) for name in DISCOVERY_FETCH)
    edit_requests = meter.requests.get("_edit", 0)
    purge_requests = meter.requests.get("purge", 0)
    data.update(
        peak_mb=peak_mb(),
        discovery_fetch_requests=discovery,
        edit_requests=edit_requests,
        purge_requests=purge_requests,
        other_requests=int(summary.requests) - edit_requests,
        output_statuses=statuses,
        step_requests=meter.requests,
        step_seconds=meter.seconds,
        step_calls=meter.calls,
        step_peak_mb=meter.peak_after,
    )
    return data


def naive_figures(settings: Settings, today: dt.date, budget: float, sample: int) -> dict[str, Any]:
    """List the infobox pages without content, then read and check them one request each.

    When reading all pages would take longer than ``budget`` seconds (projected from the first
    ``sample`` pages), stop there and extrapolate requests and seconds linearly.
    """
    started = time.monotonic()
    import pywikibot  # noqa: PLC0415 - after PYWIKIBOT_DIR is set

    from bot.checklist.assess import assess_page  # noqa: PLC0415
    from bot.io.gateway import WikiGateway  # noqa: PLC0415
    from bot.parse.records import parse_page  # noqa: PLC0415
    from bot.resources import load_checklist  # noqa: PLC0415

    checklist = load_checklist(settings.checklist_path)
    names = [settings.template.name, *settings.template.aliases]
    gateway = WikiGateway(settings.wiki)
    gateway.login()
    site = pywikibot.Site(settings.wiki.code, settings.wiki.family, user=settings.wiki.user)
    template = pywikibot.Page(site, settings.template.name, ns=10)
    listed = list(template.embeddedin(namespaces=list(settings.template.namespaces)))
    listing_requests = gateway.counter.total
    listing_seconds = time.monotonic() - started
    read_started = time.monotonic()
    records = done = 0
    for page in listed:
        parsed = parse_page(page.title(), page.text, template_names=names)
        records += len(assess_page(checklist, parsed, today)[0])
        done += 1
        if done == sample and done < len(listed):
            projected = (time.monotonic() - read_started) / done * len(listed)
            if listing_seconds + projected > budget:
                break
    read_seconds = time.monotonic() - read_started
    total = len(listed)
    scale = total / done if done else 0.0
    read_requests = gateway.counter.total - listing_requests
    return {
        "pages": total,
        "read": done,
        "records": records,
        "extrapolated": done < total,
        "requests": listing_requests + math.ceil(read_requests * scale),
        "seconds": round(listing_seconds + read_seconds * scale, 2),
        "measured_requests": gateway.counter.total,
        "measured_seconds": round(time.monotonic() - started, 2),
        "listing_requests": listing_requests,
        "edits": 0,
        "peak_mb": peak_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    """Run one measured job and print its figures as ``BENCH-RESULT {json}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("run-once", "naive"))
    parser.add_argument("--settings", type=Path, required=True)
    parser.add_argument("--state", help="state store URL (run-once)")
    parser.add_argument("--today", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--full", action="store_true", help="run-once: force a full listing")
    parser.add_argument("--budget", type=float, default=180.0, help="naive: seconds")
    parser.add_argument("--sample", type=int, default=1000, help="naive: pages before a cap")
    args = parser.parse_args(argv)
    settings = _settings(args.settings, args.state)
    started = time.monotonic()
    if args.kind == "run-once":
        figures = run_once_figures(settings, args.today, full=args.full)
    else:
        figures = naive_figures(settings, args.today, args.budget, args.sample)
    figures["process_seconds"] = round(time.monotonic() - started, 2)
    sys.stdout.write(RESULT_PREFIX + json.dumps(figures, default=str) + "\n")


if __name__ == "__main__":
    main()
