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
from bot.i18n_files import load_messages
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

REAL = load_checklist(ROOT / "config" / "checklist.toml")
#: One rule for each kind of description, and two flags: small, so the golden file reads well.
SAMPLE_RULES = (
    "infobox-unparseable",
    "status-missing",
    "benefit-one-sided",
    "affiliate-missing",
    "individual-without-backup",
    "date-order",
    "review-overdue",
    "license-not-free",
    "warning-flag",
)
CHECKLIST = Checklist(
    tuple(rule for rule in REAL.rules if rule.id in SAMPLE_RULES),
    {flag_id: REAL.flags[flag_id] for flag_id in sorted(REAL.flags)[:2]},
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
