"""Put a collection's headline figures into the findings data the infoboxes read, at once.

The check-and-report pass writes the findings data pages (:mod:`bot.run.outputs`) with each
record's usage entry read from the store (:func:`bot.run.usage_outputs.infobox_usage`). When a
collection changes those entries, the usage job renders the same pages from the records the
pass stored, with the same "updated" date, and saves them itself: the infoboxes show the new
figures now, and the next pass renders the same text (so it saves nothing). Nothing is written
while the circuit breaker holds the outputs (the pass rendered none), or before the first pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from bot.model import Assessment, Finding
from bot.render.findings_json import build_findings_pages, flag_infos, rule_infos
from bot.resources import load_checklist
from bot.settings import Settings
from bot.state.codec import decode_checked
from bot.state.store import StateStore


def findings_pages_with_usage(
    settings: Settings,
    store: StateStore,
    usage: Mapping[str, Mapping[str, object]],
) -> dict[str, str]:
    """Return the findings data pages (title to JSON) as the last pass made them, with ``usage``.

    Empty when the last pass did not settle its outputs (or none ran yet).
    """
    version = store.data_version()
    # The pass marks a data version "settled:" once every output is on the wiki (and never
    # while the breaker holds them): bot.run.report.
    if version is None or not version.digest.startswith("settled:"):
        return {}
    checklist = load_checklist(settings.checklist_path)
    assessments: list[Assessment] = []
    page_findings: list[Finding] = []
    stored = store.checked()
    for title in sorted(stored):
        checked = decode_checked(stored[title])
        assessments.extend(checked.assessments)
        page_findings.extend(checked.page_findings)
    changed_at = version.changed_at
    if changed_at.tzinfo is None:
        changed_at = changed_at.replace(tzinfo=dt.UTC)
    return build_findings_pages(
        settings.outputs.findings_page,
        assessments,
        rule_infos(checklist.rules),
        flag_infos(checklist.flags.values()),
        updated=changed_at.isoformat(),
        max_bytes=settings.outputs.findings_max_bytes,
        page_findings=page_findings,
        usage=usage,
    )


def pages_to_purge(
    before: Mapping[str, Mapping[str, object]], after: Mapping[str, Mapping[str, object]]
) -> list[str]:
    """Return the pages whose infoboxes show other usage figures now (record key -> page)."""
    changed = {
        key.rsplit("#", 1)[0]
        for key in set(before) | set(after)
        if before.get(key) != after.get(key)
    }
    return sorted(changed)
