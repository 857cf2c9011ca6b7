from __future__ import annotations
import datetime as dt, json
from dataclasses import replace
from bot.jobs import run_once
from bot.io.wiki import RequestCounter


def counter():
    from pywikibot.comms import http

    return [h for h in http.session.hooks["response"] if isinstance(h, RequestCounter)][-1]


def test_probe(isolated, devwiki, admin_api):
    name = isolated.template.name
    pages = {
        f"Probe {name}/P{i}": f"{{{{{name}|name=P{i}|partner=Org {i}|status=active|type=outreach|affiliate=WM X}}}}"
        for i in range(3)
    }
    devwiki.import_pages(pages)
    s1 = run_once(isolated, today=dt.date(2026, 6, 1))
    print(s1.line(), counter().actions, counter().snapshot())
    s2 = run_once(isolated, today=dt.date(2026, 6, 1))
    print(s2.line(), counter().actions)
    admin_api.edit(
        f"Probe {name}/P1",
        f"{{{{{name}|name=P1 renamed|partner=Org 1|status=active|type=outreach|affiliate=WM X}}}}",
    )
    s3 = run_once(isolated, today=dt.date(2026, 6, 1))
    print(s3.line(), counter().actions)
    assert False
