"""Faults a stand-in can inject, chosen per test: which requests, how, how many times.

A fault is data (it travels as JSON through the stand-in's control route too). The plan applies
the first fault whose ``match`` is in the request path and that has uses left; a fault with
``times=0`` applies to every matching request until the plan is cleared.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class FaultKind(StrEnum):
    """How a request goes wrong."""

    #: Answer with ``status`` (429, 500, 503, 404, 400...) and an AQS-shaped error body.
    STATUS = "status"
    #: Wait ``delay`` seconds before answering normally (longer than the client's read timeout).
    TIMEOUT = "timeout"
    #: Answer 200 with a body that is not JSON.
    MALFORMED = "malformed"
    #: Answer 200 with a JSON object that has no ``items``.
    NO_ITEMS = "no-items"
    #: Close the connection without an answer.
    DROP = "drop"
    #: Wait ``delay`` seconds, then answer normally (to observe concurrency).
    SLOW = "slow"


@dataclass(frozen=True)
class Fault:
    """One fault: what to do, to which requests, how many times."""

    kind: FaultKind
    status: int = 500
    #: ``Retry-After`` header value to send with a STATUS fault (seconds or an HTTP date).
    retry_after: str | None = None
    #: ``detail`` of the error body (for a 404: "invalid route" makes it a routing error).
    detail: str = ""
    delay: float = 0.0
    #: Applies to requests whose path contains this text ("" matches every request).
    match: str = ""
    #: How many matching requests it affects; 0 means all of them.
    times: int = 1

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        """Return the fault described by a JSON object (the control route's body)."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["kind"] = FaultKind(str(known.get("kind", "")))
        return cls(**known)

    def to_json(self) -> dict[str, Any]:
        """Return the fault as a JSON object."""
        return {**asdict(self), "kind": str(self.kind)}


@dataclass
class _Waiting:
    fault: Fault
    #: Uses left; None: every matching request.
    left: int | None


class FaultPlan:
    """The faults waiting to be applied, safe to use from the server's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[_Waiting] = []

    def add(self, fault: Fault) -> None:
        """Queue ``fault`` after the ones already waiting."""
        with self._lock:
            self._faults.append(_Waiting(fault, fault.times or None))

    def clear(self) -> None:
        """Drop every waiting fault."""
        with self._lock:
            self._faults.clear()

    def take(self, path: str) -> Fault | None:
        """Return the fault that applies to a request for ``path``, using it up once."""
        with self._lock:
            for entry in self._faults:
                if entry.fault.match not in path:
                    continue
                if entry.left is not None:
                    entry.left -= 1
                    if entry.left <= 0:
                        self._faults.remove(entry)
                return entry.fault
        return None

    def pending(self) -> list[Fault]:
        """Return the faults still waiting."""
        with self._lock:
            return [entry.fault for entry in self._faults]
