"""Views per page and month (bot.usage.views) and the month-by-month history (bot.usage.history)."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from bot.io.usage_sources import Availability, Month
from bot.usage.counting import UsageCounts
from bot.usage.history import MonthFigures, headline, latest_counts, update_history
from bot.usage.views import (
    MonthViews,
    contiguous,
    monthly_views,
    months_to_fetch,
    view_window,
)

WINDOW = view_window(Month(2026, 5), 12)
P, Q = ("content.devwiki", "Loom"), ("content.devwiki", "Spoon")


def test_the_window_ends_with_the_last_complete_month() -> None:
    assert (WINDOW[0], WINDOW[-1], len(WINDOW)) == (Month(2025, 6), Month(2026, 5), 12)


def test_only_months_without_a_stored_figure_are_asked_in_contiguous_ranges() -> None:
    stored = {P: dict.fromkeys(WINDOW[3:6], 5), Q: dict.fromkeys(WINDOW, 1)}

    assert months_to_fetch([P, Q], WINDOW, stored) == {
        P: [(WINDOW[0], WINDOW[2]), (WINDOW[6], WINDOW[-1])]
    }


@given(
    st.dictionaries(
        st.sampled_from([P, Q, ("a", "b")]),
        st.dictionaries(st.sampled_from(WINDOW), st.none() | st.integers(0, 99)),
    )
)
def test_a_page_month_once_stored_is_never_asked_again(
    stored: dict[tuple[str, str], dict[Month, int | None]],
) -> None:
    pages = [P, Q, ("a", "b")]
    wanted = months_to_fetch(pages, WINDOW, stored)
    for page, ranges in wanted.items():
        for first, last in ranges:
            for month in WINDOW:
                if first <= month <= last:
                    assert month not in stored.get(page, {})
                    stored.setdefault(page, {})[month] = 0
    assert months_to_fetch(pages, WINDOW, stored) == {}


@given(st.sets(st.sampled_from(WINDOW)))
def test_contiguous_ranges_cover_exactly_the_months(months: set[Month]) -> None:
    ranges = contiguous(months)
    covered = {m for first, last in ranges for m in WINDOW if first <= m <= last}
    assert covered == months
    assert all(a[1].next() < b[0] for a, b in itertools.pairwise(ranges))


def test_a_month_without_data_is_not_zero_and_a_missing_figure_is_stale() -> None:
    may, april = WINDOW[-1], WINDOW[-2]
    stored = {P: {may: None, april: 7}, Q: {may: None}}
    sums = monthly_views([P, Q], [april, may], stored)

    assert sums[may] == MonthViews(None, Availability.NO_DATA, 0, 2)
    assert sums[april] == MonthViews(None, Availability.STALE, 1, 0, 1)  # Q's April is missing
    assert monthly_views([], [may], stored)[may].value == 0  # no page: nothing viewed


def test_each_page_counts_once_in_a_month() -> None:
    stored = {P: {WINDOW[-1]: 10}, Q: {WINDOW[-1]: 0}}
    assert monthly_views({P, Q}, WINDOW[-1:], stored)[WINDOW[-1]].value == 10


# -- history --------------------------------------------------------------------------------------

JUNE = Month(2026, 6)


def _counts(pages: int, state: Availability = Availability.OK) -> UsageCounts:
    keys = frozenset(("w", f"P{n}") for n in range(pages))
    if state is not Availability.OK:
        return UsageCounts(True, availability=state)
    return UsageCounts(True, frozenset({"File:A"}), frozenset({"File:A"}), keys, frozenset())


def test_counts_that_could_not_be_obtained_keep_the_last_good_ones_marked_stale() -> None:
    first = update_history({}, _counts(3), None, open_month=Month(2026, 5), as_of="2026-05-20")
    second = update_history(
        first, _counts(0, Availability.STALE), None, open_month=JUNE, as_of="2026-06-02"
    )[JUNE]

    assert (second.pages, second.counts_stale, second.counts_as_of) == (3, True, "2026-05-20")


def test_views_that_could_not_be_fetched_keep_the_last_good_figure() -> None:
    may = Month(2026, 5)
    good = {may: MonthViews(120, Availability.OK, 3)}
    first = update_history({}, _counts(3), good, open_month=JUNE, as_of="2026-06-01")
    stale = {may: MonthViews(None, Availability.STALE, 2, 0, 1)}
    second = update_history(first, _counts(4), stale, open_month=JUNE, as_of="2026-06-02")

    assert (second[may].views, second[may].views_state) == (120, "stale")
    assert second[may].views_as_of == "2026-06-01"
    assert second[JUNE].pages == 4  # the rest of the collection went on


def test_no_data_is_kept_as_none_with_its_state() -> None:
    may = Month(2026, 5)
    rows = update_history(
        {},
        _counts(0, Availability.NO_DATA),
        {may: MonthViews(None, Availability.NO_DATA)},
        open_month=JUNE,
        as_of="2026-06-01",
    )
    assert (rows[may].views, rows[may].views_state) == (None, "no data")
    assert (rows[JUNE].files, rows[JUNE].counts_stale) == (None, False)


def test_the_headline_is_the_latest_counts_and_last_months_views() -> None:
    may = Month(2026, 5)
    rows = update_history(
        {},
        _counts(2),
        {may: MonthViews(40, Availability.OK, 2)},
        open_month=JUNE,
        as_of="2026-06-01T08:00:00Z",
        synthetic=True,
    )
    figures = headline(rows, may)

    assert figures is not None
    assert (figures.files_used, figures.pages, figures.views, figures.synthetic) == (1, 2, 40, True)
    assert latest_counts(rows) == rows[JUNE]
    assert headline({}, may) is None


def test_a_history_row_survives_the_store_as_json() -> None:
    row = MonthFigures(
        JUNE,
        files=3,
        files_used=2,
        pages=5,
        template_pages=1,
        wikis=2,
        links={"a.example": 4, "b.example": None},
        counts_as_of="x",
        counts_stale=True,
        stale_links=("b.example",),
        views=9,
        views_state="ok",
        views_as_of="y",
        synthetic=True,
    )
    assert MonthFigures.from_json(JUNE, row.to_json()) == row
