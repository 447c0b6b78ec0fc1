"""Sanity checks for compendium/data/countries.tsv (UN members + observers)."""
import csv
import re
from pathlib import Path

import pytest

TSV = Path(__file__).resolve().parents[2] / "compendium" / "data" / "countries.tsv"
HEADER = ["alpha2", "alpha3", "name", "region", "aliases"]
REGIONS = {
    "Africa",
    "Asia and the Pacific",
    "Europe and North America",
    "Latin America and the Caribbean",
    "Western Asia",
}


@pytest.fixture(scope="module")
def rows():
    with TSV.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader)
        assert header == HEADER
        data = [dict(zip(HEADER, r)) for r in reader]
        assert all(len(r) == len(HEADER) for r in data)
    return data


@pytest.fixture(scope="module")
def by_alpha2(rows):
    return {r["alpha2"]: r for r in rows}


def test_row_count(rows):
    assert len(rows) == 195


def test_sorted_by_alpha2(rows):
    codes = [r["alpha2"] for r in rows]
    assert codes == sorted(codes)


def test_code_format(rows):
    for r in rows:
        assert re.fullmatch(r"[A-Z]{2}", r["alpha2"]), r
        assert re.fullmatch(r"[A-Z]{3}", r["alpha3"]), r


def test_unique_codes(rows):
    assert len({r["alpha2"] for r in rows}) == len(rows)
    assert len({r["alpha3"] for r in rows}) == len(rows)


def test_regions_valid(rows):
    for r in rows:
        assert r["region"] in REGIONS, r


def test_names_and_aliases_unique(rows):
    seen = {}
    for r in rows:
        assert r["name"].strip(), r
        labels = [r["name"]] + [a for a in r["aliases"].split(";") if a]
        for label in labels:
            assert label == label.strip(), (r["alpha2"], label)
            key = label.casefold()
            assert key not in seen, (label, seen.get(key), r["alpha2"])
            seen[key] = r["alpha2"]


@pytest.mark.parametrize(
    "alpha2, alpha3, name, region",
    [
        ("NO", "NOR", "Norway", "Europe and North America"),
        ("BH", "BHR", "Bahrain", "Western Asia"),
        ("EG", "EGY", "Egypt", "Africa"),
        ("CN", "CHN", "China", "Asia and the Pacific"),
        ("BR", "BRA", "Brazil", "Latin America and the Caribbean"),
        ("RU", "RUS", "Russian Federation", "Europe and North America"),
    ],
)
def test_spot_checks(by_alpha2, alpha2, alpha3, name, region):
    r = by_alpha2[alpha2]
    assert (r["alpha3"], r["name"], r["region"]) == (alpha3, name, region)
