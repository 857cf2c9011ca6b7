"""How the figures of one partnership were counted: the facts its method line is written from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UsageMethod:
    """What was counted, where, and when (every figure on the usage page carries one)."""

    #: ``Category:...`` and the levels of subcategories counted ("" and 0: no category).
    category: str
    depth: int
    #: Namespaces of the pages counted.
    namespaces: tuple[int, ...]
    #: ``globalusage`` or ``fileusage``, and the wikis asked (for fileusage, links, templates).
    file_source: str
    wikis: tuple[str, ...]
    #: ``pageviews-per-article``, ``commons-impact-metrics`` or "" (views not configured).
    views_source: str
    #: The pageviews API's agent and access values (``user``, ``all-access``).
    agent: str
    access: str
    #: True when the views come from a local stand-in.
    synthetic: bool
    #: When the collection ran (ISO date-time, UTC).
    as_of: str
    #: True when the transclusions of every template carrying a file were known.
    templates_resolved: bool = True
    domains: tuple[str, ...] = ()
    #: True for the figures of every partnership together.
    total: bool = False
