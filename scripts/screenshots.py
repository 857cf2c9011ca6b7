#!/usr/bin/env python3
"""Take screenshots of wiki pages at several widths, to see what a reader sees.

Uses Debian's headless Chromium through chromedriver (packages chromium and chromium-driver;
``make screenshots`` installs them when missing). By default it photographs the local demo wiki
(``.devwiki``): it uses the running wiki, or starts it, and runs the demo once when the wiki was
never seeded, so the status page, a partnership page and the method page exist. Each page is
captured whole (not only the first screen) at each width, as ``OUT/<page>-<width>.png``.

Examples::

    python scripts/screenshots.py                       # status, a partnership, method: 800/1400
    python scripts/screenshots.py --page "Partnerships" --widths 360,800
    python scripts/screenshots.py --url http://127.0.0.1:8551 --page "Partnerships/Status"
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

from bot.devwiki.wiki import DEFAULT_DIR, DEFAULT_PORT, DevWiki, free_port

ROOT = Path(__file__).resolve().parents[1]

#: Chromium's flags: no sandbox (root in a container), no GPU, nothing fetched from outside.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
DEFAULT_PAGES = (
    "Partnerships/Status",
    "Partnerships/Harbourside Maritime Museum photographs",
    "Partnerships/Method",
)
#: Tallest capture, in CSS pixels; longer pages are cut here.
MAX_HEIGHT = 16_000


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", action="append", help="page title (repeatable)")
    parser.add_argument("--widths", default="800,1400", help="comma-separated widths in px")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="output folder")
    parser.add_argument("--url", help="base URL of a running wiki (default: the demo wiki)")
    parser.add_argument("--dir", type=Path, default=ROOT / DEFAULT_DIR, help="demo wiki folder")
    parser.add_argument("--port", type=int, help="port for the demo wiki when it must start")
    parser.add_argument("--driver-port", type=int, help="port for chromedriver (default: free)")
    return parser.parse_args(argv)


def demo_wiki(directory: Path, port: int | None) -> DevWiki:
    """Return the running demo wiki, starting it (and running the demo once) when needed."""
    recorded = DevWiki(directory, port or DEFAULT_PORT)
    with contextlib.suppress(OSError, ValueError, IndexError):
        recorded_port = int((directory / "server.pid").read_text(encoding="utf-8").split()[1])
        recorded = DevWiki(directory, port or recorded_port)
    if recorded.running() and (directory / "seeded").exists():
        return recorded
    print(f"setting up the demo wiki in {directory} (as `make demo` does)...", file=sys.stderr)
    from bot.run import jobs  # noqa: PLC0415 - pywikibot must see PYWIKIBOT_DIR first
    from bot.settings import load_settings  # noqa: PLC0415

    def settings_for(started: DevWiki) -> Any:
        os.environ["PYWIKIBOT_DIR"] = str(started.pywikibot_dir)
        return load_settings(started.settings_file)

    jobs.demo(settings_for, recorded)
    return recorded


@contextlib.contextmanager
def chromedriver(port: int) -> Iterator[str]:
    """Run chromedriver on 127.0.0.1:port; yield its base URL."""
    binary = shutil.which("chromedriver")
    if binary is None or shutil.which("chromium") is None:
        raise SystemExit(
            "chromium and chromedriver are missing: run `make screenshots`, or as root "
            "`apt-get install --no-install-recommends chromium chromium-driver`"
        )
    process = subprocess.Popen(
        [binary, f"--port={port}", "--allowed-ips=127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/status", timeout=2).json()["value"]["ready"]:
                    break
            time.sleep(0.1)
        else:
            raise SystemExit(f"chromedriver did not answer on {base}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


class Browser:
    """One headless Chromium session driven through chromedriver's WebDriver API."""

    def __init__(self, driver: str, profile: Path) -> None:
        options = {"binary": shutil.which("chromium"), "args": [*CHROMIUM_FLAGS]}
        options["args"].append(f"--user-data-dir={profile}")
        capabilities = {"browserName": "chrome", "goog:chromeOptions": options}
        answer = self._call(
            "post", f"{driver}/session", {"capabilities": {"alwaysMatch": capabilities}}
        )
        self.base = f"{driver}/session/{answer['sessionId']}"

    @staticmethod
    def _call(method: str, url: str, payload: dict[str, Any] | None = None) -> Any:
        response = requests.request(method, url, json=payload, timeout=120)
        data = response.json()
        if response.status_code != 200:
            raise SystemExit(f"chromedriver: {data.get('value', {}).get('message', data)}")
        return data["value"]

    def cdp(self, command: str, **params: Any) -> Any:
        """Send one Chrome DevTools Protocol command."""
        return self._call(
            "post", f"{self.base}/goog/cdp/execute", {"cmd": command, "params": params}
        )

    def capture(self, url: str, width: int) -> bytes:
        """Return a PNG of the whole page at ``url`` laid out ``width`` CSS pixels wide."""
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        self._call("post", f"{self.base}/url", {"url": url})
        size = self.cdp("Page.getLayoutMetrics")["cssContentSize"]
        height = min(int(size["height"]) + 1, MAX_HEIGHT)
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        shot = self.cdp(
            "Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip
        )
        return base64.b64decode(shot["data"])

    def close(self) -> None:
        self._call("delete", self.base)


def page_url(base: str, title: str) -> str:
    return f"{base}/index.php?title={urllib.parse.quote(title.replace(' ', '_'))}"


def file_name(title: str, width: int) -> str:
    return f"{re.sub(r'[^A-Za-z0-9]+', '_', title).strip('_')}-{width}.png"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    widths = [int(width) for width in args.widths.split(",")]
    base = args.url.rstrip("/") if args.url else demo_wiki(args.dir.resolve(), args.port).url
    titles = args.page or list(DEFAULT_PAGES)
    args.out.mkdir(parents=True, exist_ok=True)
    for title in titles:
        if requests.get(page_url(base, title), timeout=60).status_code == 404:
            print(f"warning: {title!r} does not exist on {base}", file=sys.stderr)
    profile = Path(tempfile.mkdtemp(prefix="partnerbot-chromium-"))
    try:
        with chromedriver(args.driver_port or free_port()) as driver:
            browser = Browser(driver, profile)
            try:
                for title in titles:
                    for width in widths:
                        path = args.out / file_name(title, width)
                        path.write_bytes(browser.capture(page_url(base, title), width))
                        print(path)
            finally:
                browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
