"""A page MediaWiki lists as using the infobox, but where the parser finds none."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.run.jobs import run_once
from bot.settings import Settings
from tests.wiki.client import WikiClient

TODAY = dt.date(2026, 6, 1)


def test_a_hidden_infobox_is_a_parse_failure_not_a_removal(
    isolated: Settings, admin_api: WikiClient
) -> None:
    run_page = f"User:PartnerBot/Run {isolated.template.name[-9:]}"
    admin_api.edit(run_page, "yes")
    settings = replace(isolated, run=replace(isolated.run, run_page=run_page))
    template = settings.template.name
    titles = [f"Unparsed infobox/{n}" for n in range(4)]
    for n, title in enumerate(titles):
        admin_api.edit(title, f"{{{{{template}|name=Hidden {n}|status=active|type=outreach}}}}")
    first = run_once(settings, today=TODAY)
    assert first.records == 4
    # Inside a parser function MediaWiki expands (and lists) the template when the function
    # decides so; the parser does not guess what #if decides, so it reads no record there.
    admin_api.edit(
        titles[2],
        f"Text.{{{{#if:yes|{{{{{template}|name=Hidden 2 edited|status=active|type=outreach}}}}}}}}",
    )
    listed = admin_api.get(
        action="query", list="embeddedin", eititle=f"Template:{template}", eilimit="max"
    )["query"]["embeddedin"]
    assert titles[2] in {page["title"] for page in listed}
    second = run_once(settings, today=TODAY)
    assert (second.outcome, second.records, second.removed) == ("ok", 4, 0)
    status = admin_api.text(settings.outputs.status_page) or ""
    assert "Hidden 2" in status
    assert "Hidden 2 edited" not in status
    report = admin_api.text(settings.outputs.report_page) or ""
    assert "Unparsed infobox/2" in report
    assert "could not be read" in report
