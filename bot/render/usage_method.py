"""Write the method line of a usage figure: what was counted, where, how, and when.

Plain text (the caller escapes it for wikitext; a chart prints it as it is), composed from the
``partnerbot-usage-method-*`` messages in the order a reader needs them: which files, which
pages on which wikis, de-duplication, template use, views, links, synthetic figures, date.
"""

from __future__ import annotations

from bot.render.messages import Messages
from bot.usage.method import UsageMethod

#: The source names the method line shows for each file-use source.
SOURCE_NAMES = {"globalusage": "GlobalUsage", "fileusage": "prop=fileusage"}


def method_line(method: UsageMethod, messages: Messages, *, dated: bool = True) -> str:
    """Return the method of a partnership's (or the totals') figures, as one line of text.

    Without ``dated`` the collection's date is left out (a chart changes only with its data).
    """
    text = messages.text
    parts = []
    if method.total:
        parts.append(text("partnerbot-usage-method-all-categories"))
    elif method.category and method.depth:
        parts.append(text("partnerbot-usage-method-category-depth", method.category, method.depth))
    elif method.category:
        parts.append(text("partnerbot-usage-method-category", method.category))
    else:
        parts.append(text("partnerbot-usage-method-no-category"))
    namespaces = ", ".join(str(ns) for ns in method.namespaces)
    wikis = messages.join(method.wikis) if method.wikis else "-"
    source = SOURCE_NAMES.get(method.file_source, method.file_source)
    parts.append(
        text("partnerbot-usage-method-pages", namespaces, len(method.namespaces), wikis, source)
    )
    parts.append(text("partnerbot-usage-method-once"))
    parts.append(text("partnerbot-usage-method-templates"))
    if not method.templates_resolved:
        parts.append(text("partnerbot-usage-method-templates-unresolved"))
    if method.views_source == "commons-impact-metrics":
        parts.append(text("partnerbot-usage-method-impact"))
    elif method.views_source:
        parts.append(text("partnerbot-usage-method-pageviews", method.agent, method.access))
    else:
        parts.append(text("partnerbot-usage-method-no-views"))
    if method.domains:
        domains = messages.join(method.domains)
        parts.append(text("partnerbot-usage-method-links", domains, len(method.domains)))
    if method.synthetic:
        parts.append(text("partnerbot-usage-method-synthetic"))
    if dated:
        parts.append(text("partnerbot-usage-method-as-of", method.as_of[:10]))
    return "; ".join(parts) + "."
