"""The gateway reads what the wiki's parser knows once, and the parser reads pages with it."""

from __future__ import annotations

from bot.io.gateway import WikiGateway
from bot.parse.records import parse_page
from bot.settings import Settings


def test_site_facts_cost_one_request_and_are_kept(wiki_settings: Settings) -> None:
    gateway = WikiGateway(wiki_settings.wiki)
    gateway.login()
    before = gateway.counter.total

    first = gateway.site_facts()
    second = gateway.site_facts()

    assert gateway.counter.total - before == 1
    assert first is second


def test_the_local_wiki_reads_refs_and_poems_as_meta_wiki_does(gateway: WikiGateway) -> None:
    facts = gateway.site_facts()

    assert {"ref", "references", "poem", "nowiki", "pre", "gallery"} <= facts.extension_tags
    assert {"if", "switch", "invoke", "tag"} <= facts.functions
    assert (facts.namespaces["template"], facts.namespaces["module"]) == (10, 828)
    assert "PAGENAME" in facts.variables


def test_a_page_is_read_with_the_facts_of_its_wiki(gateway: WikiGateway) -> None:
    # The local wiki has no SyntaxHighlight: there the tag is text and the infobox a call.
    text = "<syntaxhighlight>{{Partnership infobox|status=active}}</syntaxhighlight>"

    local = parse_page("P", text, site=gateway.site_facts())
    wikimedia = parse_page("P", text)

    assert (len(local.records), len(wikimedia.records)) == (1, 0)
