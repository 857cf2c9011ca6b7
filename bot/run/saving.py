"""What every write of the check-and-report pass shares: the write guard, and the store's memory.

The pass writes through :mod:`bot.io.safe_save` only; this module builds the run's
:class:`~bot.io.safe_save.WriteGuard` from the settings and records what each save put on the
wiki, so that the next run recognises a person's edit and skips unchanged blocks.
"""

from __future__ import annotations

from bot.i18n_files import load_messages
from bot.io.safe_save import WriteGuard, WriteOutcome
from bot.render.messages import Messages
from bot.run.pass_context import PassContext


def make_guard(context: PassContext) -> WriteGuard:
    """Return the pass's write guard (run page, edit budget, retries, simulate)."""
    settings = context.settings
    return WriteGuard(
        gateway=context.gateway,
        run_page=settings.run.run_page,
        enabled_value=settings.run.enabled_value,
        max_edits=settings.run.max_edits,
        conflict_retries=settings.run.conflict_retries,
        simulate=settings.simulate,
        run_page_max_age=settings.run.run_page_max_age,
    )


def remember(context: PassContext, outcome: WriteOutcome) -> None:
    """Record what a save put on the wiki (nothing in simulate mode)."""
    stored = outcome.stored
    if stored is not None and not context.settings.simulate:
        context.store.save_output(stored)


def pass_messages(context: PassContext) -> Messages:
    """Return the messages of the wiki's language, for everything the pass writes."""
    return load_messages(context.settings.wiki.language)
