"""The Commons Impact Metrics client against the local stand-in, faults included."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest

from bot.devwiki.standins import synthetic
from bot.devwiki.standins.analytics import AnalyticsStandIn
from bot.devwiki.standins.faults import Fault, FaultKind
from bot.io.commons_metrics import CommonsImpactMetrics
from bot.io.rest_client import RestClient, user_agent
from bot.io.usage_sources import Availability, Month, months_between

TODAY = date(2024, 6, 15)
FIRST, LAST = Month(2023, 11), Month(2024, 4)
LISTED = "Media contributed by the Museum of Northern Crafts"
LISTED_KEY = LISTED.replace(" ", "_")


@pytest.fixture(scope="module")
def standin() -> Iterator[AnalyticsStandIn]:
    with AnalyticsStandIn(
        categories={LISTED, "Category:Paintings/Prints & more"}, today=TODAY
    ) as s:
        yield s


@pytest.fixture
def server(standin: AnalyticsStandIn) -> AnalyticsStandIn:
    standin.faults.clear()
    standin.reset_log()
    return standin


def _metrics(
    server: AnalyticsStandIn, allow_list: tuple[str, ...] = (LISTED,)
) -> CommonsImpactMetrics:
    rest = RestClient(server.base_url, user_agent("https://example.org/t"), backoff=0.01)
    return CommonsImpactMetrics(rest, allow_list)


@pytest.mark.parametrize("scope", ["deep", "shallow"])
def test_category_views_arrive_month_by_month(server: AnalyticsStandIn, scope: str) -> None:
    views = _metrics(server).category_views(f"Category:{LISTED}", FIRST, LAST, scope=scope)

    assert views.availability is Availability.OK
    assert views.months == {
        month: synthetic.category_views(LISTED_KEY, scope, "all-wikis", month)
        for month in months_between(FIRST, LAST)
    }
    assert views.method.parameter("scope") == scope
    assert views.method.synthetic
    assert views.method.requests == 1


def test_the_snapshot_gives_every_documented_figure(server: AnalyticsStandIn) -> None:
    snapshot = _metrics(server).snapshot(LISTED, FIRST, LAST)

    assert snapshot.availability is Availability.OK
    assert snapshot.months == {
        month: synthetic.category_snapshot(LISTED_KEY, month)
        for month in months_between(FIRST, LAST)
    }


def test_a_category_name_with_reserved_characters_is_encoded(server: AnalyticsStandIn) -> None:
    name = "Paintings/Prints & more"
    views = _metrics(server, (name,)).category_views(name, FIRST, LAST)

    assert views.availability is Availability.OK
    assert (
        "/Paintings%2FPrints_%26_more/deep/all-wikis/20231101/20240430" in server.served()[0].path
    )


def test_a_category_not_configured_as_allow_listed_is_not_asked(server: AnalyticsStandIn) -> None:
    views = _metrics(server).category_views("Some other category", FIRST, LAST)

    assert views.availability is Availability.NO_DATA
    assert "allow-listed" in views.detail
    assert server.served() == []


def test_a_category_the_service_has_not_loaded_is_no_data(server: AnalyticsStandIn) -> None:
    views = _metrics(server, ("Not loaded yet",)).category_views("Not loaded yet", FIRST, LAST)

    assert views.availability is Availability.NO_DATA
    assert "not loaded yet" in views.detail
    assert len(server.served()) == 1


def test_an_unknown_scope_is_a_configuration_error(server: AnalyticsStandIn) -> None:
    views = _metrics(server).category_views(LISTED, FIRST, LAST, scope="everything")

    assert views.availability is Availability.CONFIG_ERROR
    assert server.served() == []


def test_retry_after_is_honoured(server: AnalyticsStandIn) -> None:
    server.inject(Fault(FaultKind.STATUS, status=429, retry_after="1"))
    started = time.monotonic()

    snapshot = _metrics(server).snapshot(LISTED, FIRST, LAST)

    assert time.monotonic() - started >= 1.0
    assert snapshot.availability is Availability.OK
    assert snapshot.method.requests == 2


@pytest.mark.parametrize(
    ("fault", "requests"),
    [
        (Fault(FaultKind.STATUS, status=500, times=0), 4),
        (Fault(FaultKind.MALFORMED), 1),
        (Fault(FaultKind.NO_ITEMS), 1),
    ],
)
def test_failures_leave_the_figures_stale(
    server: AnalyticsStandIn, fault: Fault, requests: int
) -> None:
    server.inject(fault)

    views = _metrics(server).category_views(LISTED, FIRST, LAST)
    server.faults.clear()
    server.inject(fault)
    snapshot = _metrics(server).snapshot(LISTED, FIRST, LAST)

    assert (views.availability, snapshot.availability) == (Availability.STALE,) * 2
    assert (views.method.requests, snapshot.method.requests) == (requests, requests)
    assert views.months == {}
    assert snapshot.months == {}
