"""Group: pure functions from an Edition and its entries to the Book (parts → chapters → entries),
and from the editions of a series to a retrospective Book across years."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable

from compendium.book.slug import region_slugs
from compendium.book.typography import typeset_entry, typeset_theme
from compendium.input.countries import fold
from compendium.model import (
    PLACES,
    Book,
    Chapter,
    Country,
    Edition,
    Entry,
    Part,
    Related,
    Retrospective,
    Series,
    Theme,
)


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
    edition, entries = _typeset(edition, entries)
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


# --- across editions: a series' retrospectives and its overview ------------------------------------

def cross_themes(series: Series) -> tuple[Theme, ...]:
    """The themes entries of every year are grouped under: the series' themes (its current award
    categories), then each edition theme that is neither one of them nor mapped to one by the
    series' theme_map (a category of its years only), oldest edition first."""
    out = list(series.settings.themes)
    mapped = dict(series.theme_map)
    for edition in series.editions:
        for theme in edition.themes:
            if theme.id not in mapped and all(t.id != theme.id for t in out):
                out.append(theme)
    return tuple(out)


def _unique(items: Iterable, key: Callable) -> tuple:
    """`items` without those whose key was met before (first wins)."""
    seen: set = set()
    return tuple(x for x in items if not (key(x) in seen or seen.add(key(x))))


def retrospective_edition(series: Series, retro: Retrospective) -> Edition:
    """The book-level settings of a retrospective: the series' settings (language, publisher,
    regions...), the retrospective's own title, dates and front matter, the themes of every year
    (cross_themes), and the entry forms of the editions it spans (their sections, fields and
    vocabularies, first declaration wins)."""
    s = series.settings
    spanned = [e for e in series.editions if e.edition in retro.years]
    return replace(
        s, source=retro.source, title=retro.title, subtitle=retro.subtitle, edition=retro.years[-1],
        themes=cross_themes(series), isbn=retro.isbn, editors=retro.editors or s.editors, date=retro.date,
        introduction=retro.introduction, cover=retro.cover, group_by=retro.group_by,
        sections=_unique((x for e in spanned for x in e.sections), lambda x: x.id) or s.sections,
        fields=_unique((x for e in spanned for x in e.fields), lambda x: x.id),
        vocabularies=_unique((x for e in spanned for x in e.vocabularies), lambda x: x.id),
        countries=_unique((x for e in spanned for x in e.countries), lambda x: x.alpha2),
        folder="", years=retro.years, book_id=retro.id, theme_map=series.theme_map,
    )


def _typeset(edition: Edition, entries: Iterable[Entry], across_years: bool = False) -> tuple[Edition, list[Entry]]:
    """The edition and its entries with the typographic quotes their Markdown gets (book.typography)
    in their one-line fields: theme names and descriptions, the abbreviations' meanings, the entries'
    titles, names, captions, keywords (typeset_entry). Every format prints them; every book (an
    edition's, a retrospective's) is made of them. An entry's theme is the edition's theme of its
    id; `across_years` (a retrospective): the category of its own year, which the book prints
    beside today's (book.facts.category_line)."""
    from compendium.book.typography import educate
    from compendium.book.voice import quotes

    language = edition.language
    themes = {t.id: typeset_theme(t, language) for t in edition.themes}
    marks = quotes(language)
    edition = replace(edition, themes=tuple(themes.values()),
                      abbreviations=tuple((short, educate(long, marks)) for short, long in edition.abbreviations))
    typeset = [typeset_entry(e, language) for e in entries]
    return edition, [replace(e, theme=typeset_theme(e.theme, language) if across_years else themes.get(e.theme.id, e.theme))
                     for e in typeset]


def build_retrospective(series: Series, retro: Retrospective,
                        books: Iterable[tuple[Edition, tuple[Entry, ...]]]) -> Book:
    """A book across the editions `retro` spans: parts by theme (the entry's category mapped to
    today's, Edition.theme_of) and chapters by year, or parts by region and chapters by country
    (A–Z, cases of every year in each: oldest first). Inside a chapter, entries as in an edition
    (entry_sort_key). Empty parts and chapters are left out. Pure.

    `books`: each edition of the series with its entries (others than retro.years are skipped).
    """
    edition, entries = _typeset(retrospective_edition(series, retro),
                                [e for ed, found in books if ed.edition in retro.years for e in found], across_years=True)
    parts: list[Part] = []
    if retro.group_by == ("theme", "year"):
        for theme in edition.themes:
            chapters = []
            for year in retro.years:
                chosen = sorted((e for e in entries if e.year == year and edition.theme_of(e).id == theme.id),
                                key=entry_sort_key)
                if chosen:
                    chapters.append(Chapter("year", str(year), str(year), tuple(chosen)))
            if chapters:
                parts.append(Part("theme", theme.id, theme.name, tuple(chapters), theme.description))
    else:
        regions = tuple(dict.fromkeys([*edition.regions, *(e.region for e in entries)]))
        for region, slug in region_slugs(regions).items():
            in_region = [e for e in entries if e.region == region]
            chapters = []
            for country in sorted({e.country for e in in_region}, key=lambda c: (fold(c.name), c.alpha2)):
                chosen = sorted((e for e in in_region if e.country == country), key=lambda e: (e.year, entry_sort_key(e)))
                chapters.append(Chapter("country", country.alpha2.lower(), country.name, tuple(chosen)))
            if chapters:
                parts.append(Part("region", slug, region, tuple(chapters)))
    return Book(edition, tuple(parts))


def series_book(series: Series, books: Iterable[tuple[Edition, tuple[Entry, ...]]]) -> Book:
    """Every entry of the series as one book by theme then year (the overview across years, the
    `stats` of a series, the site's pages across editions)."""
    whole = Retrospective("", series.settings.title, series.years, series.source)
    return build_retrospective(series, whole, books)


def follow_ups(entries: Iterable[Entry]) -> dict[str, tuple[str, ...]]:
    """Entry id → the ids of the later entries that follow it up (`follows:` read backwards),
    oldest first (then by id)."""
    out: dict[str, list[Entry]] = {}
    for entry in entries:
        for earlier in entry.follows:
            out.setdefault(earlier, []).append(entry)
    return {k: tuple(e.id for e in sorted(v, key=lambda e: (e.year, e.id))) for k, v in sorted(out.items())}


def with_related(book: Book, series_entries: Iterable[Entry]) -> Book:
    """`book` knowing the entries of its series that its own follow up or that follow them up
    (Book.related: outside the book, in the order of `series_entries`; what the books print of
    them, so a change elsewhere in them leaves the book's digest as it was), so that every format can
    name them ('Follows up: … (2012)', 'Followed up in 2013: …'). `series_entries`: every entry of
    every edition of the series."""
    mine = {e.id for e in book.entries}
    wanted = {i for e in book.entries for i in e.follows}
    related = tuple(Related(e.id, e.title, e.translated_title, e.language, e.year, e.follows) for e in series_entries
                    if e.id not in mine and (e.id in wanted or any(i in mine for i in e.follows)))
    return replace(book, related=related)
