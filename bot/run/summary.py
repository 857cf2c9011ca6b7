"""What one run did: the figures for the log line, ``--json`` and the run log."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from bot.state.store import RunOutcome


@dataclass(frozen=True)
class RunSummary:
    """The figures of one run of the check-and-report job."""

    outcome: RunOutcome = RunOutcome.OK
    reason: str = ""
    mode: str = ""
    pages: int = 0
    fetched: int = 0
    removed: int = 0
    records: int = 0
    invalid: int = 0
    errors: int = 0
    warnings: int = 0
    edits: int = 0
    #: Infobox pages purged because their findings changed.
    purged: int = 0
    #: How the notices step ended ("" when it had nothing to do), notices posted and waiting.
    notices: str = ""
    notices_posted: int = 0
    notices_waiting: int = 0
    unchanged: int = 0
    skipped: int = 0
    requests: int = 0
    seconds: float = 0.0
    outputs: tuple[dict[str, str], ...] = ()
    diffs: tuple[str, ...] = field(default=(), repr=False)

    def line(self) -> str:
        """Return the one-line summary of the run."""
        return (
            f"run-once {self.outcome}: {self.mode} sync, {self.pages} pages "
            f"({self.fetched} fetched, {self.removed} gone), {self.records} records "
            f"({self.invalid} with errors), {self.edits} edits, {self.purged} purged, "
            f"{self.unchanged} unchanged, "
            + (f"notices {self.notices} ({self.notices_posted} posted), " if self.notices else "")
            + f"{self.skipped} skipped, {self.requests} API requests, {self.seconds:.1f} s"
            + (f"; {self.reason}" if self.reason else "")
        )

    def as_json(self) -> dict[str, object]:
        """Return the summary as plain data (without the diffs)."""
        data = asdict(self)
        data.pop("diffs")
        data["outcome"] = self.outcome.value
        data["outputs"] = list(self.outputs)
        return data
