"""Reading the answers of the usage sources: items, errors, Retry-After, continuation, pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.io.action_api import (
    ApiAnswerError,
    ApiUnavailable,
    answer_pages,
    continued,
    page_id,
    renamed_titles,
)
from bot.io.pageviews import item_month, parse_monthly_items
from bot.io.rest_client import error_detail, retry_after_seconds
from bot.io.usage_sources import Month

JAN, MAR = Month(2024, 1), Month(2024, 3)


def _item(stamp: str, views: object) -> dict[str, object]:
    return {
        "project": "en.wikipedia",
        "article": "Foo",
        "granularity": "monthly",
        "timestamp": stamp,
        "access": "all-access",
        "agent": "user",
        "views": views,
    }


def test_monthly_items_are_read_per_month() -> None:
    body = {"items": [_item("2024010100", 17), _item("2024030100", 5)]}

    assert parse_monthly_items(body, JAN, MAR, "views") == ({JAN: 17, MAR: 5}, "")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({}, "no 'items' list"),
        ({"items": "none"}, "no 'items' list"),
        ({"items": []}, "no month at all"),
        ({"items": [_item("2024010100", "17")]}, "no valid 'views'"),
        ({"items": [_item("2024010100", -1)]}, "no valid 'views'"),
        ({"items": [_item("2024010100", True)]}, "no valid 'views'"),
        ({"items": [_item("soon", 3)]}, "no valid timestamp"),
        ({"items": [_item("2024040100", 3)]}, "outside"),
        ({"items": [_item("2024010100", 3), _item("2024010100", 4)]}, "twice"),
        ({"items": [{**_item("2024010100", 3), "granularity": "daily"}]}, "not monthly"),
        ({"items": [7]}, "not an object"),
    ],
)
def test_answers_not_in_the_documented_shape_are_flagged(body: object, problem: str) -> None:
    months, found = parse_monthly_items(body, JAN, MAR, "views")

    assert months == {}
    assert problem in found


@pytest.mark.parametrize(
    ("stamp", "month"),
    [
        ("2024010100", Month(2024, 1)),
        ("20240201", Month(2024, 2)),
        ("2024-03-01T00:00:00Z", Month(2024, 3)),
        ("2024-13-01", None),
        ("", None),
    ],
)
def test_timestamps_of_both_services_give_their_month(stamp: str, month: Month | None) -> None:
    assert item_month(stamp) == month


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)

    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds("Wed, 01 May 2024 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 01 May 2024 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_error_details_of_aqs_bodies() -> None:
    assert error_detail({"detail": ["Given project is not valid", "x"]}) == (
        "Given project is not valid; x"
    )
    assert error_detail({"title": "Not found."}) == "Not found."
    assert error_detail("<html>") == ""


class _Pages:
    """Answers a continued listing from a list of prepared answers, recording each request."""

    def __init__(self, answers: list[dict[str, Any]]) -> None:
        self.answers = answers
        self.sent: list[dict[str, str]] = []

    def __call__(self, params: Mapping[str, str]) -> dict[str, Any]:
        self.sent.append(dict(params))
        return self.answers[len(self.sent) - 1]


def test_continuation_values_are_sent_back_until_there_are_none() -> None:
    send = _Pages(
        [
            {"continue": {"gcmcontinue": "file|41|7", "continue": "gcmcontinue||"}, "query": {}},
            {"batchcomplete": True, "query": {}},
        ]
    )

    answers = list(continued(send, {"generator": "categorymembers", "gcmtitle": "Category:X"}))

    assert len(answers) == 2
    assert send.sent[1]["gcmcontinue"] == "file|41|7"
    assert send.sent[1]["continue"] == "gcmcontinue||"
    assert send.sent[0]["formatversion"] == "2"


def test_an_api_error_stops_the_listing_with_its_code() -> None:
    send = _Pages([{"error": {"code": "readapidenied", "info": "no"}}])

    with pytest.raises(ApiAnswerError) as raised:
        list(continued(send, {"list": "exturlusage"}))
    assert raised.value.code == "readapidenied"


def test_a_listing_that_never_ends_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.io.action_api.MAX_CONTINUATIONS", 3)
    loop = {"continue": {"eucontinue": "x", "continue": "-||"}, "query": {}}

    with pytest.raises(ApiUnavailable):
        list(continued(_Pages([loop] * 5), {"list": "exturlusage"}))


def test_pages_of_both_format_versions() -> None:
    fv1 = {"query": {"pages": {"-1": {"title": "File:A.png", "missing": ""}, "5": {"title": "B"}}}}
    fv2 = {"query": {"pages": [{"title": "File:A.png", "missing": True}, {"title": "B"}]}}

    assert [page["title"] for page in answer_pages(fv1)] == ["File:A.png", "B"]
    assert [page["title"] for page in answer_pages(fv2)] == ["File:A.png", "B"]
    assert answer_pages({"batchcomplete": True}) == []


def test_renamed_titles_lead_back_to_the_title_asked_for() -> None:
    answer = {
        "query": {
            "normalized": [
                {"from": "File:A_b.png", "to": "File:A b.png"},
                {"from": "File:C.png", "to": "Datei:C.png"},
            ]
        }
    }

    assert renamed_titles(answer) == {"File:A b.png": "File:A_b.png", "Datei:C.png": "File:C.png"}


@pytest.mark.parametrize(
    ("value", "number"), [("42", 42), (42, 42), ("-3", None), ("x", None), (None, None)]
)
def test_page_ids_from_strings_or_numbers(value: object, number: int | None) -> None:
    assert page_id(value) == number
