"""Golden requests of the usage sources: URLs, percent-encoding, names, months."""

from __future__ import annotations

from datetime import date

import pytest

from bot.io.category_files import category_title
from bot.io.commons_metrics import category_segment
from bot.io.link_usage import link_domain
from bot.io.pageviews import article_segment, pageviews_project, per_article_path
from bot.io.rest_client import RestClient
from bot.io.usage_sources import Month, last_complete_month, months_between

BASE = "https://wikimedia.org/api/rest_v1"


@pytest.mark.parametrize(
    ("title", "segment"),
    [
        ("AC/DC", "AC%2FDC"),
        ("What?", "What%3F"),
        ("C# (programming language)", "C%23_%28programming_language%29"),
        ("100% Pure", "100%25_Pure"),
        ("Foo bar baz", "Foo_bar_baz"),
        ("Café au lait", "Caf%C3%A9_au_lait"),
        ("Ελληνικά", "%CE%95%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%AC"),
        ("A&B+C=D", "A%26B%2BC%3DD"),
        ("Talk:Main Page", "Talk%3AMain_Page"),
        ("Emoji 😀", "Emoji_%F0%9F%98%80"),
    ],
)
def test_titles_are_percent_encoded_as_one_path_segment(title: str, segment: str) -> None:
    assert article_segment(title) == segment


def test_golden_per_article_url() -> None:
    client = RestClient(BASE, "partnerbot/0.1 (test)")
    path = per_article_path(
        "en.wikipedia", "AC/DC", Month(2024, 1), Month(2024, 3), access="all-access", agent="user"
    )

    assert client.url(path) == (
        "https://wikimedia.org/api/rest_v1/metrics/pageviews/per-article/en.wikipedia/"
        "all-access/user/AC%2FDC/monthly/20240101/20240331"
    )


def test_a_range_ending_in_february_of_a_leap_year_ends_on_the_29th() -> None:
    path = per_article_path(
        "de.wikipedia", "X", Month(2023, 12), Month(2024, 2), access="desktop", agent="all-agents"
    )

    assert path.endswith("/desktop/all-agents/X/monthly/20231201/20240229")


@pytest.mark.parametrize(
    ("wiki", "project"),
    [
        ("en.wikipedia.org", "en.wikipedia"),
        ("EN.Wikipedia.org", "en.wikipedia"),
        ("www.wikidata.org", "wikidata"),
        ("commons.wikimedia.org", "commons.wikimedia"),
        ("meta.wikimedia.org", "meta.wikimedia"),
        ("https://fr.wikisource.org/", "fr.wikisource"),
        ("content.devwiki", "content.devwiki"),
        ("127.0.0.1:8351", ""),
        ("en wikipedia", ""),
        ("", ""),
    ],
)
def test_project_names_follow_the_api(wiki: str, project: str) -> None:
    assert pageviews_project(wiki) == project


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Media contributed by X", "Category:Media contributed by X"),
        ("Category:Media_contributed_by_X", "Category:Media contributed by X"),
        ("category: media  contributed", "Category:Media contributed"),
        ("[[Category:Foo]]", "Category:Foo"),
        ("  ", ""),
    ],
)
def test_category_names_are_normalised_as_mediawiki_does(name: str, title: str) -> None:
    assert category_title(name) == title


def test_golden_commons_impact_metrics_category_segment() -> None:
    assert category_segment("Category:Files from the Met/Paintings & prints") == (
        "Files_from_the_Met%2FPaintings_%26_prints"
    )


@pytest.mark.parametrize(
    ("written", "domain"),
    [
        ("partner.example", "partner.example"),
        ("https://www.Partner.example/collection?id=1#x", "www.partner.example"),
        ("*.partner.example", "partner.example"),
        ("//partner.example/path", "partner.example"),
        ("http://user@partner.example:8080/", "partner.example"),
        ("museum.例え.jp", "museum.xn--r8jz45g.jp"),
        ("partner", ""),
        ("not a domain.example", ""),
        ("", ""),
    ],
)
def test_link_domains_are_read_as_host_names(written: str, domain: str) -> None:
    assert link_domain(written) == domain


def test_months_count_across_a_year_end() -> None:
    assert [str(month) for month in months_between(Month(2023, 11), Month(2024, 2))] == [
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
    ]
    assert months_between(Month(2024, 2), Month(2024, 1)) == []
    assert Month.parse("2024-01").previous() == Month(2023, 12)


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (date(2024, 3, 1), Month(2024, 1)),  # February's figures are not out on 1 March
        (date(2024, 3, 2), Month(2024, 1)),
        (date(2024, 3, 3), Month(2024, 2)),
        (date(2024, 1, 15), Month(2023, 12)),
    ],
)
def test_the_last_complete_month_waits_for_the_data(today: date, month: Month) -> None:
    assert last_complete_month(today) == month
