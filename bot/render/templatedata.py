"""Generate the TemplateData and the parameter reference of the infobox from the contract.

:func:`templatedata` is the TemplateData of ``Template:Partnership infobox``: every parameter
of :data:`bot.contract.PARAMETERS` in contract order, labels and descriptions in each language
of ``i18n/infobox`` (TemplateData takes a map of language codes), the accepted values as
suggestions (the vocabulary, yes/no, and for ``flags`` the flag ids of the checklist), and the
parameters the checklist requires: ``required`` when an error-severity rule asks for the field at
every stage, ``suggested`` when a warning does, or the contract suggests it.

:func:`reference_page` is ``Template:Partnership infobox/parameters``, transcluded by the
template's documentation: a blank infobox to copy, the tables of accepted values with the
labels the infobox shows, the warning flags, and the TemplateData itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from bot.checklist.assess import Checklist
from bot.contract import PARAMETERS, Group, Kind, Parameter, group_label_key, value_label_key
from bot.model import Severity

__all__ = ["reference_page", "templatedata"]

Messages = Mapping[str, Mapping[str, str]]

_TYPES = {
    Kind.DATE: "date",
    Kind.COUNT: "number",
    Kind.USERS: "wiki-user-name",
}
_TEMPLATE = "Partnership infobox"


def _always_asked(checklist: Checklist, severity: Severity) -> set[str]:
    """Return the fields a ``required`` rule of ``severity`` asks for at every stage and type."""
    fields: set[str] = set()
    for rule in checklist.rules:
        if (
            rule.check == "required"
            and rule.severity is severity
            and rule.statuses is None
            and rule.types is None
            and not rule.when
        ):
            value = rule.params.get("fields", ())
            if isinstance(value, tuple):
                fields.update(str(item) for item in value)
    return fields


def _languages(messages: Messages, key: str) -> dict[str, str]:
    return {lang: texts[key] for lang, texts in sorted(messages.items()) if key in texts}


def _param(p: Parameter, checklist: Checklist, messages: Messages) -> dict[str, object]:
    data: dict[str, object] = {
        "label": _languages(messages, p.label_key),
        "description": _languages(messages, p.description_key),
        "type": p.input or _TYPES.get(p.kind) or ("string" if p.multiline else "line"),
    }
    suggestions = list(p.values) or list(p.suggestions)
    if p.kind is Kind.FLAGS:
        suggestions = sorted(checklist.flags)
    if suggestions:
        data["suggestedvalues"] = suggestions
    if p.example:
        data["example"] = p.example
    if p.default:
        data["default"] = p.default
    if p.name in _always_asked(checklist, Severity.ERROR):
        data["required"] = True
    elif p.suggested or p.name in _always_asked(checklist, Severity.WARNING):
        data["suggested"] = True
    return data


def templatedata(checklist: Checklist, messages: Messages) -> dict[str, object]:
    """Return the TemplateData of the infobox (labels from ``i18n/infobox``, qqq left out)."""
    shown = {lang: texts for lang, texts in messages.items() if lang != "qqq"}
    return {
        "description": _languages(shown, "partnerbot-infobox-templatedata-description"),
        "params": {p.name: _param(p, checklist, shown) for p in PARAMETERS},
        "paramOrder": [p.name for p in PARAMETERS],
        "sets": [
            {
                "label": _languages(shown, group_label_key(group)),
                "params": [p.name for p in PARAMETERS if p.group is group],
            }
            for group in Group
        ],
        "format": "block",
    }


def reference_page(checklist: Checklist, messages: Messages) -> str:
    """Return the wikitext of ``Template:Partnership infobox/parameters`` (English).

    ``messages`` holds the bundles of ``i18n/infobox`` and ``i18n/checklist`` (the flags).
    """
    en = messages["en"]
    width = max(len(p.name) for p in PARAMETERS)
    blank = "\n".join(f"| {p.name:<{width}} =" for p in PARAMETERS)
    lines = [
        f"<noinclude>''{en['partnerbot-infobox-doc-generated']}''</noinclude>",
        f"=== {en['partnerbot-infobox-doc-blank-heading']} ===",
        en["partnerbot-infobox-doc-blank"],
        f"<pre>\n&#123;&#123;{_TEMPLATE}\n{blank}\n&#125;&#125;\n</pre>",
        "",
        f"=== {en['partnerbot-infobox-doc-values-heading']} ===",
        en["partnerbot-infobox-doc-values-intro"],
    ]
    for p in PARAMETERS:
        if p.vocabulary is None:
            continue
        lines += [
            "",
            f"; <code>{p.name}</code> ({en[p.label_key]})",
            '{| class="wikitable"',
            f"! {en['partnerbot-infobox-doc-value']} !! {en['partnerbot-infobox-doc-shown-as']}",
        ]
        for value in p.values:
            lines += ["|-", f"| <code>{value}</code> || {en[value_label_key(p.name, value)]}"]
        lines.append("|}")
    lines += [
        "",
        f"=== {en['partnerbot-infobox-doc-flags-heading']} ===",
        en["partnerbot-infobox-doc-flags-intro"],
        '{| class="wikitable"',
        f"! {en['partnerbot-infobox-doc-flag']} !! {en['partnerbot-infobox-doc-flag-label']} "
        f"!! {en['partnerbot-infobox-doc-flag-explanation']}",
    ]
    for flag_id in sorted(checklist.flags):
        label = en[f"partnerbot-checklist-flag-{flag_id}-label"]
        explanation = en[f"partnerbot-checklist-flag-{flag_id}-explanation"]
        lines += ["|-", f"| <code>{flag_id}</code> || {label} || {explanation}"]
    lines.append("|}")
    data = json.dumps(templatedata(checklist, messages), ensure_ascii=False, indent="\t")
    lines += [
        "",
        f"=== {en['partnerbot-infobox-doc-templatedata-heading']} ===",
        f"<templatedata>\n{data}\n</templatedata>",
    ]
    return "\n".join(lines) + "\n"
