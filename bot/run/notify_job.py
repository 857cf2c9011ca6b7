"""The notices job on its own: lock, read the pages, notify, save the snapshot, unlock.

``run_notify`` is what ``partnerbot notify`` and a scheduled notices job call; ``run-once``
calls :func:`bot.run.notify.notify` with the records it already read instead. The snapshot is
saved only after posting, and each delivered section's keys are in the ledger as soon as the wiki
answers, so a run killed at any moment leaves either the old snapshot (the next run derives the
same keys, finds the delivered ones on the board or in the ledger, and posts the rest) or the new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, event

from bot.events.model import TrackedRecord
from bot.i18n_files import load_messages
from bot.io.gateway import WikiGateway
from bot.io.responses import revision_time
from bot.parse.records import parse_page
from bot.render.notices import MessageText
from bot.resources import load_checklist
from bot.run.connect import connect
from bot.run.notify import NotifyResult, NotifySummary, notify
from bot.run.once import PASS_LOCK, STALE_LOCK, lock_owner
from bot.settings import NoticeSettings, Settings
from bot.state.ledger import NoticeLedger
from bot.state.notice_snapshot import SnapshotTable
from bot.state.store import StateStore


def tracked_records(gateway: WikiGateway, settings: Settings) -> list[TrackedRecord]:
    """Read and parse every infobox page (two requests for up to 500 pages)."""
    names = settings.template.names(gateway.template_names(settings.template.name))
    listing = gateway.list_infobox_pages(
        settings.template.name, settings.template.namespaces, content=True
    )
    records: list[TrackedRecord] = []
    site = gateway.site_facts()
    for page in sorted(listing, key=lambda page: page.title):
        parsed = parse_page(
            page.title, page.text or "", template_names=names, revid=page.revid, site=site
        )
        edited = revision_time(page.timestamp)
        records.extend(TrackedRecord(record, page.pageid, edited) for record in parsed.records)
    return records


def state_engine(url: str) -> Engine:
    """Return an engine for the state database that waits for a busy SQLite file."""
    engine = create_engine(url)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_wait)
    return engine


def _sqlite_wait(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@dataclass(frozen=True)
class JobResult:
    """The job's summary and, when it ran, the full result."""

    summary: NotifySummary
    result: NotifyResult | None = None


def run_notify(
    settings: Settings,
    notices: NoticeSettings,
    today: dt.date,
    text: MessageText,
    *,
    gateway: WikiGateway,
    engine: Engine | None = None,
    lock_stale_after: dt.timedelta = STALE_LOCK,
) -> JobResult:
    """Run the notices job once under the job lock; save the snapshot unless simulating."""
    store = StateStore(settings.run.state_url)
    owner = lock_owner()
    holder = store.acquire_lock(PASS_LOCK, owner, lock_stale_after)
    if holder is not None:
        summary = NotifySummary(outcome="skipped", reason=f"another run holds the lock ({holder})")
        store.close()
        return JobResult(summary)
    engine = engine or store.engine
    try:
        snapshots = SnapshotTable(engine)
        ledger = NoticeLedger(engine)
        previous = snapshots.load()
        records = tracked_records(gateway, settings)
        flags = frozenset(load_checklist(settings.checklist_path).flags)
        result = notify(
            settings,
            notices,
            records,
            previous,
            today,
            gateway=gateway,
            ledger=ledger,
            text=text,
            known_flags=flags,
        )
        if not settings.simulate:
            snapshots.save(result.snapshot)
        return JobResult(result.summary, result)
    finally:
        store.release_lock(PASS_LOCK, owner)
        store.close()


def notify_command(settings: Settings, today: dt.date) -> NotifyResult | NotifySummary:
    """Run ``partnerbot notify``: the notices job on its own, in the wiki's language.

    Returns the whole result (events, and with ``--simulate`` the sections it would post), or
    only the summary when the job did not run (another pass held the lock).
    """
    gateway = connect(settings)
    text = load_messages(settings.wiki.language)
    job = run_notify(settings, settings.notices, today, text, gateway=gateway)
    return job.result if job.result is not None else job.summary
