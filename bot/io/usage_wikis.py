"""Open the wikis a usage collection asks: the files' wiki and every configured wiki.

Each wiki is reached through pywikibot, as the bot's own wiki is: the configured Action API URL
is matched to a family (``pywikibot.Site(url=...)``: a family of ``user-config.py``, or one
pywikibot knows), and the bot logs in there when its password file has a line for that family,
which gives it ``apihighlimits`` (500 titles a request instead of 50). Without a login the wiki
is read anonymously. A wiki that cannot be opened answers every request with ApiUnavailable,
so the sources report it as stale and count the others.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.io.action_api import ApiSend, ApiUnavailable, WikiEndpoint, gateway_send
from bot.io.gateway import GatewayError, WikiGateway

log = logging.getLogger(__name__)


def index_url(api_url: str) -> str:
    """Return the ``index.php`` next to an ``api.php`` (what pywikibot matches families by)."""
    base = api_url.strip()
    if base.endswith("api.php"):
        return base.removesuffix("api.php") + "index.php"
    return base


def _same(first: str, second: str) -> bool:
    return first.strip().rstrip("/") == second.strip().rstrip("/")


def _unreachable(api_url: str, reason: str) -> ApiSend:
    def send(params: Mapping[str, str]) -> dict[str, Any]:
        raise ApiUnavailable(f"cannot open the wiki at {api_url}: {reason}")

    return send


@dataclass
class UsageWikis:
    """The gateways of one usage collection, one per Action API URL, opened when first used."""

    main: WikiGateway
    _opened: dict[str, WikiGateway | str] = field(default_factory=dict)

    def gateway(self, api_url: str) -> WikiGateway:
        """Return a gateway to ``api_url`` (the bot's own when it is that wiki's API)."""
        if not api_url or _same(api_url, self.main.api_url):
            return self.main
        opened = self._opened.get(api_url)
        if opened is None:
            opened = self._open(api_url)
            self._opened[api_url] = opened
        if isinstance(opened, str):
            raise GatewayError(opened)
        return opened

    def _open(self, api_url: str) -> WikiGateway | str:
        import pywikibot  # noqa: PLC0415 - configured by the main gateway already

        try:
            site = pywikibot.Site(url=index_url(api_url))
            settings = replace(self.main.settings, family=site.family.name, code=site.code)
            gateway = WikiGateway(settings)
        except Exception as error:  # noqa: BLE001 - pywikibot raises many types here
            reason = f"{type(error).__name__}: {error}"
            log.warning("usage: cannot open %s: %s", api_url, reason)
            return reason
        try:
            gateway.login()
        except GatewayError as error:
            log.warning("usage: reading %s without logging in (%s)", api_url, error)
        return gateway

    def endpoint(self, name: str, api_url: str) -> WikiEndpoint:
        """Return the endpoint the sources send to for wiki ``name``."""
        try:
            gateway = self.gateway(api_url)
        except GatewayError as error:
            return WikiEndpoint(name, api_url, _unreachable(api_url, str(error)))
        return WikiEndpoint(name, api_url, gateway_send(gateway), gateway.batch)

    def requests(self) -> int:
        """Return the requests sent to every opened wiki other than the bot's own."""
        return sum(g.counter.total for g in self._opened.values() if isinstance(g, WikiGateway))
