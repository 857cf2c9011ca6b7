"""What a person sees when a command fails: one line saying what is wrong and what to do.

:func:`failure_line` turns any exception into that line. Errors of the project
(:class:`~bot.errors.PartnerbotError`) carry their own message and hint; a wiki that does not
answer (pywikibot gives up after its retries) becomes :class:`WikiUnreachableError`, naming the
API URL; anything else is a bug, reported as an internal error. :func:`quiet_pywikibot` keeps
pywikibot from printing its own tracebacks and retry notices to the console (``-v`` keeps them).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

from bot.errors import PartnerbotError
from bot.settings import Settings

#: pywikibot's message when every retry of a request failed to get an answer (connection refused,
#: timed out); the maxlag variant says "due to maxlag" and means the wiki did answer.
_NO_ANSWER = "Maximum retries attempted without success"


class WikiUnreachableError(PartnerbotError):
    """The wiki's API gave no answer at all (nothing listens there, or it timed out)."""


def _fallback_hint(error: PartnerbotError) -> str:
    """Return what to do next for a project error raised without a hint of its own."""
    from bot.checklist.rules import ChecklistError  # noqa: PLC0415 - only on failure
    from bot.io.responses import GatewayError  # noqa: PLC0415
    from bot.state.store import StateError  # noqa: PLC0415

    hints: list[tuple[type[PartnerbotError], str]] = [
        (
            ChecklistError,
            "fix the checklist file, or drop [paths] checklist from the settings file to use "
            "the shipped one",
        ),
        (GatewayError, "check the [wiki] settings and that the wiki answers"),
        (StateError, "check [run] state_url in the settings file"),
    ]
    return next((hint for kind, hint in hints if isinstance(error, kind)), "")


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def api_url(family: str, code: str) -> str:
    """Return the API URL pywikibot uses for ``family:code`` (no request is sent)."""
    try:
        from pywikibot.family import Family  # noqa: PLC0415 - after PYWIKIBOT_DIR is set

        loaded = Family.load(family)
        return str(loaded.base_url(code, loaded.apipath(code)))
    except Exception:  # noqa: BLE001 - only used to word a message; the site name will do
        return f"the API of {family}:{code}"


def unreachable(error: BaseException, settings: Settings | None) -> WikiUnreachableError | None:
    """Return the error to show when ``error`` means the wiki never answered, else None."""
    if settings is None or not any(_NO_ANSWER in str(cause) for cause in _chain(error)):
        return None
    where = f" ({settings.source})" if settings.source else ""
    if settings.wiki.family == "devwiki":
        hint = (
            "start the local wiki with `partnerbot devwiki start` (with the --dir and --port it "
            f"was made with), or check [wiki] pywikibot_dir in the settings file{where}"
        )
    else:
        hint = f"check the network and [wiki] family, code and pywikibot_dir in the settings{where}"
    return WikiUnreachableError(
        f"the wiki at {api_url(settings.wiki.family, settings.wiki.code)} did not answer "
        f"({settings.wiki.max_retries} retries: nothing listens there or it timed out)",
        hint=hint,
    )


def failure_line(error: BaseException, settings: Settings | None, *, verbose: bool) -> str:
    """Return the one line printed for ``error`` (without a trailing newline)."""
    known = unreachable(error, settings) or error
    if isinstance(known, PartnerbotError):
        text = str(known)
        fallback = "" if known.hint else _fallback_hint(known)
        if fallback:
            text = f"{text}; {fallback}"
    else:
        text = f"internal error: {type(error).__name__}: {error}"
        if not verbose:
            text += " (run with -v for the traceback)"
    return " ".join(f"partnerbot: {text}".split())


def quiet_pywikibot(*, verbose: bool) -> None:
    """Keep pywikibot's tracebacks and retry notices off the console unless ``verbose``.

    Failures then reach the user as the one line of :func:`failure_line`. A ``--log-file``
    receives pywikibot's records in any case. Call after ``PYWIKIBOT_DIR`` is set: this imports
    pywikibot.
    """
    import pywikibot.bot  # noqa: PLC0415 - reads PYWIKIBOT_DIR at import

    from bot.logs import route_pywikibot  # noqa: PLC0415

    pywikibot.bot.init_handlers()
    logger = logging.getLogger("pywiki")
    if not verbose:
        for handler in logger.handlers:
            handler.close()
        logger.handlers[:] = [logging.NullHandler()]
        logging.getLogger("py.warnings").setLevel(logging.ERROR)
    route_pywikibot(logger)


def print_failure(error: BaseException, settings: Settings | None, *, verbose: bool) -> None:
    """Print the traceback (only when ``verbose``) and the one failure line to stderr."""
    if verbose:
        import traceback  # noqa: PLC0415

        traceback.print_exception(error, file=sys.stderr)
    print(failure_line(error, settings, verbose=verbose), file=sys.stderr)
