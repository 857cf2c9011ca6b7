"""One judge: the infobox's own checks agree with the bot's parser and checklist, item by item.

Hundreds of generated infoboxes, with the spellings people really write (``onhold``, ``On hold``,
``2024-02-30``, ``2024-2-3``, ``Spring 2024``, an empty ``||``, ``|Status=``, near-miss
parameter names, names with links and italics...), are rendered through the parse API of the
local wiki. For each infobox, the findings of its own checks (``data-origin="infobox"``: their
``data-rule``, ``data-field``, ``data-reason`` and ``data-suggestion``) must be exactly the
findings of the bot's parser and checklist for the rules the infobox applies itself
(:func:`bot.checklist.instant.instant_rules`), with the same suggested value or name.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.checklist.instant import instant_rules
from bot.contract import named_params
from bot.parse.records import parse_page
from bot.resources import load_checklist, load_template_pages
from bot.run.jobs import install_templates
from bot.settings import Settings
from tests.wiki.client import WikiClient
from tests.wiki.infobox_html import boxes, finding_items

ROOT = Path(__file__).resolve().parents[2]
PAGES = load_template_pages(ROOT / "wiki_templates")
CHECKLIST = load_checklist(ROOT / "config" / "checklist.toml")
INSTANT = frozenset(rule.rule for rule in instant_rules(CHECKLIST))
TODAY = dt.date(2026, 6, 1)
WRAPPER = "Partnership infobox judge test"
TITLE = "Partnerships/Judge test"
BATCH = 25

#: One parameter as written: (name, value); name None is positional, "" an empty name.
Param = tuple[str | None, str]
#: (rule, field, reason, suggestion)
Finding = tuple[str, str, str, str]

NAMES = ["Harbour Museum residency", "[[Harbour Museum]] residency", "[[Harbour Museum|museum]]",
         "''Harbour'' residency", "'''Bold''' name", "Zoë & Co", ""]  # fmt: skip
PARTNERS = ["Harbour Museum", "[[Harbour Museum]]", "", "-", "N/A", "?", "''Museum''"]
STATUSES = ["active", "onhold", "On hold", "on-hold", "ON_HOLD", "on hold", " negotiating ",
            "Ended", "sleeping", "", "-", "TBD", "prospect", "contacted", "declined",
            "terminated", "agreed", "concluded", "researching", "on__hold", "on - hold",
            "Active!", "\u00a0active", "activ", "Negociating", "conclued", "on hols"]  # fmt: skip
TYPES = ["outreach", "content_donation, outreach", "Content donation", "content-donation",
         "picnic", "outreach, picnic, tea", ",", "", "in kind", "collective impact", "funding",
         "other, other", "residency,", "Funding , access", "umbrella; outreach",
         "outreech, residncy"]  # fmt: skip
DATES = ["2024-02-30", "2024-2-3", "Spring 2024", "2024-02", "2024-02-29", "2023-02-29",
         "1999-12-31", "2101-01-01", "2024-13", "2024-00", "2024-06-15", "", "?",
         "31/12/2024", "2024-06-15T00:00", "2024-06-15 ", "2000-01-01", "2100-12-31",
         "２０２４-01-01"]  # fmt: skip
BOOLEANS = ["yes", "no", "Yes", "y", "N", "true", "1", "0", "maybe", "on", "", "-", "YES "]
COUNTS = ["2", "0", "-1", "two", "1.5", "١٢", "", "007"]
QIDS = ["Q42", "q42", "d:Q42", "wikidata:Q42", "https://www.wikidata.org/wiki/Q42",
        "[[d:Q42|Q42]]", "Q0", "42", "Q42x", "http://wikidata.org/entity/Q7", ""]  # fmt: skip
DOMAINS = ["example.org", "https://www.example.org/path", "example.org, museum.example.org",
           "not a domain", "http://", "example.org:8080", "user@example.org", "-",
           "EXAMPLE.org.", "exa mple.org, good.org", "//cdn.example.org/x"]  # fmt: skip
FLAGS = ["tight-deadline", "Tight deadline", "tight_deadline", "tite-deadline",
         "brand exploitation, promised content", "unknown-flag", "", "article freeze, zzz",
         "Overpromising"]  # fmt: skip
LED_BY = ["affiliate", "Individual", "foundation", "someone", ""]
SCOPES = ["international", "local", "global", "National", ""]
AGREEMENTS = ["mou", "MoU", "contract", "handshake", "", "e-mail", "email"]
EVALUATIONS = ["checkins, metrics", "survey, vibes", "", "mou-review", "check-ins"]
UNKNOWN = ["stauts", "Status", "partner type", "start-date", "Goal", "colour", "led by",
           "flag", "notes", "Partner", "NAME", "end date", "licence", "wmf informed",
           "commons_categroy", "xyz", "website", "Website", "qid", "category", "date",
           "contact", "review"]  # fmt: skip
TEXTS = ["Some text", "", "-", "n/a", "[[A link]]", "''In italics''", "?"]
DATE_FIELDS = ["first_contact", "last_contact", "next_step_date", "start_date", "end_date",
               "agreement_date", "agreement_renewal", "last_review", "next_review"]  # fmt: skip
TEXT_FIELDS = ["goals", "benefit_wikimedia", "benefit_partner", "partner_contribution",
               "wikimedia_contribution", "contact_partner", "volunteers", "community_support",
               "coi", "exit_plan", "next_step", "affiliate", "announcement", "report",
               "decline_reason", "license"]  # fmt: skip
BOOLEAN_FIELDS = ["money_exchanged", "wmf_informed", "affiliates_informed", "notices", "bot"]


def spelling_cases() -> Iterator[list[Param]]:
    """Yield infoboxes that each try one spelling, on an otherwise plain active partnership."""
    base: list[Param] = [("name", "Harbour"), ("partner", "Harbour Museum"), ("type", "outreach")]
    for status in STATUSES:
        yield [*base, ("status", status)]
    for kind in TYPES:
        yield [("partner", "P"), ("status", "active"), ("type", kind)]
    for date in DATES:
        yield [*base, ("status", "active"), ("start_date", date)]
    for word in BOOLEANS:
        yield [*base, ("status", "active"), ("money_exchanged", word)]
    for name in UNKNOWN:
        yield [*base, ("status", "active"), (name, "x")]
    yield [*base, ("Status", "active")]
    yield [*base, ("Status", "")]
    yield [*base, ("status", "active"), (None, "")]
    yield [*base, ("status", "active"), (None, "stray text")]
    yield [*base, ("status", "active"), (None, " ")]
    yield [*base, ("status", "active"), ("", "orphan")]
    yield [("name", "Only a name"), ("status", "active")]
    yield [("partner", "Only a partner"), ("status", "active")]
    yield [("name", "Both"), ("partner", "Both partner"), ("status", "active")]
    for name in NAMES:
        yield [("name", name), ("partner", "P"), ("status", "contacted"), ("type", "access")]


def random_case(chance: random.Random) -> list[Param]:
    """Return an infobox with a random choice of parameters and spellings."""
    params: list[Param] = []

    def maybe(name: str, values: list[str], probability: float = 0.6) -> None:
        if chance.random() < probability:
            params.append((name, chance.choice(values)))

    maybe("name", NAMES, 0.7)
    maybe("partner", PARTNERS, 0.8)
    maybe("status", STATUSES, 0.85)
    maybe("type", TYPES, 0.7)
    maybe("led_by", LED_BY, 0.5)
    maybe("scope", SCOPES, 0.4)
    maybe("agreement", AGREEMENTS, 0.4)
    maybe("evaluation", EVALUATIONS, 0.3)
    maybe("partner_qid", QIDS, 0.25)
    maybe("commons_depth", COUNTS, 0.2)
    maybe("link_domains", DOMAINS, 0.25)
    maybe("flags", FLAGS, 0.3)
    maybe("contact_wikimedia", ["Example user", "User:Example", "", "?"], 0.4)
    for field in chance.sample(DATE_FIELDS, chance.randint(0, 3)):
        params.append((field, chance.choice(DATES)))
    for field in chance.sample(TEXT_FIELDS, chance.randint(0, 6)):
        params.append((field, chance.choice(TEXTS)))
    for field in chance.sample(BOOLEAN_FIELDS, chance.randint(0, 2)):
        params.append((field, chance.choice(BOOLEANS)))
    if chance.random() < 0.25:
        params.append((chance.choice(UNKNOWN), "value"))
    if chance.random() < 0.15:
        params.append((None, chance.choice(["", "stray", " "])))
    chance.shuffle(params)
    return params


def all_cases() -> list[list[Param]]:
    chance = random.Random(20260601)  # noqa: S311 - a fixed, repeatable choice of test cases
    return [*spelling_cases(), *(random_case(chance) for _ in range(220))]


def wikitext(params: list[Param]) -> str:
    lines = [f"|{value}" if name is None else f"|{name}={value}" for name, value in params]
    return "{{" + WRAPPER + "\n" + "\n".join(lines) + "\n}}"


def bot_findings(text: str) -> Counter[Finding]:
    """Return the bot's findings for the instant rules: (rule, field, reason, suggestion)."""
    (record,) = parse_page(TITLE, text, template_names=[WRAPPER]).records
    found = CHECKLIST.assess(record, TODAY).findings
    return Counter(
        (
            f.rule,
            f.field or "",
            f.reason,
            str(named_params(f.reason, f.params).get("suggestion", "")),
        )
        for f in found
        if f.rule in INSTANT
    )


def infobox_findings(box: str) -> Counter[Finding]:
    """Return the findings of the infobox's own checks."""
    return Counter(
        (
            item["data-rule"],
            item["data-field"],
            item["data-reason"],
            item.get("data-suggestion", ""),
        )
        for item in finding_items(box)
        if item["data-origin"] == "infobox"
    )


@pytest.fixture(scope="module")
def wiki(admin_api: WikiClient, wiki_settings: Settings) -> WikiClient:
    """Return the admin client, the templates installed and a wrapper without findings data."""
    install_templates(wiki_settings)
    admin_api.post(action="purge", titles="|".join(PAGES), forcelinkupdate=1)
    base = "Module:Partnership infobox/judge test never written.json"
    admin_api.edit(
        f"Template:{WRAPPER}", f"{{{{#invoke:Partnership infobox|main|findings={base}}}}}"
    )
    return admin_api


def test_the_infobox_and_the_bot_find_the_same_problems(wiki: WikiClient) -> None:
    cases = all_cases()
    texts = [wikitext(params) for params in cases]
    shown: list[str] = []
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        parsed = wiki.parse("\n".join(batch), title=TITLE)
        assert "scribunto-error" not in parsed["text"]
        found = boxes(parsed["text"])
        assert len(found) == len(batch)
        shown.extend(found)

    disagreements = []
    compared = findings = suggestions = 0
    for text, box in zip(texts, shown, strict=True):
        expected, got = bot_findings(text), infobox_findings(box)
        compared += 1
        findings += sum(expected.values())
        suggestions += sum(n for finding, n in expected.items() if finding[3])
        if expected != got:
            disagreements.append((text, sorted(expected.elements()), sorted(got.elements())))
    assert len(cases) >= 200
    assert findings > 1000
    assert suggestions > 50
    assert disagreements == []
    assert compared == len(cases)


def test_the_cases_cover_the_spellings_that_used_to_disagree() -> None:
    texts = "\n".join(wikitext(params) for params in all_cases())

    for written in ("status=onhold", "status=On hold", "status=on-hold", "=2024-02-30",
                    "=2024-2-3", "=Spring 2024", "\n|\n", "|Status=", "|stauts=",
                    "|name=[[Harbour Museum]]", "|name=''Harbour''", "status=activ",
                    "|website="):  # fmt: skip
        assert written in texts, written
    statuses = Counter(
        rule for params in all_cases() for rule, *_ in bot_findings(wikitext(params))
    )
    expected = {
        "status-invalid", "status-missing", "partner-missing", "unknown-parameter",
        "positional-parameter", "date-invalid", "flag-unknown", "value-invalid", "type-invalid",
        "type-missing", "lead-missing", "international-not-coordinated", "contact-date-missing",
    }  # fmt: skip
    assert set() == expected - set(statuses)
    reasons = {
        reason for params in all_cases() for _, _, reason, _ in bot_findings(wikitext(params))
    }
    suggesting = {"value-did-you-mean", "unknown-did-you-mean", "unknown-case-sensitive"}
    assert set() == (suggesting | {"flag-did-you-mean", "not-in-vocabulary"}) - reasons
