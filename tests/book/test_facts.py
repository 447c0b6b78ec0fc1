"""The shared facts every format prints (pure): the overview's sentence."""
from __future__ import annotations

import pytest

from compendium.book.facts import overview_sentence
from compendium.book.stats import Overview

THEMES = tuple((f"t{i}", f"Theme {i}") for i in range(5))
REGIONS = ("Africa", "Asia and the Pacific", "Europe and North America", "Latin America and the Caribbean",
           "Western Asia")


def _overview(cells: list[list[int]], columns: tuple[str, ...] = REGIONS, kind: str = "region") -> Overview:
    return Overview(THEMES, columns, tuple(tuple(row) for row in cells), kind)


@pytest.mark.parametrize(("cells", "expected"), [
    # five declared categories and regions, four of each awarded: the sentence counts what holds initiatives
    ([[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 1], [0, 0, 0, 0, 0]],
     "This edition presents four initiatives from four countries, in four categories and four regions."),
    ([[1, 1, 1, 1, 1]] * 5,
     "This edition presents 25 initiatives from 25 countries, in five categories and five regions."),
    ([[2, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]],
     "This edition presents two initiatives from two countries, in one category and one region."),
])
def test_the_overview_sentence_counts_what_was_awarded(cells, expected):
    countries = sum(map(sum, cells))
    assert overview_sentence(_overview(cells), countries, "en") == expected


def test_a_retrospective_counts_the_years_with_winners():
    cells = [[3, 1, 0], [4, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]
    text = overview_sentence(_overview(cells, ("2012", "2013", "2014"), "year"), 8, "en")
    assert text == "This retrospective presents eight initiatives from eight countries, in two categories, awarded over " \
                   "two years."
