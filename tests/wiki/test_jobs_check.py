"""`check` against the wiki, `install-templates` and `devwiki seed --from` on the local wiki."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.devwiki.wiki import DevWiki
from bot.run.jobs import check_wiki, install_templates, seed_devwiki
from bot.settings import Settings
from tests.sample_files import file_name_from_title
from tests.wiki.client import WikiClient

TODAY = dt.date(2026, 6, 1)


def infobox(template: str, **values: str) -> str:
    params = "".join(f"\n| {key} = {value}" for key, value in values.items())
    return f"Some prose about the partnership.\n{{{{{template}{params}\n}}}}\n"


def test_check_reads_every_infobox_page_of_the_wiki(
    isolated: Settings, admin_api: WikiClient
) -> None:
    template = isolated.template.name
    admin_api.edit(
        "Check all/Good", infobox(template, name="Good", status="active", type="outreach")
    )
    admin_api.edit(
        "Check all/Bad", infobox(template, name="Bad", status="sleeping", type="outreach")
    )
    admin_api.edit("Check all/Unrelated", "No infobox here.")
    report = check_wiki(isolated, TODAY)
    assert [result.page.title for result in report.pages] == ["Check all/Bad", "Check all/Good"]
    bad = [f for page in report.pages for f in page.findings if f.page == "Check all/Bad"]
    assert "status-invalid" in {f.rule for f in bad}


def test_check_follows_redirects_to_the_template(isolated: Settings, admin_api: WikiClient) -> None:
    template = isolated.template.name
    alias = f"{template} alias"
    admin_api.edit(f"Template:{template}", "infobox body")
    admin_api.edit(f"Template:{alias}", f"#REDIRECT [[Template:{template}]]")
    admin_api.edit("Check redirect/Page", infobox(alias, name="Via redirect", status="active"))
    report = check_wiki(isolated, TODAY, page="Check redirect/Page")
    [result] = report.pages
    assert [a.record.name for a in result.assessments] == ["Via redirect"]


def test_check_one_page_by_title(isolated: Settings, admin_api: WikiClient) -> None:
    admin_api.edit(
        "Check one/Page",
        infobox(
            isolated.template.name,
            name="One",
            license="CC BY-NC 4.0",
            type="content_donation",
            status="active",
        ),
    )
    report = check_wiki(isolated, TODAY, page="Check one/Page")
    assert "license-not-free" in {f.rule for page in report.pages for f in page.findings}


def test_install_templates_edits_only_what_changed(
    wiki_settings: Settings, tmp_path: Path, admin_api: WikiClient
) -> None:
    source = tmp_path / "templates"
    source.mkdir()
    (source / "manifest.toml").write_text(
        '[pages]\n"doc.wikitext" = "Template:Install test box/doc"\n'
        '"box.wikitext" = "Template:Install test box"\n'
    )
    (source / "box.wikitext").write_text("Box version 1")
    (source / "doc.wikitext").write_text("Documentation")
    settings = replace(
        wiki_settings,
        templates_dir=source,
        run=replace(wiki_settings.run, state_url=f"sqlite:///{tmp_path / 's.sqlite'}"),
    )

    def box_statuses(result: dict[str, Any]) -> dict[str, str]:
        return {o["title"]: o["status"] for o in result["outputs"] if "Install test" in o["title"]}

    first = install_templates(settings)
    assert set(box_statuses(first).values()) == {"created"}
    again = install_templates(settings)
    assert again["edits"] == 0
    (source / "box.wikitext").write_text("Box version 2")
    changed = install_templates(settings)
    assert changed["edits"] == 1
    assert admin_api.text("Template:Install test box") == "Box version 2"
    admin_api.edit("Template:Install test box", "Improved on the wiki by a person")
    (source / "box.wikitext").write_text("Box version 3")
    kept = install_templates(settings)
    assert kept["edits"] == 0
    assert admin_api.text("Template:Install test box") == "Improved on the wiki by a person"
    statuses = box_statuses(kept)
    assert statuses["Template:Install test box"] == "edited by a person since the bot's last save"


def test_seed_from_a_directory_imports_every_wikitext_file(
    devwiki: DevWiki, tmp_path: Path, admin_api: WikiClient
) -> None:
    titles = ["Seeded/Alpha page", "Seeded/Café – Ω", "Talk:Seeded/Alpha page"]
    for number, title in enumerate(titles):
        (tmp_path / file_name_from_title(title)).write_text(f"Body {number}")
    (tmp_path / "ignored.txt").write_text("not a page")
    result = seed_devwiki(devwiki, tmp_path)
    assert result == {"pages": 3, "files": 0}
    assert [admin_api.text(title) for title in titles] == ["Body 0", "Body 1", "Body 2"]
