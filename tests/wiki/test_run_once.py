"""The main job end to end, against the real local MediaWiki (a second user plays the human).

Every test has settings of its own (``isolated``: template name, output pages, state store and
run page), seeds partnership pages that use that template, calls :func:`bot.run.jobs.run_once` and
then looks at the wiki through the admin's API client, never through the bot's own view.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.cli import main as cli_main
from bot.devwiki.wiki import DevWiki
from bot.io.gateway import GatewayError
from bot.pages.blocks import BlockDamage, find_block, replace_block
from bot.run.jobs import RunSummary, run_once
from bot.settings import Settings
from bot.state.store import StateStore
from tests.wiki.client import WikiClient

TODAY = dt.date(2026, 6, 1)
BOT = "PartnerBot"
END_STATUS = "<!-- partnerbot:end status -->"
_ROW_TITLE = re.compile(r"^\| \[\[:([^|\]]+)\|", re.MULTILINE)


# -- scene setting ----------------------------------------------------------------------------


def tag_of(settings: Settings) -> str:
    """Return the test's own tag (``T1234abcd``), the last word of its template name."""
    return settings.template.name.rsplit(" ", 1)[1]


def infobox(settings: Settings, name: str, **params: str) -> str:
    """Return a complete, closed infobox call with sensible defaults for an active partnership."""
    values = {
        "name": name,
        "partner": f"{name} partner",
        "affiliate": "Wikimedia Testland",
        "status": "active",
        "type": "outreach",
        **params,
    }
    body = "".join(f"\n|{key}={value}" for key, value in values.items())
    return f"{{{{{settings.template.name}{body}\n}}}}\nA partnership page.\n"


def page_title(settings: Settings, number: int) -> str:
    return f"Partnerships {tag_of(settings)}/Partnership {number:03d}"


def seed(devwiki: DevWiki, settings: Settings, count: int) -> dict[str, str]:
    """Import ``count`` partnership pages (fast, no recent-changes entries); return title → name."""
    names = {page_title(settings, n): f"Partnership {n:03d}" for n in range(count)}
    devwiki.import_pages({title: infobox(settings, name) for title, name in names.items()})
    return names


def output_titles(settings: Settings) -> list[str]:
    outputs = settings.outputs
    return [
        outputs.method_page,
        outputs.status_page,
        outputs.affiliate_page_prefix,
        outputs.findings_page,
        outputs.report_page,
    ]


def run(settings: Settings, **kwargs: Any) -> RunSummary:
    return run_once(settings, today=TODAY, **kwargs)


def statuses(summary: RunSummary) -> dict[str, str]:
    """Return output title → write status of a run (of the main blocks, not the notes)."""
    return {o["title"]: o["status"] for o in summary.outputs if o["block"] != "notes"}


# -- looking at the wiki ----------------------------------------------------------------------


def page_text(api: WikiClient, title: str) -> str:
    text = api.text(title)
    assert text is not None, f"{title} does not exist"
    return text


def block_of(text: str, name: str) -> str:
    span = find_block(text, name)
    assert not isinstance(span, BlockDamage), f"block {name} damaged: {span}"
    return text[span.content_start : span.content_end]


def table_titles(api: WikiClient, settings: Settings) -> list[str]:
    """Return the partnership pages the status table lists, one per row, in table order."""
    return _ROW_TITLE.findall(block_of(page_text(api, settings.outputs.status_page), "status"))


def row_count(api: WikiClient, settings: Settings) -> int:
    block = block_of(page_text(api, settings.outputs.status_page), "status")
    table = block[block.index("partnerbot-status") :]
    return sum(1 for line in table.splitlines() if line.startswith("|-"))


def revid(api: WikiClient, title: str) -> int | None:
    revisions = api.revisions(title, limit=1)
    return int(revisions[0]["revid"]) if revisions else None


def bot_changes(api: WikiClient) -> list[int]:
    """Return the ids of every recent change made by the bot, newest first."""
    data = api.get(action="query", list="recentchanges", rcuser=BOT, rcprop="ids", rclimit="max")
    return [int(change["rcid"]) for change in data["query"]["recentchanges"]]


@pytest.fixture
def settings(isolated: Settings, admin_api: WikiClient) -> Settings:
    """Return the isolated settings with a run page of their own, switched on."""
    run_page = f"User:{BOT}/Run {tag_of(isolated)}"
    admin_api.edit(run_page, "yes")
    return replace(isolated, run=replace(isolated.run, run_page=run_page))


@pytest.fixture
def wire() -> Iterator[list[str]]:
    """Record the API action of every HTTP request pywikibot sends during the test."""
    from pywikibot.comms import http  # noqa: PLC0415 - the test wiki's config must exist first

    sent: list[str] = []

    def record(response: Any, *args: Any, **kwargs: Any) -> Any:
        request = response.request
        body = request.body or b""
        params = parse_qs(urlsplit(request.url).query)
        params.update(parse_qs(body.decode() if isinstance(body, bytes) else body))
        sent.append(params.get("action", ["?"])[0])
        return response

    hooks = http.session.hooks.setdefault("response", [])
    hooks.append(record)
    try:
        yield sent
    finally:
        hooks.remove(record)


# -- 1-3: cold, warm and incremental runs -----------------------------------------------------


def test_cold_run_writes_every_output_and_lists_exactly_the_seeded_pages(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    seeded = seed(devwiki, settings, 5)
    summary = run(settings)
    assert (summary.outcome, summary.mode) == ("ok", "cold")
    for title in output_titles(settings):
        assert admin_api.revisions(title)[0]["user"] == BOT
    assert summary.edits == len(output_titles(settings))
    assert set(statuses(summary).values()) == {"created"}
    assert sorted(seeded) == sorted(table_titles(admin_api, settings))
    assert len(seeded) == row_count(admin_api, settings)
    data = json.loads(page_text(admin_api, settings.outputs.findings_page))
    assert isinstance(data, dict)
    for title in seeded:
        assert [r["user"] for r in admin_api.revisions(title)] == ["Admin"]


def test_a_second_run_with_nothing_changed_edits_nothing_and_asks_little(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    """Second run: 3 requests measured (run page, template redirects, recent changes); output
    pages whose content equals the bot's last save are not even read. Ceiling: 10."""
    seeded = seed(devwiki, settings, 4)
    run(settings)
    watched = [*output_titles(settings), *seeded]
    before = {title: revid(admin_api, title) for title in watched}
    changes_before = bot_changes(admin_api)
    summary = run(settings)
    assert (summary.outcome, summary.mode) == ("ok", "incremental")
    assert summary.edits == 0
    assert summary.fetched == 0
    assert before == {title: revid(admin_api, title) for title in watched}
    assert changes_before == bot_changes(admin_api)
    assert summary.requests <= 10


def test_a_human_edit_to_one_page_fetches_that_page_only(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    """Third run after one human edit: fixed 4 requests (run page, template redirects, recent
    changes, one batched fetch), then 3 per edited output (read, run page, edit) and 1 per
    unchanged output (read; none when it equals the last save). Measured: 4 + 3 * 3 = 13."""
    seed(devwiki, settings, 4)
    run(settings)
    run(settings)
    edited = page_title(settings, 2)
    admin_api.edit(edited, infobox(settings, "Renamed by a coordinator"))
    summary = run(settings)
    assert (summary.outcome, summary.mode) == ("ok", "incremental")
    assert summary.fetched == 1
    assert statuses(summary) == {
        settings.outputs.method_page: "unchanged",
        settings.outputs.status_page: "saved",
        settings.outputs.affiliate_page_prefix: "saved",
        settings.outputs.findings_page: "saved",
        settings.outputs.report_page: "unchanged",
    }
    status = page_text(admin_api, settings.outputs.status_page)
    assert "Renamed by a coordinator" in status
    assert "Partnership 002<" not in status
    assert "Renamed by a coordinator" in page_text(
        admin_api, settings.outputs.affiliate_page_prefix
    )
    assert summary.requests <= 4 + 3 * summary.edits + summary.unchanged


def test_cold_run_requests_grow_with_batches_not_pages(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    """A cold run over N pages stays within ceil(N/500) + 10 + 3 + 4 per created output.

    - ceil(N/500): the listing brings the content of 500 pages per request (apihighlimits).
    - 10: pywikibot's session set-up (user info twice, parameter info twice, login token, login,
      user info, site info twice, the CSRF token before the first edit), sent only by the first
      login in a process; pywikibot keeps the Site, so later runs in the same process send none.
    - 3: the run page, the template's redirects and the recent-changes position.
    - 4 per output page created: read it, look for it in the deletion log (never recreate a
      deleted page), read the run page again, edit. (An existing page costs 3: no log lookup.)

    Measured for N=120 and 4 outputs: 30 requests in a fresh process, 20 after an earlier login.
    """
    count = 120
    seed(devwiki, settings, count)
    summary = run(settings)
    assert (summary.outcome, summary.mode) == ("ok", "cold")
    assert summary.records == count
    assert summary.fetched == count
    assert summary.edits == len(output_titles(settings))
    assert row_count(admin_api, settings) == count
    assert summary.requests <= math.ceil(count / 500) + 10 + 3 + 4 * summary.edits


# -- 4: pages come and go ---------------------------------------------------------------------


def test_removed_new_and_deleted_infobox_pages_follow_in_the_next_run(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    seeded = seed(devwiki, settings, 10)
    run(settings)
    stripped, deleted, new = (
        page_title(settings, 0),
        page_title(settings, 1),
        page_title(settings, 99),
    )
    admin_api.edit(stripped, "This is no longer a partnership page.")
    admin_api.delete(deleted)
    admin_api.edit(new, infobox(settings, "Brand new partnership"))
    summary = run(settings)
    expected = sorted(set(seeded) - {stripped, deleted} | {new})
    assert (summary.outcome, summary.mode) == ("ok", "incremental")
    assert expected == sorted(table_titles(admin_api, settings))
    assert summary.removed == 2
    full = run(settings, full=True)
    assert (full.mode, full.edits, full.removed, full.fetched) == ("full", 0, 0, 0)


# -- 5: the run page --------------------------------------------------------------------------


def test_run_page_switched_off_means_no_edit_and_outcome_disabled(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    seed(devwiki, settings, 3)
    admin_api.edit(settings.run.run_page, "no")
    changes_before = bot_changes(admin_api)
    summary = run(settings)
    assert (summary.outcome, summary.edits) == ("disabled", 0)
    assert changes_before == bot_changes(admin_api)
    for title in output_titles(settings):
        assert admin_api.text(title) is None
    admin_api.edit(settings.run.run_page, "yes")
    again = run(settings)
    assert (again.outcome, again.edits) == ("ok", len(output_titles(settings)))


def write_settings_file(settings: Settings, path: Path) -> Path:
    """Write ``settings`` as the TOML file the command line reads."""
    lines = []
    for section, values in [
        ("wiki", asdict(settings.wiki)),
        ("template", asdict(settings.template)),
        ("outputs", asdict(settings.outputs)),
        ("run", asdict(settings.run)),
        (
            "paths",
            {"checklist": str(settings.checklist_path), "templates": str(settings.templates_dir)},
        ),
    ]:
        lines.append(f"[{section}]")
        for key, value in values.items():
            if isinstance(value, bool):
                shown = "true" if value else "false"
            elif isinstance(value, int | float):
                shown = repr(value)
            elif isinstance(value, tuple | list):
                shown = json.dumps(list(value))
            else:
                shown = json.dumps(value)
            lines.append(f"{key} = {shown}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_command_line_exits_0_when_the_run_page_disables_the_bot(
    devwiki: DevWiki,
    admin_api: WikiClient,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed(devwiki, settings, 2)
    admin_api.edit(settings.run.run_page, "no: paused by an operator")
    config = write_settings_file(settings, tmp_path / "settings.toml")
    code = cli_main(["--config", str(config), "--json", "run-once", "--today", TODAY.isoformat()])
    printed = json.loads(capsys.readouterr().out)
    assert (code, printed["outcome"], printed["edits"]) == (0, "disabled", 0)
    assert admin_api.text(settings.outputs.status_page) is None


# -- 6: the circuit breaker -------------------------------------------------------------------


def test_a_large_drop_in_records_freezes_the_tables_until_accepted(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    seeded = seed(devwiki, settings, 10)
    run(settings)
    status_page = settings.outputs.status_page
    frozen = block_of(page_text(admin_api, status_page), "status")
    removed = [page_title(settings, n) for n in (3, 4, 5)]
    for title in removed:
        admin_api.edit(title, "The infobox was taken out.")
    summary = run(settings)
    assert summary.outcome == "breaker"
    assert "10 to 7" in summary.reason
    held = page_text(admin_api, status_page)
    assert frozen == block_of(held, "status")
    assert row_count(admin_api, settings) == 10
    assert "dropped from 10 to 7 at once" in block_of(held, "notes")
    report = block_of(page_text(admin_api, settings.outputs.report_page), "report")
    assert "The tables were not updated" in report
    assert "from 10 to 7" in report
    accepted = run(settings, accept_drop=True)
    assert accepted.outcome == "ok"
    assert sorted(set(seeded) - set(removed)) == sorted(table_titles(admin_api, settings))
    assert block_of(page_text(admin_api, status_page), "notes").strip() == ""
    report = block_of(page_text(admin_api, settings.outputs.report_page), "report")
    assert "The tables were not updated" not in report
    assert run(settings).outcome == "ok"


# -- 7: simulate ------------------------------------------------------------------------------


def test_simulate_sends_no_edit_and_returns_the_diffs(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings, wire: list[str]
) -> None:
    seed(devwiki, settings, 3)
    run(settings)
    admin_api.edit(page_title(settings, 1), infobox(settings, "Simulated rename"))
    watched = output_titles(settings)
    before = {title: revid(admin_api, title) for title in watched}
    changes_before = bot_changes(admin_api)
    wire.clear()
    summary = run(replace(settings, simulate=True))
    assert "edit" not in wire
    assert len(wire) == summary.requests
    assert before == {title: revid(admin_api, title) for title in watched}
    assert changes_before == bot_changes(admin_api)
    assert statuses(summary)[settings.outputs.status_page] == "simulated"
    assert any("+| [[:" in diff and "Simulated rename" in diff for diff in summary.diffs)
    # Nothing was remembered either: the next real run still sees the change and writes it.
    real = run(settings)
    assert real.fetched == 1
    assert "Simulated rename" in page_text(admin_api, settings.outputs.status_page)


# -- 8-10: the status page's own state --------------------------------------------------------


def test_damaged_markers_leave_the_status_page_alone_and_are_reported(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    seed(devwiki, settings, 3)
    run(settings)
    status_page = settings.outputs.status_page
    broken = page_text(admin_api, status_page).replace(END_STATUS, "<!-- partnerbot:end -->")
    admin_api.edit(status_page, broken)
    admin_api.edit(page_title(settings, 0), infobox(settings, "Renamed while markers broken"))
    summary = run(settings)
    assert summary.outcome == "ok"
    assert statuses(summary)[status_page] == "markers damaged"
    after = page_text(admin_api, status_page)
    assert "Renamed while markers broken" not in after
    assert replace_block(after, "notes", "") == broken  # only the note was added
    assert "the bot's markers on this page are damaged" in block_of(after, "notes")
    assert "Renamed while markers broken" in page_text(
        admin_api, settings.outputs.affiliate_page_prefix
    )
    report = block_of(page_text(admin_api, settings.outputs.report_page), "report")
    assert status_page in report
    assert "markers on this page are damaged" in report


def add_nobots(api: WikiClient, title: str) -> None:
    api.edit(title, "{{nobots}}\n" + page_text(api, title))


def protect(api: WikiClient, title: str) -> None:
    api.protect(title)


@pytest.mark.parametrize(
    ("shut_out", "status", "reported"),
    [
        (add_nobots, "bot excluded by {{bots}}/{{nobots}}", "nobots"),
        (protect, "protected", "protected"),
    ],
    ids=["nobots", "protected"],
)
def test_a_status_page_closed_to_the_bot_is_skipped_and_reported(
    devwiki: DevWiki,
    admin_api: WikiClient,
    settings: Settings,
    shut_out: Callable[[WikiClient, str], None],
    status: str,
    reported: str,
) -> None:
    seed(devwiki, settings, 3)
    run(settings)
    status_page = settings.outputs.status_page
    shut_out(admin_api, status_page)
    before = revid(admin_api, status_page)
    admin_api.edit(page_title(settings, 0), infobox(settings, "Renamed while shut out"))
    summary = run(settings)
    assert summary.outcome == "ok"
    assert statuses(summary)[status_page] == status
    assert before == revid(admin_api, status_page)
    assert "Renamed while shut out" in page_text(admin_api, settings.outputs.affiliate_page_prefix)
    report = block_of(page_text(admin_api, settings.outputs.report_page), "report")
    assert status_page in report
    assert reported in report


def test_text_outside_the_markers_survives_a_run_byte_for_byte(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    seed(devwiki, settings, 3)
    run(settings)
    status_page = settings.outputs.status_page
    text = page_text(admin_api, status_page)
    start, end = text.index("<!-- partnerbot:begin status -->"), text.index(END_STATUS)
    before = "Coordinators' note with '''bold''' and   spaces\u00a0here \n\n<!-- keep -->\n"
    after = "\n\n== Discussion ==\n* a remark  \n[[Category:Partnership status]]\n\n"
    admin_api.edit(status_page, before + text[start : end + len(END_STATUS)] + after)
    admin_api.edit(page_title(settings, 2), infobox(settings, "Renamed next to human text"))
    summary = run(settings)
    assert statuses(summary)[status_page] == "saved"
    saved = page_text(admin_api, status_page)
    assert "Renamed next to human text" in saved
    assert saved.startswith(before + "<!-- partnerbot:begin status -->")
    # MediaWiki strips trailing whitespace from the whole page when it saves.
    assert saved.endswith(END_STATUS + after.rstrip())


# -- 11: an infobox that stops parsing --------------------------------------------------------


def test_an_unclosed_infobox_keeps_its_row_and_is_reported(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    """An unclosed ``{{`` is not a transclusion for MediaWiki, so the page drops out of the
    template's listing; the row of its last readable version must stay and the report must
    say so on every run, incremental or full, until a person repairs it."""
    seeded = seed(devwiki, settings, 3)
    run(settings)
    broken = page_title(settings, 1)
    admin_api.edit(
        broken,
        f"{{{{{settings.template.name}\n|name=Half-written partnership\n|status=active\n"
        "A coordinator forgot to close the infobox.\n",
    )

    def check_kept(summary: RunSummary) -> None:
        assert summary.outcome == "ok"
        assert (summary.records, summary.removed) == (3, 0)
        assert sorted(seeded) == sorted(table_titles(admin_api, settings))
        status = page_text(admin_api, settings.outputs.status_page)
        assert "Partnership 001" in status
        assert "Half-written partnership" not in status
        report = block_of(page_text(admin_api, settings.outputs.report_page), "report")
        assert broken in report
        assert "markup is broken" in report

    check_kept(run(settings))
    check_kept(run(settings))
    check_kept(run(settings, full=True))
    admin_api.edit(broken, infobox(settings, "Repaired partnership"))
    repaired = run(settings)
    assert (repaired.outcome, repaired.fetched) == ("ok", 1)
    assert "Repaired partnership" in page_text(admin_api, settings.outputs.status_page)
    report = block_of(page_text(admin_api, settings.outputs.report_page), "report")
    assert broken not in report


# -- 12: maxlag and read-only -----------------------------------------------------------------


def last_run(settings: Settings) -> tuple[str, int | None]:
    """Return the outcome and the record count of the newest run in the run log."""
    store = StateStore(settings.run.state_url)
    try:
        newest = store.runs("run-once", limit=1)[0]
    finally:
        store.close()
    return newest.outcome, newest.records


def lag(devwiki: DevWiki, on: bool) -> None:
    devwiki.set_fake_lag(10 if on else None)


def read_only(devwiki: DevWiki, on: bool) -> None:
    devwiki.set_read_only("database maintenance" if on else None)


@pytest.mark.parametrize(
    ("fault", "message"), [(lag, "maxlag"), (read_only, None)], ids=["maxlag", "read-only"]
)
def test_a_lagged_or_read_only_wiki_fails_the_run_cleanly_without_edits(
    devwiki: DevWiki,
    admin_api: WikiClient,
    settings: Settings,
    fault: Callable[[DevWiki, bool], None],
    message: str | None,
) -> None:
    """Lag beyond maxlag or read-only mode fails the run (it is not skipped): pywikibot retries
    ``max_retries`` times, then raises ApiTimeoutError, which the gateway turns into
    GatewayError (exit status 1 at the command line). A process that is not logged in yet fails
    at the login already, which MediaWiki refuses in read-only mode. The next run converges."""
    seed(devwiki, settings, 2)
    run(settings)
    admin_api.edit(page_title(settings, 0), infobox(settings, "Renamed during the fault"))
    impatient = replace(settings, wiki=replace(settings.wiki, max_retries=1))
    changes_before = bot_changes(admin_api)
    fault(devwiki, True)
    try:
        with pytest.raises(GatewayError, match=message):
            run(impatient)
    finally:
        fault(devwiki, False)
    assert changes_before == bot_changes(admin_api)
    assert last_run(settings) == ("failed", None)
    recovered = run(settings)
    assert (recovered.outcome, recovered.fetched) == ("ok", 1)
    assert "Renamed during the fault" in page_text(admin_api, settings.outputs.status_page)


def test_maxlag_failure_exits_1_from_the_command_line(
    devwiki: DevWiki,
    admin_api: WikiClient,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed(devwiki, settings, 2)
    impatient = replace(settings, wiki=replace(settings.wiki, max_retries=1))
    config = write_settings_file(impatient, tmp_path / "settings.toml")
    devwiki.set_fake_lag(10)
    try:
        code = cli_main(["--config", str(config), "run-once", "--today", TODAY.isoformat()])
    finally:
        devwiki.set_fake_lag(None)
    assert code == 1
    assert "lag" in capsys.readouterr().err
    assert admin_api.text(settings.outputs.status_page) is None


# -- notices ----------------------------------------------------------------------------------


def test_run_once_posts_what_changed_once_and_skips_the_step_when_nothing_did(
    devwiki: DevWiki, admin_api: WikiClient, settings: Settings
) -> None:
    board = settings.notices.board
    admin_api.edit(board, "Partnership notices.")
    seed(devwiki, settings, 3)
    first = run(settings)
    assert (first.notices, first.notices_posted) == ("baseline", 0)
    edited = page_title(settings, 1)
    admin_api.edit(edited, infobox(settings, "Partnership 001", status="concluded"))
    second = run(settings)
    assert (second.notices, second.notices_posted) == ("ok", 1)
    markers = re.findall(r"<!-- partnerbot:notice (\S+) -->", page_text(admin_api, board))
    assert len(markers) == 1
    assert "/concluded/r" in markers[0]
    third = run(settings)
    # Nothing changed and nothing waits: the step does not even load the snapshot.
    assert (third.notices, third.notices_posted, third.edits) == ("", 0, 0)
    assert re.findall(r"<!-- partnerbot:notice (\S+) -->", page_text(admin_api, board)) == markers
    report_only = run(settings, notices=False)
    assert report_only.notices == ""
