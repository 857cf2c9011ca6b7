"""The notices step of a check-and-report pass: post what changed, from the records just checked.

``run-once`` calls :func:`post_notices` after the tables are written, with the records of every
current page when it has them. The step is skipped at no cost when notices are switched off, or
when no page changed, no date came and no notice is waiting to be confirmed on the wiki (one
small query); otherwise it derives the events from the whole set of records (so a page that
disappeared is noticed too) and posts them through :func:`bot.run.notify.notify`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.events.model import TrackedRecord
from bot.i18n_files import load_messages
from bot.io.responses import revision_time
from bot.run.notify import NotifySummary, notify
from bot.run.pass_context import PassContext
from bot.state.codec import CheckedPage
from bot.state.ledger import NoticeLedger
from bot.state.notice_snapshot import SnapshotTable
from bot.state.store import StoredPage


def notices_wanted(context: PassContext, *, changed: bool) -> bool:
    """Return whether this pass must run the notices step."""
    if not (context.notices and context.settings.notices.enabled):
        return False
    waiting = SnapshotTable(context.store.engine).waiting()
    return changed or waiting is None or waiting > 0


def post_notices(
    context: PassContext,
    pages: Sequence[CheckedPage],
    stored: Mapping[str, StoredPage],
    run_page_enabled: Callable[[], bool] | None = None,
) -> NotifySummary:
    """Derive and post the notices of ``pages`` (every current page); save the new snapshot."""
    settings = context.settings
    snapshots = SnapshotTable(context.store.engine)
    records = [
        TrackedRecord(assessment.record, page.pageid, revision_time(page.edited))
        for checked in pages
        if (page := stored.get(checked.title)) is not None and page.pageid
        for assessment in checked.assessments
    ]
    result = notify(
        settings,
        settings.notices,
        records,
        snapshots.load(),
        context.today,
        gateway=context.gateway,
        ledger=NoticeLedger(context.store.engine),
        text=load_messages(settings.wiki.language),
        known_flags=frozenset(context.checklist.flags),
        run_page_enabled=run_page_enabled,
    )
    if not settings.simulate:
        snapshots.save(result.snapshot)
    return result.summary
