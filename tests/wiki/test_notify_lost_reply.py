"""A POST whose reply is lost after the wiki saved it: exactly one notice, never a re-send.

The bot talks to the local wiki through :class:`bot.devwiki.proxy.FaultProxy`, which forwards
the matching ``section=new`` edit and then loses the reply (connection reset, reply held past
the client's read timeout, a 5xx page), or answers 503 without forwarding. The first tests show
the proxy works and pin the pywikibot behaviour the bot works around: pywikibot re-sends a POST
whose reply was lost, and does not when the request has ``max_retries=0``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.devwiki.proxy import Fault, FaultProxy, FaultRule, pywikibot_family_through
from bot.devwiki.wiki import DevWiki
from bot.io.gateway import WikiGateway
from bot.io.noticeboard import PostOutcome, post_section
from bot.render.notices import NoticeSection
from bot.settings import Settings
from tests.wiki.client import WikiClient
from tests.wiki.notify_scene import Scene

NEW_SECTION = {"action": "edit", "section": "new"}
BASE = dt.datetime.now(dt.UTC).date()
TODAY = BASE + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def proxy(devwiki: DevWiki) -> Iterator[FaultProxy]:
    with FaultProxy(devwiki.url) as running:
        yield running


@pytest.fixture(scope="module")
def proxied(proxy: FaultProxy, wiki_settings: Settings, gateway: WikiGateway) -> WikiGateway:
    """Return the bot's gateway through the proxy (logged in: the cookies are per host)."""
    pywikibot_family_through(proxy, "devwikiproxy", wiki_settings.wiki.user)
    wiki = replace(wiki_settings.wiki, family="devwikiproxy", code="devwikiproxy")
    through = WikiGateway(wiki)
    through.login()
    return through


@pytest.fixture(autouse=True)
def disarmed(proxy: FaultProxy) -> Iterator[None]:
    yield
    proxy.clear()


@contextlib.contextmanager
def read_timeout(seconds: float) -> Iterator[None]:
    from pywikibot import config  # noqa: PLC0415

    saved = config.socket_timeout
    config.socket_timeout = (6.05, seconds)
    try:
        yield
    finally:
        config.socket_timeout = saved


def forwarded_edits(proxy: FaultProxy, title: str) -> int:
    return sum(
        1
        for exchange in proxy.exchanges
        if exchange.params.get("action") == "edit"
        and exchange.params.get("title") == title
        and exchange.forwarded
    )


def section(key: str) -> NoticeSection:
    return NoticeSection("Test", f"Text <!-- partnerbot:notice {key} -->", "test", (key,))


def copies(admin: WikiClient, title: str, key: str) -> int:
    return (admin.text(title) or "").count(f"partnerbot:notice {key} ")


def new_section(gateway: WikiGateway, title: str, heading: str, text: str) -> dict[str, str]:
    """Return the parameters of a raw ``section=new`` edit through ``gateway``'s site."""
    return {
        "action": "edit",
        "title": title,
        "section": "new",
        "sectiontitle": heading,
        "text": text,
        "summary": "proxy test",
        "token": gateway._site.tokens["csrf"],
    }


# -- the proxy itself and pywikibot's behaviour -------------------------------------------------


def test_the_proxy_forwards_the_edit_and_the_client_sees_a_failure(
    proxy: FaultProxy, proxied: WikiGateway, admin_api: WikiClient
) -> None:
    from pywikibot.data.api import Request  # noqa: PLC0415
    from pywikibot.exceptions import ApiTimeoutError  # noqa: PLC0415

    title = "Test proxy/Dropped reply"
    admin_api.edit(title, "Board.")
    proxy.inject(FaultRule(Fault.DROP, params=NEW_SECTION))
    params = new_section(proxied, title, "Hello", "Saved although the reply was lost.")

    with pytest.raises(ApiTimeoutError):
        Request(site=proxied._site, parameters=params, max_retries=0, use_get=False).submit()

    assert "Saved although the reply was lost." in (admin_api.text(title) or "")
    (exchange,) = [e for e in proxy.exchanges if e.fault is Fault.DROP]
    assert (exchange.forwarded, exchange.upstream_status) == (True, 200)
    assert proxy.armed == 0


def test_the_proxy_can_refuse_without_forwarding(
    proxy: FaultProxy, proxied: WikiGateway, admin_api: WikiClient
) -> None:
    title = "Test proxy/Refused"
    admin_api.edit(title, "Board.")
    proxy.inject(FaultRule(Fault.STATUS, params=NEW_SECTION, status=503, forward=False))

    result = post_section(proxied, title, section("p1.0/new"))

    assert result.outcome is PostOutcome.UNCONFIRMED
    assert admin_api.text(title) == "Board."
    assert forwarded_edits(proxy, title) == 0


def test_pywikibot_resends_a_post_whose_reply_was_lost(
    proxy: FaultProxy, proxied: WikiGateway, admin_api: WikiClient
) -> None:
    """The hazard: with its default retries pywikibot posts the same new section twice."""
    from pywikibot.data.api import Request  # noqa: PLC0415

    title = "Test proxy/Resent"
    admin_api.edit(title, "Board.")
    proxy.inject(FaultRule(Fault.DROP, params=NEW_SECTION))
    params = new_section(proxied, title, "Twice", "<!-- partnerbot:notice p1.0/new -->")

    Request(site=proxied._site, parameters=params, use_get=False).submit()

    assert copies(admin_api, title, "p1.0/new") == 2
    assert forwarded_edits(proxy, title) == 2


@pytest.mark.parametrize(
    "rule",
    [
        FaultRule(Fault.DROP, params=NEW_SECTION),
        FaultRule(Fault.HOLD, params=NEW_SECTION, hold_seconds=4),
        FaultRule(Fault.STATUS, params=NEW_SECTION, status=502),
        FaultRule(Fault.STATUS, params=NEW_SECTION, status=503),
    ],
    ids=["reset", "read-timeout", "502-after-save", "503-after-save"],
)
def test_a_post_the_wiki_saved_is_confirmed_and_not_sent_again(
    proxy: FaultProxy, proxied: WikiGateway, admin_api: WikiClient, rule: FaultRule
) -> None:
    title = f"Test proxy/Confirmed {rule.fault} {rule.status}"
    admin_api.edit(title, "Board.")
    proxy.inject(rule)

    with read_timeout(2):
        result = post_section(proxied, title, section("p2.0/new"))

    assert (result.outcome, result.keys) == (PostOutcome.CONFIRMED, {"p2.0/new"})
    assert copies(admin_api, title, "p2.0/new") == 1
    assert forwarded_edits(proxy, title) == 1


# -- the whole job through the proxy ------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        FaultRule(Fault.DROP, params=NEW_SECTION),
        FaultRule(Fault.HOLD, params=NEW_SECTION, hold_seconds=4),
        FaultRule(Fault.STATUS, params=NEW_SECTION, status=502),
        FaultRule(Fault.STATUS, params=NEW_SECTION, status=503, forward=False),
    ],
    ids=["reset", "read-timeout", "502-after-save", "503-not-saved"],
)
def test_a_run_whose_post_reply_is_lost_leaves_exactly_one_notice(
    proxy: FaultProxy,
    proxied: WikiGateway,
    isolated: Settings,
    admin_api: WikiClient,
    gateway: WikiGateway,
    rule: FaultRule,
) -> None:
    scene = Scene.make(isolated, admin_api, gateway)
    scene.run(BASE)
    scene.write("Harbour", status="active", flags="article-freeze")
    proxy.inject(replace(rule, params={**NEW_SECTION, "title": scene.notices.board}))

    with read_timeout(2):
        first = scene.job(TODAY, gateway=proxied).summary
    second = scene.run(TODAY)

    saved = rule.forward
    assert first.posted == (2 if saved else 0)
    assert first.outcome == ("ok" if saved else "incomplete")
    assert second.posted == (0 if saved else 2)
    assert set(scene.keys_on().values()) == {1}
    assert len(scene.keys_on()) == 2
    assert scene.bot_edits() == 1
    assert forwarded_edits(proxy, scene.notices.board) == (1 if saved else 0)
    scene.engine.dispose()
