"""A snapshot as plain JSON-ready data, and back; the state store keeps it as one document.

The format carries a version. Data that does not read as a snapshot of this version raises
:class:`SnapshotFormatError`; the caller then treats the snapshot as lost (a new baseline, and
the wiki's notice markers keep anything already posted from being posted again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bot.events.model import Event, EventKind, RecordId, RecordState, Snapshot

FORMAT_VERSION = 1


class SnapshotFormatError(ValueError):
    """Stored snapshot data is not a snapshot this version can read."""


def snapshot_to_data(snapshot: Snapshot) -> dict[str, Any]:
    """Return ``snapshot`` as JSON-ready data (stable order)."""
    return {
        "version": FORMAT_VERSION,
        "taken": snapshot.taken.isoformat(),
        "records": [
            {
                "pageid": rid.pageid,
                "index": rid.index,
                "title": state.title,
                "status": state.status,
                "status_revid": state.status_revid,
                "flags": sorted(state.flags),
                "revid": state.revid,
                "last_edited": state.last_edited.isoformat() if state.last_edited else None,
                "report": state.report,
                "reminders": sorted(state.reminders),
            }
            for rid, state in sorted(snapshot.records.items())
        ],
        "pending": [_event_data(event) for event in snapshot.pending],
        "talk_pending": [_event_data(event) for event in snapshot.talk_pending],
    }


def _event_data(event: Event) -> dict[str, Any]:
    return {
        "key": event.key,
        "kind": event.kind.value,
        "pageid": event.record.pageid,
        "index": event.record.index,
        "since": event.since.isoformat(),
        "value": event.value,
        "previous": event.previous,
        "title": event.title,
        "name": event.name,
    }


def _event(item: Mapping[str, Any]) -> Event:
    return Event(
        key=str(item["key"]),
        kind=EventKind(item["kind"]),
        record=RecordId(int(item["pageid"]), int(item["index"])),
        since=dt.date.fromisoformat(item["since"]),
        value=str(item["value"]),
        previous=str(item["previous"]),
        title=str(item["title"]),
        name=str(item["name"]),
    )


def snapshot_from_data(data: Mapping[str, Any]) -> Snapshot:
    """Return the snapshot ``data`` describes; raise SnapshotFormatError when it cannot."""
    if not isinstance(data, Mapping) or data.get("version") != FORMAT_VERSION:
        raise SnapshotFormatError(f"not a version {FORMAT_VERSION} notices snapshot")
    try:
        records = {
            RecordId(int(item["pageid"]), int(item["index"])): RecordState(
                title=str(item["title"]),
                status=None if item["status"] is None else str(item["status"]),
                status_revid=int(item["status_revid"]),
                flags=frozenset(str(flag) for flag in item["flags"]),
                revid=int(item["revid"]),
                last_edited=_datetime(item["last_edited"]),
                report=str(item["report"]),
                reminders=frozenset(str(key) for key in item["reminders"]),
            )
            for item in data["records"]
        }
        pending = tuple(_event(item) for item in data["pending"])
        talk = tuple(_event(item) for item in data.get("talk_pending", []))
        return Snapshot(dt.date.fromisoformat(data["taken"]), records, pending, talk)
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotFormatError(f"notices snapshot unreadable: {error!r}") from error


def _datetime(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected a timestamp, got {type(value).__name__}")
    return dt.datetime.fromisoformat(value)
