"""Reading partnership infoboxes the way MediaWiki shows them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.model import (
    Agreement,
    EvaluationMethod,
    ParsedPage,
    PartnershipRecord,
    PartnershipType,
    Problem,
    Scope,
    Status,
    WikiDate,
)
from bot.parse.records import PARAMETERS, normalize_title, parse_page, parse_value
from bot.parse.site import SiteFacts

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
NAMES = ("Partnership infobox", "GLAM partnership")


def parse_fixture(name: str, **options: object) -> ParsedPage:
    text = (FIXTURES / f"{name}.wiki").read_text(encoding="utf-8")
    return parse_page(f"Partnerships/{name}", text, **options)  # type: ignore[arg-type]


def only_record(name: str, **options: object) -> PartnershipRecord:
    page = parse_fixture(name, **options)
    assert len(page.records) == 1, page
    return page.records[0]


def rules(problems: tuple[Problem, ...], field: str | None = None) -> list[str]:
    return [problem.rule for problem in problems if field is None or problem.field == field]


def outcome(field: str, text: str) -> tuple[object, list[str]]:
    """Return the value of one parameter and the rules of its problems."""
    value, problems = parse_value(field, text)
    return value, rules(problems)


# --- the parameter contract ----------------------------------------------------------------


def test_parameters_follow_the_design_contract_order() -> None:
    expected = ["name", "status", "goals", "contact_wikimedia", "agreement", "license", "bot"]
    assert expected == [name for name in PARAMETERS if name in expected]


def test_complete_infobox_has_no_problems() -> None:
    expected: tuple[Problem, ...] = ()
    assert expected == only_record("complete").problems


def test_complete_infobox_keeps_every_parameter_in_params() -> None:
    expected = list(PARAMETERS)
    assert expected == [name for name, _ in only_record("complete").params]


def test_complete_infobox_gives_typed_values() -> None:
    record = only_record("complete")
    expected = (
        Status.ACTIVE,
        (PartnershipType.CONTENT_DONATION, PartnershipType.OUTREACH),
        Scope.NATIONAL,
        Agreement.MOU,
        (EvaluationMethod.CHECKINS, EvaluationMethod.METRICS),
        WikiDate(2024, 6, 1),
        WikiDate(2025, 3),
        False,
        2,
    )
    assert expected == (
        record.status, record.types, record.scope, record.agreement, record.evaluation,
        record.start_date, record.next_step_date, record.money_exchanged, record.commons_depth,
    )  # fmt: skip


def test_wikilink_in_free_text_becomes_its_label() -> None:
    expected = "Harbour Lights Museum"
    assert expected == only_record("complete").partner


def test_link_fields_keep_the_link_target() -> None:
    record = only_record("complete")
    expected = (
        "Talk:Partnerships/Harbour Lights Museum#Support",
        "https://blog.wikimedia-northland.example/harbour-lights",
        "https://www.harbourlights-museum.example/collections",
    )
    assert expected == (record.community_support, record.announcement, record.partner_website)


def test_contact_usernames_lose_their_user_link() -> None:
    expected = ("Tallis Reed", "Vell Marrow")
    assert expected == only_record("complete").contact_wikimedia


def test_link_domains_keep_only_the_lowercased_host() -> None:
    expected = ("www.harbourlights-museum.example", "archive.harbourlights-museum.example")
    assert expected == only_record("complete").link_domains


def test_commons_category_loses_its_namespace() -> None:
    expected = "Photographs from the Harbour Lights Museum"
    assert expected == only_record("complete").commons_category


def test_params_keep_the_written_text() -> None:
    record = only_record("complete")
    expected = ("[[Harbour Lights Museum]]", "")
    assert expected == (record.raw("partner"), record.raw("report"))


def test_revid_and_normalised_title_are_carried_to_the_records() -> None:
    page = parse_page("Partnerships/X_y", "{{Partnership infobox|name=X}}", revid=42)
    expected = ("Partnerships/X y", 42, "Partnerships/X y#0", 42)
    assert expected == (page.title, page.revid, page.records[0].key, page.records[0].revid)


# --- which names count --------------------------------------------------------------------


def test_first_letter_of_the_name_is_case_insensitive() -> None:
    expected = Status.PROSPECT
    assert expected == only_record("lowercase_first_letter").status


def test_template_prefix_and_underscores_are_recognised() -> None:
    expected = Status.NEGOTIATING
    assert expected == only_record("template_prefix_underscores").status


def test_redirect_name_counts_when_configured() -> None:
    expected = Status.AGREED
    assert expected == only_record("redirect_name", template_names=NAMES).status


def test_redirect_name_is_not_known_by_default() -> None:
    expected = ParsedPage("Partnerships/redirect name", None, ())
    assert expected == parse_fixture("redirect_name")


def test_rest_of_the_name_is_case_sensitive() -> None:
    expected: tuple[PartnershipRecord, ...] = ()
    assert expected == parse_page("P", "{{Partnership Infobox|name=X}}").records


@pytest.mark.parametrize(
    "written",
    ["Partnership infobox", "partnership_infobox", "Template:Partnership infobox",
     "template : partnership  infobox", " Partnership infobox\n", "msg:Partnership infobox",
     "Partnership infobox<!-- note -->", "\u200ePartnership infobox"],
)  # fmt: skip
def test_template_names_are_read_like_mediawiki(written: str) -> None:
    expected = [Status.ACTIVE]
    page = parse_page("P", f"{{{{{written}|status=active}}}}")
    assert expected == [record.status for record in page.records]


def test_normalize_title_folds_spaces_and_capitalises() -> None:
    expected = "Partnerships/Museum of crafts"
    assert expected == normalize_title("  partnerships/Museum__of_ crafts ")


# --- what MediaWiki does not show ---------------------------------------------------------


def test_examples_in_comments_nowiki_pre_and_includeonly_are_not_counted() -> None:
    expected = ParsedPage("Partnerships/hidden examples", None, ())
    assert expected == parse_fixture("hidden_examples")


def test_infobox_inside_noinclude_is_shown_on_the_page() -> None:
    expected = Status.RESEARCHING
    assert expected == only_record("noinclude").status


def test_infobox_inside_a_div_is_shown_on_the_page() -> None:
    expected = Status.ACTIVE
    assert expected == only_record("div_wrapper").status


def test_infobox_inside_another_templates_parameter_is_reported_not_guessed() -> None:
    # MediaWiki calls the infobox only if {{Quote box}} uses its quote= parameter: the bot
    # cannot know, so it reads no record and says which template decides.
    problem = Problem("infobox-uncertain", None, "call-decided-by", (("Template:Quote box",), 2))
    expected = ParsedPage("Partnerships/nested in template", None, (), (problem,))
    assert expected == parse_fixture("nested_in_template")


def test_infobox_inside_a_parser_function_names_the_function() -> None:
    page = parse_page("P", "Intro\n{{#if:{{{show|}}}|{{Partnership infobox|status=active}}}}")
    expected = ((), [("call-decided-by", (("#if",), 2))])
    assert expected == (page.records, [(p.reason, p.params) for p in page.problems])


def test_infobox_inside_a_reference_is_a_call() -> None:
    text = "Text.<ref>{{Partnership infobox|status=active}}</ref>\n<references />"
    expected = [Status.ACTIVE]
    assert expected == [record.status for record in parse_page("P", text).records]


def test_infobox_in_a_poem_is_a_call() -> None:
    expected = [Status.AGREED]
    text = "<poem>\n{{Partnership infobox|status=agreed}}\n</poem>"
    assert expected == [record.status for record in parse_page("P", text).records]


def test_page_without_infobox_has_no_records_and_no_problems() -> None:
    expected = ParsedPage("Museum", None, ())
    assert expected == parse_page("Museum", "A page about a {{museum}}.")


# --- several infoboxes --------------------------------------------------------------------


def test_each_infobox_on_a_list_page_is_a_record_in_page_order() -> None:
    expected = [(0, Status.ACTIVE), (1, Status.CONCLUDED)]
    records = parse_fixture("two_infoboxes").records
    assert expected == [(record.index, record.status) for record in records]


def test_several_infoboxes_are_reported_on_the_page() -> None:
    expected = ["multiple-infoboxes"]
    assert expected == rules(parse_fixture("two_infoboxes").problems)


# --- broken markup ------------------------------------------------------------------------


def test_unclosed_infobox_gives_no_record() -> None:
    expected: tuple[PartnershipRecord, ...] = ()
    assert expected == parse_fixture("unclosed_braces").records


def test_unclosed_infobox_is_reported_as_unparseable_with_its_line() -> None:
    expected = (Problem("infobox-unparseable", None, "never-closed", (1,)),)
    assert expected == parse_fixture("unclosed_braces").problems


def test_unclosed_link_inside_the_infobox_is_named_with_its_line() -> None:
    page = parse_page(
        "P", "Intro\n{{Partnership infobox\n| partner = [[Museum\n| status = active\n}}"
    )
    expected = ((), (Problem("infobox-unparseable", None, "unclosed-inside", (2, "[[", 3)),))
    assert expected == (page.records, page.problems)


def test_stray_closing_braces_do_not_hide_the_infobox() -> None:
    page = parse_fixture("stray_braces")
    expected = (1, ())
    assert expected == (len(page.records), page.problems)


def test_unclosed_italics_list_item_and_div_do_not_hide_the_infobox() -> None:
    expected = Status.ACTIVE
    assert expected == only_record("broken_markup_before").status


def test_unclosed_comment_hides_the_infobox_and_says_so() -> None:
    page = parse_fixture("unclosed_comment")
    expected = ((), (Problem("infobox-unparseable", None, "unclosed-before", ("<!--", 1)),))
    assert expected == (page.records, page.problems)


def test_unclosed_includeonly_hides_the_infobox_and_says_so() -> None:
    page = parse_page("P", "Intro\n<includeonly>\n{{Partnership infobox|status=active}}")
    expected = (
        (),
        (Problem("infobox-unparseable", None, "unclosed-before", ("<includeonly>", 2)),),
    )
    assert expected == (page.records, page.problems)


def test_comment_left_open_inside_the_infobox_makes_it_unparseable() -> None:
    page = parse_page("P", "{{Partnership infobox\n| name = A <!-- to do\n| status = active\n}}")
    expected = ((), (Problem("infobox-unparseable", None, "unclosed-inside", (1, "<!--", 2)),))
    assert expected == (page.records, page.problems)


# --- parameters ---------------------------------------------------------------------------


def test_raw_bar_in_a_value_is_a_positional_parameter() -> None:
    expected = ["positional-parameter"]
    assert expected == rules(only_record("raw_pipe").problems)


def test_positional_parameter_problem_names_the_stray_text() -> None:
    problem = only_record("raw_pipe").problems[0]
    assert (problem.reason, problem.params[0]) == ("stray-text", "Saltmarsh Heritage Trust")


def test_value_before_a_raw_bar_is_kept_as_written() -> None:
    expected = "Northland Folk Museum"
    assert expected == only_record("raw_pipe").partner


def test_bar_inside_a_file_link_is_not_a_parameter() -> None:
    expected = "Share folk-music recordings."
    assert expected == only_record("raw_pipe").goals


def test_empty_positional_parameter_is_harmless() -> None:
    expected: tuple[Problem, ...] = ()
    assert expected == parse_page("P", "{{Partnership infobox||name=X|\n}}").records[0].problems


def test_last_duplicate_parameter_wins() -> None:
    expected = Status.CONCLUDED
    assert expected == only_record("duplicate_status").status


def test_duplicate_parameter_is_reported() -> None:
    expected = ["duplicate-parameter"]
    assert expected == rules(only_record("duplicate_status").problems, "status")


def test_misspelled_parameters_are_reported_with_a_suggestion() -> None:
    record = only_record("misspelled_params")
    expected = {
        "Status": ("unknown-case-sensitive", ("Status", "status")),
        "statsu": ("unknown-did-you-mean", ("statsu", "status")),
        "partner websit": ("unknown-did-you-mean", ("partner websit", "partner_website")),
        "logo": ("unknown-ignored", ("logo",)),
    }
    assert expected == {p.field: (p.reason, p.params) for p in record.problems}


def test_misspelled_parameters_are_unknown_parameter_problems() -> None:
    expected = ["unknown-parameter"] * 4
    assert expected == rules(only_record("misspelled_params").problems)


def test_wrongly_cased_parameter_is_not_accepted() -> None:
    assert only_record("misspelled_params").status is None


def test_known_fields_are_still_read_next_to_unknown_ones() -> None:
    expected = "Northland"
    assert expected == only_record("misspelled_params").country


def test_unknown_parameters_stay_in_params() -> None:
    expected = "Thistledown.png"
    assert expected == only_record("misspelled_params").raw("logo")


def test_params_hold_what_mediawiki_passes_in_its_order() -> None:
    text = "{{Partnership infobox| name = A{{!}}B <!-- c --> | x |partner={{{1|P}}}\n}}"
    expected = (("1", " x "), ("name", "A|B"), ("partner", "P"))
    assert expected == parse_page("P", text).records[0].params


def test_a_value_built_by_a_magic_word_is_not_literal() -> None:
    record = parse_page("P", "{{Partnership infobox|status={{PAGENAME}}|goals=Go {{PAGENAME}}}}")
    expected = (None, "Go", ["value-not-literal", "value-not-literal"])
    assert expected == (
        record.records[0].status,
        record.records[0].goals,
        rules(record.records[0].problems),
    )


def test_a_parameterless_call_repeated_is_made_once() -> None:
    # MediaWiki reuses the output of an identical call without parameters in the same page.
    expected = 1
    assert expected == len(
        parse_page("P", "{{Partnership infobox}}{{Partnership infobox}}").records
    )


def test_pages_are_read_as_on_a_wikimedia_wiki_by_default() -> None:
    # <syntaxhighlight> keeps its content as code there; on a bare MediaWiki it is text.
    text = "<syntaxhighlight>{{Partnership infobox|status=active}}</syntaxhighlight>"
    expected = (0, 1)
    bare = SiteFacts(extension_tags=frozenset({"nowiki", "pre"}))
    assert expected == (
        len(parse_page("P", text).records),
        len(parse_page("P", text, site=bare).records),
    )


# --- empty values -------------------------------------------------------------------------


def test_placeholders_and_comments_count_as_empty() -> None:
    record = only_record("placeholders")
    expected = ("", "", "", None, None, None, "", "", None)
    assert expected == (
        record.partner, record.affiliate, record.country, record.status, record.start_date,
        record.end_date, record.goals, record.exit_plan, record.scope,
    )  # fmt: skip


def test_placeholders_are_not_problems() -> None:
    expected: tuple[Problem, ...] = ()
    assert expected == only_record("placeholders").problems


def test_comment_is_removed_from_params() -> None:
    expected = ""
    assert expected == only_record("placeholders").raw("goals")


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "written"),
    [("start_date", "2024-02-30"), ("end_date", "Spring 2024"), ("first_contact", "31/12/24"),
     ("last_contact", "2024"), ("agreement_date", "1900-01-01"), ("next_review", "2999-01-01"),
     ("last_review", "2024-1-5"), ("next_step_date", "2024-13")],
)  # fmt: skip
def test_bad_date_is_an_error_and_not_guessed(field: str, written: str) -> None:
    record = only_record("bad_dates")
    expected = (["date-invalid"], None)
    assert expected == (rules(record.problems, field), getattr(record, field))


@pytest.mark.parametrize("written", ["2024-02-30", "Spring 2024", "31/12/24", "1900-01-01"])
def test_date_problem_names_the_value_and_the_format(written: str) -> None:
    _, problems = parse_value("start_date", written)
    assert written == problems[0].params[0]
    assert problems[0].reason in {"not-a-date", "not-in-calendar", "year-out-of-range"}


def test_month_only_date_is_accepted() -> None:
    expected = WikiDate(2025, 6)
    assert expected == only_record("bad_dates").agreement_renewal


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "number"), [("3", 3), ("0", 0), ("١٢", 12)])
def test_commons_depth_reads_decimal_digits(written: str, number: int) -> None:
    expected: tuple[object, list[str]] = (number, [])
    assert expected == outcome("commons_depth", written)


@pytest.mark.parametrize("written", ["1,200", "-1", "two", "1_000", "2.5"])
def test_commons_depth_rejects_anything_but_digits(written: str) -> None:
    expected = (None, ["value-invalid"])
    assert expected == outcome("commons_depth", written)


# --- enums --------------------------------------------------------------------------------


def test_enum_values_match_whatever_their_case_and_separators() -> None:
    record = only_record("enum_spellings")
    expected = (Status.ON_HOLD, Scope.NATIONAL, Agreement.MOU)
    assert expected == (record.status, record.scope, record.agreement)


def test_known_types_are_kept_next_to_an_unknown_one() -> None:
    expected = (
        PartnershipType.CONTENT_DONATION,
        PartnershipType.IN_KIND,
        PartnershipType.RESIDENCY,
    )
    assert expected == only_record("enum_spellings").types


def test_unknown_type_is_a_type_problem() -> None:
    expected = ["type-invalid"]
    assert expected == rules(only_record("enum_spellings").problems, "type")


def test_unknown_enum_value_names_it_and_lists_the_allowed_values() -> None:
    problem = next(p for p in only_record("enum_spellings").problems if p.field == "led_by")
    expected = ("not-in-vocabulary", ("Stiftung", ("affiliate", "foundation", "individual")))
    assert expected == (problem.reason, problem.params)


def test_unknown_status_is_a_status_problem() -> None:
    expected = (None, ["status-invalid"])
    assert expected == outcome("status", "aktiv")


def test_unknown_evaluation_item_is_dropped_and_reported() -> None:
    record = only_record("enum_spellings")
    expected = ((EvaluationMethod.CHECKINS, EvaluationMethod.SURVEY), ["value-invalid"])
    assert expected == (record.evaluation, rules(record.problems, "evaluation"))


# --- templates in values ------------------------------------------------------------------


@pytest.mark.parametrize("field", ["status", "start_date", "money_exchanged"])
def test_template_in_a_typed_field_is_not_literal_and_not_given(field: str) -> None:
    record = only_record("template_values")
    expected = (["value-not-literal"], None)
    assert expected == (rules(record.problems, field), getattr(record, field))


def test_template_in_free_text_is_dropped_and_reported() -> None:
    record = only_record("template_values")
    expected = ("Bring readers together  in every town.", ["value-not-literal"])
    assert expected == (record.goals, rules(record.problems, "goals"))


def test_bar_magic_word_is_a_literal_bar() -> None:
    record = only_record("template_values")
    expected: tuple[str, list[str]] = ("Libraries of Northland|and their friends", [])
    assert expected == (record.partner, rules(record.problems, "partner"))


def test_template_in_a_username_list_drops_that_item_only() -> None:
    record = only_record("multiline_goals")
    expected = (("Tallis Reed", "Vell Marrow"), ["value-not-literal"])
    assert expected == (record.contact_wikimedia, rules(record.problems, "contact_wikimedia"))


def test_list_markup_and_footnotes_leave_plain_lines() -> None:
    expected = "Photograph 200 carved spoons\nWrite 20 articles on carving traditions"
    assert expected == only_record("multiline_goals").goals


# --- single values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "answer"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("no", False), ("n", False),
     ("False", False), ("0", False)],
)  # fmt: skip
def test_booleans_read_yes_and_no_words(written: str, answer: bool) -> None:
    expected: tuple[object, list[str]] = (answer, [])
    assert expected == outcome("money_exchanged", written)


def test_unreadable_boolean_is_an_error() -> None:
    expected = (None, ["value-invalid"])
    assert expected == outcome("wmf_informed", "maybe")


def test_unreadable_bot_switch_keeps_the_default() -> None:
    record = parse_page("P", "{{Partnership infobox|bot=perhaps|notices=no}}").records[0]
    expected = (True, False, ["value-invalid"])
    assert expected == (record.bot, record.notices, rules(record.problems))


def test_flags_become_kebab_case_ids_and_are_deduplicated() -> None:
    expected = (("conflict-of-interest", "no-agreement"), [])
    written = "Conflict of interest, no_agreement, conflict-of-interest,"
    assert expected == outcome("flags", written)


def test_list_items_are_deduplicated_in_order() -> None:
    expected = ((PartnershipType.OUTREACH, PartnershipType.FUNDING), [])
    assert expected == outcome("type", "outreach, , funding, Outreach")


@pytest.mark.parametrize(
    "written",
    ["Alice", "User:Alice", "[[User:Alice|Ally]]", "[[user talk:Alice|talk]]", "[[m:User:Alice]]"],
)
def test_contact_usernames_come_from_any_user_link(written: str) -> None:
    expected = (("Alice",), [])
    assert expected == outcome("contact_wikimedia", written)


@pytest.mark.parametrize(
    "written",
    ["https://www.Example.org/x?y=1", "www.example.org", "[https://www.example.org site]",
     "//www.example.org/path", "http://user@www.example.org:8080/"],
)  # fmt: skip
def test_link_domain_is_the_host_alone(written: str) -> None:
    expected = (("www.example.org",), [])
    assert expected == outcome("link_domains", written)


def test_wikidata_link_gives_the_item_id() -> None:
    expected = ("Q42", [])
    assert expected == outcome("partner_qid", "[[d:Q42|Douglas Adams]]")


def test_text_that_is_no_item_id_is_an_error() -> None:
    expected = ("", ["value-invalid"])
    assert expected == outcome("partner_qid", "Douglas Adams")


def test_values_lose_controls_and_are_nfc_normalised() -> None:
    expected = ("Café Nord", [])
    assert expected == outcome("partner", " Cafe\u0301\x07 Nord\u0085 ")


def test_unknown_field_in_parse_value_is_reported() -> None:
    expected = ("x", ["unknown-parameter"])
    assert expected == outcome("stauts", "x")


# --- robustness -------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "{{", "}}", "{{Partnership infobox", "{{partnership_infobox\n", "|", "=", "status", "name",
    "active", "2024-02-30", "[[", "]]", "[[User:A|A]]", "[", "]", "<!--", "-->", "<nowiki>",
    "</nowiki>", "<pre>", "<includeonly>", "<noinclude>", "</noinclude>", "<div>", "</div>",
    "<ref>", "</ref>", "''", "'''", "\n", "\n*", "\n==", "&amp;", "&#xD800;", "{{{1}}}",
    "{{!}}", "{{#if:x|y}}", "https://example.org/", ",", "\x00", "\ud800", "\U0001f600", "N/A",
    "{|", "|}", "~~~~", "__NOTOC__", ":", "Template:",
])  # fmt: skip
PAGES = st.lists(st.one_of(FRAGMENTS, st.text(max_size=5)), max_size=40).map("".join)


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(PAGES)
def test_any_text_parses_without_raising(text: str) -> None:
    assert isinstance(parse_page("Fuzz", text, template_names=NAMES), ParsedPage)


@settings(max_examples=200, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.sampled_from(PARAMETERS), st.one_of(FRAGMENTS, st.text(max_size=20)))
def test_any_value_parses_without_raising(field: str, text: str) -> None:
    _, problems = parse_value(field, text)
    assert isinstance(problems, tuple)
