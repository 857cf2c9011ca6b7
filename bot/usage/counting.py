"""Count files, files used, pages, wikis and links per partnership, and for all together.

Uses are told apart by how the file reaches the page. MediaWiki's ``imagelinks`` (what
``prop=fileusage`` and GlobalUsage read) records a file a page shows whether the page's own
text shows it or a template the page transcludes does; it does not record which. The bot asks
for uses in the Template namespace too: a template page that shows a file itself is listed as
one of its uses. A use of file F on page P counts as *through a template* when P transcludes
(``list=embeddedin``, which follows nested templates) a template that shows F. Such pages are
counted apart, not among the pages using the files; a page that also shows F in its own text is
counted with them only when some other file of the partnership reaches it directly (MediaWiki
keeps no trace of the difference). Templates on a wiki whose transclusions could not be asked
leave their uses counted as direct, and the method says so.

Every page is identified by (wiki, title) and counted once per partnership; the totals are the
union over partnerships, so a file in two partners' categories and a page using files of two
partners each count once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from bot.io.usage_sources import (
    Availability,
    CategoryTree,
    FileUsage,
    LinkUsage,
    LinkUse,
    PageUse,
)
from bot.usage.subjects import UsageSubject

_T = TypeVar("_T")
NS_TEMPLATE = 10
#: A page on a wiki: (wiki, title).
PageKey = tuple[str, str]
#: Availabilities from worst to best: the worst of several figures is the first found.
_WORST_FIRST = (
    Availability.STALE,
    Availability.CONFIG_ERROR,
    Availability.NO_DATA,
    Availability.OK,
)


def worst(states: Iterable[Availability]) -> Availability:
    """Return the worst of ``states`` (OK when there are none)."""
    found = set(states)
    return next((state for state in _WORST_FIRST if state in found), Availability.OK)


def page_key(page: PageUse) -> PageKey:
    """Return the identity of a page: its wiki and title."""
    return (page.wiki, page.title)


@dataclass(frozen=True)
class SplitUses:
    """Each file's pages, told apart: reached directly, or only through a template."""

    direct: Mapping[str, frozenset[PageKey]]
    through_templates: Mapping[str, frozenset[PageKey]]
    #: The templates (wiki, title) that carry each file onto pages.
    carriers: Mapping[str, frozenset[PageKey]]
    #: Templates showing a file whose transclusions were not known (their uses count as direct).
    unresolved: frozenset[PageKey] = frozenset()


def templates_showing(uses: Mapping[str, Sequence[PageUse]]) -> dict[PageKey, set[str]]:
    """Return, per template page (wiki, title), the files it shows itself."""
    shown: dict[PageKey, set[str]] = {}
    for file, pages in uses.items():
        for page in pages:
            if page.ns == NS_TEMPLATE:
                shown.setdefault(page_key(page), set()).add(file)
    return shown


def split_uses(
    uses: Mapping[str, Sequence[PageUse]],
    transclusions: Mapping[PageKey, frozenset[str]],
    namespaces: Iterable[int],
) -> SplitUses:
    """Tell each file's uses apart (see the module docstring).

    ``transclusions`` maps a template (wiki, title) to the titles of the pages on that wiki
    that transclude it; a template missing from it is unresolved.
    """
    counted = frozenset(namespaces)
    shown = templates_showing(uses)
    direct: dict[str, frozenset[PageKey]] = {}
    through: dict[str, frozenset[PageKey]] = {}
    carriers: dict[str, frozenset[PageKey]] = {}
    unresolved: set[PageKey] = set()
    for file, pages in uses.items():
        own = {template for template, files in shown.items() if file in files}
        unresolved |= {template for template in own if template not in transclusions}
        direct_pages: set[PageKey] = set()
        template_pages: set[PageKey] = set()
        used_carriers: set[PageKey] = set()
        for page in pages:
            if page.ns not in counted:
                continue
            key = page_key(page)
            via = {
                template
                for template in own
                if template[0] == key[0] and key[1] in transclusions.get(template, frozenset())
            }
            if via:
                template_pages.add(key)
                used_carriers |= via
            else:
                direct_pages.add(key)
        direct[file] = frozenset(direct_pages)
        through[file] = frozenset(template_pages)
        carriers[file] = frozenset(used_carriers)
    return SplitUses(direct, through, carriers, frozenset(unresolved))


@dataclass(frozen=True)
class UsageCounts:
    """What one collection found for one partnership, or for all of them together.

    A set is None when it could not be obtained; ``availability`` says why for the file
    figures (the caller keeps their last good values when it is STALE). A domain's links are
    None when they could not be asked.
    """

    #: True when the partnership names a category (else the file figures do not apply).
    has_category: bool
    files: frozenset[str] | None = None
    used_files: frozenset[str] | None = None
    pages: frozenset[PageKey] | None = None
    template_pages: frozenset[PageKey] | None = None
    carriers: frozenset[PageKey] = frozenset()
    #: Links per domain (distinct page and URL), None for a domain that could not be asked.
    links: Mapping[str, frozenset[LinkUse] | None] = field(default_factory=dict)
    availability: Availability = Availability.OK
    detail: str = ""

    @property
    def wikis(self) -> frozenset[str] | None:
        """Return the wikis whose pages use the files directly."""
        return None if self.pages is None else frozenset(wiki for wiki, _title in self.pages)

    def link_counts(self) -> dict[str, int | None]:
        """Return the number of links per domain (None: not obtained)."""
        return {
            domain: None if links is None else len(links) for domain, links in self.links.items()
        }


def count_subject(
    subject: UsageSubject,
    trees: Mapping[tuple[str, int], CategoryTree],
    usage: FileUsage | None,
    split: SplitUses | None,
    links: Mapping[str, LinkUsage],
) -> UsageCounts:
    """Return the figures of one partnership from what the sources answered."""
    link_sets = {domain: _links(links.get(domain)) for domain in subject.domains}
    if subject.tree is None:
        return UsageCounts(False, links=link_sets)
    tree = trees.get(subject.tree)
    if tree is None or tree.availability is not Availability.OK:
        state = tree.availability if tree is not None else Availability.STALE
        detail = tree.detail if tree is not None else "the category was not listed"
        return UsageCounts(True, links=link_sets, availability=state, detail=detail)
    files = frozenset(tree.files)
    if usage is None or split is None or usage.availability is not Availability.OK:
        state = usage.availability if usage is not None else Availability.STALE
        details = [status.detail for status in usage.wikis if status.detail] if usage else []
        return UsageCounts(
            True,
            files=files,
            links=link_sets,
            availability=state,
            detail="; ".join(details) or "file use was not asked",
        )
    used = frozenset(file for file in files if split.direct.get(file))
    pages = frozenset(page for file in files for page in split.direct.get(file, ()))
    through = (
        frozenset(page for file in files for page in split.through_templates.get(file, ())) - pages
    )
    carriers = frozenset(
        template
        for file in files
        if split.through_templates.get(file)
        for template in split.carriers.get(file, ())
    )
    return UsageCounts(True, files, used, pages, through, carriers, link_sets)


def _links(found: LinkUsage | None) -> frozenset[LinkUse] | None:
    if found is None or found.availability is not Availability.OK:
        return None
    return frozenset(found.links)


def _union(sets: Iterable[frozenset[_T] | None]) -> frozenset[_T]:
    combined: set[_T] = set()
    for items in sets:
        combined |= items or frozenset()
    return frozenset(combined)


def count_total(counts: Sequence[UsageCounts]) -> UsageCounts:
    """Return the figures of every partnership together: each file, page and link once.

    Partnerships whose figures could not be obtained for a passing reason (STALE) make the
    totals STALE too, so the last good totals are kept rather than a partial sum shown.
    Partnerships without data (no such category) add nothing.
    """
    with_files = [c for c in counts if c.has_category]
    stale = any(c.availability is Availability.STALE for c in counts)
    domains: dict[str, frozenset[LinkUse] | None] = {}
    for c in counts:
        for domain, links in c.links.items():
            if links is None or domains.get(domain, frozenset()) is None:
                domains[domain] = None
            else:
                domains[domain] = (domains.get(domain) or frozenset()) | links
    if stale:
        return UsageCounts(bool(with_files), links=domains, availability=Availability.STALE)
    counted = [c for c in with_files if c.pages is not None]
    if with_files and not counted:
        return UsageCounts(True, links=domains, availability=Availability.NO_DATA)
    if not with_files:
        return UsageCounts(False, links=domains)
    pages = _union(c.pages for c in counted)
    return UsageCounts(
        True,
        files=_union(c.files for c in counted),
        used_files=_union(c.used_files for c in counted),
        pages=pages,
        template_pages=_union(c.template_pages for c in counted) - pages,
        carriers=frozenset(t for c in counted for t in c.carriers),
        links=domains,
    )
