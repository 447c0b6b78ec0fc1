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


# Names people write for either of two states: never resolved silently, the submitter is asked
# which one. ('Congo' is the Republic of the Congo's short name, and also what many call the
# Democratic Republic of the Congo.)
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "korea": ("KR", "KP"),
    "congo": ("CG", "CD"),
    "the congo": ("CG", "CD"),
}


def all_countries() -> tuple[Country, ...]:
    return _table()[0]


def lookup(value: str, extra: tuple[Country, ...] = ()) -> Country | None:
    """The country named by an alpha-2 or alpha-3 code (any case), its short name or a usual alias;
    `extra` (an edition's own `countries:`) is searched first."""
    key = fold(value)
    for country in extra:
        if key in (fold(country.alpha2), fold(country.name)) or (country.alpha3 and key == fold(country.alpha3)):
            return country
    known = territory(value) if extra else None  # 'Hong Kong' for the edition's HK named 'Hong Kong, China'
    if known is not None:
        return next((c for c in extra if c.alpha2 == known.alpha2), None)
    if key in AMBIGUOUS:
        return None
    return _table()[1].get(key)


def ambiguous(value: str) -> tuple[Country, ...]:
    """The states a name may mean when it names more than one ('Korea': the Republic of Korea and
    the Democratic People's Republic of Korea), else ()."""
    codes = AMBIGUOUS.get(fold(value), ())
    return tuple(_table()[1][fold(code)] for code in codes)


def which_of(value: str, states: tuple[Country, ...]) -> str:
    """"'Korea' may be the Republic of Korea (KR) or the Democratic People's Republic of Korea (KP):
    write the code of the one you mean"."""
    listed = " or ".join(f"{c.name} ({c.alpha2})" for c in states)
    return f"'{value}' may be {listed}: write the code of the one you mean"


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


def unknown_message(name: str, own: tuple[Country, ...] = (), regions: tuple[str, ...] = ()) -> str:
    """Why `name` is not a country an entry may give, and what to write instead: the states an
    ambiguous name may mean, the lines that declare a territory in compendium.yaml (written by
    the YAML emitter, so they paste back as meant), or the nearest known spelling."""
    from compendium.input.hints import suggest
    from compendium.input.yaml_advice import yaml_flow

    states = ambiguous(name)
    if states:
        return which_of(name, states)
    other = territory(name)
    if other is not None:
        region = other.region if not regions or other.region in regions else regions[0]
        lines = yaml_flow("countries", {other.alpha2: {"name": other.name, "region": region}})
        what = f"'{name}'" if fold(name) == fold(other.name) else f"'{name}' ({other.name})"
        return (f"{what} is not a UN member or observer state; a programme that lists it declares it in "
                f"compendium.yaml, with the name it prints and its region: {lines}")
    return (f"country '{name}' is not a known ISO 3166 code or UN country name"
            f"{suggest(name, names_and_codes() + [c.name for c in own])}")

