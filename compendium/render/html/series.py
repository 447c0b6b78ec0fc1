"""Render (HTML, a series of editions): what a site across the editions adds to an edition's site.

The site of a series is the site of one Book holding every entry of every edition
(book.group.series_book: parts by theme, chapters by year), so its search, filters (year among
them), indexes, data files and linked data span the years. This module adds, from the view model
of that site (site.py) and the series context the build passes (render.common.SeriesContext):

- a home page per edition, `editions/<folder>.html`: its title and year, introduction, its winners
  grouped as its own book, its overview and its books to download;
- the home across editions (index.html, template `html/series.html`): the editions, the
  retrospectives, the winners by theme, the overview of winners per theme × year;
- a page per country, `countries/<code>.html`: its winning initiatives of every year, newest first.

Every href is relative to the site root, as in site.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from compendium.book.facts import OverviewTable, overview_table
from compendium.book.group import by_country, entry_sort_key
from compendium.book.stats import Overview, overview
from compendium.model import Book, Edition
from compendium.render.common import SeriesContext
from compendium.render.html.site import Group, Site

EDITIONS_DIR = "editions"
COUNTRIES_DIR = "countries"


@dataclass
class BookView:
    """One book of the series as its pages show it: an edition (with a home page) or a retrospective."""

    key: str  # an edition's folder, a retrospective's id
    kind: str  # "edition" or "retrospective"
    edition: Edition  # the book's settings: title, label ("2012", "2003–2011"), subtitle, date...
    href: str  # its home page (editions only), else ""
    count: int  # entries
    countries: int
    downloads: list[dict[str, str]] = field(default_factory=list)  # as html/__init__._downloads gives them
    parts: list[Group] = field(default_factory=list)  # editions: parts → chapters → entries, as its book
    overview: Overview | None = None  # editions: its entries per theme × region
    table: OverviewTable | None = None  # the same, in the book's words (book.facts)
    introduction: Markup = Markup("")

    @property
    def title(self) -> str:
        """The title a list of books shows: the edition's with its year unless the title says it."""
        e = self.edition
        return e.title if e.label in e.title else f"{e.title} {e.label}"


@dataclass
class SeriesView:
    """What the series' own pages show, besides the site's view model."""

    editions: list[BookView]  # newest first
    retrospectives: list[BookView]
    countries: list[Group]  # one page each (href), their entries by year (subgroups), A–Z

    def edition_of(self, year: int) -> BookView | None:
        return next((b for b in self.editions if b.edition.edition == year), None)


def _book_view(book: Book, key: str, kind: str, site: Site, downloads: list[dict[str, str]], markup: Any) -> BookView:
    views = {v.id: v for v in site.entries}
    e = book.edition
    view = BookView(key, kind, e, f"{EDITIONS_DIR}/{key}.html" if kind == "edition" else "", len(book.entries),
                    len({x.country.alpha2 for x in book.entries}), downloads)
    if kind == "edition":
        view.parts = [Group(f"part-{p.key}", p.title, [], description=p.description,
                            subgroups=[Group(f"ch-{p.key}-{c.key}", c.title, [views[x.id] for x in c.entries])
                                       for c in p.chapters]) for p in book.parts]
        view.overview = overview(book)
        view.table = overview_table(view.overview, e.language)
        view.introduction = markup(e.introduction) if e.introduction.strip() else Markup("")
    return view


def series_view(site: Site, context: SeriesContext, downloads: list[dict[str, str]], markup: Any) -> SeriesView:
    """The series' own pages' view model. `downloads`: every book file the site offers (their `href`
    ends with the file's name); `markup(markdown) -> Markup` converts an introduction.

    Also points the site's links to what a series has: an entry's country to its country page, a
    year heading on a theme's page to that edition's home.
    """
    def files(key: str) -> list[dict[str, str]]:
        names = set(context.book_files(key))
        return [d for d in downloads if d["href"].rsplit("/", 1)[-1] in names]

    editions = [_book_view(b, b.edition.folder, "edition", site, files(b.edition.folder), markup)
                for b in reversed(context.editions)]
    retrospectives = [_book_view(b, b.edition.book_id, "retrospective", site, files(b.edition.book_id), markup)
                      for b in context.retrospectives]
    view = SeriesView(editions, retrospectives, _countries(site))
    for v in site.entries:
        v.country_href = f"{COUNTRIES_DIR}/{v.entry.country.alpha2.lower()}.html"
    for letter in site.countries:  # the A–Z index links each country's page
        for c in letter.subgroups:
            c.href = f"{COUNTRIES_DIR}/{c.key.removeprefix('c-')}.html"
    for theme in site.themes:
        for sub in theme.subgroups:
            book = view.edition_of(int(sub.title)) if sub.key.startswith("year-") else None
            sub.href = book.href if book else sub.href
    return view


def _countries(site: Site) -> list[Group]:
    """A group per country (A–Z as every index): its entries by year, newest first."""
    views = {v.id: v for v in site.entries}
    out = []
    for country, entries in by_country(site.book).items():
        years = sorted({e.year for e in entries}, reverse=True)
        subgroups = [Group(f"year-{y}", str(y), sorted((views[e.id] for e in entries if e.year == y),
                                                        key=lambda v: entry_sort_key(v.entry))) for y in years]
        out.append(Group(f"c-{country.alpha2.lower()}", country.name, [],
                         href=f"{COUNTRIES_DIR}/{country.alpha2.lower()}.html", subgroups=subgroups))
    return out


def pages(view: SeriesView) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, template, values) of every page the series adds: a home per edition, a page per country."""
    out = [(b.href, "html/edition.html", {"book": b}) for b in view.editions]
    out += [(c.href, "html/country.html", {"country": c}) for c in view.countries]
    return out

