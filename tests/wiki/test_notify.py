"""The notices job against the real local MediaWiki: each notice exactly once, ever.

A person (the admin account) edits partnership pages; the bot posts notices on a noticeboard of
the test's own. The wiki is looked at through the admin's client, never the bot's view.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.devwiki.wiki import DevWiki
from bot.io.gateway import WikiGateway
from bot.io.noticeboard import read_board
from bot.settings import Settings
from tests.wiki.client import WikiClient
from tests.wiki.notify_scene import BOT, Scene

BASE = dt.datetime.now(dt.UTC).date()
TODAY = BASE + dt.timedelta(days=10)


def day(offset: int) -> str:
    return (BASE + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def scene(isolated: Settings, admin_api: WikiClient, gateway: WikiGateway) -> Iterator[Scene]:
    made = Scene.make(isolated, admin_api, gateway)
    yield made
    made.engine.dispose()


def latest_revid(scene: Scene, name: str) -> int:
    return int(scene.admin.revisions(scene.title(name), limit=1)[0]["revid"])


# -- every kind, once -------------------------------------------------------------------------


def test_every_kind_of_notice_is_posted_once_from_a_persons_edits(scene: Scene) -> None:
    scene.write("Alpha", status="negotiating", contact_wikimedia="Marit S")
    scene.write("Gamma", status="active")
    scene.write("Delta", status="active")
    scene.write("Epsilon", status="active", next_review=day(17))
    scene.write("Zeta", status="active", next_review=day(8))
    scene.write("Eta", status="active", agreement="mou", agreement_renewal=day(35))
    scene.write("Theta", status="contacted", next_step="Call the archive", next_step_date=day(1))
    scene.write("Iota", status="concluded", end_date=day(-55))
    assert scene.run(BASE).outcome == "baseline"
    assert scene.bot_edits() == 0
    before = {name: latest_revid(scene, name) for name in ("Alpha", "Gamma", "Delta")}

    scene.write("Alpha", status="active", contact_wikimedia="Marit S")
    report = scene.title("Gamma/Report")
    scene.write("Gamma", status="concluded", report=f"[[{report}]]")
    scene.write("Delta", status="active", flags="Article freeze")
    scene.write("Beta", status="prospect")
    summary = scene.run(TODAY)

    ids = {name: scene.pageid(name) for name in ("Alpha", "Beta", "Gamma", "Delta")}
    ids |= {name: scene.pageid(name) for name in ("Epsilon", "Zeta", "Eta", "Theta", "Iota")}
    expected = {
        f"p{ids['Beta']}.0/new",
        f"p{ids['Alpha']}.0/stage/active/r{before['Alpha']}",
        f"p{ids['Gamma']}.0/concluded/r{before['Gamma']}",
        f"p{ids['Delta']}.0/flag/article-freeze/r{before['Delta']}",
        f"p{ids['Epsilon']}.0/review-due/{day(17)}",
        f"p{ids['Zeta']}.0/review-overdue/{day(8)}",
        f"p{ids['Eta']}.0/renewal-due/{day(35)}",
        f"p{ids['Theta']}.0/next-step-stale/{day(1)}",
        f"p{ids['Iota']}.0/report-missing/{day(-55)}",
    }
    assert (summary.outcome, summary.posted, summary.sections) == ("ok", 9, 1)
    assert scene.keys_on() == dict.fromkeys(expected, 1)
    assert scene.bot_edits() == 1
    board = scene.board_text()
    assert f"[[:{report}|" in board
    assert "Marit S" in board
    assert "[[User:Marit S" not in board

    again = scene.run(TODAY)
    later = scene.run(TODAY + dt.timedelta(days=1))
    assert (again.posted, later.posted, scene.bot_edits()) == (0, 0, 1)
    assert again.requests == 0


def test_posting_costs_one_read_of_the_board_and_one_edit_per_section(scene: Scene) -> None:
    """Measured: 1 read (board and archives) + per section 1 run-page read and 1 edit."""
    for number in range(1, 4):
        scene.admin.edit(f"{scene.notices.board}/Archive {number}", "Old notices.")
    scene.run(BASE)
    for number in range(3):
        scene.write(f"Page {number}", status="active", flags="article-freeze, mission-conflict")

    summary = scene.job(TODAY, max_events_per_section=3, max_sections_per_run=5).summary

    assert (summary.posted, summary.sections) == (9, 3)
    assert summary.requests == 1 + 2 * 3
    assert len([s for s in scene.sections() if s["level"] == "2"]) == 3


def test_caps_leave_the_rest_for_the_next_run(scene: Scene) -> None:
    scene.run(BASE)
    for number in range(3):
        scene.write(f"Page {number}", status="active", flags="article-freeze")

    first = scene.job(TODAY, max_events_per_section=2, max_sections_per_run=1).summary
    second = scene.job(TODAY, max_events_per_section=2, max_sections_per_run=1).summary
    third = scene.job(TODAY, max_events_per_section=2, max_sections_per_run=1).summary

    assert [first.posted, second.posted, third.posted] == [2, 2, 2]
    assert (first.deferred, second.deferred, third.deferred) == (4, 2, 0)
    assert set(scene.keys_on().values()) == {1}
    assert len(scene.keys_on()) == 6


# -- moves, lost ledgers, archives --------------------------------------------------------------


def test_a_page_moved_after_its_new_notice_gets_no_second_notice(scene: Scene) -> None:
    scene.run(BASE)
    old = scene.write("Harbour", status="prospect")
    saved = scene.snapshots.load()
    assert scene.run(TODAY).posted == 1
    new = scene.title("Harbour (renamed)")
    moved = scene.admin.post(action="move", **{"from": old, "to": new}, reason="rename")
    assert "move" in moved

    after_move = scene.run(TODAY)
    # Even derived again from before the move, with the ledger lost: the key is the same.
    assert saved is not None
    scene.snapshots.save(saved)
    scene.forget_ledger()
    replayed = scene.run(TODAY + dt.timedelta(days=1))

    assert (after_move.posted, after_move.derived) == (0, 0)
    assert (replayed.derived, replayed.found_on_wiki, replayed.posted) == (1, 1, 0)
    assert list(scene.keys_on().values()) == [1]


def test_a_lost_ledger_and_an_unsaved_snapshot_give_no_duplicate(scene: Scene) -> None:
    scene.run(BASE)
    scene.write("Harbour", status="active", flags="article-freeze")
    saved = scene.snapshots.load()
    assert scene.run(TODAY).posted == 2
    # The run crashed after posting, before saving its snapshot; the state database was lost.
    assert saved is not None
    scene.snapshots.save(saved)
    scene.forget_ledger()

    summary = scene.run(TODAY)

    assert (summary.posted, summary.found_on_wiki, summary.candidates) == (0, 2, 2)
    assert scene.ledger.count(scene.notices.board) == 2
    assert set(scene.keys_on().values()) == {1}


def test_notices_moved_to_an_archive_are_still_found(scene: Scene) -> None:
    scene.run(BASE)
    scene.write("Harbour", status="active", flags="article-freeze")
    saved = scene.snapshots.load()
    scene.run(TODAY)
    board = scene.notices.board
    scene.admin.edit(f"{board}/Archive 1", scene.board_text(), summary="archive")
    scene.admin.edit(board, "Notices about partnerships.", summary="archive")
    assert saved is not None
    scene.snapshots.save(saved)
    scene.forget_ledger()

    summary = scene.run(TODAY)

    assert (summary.posted, summary.found_on_wiki) == (0, 2)
    assert scene.keys_on() == {}
    assert set(scene.keys_on(f"{board}/Archive 1").values()) == {1}


def test_archives_larger_than_one_api_answer_are_all_read(scene: Scene, devwiki: DevWiki) -> None:
    """30 archives of 280 kB (past MediaWiki's 8 MB answer limit): measured 2 requests."""
    board = scene.notices.board
    filler = ("Lorem ipsum dolor sit amet. " * 40 + "\n") * 250
    devwiki.import_pages(
        {
            f"{board}/Archive {n}": f"{filler}<!-- partnerbot:notice p{n}.0/new -->"
            for n in range(30)
        }
    )
    before = scene.gateway.counter.total

    reading = read_board(scene.gateway, board)

    assert reading.keys == {f"p{n}.0/new" for n in range(30)}
    assert len(reading.archives) == 30
    assert scene.gateway.counter.total - before == 2


def test_archives_under_another_prefix_are_searched(scene: Scene) -> None:
    prefix = f"Test old notices of {scene.notices.board}/"
    scene.run(BASE)
    scene.write("Harbour", status="active", flags="article-freeze")
    saved = scene.snapshots.load()
    scene.run(TODAY)
    scene.admin.edit(f"{prefix}2026", scene.board_text(), summary="archive")
    scene.admin.edit(scene.notices.board, "Notices about partnerships.", summary="archive")
    assert saved is not None
    scene.snapshots.save(saved)
    scene.forget_ledger()

    summary = scene.job(TODAY, archive_prefix=prefix).summary

    assert (summary.posted, summary.found_on_wiki) == (0, 2)


def test_archives_listed_in_the_settings_are_searched(scene: Scene) -> None:
    elsewhere = f"Test archive of {scene.notices.board}"
    scene.run(BASE)
    scene.write("Harbour", status="active", flags="article-freeze")
    saved = scene.snapshots.load()
    scene.run(TODAY)
    scene.admin.edit(elsewhere, scene.board_text(), summary="archive")
    scene.admin.edit(scene.notices.board, "Notices about partnerships.", summary="archive")
    assert saved is not None
    scene.snapshots.save(saved)
    scene.forget_ledger()

    summary = scene.job(TODAY, archives=(elsewhere,)).summary

    assert (summary.posted, summary.found_on_wiki) == (0, 2)


# -- opt-outs and closed boards ---------------------------------------------------------------


@pytest.mark.parametrize("opt_out", ["no", "bot"])
def test_an_opted_out_partnership_gets_no_notice(scene: Scene, opt_out: str) -> None:
    flag = {"notices": "no"} if opt_out == "no" else {"bot": "no"}
    scene.write("Harbour", status="active")
    scene.run(BASE)
    scene.write("Harbour", status="on_hold", flags="article-freeze", **flag)
    scene.write("Quiet new", status="prospect", **flag)

    summary = scene.run(TODAY)

    assert (summary.derived, summary.posted, scene.bot_edits()) == (0, 0, 0)


@pytest.mark.parametrize(
    "exclusion", ["{{nobots}}", "{{bots|deny=PartnerBot}}", "{{bots|optout=partnership}}"]
)
def test_a_board_closed_to_the_bot_is_reported_and_posted_to_once_reopened(
    scene: Scene, exclusion: str
) -> None:
    board = scene.notices.board
    scene.run(BASE)
    scene.write("Harbour", status="prospect")
    scene.admin.edit(board, f"{exclusion}\nNotices.")

    closed = scene.run(TODAY)
    scene.admin.edit(board, "Notices.")
    reopened = scene.run(TODAY)

    assert (closed.outcome, closed.posted, closed.deferred) == ("skipped", 0, 1)
    assert closed.problems[0]["detail"] == "bot excluded by {{bots}}/{{nobots}}"
    assert (reopened.posted, scene.bot_edits()) == (1, 1)


def test_a_protected_board_is_reported_without_an_edit_attempt(scene: Scene) -> None:
    board = scene.notices.board
    scene.run(BASE)
    scene.write("Harbour", status="prospect")
    scene.admin.protect(board)
    try:
        first = scene.run(TODAY)
        second = scene.run(TODAY)
    finally:
        scene.admin.post(action="protect", title=board, protections="edit=all|move=all")
    third = scene.run(TODAY)

    assert (first.outcome, first.posted, first.problems[0]["detail"]) == (
        "skipped",
        0,
        "page is protected beyond the bot's rights",
    )
    assert first.requests == second.requests == 1
    assert (third.posted, scene.bot_edits()) == (1, 1)


def test_a_missing_board_is_not_created(scene: Scene) -> None:
    scene.run(BASE)
    scene.write("Harbour", status="prospect")
    summary = scene.job(TODAY, board=f"{scene.notices.board} (missing)").summary
    assert (summary.outcome, summary.posted) == ("skipped", 0)
    assert scene.admin.text(f"{scene.notices.board} (missing)") is None


def test_the_run_page_switched_off_stops_posting(scene: Scene) -> None:
    scene.run(BASE)
    scene.write("Harbour", status="prospect")
    scene.admin.edit(scene.settings.run.run_page, "no")
    summary = scene.run(TODAY)
    scene.admin.edit(scene.settings.run.run_page, "yes")
    assert (summary.outcome, summary.posted, summary.deferred) == ("disabled", 0, 1)
    assert scene.run(TODAY).posted == 1


# -- talk pages -------------------------------------------------------------------------------


def test_reminders_go_once_to_the_talk_page_unless_it_opted_out(scene: Scene) -> None:
    scene.write("Harbour", status="active", next_review=day(17))
    scene.write("Quiet", status="active", next_review=day(17))
    scene.write("Closed", status="active", next_review=day(17))
    quiet_talk = "Talk:" + scene.title("Quiet")
    closed_talk = "Talk:" + scene.title("Closed")
    category = f"Opted out {scene.notices.board}"
    scene.admin.edit(quiet_talk, f"No messages please. [[Category:{category}]]")
    scene.admin.edit(closed_talk, "{{nobots}}")
    scene.job(BASE, talk_reminders=True, opt_out_category=category)

    first = scene.job(TODAY, talk_reminders=True, opt_out_category=category).summary
    second = scene.job(TODAY, talk_reminders=True, opt_out_category=category).summary

    harbour_talk = "Talk:" + scene.title("Harbour")
    assert (first.posted, first.talk_posted, second.talk_posted) == (3, 1, 0)
    assert list(scene.keys_on(harbour_talk).values()) == [1]
    assert scene.keys_on(quiet_talk, closed_talk) == {}
    assert {problem["page"] for problem in first.problems} == {quiet_talk, closed_talk}
    assert scene.admin.revisions(harbour_talk)[0]["minor"] is False


# -- hostile values ---------------------------------------------------------------------------

HOSTILE = "== Evil ==\n[[Category:Spam]] {{nobots}} ~~~~ <!-- x --> [[User:Victim]] ''b''"


def test_hostile_values_make_one_section_no_ping_and_no_category(scene: Scene) -> None:
    scene.run(BASE)
    scene.admin.edit(
        scene.title("Hostile"),
        scene.infobox(
            "Hostile",
            status="active",
            contact_wikimedia="Victim, Mallory]]",
            contact_partner="{{subst:REVISIONUSER}} ~~~ [http://spam.example x]",
            partner="-->",
        ).replace("|name=Hostile", "|name=<nowiki>== Evil ==</nowiki> [[User:Victim]] ~~~~"),
    )
    scene.write("Plain", status="active", next_step=HOSTILE.replace("\n", " "))
    sections_before = len(scene.sections())

    summary = scene.run(TODAY)

    parsed = scene.admin.parse_page(scene.notices.board)
    assert summary.posted == 2
    assert len(scene.sections()) == sections_before + 1
    assert parsed["categories"] == []
    users = {link["title"] for link in parsed["links"] if link["ns"] in (2, 3)}
    assert users <= {f"User:{BOT}", f"User talk:{BOT}"}
    assert parsed["externallinks"] == []
    assert len(scene.keys_on()) == 2
    assert scene.board_text().count(f"[[User:{BOT}|") == 1


def test_simulate_renders_the_notices_and_sends_no_write(scene: Scene) -> None:
    scene.run(BASE)
    scene.write("Harbour", status="prospect")
    saved = scene.snapshots.load()
    writes_before = scene.gateway.counter.writes
    simulating = replace(scene.settings, simulate=True)

    job = Scene(simulating, scene.admin, scene.gateway, scene.notices, scene.engine).job(TODAY)

    assert job.result is not None
    assert (job.summary.outcome, job.summary.posted) == ("simulated", 0)
    assert "partnerbot:notice" in job.result.sections[0].body
    assert scene.gateway.counter.writes == writes_before
    assert scene.bot_edits() == 0
    assert scene.snapshots.load() == saved
    assert scene.run(TODAY).posted == 1


def test_the_notify_command_prints_what_it_would_post_and_lists_the_events(
    scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scene.run(BASE)
    scene.write("Harbour", status="prospect")
    settings = scene.settings
    config = tmp_path / "settings.toml"
    config.write_text(
        "\n".join(
            [
                "[wiki]",
                f'pywikibot_dir = "{settings.wiki.pywikibot_dir}"',
                "put_throttle = 0.0",
                "[template]",
                f'name = "{settings.template.name}"',
                "[run]",
                f'state_url = "{settings.run.state_url}"',
                f'run_page = "{settings.run.run_page}"',
                "[notices]",
                f'board = "{scene.notices.board}"',
            ]
        ),
        encoding="utf-8",
    )
    command = ["--config", str(config), "notify", "--today", TODAY.isoformat()]

    assert cli_main([*command, "--simulate"]) == 0
    shown = capsys.readouterr().out
    assert shown.count("partnerbot:notice") == 1
    assert "notify simulated" in shown
    assert scene.bot_edits() == 0

    assert cli_main([*command, "--json", "--simulate"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [event["kind"] for event in listed["events"]] == ["new"]
    assert listed["events"][0]["page"] == scene.title("Harbour")
    assert scene.bot_edits() == 0
