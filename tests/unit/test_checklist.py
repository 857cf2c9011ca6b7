"""The checklist: rules as data, checked against partnership pages a coordinator would recognise.

Every rule has two wikitext fixtures under fixtures/rules/<rule-id>/: ``fires.wikitext``, where
the rule must report, and ``silent.wikitext``, a near miss where it must not. A fixture may
start with ``<!-- today: YYYY-MM-DD -->`` (default: 2026-06-01) and with
``<!-- without-rules: id, id -->`` to assess it with those rules left out of the checklist.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path

import pytest

from bot.checklist.assess import Checklist, assess_page
from bot.checklist.conditions import FIELDS, field_texts
from bot.checklist.licences import LicenceKind, classify_licence
from bot.checklist.predicates import Source
from bot.checklist.rules import ChecklistError
from bot.contract import REASONS, reason_key
from bot.i18n_files import load_bundles, load_messages
from bot.model import (
    Agreement,
    Finding,
    LedBy,
    ParsedPage,
    PartnershipRecord,
    PartnershipType,
    Problem,
    Scope,
    Severity,
    Status,
    WikiDate,
)
from bot.parse.coerce import PARAMETERS
from bot.parse.records import parse_page
from bot.render.finding_text import finding_text
from bot.resources import load_checklist

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST_PATH = ROOT / "config" / "checklist.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
DATA = Path(__file__).resolve().parent / "data"
#: Fingerprints of every eight-word run of the guidance, and its section titles, written by
#: scripts/guidance_fingerprints.py; the guidance text itself is not in the repository.
GUIDANCE_RUNS = frozenset((DATA / "guidance_8grams.txt").read_text(encoding="utf-8").split())
GUIDANCE_SECTIONS: dict[str, list[str]] = tomllib.loads(
    (DATA / "guidance_sections.toml").read_text(encoding="utf-8")
)
TODAY = dt.date(2026, 6, 1)

CHECKLIST = load_checklist(CHECKLIST_PATH)
RULE_IDS = [rule.id for rule in CHECKLIST.rules]
MESSAGES = load_bundles(areas=("checklist",))
ENGLISH = load_messages("en").text

#: Rule ids other parts of the project rely on.
REQUIRED_RULES = {
    # data
    "date-invalid", "date-order", "unknown-parameter", "duplicate-parameter", "status-invalid",
    "type-invalid", "ended-but-active", "status-missing",
    # parser problems
    "value-invalid", "positional-parameter", "value-not-literal", "multiple-infoboxes",
    "infobox-unparseable",
    # identity and fit
    "partner-missing", "lead-missing", "goals-missing", "benefit-one-sided", "contacts-missing",
    "partner-contribution-missing", "community-support-missing",
    # licence
    "license-not-free", "license-missing", "license-unrecognised",
    # agreement
    "agreement-missing", "agreement-too-informal-for-money", "individual-formal-contract",
    "agreement-renewal-overdue",
    # evaluation and communication
    "evaluation-plan-missing", "review-overdue", "announcement-missing", "report-missing",
    "decline-reason-missing",
    # risk
    "warning-flag", "flag-unknown", "coi-undisclosed", "international-not-coordinated",
    "exit-plan-missing",
    # follow-up and stats
    "follow-up-stale", "next-step-missing", "commons-category-missing",
}  # fmt: skip

#: Warning signs the guidance names, by the flag id that stands for each.
NAMED_WARNING_SIGNS = {
    # FAQ, saying no: the four warning flags, plus no volunteers and no partner contribution
    "sudden-deadline", "refuses-free-license", "expects-volunteer-outcomes",
    "shrinking-commitment", "no-volunteer-interest", "brand-exploitation",
    # slides: warning signs, dangerous promises, resisting
    "unacceptable-control", "tight-deadline", "no-benefit-to-wikimedia", "mission-conflict",
    "beyond-capacity", "promised-content", "blocks-community-response", "exclusive-commitment",
    "article-freeze", "wikipedia-only-permission", "single-point-of-failure",
    # WMF reflections: things to be careful about, historically critical concerns
    "unequal-investment", "conflict-of-interest", "restrictive-terms", "poor-user-experience",
    "insecure-technology", "third-party-tracking", "private-data-exposure",
    "link-placement-only", "registration-wall-links", "non-free-content", "electoral-politics",
    "confidentiality-demanded",
    # FAQ: international, individuals, what partners need to know
    "overpromising", "commits-for-others", "represents-wikipedia", "paid-editing-expected",
}  # fmt: skip


def _fixture_findings(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    today_match = re.search(r"<!-- today: (\d{4}-\d{2}-\d{2}) -->", text)
    today = dt.date.fromisoformat(today_match.group(1)) if today_match else TODAY
    checklist = CHECKLIST
    without = re.search(r"<!-- without-rules: ([^>]*) -->", text)
    if without:
        dropped = {item.strip() for item in without.group(1).split(",")}
        kept = tuple(rule for rule in CHECKLIST.rules if rule.id not in dropped)
        checklist = Checklist(kept, CHECKLIST.flags)
    page = parse_page(f"Partnerships/{path.parent.name}", text)
    assessments, page_findings = assess_page(checklist, page, today)
    findings = [*page_findings, *(f for a in assessments for f in a.findings)]
    return {finding.rule for finding in findings}


# --- every rule, on real wikitext --------------------------------------------------------------


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires_on_its_fixture(rule_id: str) -> None:
    assert rule_id in _fixture_findings(FIXTURES / rule_id / "fires.wikitext")


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_stays_silent_on_its_near_miss(rule_id: str) -> None:
    assert rule_id not in _fixture_findings(FIXTURES / rule_id / "silent.wikitext")


def test_every_rule_has_both_fixtures_and_no_fixture_is_orphaned() -> None:
    expected = {(rule_id, kind) for rule_id in RULE_IDS for kind in ("fires", "silent")}
    present = {(p.parent.name, p.stem) for p in FIXTURES.glob("*/*.wikitext")}
    assert expected == present


def test_shipped_checklist_has_every_rule_the_project_relies_on() -> None:
    assert set() == REQUIRED_RULES - set(RULE_IDS)


def test_every_parser_problem_kind_has_a_rule() -> None:
    parser_rules = {"parser_problem", "unclaimed_parser_problem"}
    claimed = {r.id for r in CHECKLIST.rules if r.check in parser_rules}
    assert {
        "date-invalid", "unknown-parameter", "duplicate-parameter", "status-invalid",
        "type-invalid", "value-invalid", "positional-parameter", "value-not-literal",
        "multiple-infoboxes", "infobox-unparseable", "infobox-uncertain", "problem-other",
    } == claimed  # fmt: skip


def test_checklist_fields_are_the_parser_parameters() -> None:
    assert set(PARAMETERS) == set(FIELDS)


# --- guidance: sources, own words, flag vocabulary ---------------------------------------------


def _fingerprints(text: str) -> dict[str, str]:
    """Return fingerprint -> run for every eight-word run of ``text``, as
    scripts/guidance_fingerprints.py computes them (case-folded runs of letters and digits)."""
    words = re.findall(r"[^\W_]+", text.casefold())
    runs = (" ".join(words[i : i + 8]) for i in range(len(words) - 7))
    return {hashlib.sha256(run.encode()).hexdigest()[:16]: run for run in runs}


def _own_texts() -> list[tuple[str, str]]:
    infobox = load_bundles(areas=("infobox",))["en"]
    texts = [*MESSAGES["en"].items(), *infobox.items()]
    texts += [
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "wiki_templates").rglob("*.wikitext"))
    ]
    return texts


def test_the_guidance_fingerprints_hash_the_way_this_test_does() -> None:
    # Every committed section title is text of the guidance, so each eight-word run of a long
    # title must be among the fingerprints; otherwise the test below could never fail.
    long_titles = [t for titles in GUIDANCE_SECTIONS.values() for t in titles if len(t) > 60]
    assert len(long_titles) >= 3
    for title in long_titles:
        assert set(_fingerprints(title)) <= GUIDANCE_RUNS, title
    assert len(GUIDANCE_RUNS) > 10_000


def test_no_message_or_doc_page_copies_a_run_of_eight_words_from_the_guidance() -> None:
    copied = [
        (owner, run)
        for owner, text in _own_texts()
        for fingerprint, run in _fingerprints(text).items()
        if fingerprint in GUIDANCE_RUNS
    ]
    assert copied == []


def _sources() -> list[tuple[str, Source]]:
    return [(r.id, r.source) for r in CHECKLIST.rules] + [
        (f.id, f.source) for f in CHECKLIST.flags.values()
    ]


def _is_cited_heading(section: str, heading: str) -> bool:
    """A section is cited by its heading, or by the heading's first question(s)."""
    return section == heading or (heading.startswith(section) and section.endswith(("?", "!")))


@pytest.mark.parametrize(("owner", "source"), _sources(), ids=[o for o, _ in _sources()])
def test_cited_section_is_a_heading_of_the_cited_guidance_page(owner: str, source: Source) -> None:
    headings = GUIDANCE_SECTIONS[source.page]
    assert any(_is_cited_heading(source.section, heading) for heading in headings)
    assert source.url.startswith("https://meta.wikimedia.org/wiki/")


def test_flag_vocabulary_covers_every_warning_sign_the_guidance_names() -> None:
    assert set() == NAMED_WARNING_SIGNS - set(CHECKLIST.flags)


def test_finding_source_reads_page_and_section() -> None:
    record = PartnershipRecord(page="Partnerships/X", partner="X", status=Status.ACTIVE)
    finding = _finding(record, "exit-plan-missing")
    expected = "Partnerships for Wikimedians § Tips and best practices for running partnerships"
    assert expected == finding.source


# --- the engine, on records built directly -----------------------------------------------------


def _record_of(fixture: str) -> PartnershipRecord:
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    return parse_page("Partnerships/Example", text).records[0]


def _healthy() -> PartnershipRecord:
    """Return the active content donation that passes every rule on TODAY."""
    return _record_of("lead-missing/silent.wikitext")


def _rules(record: PartnershipRecord, today: dt.date = TODAY) -> list[str]:
    return [finding.rule for finding in CHECKLIST.assess(record, today).findings]


def _finding(record: PartnershipRecord, rule_id: str) -> Finding:
    findings = [f for f in CHECKLIST.assess(record, TODAY).findings if f.rule == rule_id]
    assert len(findings) == 1
    return findings[0]


def test_healthy_active_partnership_passes_every_applicable_rule() -> None:
    assessment = CHECKLIST.assess(_healthy(), TODAY)
    assert assessment.findings == ()
    assert assessment.score.passed == assessment.score.applicable > 30


def test_score_counts_a_failed_rule_once_however_many_findings() -> None:
    record = dataclasses.replace(_healthy(), benefit_partner="", benefit_wikimedia="")
    assessment = CHECKLIST.assess(record, TODAY)
    expected = ["benefit-one-sided", "benefit-one-sided"]
    assert expected == [f.rule for f in assessment.findings]
    assert assessment.score.applicable - 1 == assessment.score.passed


def test_record_without_status_gets_only_rules_for_every_stage() -> None:
    record = dataclasses.replace(_healthy(), status=None, agreement=None)
    assessment = CHECKLIST.assess(record, TODAY)
    rules_for_every_stage = [
        rule
        for rule in CHECKLIST.rules
        if rule.statuses is None
        and (rule.types is None or rule.types & set(record.types))
        and all(set(field_texts(getattr(record, FIELDS[k]))) & v for k, v in rule.when.items())
    ]
    assert len(rules_for_every_stage) == assessment.score.applicable
    expected = ["status-missing"]
    assert expected == [f.rule for f in assessment.findings]


def test_paused_record_is_still_assessed() -> None:
    record = dataclasses.replace(_healthy(), bot=False, exit_plan="")
    expected = ["exit-plan-missing"]
    assert expected == _rules(record)


def test_findings_follow_rule_order_then_field() -> None:
    record = dataclasses.replace(
        _healthy(), exit_plan="", partner="", contact_partner="", contact_wikimedia=()
    )
    expected = [
        ("partner-missing", "partner"),
        ("contacts-missing", "contact_partner"),
        ("contacts-missing", "contact_wikimedia"),
        ("exit-plan-missing", "exit_plan"),
    ]
    assert expected == [(f.rule, f.field) for f in CHECKLIST.assess(record, TODAY).findings]


def test_rule_with_when_condition_does_not_count_when_condition_fails() -> None:
    led_by_affiliate = CHECKLIST.assess(_healthy(), TODAY).score.applicable
    foundation = dataclasses.replace(_healthy(), led_by=LedBy.FOUNDATION)
    individual = dataclasses.replace(_healthy(), led_by=LedBy.INDIVIDUAL)
    # affiliate-missing drops out; for an individual, three rules about individuals come in
    assert led_by_affiliate - 1 == CHECKLIST.assess(foundation, TODAY).score.applicable
    assert led_by_affiliate - 1 + 3 == CHECKLIST.assess(individual, TODAY).score.applicable


def test_parser_problem_becomes_finding_with_its_reason_and_parameters() -> None:
    problem = Problem("date-invalid", "start_date", "not-a-date", ("Spring 2025",))
    record = dataclasses.replace(_healthy(), problems=(problem,))
    finding = _finding(record, "date-invalid")
    expected = (Severity.ERROR, "start_date", "not-a-date", ("Spring 2025",))
    assert expected == (finding.severity, finding.field, finding.reason, finding.params)


def test_finding_sentence_is_composed_from_the_messages() -> None:
    problem = Problem("date-invalid", "start_date", "not-a-date", ("Spring 2025",))
    finding = _finding(dataclasses.replace(_healthy(), problems=(problem,)), "date-invalid")
    expected = (
        MESSAGES["en"]["partnerbot-checklist-rule-date-invalid"]
        + " “Spring 2025” is not a date; write YYYY-MM-DD, or YYYY-MM for a month."
    )
    assert expected == finding_text(finding, ENGLISH)


def test_unclaimed_parser_problem_is_not_lost() -> None:
    odd = Problem("new-kind", "name", "unknown-ignored", ("odd",))
    record = dataclasses.replace(_healthy(), problems=(odd,))
    expected = ["problem-other"]
    assert expected == _rules(record)


def test_page_problems_become_page_findings_without_index() -> None:
    page = ParsedPage("P", None, (), (Problem("multiple-infoboxes", None, "infobox-count", (2,)),))
    (finding,) = CHECKLIST.page_findings(page)
    expected = ("P", None, "multiple-infoboxes")
    assert expected == (finding.page, finding.index, finding.rule)


# --- warning flags -----------------------------------------------------------------------------


def test_each_declared_flag_is_one_finding_with_its_own_explanation_and_source() -> None:
    flags = ("exclusive-commitment", "article_freeze", "Exclusive commitment")
    record = dataclasses.replace(_healthy(), flags=flags)
    findings = [f for f in CHECKLIST.assess(record, TODAY).findings if f.rule == "warning-flag"]
    expected = [CHECKLIST.flags["exclusive-commitment"], CHECKLIST.flags["article-freeze"]]
    assert [(flag.id, str(flag.source)) for flag in expected] == [
        (f.flag, f.source) for f in findings
    ]
    en = MESSAGES["en"]
    assert [
        en[f"partnerbot-checklist-flag-{flag.id}-label"]
        + ": "
        + en[f"partnerbot-checklist-flag-{flag.id}-explanation"]
        for flag in expected
    ] == [finding_text(f, ENGLISH) for f in findings]


@pytest.mark.parametrize("declared", ["article-freeze", "article_freeze", "Article freeze"])
def test_flag_is_found_however_the_editor_spelt_its_id(declared: str) -> None:
    assert CHECKLIST.flags["article-freeze"] is CHECKLIST.flag_for(declared)


def test_unknown_flag_is_reported_with_a_suggestion() -> None:
    record = dataclasses.replace(_healthy(), flags=("exclusive-comitment",))
    finding = _finding(record, "flag-unknown")
    expected = ("flag-did-you-mean", ("exclusive-comitment", "exclusive-commitment"))
    assert expected == (finding.reason, finding.params)
    assert "did you mean exclusive-commitment?" in finding_text(finding, ENGLISH)


# --- licences ----------------------------------------------------------------------------------

FREE = ["CC BY-SA 4.0", "CC-BY-SA-4.0", "cc by-sa 3.0", "CC BY 4.0", "CC0 1.0", "CC0",
        "Public domain", "PD", "PD-old-70", "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by/4.0/", "GFDL 1.3 and CC BY-SA 4.0",
        "CC BY-SA 4.0 (permission confirmed by e-mail to the VRT)", "ODbL 1.0",
        "Open Government Licence v3.0"]  # fmt: skip
NON_FREE = ["CC BY-NC-SA 4.0", "CC BY-NC 4.0", "CC BY-ND 4.0", "cc-by-nc-nd-3.0",
            "Creative Commons Attribution-NonCommercial 4.0", "Permission for Wikipedia only",
            "CC BY-SA 4.0, for Wikipedia use", "All rights reserved", "© Regional Archive",
            "Permission granted to the chapter", "Educational use only",
            "https://creativecommons.org/licenses/by-nc/4.0/",
            "Non-commercial reuse allowed"]  # fmt: skip


@pytest.mark.parametrize("text", FREE)
def test_free_licence_is_accepted(text: str) -> None:
    assert LicenceKind.FREE is classify_licence(text)[0]


@pytest.mark.parametrize("text", NON_FREE)
def test_non_free_licence_is_recognised(text: str) -> None:
    assert LicenceKind.NON_FREE is classify_licence(text)[0]


def test_nc_licence_is_an_error() -> None:
    record = dataclasses.replace(_healthy(), license="CC BY-NC-SA 4.0")
    finding = _finding(record, "license-not-free")
    assert Severity.ERROR is finding.severity
    assert (finding.reason, finding.params) == ("licence-term", ("CC BY-NC-SA 4.0", "nc"))


def test_gfdl_alone_is_a_warning_not_an_error() -> None:
    record = dataclasses.replace(_healthy(), license="GFDL-only")
    expected = ["license-gfdl-only"]
    assert expected == _rules(record)
    assert Severity.WARNING is CHECKLIST.rule("license-gfdl-only").severity


@pytest.mark.parametrize("text", ["Creative Commons", "free licence", "Museum terms"])
def test_licence_without_a_recognisable_name_is_unrecognised(text: str) -> None:
    record = dataclasses.replace(_healthy(), license=text)
    expected = ["license-unrecognised"]
    assert expected == _rules(record)


# --- dates -------------------------------------------------------------------------------------


def _prospect(**changes: object) -> PartnershipRecord:
    base = _record_of("follow-up-stale/silent.wikitext")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("last_contact", "next_step_date", "stale"),
    [
        (WikiDate(2026, 5, 18), None, False),  # 14 days: still fine
        (WikiDate(2026, 5, 17), None, True),  # 15 days
        (WikiDate(2026, 5, 17), WikiDate(2026, 6, 1), False),  # next step is today
        (WikiDate(2026, 5, 17), WikiDate(2026, 5, 31), True),  # next step already passed
        (WikiDate(2026, 5), None, False),  # May 2026 may mean 31 May
        (WikiDate(2026, 4), WikiDate(2026, 6), False),  # next step some time this month
    ],
)
def test_follow_up_is_stale_after_two_weeks_without_a_next_step_ahead(
    last_contact: WikiDate, next_step_date: WikiDate | None, stale: bool
) -> None:
    record = _prospect(last_contact=last_contact, next_step_date=next_step_date)
    assert stale == ("follow-up-stale" in _rules(record))


def test_dates_in_the_same_month_are_not_out_of_order() -> None:
    record = dataclasses.replace(
        _healthy(), start_date=WikiDate(2025, 4), end_date=WikiDate(2025, 4, 1)
    )
    assert "date-order" not in _rules(record)


def test_review_without_next_date_is_due_a_year_after_the_last() -> None:
    record = dataclasses.replace(_healthy(), next_review=None, last_review=WikiDate(2025, 5, 31))
    expected = ["review-overdue"]
    assert expected == _rules(record)
    assert _rules(dataclasses.replace(record, last_review=WikiDate(2025, 6, 1))) == []


def test_funding_type_counts_as_money_unless_money_exchanged_says_no() -> None:
    types = (PartnershipType.FUNDING,)
    record = dataclasses.replace(_healthy(), types=types, agreement=Agreement.EMAIL)
    assert "agreement-too-informal-for-money" in _rules(
        dataclasses.replace(record, money_exchanged=None)
    )
    assert "agreement-too-informal-for-money" not in _rules(record)  # money_exchanged = no


def test_international_partnership_asks_for_both_wmf_and_affiliates() -> None:
    record = dataclasses.replace(_healthy(), scope=Scope.INTERNATIONAL, wmf_informed=True)
    finding = _finding(record, "international-not-coordinated")
    expected = "affiliates_informed"
    assert expected == finding.field


# --- loading -----------------------------------------------------------------------------------

VALID = """
[sources.faq]
page = "Partnerships & Resource Development/Questions"
url = "https://meta.wikimedia.org/wiki/Partnerships_%26_Resource_Development/Questions"

[[rules]]
id = "goals-missing"
severity = "warning"
check = "required"
field = "goals"
statuses = ["active"]
types = "all"
source = "faq"
section = "How do I start partnerships?"
"""


def _load(tmp_path: Path, text: str) -> Checklist:
    path = tmp_path / "checklist.toml"
    path.write_text(text, encoding="utf-8")
    return load_checklist(path)


def test_minimal_checklist_loads(tmp_path: Path) -> None:
    checklist = _load(tmp_path, VALID)
    rule = checklist.rule("goals-missing")
    assert (frozenset({Status.ACTIVE}), None, "goals") == (rule.statuses, rule.types, rule.field)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('check = "required"', 'check = "eval"'), "rule 'goals-missing': key 'check'"),
        (('severity = "warning"', 'severity = "fatal"'), "rule 'goals-missing': key 'severity'"),
        (('statuses = ["active"]', 'statuses = ["live"]'), "rule 'goals-missing': key 'statuses'"),
        (('types = "all"', 'types = ["glam"]'), "rule 'goals-missing': key 'types'"),
        (('field = "goals"', 'field = "aims"'), "rule 'goals-missing': key 'field'"),
        (('source = "faq"', 'source = "blog"'), "rule 'goals-missing': key 'source'"),
        (('id = "goals-missing"', 'id = "Goals missing"'), "rule #1: key 'id'"),
        (('types = "all"', 'types = "all"\nurl = "x"'), "rule 'goals-missing': key 'url'"),
        (('field = "goals"', 'params = { fields = "goals" }'), "key params.fields"),
        (('field = "goals"', 'params = { field = "goals" }'), "key params.field:"),
        (('types = "all"', 'types = "all"\nwhen = { led_by = ["someone"] }'), "key 'when.led_by'"),
    ],
)  # fmt: skip
def test_bad_rule_is_rejected_naming_rule_and_key(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in VALID
    with pytest.raises(ChecklistError, match=re.escape(expected)):
        _load(tmp_path, VALID.replace(old, new))


def test_duplicate_rule_id_is_rejected(tmp_path: Path) -> None:
    rule = VALID[VALID.index("[[rules]]") :]
    with pytest.raises(
        ChecklistError, match=re.escape("rule 'goals-missing': key 'id': duplicate")
    ):
        _load(tmp_path, VALID + rule)


def test_bad_param_type_is_rejected(tmp_path: Path) -> None:
    text = VALID.replace(
        'check = "required"', 'check = "follow_up_stale"\nparams = { max_days = "two weeks" }'
    )
    with pytest.raises(
        ChecklistError, match=re.escape("rule 'goals-missing': key params.max_days")
    ):
        _load(tmp_path, text)


def test_invalid_toml_is_a_checklist_error(tmp_path: Path) -> None:
    with pytest.raises(ChecklistError, match="not valid TOML"):
        _load(tmp_path, VALID + "\n[[rules]\n")


def test_shipped_checklist_parses_as_plain_toml_with_every_rule_sourced() -> None:
    data = tomllib.loads(CHECKLIST_PATH.read_text(encoding="utf-8"))
    assert len(data["rules"]) == len(RULE_IDS)
    assert all(rule["source"] in data["sources"] for rule in data["rules"])


# --- messages ------------------------------------------------------------------------------------


def _message_keys() -> set[str]:
    keys = {f"partnerbot-checklist-rule-{rule_id}" for rule_id in RULE_IDS}
    for flag_id in CHECKLIST.flags:
        keys |= {
            f"partnerbot-checklist-flag-{flag_id}-label",
            f"partnerbot-checklist-flag-{flag_id}-explanation",
        }
    keys |= {reason_key(reason) for reason in REASONS}
    keys |= {"partnerbot-checklist-finding-reason", "partnerbot-checklist-finding-flag"}
    keys |= {
        f"partnerbot-checklist-report-{name}" for name in ("page", "no-infobox", "infobox", "total")
    }
    return keys


@pytest.mark.parametrize("language", ["en", "fr", "qqq"])
def test_every_rule_flag_and_reason_has_a_message_in_each_language(language: str) -> None:
    assert _message_keys() == set(MESSAGES[language])
    assert all(text.strip() for text in MESSAGES[language].values())


def test_french_messages_use_the_same_parameters_as_the_english_ones() -> None:
    for key, english in MESSAGES["en"].items():
        assert set(re.findall(r"\$\d", english)) == set(re.findall(r"\$\d", MESSAGES["fr"][key])), (
            key
        )


def test_each_reason_message_uses_every_parameter_of_the_reason() -> None:
    for reason, names in REASONS.items():
        used = set(re.findall(r"\$(\d)", MESSAGES["en"][reason_key(reason)]))
        assert {str(n) for n in range(1, len(names) + 1)} == used, reason


def test_checklist_file_holds_no_sentences_for_people() -> None:
    data = tomllib.loads(CHECKLIST_PATH.read_text(encoding="utf-8"))
    assert all("message" not in rule for rule in data["rules"])
    assert all(set(flag) == {"source", "section"} for flag in data["flags"].values())
