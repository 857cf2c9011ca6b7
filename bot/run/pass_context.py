"""What one pass works with, and what its outputs show: the values every step of a pass reads.

:mod:`bot.run.report` makes both; the steps it calls (outputs, bot report, page notes, notices,
usage) take them, so that no step imports the pass that calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.checklist.assess import Checklist
from bot.io.gateway import WikiGateway
from bot.model import Assessment, Finding
from bot.pages.breaker import BreakerTrip
from bot.settings import Settings
from bot.state.store import StateStore


@dataclass(frozen=True)
class PassContext:
    """Everything one pass works with."""

    settings: Settings
    store: StateStore
    gateway: WikiGateway
    checklist: Checklist
    #: Digest of the checklist file and every setting that changes what the outputs show.
    inputs_digest: str
    today: dt.date
    now: dt.datetime
    full: bool = False
    accept_drop: bool = False
    #: Whether the pass posts the notices due (``run-once``) or only checks and reports.
    notices: bool = True


@dataclass(frozen=True)
class OutputPlan:
    """What the outputs show: every record's assessment, page findings, and when data changed."""

    assessments: Sequence[Assessment]
    page_findings: Sequence[Finding]
    changed_at: dt.datetime
    #: Why the tables must keep their last content (the circuit breaker), or "".
    frozen_by: str = ""
    #: The circuit breaker's reading while it holds the tables.
    breaker: BreakerTrip | None = None
    #: How many infobox pages the records come from.
    pages: int = 0
