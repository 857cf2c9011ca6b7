"""Misspelt values and parameter names come with the value or name the editor probably meant.

The suggestion is a finding parameter (named ``suggestion`` in :data:`bot.contract.REASONS`), so
the bot's report, the infobox and any other reader show the same one. The infobox's own judge
(Module:Partnership infobox/judge) computes the same suggestions; tests/wiki/test_infobox_judge.py
compares them item by item.
"""

from __future__ import annotations

import pytest

from bot.contract import REASONS
from bot.i18n_files import load_messages
from bot.model import Finding, Severity
from bot.parse.records import parse_page, parse_value
from bot.render.finding_text import finding_text


def problem_of(field: str, written: str) -> tuple[str, tuple[object, ...]]:
    _, problems = parse_value(field, written)
    (problem,) = problems
    return problem.reason, problem.params


@pytest.mark.parametrize(
    ("field", "written", "suggestion"),
    [
        ("status", "activ", "active"),
        ("status", "Negociating", "negotiating"),
        ("status", "conclued", "concluded"),
        ("type", "outreech", "outreach"),
        ("agreement", "contrct", "contract"),
    ],
)
def test_a_misspelt_value_suggests_the_closest_accepted_value(
    field: str, written: str, suggestion: str
) -> None:
    assert problem_of(field, written) == ("value-did-you-mean", (written, suggestion))


@pytest.mark.parametrize(("field", "written"), [("status", "sleeping"), ("type", "picnic")])
def test_a_value_close_to_nothing_lists_the_accepted_values(field: str, written: str) -> None:
    reason, params = problem_of(field, written)

    assert reason == "not-in-vocabulary"
    assert params[0] == written
    assert isinstance(params[1], tuple)


def unknown(name: str) -> tuple[str, tuple[object, ...]]:
    text = f"{{{{Partnership infobox|partner=P|status=active|{name}=x}}}}"
    (record,) = parse_page("Partnerships/Suggestions", text).records
    (problem,) = [p for p in record.problems if p.rule == "unknown-parameter"]
    return problem.reason, problem.params


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("website", "partner_website"),  # the end of one parameter's name
        ("Website", "partner_website"),
        ("category", "commons_category"),
        ("qid", "partner_qid"),
        ("stauts", "status"),  # a close spelling
        ("start date", "start_date"),
    ],
)
def test_an_unknown_parameter_suggests_the_one_it_probably_meant(
    name: str, suggestion: str
) -> None:
    reason, params = unknown(name)

    assert reason == "unknown-did-you-mean"
    assert params == (name, suggestion)


@pytest.mark.parametrize("name", ["date", "contact", "colour", "review"])
def test_an_unknown_parameter_part_of_several_names_suggests_nothing(name: str) -> None:
    assert unknown(name) == ("unknown-ignored", (name,))


def test_every_reason_with_a_suggestion_names_it_in_its_message() -> None:
    messages = load_messages("en")
    for reason, names in REASONS.items():
        if "suggestion" in names:
            position = names.index("suggestion") + 1
            assert f"${position}" in messages.raw(f"partnerbot-checklist-reason-{reason}")


def test_the_sentence_of_a_misspelt_status_says_what_was_meant() -> None:
    finding = Finding(
        page="Partnerships/Suggestions",
        index=0,
        rule="status-invalid",
        severity=Severity.ERROR,
        field="status",
        source="",
        reason="value-did-you-mean",
        params=("activ", "active"),
    )

    text = finding_text(finding, load_messages("en").text)
    assert text.endswith("“activ” is not in the list; did you mean “active”?")
