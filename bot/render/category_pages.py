"""Render the text of every tracking category page the partnership infobox can add.

Module:Partnership infobox puts a page in one category per stage and per partnership type, in
the maintenance category when the infobox itself needs fixing, and in the bot-errors category
when the bot's latest check found an error. The category names and explanations come from
``i18n/categories/`` (the Lua module reads the same names through Module:Partnership
infobox/i18n), so the pages exist, say what they collect, and the maintenance ones are hidden
(``__HIDDENCAT__``). The stage and type categories sit in two parent categories, which are
rendered too.

The vocabularies are passed in as ``(value, label)`` pairs in their display order: the labels
are the ones the infobox shows, and each category is named after the label.

A category lists its pages by sort key. Without one, every partnership page sorts by its full
title and the whole listing sits under the letter of the common prefix ("Partnerships/..."), so
the infobox should give each of its category links the partnership's name (else the partner,
else the page's subpage name) as the sort key: ``[[Category:Name|Sort key]]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.render.messages import Messages

CATEGORY_PREFIX = "Category:"


@dataclass(frozen=True)
class CategoryPage:
    """One category page: its title (with ``Category:``), its text, whether it is hidden."""

    title: str
    text: str
    hidden: bool


def status_category(messages: Messages, label: str) -> str:
    """Return the name (without ``Category:``) of the category of stage ``label``."""
    return messages.text("partnerbot-categories-status-name", label)


def type_category(messages: Messages, label: str) -> str:
    """Return the name of the category of partnership type ``label``."""
    return messages.text("partnerbot-categories-type-name", label)


def attention_category(messages: Messages) -> str:
    """Return the name of the category of infoboxes that need fixing."""
    return messages.text("partnerbot-categories-attention-name")


def bot_errors_category(messages: Messages) -> str:
    """Return the name of the category of infoboxes whose bot check found an error."""
    return messages.text("partnerbot-categories-bot-errors-name")


def render_category_pages(
    messages: Messages,
    *,
    template: str,
    statuses: Sequence[tuple[str, str]],
    types: Sequence[tuple[str, str]],
) -> tuple[CategoryPage, ...]:
    """Return every category page, parents first; ``template`` is the infobox's name."""
    by_status = messages.text("partnerbot-categories-by-status-name")
    by_type = messages.text("partnerbot-categories-by-type-name")
    pages = [
        _page(by_status, messages.text("partnerbot-categories-by-status-text", template)),
        _page(by_type, messages.text("partnerbot-categories-by-type-text", template)),
    ]
    for value, label in statuses:
        text = messages.text("partnerbot-categories-status-text", label, value, template, by_status)
        pages.append(_page(status_category(messages, label), text, parent=(by_status, label)))
    for value, label in types:
        text = messages.text("partnerbot-categories-type-text", label, value, template, by_type)
        pages.append(_page(type_category(messages, label), text, parent=(by_type, label)))
    attention = messages.text("partnerbot-categories-attention-text", template)
    pages.append(_page(attention_category(messages), attention, hidden=True))
    errors = messages.text("partnerbot-categories-bot-errors-text", template)
    pages.append(_page(bot_errors_category(messages), errors, hidden=True))
    return tuple(pages)


def _page(
    name: str, explanation: str, *, hidden: bool = False, parent: tuple[str, str] | None = None
) -> CategoryPage:
    lines = ["__HIDDENCAT__"] if hidden else []
    lines.append(explanation)
    if parent is not None:
        lines += ["", f"[[{CATEGORY_PREFIX}{parent[0]}|{parent[1]}]]"]
    return CategoryPage(CATEGORY_PREFIX + name, "\n".join(lines), hidden)
