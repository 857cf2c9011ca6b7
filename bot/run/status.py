"""``partnerbot status``: what an operator checks first. Reads only; edits nothing.

- the last runs of each job from the run log (state store), newest first;
- who holds the pass lock, if anyone;
- the health file of ``serve``: its state, when it was last written, the last report of each job
  and the next run times;
- the run page: whether it lets the bot edit (one read request; ``--offline`` skips it).

With a maximum age it is also the watchdog of RELIABILITY.md H4: a run killed by SIGKILL or out of
memory sends no e-mail, so :func:`overdue` says when no pass has succeeded for too long.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from bot.run.health import read_health, utc_text
from bot.run.once import PASS_LOCK
from bot.settings import Settings
from bot.state.store import RunInfo, RunOutcome, StateStore

#: Outcomes of a pass that did what it should (the run page may switch the bot off).
_GOOD = frozenset({RunOutcome.OK, RunOutcome.DISABLED})


def collect_status(
    settings: Settings, *, runs: int = 5, read_run_page: bool = True
) -> dict[str, Any]:
    """Return the status as plain data (for ``--json`` and :func:`status_text`)."""
    store = StateStore(settings.run.state_url)
    try:
        logged = store.runs(limit=500)
        lock = store.lock_holder(PASS_LOCK)
    finally:
        store.close()
    good = _last_good(logged)
    by_job: dict[str, list[dict[str, Any]]] = {}
    for run in logged:
        shown = by_job.setdefault(run.job, [])
        if len(shown) < runs:
            shown.append(
                {
                    "id": run.id,
                    "started": utc_text(run.started),
                    "ended": utc_text(run.ended),
                    "outcome": run.outcome.value,
                    "summary": dict(run.summary),
                }
            )
    health_path = Path(settings.serve.health_file)
    health = read_health(health_path)
    status: dict[str, Any] = {
        "runs": by_job,
        "lock": lock,
        "last_good_pass": utc_text(good.ended if good else None),
        "health_file": str(health_path),
        "health": health,
        "health_age_seconds": _age(health.get("updated") if health else None),
        "run_page": {"title": settings.run.run_page, "enabled": None, "text": None},
    }
    if read_run_page:
        status["run_page"] = _run_page(settings)
    return status


def _last_good(runs: list[RunInfo]) -> RunInfo | None:
    return next((run for run in runs if run.outcome in _GOOD and run.ended is not None), None)


def overdue(status: dict[str, Any], max_age: dt.timedelta, now: dt.datetime) -> str | None:
    """Return why the bot looks stuck (no good pass within ``max_age``), or None."""
    last = status.get("last_good_pass")
    if last is None:
        return "no pass has ever succeeded"
    ended = dt.datetime.fromisoformat(str(last).replace("Z", "+00:00"))
    if now - ended > max_age:
        hours = (now - ended).total_seconds() / 3600
        return f"the last good pass ended {last}, {hours:.1f} hours ago"
    return None


def _age(stamp: object) -> float | None:
    if not isinstance(stamp, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return round((dt.datetime.now(dt.UTC) - moment).total_seconds(), 1)


def _run_page(settings: Settings) -> dict[str, Any]:
    from bot.io.gateway import WikiGateway  # noqa: PLC0415 - pywikibot only when asked

    state = WikiGateway(settings.wiki).read_page(settings.run.run_page)
    text = state.text.strip() if state.exists else None
    enabled = text is not None and text.casefold() == settings.run.enabled_value.casefold()
    return {"title": settings.run.run_page, "enabled": enabled, "text": text}


def status_text(status: dict[str, Any]) -> str:
    """Return the status as lines for a person."""
    lines: list[str] = []
    page = status["run_page"]
    if page["enabled"] is None:
        lines.append(f"run page {page['title']}: not read (--offline)")
    else:
        word = "lets the bot edit" if page["enabled"] else "STOPS the bot"
        shown = "missing" if page["text"] is None else repr(page["text"][:40])
        lines.append(f"run page {page['title']}: {shown}, {word}")
    lines.append(f"pass lock: {status['lock'] or 'free'}")
    lines.append(f"last good pass: {status['last_good_pass'] or 'never'}")
    health = status["health"]
    if health is None:
        lines.append(f"health file {status['health_file']}: none (serve has not run here)")
    else:
        lines.append(
            f"health file {status['health_file']}: {health.get('state')}, pid "
            f"{health.get('pid')}, written {health.get('updated')} "
            f"({status['health_age_seconds']} s ago)"
        )
        for job, report in sorted(health.get("jobs", {}).items()):
            nxt = (health.get("next") or {}).get(job) or "-"
            lines.append(
                f"  {job}: {report.get('outcome')} at {report.get('ended')} "
                f"({report.get('seconds')} s), next {nxt}: {report.get('line')}"
            )
    if not status["runs"]:
        lines.append("run log: empty")
    for job, runs in sorted(status["runs"].items()):
        lines.append(f"last runs of {job}:")
        for run in runs:
            summary = run["summary"]
            figures = ", ".join(
                f"{key} {summary[key]}"
                for key in ("mode", "records", "edits", "requests", "reason")
                if summary.get(key) not in (None, "")
            )
            lines.append(
                f"  #{run['id']} {run['started']} -> {run['ended'] or 'running'} "
                f"{run['outcome']}" + (f": {figures}" if figures else "")
            )
    return "\n".join(lines)
