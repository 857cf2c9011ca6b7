"""Continued listings: every page once, complete, and never a partial listing taken as whole."""

from __future__ import annotations

from typing import Any

import pytest

from bot.io.counting import action_of
from bot.io.responses import GatewayError, merge_page_batches


def page(pageid: int, text: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"pageid": pageid, "ns": 0, "title": f"P{pageid}"}
    if text is not None:
        entry["revisions"] = [{"revid": pageid * 10, "slots": {"main": {"content": text}}}]
    return entry


def test_pages_repeated_without_text_after_delivery_are_not_pending_again() -> None:
    # MediaWiki's shape when content is cut: the continuation lists every page of the batch
    # again, the delivered ones without revisions.
    first = [page(1, "a"), page(2, "b"), page(3)]
    second = [page(1), page(2), page(3, "c")]
    merged = list(merge_page_batches([first, second], content=True, what="listing"))
    assert [p["pageid"] for p in merged] == [1, 2, 3]
    assert [p["revisions"][0]["slots"]["main"]["content"] for p in merged] == ["a", "b", "c"]


def test_a_page_that_never_gets_its_text_makes_the_listing_incomplete() -> None:
    batches = [[page(1, "a"), page(2)], [page(1), page(2)]]
    merged = merge_page_batches(batches, content=True, what="listing of Template:X")
    with pytest.raises(GatewayError, match="1 page\\(s\\) never delivered"):
        list(merged)


def test_without_content_every_page_is_complete_at_once() -> None:
    merged = list(merge_page_batches([[page(1), page(2)], [page(3)]], content=False, what="x"))
    assert [p["pageid"] for p in merged] == [1, 2, 3]


@pytest.mark.parametrize(
    ("url", "body", "action"),
    [
        ("http://w/api.php?action=query&format=json", b"", "query"),
        ("http://w/api.php", b"format=json&action=edit&text=" + b"%7B" * 1000, "edit"),
        (
            "http://w/api.php",
            b'--x\r\nContent-Disposition: form-data; name="action"\r\n\r\nupload\r\n',
            "upload",
        ),
        ("http://w/api.php", b"text=action%3Dedit", "?"),
    ],
)
def test_the_request_counter_reads_only_the_action(url: str, body: bytes, action: str) -> None:
    assert action_of(url, body) == action
