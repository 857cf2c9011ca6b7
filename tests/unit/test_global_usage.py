"""GlobalUsage client against a fake built to the extension's documented answers."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest

from bot.io.global_usage import GlobalUsageSource
from bot.io.usage_sources import Availability, PageUse
from tests.unit.globalusage_fake import COMMONS_WIKI_ID, FakeGlobalUsage, GlobalRow

API = "https://commons.example/w/api.php"


def _row(file: str, wiki: str, page: int, *, ns: int = 0, title: str = "") -> GlobalRow:
    hosts = {
        "enwiki": "en.wikipedia.org",
        "dewiki": "de.wikipedia.org",
        COMMONS_WIKI_ID: "commons.wikimedia.org",
    }
    ns_text = {0: "", 1: "Talk", 4: "Wikipedia", 6: "File"}[ns]
    return GlobalRow(file, wiki, page, hosts[wiki], ns, ns_text, title or f"Page_{page}")


def _expected(
    rows: list[GlobalRow], files: list[str], *, namespaces: set[int], local: bool
) -> dict[str, set[PageUse]]:
    """What the answer should hold, computed from the rows (the fake's table)."""
    expected: dict[str, set[PageUse]] = {title: set() for title in files}
    for row in rows:
        title = "File:" + row.file.replace("_", " ")
        if title not in expected or row.ns not in namespaces:
            continue
        if not local and row.wiki == COMMONS_WIKI_ID:
            continue
        page_title = (f"{row.ns_text}:" if row.ns_text else "") + row.title.replace("_", " ")
        expected[title].add(PageUse(row.host, row.ns, page_title, row.page))
    return expected


def _got(source: GlobalUsageSource, files: list[str]) -> dict[str, set[PageUse]]:
    usage = source.usage(files)
    assert usage.availability is Availability.OK, usage.wikis
    return {title: set(pages) for title, pages in usage.uses.items()}


def test_rows_are_merged_across_continuations_until_batchcomplete() -> None:
    rows = [_row("Heavy.jpg", "enwiki", page) for page in range(1, 1301)]
    rows += [_row("Light.jpg", "dewiki", 7, title="Leichte_Seite")]
    fake = FakeGlobalUsage(rows, existing=["Heavy.jpg", "Light.jpg"])
    files = ["File:Heavy.jpg", "File:Light.jpg"]
    source = GlobalUsageSource(fake, API)

    usage = source.usage(files)

    assert _expected(rows, files, namespaces={0}, local=False) == {
        title: set(pages) for title, pages in usage.uses.items()
    }
    # 1301 rows, 500 a request whatever gulimit says: three requests, two without batchcomplete.
    assert usage.method.requests == math.ceil(1301 / 500) == fake.requests
    assert [("gucontinue" in sent) for sent in fake.sent] == [False, True, True]


def test_ids_and_namespaces_sent_as_strings_become_numbers_and_titles_get_spaces() -> None:
    rows = [_row("A_b.jpg", "dewiki", 42, ns=4, title="Auskunft_Seite")]
    fake = FakeGlobalUsage(rows, existing=["A_b.jpg"])

    usage = GlobalUsageSource(fake, API, namespaces=(0, 4)).usage(["File:A b.jpg"])

    assert usage.uses == {
        "File:A b.jpg": (PageUse("de.wikipedia.org", 4, "Wikipedia:Auskunft Seite", 42),)
    }


@pytest.mark.parametrize("filter_local", [True, False])
def test_usage_on_commons_itself_is_left_out_only_when_asked(filter_local: bool) -> None:
    rows = [
        _row("C.jpg", COMMONS_WIKI_ID, 5, title="Gallery_page"),
        _row("C.jpg", "enwiki", 9),
    ]
    fake = FakeGlobalUsage(rows, existing=["C.jpg"])
    source = GlobalUsageSource(fake, API, filter_local=filter_local)

    assert _got(source, ["File:C.jpg"]) == _expected(
        rows, ["File:C.jpg"], namespaces={0}, local=not filter_local
    )
    assert ("gufilterlocal" in fake.sent[0]) is filter_local


@pytest.mark.parametrize("namespaces", [(0,), (0, 1), (1, 6)])
def test_only_the_configured_namespaces_are_counted(namespaces: tuple[int, ...]) -> None:
    rows = [
        _row("N.jpg", "enwiki", 1),
        _row("N.jpg", "enwiki", 2, ns=1),
        _row("N.jpg", "dewiki", 3, ns=6),
    ]
    fake = FakeGlobalUsage(rows, existing=["N.jpg"])
    source = GlobalUsageSource(fake, API, namespaces=namespaces)

    assert _got(source, ["File:N.jpg"]) == _expected(
        rows, ["File:N.jpg"], namespaces=set(namespaces), local=False
    )


@pytest.mark.parametrize("formatversion", ["1", "2"])
def test_both_format_versions_give_the_same_usage(formatversion: str) -> None:
    rows = [_row("F.jpg", "enwiki", page) for page in range(1, 700)]
    real = FakeGlobalUsage(rows, existing=["F.jpg"])

    def send(params: Mapping[str, str]) -> dict[str, Any]:
        return real({**params, "formatversion": formatversion})

    source = GlobalUsageSource(send, API)

    assert _got(source, ["File:F.jpg"]) == _expected(
        rows, ["File:F.jpg"], namespaces={0}, local=False
    )


def test_files_without_a_commons_page_still_report_their_usage() -> None:
    rows = [_row("Gone.jpg", "enwiki", 3)]
    fake = FakeGlobalUsage(rows, existing=[])

    usage = GlobalUsageSource(fake, API).usage(["File:Gone.jpg", "File:Unused.jpg"])

    assert usage.uses == {
        "File:Gone.jpg": (PageUse("en.wikipedia.org", 0, "Page 3", 3),),
        "File:Unused.jpg": (),
    }


def test_a_thousand_files_take_two_requests_with_apihighlimits_and_twenty_without() -> None:
    files = [f"File:F{number}.jpg" for number in range(1000)]
    rows = [_row(f"F{number}.jpg", "enwiki", number + 1) for number in range(0, 1000, 7)]
    for highlimits, batch in ((True, 500), (False, 50)):
        fake = FakeGlobalUsage(rows, existing=[name[5:] for name in files], highlimits=highlimits)
        source = GlobalUsageSource(fake, API, batch=batch)

        assert _got(source, files) == _expected(rows, files, namespaces={0}, local=False)
        assert fake.requests == math.ceil(len(files) / batch)


def test_more_titles_than_allowed_is_a_configuration_error() -> None:
    fake = FakeGlobalUsage([], highlimits=False)
    usage = GlobalUsageSource(fake, API, batch=500).usage([f"File:{n}.jpg" for n in range(60)])

    assert usage.availability is Availability.CONFIG_ERROR
    assert "toomanyvalues" in usage.wikis[0].detail


def test_a_listing_cut_short_is_stale_not_complete() -> None:
    rows = [_row("Cut.jpg", "enwiki", page) for page in range(1, 900)]
    fake = FakeGlobalUsage(rows, existing=["Cut.jpg"])

    def send(params: Mapping[str, str]) -> dict[str, Any]:
        answer = fake(params)
        answer.pop("continue", None)  # a proxy that loses the continuation
        return answer

    usage = GlobalUsageSource(send, API).usage(["File:Cut.jpg"])

    assert usage.availability is Availability.STALE
    assert "batchcomplete" in usage.wikis[0].detail


def test_the_method_says_what_was_counted() -> None:
    fake = FakeGlobalUsage([_row("M.jpg", "enwiki", 1)], existing=["M.jpg"])
    method = GlobalUsageSource(fake, API, namespaces=(0, 14)).usage(["File:M.jpg"]).method

    assert (method.source, method.endpoint, method.requests) == ("globalusage", API, 1)
    assert method.parameter("namespaces") == "0|14"
    assert method.parameter("filterlocal") == "True"
    assert not method.synthetic


def test_a_continuation_that_already_carries_batchcomplete_is_followed_too() -> None:
    """Answers shaped as REFERENCE 2.0 documents them, formatversion 1, three requests.

    The first answer is complete for its batch but continues (as a generator batch would); the
    second continues the prop alone, without batchcomplete; the third ends the batch.
    """
    row = {"title": "Foo_bar", "wiki": "en.wikipedia.org", "pageid": "42", "ns": "0"}
    answers: list[dict[str, Any]] = [
        {
            "batchcomplete": "",
            "continue": {"gucontinue": "A.jpg|enwiki|50", "continue": "||"},
            "query": {"pages": {"123": {"pageid": 123, "ns": 6, "title": "File:A.jpg"}}},
        },
        {
            "continue": {"gucontinue": "A.jpg|enwiki|60", "continue": "||"},
            "query": {
                "pages": {
                    "123": {"pageid": 123, "ns": 6, "title": "File:A.jpg", "globalusage": [row]}
                }
            },
        },
        {
            "batchcomplete": "",
            "query": {
                "pages": {
                    "123": {
                        "pageid": 123,
                        "ns": 6,
                        "title": "File:A.jpg",
                        "globalusage": [{**row, "title": "Baz", "pageid": "60"}],
                    }
                }
            },
        },
    ]
    sent: list[Mapping[str, str]] = []

    def send(params: Mapping[str, str]) -> dict[str, Any]:
        sent.append(params)
        return answers[len(sent) - 1]

    usage = GlobalUsageSource(send, API).usage(["File:A.jpg"])

    assert usage.availability is Availability.OK
    assert usage.uses == {
        "File:A.jpg": (
            PageUse("en.wikipedia.org", 0, "Baz", 60),
            PageUse("en.wikipedia.org", 0, "Foo bar", 42),
        )
    }
    assert [params.get("gucontinue") for params in sent] == [
        None,
        "A.jpg|enwiki|50",
        "A.jpg|enwiki|60",
    ]
