"""Hostile infobox values cannot change the structure of a saved status table (property test).

Records are built directly from :mod:`bot.model` with generated values (the parser's own
property tests cover reading them), rendered by :func:`bot.render.render_status_pages`, saved
through :func:`bot.io.safe_save.save_block` on a real page, and checked on what MediaWiki made
of the saved page: no category, image, template, external link, signature or redirect, and
exactly one table of partnerships with one row per record and five cells per row (besides the
small table of counts by stage).
"""

from __future__ import annotations

import datetime as dt
import itertools
from html.parser import HTMLParser
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.i18n_files import load_messages
from bot.io.gateway import WikiGateway
from bot.io.safe_save import WriteGuard, WriteStatus, save_block
from bot.model import Assessment, PartnershipRecord, PartnershipType, Score, Status
from bot.parse.records import parse_value
from bot.render.tables import TableContext, render_status_pages
from tests.wiki.client import WikiClient

#: Every example saves a page of its own, so one broken save cannot spoil the next example.
PAGE_NUMBERS = itertools.count()
COLUMNS = 5
CONTEXT = TableContext(
    {"tight-deadline": "Tight deadlines"},
    dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC),
    messages=load_messages("en"),
)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
HOSTILE = [
    "|",
    "||",
    "!!",
    "! header",
    "{|",
    "|}",
    "|-",
    "{|\n|-\n| nested\n|}",
    "{{x}}",
    "{{subst:x}}",
    "}}",
    "{{{1}}}",
    "[[Category:X]]",
    "[[File:X.png]]",
    "[[Image:X.png|thumb]]",
    "[[User:Someone]]",
    "[[User talk:Someone|talk]]",
    "~~~~",
    "~~~",
    "~~~~~",
    "<!--",
    "-->",
    "<nowiki>",
    "</nowiki>",
    "<table><tr><td>cell</td></tr></table>",
    "<tr><td>",
    "__NOTOC__",
    "__INDEX__",
    "#REDIRECT [[X]]",
    "#redirect[[Category:X]]",
    "https://example.org/spam",
    "[https://example.org link]",
    "//example.org",
    "ISBN 978-3-16-148410-0",
    "''bold''",
    "\n",
    "\n|-\n| injected row",
    "\n----\n",
    "\u202eevil\u202c",
    "\u2067\u2069",
    "<!-- partnerbot:end status -->",
    "{{nobots}}",
    "{{#invoke:X|y}}",
    "&#124;",
    "&lt;",
    "x|" * 5000,  # 10,000 characters
]
PAGES = [
    "Partnerships/Museum",
    "Partnerships/Ünïcödé & co",
    "Category:Partnership somewhere",
    "File:Partnership logo.png",
    "Partnerships/A \u05e9\u05dc\u05d5\u05dd",
]

hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), max_size=4).map(
    "".join
)


@st.composite
def assessments(draw: st.DrawFn) -> list[Assessment]:
    """Return 1-4 assessments of records with hostile names, partners, affiliates, flags, types."""
    count = draw(st.integers(min_value=1, max_value=4))
    result = []
    for index in range(count):
        # Hostile `type` text reaches the table only as the parser's vocabulary (or nothing).
        parsed, _problems = parse_value("type", draw(hostile_text))
        assert parsed is None or isinstance(parsed, tuple)
        from_text = [kind for kind in parsed or () if isinstance(kind, PartnershipType)]
        assert len(from_text) == len(parsed or ())
        chosen = draw(st.lists(st.sampled_from(PartnershipType), max_size=2))
        record = PartnershipRecord(
            page=PAGES[index],
            name=draw(hostile_text),
            partner=draw(hostile_text),
            affiliate=draw(hostile_text),
            flags=tuple(
                draw(st.lists(st.one_of(st.just("tight-deadline"), hostile_text), max_size=3))
            ),
            types=(*from_text, *chosen),
            status=draw(st.none() | st.sampled_from(Status)),
        )
        applicable = draw(st.integers(min_value=0, max_value=40))
        score = Score(draw(st.integers(min_value=0, max_value=applicable)), applicable)
        result.append(Assessment(record, (), score))
    return result


class TableShape(HTMLParser):
    """Count tables, and the header and data cells of every row of the table of partnerships."""

    def __init__(self) -> None:
        super().__init__()
        self.tables = 0
        self.rows: list[dict[str, int]] = []
        self._in_status = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables += 1
            self._in_status = "partnerbot-status" in (dict(attrs).get("class") or "")
        elif tag == "tr" and self._in_status:
            self.rows.append({"th": 0, "td": 0})
        elif tag in {"th", "td"} and self.rows and self._in_status:
            self.rows[-1][tag] += 1


def guard_for(gateway: WikiGateway) -> WriteGuard:
    return WriteGuard(
        gateway=gateway,
        run_page="User:PartnerBot/Run",
        enabled_value="yes",
        max_edits=10_000,
    )


def page_info(api: WikiClient, title: str) -> dict[str, Any]:
    page: dict[str, Any] = api.get(action="query", prop="info|pageprops", titles=title)["query"][
        "pages"
    ][0]
    return page


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=assessments())
def test_hostile_values_cannot_change_the_saved_table(
    gateway: WikiGateway, admin_api: WikiClient, generated: list[Assessment]
) -> None:
    title = f"Test table property/{next(PAGE_NUMBERS)}"
    pages = render_status_pages(generated, CONTEXT, base_title=title, max_bytes=10**7)
    assert list(pages) == [""]
    outcome = save_block(guard_for(gateway), title, "status", pages[""], "test", previous=None)
    assert outcome.status is WriteStatus.CREATED
    saved = admin_api.text(title) or ""
    assert [char for char in saved if char in BIDI] == []
    parsed = admin_api.parse_page(title)
    assert parsed["categories"] == []
    assert parsed["images"] == []
    assert parsed["templates"] == []
    assert parsed["externallinks"] == []
    assert [link["title"] for link in parsed["links"] if link["ns"] in {2, 3}] == []
    assert {link["title"] for link in parsed["links"]} == {a.record.page for a in generated}
    info = page_info(admin_api, title)
    assert "redirect" not in info
    assert info.get("pageprops", {}) == {"noeditsection": ""}
    shape = TableShape()
    shape.feed(parsed["text"])
    assert shape.tables == 2
    assert shape.rows == [{"th": COLUMNS, "td": 0}] + [{"th": 0, "td": COLUMNS}] * len(generated)
