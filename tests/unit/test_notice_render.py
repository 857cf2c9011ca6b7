"""Notice text: one line per notice, a hidden key, escaped values, no ping unless asked."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import mwparserfromhell
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mwparserfromhell.nodes import Comment, Heading, Wikilink

from bot.events.model import Event, EventKind, RecordId
from bot.pages.notice_marks import notice_keys_in, notice_marker
from bot.render.notices import (
    PartnershipInfo,
    notice_line,
    render_board_section,
    render_talk_section,
    sentence,
)
from tests.messages import BUNDLES, BundleText, load_bundle
from tests.unit.test_escape import hostile_text

TODAY = dt.date(2026, 6, 1)
RID = RecordId(7, 0)
INFO = PartnershipInfo(
    title="Partnerships/Harbour Museum",
    name="Harbour Museum photographs",
    contacts_wikimedia=("Marit S", "Jon"),
    contact_partner="Archive manager",
    next_step="Send the draft agreement",
)


def event(kind: EventKind, value: str = "", previous: str = "", key: str = "") -> Event:
    return Event(
        key=key or f"p7.0/{kind.value}/x",
        kind=kind,
        record=RID,
        since=TODAY,
        value=value,
        previous=previous,
        title=INFO.title,
        name=INFO.name,
    )


ALL_KINDS = [
    event(EventKind.NEW, "prospect"),
    event(EventKind.NEW, key="p7.0/new/unstaged"),
    event(EventKind.STAGE, "active", "agreed"),
    event(EventKind.STAGE, "active", key="p7.0/stage/first"),
    event(EventKind.CONCLUDED, "Partnerships/Harbour Museum/Report"),
    event(EventKind.CONCLUDED, key="p7.0/concluded/none"),
    event(EventKind.FLAG, "article-freeze"),
    event(EventKind.REVIEW_DUE, "2026-06-10"),
    event(EventKind.REVIEW_OVERDUE, "2026-05-10"),
    event(EventKind.RENEWAL_DUE, "2026-07-01"),
    event(EventKind.NEXT_STEP_STALE, "2026-05-15"),
    event(EventKind.REPORT_MISSING, "2026-03-31"),
]


def test_a_notice_is_one_template_call_and_its_marker() -> None:
    line = notice_line(event(EventKind.STAGE, "active", "agreed"), INFO, BundleText())

    assert line == (
        "{{Partnership notice|kind=stage|label=Stage changed"
        "|link=[[:Partnerships/Harbour Museum|<bdi>Harbour Museum photographs</bdi>]]"
        "|text=The stage changed from Agreed to Active."
        "|contacts=Wikimedia contacts: <bdi>Marit S</bdi>, <bdi>Jon</bdi>; "
        "Partner contact: <bdi>Archive manager</bdi>}}"
        "<!-- partnerbot:notice p7.0/stage/x -->"
    )


def test_contacts_are_named_without_a_link_unless_pinging_is_on() -> None:
    quiet = notice_line(event(EventKind.NEW, "active"), INFO, BundleText())
    loud = notice_line(event(EventKind.NEW, "active"), INFO, BundleText(), ping=True)

    assert "User:" not in quiet
    assert "[[:User:Marit S|<bdi>Marit S</bdi>]]" in loud


@pytest.mark.parametrize("item", ALL_KINDS, ids=lambda item: item.key)
def test_every_kind_has_its_label_and_sentence(item: Event) -> None:
    text = BundleText()
    line = notice_line(item, INFO, text)
    (call,) = mwparserfromhell.parse(line).filter_templates(recursive=False)

    assert str(call.get("kind").value) == item.kind.value
    assert str(call.get("label").value) == text(f"partnerbot-notices-label-{item.kind.value}")
    assert str(call.get("text").value).strip()
    assert "$" not in line


def test_the_report_is_linked_and_an_address_is_shown_as_text() -> None:
    text = BundleText()
    linked = notice_line(event(EventKind.CONCLUDED, "Partnerships/X/Report"), INFO, text)
    address = notice_line(event(EventKind.CONCLUDED, "https://example.org/r"), INFO, text)

    assert "[[:Partnerships/X/Report|" in linked
    assert "https&#58;//example.org/r" in address
    assert "[[:https" not in address


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", "2026-06-10", "A review of the partnership is planned for 10 June 2026."),
        ("en", "2026-06", "A review of the partnership is planned for June 2026."),
        ("fr", "2026-06-10", "10 juin 2026"),
        ("en", "2026-02-30", "A review of the partnership is planned for 2026-02-30."),
        ("en", "2026-13", "A review of the partnership is planned for 2026-13."),
    ],
)
def test_reminder_dates_are_written_in_the_wikis_language(
    language: str, value: str, shown: str
) -> None:
    written = sentence(event(EventKind.REVIEW_DUE, value), INFO, BundleText(language))

    assert shown in written


def test_a_board_section_has_a_dated_heading_one_line_per_notice_and_one_signature() -> None:
    section = render_board_section(ALL_KINDS[:3], {RID: INFO}, TODAY, BundleText())

    assert section.heading == "Partnership notices of 1 June 2026 (3 notices)"
    assert section.summary == "Partnership notices: 3 notices"
    lines = section.body.split("\n")
    assert len(lines) == 4
    assert lines[-1] == "~~~~"
    assert [notice_keys_in(line) for line in lines[:3]] == [{e.key} for e in ALL_KINDS[:3]]


def test_a_notice_shows_the_partnership_as_it_is_now() -> None:
    moved = PartnershipInfo(title="Partnerships/Harbour Museum (2026)", name="Harbour Museum")
    section = render_board_section(ALL_KINDS[:1], {RID: moved}, TODAY, BundleText())
    gone = render_board_section(ALL_KINDS[:1], {}, TODAY, BundleText())

    assert "[[:Partnerships/Harbour Museum (2026)|<bdi>Harbour Museum</bdi>]]" in section.body
    assert "[[:Partnerships/Harbour Museum|<bdi>Harbour Museum photographs</bdi>]]" in gone.body


def test_a_talk_section_names_the_partnership_in_its_heading() -> None:
    hostile = PartnershipInfo(title="Partnerships/X", name="== [[Evil]] ==\n{{x}}")
    section = render_talk_section([ALL_KINDS[7]], hostile, BundleText())

    assert "\n" not in section.heading
    assert not set("[]{}=") & set(section.heading)
    assert html.unescape(section.heading) == "Partnership reminder: == [[Evil]] == {{x}}"


def test_french_notices_come_from_the_french_bundle() -> None:
    section = render_board_section(ALL_KINDS[2:3], {RID: INFO}, TODAY, BundleText("fr"))

    assert section.heading == "Annonces des partenariats du 1 juin 2026 (1 annonce)"
    assert "L’étape est passée de « Convenu » à « Actif »." in section.body


def test_markers_are_found_again_and_bad_keys_refused() -> None:
    text = "a <!-- partnerbot:notice p1.0/new --> b <!--Partnerbot:notice  p2.3/flag/x/r9-->"
    assert notice_keys_in(text) == {"p1.0/new", "p2.3/flag/x/r9"}
    assert notice_keys_in("<!-- partnerbot:notice p1.0/new -- >") == frozenset()
    with pytest.raises(ValueError, match="not a notice key"):
        notice_marker("p1.0/new --> <b>")


# -- message bundles ------------------------------------------------------------------------


def test_the_bundles_have_the_same_messages_and_every_one_is_documented() -> None:
    english = load_bundle("en")
    for language in ("fr", "qqq"):
        assert set(load_bundle(language)) == set(english), language
    for path in BUNDLES.glob("*.json"):
        assert "@metadata" in json.loads(path.read_text(encoding="utf-8")), path.name


def test_every_message_is_used_by_some_notice() -> None:
    text = BundleText()
    render_board_section(ALL_KINDS, {RID: INFO}, TODAY, text)
    render_talk_section(ALL_KINDS[7:], INFO, text)
    for status in ("prospect", "researching", "contacted", "negotiating", "agreed", "active"):
        notice_line(event(EventKind.STAGE, status, "on_hold"), INFO, text)
    for status in ("concluded", "declined", "terminated"):
        notice_line(event(EventKind.STAGE, status, "agreed"), INFO, text)
    unnamed = PartnershipInfo(title="P", name="P")
    notice_line(event(EventKind.NEXT_STEP_STALE, "2026-01-01"), unnamed, text)

    assert set(load_bundle("en")) - text.used == set()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_translation_keeps_a_notice_one_well_formed_template(language: str) -> None:
    text = BundleText(language)
    section = render_board_section(ALL_KINDS, {RID: INFO}, TODAY, text)
    code = mwparserfromhell.parse(section.body)

    assert len(code.filter_templates(recursive=False)) == len(ALL_KINDS)
    assert not code.filter_headings()
    assert "\n" not in section.heading


# -- hostile values -------------------------------------------------------------------------

KNOWN_PARAMS = {"kind", "label", "link", "text", "contacts"}


@st.composite
def hostile_infos(draw: st.DrawFn) -> PartnershipInfo:
    return PartnershipInfo(
        title=draw(st.sampled_from(["Partnerships/A", "Partnerships/A&B's (1)", "Bad|title"])),
        name=draw(hostile_text),
        contacts_wikimedia=tuple(draw(st.lists(hostile_text, max_size=3))),
        contact_partner=draw(hostile_text),
        next_step=draw(hostile_text),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(hostile_infos(), hostile_text, st.booleans())
def test_hostile_values_cannot_add_a_section_a_link_a_ping_or_a_template(
    info: PartnershipInfo, value: str, ping: bool
) -> None:
    events = [
        Event(f"p7.0/{item.kind.value}/e{index}", item.kind, RID, TODAY, value, value, "T", "N")
        for index, item in enumerate(ALL_KINDS)
    ]
    section = render_board_section(events, {RID: info}, TODAY, BundleText(), ping=ping)
    code = mwparserfromhell.parse(section.body, skip_style_tags=True)

    lines = section.body.split("\n")
    assert len(lines) == len(events) + 1
    assert lines[-1] == "~~~~"
    assert section.body.count("~~~") == 1
    assert not code.filter_headings()
    assert not re.search(r"(?m)^\s*=", section.body)
    templates = code.filter_templates(recursive=False)
    assert [str(t.name) for t in templates] == ["Partnership notice"] * len(events)
    assert code.filter_templates(recursive=True) == templates
    for template in templates:
        assert {str(param.name) for param in template.params} <= KNOWN_PARAMS
    comments = [str(node) for node in code.filter(forcetype=Comment, recursive=True)]
    assert comments == [notice_marker(item.key) for item in events]
    users = [str(link.title) for link in code.filter(forcetype=Wikilink, recursive=True)]
    users = [title for title in users if title.startswith(":User:")]
    assert len(users) <= (len(events) * len(info.contacts_wikimedia) if ping else 0)
    assert "\n" not in section.heading
    assert "=" not in section.heading
    assert (
        not mwparserfromhell.parse(f"== {section.heading} ==")
        .filter(forcetype=Heading)[0]
        .title.filter_templates()
    )
