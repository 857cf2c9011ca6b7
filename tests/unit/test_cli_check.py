"""`partnerbot check --json --file` on the sample pages reports what each page's story implies."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bot.cli import main
from bot.devwiki.seed import SAMPLES_DIR

PAGES = SAMPLES_DIR / "pages"


def check_json(capsys: pytest.CaptureFixture[str], name: str) -> list[dict[str, object]]:
    path = PAGES / f"Partnerships%2F{name}.wikitext"
    status = main(["--json", "check", "--file", str(path), "--today", "2026-11-21"])
    findings: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    assert status == (3 if any(f["severity"] == "error" for f in findings) else 0)
    return findings


def rules(findings: list[dict[str, object]], severity: str | None = None) -> Counter[str]:
    return Counter(
        str(f["rule"]) for f in findings if severity is None or f["severity"] == severity
    )


@pytest.mark.parametrize(
    "name",
    [
        "Museum_of_Northern_Crafts_content_donation",
        "Eastbrook_University_Library_archive_access",
        "Thistledown_Family_Foundation_digitisation_grant",
        "Open_Folk_Collections_Network",
        "Aldermoor_Photographic_Society_photo_contest",
    ],
)
def test_healthy_partnerships_have_no_errors_or_warnings(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    findings = check_json(capsys, name)
    assert [f for f in findings if f["severity"] in {"error", "warning"}] == []


def test_non_commercial_licence_on_a_donation_is_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    findings = check_json(capsys, "Harbourside_Maritime_Museum_photographs")
    assert rules(findings, "error") == Counter({"license-not-free": 1})
    [licence] = [f for f in findings if f["rule"] == "license-not-free"]
    assert licence["field"] == "license"
    assert licence["page"] == "Partnerships/Harbourside Maritime Museum photographs"
    assert "§" in str(licence["source"])


def test_review_date_in_the_past_is_overdue(capsys: pytest.CaptureFixture[str]) -> None:
    assert rules(check_json(capsys, "Marrowvale_City_Council_open_data"))["review-overdue"] == 1


def test_contact_without_follow_up_goes_stale(capsys: pytest.CaptureFixture[str]) -> None:
    assert rules(check_json(capsys, "Corrowick_Gazette_archive"))["follow-up-stale"] == 1


def test_money_on_an_email_agreement_and_declared_flags(capsys: pytest.CaptureFixture[str]) -> None:
    found = rules(check_json(capsys, "Goldcrest_Savings_Bank_sponsored_editathons"))
    assert (found["agreement-too-informal-for-money"], found["warning-flag"]) == (1, 2)


def test_one_volunteer_without_community_support(capsys: pytest.CaptureFixture[str]) -> None:
    found = rules(check_json(capsys, "Fernhollow_Public_Schools_editing_club"))
    assert found["community-support-missing"] == 1


def test_two_infoboxes_on_one_page_are_two_records(capsys: pytest.CaptureFixture[str]) -> None:
    findings = check_json(capsys, "Regional_reading_circles")
    assert rules(findings)["multiple-infoboxes"] == 1
    page_level = [f for f in findings if f["rule"] == "multiple-infoboxes"]
    assert page_level[0]["index"] is None


def test_infoboxes_in_comments_and_nowiki_do_not_count(capsys: pytest.CaptureFixture[str]) -> None:
    path = PAGES / "Partnerships%2FIdeas_and_drafts.wikitext"
    assert main(["check", "--file", str(path), "--today", "2026-11-21"]) == 0
    assert "no partnership infobox found" in capsys.readouterr().out


def test_findings_are_printed_grouped_by_page(capsys: pytest.CaptureFixture[str]) -> None:
    path = PAGES / "Partnerships%2FHarbourside_Maritime_Museum_photographs.wikitext"
    assert main(["check", "--file", str(path), "--today", "2026-11-21"]) == 3
    out = capsys.readouterr().out
    assert out.startswith("== Partnerships/Harbourside Maritime Museum photographs ==")
    assert "license-not-free [license]" in out


def test_an_unreadable_file_is_a_failure_not_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["check", "--file", str(tmp_path / "missing.wikitext")]) == 1
    assert "missing.wikitext" in capsys.readouterr().err


def test_every_finding_has_the_documented_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    findings = check_json(capsys, "Glossmark_Media_sponsored_articles")
    assert findings
    for finding in findings:
        assert set(finding) == {
            "page", "index", "rule", "severity", "field", "reason", "params", "flag", "source",
            "message",
        }  # fmt: skip
        assert isinstance(finding["params"], dict)
        assert isinstance(finding["message"], str)
        assert finding["message"]


def test_json_names_the_parameters_of_each_finding(capsys: pytest.CaptureFixture[str]) -> None:
    findings = check_json(capsys, "Harbourside_Maritime_Museum_photographs")
    [licence] = [f for f in findings if f["rule"] == "license-not-free"]
    assert licence["reason"] == "licence-term"
    assert set(licence["params"]) == {"licence", "term"}  # type: ignore[arg-type]
    assert str(licence["params"]["term"]) in str(licence["message"])  # type: ignore[index]


def test_raised_flags_name_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    findings = check_json(capsys, "Goldcrest_Savings_Bank_sponsored_editathons")
    flags = [f["flag"] for f in findings if f["rule"] == "warning-flag"]
    assert len(flags) == 2
    assert all(isinstance(flag, str) and flag for flag in flags)
