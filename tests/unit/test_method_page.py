"""The method page lists every rule and flag of the checklist, in the wiki's language.

Golden files live in ``tests/unit/golden/``; after an intended change rewrite them with
``PARTNERBOT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_method_page.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bot.checklist.assess import Checklist
from bot.checklist.checks import CHECKS
from bot.checklist.licences import LicenceKind
from bot.checklist.rules import Rule, checklist_from_data
from bot.i18n_files import load_messages
from bot.render.escape import escape_text
from bot.render.messages import Messages
from bot.render.method_page import (
    CHECK_MESSAGES,
    FLAGS_ANCHOR,
    LICENCE_MESSAGES,
    describe_check,
    render_method_page,
    section_fragment,
)
from bot.resources import load_checklist

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PARTNERBOT_UPDATE_GOLDEN") == "1"
ENGLISH = load_messages("en")
FRENCH = load_messages("fr")

SOURCES = {
    "faq": {"page": "Partnerships/Questions", "url": "https://meta.wikimedia.org/wiki/P/Q"},
    "slides": {"page": "Partnerships for Wikimedians", "url": "https://meta.wikimedia.org/wiki/S"},
}


def rule(rule_id: str, check: str, severity: str = "warning", **extra: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": rule_id,
        "severity": severity,
        "check": check,
        "statuses": "all",
        "types": "all",
        "message": f"Why {rule_id} matters | with a pipe.",
        "source": "faq",
        "section": "Goals and [brackets]",
    }
    entry.update(extra)
    return entry


#: One rule for each kind of description, and two flags: small, so the golden file reads well.
CHECKLIST = checklist_from_data(
    {
        "sources": SOURCES,
        "rules": [
            rule("infobox-unparseable", "parser_problem", "error"),
            rule("status-missing", "required", "error", field="status"),
            rule(
                "benefit-one-sided",
                "required",
                params={"fields": ["benefit_wikimedia", "benefit_partner"]},
                statuses=["negotiating", "active"],
                source="slides",
                section="What are partnerships?",
            ),
            rule(
                "affiliate-missing",
                "required",
                "info",
                field="affiliate",
                when={"led_by": ["affiliate"]},
                types=["content_donation", "funding"],
            ),
            rule(
                "contact-date-missing",
                "required_any",
                params={"fields": ["last_contact", "first_contact"]},
            ),
            rule(
                "individual-without-backup",
                "min_items",
                field="contact_wikimedia",
                params={"minimum": 1},
            ),
            rule(
                "date-order",
                "dates_in_order",
                "error",
                params={"pairs": [["start_date", "end_date"]]},
            ),
            rule(
                "renewal-overdue",
                "date_passed",
                field="agreement_renewal",
                params={"grace_days": 1},
            ),
            rule("review-overdue", "review_due", params={"grace_days": 0}),
            rule("license-not-free", "licence_kind", "error", params={"kind": "non_free"}),
            rule(
                "money",
                "money_needs_agreement",
                params={"formal": ["contract", "grant"], "money_types": ["funding"]},
            ),
            rule("warning-flag", "warning_flags"),
        ],
        "flags": {
            "tight-deadline": {
                "label": "Tight deadlines",
                "explanation": "Results are wanted too fast.",
                "source": "slides",
                "section": "6. ...or not!",
            },
            "brand-exploitation": {
                "label": "Brand <b>exploitation</b>",
                "explanation": "The partner wants the name | not the work.",
                "source": "faq",
                "section": "How/When/Why?",
            },
        },
    }
)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(text.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_method_page_matches_golden_file(language: str) -> None:
    text = render_method_page(CHECKLIST, load_messages(language))
    check_golden(f"method_page_{language}.wikitext", text)


def anchors(text: str) -> list[str]:
    return re.findall(r'^(?:\|-|\{\|)[^\n]*\bid="([^"]+)"', text, flags=re.MULTILINE)


@pytest.mark.parametrize("messages", [ENGLISH, FRENCH], ids=["en", "fr"])
def test_every_rule_and_flag_of_the_real_checklist_has_its_anchor(messages: Messages) -> None:
    checklist = load_checklist(ROOT / "config" / "checklist.toml")
    text = render_method_page(checklist, messages)
    expected = [r.id for r in checklist.rules] + [FLAGS_ANCHOR]
    expected += [f"flag-{flag_id}" for flag_id in checklist.flags]
    assert sorted(expected) == sorted(anchors(text))
    assert len(set(expected)) == len(expected)


def test_rule_text_is_the_callers() -> None:
    def shouted(checked: Rule) -> str:
        return escape_text(checked.id.upper())

    text = render_method_page(CHECKLIST, ENGLISH, shouted)
    assert "'''Why:''' STATUS-MISSING<br />" in text
    assert "Why status-missing matters" not in text


def test_every_check_has_a_description() -> None:
    assert sorted(set(CHECKS) - {"licence_kind"}) == sorted(CHECK_MESSAGES)
    assert sorted(kind.value for kind in LicenceKind) == sorted(LICENCE_MESSAGES)


def test_an_unknown_check_is_still_described(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(CHECK_MESSAGES, "required")
    assert describe_check(CHECKLIST.rule("status-missing"), ENGLISH) == (
        "The bot's check <code>required</code>."
    )


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        ("Goals", "Goals"),
        ("Tips for constructing a partnership", "Tips_for_constructing_a_partnership"),
        ("How/When/Why do you consider saying no?", "How/When/Why_do_you_consider_saying_no?"),
        ("6. ...or not!", "6._...or_not!"),
        ("Goals and [brackets] | pipes", "Goals_and_%5Bbrackets%5D_%7C_pipes"),
        ("Écrire", "%C3%89crire"),
    ],
)
def test_section_fragment(section: str, fragment: str) -> None:
    assert fragment == section_fragment(section)


def test_plural_in_the_page_intro() -> None:
    one_rule = Checklist(CHECKLIST.rules[:1], {})
    text = render_method_page(one_rule, ENGLISH)
    assert text.startswith("This page lists the rule the partnership bot")
    assert "the 0 warning flags" in text
