"""Bot exclusion ({{nobots}}, {{bots}}) as pywikibot's own tests and Template:Bots define it.

Every case is data: the page text, whether this bot may edit, what pywikibot's
``Page.botMayEdit`` answers for a bot of the same name, and where the case comes from:

- ``pywikibot``: the cases of ``TestPageBotMayEdit`` in pywikibot's tests/page_tests.py (its
  ``%(user)s`` is this bot's name; ``MyBot`` stands for another bot);
- ``Template:Bots``: the examples of the English Wikipedia's Template:Bots documentation;
- ``project``: where the project is deliberately stricter (see :mod:`bot.pages.exclusion`).

tests/wiki/test_exclusion_pywikibot.py asks pywikibot itself, on the local wiki, for the
answers recorded here.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from bot.pages.exclusion import bot_may_edit

BOT = "PartnerBot"


class Case(NamedTuple):
    """One page text and the answers of this project and of pywikibot."""

    text: str
    ours: bool
    pywikibot: bool
    source: str
    #: True when pywikibot's answer depends on the wiki's family configuration.
    site_specific: bool = False


CASES: list[Case] = [
    # pywikibot: test_bot_may_edit_nobots_ok
    Case("{{nobots|HagermanBot,Werdnabot}}", True, True, "pywikibot"),
    Case("{{nobots|MyBot|PartnerBot}}", True, True, "pywikibot"),
    # pywikibot: test_bot_may_edit_nobots_nok
    Case("{{nobots}}", False, False, "pywikibot"),
    Case("{{nobots|PartnerBot, HagermanBot,Werdnabot}}", False, False, "pywikibot"),
    Case("{{nobots|all}}", False, False, "pywikibot"),
    Case("{{nobots|allow=PartnerBot}}", False, False, "pywikibot"),
    Case("{{nobots|deny=PartnerBot}}", False, False, "pywikibot"),
    Case("{{nobots|decline=PartnerBot}}", False, False, "pywikibot"),
    Case("{{nobots|with_empty_parameter=}}", False, False, "pywikibot"),
    Case("{{nobots|PartnerBot|MyBot}}", False, False, "pywikibot"),
    # pywikibot: test_bot_may_edit_bots_ok
    Case("{{bots}}", True, True, "pywikibot"),
    Case("{{bots|deny=HagermanBot,Werdnabot}}", True, True, "pywikibot"),
    Case("{{bots|allow=PartnerBot, HagermanBot}}", True, True, "pywikibot"),
    Case("{{bots|allow=all}}", True, True, "pywikibot"),
    Case("{{bots|deny=none}}", True, True, "pywikibot"),
    Case("{{bots|PartnerBot}}", True, True, "pywikibot"),
    Case("{{bots|with=unknown_parameter}}", True, True, "pywikibot"),
    Case("{{bots|with_empty_parameter=}}", True, True, "pywikibot"),
    Case("{{bots|allow=}}", True, True, "pywikibot"),
    Case("{{bots|deny=}}", True, True, "pywikibot"),
    Case("{{bots|empty_parameter=}}", True, True, "pywikibot"),
    # pywikibot: test_bot_may_edit_bots_nok
    Case("{{bots|allow=HagermanBot,Werdnabot}}", False, False, "pywikibot"),
    Case("{{bots|deny=PartnerBot, HagermanBot}}", False, False, "pywikibot"),
    Case("{{bots|allow=none}}", False, False, "pywikibot"),
    Case("{{bots|deny=all}}", False, False, "pywikibot"),
    # pywikibot: test_bot_may_edit_inuse (a template its wikipedia:test family lists)
    Case("{{in use}}", True, False, "pywikibot", site_specific=True),
    # Template:Bots (English Wikipedia): syntax
    Case("{{bots|deny=AWB}}", True, True, "Template:Bots"),
    Case("{{bots|allow=HagermanBot,Werdnabot}}\nText of a user talk page.", False, False,
         "Template:Bots"),
    # Template:Bots: message notification opt-out
    Case("{{bots|optout=all}}", False, True, "Template:Bots"),
    Case("{{bots|optout=nosource}}", True, True, "Template:Bots"),
    Case("{{bots|optout=nolicense}}", True, True, "Template:Bots"),
    Case("{{bots|optout=orfud}}", True, True, "Template:Bots"),
    Case("{{bots|optout=afd}}", True, True, "Template:Bots"),
    Case("{{bots|optout=nosource,nolicense}}", True, True, "Template:Bots"),
    Case("{{bots|optout=orfud,norationale,replaceable}}", True, True, "Template:Bots"),
    # project: this bot's notices are the message type "partnership"
    Case("{{bots|optout=partnership}}", False, True, "project"),
    Case("{{bots|optout=nosource, partnership}}", False, True, "project"),
    Case("{{bots|deny=OtherBot|optout=partnership}}", False, True, "project"),
    # project: names without regard to case
    Case("{{bots|deny=partnerbot}}", False, True, "project"),
    Case("{{bots|allow=partnerbot}}", False, False, "project"),
    Case("{{nobots|partnerbot}}", False, True, "project"),
    Case("{{NOBOTS}}", False, True, "project"),
    # project and pywikibot agree: where the template is and how it is written
    Case("{{Bots| deny = all }}", False, False, "project"),
    Case("Intro\n{{Template:Nobots}}\nmore", False, False, "project"),
    Case("{{bots|deny=OtherBot}}\n{{nobots}}", False, False, "project"),
    Case("{{bots|allow=PartnerBot|deny=all}}", True, True, "project"),
    Case("", True, True, "project"),
    Case("plain text about bots and nobots", True, True, "project"),
    Case("<!-- {{nobots}} is mentioned in a comment -->", True, True, "project"),
    Case("<nowiki>{{nobots}}</nowiki> is how you write it", True, True, "project"),
]  # fmt: skip


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{n:02d}-{case.source}-{case.text[:40]}" for n, case in enumerate(CASES)]
)
def test_bot_exclusion(case: Case) -> None:
    assert bot_may_edit(case.text, BOT) is case.ours


def test_the_cases_cover_pywikibots_tests_and_the_documentation() -> None:
    sources = [case.source for case in CASES]
    assert sources.count("pywikibot") == 26
    assert sources.count("Template:Bots") >= 8
    differences = [case for case in CASES if case.ours != case.pywikibot]
    # where pywikibot lets a bot edit and this project does not, the project is stricter
    stricter = [case for case in differences if case.pywikibot and not case.ours]
    assert len(stricter) == len(differences) - 1  # the other one: {{in use}}, a family setting
    assert [case.text for case in differences] == [
        "{{in use}}",
        "{{bots|optout=all}}",
        "{{bots|optout=partnership}}",
        "{{bots|optout=nosource, partnership}}",
        "{{bots|deny=OtherBot|optout=partnership}}",
        "{{bots|deny=partnerbot}}",
        "{{nobots|partnerbot}}",
        "{{NOBOTS}}",
    ]


def test_another_message_type_can_be_opted_out_of() -> None:
    assert bot_may_edit("{{bots|optout=newsletter}}", BOT, message_type="newsletter") is False
    assert bot_may_edit("{{bots|optout=newsletter}}", BOT) is True
