"""A fault-injecting HTTP proxy between the bot and the local wiki, for tests of lost replies.

The proxy listens on 127.0.0.1 and forwards every request to the local wiki unchanged. A test
arms it with a :class:`FaultRule` that matches the next request(s) by method and API
parameters (``action=edit``, ``section=new``...) and says what goes wrong:

- :attr:`Fault.DROP`: the request reaches the wiki (which does the work), then the connection
  is closed without a reply: the client sees a connection reset.
- :attr:`Fault.HOLD`: the request reaches the wiki, and the reply is held for ``hold_seconds``
  (longer than the client's read timeout), then the connection is closed: a read timeout.
- :attr:`Fault.STATUS`: the client gets an HTTP error page (502, 503...); with ``forward`` the
  wiki did the work first (a gateway that lost the reply), without it the wiki never saw it.

Every request is logged as a :class:`ProxyExchange` so a test can check what reached the wiki.
pywikibot is pointed at the proxy through a family whose API URL is the proxy's
(:func:`pywikibot_family_through`); cookies are per host, not per port, so a login made directly
on the wiki also holds through the proxy.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import struct
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

#: Hop-by-hop headers a proxy must not pass on (RFC 9110, section 7.6.1).
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


_LINGER_RESET = struct.pack("ii", 1, 0)


class Fault(StrEnum):
    """What the proxy does to a matching request."""

    DROP = "drop"
    HOLD = "hold"
    STATUS = "status"


@dataclass(frozen=True)
class FaultRule:
    """Which requests to break and how.

    ``params`` must all be present with these values in the request's query string or
    url-encoded body; ``times`` is how many matching requests are broken before the rule is
    spent.
    """

    fault: Fault
    method: str | None = "POST"
    params: Mapping[str, str] = field(default_factory=dict)
    forward: bool = True
    status: int = 502
    hold_seconds: float = 30.0
    times: int = 1

    def matches(self, method: str, params: Mapping[str, str]) -> bool:
        """Return whether a request with ``method`` and ``params`` is one to break."""
        if self.method is not None and method != self.method:
            return False
        return all(params.get(name) == value for name, value in self.params.items())


@dataclass
class _Armed:
    rule: FaultRule
    remaining: int


@dataclass(frozen=True)
class ProxyExchange:
    """One request that passed through the proxy and what became of it."""

    method: str
    path: str
    params: Mapping[str, str]
    fault: Fault | None
    forwarded: bool
    upstream_status: int | None


def request_params(path: str, body: bytes, content_type: str) -> dict[str, str]:
    """Return the API parameters of a request (query string plus url-encoded body)."""
    query = urllib.parse.urlsplit(path).query
    params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    if body and content_type.startswith("application/x-www-form-urlencoded"):
        text = body.decode("utf-8", "replace")
        params.update(urllib.parse.parse_qsl(text, keep_blank_values=True))
    return params


class FaultProxy:
    """A loopback reverse proxy to ``target`` (``http://127.0.0.1:PORT``) that breaks on demand."""

    def __init__(self, target: str, port: int = 0) -> None:
        parts = urllib.parse.urlsplit(target)
        if parts.scheme != "http" or parts.hostname not in {"127.0.0.1", "localhost"}:
            raise ValueError(f"the proxy forwards only to a loopback http address, not {target}")
        self._upstream = (parts.hostname, parts.port or 80)
        self._lock = threading.Lock()
        self._rules: list[_Armed] = []
        self._exchanges: list[ProxyExchange] = []
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """Return the port the proxy listens on."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Return the proxy's base URL (same paths as the wiki)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        """Start serving in a background thread."""
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release held connections."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- faults -------------------------------------------------------------------------------

    def inject(self, rule: FaultRule) -> None:
        """Break the next ``rule.times`` requests that match ``rule``."""
        with self._lock:
            self._rules.append(_Armed(rule, rule.times))

    def clear(self) -> None:
        """Forget every armed rule that has not fired."""
        with self._lock:
            self._rules.clear()

    @property
    def armed(self) -> int:
        """Return how many rules have not fired their last time yet."""
        with self._lock:
            return sum(1 for armed in self._rules if armed.remaining > 0)

    @property
    def exchanges(self) -> list[ProxyExchange]:
        """Return every request seen so far, oldest first."""
        with self._lock:
            return list(self._exchanges)

    def _take_rule(self, method: str, params: Mapping[str, str]) -> FaultRule | None:
        with self._lock:
            for armed in self._rules:
                if armed.remaining > 0 and armed.rule.matches(method, params):
                    armed.remaining -= 1
                    return armed.rule
        return None

    def _log(self, exchange: ProxyExchange) -> None:
        with self._lock:
            self._exchanges.append(exchange)

    def _forward(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        host, port = self._upstream
        connection = http.client.HTTPConnection(host, port, timeout=300)
        try:
            sent = [(k, v) for k, v in headers if k.lower() not in _HOP_BY_HOP | {"host"}]
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", f"{host}:{port}")
            for key, value in sent:
                if key.lower() == "content-length":
                    continue
                connection.putheader(key, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            data = response.read()
            return response.status, response.reason, list(response.getheaders()), data
        finally:
            connection.close()

    def _hold(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self._stopping.is_set():
            time.sleep(0.05)


def _handler_for(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            self._relay("GET")

        def do_POST(self) -> None:
            self._relay("POST")

        def do_HEAD(self) -> None:
            self._relay("HEAD")

        def _relay(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            params = request_params(self.path, body, self.headers.get("Content-Type", ""))
            rule = proxy._take_rule(method, params)
            forwarded = rule is None or rule.fault is not Fault.STATUS or rule.forward
            upstream: tuple[int, str, list[tuple[str, str]], bytes] | None = None
            if forwarded:
                try:
                    upstream = proxy._forward(method, self.path, list(self.headers.items()), body)
                except OSError:
                    upstream = None
            proxy._log(
                ProxyExchange(
                    method,
                    self.path,
                    params,
                    rule.fault if rule else None,
                    forwarded,
                    upstream[0] if upstream else None,
                )
            )
            if rule is not None and rule.fault is Fault.DROP:
                self._abort()
                return
            if rule is not None and rule.fault is Fault.HOLD:
                proxy._hold(rule.hold_seconds)
                self._abort()
                return
            if rule is not None and rule.fault is Fault.STATUS:
                self._send(rule.status, "Injected fault", [("Content-Type", "text/html")], b"")
                return
            if upstream is None:
                self._send(502, "Bad Gateway", [("Content-Type", "text/plain")], b"no upstream")
                return
            self._send(*upstream)

        def _send(
            self, status: int, reason: str, headers: list[tuple[str, str]], data: bytes
        ) -> None:
            if not data and status >= 400:
                data = f"<html><body><h1>{status} {reason}</h1></body></html>".encode()
            self.send_response(status, reason)
            for key, value in headers:
                if key.lower() in _HOP_BY_HOP or key.lower() == "content-length":
                    continue
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _abort(self) -> None:
            """Close the connection at once, without a reply (the client sees a reset)."""
            self.close_connection = True
            with contextlib.suppress(OSError):
                # Linger 0: the close sends a reset, as a dropped connection does.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
                self.connection.shutdown(socket.SHUT_RDWR)

    return Handler


def pywikibot_family_through(proxy: FaultProxy, family: str, user: str) -> None:
    """Register pywikibot family ``family`` (code the same) whose API is the proxy's.

    Call in a process whose pywikibot already talks to the local wiki directly and is logged in:
    the login cookies hold for the proxy too (cookies are per host, not per port).
    """
    from pywikibot import config  # noqa: PLC0415 - only processes that use the proxy import it

    config.family_files[family] = f"{proxy.url}/api.php"
    config.usernames.setdefault(family, {})[family] = user
