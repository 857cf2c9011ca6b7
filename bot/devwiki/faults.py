"""Fault injection for a local wiki: conditions a real wiki has now and then, on demand.

Read-only mode uses MediaWiki's ``$wgReadOnlyFile``; replication lag is reported by a hook in the
generated settings (:data:`bot.devwiki.files.SETTINGS_TEMPLATE`) that reads a file. Both take
effect on the next request and end when the file is removed.
"""

from __future__ import annotations

from bot.devwiki.layout import WikiLayout


def set_read_only(layout: WikiLayout, reason: str | None) -> None:
    """Put the wiki in read-only mode with ``reason``, or end it with ``None``."""
    path = layout.directory / "readonly"
    if reason:
        path.write_text(reason, encoding="utf-8")
    else:
        path.unlink(missing_ok=True)


def set_fake_lag(layout: WikiLayout, seconds: float | None) -> None:
    """Make the API report ``seconds`` of replication lag (``None`` ends it)."""
    path = layout.directory / "fake-lag"
    if seconds is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(str(seconds), encoding="utf-8")
