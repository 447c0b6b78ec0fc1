"""Render (HTML): the facets a reader filters the initiatives by — theme, region, country, place, year,
and each vocabulary field the edition indexes (the SDGs).

One list, computed from the Book, feeds the search page's filters, the search index's filters and
the data downloads, so a new facet (an edition's vocabulary, such as the SDGs) is one more item
here and nowhere else.
"""
from __future__ import annotations

from dataclasses import dataclass

from compendium.book.group import by_country
from compendium.book.indexes import indexes
from compendium.book.labels import Labels
from compendium.book.slug import region_slugs
from compendium.model import PLACES, Book, Entry


@dataclass(frozen=True)
class Facet:
    """One way to filter the entries.

    key:       the URL parameter (`search.html?region=africa`) and the search index's filter name.
    label:     the filter's label in the site's language ("Region").
    any_label: its "no filter" choice ("All regions").
    options:   (value, title) pairs in the order a reader expects (the edition's, A–Z, or place order),
               only values some entry has.
    values:    entry id → the entry's values (one for most facets; several for a vocabulary list).
    """

    key: str
    label: str
    any_label: str
    options: tuple[tuple[str, str], ...]
    values: dict[str, tuple[str, ...]]

    @property
    def useful(self) -> bool:
        """A facet with a single value filters nothing: the search page leaves it out."""
        return len(self.options) > 1

    def titles(self, entry: Entry) -> list[str]:
        """The titles of the entry's values ("Africa"), in the facet's order."""
        names = dict(self.options)
        return [names[v] for v in self.values.get(entry.id, ()) if v in names]


def _facet(key: str, label: str, any_label: str, options: list[tuple[str, str]], book: Book,
           value_of) -> Facet:
    values = {e.id: tuple(value_of(e)) for e in book.entries}
    used = {v for vs in values.values() for v in vs}
    return Facet(key, label, any_label, tuple((v, t) for v, t in options if v in used), values)


def facets(book: Book, words: Labels) -> list[Facet]:
    """The facets of an edition, in the order the search page shows them (see the module's docstring)."""
    edition = book.edition
    slugs = region_slugs(edition.regions)
    years = sorted({e.year for e in book.entries}, reverse=True)
    return [
        _facet("theme", words.theme, words.all_themes, [(t.id, t.name) for t in edition.themes], book,
               lambda e: (edition.theme_of(e).id,)),  # across years: the theme it is filed under
        _facet("region", words.region, words.all_regions, [(slugs[r], r) for r in edition.regions], book,
               lambda e: (slugs.get(e.region, ""),)),
        _facet("country", words.country, words.all_countries,
               [(c.alpha2, c.name) for c in by_country(book)], book, lambda e: (e.country.alpha2,)),
        _facet("place", words["place"], words.all_places, [(p, words.place(p)) for p in PLACES], book,
               lambda e: (e.place,)),
        _facet("year", words.year, words.all_years, [(str(y), str(y)) for y in years], book,
               lambda e: (str(e.year),)),
        # the edition's indexed vocabulary fields (the SDGs...): one facet each, terms in their order
        *(_facet(index.id, index.field.title(edition.language), words.all_terms,
                 [(t.term.id, t.title) for t in index.terms], book,
                 lambda e, index=index: _term_ids(e.value(index.field.id)))
          for index in indexes(book)),
    ]


def _term_ids(value: object) -> tuple[str, ...]:
    """An extra field's value as term ids: a list field gives several, a choice one, absent none."""
    if value is None:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, tuple) else (str(value),)
