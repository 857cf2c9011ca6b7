"""The analytics stand-in: a loopback HTTP server answering like Wikimedia's REST analytics API.

``AnalyticsStandIn(projects=..., categories=...).start()`` serves :mod:`analytics_routes` on
127.0.0.1 in a background thread and returns its base URL (the value to configure as the
pageviews endpoint); ``stop()`` ends it; it is also a context manager. Every answer carries
``X-Partnerbot-Synthetic: 1``. Faults are chosen per test, with :meth:`inject` in the same
process or through the control route from another one:

- ``POST /_standin/faults`` with a fault object or a list
  (:class:`~bot.devwiki.standins.faults.Fault`);
- ``DELETE /_standin/faults`` clears them;
- ``GET /_standin/requests`` lists the requests served (path, User-Agent) and the most requests
  that were ever in flight at once.

``python -m bot.devwiki.standins.analytics --port 8360 --project content.devwiki`` runs one until it
is interrupted.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.devwiki.standins.analytics_routes import AnalyticsRoutes, error_body
from bot.devwiki.standins.faults import Fault, FaultKind, FaultPlan
from bot.io.rest_client import SYNTHETIC_HEADER

CONTROL = "/_standin/"


@dataclass(frozen=True)
class ServedRequest:
    """One request the stand-in answered."""

    path: str
    user_agent: str
    status: int


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    standin: AnalyticsStandIn


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: without TCP_NODELAY the body waits for the
    # client's delayed acknowledgement of the headers, 40 ms a request on Linux.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet; the stand-in keeps its own request log."""

    def do_GET(self) -> None:
        standin = self.server.standin
        if self.path.startswith(CONTROL):
            self._control("GET")
            return
        # The log and the in-flight count are settled before the answer leaves, so a client
        # that has its answer never sees a request still counted.
        with standin.tracking():
            answer = self._answer(standin)
            status = answer[0] if answer is not None else 0
            standin.record(ServedRequest(self.path, self.headers.get("User-Agent", ""), status))
        if answer is None:
            self.close_connection = True
            self.connection.close()
            return
        self._send(*answer)

    def do_POST(self) -> None:
        self._control("POST")

    def do_DELETE(self) -> None:
        self._control("DELETE")

    def _answer(self, standin: AnalyticsStandIn) -> tuple[int, bytes, dict[str, str]] | None:
        """Return the status, body and extra headers to send, or None to drop the connection."""
        fault = standin.faults.take(self.path)
        if fault is not None and fault.kind in {FaultKind.SLOW, FaultKind.TIMEOUT}:
            time.sleep(fault.delay)
        elif fault is not None:
            return self._fault(fault)
        status, body = standin.routes.answer(self.path)
        return status, json.dumps(body).encode("utf-8"), {}

    def _fault(self, fault: Fault) -> tuple[int, bytes, dict[str, str]] | None:
        if fault.kind is FaultKind.DROP:
            return None
        if fault.kind is FaultKind.MALFORMED:
            return 200, b'{"items": [{"views": 1', {}
        if fault.kind is FaultKind.NO_ITEMS:
            return 200, json.dumps({"detail": "no items here"}).encode("utf-8"), {}
        detail = fault.detail or f"injected HTTP {fault.status}"
        error = json.dumps(error_body(fault.status, detail, self.path)).encode("utf-8")
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        return fault.status, error, headers

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "s-maxage=86400, max-age=86400")
            self.send_header(SYNTHETIC_HEADER, "1")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test)

    def _control(self, method: str) -> None:
        standin = self.server.standin
        route = self.path.split("?", 1)[0].removeprefix(CONTROL).strip("/")
        if route == "faults" and method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            try:
                data = json.loads(self.rfile.read(length) or b"[]")
                faults = [
                    Fault.from_json(item) for item in (data if isinstance(data, list) else [data])
                ]
            except (ValueError, TypeError) as error:
                self._send(400, json.dumps({"error": str(error)}).encode("utf-8"))
                return
            for fault in faults:
                standin.inject(fault)
            self._send(200, json.dumps({"pending": len(standin.faults.pending())}).encode())
        elif route == "faults" and method == "DELETE":
            standin.faults.clear()
            self._send(200, b'{"pending": 0}')
        elif route == "requests" and method == "GET":
            body = {
                "requests": [request.__dict__ for request in standin.served()],
                "max_in_flight": standin.max_in_flight,
            }
            self._send(200, json.dumps(body).encode("utf-8"))
        else:
            self._send(404, json.dumps(error_body(404, "invalid route", self.path)).encode())


class AnalyticsStandIn:
    """A pageviews and Commons Impact Metrics stand-in on 127.0.0.1, with fault injection."""

    def __init__(
        self,
        *,
        projects: Collection[str] = (),
        categories: Collection[str] = (),
        port: int = 0,
        today: date | None = None,
        page_exists: Callable[[str, str], bool] | None = None,
        faults: Collection[Fault] = (),
    ) -> None:
        self.routes = AnalyticsRoutes(
            projects=frozenset(projects),
            categories=tuple(categories),
            today=(lambda: today) if today is not None else date.today,
            page_exists=page_exists,
        )
        self.port = port
        self.faults = FaultPlan()
        for fault in faults:
            self.faults.add(fault)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._served: list[ServedRequest] = []
        self._in_flight = 0
        self.max_in_flight = 0

    @property
    def base_url(self) -> str:
        """Return the base URL to configure (the part before ``/metrics/...``)."""
        if self._server is None:
            raise RuntimeError("the analytics stand-in is not running; call start() first")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> str:
        """Start serving in a background thread; return the base URL."""
        if self._server is None:
            server = _Server(("127.0.0.1", self.port), _Handler)
            server.standin = self
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever, name="analytics-stand-in", daemon=True
            )
            self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> AnalyticsStandIn:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def inject(self, fault: Fault) -> None:
        """Apply ``fault`` to the next matching request(s)."""
        self.faults.add(fault)

    def record(self, request: ServedRequest) -> None:
        """Remember a request served."""
        with self._lock:
            self._served.append(request)

    def served(self) -> list[ServedRequest]:
        """Return the requests served so far (control routes excluded)."""
        with self._lock:
            return list(self._served)

    def reset_log(self) -> None:
        """Forget the requests served and the in-flight maximum."""
        with self._lock:
            self._served.clear()
            self.max_in_flight = self._in_flight

    def tracking(self) -> _InFlight:
        """Return a context that counts one request in flight."""
        return _InFlight(self)

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


class _InFlight:
    def __init__(self, standin: AnalyticsStandIn) -> None:
        self.standin = standin

    def __enter__(self) -> None:
        self.standin._enter()

    def __exit__(self, *exc: object) -> None:
        self.standin._leave()


def main(argv: list[str] | None = None) -> int:
    """Run a stand-in until interrupted (for the local demo)."""
    parser = argparse.ArgumentParser(prog="python -m bot.devwiki.standins.analytics")
    parser.add_argument("--port", type=int, default=8360)
    parser.add_argument("--project", action="append", default=[], help="project served")
    parser.add_argument("--category", action="append", default=[], help="allow-listed category")
    options = parser.parse_args(argv)
    standin = AnalyticsStandIn(
        projects=options.project, categories=options.category, port=options.port
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(f"analytics stand-in (synthetic figures) on {standin.start()}", flush=True)
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        standin.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
