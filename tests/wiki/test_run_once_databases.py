"""A full ``run-once`` against each state database: a SQLite file and MariaDB (as on ToolsDB).

The same pass, cold and then after a person's edit, must edit the wiki the same way and leave the
same memory behind whichever database holds it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.devwiki.wiki import DevWiki
from bot.settings import Settings
from bot.state.store import RunOutcome, StateStore
from tests.mariadb_server import MariaDB
from tests.wiki.client import WikiClient
from tests.wiki.test_run_once import (
    BOT,
    infobox,
    output_titles,
    run,
    seed,
    table_titles,
)
from tests.wiki.test_run_once import (
    settings as settings,  # noqa: PLC0414 - the run page fixture, re-exported for pytest
)


@pytest.fixture(params=["sqlite", "mariadb"])
def on_database(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> Settings:
    """Return the test's settings with an empty state database of the parametrized kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    else:
        server: MariaDB = request.getfixturevalue("mariadb")
        url = server.new_database()
    return replace(settings, run=replace(settings.run, state_url=url))


def test_a_full_run_once_works_on_each_database(
    devwiki: DevWiki, admin_api: WikiClient, on_database: Settings
) -> None:
    settings = on_database
    seeded = seed(devwiki, settings, 6)

    cold = run(settings)
    assert (cold.outcome, cold.mode, cold.records) == ("ok", "cold", 6)
    assert cold.edits == len(output_titles(settings))
    assert sorted(seeded) == sorted(table_titles(admin_api, settings))

    changed = sorted(seeded)[0]
    admin_api.edit(changed, infobox(settings, "Renamed partnership", status="on_hold"))
    again = run(settings, full=True)
    assert (again.outcome, again.mode, again.fetched) == ("ok", "full", 1)
    assert again.edits >= 1
    status = admin_api.text(settings.outputs.status_page) or ""
    assert "Renamed partnership" in status

    store = StateStore(settings.run.state_url)
    try:
        assert len(store.pages()) == 6
        runs = store.runs("run-once")
        assert [r.outcome for r in runs] == [RunOutcome.OK, RunOutcome.OK]
        assert runs[0].records == 6
        assert all(r.ended is not None and r.ended >= r.started for r in runs)
        assert store.sync_position() is not None
        assert {title for title, _block in store.outputs()} >= set(output_titles(settings))
    finally:
        store.close()
    assert admin_api.revisions(settings.outputs.status_page)[0]["user"] == BOT
