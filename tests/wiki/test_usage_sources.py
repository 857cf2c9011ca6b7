"""Usage sources against two real local wikis: a category tree, file usage, external links.

The session wiki plays Commons (it holds the files and categories); a second wiki plays a
Wikipedia that shows them through ``$wgForeignFileRepos``. Every expectation is computed from
what MediaWiki reports through other modules (``prop=categories``, ``action=parse``,
``prop=extlinks``), never written down by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.devwiki.seed import make_png
from bot.devwiki.standins.commons_pair import link_foreign_files, shows_foreign_file
from bot.devwiki.wiki import DevWiki, free_port
from bot.io.action_api import WikiEndpoint, gateway_send
from bot.io.category_files import CategoryMembersSource
from bot.io.file_usage import FileUsageFallback
from bot.io.gateway import WikiGateway
from bot.io.link_usage import ExtUrlUsageSource
from bot.io.usage_sources import Availability, PageUse
from tests.wiki.client import WikiClient
from tests.wiki.usage_wikis import (
    admin_client,
    anonymous_send,
    bot_client,
    client_send,
    host_of,
    page_links,
    pages_with_prefix,
    parent_categories,
    parsed_images,
)

pytestmark = pytest.mark.wiki

TAG = "Usagetree"
ROOT = f"Category:{TAG} root"
DOMAIN = "crafts-museum.example"
MANY = 60  # more than the 50 titles an anonymous request may carry
#: Category tree with a cycle (root -> sub2 -> root) and a shared child (sub1 under root and sub2).
CATEGORIES = {
    f"{TAG} root": [],
    f"{TAG} sub1": [f"{TAG} root", f"{TAG} sub2"],
    f"{TAG} sub2": [f"{TAG} root"],
    f"{TAG} sub3": [f"{TAG} sub1"],
    f"{TAG} sub4": [f"{TAG} sub3"],
}
FILES = {
    "A": ["root", "sub3"],
    "B": ["root"],
    "C": ["sub1"],
    "D": ["sub2"],
    "E": ["sub3"],
    "F": ["sub4"],
}


def _file(letter: str) -> str:
    return f"File:{TAG} {letter}.png"


@dataclass
class Pair:
    """The two wikis, with a bot client on each."""

    commons: DevWiki
    content: DevWiki
    commons_bot: WikiClient
    content_bot: WikiClient
    content_admin: WikiClient

    def endpoints(self) -> list[WikiEndpoint]:
        return [
            WikiEndpoint("content.devwiki", self.content.api_url, client_send(self.content_bot)),
            WikiEndpoint("commons.devwiki", self.commons.api_url, client_send(self.commons_bot)),
        ]


def _seed_commons(commons: DevWiki) -> None:
    pages = {
        f"Category:{name}": "".join(f"[[Category:{parent}]]" for parent in parents) or "Root."
        for name, parents in CATEGORIES.items()
    }
    # The cycle: the root is also a subcategory of sub2.
    pages[f"Category:{TAG} root"] = f"[[Category:{TAG} sub2]]"
    pages[f"{TAG} gallery"] = f"[[{_file('A')}]] [[{_file('F')}]] http://{DOMAIN}/gallery"
    commons.import_pages(pages)
    files = {
        f"{TAG} {letter}.png": (
            make_png(8, 8, (40 * index, 80, 120)),
            "".join(f"[[Category:{TAG} {name}]]" for name in categories),
        )
        for index, (letter, categories) in enumerate(FILES.items())
    }
    files.update(
        {
            f"{TAG} many {number}.png": (make_png(4, 4, (number, 0, 0)), f"[[Category:{TAG} many]]")
            for number in range(MANY)
        }
    )
    commons.upload_files(files, comment="Usage test files")
    # Thirty articles showing twenty of the sixty files each: 600 uses, more than the 500 rows
    # an anonymous request returns. They live on the wiki holding the files, where showing a
    # file costs no request to another wiki.
    many = {}
    for number in range(30):
        used = "".join(f"[[File:{TAG} many {(number + k) % MANY}.png]]" for k in range(20))
        many[f"{TAG} Many {number}"] = used
    commons.import_pages(many)
    commons.run_jobs()


def _seed_content(content: DevWiki) -> None:
    pages = {
        f"{TAG} Alpha": (
            f"[[{_file('A')}|thumb|a]] [[{_file('C')}]] http://{DOMAIN}/x "
            f"[https://www.{DOMAIN}/y y] [//{DOMAIN}/rel rel] http://other.example/{DOMAIN}"
        ),
        f"{TAG} Beta": (
            f"[[Image:{TAG}_A.png]] [[{_file('B')}]]\n<gallery>\n{_file('E')}\n</gallery>"
        ),
        f"Talk:{TAG} Alpha": f"[[{_file('D')}]] http://{DOMAIN}/talk",
        f"{TAG} Uses nothing": "Plain text.",
    }
    content.import_pages(pages)
    content.run_jobs()


@pytest.fixture(scope="module")
def pair(devwiki: DevWiki, content_wiki: DevWiki) -> Pair:
    """The session wiki as Commons and the session's second wiki showing its files."""
    _seed_commons(devwiki)
    _seed_content(content_wiki)
    return Pair(
        devwiki,
        content_wiki,
        bot_client(devwiki),
        bot_client(content_wiki),
        admin_client(content_wiki),
    )


# -- category tree -------------------------------------------------------------------------------


def _tree_from_parents(pair: Pair, depth: int) -> tuple[set[str], set[str]]:
    """Files and categories within ``depth`` of the root, from prop=categories (bottom up)."""
    admin = admin_client(pair.commons)
    categories = pages_with_prefix(admin, f"{TAG} ", 14)
    files = pages_with_prefix(admin, f"{TAG} ", 6)
    parents = parent_categories(admin, categories + files)
    distance = {ROOT: 0}
    frontier = [ROOT]
    while frontier:
        following = []
        for parent in frontier:
            for child in categories:
                if parent in parents[child] and child not in distance:
                    distance[child] = distance[parent] + 1
                    following.append(child)
        frontier = following
    within = {name for name, steps in distance.items() if steps <= depth}
    found = {title for title in files if parents[title] & within}
    return found, within


@pytest.mark.parametrize("depth", [0, 1, 2, 3, 4])
def test_category_tree_matches_mediawiki_at_each_depth(
    pair: Pair, gateway: WikiGateway, depth: int
) -> None:
    expected_files, expected_categories = _tree_from_parents(pair, depth)
    source = CategoryMembersSource(gateway_send(gateway), pair.commons.api_url)

    tree = source.files(ROOT, depth)

    assert tree.availability is Availability.OK
    assert set(tree.files) == expected_files
    assert set(tree.categories) == expected_categories
    assert len(tree.files) == len(set(tree.files))
    # One request per category listed: the floor for generator=categorymembers.
    assert tree.method.requests == len(tree.categories)


def test_a_cycle_is_walked_once(pair: Pair, gateway: WikiGateway) -> None:
    tree = CategoryMembersSource(gateway_send(gateway), pair.commons.api_url).files(ROOT, 7)

    assert tree.categories[0] == ROOT
    assert tree.categories.count(ROOT) == 1
    assert tree.revisits >= 2  # root reached again from sub2, sub1 again from sub2


def test_a_category_that_does_not_exist_is_no_data(pair: Pair, gateway: WikiGateway) -> None:
    tree = CategoryMembersSource(gateway_send(gateway), pair.commons.api_url).files(
        f"{TAG} nothing here", 2
    )

    assert tree.availability is Availability.NO_DATA
    assert tree.root_missing
    assert tree.files == ()


def test_an_invalid_category_name_is_a_configuration_error(
    pair: Pair, gateway: WikiGateway
) -> None:
    tree = CategoryMembersSource(gateway_send(gateway), pair.commons.api_url).files("A<b", 1)

    assert tree.availability is Availability.CONFIG_ERROR
    assert "invalidtitle" in tree.detail


# -- file usage ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_usage(pair: Pair) -> dict[str, set[PageUse]]:
    """Every file shown by the seeded articles of both wikis, per file, as the parser says."""
    expected: dict[str, set[PageUse]] = {}
    for name, wiki in (("content.devwiki", pair.content), ("commons.devwiki", pair.commons)):
        client = admin_client(wiki)
        titles = pages_with_prefix(client, f"{TAG} ", 0)
        ids = {
            page["title"]: page["pageid"]
            for page in client.get(action="query", titles="|".join(titles))["query"]["pages"]
        }
        for page, images in parsed_images(client, titles).items():
            for image in images:
                expected.setdefault(image, set()).add(PageUse(name, 0, page, ids[page]))
    return expected


def _expected(seeded: dict[str, set[PageUse]], files: list[str]) -> dict[str, set[PageUse]]:
    return {title: seeded.get(title, set()) for title in files}


def test_the_content_wiki_shows_the_commons_files(pair: Pair) -> None:
    link_foreign_files(pair.content, pair.commons)  # a second time changes nothing

    settings = pair.content.wiki_settings.read_text(encoding="utf-8")
    assert settings.count("ForeignAPIRepo") == 1
    assert "ForeignAPIRepo" not in pair.content.local_settings.read_text(encoding="utf-8")
    assert shows_foreign_file(pair.content, _file("A"))
    answer = pair.content_bot.get(action="query", titles=_file("A"))
    page = answer["query"]["pages"][0]
    assert page.get("missing")  # no page on the content wiki...
    assert page.get("known")  # ...but the file is found on "Commons"


def test_file_usage_across_both_wikis_matches_what_the_parser_shows(
    pair: Pair, seeded_usage: dict[str, set[PageUse]]
) -> None:
    files = sorted([_file(letter) for letter in FILES] + [f"File:{TAG} Unknown.png"])

    usage = FileUsageFallback(pair.endpoints()).usage(files)

    assert usage.availability is Availability.OK
    assert {title: set(pages) for title, pages in usage.uses.items()} == _expected(
        seeded_usage, files
    )
    # One request per wiki for up to 500 files: the floor with apihighlimits.
    assert usage.method.requests == 2


def test_batches_and_continuation_give_the_same_answer_without_apihighlimits(
    pair: Pair, seeded_usage: dict[str, set[PageUse]]
) -> None:
    files = [f"File:{TAG} many {number}.png" for number in range(MANY)]
    commons = pair.endpoints()[1]
    bot = FileUsageFallback([commons]).usage(files)
    anonymous = WikiEndpoint(
        commons.name, commons.api_url, anonymous_send(commons.api_url), batch=50
    )
    small = FileUsageFallback([anonymous]).usage(files)

    expected = _expected(seeded_usage, files)
    assert sum(len(pages) for pages in expected.values()) == 600
    assert {title: set(pages) for title, pages in bot.uses.items()} == expected
    assert small.uses == bot.uses
    assert bot.method.requests == 1
    # 60 titles in batches of 50, and 600 uses at 500 rows a request: at least three requests.
    assert small.method.requests >= 3


def test_a_wiki_that_cannot_be_reached_is_stale_and_the_others_still_count(
    pair: Pair, seeded_usage: dict[str, set[PageUse]]
) -> None:
    dead_api = f"http://127.0.0.1:{free_port()}/api.php"
    dead = WikiEndpoint("dead.devwiki", dead_api, anonymous_send(dead_api))
    files = [_file("A")]

    usage = FileUsageFallback([*pair.endpoints(), dead]).usage(files)

    assert usage.availability is Availability.STALE
    assert [status.availability for status in usage.wikis] == [
        Availability.OK,
        Availability.OK,
        Availability.STALE,
    ]
    assert set(usage.uses[files[0]]) == seeded_usage[files[0]]


def test_usage_through_a_template_added_later_needs_the_job_queue(pair: Pair) -> None:
    template = f"Template:{TAG} late"
    page = f"{TAG} Late"
    pair.content.import_pages({page: f"{{{{{template.removeprefix('Template:')}}}}}"})
    pair.content_admin.edit(template, f"[[{_file('B')}]]")
    source = FileUsageFallback(pair.endpoints()[:1])

    def users() -> set[str]:
        return {use.title for use in source.usage([_file("B")]).uses[_file("B")]}

    before = users()
    pair.content.run_jobs()
    after = users()

    assert page not in before
    assert page in after
    assert parsed_images(admin_client(pair.content), [page])[page] == {_file("B")}


# -- external links ------------------------------------------------------------------------------


def _expected_links(pair: Pair, domain: str) -> dict[str, set[tuple[str, str]]]:
    """(page, URL) pairs per wiki linking to the domain or a subdomain, from prop=extlinks."""
    expected = {}
    for name, wiki in (("content.devwiki", pair.content), ("commons.devwiki", pair.commons)):
        client = admin_client(wiki)
        titles = pages_with_prefix(client, f"{TAG} ", 0)
        expected[name] = {
            (title, url)
            for title, urls in page_links(client, titles).items()
            for url in urls
            if host_of(url) == domain or host_of(url).endswith(f".{domain}")
        }
    return expected


def test_links_to_the_partner_domain_match_what_the_pages_link_to(pair: Pair) -> None:
    usage = ExtUrlUsageSource(pair.endpoints()).links(f"https://{DOMAIN}/")

    found: dict[str, set[tuple[str, str]]] = {"content.devwiki": set(), "commons.devwiki": set()}
    for link in usage.links:
        assert link.page.ns == 0
        found[link.page.wiki].add((link.page.title, link.url))
    assert usage.availability is Availability.OK
    assert found == _expected_links(pair, DOMAIN)
    assert len(usage.pages) == len({(w, t) for w, pairs in found.items() for t, _ in pairs})
    # Two protocols on each of two wikis, everything in one request each.
    assert usage.method.requests == 4


def test_a_domain_nobody_links_to_has_no_links(pair: Pair) -> None:
    usage = ExtUrlUsageSource(pair.endpoints()).links("nobody-links-here.example")

    assert usage.availability is Availability.OK
    assert usage.links == ()


def test_something_that_is_not_a_domain_is_a_configuration_error(pair: Pair) -> None:
    usage = ExtUrlUsageSource(pair.endpoints()).links("our website")

    assert usage.availability is Availability.CONFIG_ERROR
    assert usage.method.requests == 0
