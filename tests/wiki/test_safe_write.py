"""Every edit-safety rule, against the real local MediaWiki (a second user plays the human)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from bot.io.gateway import WikiGateway
from bot.io.responses import PageState
from bot.io.safe_save import WriteGuard, WriteStatus, content_digest, save_block, save_owned_page
from bot.state.store import StoredOutput
from tests.wiki.client import WikiClient

BEGIN = "<!-- partnerbot:begin status -->"
END = "<!-- partnerbot:end status -->"
TABLE = '{| class="wikitable"\n! Partnership\n|-\n| Museum of Northern Crafts\n|}'


RUN_PAGE = "User:PartnerBot/Run"


@pytest.fixture(autouse=True, scope="module")
def bot_enabled(admin_api: WikiClient) -> None:
    """Switch the bot on with its real run page, as an operator does."""
    admin_api.edit(RUN_PAGE, "yes", summary="enable the bot")


class PersonEditsMeanwhile:
    """The bot's gateway, where a person's edit arrives each time the bot reads its run page:
    after the bot read the page it is about to save, before it saves (see ``_attempt``)."""

    def __init__(self, gateway: WikiGateway, person_edits: Callable[[], None]) -> None:
        self._gateway = gateway
        self._person_edits = person_edits

    def read_page(self, title: str) -> PageState:
        if title == RUN_PAGE:
            self._person_edits()
        return self._gateway.read_page(title)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gateway, name)


def guard_for(
    gateway: WikiGateway, *, before_edit: Callable[[], None] | None = None, **overrides: object
) -> WriteGuard:
    seen: Any = gateway if before_edit is None else PersonEditsMeanwhile(gateway, before_edit)
    guard = WriteGuard(
        gateway=seen,
        bot_name=gateway.username,
        run_page=RUN_PAGE,
        enabled_value="yes",
        max_edits=10,
    )
    for name, value in overrides.items():
        setattr(guard, name, value)
    return guard


def page_with_block(before: str, inner: str, after: str) -> str:
    return f"{before}{BEGIN}\n{inner}\n{END}{after}"


def test_text_outside_the_markers_is_kept_byte_for_byte(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    before = "Intro by a coordinator with '''bold''' and trailing spaces   \n\n"
    after = "\n\n== Notes ==\n* kept exactly\n[[Category:Partnership status]]"
    admin_api.edit("Safe write/Outside", page_with_block(before, "", after))
    outcome = save_block(
        guard_for(gateway), "Safe write/Outside", "status", TABLE, "test", previous=None
    )
    assert outcome.status is WriteStatus.SAVED
    text = admin_api.text("Safe write/Outside")
    assert text is not None
    assert text.startswith(before + BEGIN)
    assert text.endswith(END + after)
    assert TABLE in text


def test_a_missing_page_is_created_with_its_markers(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    outcome = save_block(
        guard_for(gateway), "Safe write/New", "status", TABLE, "test", previous=None
    )
    assert outcome.status is WriteStatus.CREATED
    text = admin_api.text("Safe write/New")
    assert text is not None
    assert BEGIN in text
    assert END in text


def test_running_twice_saves_nothing_the_second_time(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    guard = guard_for(gateway)
    first = save_block(guard, "Safe write/Twice", "status", TABLE, "test", previous=None)
    revisions = len(admin_api.revisions("Safe write/Twice"))
    second = save_block(guard, "Safe write/Twice", "status", TABLE, "test", previous=first.stored)
    assert second.status is WriteStatus.UNCHANGED
    assert len(admin_api.revisions("Safe write/Twice")) == revisions
    assert guard.edits == 1


@pytest.mark.parametrize(
    "text",
    [
        "No markers at all",
        f"{BEGIN}\nonly the beginning",
        f"{END}\n{BEGIN}",
        f"{BEGIN}\n{BEGIN}\n{END}",
        f"<!-- {BEGIN} -->\n{END}",
        f"<nowiki>{BEGIN}</nowiki>\n{END}",
    ],
    ids=["missing", "no-end", "reversed", "duplicated", "in-comment", "in-nowiki"],
)
def test_damaged_markers_mean_no_edit(
    gateway: WikiGateway, admin_api: WikiClient, text: str
) -> None:
    title = "Safe write/Damaged"
    admin_api.edit(title, text)
    revisions = admin_api.revisions(title)
    outcome = save_block(guard_for(gateway), title, "status", TABLE, "test", previous=None)
    assert outcome.status is WriteStatus.MARKERS_DAMAGED
    assert admin_api.revisions(title) == revisions


@pytest.mark.parametrize(
    "exclusion",
    ["{{nobots}}", "{{bots|deny=all}}", "{{bots|deny=PartnerBot}}", "{{bots|optout=partnership}}"],
)
def test_nobots_and_bots_deny_are_respected(
    gateway: WikiGateway, admin_api: WikiClient, exclusion: str
) -> None:
    title = "Safe write/Excluded"
    admin_api.edit(title, page_with_block(exclusion + "\n", "", ""))
    revisions = admin_api.revisions(title)
    outcome = save_block(guard_for(gateway), title, "status", TABLE, "test", previous=None)
    assert outcome.status is WriteStatus.BOTS_DENIED
    assert admin_api.revisions(title) == revisions


def test_bots_allow_for_this_bot_lets_it_edit(gateway: WikiGateway, admin_api: WikiClient) -> None:
    title = "Safe write/Allowed"
    admin_api.edit(title, page_with_block("{{bots|allow=PartnerBot}}\n", "", ""))
    outcome = save_block(guard_for(gateway), title, "status", TABLE, "test", previous=None)
    assert outcome.status is WriteStatus.SAVED


def test_a_protected_page_is_skipped(gateway: WikiGateway, admin_api: WikiClient) -> None:
    title = "Safe write/Protected"
    admin_api.edit(title, page_with_block("", "", ""))
    admin_api.protect(title)
    revisions = admin_api.revisions(title)
    outcome = save_block(guard_for(gateway), title, "status", TABLE, "test", previous=None)
    assert outcome.status is WriteStatus.PROTECTED
    assert admin_api.revisions(title) == revisions


def test_a_deleted_page_is_not_recreated(gateway: WikiGateway, admin_api: WikiClient) -> None:
    title = "Safe write/Deleted"
    guard = guard_for(gateway)
    first = save_block(guard, title, "status", TABLE, "test", previous=None)
    admin_api.delete(title)
    outcome = save_block(guard, title, "status", TABLE + "\n|}", "test", previous=first.stored)
    assert outcome.status is WriteStatus.DELETED
    assert admin_api.text(title) is None


def test_a_deleted_page_is_not_recreated_even_when_state_was_lost(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    title = "Safe write/Deleted without state"
    save_block(guard_for(gateway), title, "status", TABLE, "test", previous=None)
    admin_api.delete(title)
    outcome = save_block(guard_for(gateway), title, "status", TABLE, "test", previous=None)
    assert outcome.status is WriteStatus.DELETED
    assert admin_api.text(title) is None


def test_a_person_editing_elsewhere_meanwhile_keeps_both_changes(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    title = "Safe write/Merged"
    admin_api.edit(title, page_with_block("Intro\n\n", "", "\n\nOutro"))
    calls = []

    def person_edits_meanwhile() -> None:
        calls.append(1)
        if len(calls) == 1:
            time.sleep(1.1)  # MediaWiki detects conflicts only for edits at least 1 s apart
            admin_api.edit(title, page_with_block("Intro changed by a person\n\n", "", "\n\nOutro"))

    outcome = save_block(
        guard_for(gateway, before_edit=person_edits_meanwhile),
        title,
        "status",
        TABLE,
        "t",
        previous=None,
    )
    # MediaWiki merges edits that do not overlap (it only reports a conflict when it cannot).
    assert outcome.status is WriteStatus.SAVED
    text = admin_api.text(title)
    assert text is not None
    assert text.startswith("Intro changed by a person\n")
    assert TABLE in text
    users = [revision["user"] for revision in admin_api.revisions(title)]
    assert users[:2] == ["PartnerBot", "Admin"]


def test_a_conflicting_edit_by_a_person_is_reread_and_wins(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    title = "Safe write/Conflict"
    admin_api.edit(title, page_with_block("Intro\n", "", "\nOutro"))
    calls = []

    def person_edits_the_block_meanwhile() -> None:
        calls.append(1)
        if len(calls) == 1:
            time.sleep(1.1)
            admin_api.edit(
                title, page_with_block("Intro\n", "A note typed into the table", "\nOutro")
            )

    guard = guard_for(gateway, before_edit=person_edits_the_block_meanwhile)
    outcome = save_block(guard, title, "status", TABLE, "test", previous=None)
    # The conflict is detected (basetimestamp = the revision read), the page is read again and
    # the person's text inside the block is kept for a human to sort out.
    assert outcome.status is WriteStatus.HUMAN_EDIT
    assert len(calls) == 1
    assert "A note typed into the table" in (admin_api.text(title) or "")
    assert [r["user"] for r in admin_api.revisions(title)].count("PartnerBot") == 0


def test_a_person_editing_inside_the_block_is_not_overwritten(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    title = "Safe write/Human inside"
    guard = guard_for(gateway)
    first = save_block(guard, title, "status", TABLE, "test", previous=None)
    text = admin_api.text(title)
    assert text is not None
    admin_api.edit(title, text.replace("Museum of Northern Crafts", "Museum (corrected by hand)"))
    outcome = save_block(guard, title, "status", TABLE + "\n|}", "test", previous=first.stored)
    assert outcome.status is WriteStatus.HUMAN_EDIT
    assert "corrected by hand" in (admin_api.text(title) or "")


def test_an_emptied_block_is_handed_back_to_the_bot(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    title = "Safe write/Emptied"
    previous = StoredOutput(title, "status", content_digest("something else"), None)
    admin_api.edit(title, page_with_block("", "", ""))
    outcome = save_block(guard_for(gateway), title, "status", TABLE, "test", previous=previous)
    assert outcome.status is WriteStatus.SAVED


def test_run_page_switched_off_mid_run_stops_the_next_edit(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    guard = guard_for(gateway)
    first = save_block(guard, "Safe write/Mid run 1", "status", TABLE, "test", previous=None)
    admin_api.edit(RUN_PAGE, "no: stopped by an operator")
    try:
        second = save_block(guard, "Safe write/Mid run 2", "status", TABLE, "test", previous=None)
    finally:
        admin_api.edit(RUN_PAGE, "yes")
    assert (first.status, second.status) == (WriteStatus.CREATED, WriteStatus.DISABLED)
    assert second.detail == RUN_PAGE
    assert admin_api.text("Safe write/Mid run 2") is None


def test_simulate_sends_no_write_request(gateway: WikiGateway, admin_api: WikiClient) -> None:
    title = "Safe write/Simulated"
    admin_api.edit(title, page_with_block("", "", ""))
    revisions = admin_api.revisions(title)
    writes_before = gateway.counter.edits
    posts_before = gateway.counter.actions.get("edit", 0)
    outcome = save_block(
        guard_for(gateway, simulate=True), title, "status", TABLE, "t", previous=None
    )
    assert outcome.status is WriteStatus.SIMULATED
    assert "+| Museum of Northern Crafts" in outcome.diff
    assert gateway.counter.edits == writes_before
    assert gateway.counter.actions.get("edit", 0) == posts_before
    assert admin_api.revisions(title) == revisions


def test_edit_limit_stops_further_edits(gateway: WikiGateway, admin_api: WikiClient) -> None:
    guard = guard_for(gateway, max_edits=1)
    first = save_block(guard, "Safe write/Limit 1", "status", TABLE, "test", previous=None)
    second = save_block(guard, "Safe write/Limit 2", "status", TABLE, "test", previous=None)
    assert (first.status, second.status) == (WriteStatus.CREATED, WriteStatus.EDIT_LIMIT)
    assert admin_api.text("Safe write/Limit 2") is None


def test_edits_are_bot_edits_with_the_given_summary(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    title = "Safe write/Flags"
    save_block(
        guard_for(gateway), title, "status", TABLE, "Partnership tracker: update", previous=None
    )
    [revision] = admin_api.revisions(title, limit=1)
    assert revision["comment"] == "Partnership tracker: update"
    changes = admin_api.get(
        action="query", list="recentchanges", rctitle=title, rcprop="flags|user", rclimit=1
    )["query"]["recentchanges"]
    assert changes[0]["bot"] is True


def test_owned_page_edited_by_a_person_is_not_overwritten(
    gateway: WikiGateway, admin_api: WikiClient
) -> None:
    title = "Safe write/Owned"
    guard = guard_for(gateway)
    first = save_owned_page(guard, title, "version 1", "test", previous=None)
    admin_api.edit(title, "a person rewrote this")
    outcome = save_owned_page(guard, title, "version 2", "test", previous=first.stored)
    assert outcome.status is WriteStatus.HUMAN_EDIT
    assert admin_api.text(title) == "a person rewrote this"
