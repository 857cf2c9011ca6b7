"""Render the method page: every checklist rule and warning flag, in the wiki's language.

The page is the checklist as coordinators read it. Each rule is a table row whose ``id`` is the
rule's id, so ``[[Method page#goals-missing]]`` lands on it; the row gives the severity, the stages
(and types, and conditions) it applies to, what it checks (composed from the check's name and
parameters by the messages of :data:`CHECK_MESSAGES` and :data:`LICENCE_MESSAGES`), why
(the rule's message) and the guidance it comes from, linked to the section. Each warning flag is
a row with the id ``flag-<id>``.

Headings and labels come from ``i18n/method/``; the rules' and flags' own texts from
``i18n/checklist/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from bot.checklist.assess import Checklist
from bot.checklist.predicates import Flag, Rule, Source
from bot.model import PartnershipType, Severity, Status
from bot.render.escape import escape_text
from bot.render.messages import Messages

#: Message describing what each check verifies. Keys are written out so that the bundle tests
#: find them in the code; a check missing here is described by ``partnerbot-method-check-other``.
CHECK_MESSAGES = {
    "parser_problem": "partnerbot-method-check-parser-problem",
    "unclaimed_parser_problem": "partnerbot-method-check-unclaimed-parser-problem",
    "required": "partnerbot-method-check-required",
    "required_any": "partnerbot-method-check-required-any",
    "required_yes": "partnerbot-method-check-required-yes",
    "value_in": "partnerbot-method-check-value-in",
    "min_items": "partnerbot-method-check-min-items",
    "dates_in_order": "partnerbot-method-check-dates-in-order",
    "date_passed": "partnerbot-method-check-date-passed",
    "date_in_future": "partnerbot-method-check-date-in-future",
    "follow_up_stale": "partnerbot-method-check-follow-up-stale",
    "review_due": "partnerbot-method-check-review-due",
    "money_needs_agreement": "partnerbot-method-check-money-needs-agreement",
    "warning_flags": "partnerbot-method-check-warning-flags",
    "unknown_flags": "partnerbot-method-check-unknown-flags",
}
#: What the ``licence_kind`` check verifies, by licence kind (bot.checklist.licences.LicenceKind).
LICENCE_MESSAGES = {
    "free": "partnerbot-method-licence-free",
    "non_free": "partnerbot-method-licence-non-free",
    "gfdl_only": "partnerbot-method-licence-gfdl-only",
    "unrecognised": "partnerbot-method-licence-unrecognised",
}
SEVERITY_MESSAGES = {
    Severity.ERROR: "partnerbot-method-severity-error",
    Severity.WARNING: "partnerbot-method-severity-warning",
    Severity.INFO: "partnerbot-method-severity-info",
}
#: Id of the flags table (link target of the flag checks); flag rows are ``flag-<id>``.
FLAGS_ANCHOR = "flags"


def render_method_page(checklist: Checklist, messages: Messages) -> str:
    """Return the method page's wikitext for ``checklist``.

    Two columns keep the tables readable on a narrow screen: the rule (id, severity, where it
    applies), then what it checks, why and where the guidance says so.
    """
    rules, flags = checklist.rules, list(checklist.flags.values())
    lines = [
        messages.text("partnerbot-method-intro", len(rules), len(flags)),
        "",
        f"== {messages.text('partnerbot-method-rules-heading')} ==",
        messages.text("partnerbot-method-rules-intro"),
        '{| class="wikitable partnerbot-method-rules"',
        _header(messages, "partnerbot-method-column-rule", "partnerbot-method-column-details"),
    ]
    for rule in rules:
        lines += _rule_row(rule, messages)
    lines += ["|}", "", f"== {messages.text('partnerbot-method-flags-heading')} =="]
    lines.append(messages.text("partnerbot-method-flags-intro"))
    lines.append(f'{{| class="wikitable partnerbot-method-flags" id="{FLAGS_ANCHOR}"')
    lines.append(
        _header(messages, "partnerbot-method-column-flag", "partnerbot-method-column-meaning")
    )
    for flag in flags:
        lines += _flag_row(flag, messages)
    lines.append("|}")
    return "\n".join(lines) + "\n"


def _header(messages: Messages, *keys: str) -> str:
    return "! " + " !! ".join(messages.text(key) for key in keys)


def _rule_row(rule: Rule, messages: Messages) -> list[str]:
    severity = messages.text(SEVERITY_MESSAGES[rule.severity])
    applies = _applies(rule, messages)
    details = [
        messages.text("partnerbot-method-label-checks", describe_check(rule, messages)),
        messages.text(
            "partnerbot-method-label-why", messages.text(f"partnerbot-checklist-rule-{rule.id}")
        ),
        messages.text("partnerbot-method-label-source", _citation(rule.source, messages)),
    ]
    return [
        f'|- id="{rule.id}"',
        f"| <code>{rule.id}</code><br />'''{severity}'''<br /><small>{applies}</small>",
        _cell("<br />".join(details)),
    ]


def _flag_row(flag: Flag, messages: Messages) -> list[str]:
    label = messages.text(f"partnerbot-checklist-flag-{flag.id}-label")
    details = [
        messages.text(f"partnerbot-checklist-flag-{flag.id}-explanation"),
        messages.text("partnerbot-method-label-source", _citation(flag.source, messages)),
    ]
    return [
        f'|- id="flag-{flag.id}"',
        f"| <code>{flag.id}</code><br />'''{label}'''",
        _cell("<br />".join(details)),
    ]


def _cell(text: str) -> str:
    """Return a table cell line; the empty attribute part keeps a ``|`` in ``text`` as text."""
    return f"| | {text}"


def _codes(values: Iterable[str]) -> list[str]:
    return [f"<code>{value}</code>" for value in values]


def _ordered(values: frozenset[StrEnum], order: Sequence[StrEnum]) -> list[str]:
    return [str(value) for value in order if value in values]


def _applies(rule: Rule, messages: Messages) -> str:
    """Return the stages, types and conditions under which ``rule`` is checked."""
    parts = []
    if rule.statuses is None:
        parts.append(messages.text("partnerbot-method-stages-all"))
    else:
        stages = messages.join(_codes(_ordered(rule.statuses, list(Status))))
        parts.append(messages.text("partnerbot-method-stages", stages, len(rule.statuses)))
    if rule.types is not None:
        kinds = messages.join(_codes(_ordered(rule.types, list(PartnershipType))))
        parts.append(messages.text("partnerbot-method-types", kinds, len(rule.types)))
    for name, values in sorted(rule.when.items()):
        accepted = messages.join(_codes(sorted(values)), style="or")
        parts.append(messages.text("partnerbot-method-when", f"<code>{name}</code>", accepted))
    return "<br />".join(parts)


def describe_check(rule: Rule, messages: Messages) -> str:
    """Return what ``rule``'s check verifies, from the check's name and parameters."""
    params = rule.params
    if rule.check == "licence_kind":
        return messages.text(LICENCE_MESSAGES[str(params["kind"])])
    key = CHECK_MESSAGES.get(rule.check)
    if key is None:
        return messages.text("partnerbot-method-check-other", f"<code>{rule.check}</code>")

    def fields(name: str, style: str = "and") -> tuple[str, int]:
        names = _texts(params.get(name))
        joined = messages.join(_codes(names), style="or" if style == "or" else "and")
        return joined, len(names)

    check = rule.check
    if check in {"required", "required_yes", "date_in_future"}:
        return messages.text(key, *fields("fields"))
    if check == "required_any":
        return messages.text(key, fields("fields", "or")[0])
    if check == "value_in":
        field = f"<code>{params['field']}</code>"
        return messages.text(key, field, fields("values", "or")[0])
    if check == "min_items":
        return messages.text(key, f"<code>{params['field']}</code>", _number(params["minimum"]))
    if check == "dates_in_order":
        pairs = [
            messages.text("partnerbot-method-date-pair", *_codes(pair))
            for pair in _pairs(params.get("pairs"))
        ]
        return messages.text(key, messages.join(pairs), len(pairs))
    if check == "date_passed":
        field = f"<code>{params['field']}</code>"
        return messages.text(key, field, _number(params["grace_days"]))
    if check == "follow_up_stale":
        return messages.text(key, _number(params["max_days"]))
    if check == "review_due":
        interval, grace = _number(params["max_interval_days"]), _number(params["grace_days"])
        return messages.text(key, interval, grace)
    if check == "money_needs_agreement":
        formal = fields("formal", "or")[0]
        money_types, count = fields("money_types", "or")
        return messages.text(key, formal, money_types, count)
    if check in {"warning_flags", "unknown_flags"}:
        return messages.text(key, f"#{FLAGS_ANCHOR}")
    return messages.text(key)


def _texts(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, tuple | list) else []


def _pairs(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, tuple | list):
        return []
    return [(str(pair[0]), str(pair[1])) for pair in value]


def _number(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def _citation(source: Source, messages: Messages) -> str:
    """Return an external link to the guidance section, labelled ``page § section``."""
    label = messages.text(
        "partnerbot-method-source", escape_text(source.page), escape_text(source.section)
    )
    return f"[{source.url}#{section_fragment(source.section)} {label}]"


#: Characters a URL in an external link cannot carry as they are.
_URL_UNSAFE = frozenset('"%<>[]{}|\\^`')


def section_fragment(section: str) -> str:
    """Return the URL fragment of a heading, as MediaWiki makes section anchors.

    Spaces become underscores (MediaWiki's HTML5 anchors keep the other characters); characters
    that cannot stand in an external link's address, controls and non-ASCII characters are
    percent-encoded.
    """
    out = []
    for char in " ".join(section.split()).replace(" ", "_"):
        if char in _URL_UNSAFE or ord(char) < 33 or ord(char) > 126:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)
