"""Vocabulary: UN member states and observers, their ISO codes, names and default UNPSA region;
the territories that are not (data/territories.tsv) are known only to explain how an edition
declares them (`countries:` in compendium.yaml)."""
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


@lru_cache(maxsize=2)
def _table(name: str = "countries.tsv") -> tuple[tuple[Country, ...], dict[str, Country]]:
    text = resources.files("compendium").joinpath(f"data/{name}").read_text(encoding="utf-8")
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


def lookup(value: str, extra: tuple[Country, ...] = ()) -> Country | None:
    """The country named by an alpha-2 or alpha-3 code (any case), its short name or a usual alias;
    `extra` (an edition's own `countries:`) is searched first."""
    key = fold(value)
    for country in extra:
        if key in (fold(country.alpha2), fold(country.name)) or (country.alpha3 and key == fold(country.alpha3)):
            return country
    return _table()[1].get(key)


def territory(value: str) -> Country | None:
    """A country or territory that is not a UN member or observer state (Kosovo, Hong Kong,
    Taiwan, Puerto Rico...), by code or name, with a usual region: for advice only."""
    return _table("territories.tsv")[1].get(fold(value))


def names_and_codes() -> list[str]:
    """Every accepted spelling, for near-miss suggestions."""
    out: list[str] = []
    for c in all_countries():
        out.extend((c.name, c.alpha2, c.alpha3))
    return out
