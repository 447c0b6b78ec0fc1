"""Vocabulary: UN member states and observers, their ISO codes, names and default UNPSA region."""
from __future__ import annotations

import csv
import unicodedata
from functools import lru_cache
from importlib import resources

from compendium.model import Country


def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Côte d’Ivoire' and "cote d'ivoire" meet.

    Also the alphabetical sort key of country names in every index (Côte d'Ivoire among the Cs).
    """
    text = text.replace("\u2019", "'").strip().casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[Country, ...], dict[str, Country]]:
    text = resources.files("compendium").joinpath("data/countries.tsv").read_text(encoding="utf-8")
    countries: list[Country] = []
    index: dict[str, Country] = {}
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        country = Country(row["alpha2"], row["alpha3"], row["name"], row["region"])
        countries.append(country)
        aliases = [a for a in (row.get("aliases") or "").split(";") if a.strip()]
        for key in (country.alpha2, country.alpha3, country.name, *aliases):
            index[fold(key)] = country
    return tuple(countries), index


def all_countries() -> tuple[Country, ...]:
    return _table()[0]


def lookup(value: str) -> Country | None:
    """The country named by an alpha-2 or alpha-3 code (any case), its short name or a usual alias."""
    return _table()[1].get(fold(value))


def names_and_codes() -> list[str]:
    """Every accepted spelling, for near-miss suggestions."""
    out: list[str] = []
    for c in all_countries():
        out.extend((c.name, c.alpha2, c.alpha3))
    return out
