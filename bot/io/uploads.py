"""Upload a file the bot owns (a chart), safely: the one place an upload request leaves the bot.

:func:`upload_owned_file` follows the rules of the safe-save path for files:

- the file is read first (``prop=imageinfo``): when its current version has the same SHA-1 as
  the new data, nothing is sent;
- a file whose latest version someone else uploaded is never uploaded over (reported instead);
- a file the bot uploaded before that is gone now was deleted by someone: it is not recreated;
- nothing is sent in simulate mode, when the run page does not say the bot may edit, or past
  the run's edit budget;
- the upload is one ``action=upload`` request through pywikibot (no chunks: charts are small).
  MediaWiki's warnings are ignored (``ignorewarnings``) only for a new version of the bot's own
  file; for a new file any warning (a duplicate of another file, a similar name...) stops the
  upload and is reported.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.io.gateway import GatewayError, WikiGateway
from bot.io.safe_save import WriteGuard

log = logging.getLogger(__name__)


class UploadStatus(StrEnum):
    """What became of one upload."""

    UPLOADED = "uploaded"
    UNCHANGED = "unchanged"
    SIMULATED = "simulated"
    DISABLED = "disabled by run page"
    EDIT_LIMIT = "edit limit reached"
    #: Someone else uploaded the latest version, or deleted the bot's file: left alone.
    NOT_OURS = "not the bot's file"
    FAILED = "failed"


#: Statuses after which the file shows the new data.
UP_TO_DATE = frozenset({UploadStatus.UPLOADED, UploadStatus.UNCHANGED})


@dataclass(frozen=True)
class UploadOutcome:
    """The result for one file."""

    title: str
    status: UploadStatus
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        """Return the outcome as plain data for ``--json`` and the run log."""
        return {"title": self.title, "status": self.status.value, "detail": self.detail}


@dataclass(frozen=True)
class FileState:
    """A file as the wiki has it now."""

    exists: bool
    user: str = ""
    sha1: str = ""


def file_state(gateway: WikiGateway, title: str) -> FileState:
    """Return whether ``title`` exists, who uploaded its latest version, and its SHA-1."""
    data = gateway.request(
        action="query", prop="imageinfo", titles=title, iiprop="user|sha1", iilimit=1
    )
    pages = data.get("query", {}).get("pages", [])
    page = pages[0] if pages else {}
    info = (page.get("imageinfo") or [{}])[0]
    if page.get("missing") and not info:
        return FileState(False)
    return FileState(True, str(info.get("user", "")), str(info.get("sha1", "")))


def upload_owned_file(
    guard: WriteGuard,
    title: str,
    data: bytes,
    description: str,
    summary: str,
    *,
    uploaded_before: bool,
) -> UploadOutcome:
    """Upload ``data`` as ``title`` when the wiki does not show it yet (see the module doc).

    ``uploaded_before`` says whether the bot's records show an earlier upload of this file.
    """
    gateway = guard.gateway
    state = file_state(gateway, title)
    if state.exists and state.sha1 == hashlib.sha1(data).hexdigest():  # noqa: S324 - MediaWiki's digest
        return UploadOutcome(title, UploadStatus.UNCHANGED)
    if state.exists and state.user != gateway.username:
        return UploadOutcome(
            title, UploadStatus.NOT_OURS, f"the latest version was uploaded by {state.user}"
        )
    if not state.exists and uploaded_before and gateway.deleted_titles([title]):
        return UploadOutcome(title, UploadStatus.NOT_OURS, "deleted since the bot uploaded it")
    if guard.simulate:
        return UploadOutcome(title, UploadStatus.SIMULATED)
    if guard.edits >= guard.max_edits:
        return UploadOutcome(title, UploadStatus.EDIT_LIMIT, f"limit {guard.max_edits}")
    if not guard.run_page_enabled():
        return UploadOutcome(title, UploadStatus.DISABLED, guard.run_page)
    outcome = send_upload(gateway, title, data, description, summary, own_file=state.exists)
    if outcome.status is UploadStatus.UPLOADED:
        guard.edits += 1
    log.info("%s: %s %s", title, outcome.status, outcome.detail)
    return outcome


def send_upload(
    gateway: WikiGateway,
    title: str,
    data: bytes,
    description: str,
    summary: str,
    *,
    own_file: bool,
) -> UploadOutcome:
    """Send one ``action=upload`` through pywikibot; warnings ignored only for ``own_file``."""
    pywikibot = gateway._pywikibot
    site = gateway._site
    warnings: list[str] = []

    def refuse_warnings(found: list[Any]) -> bool:
        warnings.extend(str(getattr(warning, "code", warning)) for warning in found)
        return False

    with tempfile.TemporaryDirectory(prefix="partnerbot-upload-") as folder:
        path = Path(folder) / title.split(":", 1)[-1].replace("/", "-")
        path.write_bytes(data)
        try:
            done = site.upload(
                pywikibot.FilePage(site, title),
                source_filename=str(path),
                summary=summary,
                text=description,
                ignore_warnings=True if own_file else refuse_warnings,
                chunk_size=0,
                report_success=False,
            )
        except pywikibot.exceptions.APIError as error:
            return UploadOutcome(title, UploadStatus.FAILED, f"{error.code}: {error.info}")
        except (pywikibot.exceptions.Error, GatewayError) as error:
            return UploadOutcome(title, UploadStatus.FAILED, f"{type(error).__name__}: {error}")
    if not done:
        detail = "MediaWiki warned: " + ", ".join(warnings) if warnings else "not uploaded"
        return UploadOutcome(title, UploadStatus.FAILED, detail)
    return UploadOutcome(title, UploadStatus.UPLOADED)
