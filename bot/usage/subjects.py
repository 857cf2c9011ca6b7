"""What is counted for each partnership: its category tree to a depth, and its link domains.

A subject is built from a record (``commons_category``, ``commons_depth``, ``link_domains``) by
the job, which normalises the names the way the sources ask for them. Records paused with
``bot=no`` and records with nothing to count are not subjects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: The key of the figures for all partnerships together.
TOTAL_KEY = "*"


@dataclass(frozen=True)
class UsageSubject:
    """One partnership whose content is counted."""

    #: The record's identity (``page#index``).
    key: str
    page: str
    index: int
    #: The partnership's label (its name, else its partner, else its page).
    name: str
    #: ``Category:Name`` as the files' wiki spells it, or "" when the record names none.
    category: str = ""
    #: Levels of subcategories counted below the category (``commons_depth``, default 0).
    depth: int = 0
    #: Web domains whose links are counted, as host names.
    domains: tuple[str, ...] = ()

    @property
    def tree(self) -> tuple[str, int] | None:
        """Return the (category, depth) to list, or None."""
        return (self.category, self.depth) if self.category else None


def wanted_trees(subjects: Iterable[UsageSubject]) -> list[tuple[str, int]]:
    """Return every (category, depth) to list, each once, in a stable order."""
    return sorted({subject.tree for subject in subjects if subject.tree is not None})


def wanted_domains(subjects: Iterable[UsageSubject]) -> list[str]:
    """Return every domain to ask about, each once, sorted."""
    return sorted({domain for subject in subjects for domain in subject.domains})


def ordered(subjects: Sequence[UsageSubject]) -> list[UsageSubject]:
    """Return the subjects in the order pages show them: by page title, then infobox."""
    return sorted(subjects, key=lambda subject: (subject.page, subject.index))
