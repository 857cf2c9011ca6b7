"""Write what a usage collection found: the charts, the usage page, and the infobox entries.

The charts are drawn (:mod:`bot.io.charts`) and uploaded (:mod:`bot.io.uploads`) only when the
data they show changed since their last upload (a digest kept in the store). The page goes
through the safe-save path into its managed block. The infobox entries are read by the
check-and-report pass from the store (:func:`infobox_usage`) and written into the findings data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.io.charts import draw_chart
from bot.io.gateway import WikiGateway
from bot.io.safe_save import (
    WHOLE_PAGE,
    WriteGuard,
    WriteOutcome,
    WriteStatus,
    save_block,
    save_owned_page,
)
from bot.io.uploads import UP_TO_DATE, UploadOutcome, UploadStatus, upload_owned_file
from bot.io.usage_sources import Month, last_complete_month
from bot.render.bot_pages import page_intro
from bot.render.edit_summary import edit_summary
from bot.render.escape import escape_text
from bot.render.messages import Messages
from bot.render.usage_chart import ChartSpec, chart_file_title, chart_spec
from bot.render.usage_infobox import usage_entry
from bot.render.usage_method import method_line
from bot.render.usage_page import UsageView, anchor, render_usage_page
from bot.settings import Settings
from bot.state.store import StateStore, StoredOutput
from bot.state.usage_store import UsageStore
from bot.usage.history import headline
from bot.usage.subjects import TOTAL_KEY
from bot.usage.views import view_window

log = logging.getLogger(__name__)

#: The managed block of the usage page.
USAGE_BLOCK = "usage"
#: Statuses after which a page shows what the bot wrote.
ON_WIKI = frozenset({WriteStatus.SAVED, WriteStatus.CREATED, WriteStatus.UNCHANGED})


@dataclass(frozen=True)
class UsageWritten:
    """What writing the usage outputs did."""

    page: WriteOutcome | None
    uploads: tuple[UploadOutcome, ...]
    edits: int
    disabled: bool = False
    findings: tuple[WriteOutcome, ...] = ()
    purged: int = 0

    def as_dict(self) -> dict[str, object]:
        """Return the outcomes as plain data."""
        return {
            "page": self.page.as_dict() if self.page else None,
            "uploads": [upload.as_dict() for upload in self.uploads],
            "findings": [outcome.as_dict() for outcome in self.findings],
            "edits": self.edits,
            "purged": self.purged,
        }


def _charts(
    view: UsageView, settings: Settings, messages: Messages
) -> dict[str, tuple[str, ChartSpec]]:
    """Return, per subject key with a category (and the totals), its chart's title and data."""
    wanted: dict[str, tuple[str, ChartSpec]] = {}
    total_label = messages.text("partnerbot-usage-totals-label")
    entries = [(s.key, s.name, s.index, bool(s.category)) for s in view.subjects]
    entries.append((TOTAL_KEY, total_label, 0, any(s.category for s in view.subjects)))
    for key, label, index, has_category in entries:
        if not has_category:
            continue
        method = view.methods.get(key)
        line = method_line(method, messages, dated=False) if method else ""
        spec = chart_spec(label, line, view.histories.get(key, {}), view.window, messages)
        title = chart_file_title(settings.usage.chart_prefix, label, index)
        wanted[key] = (title, spec)
    return wanted


def _upload_charts(
    guard: WriteGuard,
    usage_store: UsageStore,
    view: UsageView,
    settings: Settings,
    messages: Messages,
) -> tuple[dict[str, str], list[UploadOutcome]]:
    digests = usage_store.file_digests()
    shown: dict[str, str] = {}
    outcomes: list[UploadOutcome] = []
    page = settings.usage.page
    for key, (title, spec) in _charts(view, settings, messages).items():
        digest = spec.digest()
        if digests.get(title) == digest:
            shown[key] = title
            continue
        link = f"[[{escape_text(page)}#{anchor(key) if key != TOTAL_KEY else 'usage-totals'}]]"
        description = messages.text(
            "partnerbot-usage-chart-description",
            escape_text(spec.title),
            link,
            escape_text(spec.method),
        )
        outcome = upload_owned_file(
            guard,
            title,
            draw_chart(spec),
            description,
            messages.text("partnerbot-usage-upload-summary"),
            uploaded_before=title in digests,
        )
        outcomes.append(outcome)
        if outcome.status in UP_TO_DATE:
            if not settings.simulate:
                usage_store.save_file_digest(title, digest)
            shown[key] = title
        elif title in digests and outcome.status is not UploadStatus.NOT_OURS:
            shown[key] = title  # the earlier chart is still there
    return shown, outcomes


def write_usage_outputs(
    settings: Settings,
    store: StateStore,
    *,
    usage_store: UsageStore,
    gateway: WikiGateway,
    view: UsageView,
    messages: Messages,
    findings: Mapping[str, str] | None = None,
    purge: Sequence[str] = (),
) -> UsageWritten:
    """Save the findings data with new usage entries (``findings``, then purge ``purge``),
    upload the charts that changed and save the usage page; return what happened.
    """
    guard = WriteGuard(
        gateway=gateway,
        run_page=settings.run.run_page,
        enabled_value=settings.run.enabled_value,
        max_edits=settings.run.max_edits,
        conflict_retries=settings.run.conflict_retries,
        simulate=settings.simulate,
        run_page_max_age=settings.run.run_page_max_age,
    )
    previous = store.outputs()
    page = settings.usage.page
    findings = findings or {}
    if not guard.prepare([page, *findings], previous) and not settings.simulate:
        return UsageWritten(None, (), 0, disabled=True)
    data_outcomes = _save_findings(guard, store, findings, previous, messages=messages)
    saved = bool(data_outcomes) and all(o.status in ON_WIKI for o in data_outcomes)
    purged = gateway.purge(list(purge)) if saved and purge and not settings.simulate else 0
    shown, uploads = _upload_charts(guard, usage_store, view, settings, messages)
    text = render_usage_page(replace(view, charts=shown), messages)
    summary = edit_summary(
        messages.text("partnerbot-usage-edit-summary"), {"partnerships": len(view.subjects)}
    )
    outcome = save_block(
        guard,
        page,
        USAGE_BLOCK,
        text,
        summary,
        previous=previous.get((page, USAGE_BLOCK)),
        intro=page_intro(messages),
    )
    if outcome.stored is not None and not settings.simulate:
        store.save_output(outcome.stored)
    disabled = outcome.status is WriteStatus.DISABLED
    return UsageWritten(
        outcome, tuple(uploads), guard.edits, disabled, tuple(data_outcomes), purged
    )


def _save_findings(
    guard: WriteGuard,
    store: StateStore,
    findings: Mapping[str, str],
    previous: Mapping[tuple[str, str], StoredOutput],
    *,
    messages: Messages,
) -> list[WriteOutcome]:
    outcomes = []
    summary = messages.text("partnerbot-usage-edit-summary")
    for title, text in findings.items():
        outcome = save_owned_page(
            guard,
            title,
            text,
            summary,
            previous=previous.get((title, WHOLE_PAGE)),
            contentmodel="json",
        )
        if outcome.stored is not None and not guard.simulate:
            store.save_output(outcome.stored)
        outcomes.append(outcome)
    return outcomes


def infobox_usage(
    store: StateStore, settings: Settings, today: dt.date
) -> dict[str, dict[str, object]]:
    """Return each record's usage entry for the findings data, by record key."""
    if not settings.usage.enabled:
        return {}
    usage_store = UsageStore(store.engine)
    histories = usage_store.histories()
    last = last_complete_month(today)
    entries = {}
    for subject in usage_store.subjects():
        figures = headline(histories.get(subject.key, {}), last)
        if figures is not None:
            link = f"{settings.usage.page}#{anchor(subject.key)}"
            entries[subject.key] = usage_entry(figures, link)
    return entries


def usage_inputs_digest(entries: Mapping[str, Mapping[str, object]]) -> str:
    """Return a digest of the infobox entries (part of what the findings data shows)."""
    text = json.dumps(entries, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def window_for(today: dt.date, months: int) -> tuple[Month, list[Month]]:
    """Return the last complete month and the window of ``months`` months ending with it."""
    last = last_complete_month(today)
    return last, view_window(last, months)
