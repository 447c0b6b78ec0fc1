"""Book (shared by every format): the words the three books print about the edition and its entries,
as data — the imprint, the overview table, an entry's facts, a picture's credit line.

Each format lays these strings out its own way (a PDF table, an XHTML list, a web page), but
never composes them itself: the PDF, the EPUB and the website then agree on every label, date,
number, ISBN and empty cell (compendium.book.voice formats them; compendium.book.labels words them).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compendium.book.labels import Labels, labels
from compendium.book.stats import Overview
from compendium.book.voice import format_isbn, voice
from compendium.model import Edition, Entry, Image

ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
         (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    """A part's number as every format prints it: 4 → 'IV'."""
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


@dataclass(frozen=True)
class Line:
    """One line of the imprint: what it is (`kind`) and its text in the book's language."""

    kind: str  # title, edition, publisher, date, editors, isbn, copyright, licence, disclaimer, typefaces
    text: str


def publication_date(edition: Edition) -> date:
    """The edition's date, else 1 January of the award year (never today: builds are reproducible)."""
    return edition.date or date(edition.edition, 1, 1)


def long_date(edition: Edition) -> str:
    """The publication date as the book prints it ('23 June 2012'), or the award year alone without a date."""
    return voice(edition.language).date(edition.date) if edition.date else str(edition.edition)


def isbn(edition: Edition) -> str:
    """The ISBN as printed: hyphenated by registration group ('978-92-1-123194-6'), or ""."""
    return format_isbn(edition.isbn) if edition.isbn else ""


def copyright_line(edition: Edition) -> str:
    """'© 2012 Publisher' (the year of publication), or "" without a publisher."""
    if not edition.publisher:
        return ""
    return labels(edition.language).format("copyright_line", year=publication_date(edition).year,
                                           holder=edition.publisher)


def imprint(edition: Edition) -> tuple[Line, ...]:
    """The imprint (copyright page) lines in the order every format prints them.

    title and edition; publisher; publication date; editors; ISBN; © line; licence; disclaimer;
    the typefaces (a format that does not set the book in Noto leaves that line out). A line
    whose field the edition leaves empty is left out.
    """
    words = labels(edition.language)
    say = voice(edition.language)
    title = f"{edition.title}: {edition.subtitle}" if edition.subtitle else edition.title
    # a retrospective: "Retrospective, 2003–2011" (Edition.label)
    lines = [Line("title", title), Line("edition", words.format("retrospective" if edition.years else "edition",
                                                                 n=edition.label))]
    if edition.publisher:
        lines.append(Line("publisher", words.format("published_by", publisher=edition.publisher)))
    if edition.date:
        lines.append(Line("date", words.format("publication_date", date=long_date(edition))))
    if edition.editors:
        lines.append(Line("editors", words.format("edited_by", names=say.join(edition.editors))))
    if edition.isbn:
        lines.append(Line("isbn", f"ISBN {isbn(edition)}"))
    if edition.publisher:
        lines.append(Line("copyright", copyright_line(edition)))
    if edition.license:
        lines.append(Line("licence", words.format("licence", license=edition.license)))
    lines.append(Line("disclaimer", words["disclaimer"]))
    lines.append(Line("typefaces", words["set_in"]))
    return tuple(lines)


@dataclass(frozen=True)
class OverviewTable:
    """The overview table as printed: entries per category (rows) and region (columns), with totals."""

    caption: str
    corner: str  # heading of the first column ("Category")
    regions: tuple[str, ...]
    total_label: str
    rows: tuple[tuple[str, tuple[str, ...], str], ...]  # (category name, cells, row total)
    column_totals: tuple[str, ...]
    grand_total: str
    note: str  # what a nil cell means, printed under the table
    chart_title: str  # the chart of the same figures: its title and its text alternative
    chart_desc: str


def overview_table(ov: Overview, language: str) -> OverviewTable:
    """The Overview's figures in the book's words: numbers in its digits, NIL ('–') for none."""
    words = labels(language)
    say = voice(language)
    rows = tuple((name, tuple(say.cell(n) for n in cells), say.number(total))
                 for (_, name), cells, total in zip(ov.themes, ov.cells, ov.row_totals))
    title = words[f"initiatives_by_category_{ov.kind}"]  # per region, or per year in a retrospective
    desc = "chart_desc_year" if ov.kind == "year" else "chart_desc"
    return OverviewTable(title, words["category"], ov.regions, words["total"], rows,
                         tuple(say.number(n) for n in ov.column_totals), say.number(ov.total),
                         words["nil_note"], title, words.format(desc, n=say.number(ov.total),
                                                                initiatives=words.count("initiatives", ov.total)))


def overview_sentence(ov: Overview, countries: int, language: str) -> str:
    """'This edition presents 17 initiatives from 17 countries, in 5 categories and 5 regions.' (a
    retrospective's: '... in 5 categories, awarded over 2 years.')"""
    words = labels(language)
    n, t, r = ov.total, len(ov.themes), len(ov.regions)
    return words.format("overview_sentence_year" if ov.kind == "year" else "overview_sentence", n=n, c=countries,
                        t=t, r=r, initiatives=words.count("initiatives", n), countries=words.count("countries", countries),
                        categories=words.count("categories", t), regions=words.count("regions", r),
                        years=words.count("years", r))


def entry_facts(entry: Entry, words: Labels) -> tuple[tuple[str, str, str], ...]:
    """(key, label, value) of an entry's facts, in the order every format lists them.

    Country, region, category, award (the place), institution; keywords when there are any
    (separated as the entry's language separates list items: they are written in it). Labels in
    the book's language (`words`).
    """
    facts = [("country", words["country"], entry.country.name), ("region", words["region"], entry.region),
             ("category", words["category"], entry.theme.name), ("award", words["award"], words.place(entry.place)),
             ("institution", words["institution"], entry.institution)]
    if entry.keywords:
        facts.append(("keywords", words["keywords"], voice(entry.language or words.language).separator.join(entry.keywords)))
    return tuple(facts)


def credit_label(words: Labels) -> str:
    """The word before a picture's credit ('Credit:'), the same under a photograph or a chart."""
    return words["credit"]


def credit_line(image: Image, words: Labels) -> str:
    """'Credit: Name' for a picture that has a credit, else ""."""
    return f"{credit_label(words)} {image.credit}" if image.credit else ""


__all__ = ["Line", "OverviewTable", "copyright_line", "credit_label", "credit_line", "entry_facts", "imprint",
           "isbn", "long_date", "roman", "overview_sentence", "overview_table", "publication_date"]
