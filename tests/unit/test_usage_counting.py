"""Counting files, pages and links per partnership and for all together (bot.usage.counting)."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import given
from hypothesis import strategies as st

from bot.io.usage_sources import (
    Availability,
    CategoryTree,
    FileUsage,
    LinkUsage,
    LinkUse,
    Method,
    PageUse,
    WikiStatus,
)
from bot.usage.counting import (
    UsageCounts,
    count_subject,
    count_total,
    split_uses,
    templates_showing,
)
from bot.usage.subjects import UsageSubject

WIKI = "content.devwiki"
NAVBOX = PageUse(WIKI, 10, "Template:Crafts navbox")


def _page(title: str, ns: int = 0, wiki: str = WIKI) -> PageUse:
    return PageUse(wiki, ns, title)


def _usage(uses: Mapping[str, list[PageUse]], state: Availability = Availability.OK) -> FileUsage:
    return FileUsage(
        {file: tuple(pages) for file, pages in uses.items()},
        (WikiStatus(WIKI, state),),
        Method("fileusage", "x"),
    )


def _tree(category: str, files: list[str], state: Availability = Availability.OK) -> CategoryTree:
    return CategoryTree(category, 0, state, files=tuple(sorted(files)))


def _subject(key: str, category: str = "", domains: tuple[str, ...] = ()) -> UsageSubject:
    return UsageSubject(key, key, 0, key, category, 0, domains)


Trees = dict[tuple[str, int], CategoryTree]
Collection = tuple[list[UsageSubject], Trees, FileUsage]


def _count(
    subject: UsageSubject,
    trees: Trees,
    usage: FileUsage,
    transclusions: Mapping[tuple[str, str], frozenset[str]] | None = None,
) -> UsageCounts:
    split = split_uses(usage.uses, transclusions or {}, (0,))
    return count_subject(subject, trees, usage, split, {})


def test_a_page_that_has_the_file_only_through_a_template_is_counted_apart() -> None:
    usage = _usage(
        {
            "File:Spoon.png": [NAVBOX, _page("Chip carving"), _page("Folk art")],
            "File:Mitten.png": [_page("Folk art")],
        }
    )
    transclusions = {(WIKI, "Template:Crafts navbox"): frozenset({"Chip carving", "Folk art"})}
    trees = {
        ("Category:Museum", 0): _tree("Category:Museum", ["File:Spoon.png", "File:Mitten.png"])
    }
    counts = _count(_subject("museum", "Category:Museum"), trees, usage, transclusions)

    assert counts.pages == {(WIKI, "Folk art")}  # the mitten is in its own text
    assert counts.template_pages == {(WIKI, "Chip carving")}  # only the navbox's spoon
    assert counts.used_files == {"File:Mitten.png"}
    assert counts.carriers == {(WIKI, "Template:Crafts navbox")}


def test_a_template_whose_pages_are_unknown_leaves_its_uses_counted_as_direct() -> None:
    usage = _usage({"File:Spoon.png": [NAVBOX, _page("Chip carving")]})
    split = split_uses(usage.uses, {}, (0,))

    assert split.direct["File:Spoon.png"] == {(WIKI, "Chip carving")}
    assert split.unresolved == {(WIKI, "Template:Crafts navbox")}


def test_uses_outside_the_counted_namespaces_are_not_pages_using_the_files() -> None:
    usage = _usage({"File:A.png": [_page("Talk:Loom", ns=1), NAVBOX]})
    trees = {("Category:C", 0): _tree("Category:C", ["File:A.png"])}
    counts = _count(_subject("c", "Category:C"), trees, usage)

    assert (counts.files, counts.used_files, counts.pages) == ({"File:A.png"}, set(), set())
    assert templates_showing(usage.uses) == {(WIKI, NAVBOX.title): {"File:A.png"}}


def test_a_missing_category_is_no_data_and_an_unused_one_is_zero() -> None:
    usage = _usage({"File:E.png": []})
    trees = {
        ("Category:Gone", 0): _tree("Category:Gone", [], Availability.NO_DATA),
        ("Category:Empty", 0): _tree("Category:Empty", ["File:E.png"]),
    }
    missing = _count(_subject("m", "Category:Gone"), trees, usage)
    empty = _count(_subject("e", "Category:Empty"), trees, usage)

    assert (missing.availability, missing.files, missing.pages) == (
        Availability.NO_DATA,
        None,
        None,
    )
    assert (empty.availability, len(empty.files or ()), empty.pages) == (Availability.OK, 1, set())


def test_file_use_that_could_not_be_asked_is_stale_and_makes_the_totals_stale() -> None:
    usage = _usage({"File:A.png": [_page("P")]}, Availability.STALE)
    trees = {("Category:C", 0): _tree("Category:C", ["File:A.png"])}
    counts = _count(_subject("c", "Category:C"), trees, usage)

    assert counts.availability is Availability.STALE
    assert (counts.files, counts.pages) == ({"File:A.png"}, None)
    assert count_total([counts]).availability is Availability.STALE


def test_links_count_each_page_and_address_once_and_a_failed_domain_is_none() -> None:
    page = _page("P")
    ok = LinkUsage(
        "a.example",
        (LinkUse(page, "http://a.example/x"), LinkUse(page, "https://a.example/y")),
        (WikiStatus(WIKI, Availability.OK),),
        Method("exturlusage", "x"),
    )
    failed = LinkUsage("b.example", (), (WikiStatus(WIKI, Availability.STALE),), Method("e", "x"))
    subject = _subject("l", domains=("a.example", "b.example"))
    counts = count_subject(subject, {}, None, None, {"a.example": ok, "b.example": failed})

    assert counts.link_counts() == {"a.example": 2, "b.example": None}
    assert counts.has_category is False


# -- the totals count each file and each page once ------------------------------------------------

FILES = [f"File:F{n}.png" for n in range(8)]
PAGES = [(wiki, f"P{n}") for wiki in ("a.wiki", "b.wiki") for n in range(5)]


@st.composite
def collections(draw: st.DrawFn) -> Collection:
    """Random partnerships whose categories share files, files used by shared pages."""
    count = draw(st.integers(1, 5))
    subjects: list[UsageSubject] = []
    trees: Trees = {}
    for number in range(count):
        category = f"Category:C{number}"
        files = draw(st.lists(st.sampled_from(FILES), max_size=6, unique=True))
        trees[(category, 0)] = _tree(category, files)
        subjects.append(_subject(f"s{number}", category))
    uses = {}
    for file in FILES:
        chosen = draw(st.lists(st.sampled_from(PAGES), max_size=6))
        uses[file] = [PageUse(wiki, 0, title) for wiki, title in chosen]
    return subjects, trees, _usage(uses)


@given(collections())
def test_totals_are_the_union_of_every_partnerships_files_and_pages(
    collected: Collection,
) -> None:
    subjects, trees, usage = collected
    split = split_uses(usage.uses, {}, (0,))
    counts = [count_subject(subject, trees, usage, split, {}) for subject in subjects]
    total = count_total(counts)

    every_file = set().union(*(tree.files for tree in trees.values()))
    assert total.files == every_file
    assert total.pages == set().union(*(c.pages or set() for c in counts))
    assert total.used_files == {f for f in every_file if usage.uses[f]}
    assert len(total.pages or ()) <= sum(len(c.pages or ()) for c in counts)
    assert total.wikis == {wiki for wiki, _title in total.pages or ()}


@given(collections(), st.randoms(use_true_random=False))
def test_totals_do_not_depend_on_order_or_on_a_partnership_listed_twice(
    collected: Collection,
    random: object,
) -> None:
    subjects, trees, usage = collected
    split = split_uses(usage.uses, {}, (0,))
    counts = [count_subject(subject, trees, usage, split, {}) for subject in subjects]
    shuffled = list(counts)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    once, twice = count_total(counts), count_total([*shuffled, counts[0]])

    assert (once.files, once.pages, once.used_files) == (twice.files, twice.pages, twice.used_files)


@given(collections())
def test_a_page_is_either_using_the_files_or_through_templates_never_both(
    collected: Collection,
) -> None:
    subjects, trees, usage = collected
    carriers = {
        (wiki, "Template:Box"): frozenset(t for w, t in PAGES[::2] if w == wiki)
        for wiki in ("a.wiki", "b.wiki")
    }
    uses: dict[str, list[PageUse]] = {}
    for file, pages in usage.uses.items():
        boxes = [PageUse(page.wiki, 10, "Template:Box") for page in pages[:1]]
        uses[file] = [*pages, *boxes]
    split = split_uses(uses, carriers, (0,))
    counts = [count_subject(subject, trees, usage, split, {}) for subject in subjects]
    total = count_total(counts)

    for found in [*counts, total]:
        assert not (found.pages or set()) & (found.template_pages or set())
