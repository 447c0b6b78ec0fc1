"""Group: pure function from an Edition and its entries to the Book (parts → chapters → entries)."""
from __future__ import annotations

from dataclasses import replace

from compendium.book.slug import region_slugs
from compendium.book.typography import typeset_entry, typeset_theme
from compendium.input.countries import fold
from compendium.model import PLACES, Book, Chapter, Country, Edition, Entry, Part


def entry_sort_key(entry: Entry) -> tuple:
    """Entries inside a chapter: by place, then country name, then title, then id (total order)."""
    return (PLACES.index(entry.place), entry.country.name.casefold(), entry.title.casefold(), entry.id)


def _groups(edition: Edition, kind: str) -> list[tuple[str, str, str]]:
    """(key, title, description) of every theme or region, in the edition's order."""
    if kind == "theme":
        return [(t.id, t.name, t.description) for t in edition.themes]
    return [(slug, r, "") for r, slug in region_slugs(edition.regions).items()]


def _value(entry: Entry, kind: str) -> str:
    return entry.theme.id if kind == "theme" else entry.region


def build_book(edition: Edition, entries: tuple[Entry, ...] | list[Entry]) -> Book:
    """The Book: parts per edition.group_by[0], chapters per group_by[1]; empty groups are left out.

    edition, entries: validated values (input.validate); their one-line fields (titles, names, captions,
    keywords, theme names) come out with typographic quotes (book.typography.typeset_entry). Returns the
    Book, entries in book order
    (entry_sort_key: place, country, title) inside each chapter, parts and chapters in the order the
    edition lists its themes and regions. Pure: reads nothing, raises nothing.
    """
    # one-line fields get the typographic quotes their Markdown gets (book.typography): every format prints them
    themes = {t.id: typeset_theme(t, edition.language) for t in edition.themes}
    edition = replace(edition, themes=tuple(themes.values()))
    entries = [replace(typeset_entry(e, edition.language), theme=themes.get(e.theme.id, e.theme)) for e in entries]
    outer, inner = edition.group_by
    parts: list[Part] = []
    for okey, otitle, odesc in _groups(edition, outer):
        match_outer = okey if outer == "theme" else otitle
        in_part = [e for e in entries if _value(e, outer) == match_outer]
        chapters: list[Chapter] = []
        for ikey, ititle, idesc in _groups(edition, inner):
            match_inner = ikey if inner == "theme" else ititle
            chosen = sorted((e for e in in_part if _value(e, inner) == match_inner), key=entry_sort_key)
            if chosen:
                chapters.append(Chapter(inner, ikey, ititle, tuple(chosen), idesc))
        if chapters:
            parts.append(Part(outer, okey, otitle, tuple(chapters), odesc))
    return Book(edition, tuple(parts))


def by_country(book: Book) -> dict[Country, tuple[Entry, ...]]:
    """The index of countries every format prints: country → its entries in book order, countries
    sorted alphabetically without regard to case or accents (countries.fold: Côte d'Ivoire before Czechia)."""
    found: dict[Country, list[Entry]] = {}
    for entry in book.entries:
        found.setdefault(entry.country, []).append(entry)
    return {c: tuple(found[c]) for c in sorted(found, key=lambda c: (fold(c.name), c.alpha2))}
