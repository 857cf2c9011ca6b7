"""Events -> the wikitext of one run's section of notices (noticeboard) or reminders (talk page).

Every notice is one line: a ``{{Partnership notice}}`` call followed by its hidden marker
``<!-- partnerbot:notice KEY -->`` (:mod:`bot.pages.notice_marks`). Human text comes from the
message bundles through ``text(key, *params)``; every value from an infobox is cleaned, shortened
and escaped (:mod:`bot.render.escape`), so it can add no heading, link, template, list or
signature. The partnership's Wikimedia contacts are named as plain text, which notifies nobody,
unless the wiki asks for links (``ping_contacts``). The section is signed once, with the date,
so archiving tools can date it. The heading is the section title of a ``section=new`` edit,
escaped to one line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.contract import value_label_key
from bot.events.model import Event, EventKind, RecordId
from bot.model import PartnershipRecord, Status, WikiDate
from bot.pages.notice_marks import notice_marker
from bot.render.escape import (
    clean_text,
    escape_text,
    escape_value,
    truncate,
)
from bot.render.links import is_linkable_title, page_link

#: Longest partnership name, contact, next step and report shown (characters).
NAME_LIMIT = 120
CONTACT_LIMIT = 120
STEP_LIMIT = 200
#: Most Wikimedia contacts named in one notice.
MAX_CONTACTS = 5
#: The bot's signature: name and date, once per section.
SIGNATURE = "~~~~"
TEMPLATE = "Partnership notice"
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class MessageText(Protocol):
    """Look up message ``key`` in the wiki's language and fill in ``$1``, ``$2``... ; write
    dates in that language (:class:`~bot.render.messages.Messages` is one)."""

    def __call__(self, key: str, *params: str | int) -> str: ...

    def date(self, day: dt.date) -> str: ...

    def wiki_date(self, date: WikiDate) -> str: ...


@dataclass(frozen=True)
class PartnershipInfo:
    """What a notice shows about its partnership (current values when the record exists)."""

    title: str
    name: str
    contacts_wikimedia: tuple[str, ...] = ()
    contact_partner: str = ""
    next_step: str = ""


def info_from(record: PartnershipRecord) -> PartnershipInfo:
    """Return what a notice shows about ``record``."""
    return PartnershipInfo(
        title=record.page,
        name=record.display_name,
        contacts_wikimedia=record.contact_wikimedia,
        contact_partner=record.contact_partner,
        next_step=record.next_step,
    )


def info_for(event: Event, infos: Mapping[RecordId, PartnershipInfo]) -> PartnershipInfo:
    """Return the current info of the event's record, or what the event remembers."""
    return infos.get(event.record) or PartnershipInfo(event.title, event.name or event.title)


@dataclass(frozen=True)
class NoticeSection:
    """One new section: its heading (``sectiontitle``), text, edit summary and keys."""

    heading: str
    body: str
    summary: str
    keys: tuple[str, ...]


def render_board_section(
    events: Sequence[Event],
    infos: Mapping[RecordId, PartnershipInfo],
    today: dt.date,
    text: MessageText,
    *,
    ping: bool = False,
) -> NoticeSection:
    """Return the noticeboard section for ``events`` (in the given order)."""
    if not events:
        raise ValueError("a section needs at least one notice")
    count = len(events)
    lines = [notice_line(event, info_for(event, infos), text, ping=ping) for event in events]
    return NoticeSection(
        heading=heading(text("partnerbot-notices-heading", text.date(today), count)),
        body="\n".join([*lines, SIGNATURE]),
        summary=summary(text("partnerbot-notices-summary", count)),
        keys=tuple(event.key for event in events),
    )


def render_talk_section(
    events: Sequence[Event], info: PartnershipInfo, text: MessageText, *, ping: bool = False
) -> NoticeSection:
    """Return the talk-page section of reminders ``events`` about one partnership."""
    if not events:
        raise ValueError("a section needs at least one reminder")
    name = escape_text(info.name or info.title, NAME_LIMIT)
    lines = [notice_line(event, info, text, ping=ping) for event in events]
    return NoticeSection(
        heading=heading(text("partnerbot-notices-talk-heading", name)),
        body="\n".join([*lines, SIGNATURE]),
        summary=summary(text("partnerbot-notices-talk-summary", len(events))),
        keys=tuple(event.key for event in events),
    )


def heading(message: str) -> str:
    """Return a section title: one line, no markup.

    Values in the message are already escaped; what is left is the translated text, whose
    markup characters are escaped here (character references already present stay as they are).
    """
    line = " ".join(message.split())
    line = "".join(_HEADING_ESCAPES.get(char, char) for char in line)
    return line.replace("__", "&#95;&#95;")


#: Characters that could end a heading, open a link, template or tag, or sign, in a heading.
_HEADING_ESCAPES = {
    "=": "&#61;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "~": "&#126;",
}


def summary(message: str) -> str:
    """Return an edit summary: the message on one line, at most 500 characters.

    Summaries are made of fixed messages and counts only (never infobox values).
    """
    return truncate(clean_text(message), 500)


def notice_line(
    event: Event, info: PartnershipInfo, text: MessageText, *, ping: bool = False
) -> str:
    """Return one notice: the template call and the hidden marker, on one line."""
    params = [
        ("kind", event.kind.value),
        ("label", text(LABEL_KEYS[event.kind])),
        ("link", page_link(info.title, info.name or info.title, limit=NAME_LIMIT)),
        ("text", sentence(event, info, text)),
    ]
    contacts = contact_line(info, text, ping=ping)
    if contacts:
        params.append(("contacts", contacts))
    call = "|".join([TEMPLATE, *(f"{name}={_one_line(value)}" for name, value in params)])
    return f"{{{{{call}}}}}{notice_marker(event.key)}"


def _one_line(value: str) -> str:
    return " ".join(value.split())


#: The label of each kind of notice.
LABEL_KEYS = {
    EventKind.NEW: "partnerbot-notices-label-new",
    EventKind.STAGE: "partnerbot-notices-label-stage",
    EventKind.CONCLUDED: "partnerbot-notices-label-concluded",
    EventKind.FLAG: "partnerbot-notices-label-flag",
    EventKind.REVIEW_DUE: "partnerbot-notices-label-review-due",
    EventKind.REVIEW_OVERDUE: "partnerbot-notices-label-review-overdue",
    EventKind.RENEWAL_DUE: "partnerbot-notices-label-renewal-due",
    EventKind.NEXT_STEP_STALE: "partnerbot-notices-label-next-step-stale",
    EventKind.REPORT_MISSING: "partnerbot-notices-label-report-missing",
}
#: The sentence of each date reminder whose text is the date alone.
REMINDER_KEYS = {
    EventKind.REVIEW_DUE: "partnerbot-notices-text-review-due",
    EventKind.REVIEW_OVERDUE: "partnerbot-notices-text-review-overdue",
    EventKind.RENEWAL_DUE: "partnerbot-notices-text-renewal-due",
    EventKind.REPORT_MISSING: "partnerbot-notices-text-report-missing",
}
#: Every stage id; the label of each is the infobox's own (one contract, one label).
_STAGES = frozenset(status.value for status in Status)


def flag_label(flag: str, text: MessageText) -> str:
    """Return the name of a warning flag in the wiki's language (its escaped id if unknown)."""
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", flag):
        try:
            return text(f"partnerbot-checklist-flag-{flag}-label")
        except KeyError:
            pass
    return escape_value(flag)


def stage_label(status: str, text: MessageText) -> str:
    """Return the translated name of a stage (escaped id for an unknown one)."""
    if status in _STAGES:
        return text(value_label_key("status", status))
    return escape_text(status)


def sentence(event: Event, info: PartnershipInfo, text: MessageText) -> str:
    """Return what happened, from the message bundle, with escaped values."""
    kind, value = event.kind, event.value
    if kind is EventKind.NEW:
        if value:
            return text("partnerbot-notices-text-new", stage_label(value, text))
        return text("partnerbot-notices-text-new-unstaged")
    if kind is EventKind.STAGE:
        if event.previous:
            old = stage_label(event.previous, text)
            return text("partnerbot-notices-text-stage", old, stage_label(value, text))
        return text("partnerbot-notices-text-stage-first", stage_label(value, text))
    if kind is EventKind.CONCLUDED:
        if value:
            return text("partnerbot-notices-text-concluded", report_link(value))
        return text("partnerbot-notices-text-concluded-no-report")
    if kind is EventKind.FLAG:
        return text("partnerbot-notices-text-flag", flag_label(value, text))
    if kind is EventKind.NEXT_STEP_STALE and info.next_step:
        step = escape_value(info.next_step, STEP_LIMIT)
        return text("partnerbot-notices-text-next-step-stale", written_date(value, text), step)
    if kind is EventKind.NEXT_STEP_STALE:
        return text("partnerbot-notices-text-next-step-stale-unnamed", written_date(value, text))
    return text(REMINDER_KEYS[kind], written_date(value, text))


def written_date(value: str, text: MessageText) -> str:
    """Return a reminder's date (``2026-12-01``, ``2026-12``) written out in the wiki's language.

    Anything else (not a date a record can hold) is shown escaped, as written.
    """
    try:
        return text.wiki_date(WikiDate.parse(value))
    except ValueError:
        return escape_text(value)


def report_link(report: str) -> str:
    """Return a link to a report page, or the escaped text of an address or anything else."""
    if not _URL_SCHEME.match(report) and is_linkable_title(report):
        return page_link(report, report, limit=NAME_LIMIT)
    return escape_value(report, NAME_LIMIT)


def contact_line(info: PartnershipInfo, text: MessageText, *, ping: bool = False) -> str:
    """Return who to ask: the Wikimedia contacts (plain names unless ``ping``) and the partner's."""
    parts: list[str] = []
    names = list(dict.fromkeys(info.contacts_wikimedia))[:MAX_CONTACTS]
    shown = [user_name(name, ping=ping) for name in names]
    shown = [name for name in shown if name]
    if shown:
        joined = text("partnerbot-notices-list-separator").join(shown)
        parts.append(text("partnerbot-notices-contacts-wikimedia", joined, len(shown)))
    partner = escape_value(info.contact_partner, CONTACT_LIMIT)
    if partner:
        parts.append(text("partnerbot-notices-contacts-partner", partner))
    return text("partnerbot-notices-contacts-separator").join(parts)


def user_name(name: str, *, ping: bool = False) -> str:
    """Return a contact's name: escaped text, or with ``ping`` a link to the user page."""
    title = f"User:{name}"
    if ping and is_linkable_title(title) and "/" not in name:
        return page_link(title, name, limit=CONTACT_LIMIT)
    return escape_value(name, CONTACT_LIMIT)


def notice_keys(sections: Iterable[NoticeSection]) -> list[str]:
    """Return the keys of ``sections`` in order."""
    return [key for section in sections for key in section.keys]
