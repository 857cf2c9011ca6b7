"""Bot exclusion ({{nobots}}, {{bots}}) as the community convention defines it."""

from __future__ import annotations

import pytest

from bot.pages.exclusion import bot_may_edit


@pytest.mark.parametrize(
    "text",
    [
        "{{nobots}}",
        "{{bots|deny=all}}",
        "{{bots|deny=PartnerBot}}",
        "{{bots|deny=OtherBot, partnerbot}}",
        "{{bots|allow=none}}",
        "{{Bots| deny = all }}",
        "{{bots|allow=OtherBot}}",
        "{{bots|optout=partnership}}",
        "{{bots|optout=all}}",
        "Intro\n{{Template:Nobots}}\nmore",
    ],
)
def test_exclusion_templates_stop_the_bot(text: str) -> None:
    assert bot_may_edit(text, "PartnerBot") is False


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain text about bots",
        "{{bots}}",
        "{{bots|allow=PartnerBot}}",
        "{{bots|allow=all}}",
        "{{bots|deny=OtherBot}}",
        "{{bots|optout=newsletters}}",
        "<!-- {{nobots}} is mentioned in a comment -->",
    ],
)
def test_other_pages_allow_the_bot(text: str) -> None:
    assert bot_may_edit(text, "PartnerBot") is True
