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
from compendium.book.typography import educate
from compendium.book.voice import format_isbn, quotes, voice
from compendium.model import Book, Edition, Entry, Image, Related

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

    kind: str  # about, disclaimer, note, symbol, sales, isbn, eisbn, copyright, licence, date, editors, printer, typefaces
    text: str


ALL_RIGHTS_RESERVED = "all rights reserved"


def publication_date(edition: Edition) -> date:
    """The edition's date, else 1 January of the award year (never today: builds are reproducible)."""
    return edition.date or date(edition.edition, 1, 1)


def long_date(edition: Edition) -> str:
    """The publication date as the book prints it ('23 June 2012'), or the award year alone without a date."""
    return voice(edition.language).date(edition.date) if edition.date else str(edition.edition)


def isbn(edition: Edition) -> str:
    """The ISBN as printed: hyphenated by registration group ('978-92-1-123194-6'), or ""."""
    return format_isbn(edition.isbn) if edition.isbn else ""


def eisbn(edition: Edition) -> str:
    """The electronic edition's ISBN as printed (hyphenated), or ""."""
    return format_isbn(edition.eisbn) if edition.eisbn else ""


def all_rights_reserved(edition: Edition) -> bool:
    """Whether the edition's licence is 'All rights reserved' (printed after the © line, not as a licence)."""
    return edition.license.strip().rstrip(".").casefold() == ALL_RIGHTS_RESERVED


def copyright_holder(edition: Edition) -> str:
    """Who the © line names: `copyright_holder`, else the publisher ("" when neither is given)."""
    return edition.copyright_holder or edition.publisher


def copyright_line(edition: Edition) -> str:
    """'© United Nations, 2012' (holder, year of publication), with '. All rights reserved' when the
    licence says so (United Nations publications of 2012); "" without a holder."""
    holder = copyright_holder(edition)
    if not holder:
        return ""
    words = labels(edition.language)
    line = words.format("copyright_line", year=publication_date(edition).year, holder=holder)
    if all_rights_reserved(edition):
        line += ". " + words["all_rights_reserved"]
    return line


def licence_line(edition: Edition) -> str:
    """'Licence: CC BY 3.0 IGO', or "" (no licence, or all rights reserved: the © line says so)."""
    if not edition.license or all_rights_reserved(edition):
        return ""
    return labels(edition.language).format("licence", license=edition.license)


def disclaimer(edition: Edition) -> str:
    """The imprint's disclaimer in the book's language: the publisher's wording, the standard wording of
    the United Nations Secretariat (`disclaimer: united-nations`; English, French, Spanish and Russian,
    else the publisher's wording), or "" (`disclaimer: none`)."""
    words = labels(edition.language)
    if edition.disclaimer == "none":
        return ""
    if edition.disclaimer == "united-nations" and words.strings.get("disclaimer_un"):
        return words["disclaimer_un"]
    return words["disclaimer"]


def makers(edition: Edition) -> tuple[str, ...]:
    """Who made the book, for metadata (PDF author, XMP creators, EPUB creators): its editors, else the
    bodies that issue it, else its publisher, else its title."""
    return edition.editors or edition.issued_by or ((edition.publisher or edition.title),)


@dataclass(frozen=True)
class TitlePage:
    """The title page: title, subtitle, the issuing bodies under them, and the foot
    ('United Nations • New York, 2012': publisher, place and year of publication)."""

    title: str
    subtitle: str
    issued_by: tuple[str, ...]
    foot: str
    label: str = ""  # a retrospective's years ('Retrospective, 2012–2013'); "" for an edition


def title_page(edition: Edition) -> TitlePage:
    """The title page every format prints (the PDF's second recto, the EPUB's title page)."""
    words = labels(edition.language)
    year = publication_date(edition).year
    if edition.publisher and edition.place:
        foot = words.format("title_page_foot", publisher=edition.publisher, place=edition.place, year=year)
    else:
        foot = ", ".join(x for x in (edition.publisher or edition.place, str(year)) if x)
    marks = quotes(edition.language)  # the edition's title keeps its typed form elsewhere (its slug names files)
    label = words.format("retrospective", n=edition.label) if edition.years else ""
    return TitlePage(educate(edition.title, marks), educate(edition.subtitle, marks), edition.issued_by, foot, label)


def imprint(edition: Edition) -> tuple[Line, ...]:
    """The imprint (copyright page) lines in the order every format prints them: a United Nations
    publication's order (the publisher's mission, the disclaimer, the document symbol, the sales
    number, the ISBNs, the © line, the printer), then what a book of any publisher states.

    about (the publisher's mission); disclaimer; note (who wrote the descriptions); symbol; sales
    ('United Nations publication, Sales No. E.12.II.H.2'); isbn; eisbn; copyright ('© United Nations,
    2012. All rights reserved'); licence; date; editors; printer; typefaces (a format that does not
    set the book in Noto leaves that line out). A line whose field the edition leaves empty is left out.
    """
    words = labels(edition.language)
    say = voice(edition.language)
    lines: list[Line] = []

    def add(kind: str, text: str) -> None:
        if text:
            lines.append(Line(kind, text))

    add("about", " ".join(edition.about_publisher.split()))
    add("disclaimer", disclaimer(edition))
    add("note", words["descriptions_note"])
    add("symbol", edition.symbol)
    add("sales", words.format("sales_line", n=edition.sales_number) if edition.sales_number else "")
    add("isbn", f"ISBN {isbn(edition)}" if edition.isbn else "")
    add("eisbn", f"{words['eisbn']} {eisbn(edition)}" if edition.eisbn else "")
    add("copyright", copyright_line(edition))
    add("licence", licence_line(edition))
    add("date", words.format("publication_date", date=long_date(edition)) if edition.date else "")
    add("editors", words.format("edited_by", names=say.join(edition.editors)) if edition.editors else "")
    add("printer", edition.printer)
    add("typefaces", words["set_in"])
    return tuple(lines)


@dataclass(frozen=True)
class OverviewTable:
    """The overview table as printed: entries per category (rows) and region (columns), with totals."""

    caption: str
    corner: str  # heading of the first column ("Category")
    regions: tuple[str, ...]
    short_regions: tuple[str, ...]  # the same, abbreviated for narrow screens (short_region)
    total_label: str
    rows: tuple[tuple[str, tuple[str, ...], str], ...]  # (category name, cells, row total)
    column_totals: tuple[str, ...]
    grand_total: str
    note: str  # what a nil cell means, printed under the table
    chart_title: str  # the chart of the same figures: its title and its text alternative
    chart_desc: str


# Column headings of the overview table where a screen is narrow (a phone): the five UNPSA regions
# as the programme abbreviates them; other regions keep their names.
SHORT_REGIONS: dict[str, str] = {"Africa": "Africa", "Asia and the Pacific": "Asia–Pac.",
                                 "Europe and North America": "Eur.–N. Am.", "Latin America and the Caribbean": "LAC",
                                 "Western Asia": "W. Asia"}


def short_region(region: str) -> str:
    """A region's name for a narrow column ('LAC'), else the name itself."""
    return SHORT_REGIONS.get(region, region)


def overview_table(ov: Overview, language: str, numbered: bool = True) -> OverviewTable:
    """The Overview's figures in the book's words: numbers in its digits, NIL ('–') for none.

    numbered: the caption and the chart's title carry their numbers ('Table 1.', 'Figure 1.'), as the
    books print them (their figures are numbered); the website's pages leave them out."""
    words = labels(language)
    say = voice(language)
    # a category or region with none prints NIL in its total too, as the note says ("A dash (–) means none")
    rows = tuple((name, tuple(say.cell(n) for n in cells), say.cell(total))
                 for (_, name), cells, total in zip(ov.themes, ov.cells, ov.row_totals))
    title = words[f"initiatives_by_category_{ov.kind}"]  # per region, or per year in a retrospective
    desc = "chart_desc_year" if ov.kind == "year" else "chart_desc"
    table_no = f"{words.format('table', n=1)}. " if numbered else ""
    figure_no = f"{words.format('figure', n=OVERVIEW_FIGURE)}. " if numbered else ""
    return OverviewTable(f"{table_no}{title}", words["category"], ov.regions,
                         tuple(r if ov.kind == "year" else short_region(r) for r in ov.regions), words["total"], rows,
                         tuple(say.cell(n) for n in ov.column_totals), say.number(ov.total),
                         words["nil_note"], f"{figure_no}{title}",
                         words.format(desc, n=say.number(ov.total),
                                                                initiatives=words.count("initiatives", ov.total)))


def overview_sentence(ov: Overview, countries: int, language: str) -> str:
    """'This edition presents 17 initiatives from 17 countries, in 5 categories and 5 regions.' (a
    retrospective's: '... in 5 categories, awarded over 2 years.'). Categories, regions and years are
    counted when they hold an initiative: an edition that declares five categories but awards in four
    presents its initiatives 'in four categories' (its table still lists the fifth, with dashes)."""
    words = labels(language)
    n = ov.total
    t = sum(1 for count in ov.row_totals if count)
    r = sum(1 for count in ov.column_totals if count)
    return words.format("overview_sentence_year" if ov.kind == "year" else "overview_sentence", n=n, c=countries,
                        t=t, r=r,
                        initiatives=spelled(words.count("initiatives", n), n, language),
                        countries=spelled(words.count("countries", countries), countries, language),
                        categories=spelled(words.count("categories", t), t, language),
                        regions=spelled(words.count("regions", r), r, language),
                        years=spelled(words.count("years", r), r, language))


SMALL_NUMBERS: dict[str, tuple[str, ...]] = {  # one to nine, spelled out (UN editorial style: numbers below 10)
    "en": ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "fr": ("un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    "es": ("uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
}


def spelled(counted: str, n: int, language: str) -> str:
    """'5 categories' → 'five categories' for 1 ≤ n ≤ 9 in English, French and Spanish (the United Nations
    Editorial Manual spells out numbers below 10); other numbers and languages keep their digits."""
    names = SMALL_NUMBERS.get(labels(language).language)
    word = f"{n}"
    if not names or not 1 <= n <= 9 or not counted.startswith(word + " "):
        return counted
    return names[n - 1] + counted[len(word):]


def entry_facts(entry: Entry, words: Labels, edition: Edition | None = None) -> tuple[tuple[str, str, str], ...]:
    """(key, label, value) of an entry's facts, in the order every format lists them.

    Country, region, category (the one it won in: category_line), award (the place, and in a
    retrospective its year: 'Second place, 2012'), institution; keywords when there are any
    (written in the book's language, for its indexes and the site's search: separated as the book
    separates list items). Labels in the book's language (`words`); `edition`: the book's settings
    (None: an edition's, no year and no theme of today).
    """
    award = words.place(entry.place)
    if edition is not None and edition.years:
        award = f"{award}, {entry.year}"
    facts = [("country", words["country"], entry.country.name), ("region", words["region"], entry.region),
             ("category", words["category"], category_line(entry, edition, words)),
             ("award", words["award"], award), ("institution", words["institution"], entry.institution)]
    if entry.keywords:
        facts.append(("keywords", words["keywords"], keywords_line(entry, words.language)))
    return tuple(facts)


def category_line(entry: Entry, edition: Edition | None, words: Labels) -> str:
    """The category `entry` won in, as every format names it: 'Improving the Delivery of Public
    Services'; in a book that files it under another theme of today (a retrospective's theme_map,
    Edition.theme_of) followed by that theme, as the website says it: 'Advancing Knowledge
    Management in Government (today: Promoting Whole of Government Approaches...)'."""
    filed = edition.theme_of(entry) if edition is not None else entry.theme
    if filed.id == entry.theme.id:
        return entry.theme.name
    return f"{entry.theme.name} {words.format('theme_now', theme=filed.name)}"


def category_shown(entry: Entry, edition: Edition) -> bool:
    """Whether an entry's header in the PDF names its category: when the book files it under
    another theme (a category since renamed, in a retrospective) or does not group by theme (then
    no part title names it); otherwise the part title and the running head already do."""
    return edition.theme_of(entry).id != entry.theme.id or edition.group_by[0] != "theme"


@dataclass(frozen=True)
class FollowUp:
    """A follow-up of an entry across editions (`follows:`), as its facts list it.

    kind: "follows" (an earlier winner it follows up) or "followed" (a later entry that follows it up);
    label: 'Follows up:' / 'Followed up in 2013:' (labels follows_up, followed_up_in, colon included);
    title: the other entry's title, in its `language` ("" for the book's); gloss: its title in the
    book's language when it is written in another ("" otherwise); year: its award year; target: its
    id; linked: whether that entry is in the same book (a link to it)."""

    kind: str
    label: str
    title: str
    gloss: str
    year: int
    target: str
    language: str
    linked: bool

    @property
    def term(self) -> str:
        """The label as a list's term: 'Follows up', 'Followed up in 2013' (no colon)."""
        return self.label.rstrip(" :\uff1a")

    @property
    def after(self) -> str:
        """What follows the title (and its gloss): ' (2012)' for an earlier winner; "" for a later entry,
        whose year the label says."""
        return f" ({self.year})" if self.kind == "follows" else ""


def follow_ups(entry: Entry, book: Book, words: Labels) -> tuple[FollowUp, ...]:
    """The follow-ups every book lists in an entry's facts: the earlier winners it follows up, then the
    later entries that follow it up (oldest first), as far as the book knows them (its own entries and
    Book.related: those of the other editions of its series). In the book's language (`words`)."""
    known = book.known
    book_language = book.edition.language.lower()

    def one(kind: str, label: str, other: Entry | Related) -> FollowUp:
        foreign = bool(other.language) and other.language.lower() != book_language
        return FollowUp(kind, label, other.title, other.translated_title.strip() if foreign else "", other.year,
                        other.id, other.language if foreign else "", isinstance(other, Entry))

    out = [one("follows", words["follows_up"], earlier)
           for earlier in sorted((known[i] for i in entry.follows if i in known), key=lambda e: (e.year, e.id))]
    out += [one("followed", words.format("followed_up_in", year=later.year), later)
            for later in sorted(book.followers.get(entry.id, ()), key=lambda e: (e.year, e.id))]
    return tuple(out)


def keywords_line(entry: Entry, language: str) -> str:
    """The entry's keywords as every format prints them: in the book's `language`, its list separator."""
    return voice(language).separator.join(entry.keywords)


def partners_line(entry: Entry, book_language: str) -> str:
    """The entry's partners as every format prints them, separated by a semicolon in the entry's language
    (a partner's name may hold commas): 'A; B' (en), 'A؛ B' (ar), 'A；B' (zh)."""
    return voice(entry.language or book_language).item_separator.join(entry.partners)


def award_line(entry: Entry, words: Labels, edition: Edition | None = None) -> str:
    """'First place, Asia and the Pacific': the award, with the region it was given in; in a
    retrospective (`edition.years`) with its year too ('Second place, Africa, 2012'), since a reader
    opening mid-chapter cannot tell it otherwise."""
    line = f"{words.place(entry.place)}, {entry.region}"
    return f"{line}, {entry.year}" if edition is not None and edition.years else line


def short_title(entry: Entry, limit: int = 48) -> str:
    """An entry's title short enough for a running head, in the book's language: the gloss of a title in
    another language; the name before a colon ('Poupatempo' for 'Poupatempo: one roof for public
    services'); else the title cut at a word before `limit` characters, with an ellipsis."""
    title = entry.translated_title if entry.language and entry.translated_title else entry.title
    head = title.split(": ", 1)[0]
    if len(head) <= limit:
        return head
    cut = head[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def running_head(entry: Entry) -> str:
    """The recto's running head of an entry's pages: 'Republic of Korea · Integrity assessment of public…'."""
    return f"{entry.country.name} · {short_title(entry)}"


def credit_label(words: Labels) -> str:
    """The word before a picture's credit ('Source:'), the same under a photograph or a chart; give
    the labels of the caption's language (an Arabic caption says 'المصدر:')."""
    return words["credit"]


def figure_label(n: int, words: Labels) -> str:
    """A figure's number as printed before its caption: 'Figure 3', 'الشكل 3', '图3' (the caption's language)."""
    return words.format("figure", n=n)


OVERVIEW_FIGURE = 1  # the overview's chart is the book's first figure (its table the first table)


def figure_numbers(book) -> dict[tuple[str, int], int]:  # book: compendium.model.Book
    """(entry id, picture index) → the figure's number through the book, in book order: 2, 3, 4...
    (Figure 1 is the overview's chart, OVERVIEW_FIGURE)."""
    out: dict[tuple[str, int], int] = {}
    for entry in book.entries:
        for i, _ in enumerate(entry.images):
            out[(entry.id, i)] = OVERVIEW_FIGURE + len(out) + 1
    return out


def credit_line(image: Image, words: Labels) -> str:
    """'Credit: Name' for a picture that has a credit, else ""."""
    return f"{credit_label(words)} {image.credit}" if image.credit else ""


__all__ = ["Line", "OverviewTable", "TitlePage", "all_rights_reserved", "copyright_holder", "copyright_line",
           "award_line", "SHORT_REGIONS", "credit_label", "short_region", "credit_line", "disclaimer", "keywords_line", "partners_line", "running_head", "short_title", "eisbn", "entry_facts", "figure_label", "figure_numbers",
           "imprint", "isbn", "licence_line", "long_date", "makers", "roman", "overview_sentence", "overview_table",
           "publication_date", "title_page"]
