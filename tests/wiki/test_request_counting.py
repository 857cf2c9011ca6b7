"""Each gateway counts the requests its wiki receives, however many gateways the process has."""

from __future__ import annotations

from bot.io.gateway import WikiGateway
from bot.settings import Settings


def test_a_second_gateway_leaves_the_first_one_counting(
    wiki_settings: Settings, gateway: WikiGateway
) -> None:
    second = WikiGateway(wiki_settings.wiki)
    second.login()
    first_before, second_before = gateway.counter.total, second.counter.total

    gateway.recent_changes_position()
    second.recent_changes_position()
    second.recent_changes_position()

    # One wiki, one pywikibot site and session: a counter counts what its wiki receives.
    assert gateway.counter.total - first_before == 3
    assert second.counter.total - second_before == 3
