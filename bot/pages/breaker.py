"""The circuit breaker: when partnerships vanish at once, the tables are frozen for a person.

A listing that suddenly returns far fewer infobox pages is more often a fault (an API error, a
template renamed, a category emptied) than a real change. When more than the allowed fraction of
the records of the last good run is missing, the tables keep their last content and the bot's
report says why, until a person confirms the drop (``--accept-drop``) or the records come back.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BreakerTrip:
    """Why the tables are frozen: the record counts of the last good run and of this one."""

    previous: int
    current: int
    max_drop: float

    @property
    def drop(self) -> float:
        """Return the fraction of records that disappeared."""
        return (self.previous - self.current) / self.previous

    def __str__(self) -> str:
        if self.current == 0:
            return f"no partnership records found, against {self.previous} in the last good run"
        return (
            f"records dropped from {self.previous} to {self.current} ({self.drop:.0%}, more than "
            f"{self.max_drop:.0%}); a person should check before the tables change "
            "(run with --accept-drop once to confirm)"
        )


def breaker_trip(previous: int | None, current: int, max_drop: float) -> BreakerTrip | None:
    """Return why the tables must be frozen, or None when the drop is within ``max_drop``."""
    if not previous:
        return None
    trip = BreakerTrip(previous, current, max_drop)
    if current == 0 or trip.drop > max_drop:
        return trip
    return None
