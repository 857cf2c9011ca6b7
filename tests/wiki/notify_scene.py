"""The scene for notices tests: a noticeboard, partnership pages edited by a person, the job.

Every scene has its own tag (from the ``isolated`` settings): its own template name, pages,
noticeboard, run page and state database, so tests sharing the session's wiki never see each
other's notices. Pages are edited through the admin's API client (a second user); the bot runs
through :func:`bot.run.notify_job.run_notify`, as ``partnerbot notify`` would.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from bot.io.gateway import WikiGateway
from bot.pages.notice_marks import notice_keys_in
from bot.run.notify import NotifySummary
from bot.run.notify_job import JobResult, run_notify, state_engine
from bot.settings import NoticeSettings, Settings
from bot.state.ledger import NoticeLedger
from bot.state.notice_snapshot import SnapshotTable
from tests.messages import BundleText
from tests.wiki.client import WikiClient

BOT = "PartnerBot"
#: The day of the baseline; later runs say which day they are.
BASELINE = dt.date.today()
_MARKER = re.compile(r"<!--\s*partnerbot:notice\s+(\S+)\s*-->")


def tag_of(settings: Settings) -> str:
    return settings.template.name.rsplit(" ", 1)[1]


@dataclass
class Scene:
    """One noticeboard and its partnership pages, on the session's wiki."""

    settings: Settings
    admin: WikiClient
    gateway: WikiGateway
    notices: NoticeSettings = field(default_factory=NoticeSettings)
    engine: Any = None

    @classmethod
    def make(
        cls, settings: Settings, admin: WikiClient, gateway: WikiGateway, **notice_settings: Any
    ) -> Scene:
        tag = tag_of(settings)
        run_page = f"User:{BOT}/Run {tag}"
        admin.edit(run_page, "yes")
        settings = replace(settings, run=replace(settings.run, run_page=run_page))
        board = f"Test {tag}/Noticeboard"
        admin.edit(board, "Notices about partnerships. Archives: [[/Archive 1]].")
        notices = NoticeSettings(board=board, **notice_settings)
        return cls(settings, admin, gateway, notices, state_engine(settings.run.state_url))

    # -- the partnership pages ----------------------------------------------------------------

    def title(self, name: str) -> str:
        return f"Partnerships {tag_of(self.settings)}/{name}"

    def infobox(self, name: str, **params: str) -> str:
        values = {"name": name, "partner": f"{name} partner", "type": "outreach", **params}
        body = "".join(f"\n|{key}={value}" for key, value in values.items())
        return f"{{{{{self.settings.template.name}{body}\n}}}}\nA partnership page.\n"

    def write(self, name: str, **params: str) -> str:
        """Save partnership page ``name`` as the admin (a person) would; return its title."""
        title = self.title(name)
        self.admin.edit(title, self.infobox(name, **params), summary="partnership update")
        return title

    def pageid(self, name: str) -> int:
        data = self.admin.get(action="query", titles=self.title(name))
        return int(data["query"]["pages"][0]["pageid"])

    # -- the bot ------------------------------------------------------------------------------

    def run(self, today: dt.date, **changes: Any) -> NotifySummary:
        return self.job(today, **changes).summary

    def job(self, today: dt.date, gateway: WikiGateway | None = None, **changes: Any) -> JobResult:
        notices = replace(self.notices, **changes)
        return run_notify(
            self.settings,
            notices,
            today,
            BundleText(),
            gateway=gateway or self.gateway,
            engine=self.engine,
            lock_stale_after=dt.timedelta(0),
        )

    @property
    def ledger(self) -> NoticeLedger:
        return NoticeLedger(self.engine)

    @property
    def snapshots(self) -> SnapshotTable:
        return SnapshotTable(self.engine)

    def forget_ledger(self) -> None:
        with self.engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM notice_ledger")

    # -- looking at the wiki ------------------------------------------------------------------

    def board_text(self) -> str:
        return self.admin.text(self.notices.board) or ""

    def keys_on(self, *titles: str) -> Counter[str]:
        """Return how many times each notice key is marked on ``titles`` (board by default)."""
        counts: Counter[str] = Counter()
        for title in titles or (self.notices.board,):
            counts.update(_MARKER.findall(self.admin.text(title) or ""))
        return counts

    def bot_edits(self, title: str | None = None) -> int:
        revisions = self.admin.revisions(title or self.notices.board)
        return sum(1 for revision in revisions if revision["user"] == BOT)

    def sections(self, title: str | None = None) -> list[dict[str, Any]]:
        data = self.admin.get(action="parse", page=title or self.notices.board, prop="sections")
        return list(data["parse"]["sections"])


def marked(text: str) -> frozenset[str]:
    return notice_keys_in(text)
