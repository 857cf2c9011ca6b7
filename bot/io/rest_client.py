"""A polite client for Wikimedia's REST analytics endpoints (pageviews, Commons Impact Metrics).

Every request carries a descriptive User-Agent with a contact; at most ``max_in_flight`` requests
are in flight at once (2 by default) and at most ``max_per_second`` start each second (20 by
default, far below the documented 100). A 429 waits what its ``Retry-After`` asks when that is
within ``retry_after_cap``, else the figure is stale at once; 5xx answers, timeouts and dropped
connections are retried with a bounded exponential backoff. The answer is a typed
:class:`RestAnswer`: expected failures are values, not exceptions.
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import requests

#: The header a local stand-in sets on every answer: its figures are synthetic.
SYNTHETIC_HEADER = "X-Partnerbot-Synthetic"


class RestConfigError(ValueError):
    """The REST client is configured in a way no request can succeed with (the message says why)."""


class RestOutcome(StrEnum):
    """What became of one REST request, after retries."""

    OK = "ok"
    #: 404 with the service's "no data" body: the question is valid, there is nothing to count.
    NOT_FOUND = "not found"
    #: 400, or 404 "invalid route": the request itself is wrong; never retried.
    REJECTED = "rejected"
    #: 429 beyond what we wait, 5xx, timeouts, dropped connections: try another day.
    UNAVAILABLE = "unavailable"
    #: 200 whose body is not the JSON object the service documents.
    MALFORMED = "malformed"


@dataclass(frozen=True)
class RestAnswer:
    """The outcome of one REST request, with the decoded body when there is one."""

    outcome: RestOutcome
    status: int | None = None
    body: Any = None
    detail: str = ""
    #: Requests sent for this answer (1 plus retries).
    attempts: int = 1
    #: True when the server marked its answer as synthetic (a local stand-in).
    synthetic: bool = False


def user_agent(contact: str, product: str = "partnerbot/0.1") -> str:
    """Return the User-Agent Wikimedia asks for: product, contact, library."""
    if not contact.strip():
        raise RestConfigError(
            "set [wiki] contact (a URL or an e-mail address): Wikimedia's REST API refuses "
            "clients without a contact in their User-Agent"
        )
    return f"{product} ({contact.strip()}) python-requests/{requests.__version__}"


@dataclass
class RestClient:
    """Sends GET requests to one REST base URL, politely, and types the answers."""

    base_url: str
    user_agent: str
    #: Requests in flight at once, across threads.
    max_in_flight: int = 2
    #: Requests started per second at most, across threads (the API allows 100).
    max_per_second: float = 20.0
    #: Retries after the first attempt (429, 5xx, timeouts).
    max_retries: int = 3
    #: Longest ``Retry-After`` honoured, in seconds; a longer one makes the answer stale.
    retry_after_cap: float = 60.0
    #: First backoff after a 5xx or a timeout, doubled each time up to ``backoff_cap``.
    backoff: float = 1.0
    backoff_cap: float = 30.0
    #: Seconds to connect and to read.
    timeout: tuple[float, float] = (5.0, 30.0)
    requests_sent: int = 0
    _slots: threading.BoundedSemaphore = field(init=False, repr=False)
    _local: threading.local = field(init=False, repr=False)
    _count_lock: threading.Lock = field(init=False, repr=False)
    _next_start: float = field(init=False, repr=False, default=0.0)

    def __post_init__(self) -> None:
        if self.max_in_flight < 1 or self.max_per_second <= 0:
            raise RestConfigError("max_in_flight and max_per_second must be positive")
        if not self.base_url.startswith(("http://", "https://")):
            raise RestConfigError(f"not an http(s) URL: {self.base_url!r}")
        self.base_url = self.base_url.rstrip("/")
        self._slots = threading.BoundedSemaphore(self.max_in_flight)
        self._local = threading.local()
        self._count_lock = threading.Lock()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.user_agent
            session.headers["Accept"] = "application/json"
            self._local.session = session
        return session

    def url(self, path: str) -> str:
        """Return the full URL of ``path`` (already percent-encoded)."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def get(self, path: str) -> RestAnswer:
        """Send GET ``path`` with retries and return the typed answer."""
        url = self.url(path)
        attempts = 0
        wait = self.backoff
        while True:
            attempts += 1
            answer, retry_after = self._attempt(url)
            answer = RestAnswer(
                answer.outcome,
                answer.status,
                answer.body,
                answer.detail,
                attempts,
                answer.synthetic,
            )
            if answer.outcome is not RestOutcome.UNAVAILABLE or attempts > self.max_retries:
                return answer
            if retry_after is not None:
                if retry_after > self.retry_after_cap:
                    return RestAnswer(
                        answer.outcome,
                        answer.status,
                        None,
                        f"{answer.detail}; asked to wait {retry_after:.0f} s, more than the "
                        f"{self.retry_after_cap:.0f} s the bot waits",
                        attempts,
                        answer.synthetic,
                    )
                time.sleep(retry_after)
            else:
                time.sleep(wait)
                wait = min(wait * 2, self.backoff_cap)

    def _pace(self) -> None:
        """Wait for this request's turn so that starts stay under ``max_per_second``."""
        with self._count_lock:
            self.requests_sent += 1
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + 1.0 / self.max_per_second
        if start > now:
            time.sleep(start - now)

    def _attempt(self, url: str) -> tuple[RestAnswer, float | None]:
        with self._slots:
            self._pace()
            try:
                response = self._session().get(url, timeout=self.timeout)
            except requests.Timeout:
                return RestAnswer(RestOutcome.UNAVAILABLE, detail="timed out"), None
            except requests.ConnectionError as error:
                detail = f"connection failed: {type(error).__name__}"
                return RestAnswer(RestOutcome.UNAVAILABLE, detail=detail), None
        return classify(response)


def classify(response: requests.Response) -> tuple[RestAnswer, float | None]:
    """Type one HTTP response; return it with the seconds a 429/503 asks to wait, if any."""
    synthetic = response.headers.get(SYNTHETIC_HEADER, "") not in {"", "0"}
    status = response.status_code
    body: Any
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = f"HTTP {status}" + (f": {error_detail(body)}" if error_detail(body) else "")
    if status == 200:
        if not isinstance(body, dict):
            snippet = response.text[:80].replace("\n", " ")
            detail = f"HTTP 200 with a body that is not a JSON object: {snippet!r}"
            return RestAnswer(RestOutcome.MALFORMED, status, None, detail, 1, synthetic), None
        return RestAnswer(RestOutcome.OK, status, body, "", 1, synthetic), None
    if status == 404:
        if "invalid route" in error_detail(body).lower():
            return RestAnswer(RestOutcome.REJECTED, status, body, detail, 1, synthetic), None
        return RestAnswer(RestOutcome.NOT_FOUND, status, body, detail, 1, synthetic), None
    if status == 429 or status >= 500:
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        return RestAnswer(RestOutcome.UNAVAILABLE, status, body, detail, 1, synthetic), wait
    return RestAnswer(RestOutcome.REJECTED, status, body, detail, 1, synthetic), None


def error_detail(body: Any) -> str:
    """Return the human part of an AQS error body (``detail`` or ``title``), or ""."""
    if not isinstance(body, dict):
        return ""
    detail = body.get("detail") or body.get("title") or ""
    if isinstance(detail, list):
        detail = "; ".join(str(item) for item in detail)
    return str(detail)[:300]


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Return the seconds a ``Retry-After`` header asks for (seconds or an HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
