"""When may a record's findings change with the date alone?

Date rules compare today with a date of the record moved by a number of days the checklist gives
(``grace_days``, ``max_days``, ``max_interval_days``...), and the tables mark a date as overdue the
day after it. Every such comparison can only change its answer on a day of the form
``first or last day of a date of the record + one of those numbers of days (+ 0 or 1)``. The
earliest such day after today is the record's boundary: until then, its findings and its table
row stay as they are, so a run on a later day need not assess it again.

This is deliberately conservative: it looks at every date of the record and every whole-number
parameter of the checklist, whichever rule uses them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from bot.checklist.predicates import Rule
from bot.model import PartnershipRecord, WikiDate


def day_offsets(rules: Iterable[Rule]) -> frozenset[int]:
    """Return every number of days the rules' parameters give, with 0 (and their negatives)."""
    offsets = {0}
    for rule in rules:
        for value in rule.params.values():
            if isinstance(value, int) and not isinstance(value, bool):
                offsets.update({value, -value})
    return frozenset(offsets)


def _dates(record: PartnershipRecord) -> list[WikiDate]:
    return [
        value
        for field in dataclasses.fields(record)
        if isinstance(value := getattr(record, field.name), WikiDate)
    ]


def next_boundary(
    record: PartnershipRecord, today: dt.date, offsets: frozenset[int]
) -> dt.date | None:
    """Return the first day after ``today`` on which the record's findings may change, or None."""
    best: dt.date | None = None
    for date in _dates(record):
        for anchor in {date.first_day(), date.last_day()}:
            for offset in offsets:
                for extra in (0, 1):
                    try:
                        day = anchor + dt.timedelta(days=offset + extra)
                    except OverflowError:
                        continue
                    if day > today and (best is None or day < best):
                        best = day
    return best
