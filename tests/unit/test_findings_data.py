"""The findings data pages the infobox reads: compact, lossless, split under a byte limit.

The helpers ``records_for`` and ``shown`` follow the lookup and display rules of
``Module:Partnership infobox`` step by step, so these tests read the pages as the infobox does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from bot.devwiki.seed import SAMPLES_DIR, sample_pages
from bot.model import Assessment, Finding, PartnershipRecord, Score, Severity
from bot.parse.records import parse_page
from bot.render.findings_json import (
    DETAIL_LIMIT,
    FlagInfo,
    RuleInfo,
    build_findings_pages,
    flag_infos,
    rule_infos,
    shard_of,
    shard_title,
    with_detail,
)
from bot.resources import load_checklist

BASE = "Module:Partnership infobox/findings.json"
CHECKLIST = Path(__file__).resolve().parents[2] / "config" / "checklist.toml"
FAQ = "Partnerships & Resource Development/Questions"
FAQ_URL = "https://meta.wikimedia.org/wiki/Partnerships_%26_Resource_Development/Questions"
RULES = {
    "status-missing": RuleInfo("error", "The status is missing.", f"{FAQ} § Stages", FAQ_URL),
    "goals-vague": RuleInfo("warning", "Goals should say what success looks like.", "Slides § 3"),
}
FLAGS = {
    "tight-deadline": FlagInfo(
        "Tight deadlines", "The partner wants results too fast.", f"{FAQ} § Saying no", FAQ_URL
    )
}


def finding(page: str, rule: str, message: str, **changes: Any) -> Finding:
    known = rule in RULES
    severity = Severity(RULES[rule].severity) if known else Severity.INFO
    source = RULES[rule].source if known else "Elsewhere § 1"
    plain = Finding(page, 0, rule, severity, "status", message, source)
    return dataclasses.replace(plain, **changes)


def assessment(page: str, *findings: Finding, index: int = 0, name: str = "") -> Assessment:
    record = PartnershipRecord(page=page, index=index, name=name or f"Partnership on {page}")
    return Assessment(record, findings, Score(max(0, 10 - len(findings)), 10))


def build(assessments: Sequence[Assessment], max_bytes: int = 1_800_000) -> dict[str, str]:
    return build_findings_pages(BASE, assessments, RULES, FLAGS, "2025-03-01", max_bytes)


def records_for(pages: Mapping[str, str], title: str) -> Any:
    """Return the records of ``title`` found as Module:Partnership infobox looks them up."""
    index = json.loads(pages[BASE])
    shards = index["shards"]
    found = index.get("pages")
    if shards > 1:
        shard = json.loads(pages[shard_title(BASE, shard_of(title, shards))])
        found = shard["pages"] if shard["shards"] == shards else None
    return None if found is None else found.get(title)


def shown(pages: Mapping[str, str], entry: list[str]) -> tuple[str, str, str]:
    """Return (severity, message, source) as the infobox shows a finding."""
    index = json.loads(pages[BASE])
    rule_id, _field, detail, mode = [*entry, "", "", ""][:4]
    rule = index["rules"].get(rule_id, {})
    severity, source = rule.get("severity", ""), rule.get("source", "")
    message = with_detail(rule.get("message", ""), detail)
    if "m" in mode:
        message = detail
    elif "f" in mode:
        flag = index["flags"][detail]
        message, source = f"{flag['label']}: {flag['explanation']}", flag["source"]
    for letter, name in (("e", "error"), ("w", "warning"), ("i", "info")):
        if letter in mode:
            severity = name
    if len(entry) > 4:
        source = entry[4]
    return severity, message, source


def test_few_partnerships_fit_on_the_index_page() -> None:
    pages = build([assessment("Partnerships/Museum")])

    assert list(pages) == [BASE]
    index = json.loads(pages[BASE])
    assert (index["shards"], index["version"]) == (1, 1)
    assert (index["pages"]["Partnerships/Museum"]) == [
        {"f": [], "i": 0, "n": "Partnership on Partnerships/Museum", "s": [10, 10]}
    ]


def test_text_is_what_mediawiki_stores_for_a_json_page() -> None:
    pages = build([assessment("A <b> & c", name="Tags <i> & ampersands")])

    text = pages[BASE]
    assert text.startswith('{\n\t"flags": {\n\t\t"tight-deadline": {\n\t\t\t"explanation"')
    assert "\\u003Cb\\u003E \\u0026 c" in text
    assert not any(char in text for char in "<>&")
    assert text == text.rstrip()
    assert json.loads(text)["pages"]["A <b> & c"][0]["n"] == "Tags <i> & ampersands"


def test_detail_added_to_the_rule_message_is_stored_alone() -> None:
    message = with_detail(RULES["status-missing"].message, "written as 'Spring'")
    pages = build([assessment("P", finding("P", "status-missing", message))])

    entry = records_for(pages, "P")[0]["f"][0]
    assert entry == ["status-missing", "status", "written as 'Spring'"]
    assert ("error", message, f"{FAQ} § Stages") == shown(pages, entry)


def test_plain_rule_message_needs_no_detail() -> None:
    pages = build([assessment("P", finding("P", "status-missing", "The status is missing."))])

    assert records_for(pages, "P")[0]["f"] == [["status-missing", "status"]]


def test_message_unlike_the_rule_message_is_stored_whole() -> None:
    pages = build([assessment("P", finding("P", "goals-vague", "Something else entirely."))])

    entry = records_for(pages, "P")[0]["f"][0]
    assert entry[3] == "m"
    assert shown(pages, entry) == ("warning", "Something else entirely.", "Slides § 3")


def test_warning_flag_message_is_stored_as_its_flag_id() -> None:
    message = "Tight deadlines: The partner wants results too fast."
    flagged = finding("P", "goals-vague", message, field="flags", source=f"{FAQ} § Saying no")
    pages = build([assessment("P", flagged)])

    entry = records_for(pages, "P")[0]["f"][0]
    assert entry == ["goals-vague", "flags", "tight-deadline", "f"]
    assert ("warning", message, f"{FAQ} § Saying no") == shown(pages, entry)


def test_severity_and_source_unlike_the_rule_are_kept() -> None:
    odd = finding(
        "P", "status-missing", "The status is missing.", severity=Severity.INFO, source="X § Y"
    )
    pages = build([assessment("P", odd)])

    entry = records_for(pages, "P")[0]["f"][0]
    assert shown(pages, entry) == ("info", "The status is missing.", "X § Y")


def test_finding_of_an_unknown_rule_brings_its_own_severity_and_source() -> None:
    pages = build([assessment("P", finding("P", "new-rule", "Look at this.", field=None))])

    entry = records_for(pages, "P")[0]["f"][0]
    assert shown(pages, entry) == ("info", "Look at this.", "Elsewhere § 1")


def test_source_pages_are_linked_through_the_sources_map() -> None:
    index = json.loads(build([])[BASE])

    assert index["sources"] == {FAQ: FAQ_URL}
    assert index["pages"] == {}


def test_page_level_findings_join_every_record_of_their_page() -> None:
    about_page = finding("P", "goals-vague", "Two infoboxes.", index=None, severity=Severity.INFO)
    broken = finding("Q", "goals-vague", "Braces.", index=None)
    pages = build_findings_pages(
        BASE,
        [assessment("P", index=0, name="One"), assessment("P", index=1, name="Two")],
        RULES,
        FLAGS,
        "",
        1_800_000,
        page_findings=[about_page, broken],
    )

    records = records_for(pages, "P")
    assert [[r["n"], len(r["f"])] for r in records] == [["One", 1], ["Two", 1]]
    assert (records_for(pages, "Q")) == [
        {"f": [["goals-vague", "status", "Braces.", "m"]], "i": -1, "n": "", "s": [0, 0]}
    ]


def test_titles_are_stored_with_spaces_not_underscores() -> None:
    pages = build([assessment("Partnerships/Harbour_Museum")])

    assert records_for(pages, "Partnerships/Harbour Museum") is not None


def test_control_characters_and_broken_unicode_do_not_reach_the_page() -> None:
    message = with_detail(RULES["status-missing"].message, "bad\x00value\n\ud800here e\u0301")
    pages = build([assessment("P", finding("P", "status-missing", message))])

    entry = records_for(pages, "P")[0]["f"][0]
    assert entry[2] == "bad value ?here \u00e9"
    pages[BASE].encode("utf-8")


def test_long_detail_is_cut_with_an_ellipsis() -> None:
    message = with_detail(RULES["status-missing"].message, "x" * 1000)
    pages = build([assessment("P", finding("P", "status-missing", message))])

    detail = records_for(pages, "P")[0]["f"][0][2]
    assert (len(detail), detail[-1]) == (DETAIL_LIMIT, "…")


def test_same_results_in_any_order_give_identical_pages() -> None:
    results = [assessment(f"Page {n}", finding(f"Page {n}", "goals-vague", "x")) for n in range(50)]
    shuffled = results[17:][::-1] + results[:17]

    assert build(results, 4000) == build(shuffled, 4000)


def test_many_partnerships_are_split_into_shards_under_the_limit() -> None:
    results = [
        assessment(f"Partnerships/Partner {n}", finding(f"Partnerships/Partner {n}", "goals-vague",
                   with_detail(RULES["goals-vague"].message, f"goal {n}")))
        for n in range(2000)
    ]  # fmt: skip
    pages = build(results, 60_000)

    index = json.loads(pages[BASE])
    assert [*(shard_title(BASE, n) for n in range(index["shards"])), BASE] == list(pages)
    assert "pages" not in index
    assert all(len(text.encode("utf-8")) <= 60_000 for text in pages.values())
    for n in (0, 777, 1999):
        record = records_for(pages, f"Partnerships/Partner {n}")[0]
        assert ["goals-vague", "status", f"goal {n}"] == record["f"][0]


def test_ten_thousand_partnerships_fit_in_a_few_pages() -> None:
    results = [
        assessment(f"Partnerships/Partner number {n}", *(
            finding(f"Partnerships/Partner number {n}", "status-missing",
                    with_detail(RULES["status-missing"].message, f"value {k}"))
            for k in range(n % 7)))
        for n in range(10_000)
    ]  # fmt: skip
    pages = build(results, 1_800_000)

    assert len(pages) <= 5
    assert all(len(text.encode("utf-8")) <= 1_800_000 for text in pages.values())


def test_page_with_too_many_findings_keeps_its_score_and_counts_the_rest() -> None:
    many = [
        finding("Big", "status-missing", with_detail(RULES["status-missing"].message, f"n{k}"))
        for k in range(500)
    ]
    pages = build([assessment("Big", *many), assessment("Small")], 8000)

    record = records_for(pages, "Big")[0]
    assert len(record["f"]) + record["x"] == 500
    assert 0 < len(record["f"]) < 500
    assert record["s"] == [0, 10]
    assert all(len(text.encode("utf-8")) <= 8000 for text in pages.values())


def test_shards_divide_similar_titles_evenly() -> None:
    for shards in (2, 3, 5, 10):
        counts = Counter(shard_of(f"Partnerships/Partner {n}", shards) for n in range(3000))
        assert set(range(shards)) == set(counts)
        assert max(counts.values()) < 1.15 * 3000 / shards


def test_one_shard_means_shard_zero() -> None:
    assert shard_of("Anything", 1) == 0


def test_real_checklist_findings_are_stored_without_loss() -> None:
    checklist = load_checklist(CHECKLIST)
    rules, flags = rule_infos(checklist.rules), flag_infos(checklist.flags.values())
    today = dt.date(2026, 1, 15)
    assessments: list[Assessment] = []
    for title, text in sample_pages(SAMPLES_DIR / "pages").items():
        parsed = parse_page(title, text)
        assessments.extend(checklist.assess(record, today) for record in parsed.records)
    pages = build_findings_pages(BASE, assessments, rules, flags, "2026-01-15", 1_800_000)

    checked = 0
    for result in assessments:
        records = records_for(pages, result.record.page) or []
        stored = next(r for r in records if r["i"] == result.record.index)
        for original, entry in zip(result.findings, stored["f"], strict=True):
            expected = (original.severity.value, original.message, original.source)
            assert expected == shown(pages, entry)
            checked += 1
    assert checked > 20


def test_rules_from_the_checklist_cite_page_and_section_with_a_link() -> None:
    checklist = load_checklist(CHECKLIST)
    rules = rule_infos(checklist.rules)

    assert {rule.id for rule in checklist.rules} == set(rules)
    for rule in checklist.rules:
        info = rules[rule.id]
        assert (str(rule.source), rule.source.url) == (info.source, info.url)


@pytest.mark.parametrize("limit", [3000, 50_000])
def test_every_page_fits_for_any_limit(limit: int) -> None:
    results = [assessment(f"T{n}", finding(f"T{n}", "goals-vague", "y" * 80)) for n in range(300)]

    assert all(len(t.encode("utf-8")) <= limit for t in build(results, limit).values())
