"""The pageviews client against the local stand-in, including every fault of RELIABILITY G."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest
import requests

from bot.devwiki.standins import synthetic
from bot.devwiki.standins.analytics import AnalyticsStandIn
from bot.devwiki.standins.faults import Fault, FaultKind
from bot.io.pageviews import PageviewsClient, article_segment
from bot.io.rest_client import RestClient, RestConfigError, user_agent
from bot.io.usage_sources import Availability, Month, months_between

TODAY = date(2024, 6, 15)
FIRST, LAST = Month(2024, 1), Month(2024, 5)
PROJECT = "content.devwiki"
CONTACT = "https://example.org/partnerbot-tests"


@pytest.fixture(scope="module")
def standin() -> Iterator[AnalyticsStandIn]:
    with AnalyticsStandIn(
        projects={PROJECT, "en.wikipedia"},
        today=TODAY,
        page_exists=lambda project, title: not title.startswith("Missing"),
    ) as running:
        yield running


@pytest.fixture
def server(standin: AnalyticsStandIn) -> AnalyticsStandIn:
    """The stand-in, with no fault waiting and an empty request log."""
    standin.faults.clear()
    standin.reset_log()
    return standin


def _client(
    server: AnalyticsStandIn,
    *,
    retry_after_cap: float = 5.0,
    timeout: tuple[float, float] = (2, 2),
    max_retries: int = 3,
    max_in_flight: int = 2,
    max_per_second: float = 1000.0,
) -> PageviewsClient:
    rest = RestClient(
        server.base_url,
        user_agent(CONTACT),
        max_in_flight=max_in_flight,
        max_per_second=max_per_second,
        max_retries=max_retries,
        retry_after_cap=retry_after_cap,
        backoff=0.01,
        timeout=timeout,
    )
    return PageviewsClient(rest)


def _expected(title: str, first: Month = FIRST, last: Month = LAST) -> dict[Month, int]:
    return {
        month: synthetic.page_views(PROJECT, title, month) for month in months_between(first, last)
    }


@pytest.mark.parametrize(
    "title", ["AC/DC", "What?", "C# notes", "100% wool", "Spoon carving", "Café Ελληνικά 😀"]
)
def test_titles_with_reserved_characters_reach_the_service_intact(
    server: AnalyticsStandIn, title: str
) -> None:
    views = _client(server).monthly(PROJECT, title, FIRST, LAST)

    assert views.availability is Availability.OK
    assert views.months == _expected(title)
    [served] = server.served()
    assert f"/{article_segment(title)}/monthly/20240101/20240531" in served.path


def test_months_without_views_are_zero_filled_and_listed(server: AnalyticsStandIn) -> None:
    months = months_between(Month(2016, 1), Month(2023, 12))
    title = next(
        f"Quiet page {n}"
        for n in range(1000)
        if any(synthetic.page_views(PROJECT, f"Quiet page {n}", m) == 0 for m in months)
    )

    views = _client(server).monthly(PROJECT, title, months[0], months[-1])

    assert views.availability is Availability.OK
    assert views.months == _expected(title, months[0], months[-1])
    assert views.zero_filled == tuple(m for m, count in views.months.items() if count == 0)
    assert views.zero_filled


def test_a_page_without_data_is_no_data_not_zero(server: AnalyticsStandIn) -> None:
    views = _client(server).monthly(PROJECT, "Missing page", FIRST, LAST)

    assert views.availability is Availability.NO_DATA
    assert views.months == {}
    assert len(server.served()) == 1


def test_months_not_yet_published_are_no_data(server: AnalyticsStandIn) -> None:
    views = _client(server).monthly(PROJECT, "Spoon carving", Month(2024, 6), Month(2024, 7))

    assert views.availability is Availability.NO_DATA


def test_an_unknown_project_is_a_configuration_error_asked_once(server: AnalyticsStandIn) -> None:
    views = _client(server).monthly("xx.wikipedia", "Foo", FIRST, LAST)

    assert views.availability is Availability.CONFIG_ERROR
    assert "project" in views.detail
    assert len(server.served()) == 1


def test_a_wiki_that_is_no_project_name_is_refused_without_a_request(
    server: AnalyticsStandIn,
) -> None:
    views = _client(server).monthly("127.0.0.1:8351", "Foo", FIRST, LAST)

    assert views.availability is Availability.CONFIG_ERROR
    assert server.served() == []


def test_an_invalid_route_is_a_configuration_error_not_retried(server: AnalyticsStandIn) -> None:
    server.inject(Fault(FaultKind.STATUS, status=404, detail="invalid route"))

    views = _client(server).monthly(PROJECT, "Foo", FIRST, LAST)

    assert views.availability is Availability.CONFIG_ERROR
    assert views.method.requests == 1


def test_retry_after_is_honoured_on_429(server: AnalyticsStandIn) -> None:
    server.inject(Fault(FaultKind.STATUS, status=429, retry_after="1"))
    started = time.monotonic()

    views = _client(server).monthly(PROJECT, "Foo", FIRST, LAST)

    assert time.monotonic() - started >= 1.0
    assert views.availability is Availability.OK
    assert views.months == _expected("Foo")
    assert views.method.requests == 2


def test_a_retry_after_beyond_the_cap_makes_the_figure_stale_at_once(
    server: AnalyticsStandIn,
) -> None:
    server.inject(Fault(FaultKind.STATUS, status=429, retry_after="3600"))
    started = time.monotonic()

    views = _client(server, retry_after_cap=60.0).monthly(PROJECT, "Foo", FIRST, LAST)

    assert time.monotonic() - started < 5
    assert views.availability is Availability.STALE
    assert "3600" in views.detail
    assert views.method.requests == 1


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_refusals_that_last_end_stale_after_bounded_retries(
    server: AnalyticsStandIn, status: int
) -> None:
    server.inject(Fault(FaultKind.STATUS, status=status, retry_after="0", times=0))

    views = _client(server, max_retries=3).monthly(PROJECT, "Foo", FIRST, LAST)

    assert views.availability is Availability.STALE
    assert views.months == {}
    assert views.method.requests == 4 == len(server.served())


def test_a_server_error_once_is_retried_with_backoff(server: AnalyticsStandIn) -> None:
    server.inject(Fault(FaultKind.STATUS, status=500))

    views = _client(server).monthly(PROJECT, "Foo", FIRST, LAST)

    assert views.availability is Availability.OK
    assert views.method.requests == 2


def test_timeouts_are_retried_then_stale(server: AnalyticsStandIn) -> None:
    server.inject(Fault(FaultKind.TIMEOUT, delay=1.0, times=2))

    views = _client(server, timeout=(2, 0.3), max_retries=1).monthly(PROJECT, "Foo", FIRST, LAST)

    assert views.availability is Availability.STALE
    assert "timed out" in views.detail
    assert views.method.requests == 2
    time.sleep(1.0)  # let the stand-in finish the answers nobody waits for


def test_a_dropped_connection_is_retried(server: AnalyticsStandIn) -> None:
    server.inject(Fault(FaultKind.DROP))

    views = _client(server).monthly(PROJECT, "Foo", FIRST, LAST)

    assert views.availability is Availability.OK
    assert views.method.requests == 2


@pytest.mark.parametrize("kind", [FaultKind.MALFORMED, FaultKind.NO_ITEMS])
def test_an_answer_not_in_the_documented_shape_is_stale_never_partial(
    server: AnalyticsStandIn, kind: FaultKind
) -> None:
    server.inject(Fault(kind))

    views = _client(server).monthly(PROJECT, "Foo", FIRST, LAST)

    assert views.availability is Availability.STALE
    assert views.months == {}
    assert views.method.requests == 1


def test_every_request_names_the_bot_and_its_contact(server: AnalyticsStandIn) -> None:
    _client(server).monthly(PROJECT, "Foo", FIRST, LAST)

    [served] = server.served()
    assert served.user_agent.startswith(f"partnerbot/0.1 ({CONTACT})")


def test_a_client_without_contact_is_refused() -> None:
    with pytest.raises(RestConfigError, match="contact"):
        user_agent("  ")


@pytest.mark.parametrize("allowed", [1, 2, 8])
def test_never_more_than_two_requests_in_flight(server: AnalyticsStandIn, allowed: int) -> None:
    server.inject(Fault(FaultKind.SLOW, delay=0.15, times=0))
    pages = [(PROJECT, f"Page {n}") for n in range(8)]

    results = _client(server, max_in_flight=allowed).monthly_many(pages, FIRST, LAST)

    assert [views.months for views in results] == [_expected(title) for _, title in pages]
    assert server.max_in_flight == min(allowed, 2)


def test_requests_start_no_faster_than_the_configured_rate(server: AnalyticsStandIn) -> None:
    pages = [(PROJECT, f"Paced {n}") for n in range(11)]
    started = time.monotonic()

    _client(server, max_per_second=20).monthly_many(pages, FIRST, LAST)

    # Eleven starts at twenty a second span at least half a second.
    assert time.monotonic() - started >= 0.5
    assert len(server.served()) == 11


def test_figures_from_a_stand_in_are_labelled_synthetic(server: AnalyticsStandIn) -> None:
    views = _client(server).monthly(PROJECT, "Foo", FIRST, LAST)

    assert views.method.synthetic
    assert views.method.source == "pageviews-per-article"
    assert views.method.parameter("agent") == "user"


def test_the_same_question_gets_the_same_figures(server: AnalyticsStandIn) -> None:
    client = _client(server)

    assert client.monthly(PROJECT, "Foo", FIRST, LAST) == client.monthly(
        PROJECT, "Foo", FIRST, LAST
    )


def test_faults_can_be_chosen_from_another_process(server: AnalyticsStandIn) -> None:
    control = f"{server.base_url}/_standin/faults"
    fault = {"kind": "status", "status": 503, "times": 0, "match": "/Blocked"}
    assert requests.post(control, json=[fault], timeout=5).json() == {"pending": 1}

    blocked = _client(server, max_retries=1).monthly(PROJECT, "Blocked", FIRST, LAST)
    other = _client(server).monthly(PROJECT, "Free", FIRST, LAST)
    requests.delete(control, timeout=5)
    log = requests.get(f"{server.base_url}/_standin/requests", timeout=5).json()

    assert (blocked.availability, other.availability) == (Availability.STALE, Availability.OK)
    assert [entry["status"] for entry in log["requests"]] == [503, 503, 200]
    assert server.faults.pending() == []
