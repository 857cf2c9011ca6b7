"""The findings data pages the infobox reads: ids and parameters, compact, split under a limit.

The helpers ``records_for`` and ``decoded`` follow the lookup rules of
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
)
from bot.render.infobox_key import infobox_key, name_key
from bot.resources import load_checklist

BASE = "Module:Partnership infobox/findings.json"
CHECKLIST = Path(__file__).resolve().parents[2] / "config" / "checklist.toml"
FAQ = "Partnerships & Resource Development/Questions"
FAQ_URL = "https://meta.wikimedia.org/wiki/Partnerships_%26_Resource_Development/Questions"
RULES = {
    "status-invalid": RuleInfo("error", f"{FAQ} § Stages", FAQ_URL),
    "goals-missing": RuleInfo("warning", "Slides § 3"),
    "warning-flag": RuleInfo("warning", "Slides § 6"),
}
FLAGS = {"tight-deadline": FlagInfo(f"{FAQ} § Saying no", FAQ_URL)}
STATUSES = ("prospect", "active")


def finding(page: str, rule: str, **changes: Any) -> Finding:
    known = rule in RULES
    severity = Severity(RULES[rule].severity) if known else Severity.INFO
    source = RULES[rule].source if known else "Elsewhere § 1"
    plain = Finding(page, 0, rule, severity, "status", source)
    return dataclasses.replace(plain, **changes)


def invalid_status(page: str, written: str = "Spring") -> Finding:
    return finding(page, "status-invalid", reason="not-in-vocabulary", params=(written, STATUSES))


def assessment(
    page: str, *findings: Finding, index: int = 0, name: str = "", revid: int | None = 7
) -> Assessment:
    params = (("name", name or f"Partnership on {page}"),)
    record = PartnershipRecord(page=page, index=index, revid=revid, params=params)
    return Assessment(record, findings, Score(max(0, 10 - len(findings)), 10))


def build(assessments: Sequence[Assessment], max_bytes: int = 1_800_000) -> dict[str, str]:
    return build_findings_pages(BASE, assessments, RULES, FLAGS, "2025-03-01", max_bytes)


def page_for(pages: Mapping[str, str], title: str) -> Any:
    """Return the entry of ``title`` found as Module:Partnership infobox looks it up."""
    index = json.loads(pages[BASE])
    shards = index["shards"]
    found = index.get("pages")
    if shards > 1:
        shard = json.loads(pages[shard_title(BASE, shard_of(title, shards))])
        found = shard["pages"] if shard["shards"] == shards else None
    return None if found is None else found.get(title)


def records_for(pages: Mapping[str, str], title: str) -> Any:
    page = page_for(pages, title)
    return None if page is None else page["b"]


def decoded(pages: Mapping[str, str], entry: list[Any]) -> dict[str, Any]:
    """Return a stored finding as the module reads it: its data, severity and source."""
    index = json.loads(pages[BASE])
    defaults: list[Any] = ["", "", "", [], ""]
    rule, field, reason, params, flag = [*entry, *defaults[len(entry) :]]
    severity = index["rules"][rule]["severity"]
    source = index["flags"][flag]["source"] if flag else index["rules"][rule]["source"]
    return {
        "rule": rule,
        "field": field or None,
        "reason": reason,
        "params": params,
        "flag": flag or None,
        "severity": severity,
        "source": source,
    }


def as_stored(original: Finding) -> dict[str, Any]:
    params = [list(p) if isinstance(p, tuple) else p for p in original.params]
    return {
        "rule": original.rule,
        "field": original.field,
        "reason": original.reason,
        "params": params,
        "flag": original.flag,
        "severity": original.severity.value,
        "source": original.source,
    }


# --- the shape of the pages ---------------------------------------------------------------------


def test_few_partnerships_fit_on_the_index_page() -> None:
    pages = build([assessment("Partnerships/Museum")])

    assert list(pages) == [BASE]
    index = json.loads(pages[BASE])
    assert (index["shards"], index["version"]) == (1, 2)
    (record,) = records_for(pages, "Partnerships/Museum")
    assert (record["f"], record["i"], record["n"], record["s"]) == (
        [],
        0,
        "Partnership on Partnerships/Museum",
        [10, 10],
    )
    assert page_for(pages, "Partnerships/Museum")["r"] == 7


def test_index_holds_rule_severities_and_sources_but_no_sentences() -> None:
    index = json.loads(build([])[BASE])

    assert index["rules"]["status-invalid"] == {"severity": "error", "source": f"{FAQ} § Stages"}
    assert index["flags"] == {"tight-deadline": {"source": f"{FAQ} § Saying no"}}
    assert index["sources"] == {FAQ: FAQ_URL}
    assert index["pages"] == {}


def test_unknown_revision_is_left_out() -> None:
    pages = build([assessment("P", revid=None)])

    assert "r" not in page_for(pages, "P")


def test_text_is_what_mediawiki_stores_for_a_json_page() -> None:
    pages = build([assessment("A <b> & c", name="Tags <i> & ampersands")])

    text = pages[BASE]
    assert text.startswith('{\n\t"flags": {\n\t\t"tight-deadline": {\n\t\t\t"source"')
    assert "\\u003Cb\\u003E \\u0026 c" in text
    assert not any(char in text for char in "<>&")
    assert text == text.rstrip()
    assert json.loads(text)["pages"]["A <b> & c"]["b"][0]["s"] == [10, 10]


# --- findings as ids and parameters -------------------------------------------------------------


def test_finding_is_stored_as_rule_field_reason_and_parameters() -> None:
    pages = build([assessment("P", invalid_status("P"))])

    (entry,) = records_for(pages, "P")[0]["f"]
    assert entry == ["status-invalid", "status", "not-in-vocabulary", ["Spring", list(STATUSES)]]


def test_finding_without_reason_is_rule_and_field_only() -> None:
    pages = build([assessment("P", finding("P", "goals-missing", field="goals"))])

    assert records_for(pages, "P")[0]["f"] == [["goals-missing", "goals"]]


def test_warning_flag_is_stored_as_its_flag_id_and_cites_the_flag() -> None:
    flagged = finding("P", "warning-flag", field="flags", flag="tight-deadline")
    pages = build([assessment("P", flagged)])

    (entry,) = records_for(pages, "P")[0]["f"]
    assert entry == ["warning-flag", "flags", "", [], "tight-deadline"]
    assert decoded(pages, entry)["source"] == f"{FAQ} § Saying no"


def test_finding_of_an_unknown_rule_brings_its_own_severity_and_source() -> None:
    pages = build([assessment("P", finding("P", "new-rule", field=None, reason="x"))])

    (entry,) = records_for(pages, "P")[0]["f"]
    assert (decoded(pages, entry)["severity"], decoded(pages, entry)["source"]) == (
        "info",
        "Elsewhere § 1",
    )


def test_page_level_findings_join_every_record_of_their_page() -> None:
    about_page = finding("P", "goals-missing", index=None, field=None, reason="infobox-count")
    broken = finding("Q", "goals-missing", index=None, field=None, reason="never-closed")
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
    assert records_for(pages, "Q") == [
        {"f": [["goals-missing", "", "never-closed"]], "i": -1, "n": "", "s": [0, 0]}
    ]


def test_titles_are_stored_with_spaces_not_underscores() -> None:
    pages = build([assessment("Partnerships/Harbour_Museum")])

    assert records_for(pages, "Partnerships/Harbour Museum") is not None


def test_control_characters_and_broken_unicode_do_not_reach_the_page() -> None:
    pages = build([assessment("P", invalid_status("P", "bad\x00value\n\ud800here e\u0301"))])

    entry = records_for(pages, "P")[0]["f"][0]
    assert entry[3][0] == "bad value ?here \u00e9"
    pages[BASE].encode("utf-8")


def test_long_parameter_is_cut_with_an_ellipsis() -> None:
    pages = build([assessment("P", invalid_status("P", "x" * 1000))])

    value = records_for(pages, "P")[0]["f"][0][3][0]
    assert (len(value), value[-1]) == (DETAIL_LIMIT, "…")


def test_same_results_in_any_order_give_identical_pages() -> None:
    results = [assessment(f"Page {n}", invalid_status(f"Page {n}")) for n in range(50)]
    shuffled = results[17:][::-1] + results[:17]

    assert build(results, 4000) == build(shuffled, 4000)


# --- which record is which infobox --------------------------------------------------------------


def test_infobox_key_ignores_order_spacing_and_empty_values() -> None:
    one = [("name", "Harbour  Museum"), ("status", "active"), ("goals", ""), ("1", " ")]
    other = [("status", " active\n"), ("name", "Harbour Museum")]

    assert infobox_key(one) == infobox_key(other)
    assert len(infobox_key(one)[0]) == 12


def test_infobox_key_changes_with_any_value() -> None:
    base = [("name", "''Harbour'' [[Museum]]"), ("status", "active")]

    assert infobox_key(base) != infobox_key([*base[:1], ("status", "concluded")])
    assert infobox_key(base) != infobox_key([*base, ("flags", "tight-deadline")])


def test_values_mediawiki_passes_expanded_are_left_out_of_the_key() -> None:
    with_template = [("name", "X"), ("start_date", "{{Start date|2024|1|1}}"), ("report", "<ref>")]

    key, left_out = infobox_key(with_template)
    assert left_out == ("report", "start_date")
    assert key == infobox_key([("name", "X")])[0]


def test_paused_partnership_is_written_for_its_infobox_to_show() -> None:
    record = PartnershipRecord(page="P", bot=False, params=(("bot", "no"),))
    pages = build([Assessment(record, (finding("P", "goals-missing", field="goals"),))])

    assert records_for(pages, "P")[0]["f"] == [["goals-missing", "goals"]]


def test_name_key_is_the_name_as_written_else_the_partner() -> None:
    named = PartnershipRecord(page="P", params=(("name", "''Bold''  name"), ("partner", "Y")))
    partner_only = PartnershipRecord(page="P", params=(("partner", "[[Y Museum|Y]]"),))
    templated = PartnershipRecord(page="P", params=(("name", "{{PAGENAME}}"),))

    assert [name_key(named), name_key(partner_only), name_key(templated)] == [
        "''Bold'' name",
        "[[Y Museum|Y]]",
        "",
    ]


# --- splitting --------------------------------------------------------------------------------


def test_many_partnerships_are_split_into_shards_under_the_limit() -> None:
    results = [
        assessment(
            f"Partnerships/Partner {n}", invalid_status(f"Partnerships/Partner {n}", f"v{n}")
        )
        for n in range(2000)
    ]
    pages = build(results, 60_000)

    index = json.loads(pages[BASE])
    assert [*(shard_title(BASE, n) for n in range(index["shards"])), BASE] == list(pages)
    assert "pages" not in index
    assert all(len(text.encode("utf-8")) <= 60_000 for text in pages.values())
    for n in (0, 777, 1999):
        record = records_for(pages, f"Partnerships/Partner {n}")[0]
        assert record["f"][0][3][0] == f"v{n}"


def test_ten_thousand_partnerships_fit_in_a_few_pages() -> None:
    results = [
        assessment(
            f"Partnerships/Partner number {n}",
            *(
                invalid_status(f"Partnerships/Partner number {n}", f"value {k}")
                for k in range(n % 7)
            ),
        )
        for n in range(10_000)
    ]
    pages = build(results, 1_800_000)

    assert len(pages) <= 8
    assert all(len(text.encode("utf-8")) <= 1_800_000 for text in pages.values())


def test_page_with_too_many_findings_keeps_its_score_and_counts_the_rest() -> None:
    many = [invalid_status("Big", f"n{k}") for k in range(500)]
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


@pytest.mark.parametrize("limit", [3000, 50_000])
def test_every_page_fits_for_any_limit(limit: int) -> None:
    results = [assessment(f"T{n}", invalid_status(f"T{n}", "y" * 80)) for n in range(300)]

    assert all(len(t.encode("utf-8")) <= limit for t in build(results, limit).values())


# --- the real checklist -------------------------------------------------------------------------


def test_real_checklist_findings_are_stored_without_loss() -> None:
    checklist = load_checklist(CHECKLIST)
    rules, flags = rule_infos(checklist.rules), flag_infos(checklist.flags.values())
    today = dt.date(2026, 1, 15)
    assessments: list[Assessment] = []
    for title, text in sample_pages(SAMPLES_DIR / "pages").items():
        parsed = parse_page(title, text, revid=len(title))
        assessments.extend(checklist.assess(record, today) for record in parsed.records)
    pages = build_findings_pages(BASE, assessments, rules, flags, "2026-01-15", 1_800_000)

    checked = 0
    for result in assessments:
        page = page_for(pages, result.record.page)
        assert page["r"] == len(result.record.page)
        stored = next(r for r in page["b"] if r["i"] == result.record.index)
        assert stored["k"] == infobox_key(result.record.params)[0]
        for original, entry in zip(result.findings, stored["f"], strict=True):
            assert as_stored(original) == decoded(pages, entry)
            checked += 1
    assert checked > 20


def test_rules_from_the_checklist_cite_page_and_section_with_a_link() -> None:
    checklist = load_checklist(CHECKLIST)
    rules = rule_infos(checklist.rules)

    assert {rule.id for rule in checklist.rules} == set(rules)
    for rule in checklist.rules:
        info = rules[rule.id]
        assert (str(rule.source), rule.source.url) == (info.source, info.url)
