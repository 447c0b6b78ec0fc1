"""Model: the frozen values that flow between the stages (load → validate → group → render)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]  # a note tells, never fails (a file skipped on purpose)

PLACES: tuple[str, ...] = ("1st", "2nd", "3rd", "winner", "finalist", "special")
PLACE_LABELS: dict[str, str] = {
    "1st": "First place",
    "2nd": "Second place",
    "3rd": "Third place",
    "winner": "Winner",
    "finalist": "Finalist",
    "special": "Special mention",
}
SECTIONS: tuple[str, ...] = ("problem", "solution", "impact", "lessons")
SECTION_TITLES: dict[str, str] = {
    "problem": "The problem",
    "solution": "The solution",
    "impact": "Impact",
    "lessons": "Lessons learned",
}
GROUP_KEYS: tuple[str, ...] = ("theme", "region")
SECTION_WORDS = 600  # the default word limit of a section (a warning above it)
DEFAULT_REGIONS: tuple[str, ...] = (
    "Africa",
    "Asia and the Pacific",
    "Europe and North America",
    "Latin America and the Caribbean",
    "Western Asia",
)


@dataclass(frozen=True, order=True)
class Source:
    """Where something was written: project-relative POSIX path, 1-based line and column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


@dataclass(frozen=True)
class Issue:
    """One problem found in the input, with its location and a stable code."""

    source: Source
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.severity}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class Country:
    alpha2: str
    alpha3: str
    name: str
    region: str


Titles = tuple[tuple[str, str], ...]  # (BCP 47 tag, text) pairs; a title given once has the tag ""


def pick_title(titles: Titles, language: str, fallback: str = "") -> str:
    """The title of `titles` for a book in `language`: the exact tag, then the primary subtag
    ('fr' for 'fr-CA'), then a title given without a language, then English, then the first one."""
    if not titles:
        return fallback
    found = dict((tag.lower(), text) for tag, text in titles)
    lang = language.lower()
    for key in (lang, lang.split("-")[0], "", "en"):
        if key in found:
            return found[key]
    primary = {tag.split("-")[0]: text for tag, text in found.items()}
    return primary.get(lang.split("-")[0]) or titles[0][1]


@dataclass(frozen=True)
class Term:
    """One term of a vocabulary: an SDG (id "5", colour "#FF3A21"), a sector, a place."""

    id: str
    titles: Titles
    colour: str = ""  # "#RRGGBB" when the vocabulary has official colours (the SDGs), else ""
    short: str = ""  # a short mark printed before the title ("SDG 5"), "" for none

    def title(self, language: str) -> str:
        return pick_title(self.titles, language, self.id)


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of terms an entry field may take (`sdgs`, or an edition's own)."""

    id: str
    titles: Titles
    terms: tuple[Term, ...]

    def title(self, language: str) -> str:
        return pick_title(self.titles, language, self.id)

    def term(self, term_id: str) -> Term | None:
        return next((t for t in self.terms if t.id == term_id), None)


@dataclass(frozen=True)
class SectionSpec:
    """One section of the entry form, as the edition declares it (`sections:` in compendium.yaml)."""

    id: str
    titles: Titles = ()  # () = the built-in title of the four UNPSA sections, translated (labels)
    required: bool = True
    words: int = SECTION_WORDS  # a warning above this many words


@dataclass(frozen=True)
class FieldSpec:
    """An extra entry field the edition declares (`fields:` in compendium.yaml).

    type: text (one line), markdown, list (of lines, or of vocabulary terms), number, url, date,
    choice (one term of `vocabulary`). show: where renderers print it: "meta" (the entry's
    metadata panel), "body" (after the sections) or "" (kept in the data only).
    """

    id: str
    type: str
    titles: Titles = ()
    required: bool = False
    vocabulary: str = ""  # a vocabulary id (list and choice only)
    show: str = "meta"
    index: bool = False  # the books get an index of this field's terms (vocabulary fields only)
    description: str = ""

    def title(self, language: str) -> str:
        return pick_title(self.titles, language, self.id.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Image:
    path: Path  # absolute, resolved, inside the project
    rel: str  # project-relative POSIX path
    alt: str
    caption: str = ""
    credit: str = ""
    width: int = 0
    height: int = 0
    format: str = "png"  # "png" or "jpeg"


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    public: bool = False


def text_dir(language: str) -> str:
    """'rtl' or 'ltr' for a BCP 47 tag, from CLDR (compendium.book.voice.text_direction)."""
    from compendium.book.voice import text_direction  # the model stays importable without Babel's data loaded

    return text_direction(language)


@dataclass(frozen=True)
class Entry:
    id: str
    year: int
    title: str
    country: Country
    region: str
    institution: str
    theme: Theme
    place: str
    language: str  # BCP 47 tag of the entry's text ("" = the edition's language)
    summary: str  # Markdown
    sections: tuple[tuple[str, str], ...]  # (key, Markdown) in SECTIONS order
    source: Source
    partners: tuple[str, ...] = ()
    website: str = ""
    contact: Contact | None = None
    images: tuple[Image, ...] = ()
    keywords: tuple[str, ...] = ()
    # the title in the edition's language when the entry is written in another (a gloss for readers)
    translated_title: str = ""
    # a short abstract in the edition's language when the entry is written in another (Markdown)
    translated_summary: str = ""
    # the values of the edition's extra fields (Edition.fields), in their declared order:
    # text, markdown, url → str; number → int | float; date → datetime.date; choice → a term id;
    # list → tuple of str (term ids for a vocabulary list)
    fields: tuple[tuple[str, object], ...] = ()
    # where each value was written: (field path such as "sections.problem", line, column)
    positions: tuple[tuple[str, int, int], ...] = ()
    # ids of entries of earlier editions that this one follows up (`follows:`), checked across a series
    follows: tuple[str, ...] = ()

    @property
    def place_label(self) -> str:
        return PLACE_LABELS[self.place]

    @property
    def public_contact(self) -> Contact | None:
        return self.contact if self.contact and self.contact.public else None

    @property
    def dir(self) -> str:
        return text_dir(self.language) if self.language else "ltr"

    def markdown_fields(self) -> tuple[tuple[str, str], ...]:
        """Every Markdown field of the entry as (field name, text), in reading order."""
        extra = (("translated_summary", self.translated_summary),) if self.translated_summary else ()
        return (("summary", self.summary),) + extra + tuple((f"sections.{k}", v) for k, v in self.sections)

    def value(self, field_id: str, default: object = None) -> object:
        """The value of an extra field (Edition.fields) of this entry, or `default` when not given."""
        return next((v for k, v in self.fields if k == field_id), default)

    def where(self, field: str) -> Source:
        """Where `field` ("title", "sections.problem", "sdgs") was written; the file when unknown."""
        for name, line, col in self.positions:
            if name == field:
                return Source(self.source.path, line, col)
        for name, line, col in self.positions:  # "images[0]" → its first value; "sections" → the mapping
            if name.startswith((f"{field}.", f"{field}[")):
                return Source(self.source.path, line, col)
        return Source(self.source.path)


@dataclass(frozen=True)
class Edition:
    root: Path  # the project folder (absolute)
    source: Source
    title: str
    edition: int
    themes: tuple[Theme, ...]
    regions: tuple[str, ...] = DEFAULT_REGIONS
    subtitle: str = ""
    language: str = "en"
    publisher: str = ""
    isbn: str = ""  # normalised: 13 digits, no hyphens
    license: str = ""
    url: str = ""  # the published site's address, no trailing slash ("" = unknown)
    editors: tuple[str, ...] = ()
    date: date | None = None
    introduction: str = ""  # Markdown text read from the introduction file
    cover: Image | None = None
    group_by: tuple[str, str] = ("theme", "region")
    country_regions: tuple[tuple[str, str], ...] = ()  # (alpha2, region)
    # each format's options block of compendium.yaml, as validated against compendium.render.FORMATS:
    # ((format, ((key, value), ...)), ...); read it with compendium.render.option_value
    options: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    # the entry form: its sections in order, the extra fields, and every vocabulary they use
    sections: tuple[SectionSpec, ...] = tuple(SectionSpec(key) for key in SECTIONS)
    fields: tuple[FieldSpec, ...] = ()
    vocabularies: tuple[Vocabulary, ...] = ()
    countries: tuple[Country, ...] = ()  # the edition's own countries and territories (`countries:`)
    # In a series (compendium.input.series): the edition's folder relative to `root` (the series
    # folder); "" for a project of one edition.
    folder: str = ""
    # A retrospective (a book across editions, compendium.book.group.build_retrospective): the award
    # years it spans, its id (the name of its files), and the edition theme ids it groups under
    # one of its `themes` ((old id, theme id), ...). All empty for an edition.
    years: tuple[int, ...] = ()
    book_id: str = ""
    theme_map: tuple[tuple[str, str], ...] = ()
    # front matter to a publisher's standard (a UN publication's title page and imprint)
    place: str = ""  # place of publication ("New York")
    issued_by: tuple[str, ...] = ()  # departments and divisions under the subtitle on the title page
    eisbn: str = ""  # the electronic edition's ISBN (normalised like isbn)
    symbol: str = ""  # document symbol ("ST/ESA/PAD/SER.E/180")
    sales_number: str = ""  # "E.12.II.H.2"
    copyright_holder: str = ""  # "" = the publisher
    disclaimer: str = "publisher"  # publisher | united-nations | none
    about_publisher: str = ""  # the publisher's mission paragraph, first on the imprint page
    printer: str = ""  # "Printed at the United Nations, New York"
    blurb: str = ""  # the back cover's text
    accessibility_certifier: str = ""  # who checked the EPUB's accessibility ("" = no certified claim)
    foreword: str = ""  # Markdown text read from the foreword file
    acknowledgements: str = ""  # Markdown text read from the acknowledgements file
    abbreviations: tuple[tuple[str, str], ...] = ()  # (abbreviation, what it stands for), alphabetical

    @property
    def slug(self) -> str:
        from compendium.book.slug import slugify

        return slugify(self.title) or "compendium"

    @property
    def label(self) -> str:
        """The year printed on covers and feet: "2012", or "2003–2011" for a retrospective."""
        if len(self.years) > 1:
            return f"{self.years[0]}\u2013{self.years[-1]}"
        return str(self.years[0] if self.years else self.edition)

    @property
    def file_stem(self) -> str:
        """The name of the book's files without suffix: `<title slug>-<year>`, a retrospective's id."""
        return self.book_id or f"{self.slug}-{self.edition}"

    def theme_of(self, entry: "Entry") -> Theme:
        """The theme `entry` is grouped under in this book: its own, or in a retrospective the theme
        its category maps to (theme_map), when that is one of the book's themes."""
        mapped = dict(self.theme_map).get(entry.theme.id, entry.theme.id)
        return self.theme(mapped) or entry.theme

    @property
    def dir(self) -> str:
        return text_dir(self.language)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def section_title(self, key: str, language: str = "") -> str:
        """The heading of section `key` in the book's language (or `language`): the title the
        edition declares, else the built-in translated title of the UNPSA sections (labels)."""
        language = language or self.language
        spec = next((s for s in self.sections if s.id == key), None)
        if spec is not None and spec.titles:
            return pick_title(spec.titles, language)
        from compendium.book.labels import labels  # the built-in titles, translated

        return labels(language).section(key)

    def field(self, field_id: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def vocabulary(self, vocabulary_id: str) -> Vocabulary | None:
        return next((v for v in self.vocabularies if v.id == vocabulary_id), None)


@dataclass(frozen=True)
class Chapter:
    """Second-level grouping: a region inside a theme, or a theme inside a region."""

    kind: str  # "theme" or "region"
    key: str  # theme id or region slug
    title: str
    entries: tuple[Entry, ...]
    description: str = ""


@dataclass(frozen=True)
class Part:
    """First-level grouping, per the edition's group_by."""

    kind: str
    key: str
    title: str
    chapters: tuple[Chapter, ...]
    description: str = ""

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        """The part's entries in book order (made once: a frozen value never changes)."""
        return tuple(e for c in self.chapters for e in c.entries)


@dataclass(frozen=True)
class Related:
    """An entry of another edition of the series, as a book that does not hold it names it (a follow-up):
    only what the books print of it, so that the book's digest changes when that does, not when the
    rest of the entry does (compendium.book.group.with_related)."""

    id: str
    title: str
    translated_title: str
    language: str
    year: int
    follows: tuple[str, ...]


@dataclass(frozen=True)
class Book:
    """The edition's entries, grouped and ordered: what every renderer consumes."""

    edition: Edition
    parts: tuple[Part, ...]
    warnings: tuple[Issue, ...] = ()
    # in a series: the entries of its other editions that one of this book's entries follows up
    # (`follows:`) or that follow one up, so its facts can name them (book.facts.follow_ups)
    related: tuple[Related, ...] = ()

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        """All entries in book order (made once: renderers ask for it per entry, a 1,000-entry book
        would otherwise rebuild a million-item walk)."""
        return tuple(e for p in self.parts for e in p.entries)

    @cached_property
    def known(self) -> dict[str, Entry | Related]:
        """Every entry the book can name, by id: its own, and the other editions' it is related to."""
        return {e.id: e for e in (*self.related, *self.entries)}

    @cached_property
    def followers(self) -> dict[str, tuple[Entry | Related, ...]]:
        """id → the known entries that follow it up (`follows:`), in the order of `known`."""
        out: dict[str, list[Entry | Related]] = {}
        for e in self.known.values():
            for earlier in e.follows:
                out.setdefault(earlier, []).append(e)
        return {k: tuple(v) for k, v in out.items()}

    def counts(self) -> dict[tuple[str, str], int]:
        """Entries per (theme id, region)."""
        out: dict[tuple[str, str], int] = {}
        for e in self.entries:
            out[(e.theme.id, e.region)] = out.get((e.theme.id, e.region), 0) + 1
        return out


@dataclass(frozen=True)
class Retrospective:
    """A book across editions, as the series declares it (`retrospectives:` in the series file)."""

    id: str  # a lowercase slug: the name of its files (<id>.pdf, <id>.epub)
    title: str
    years: tuple[int, ...]  # the award years it spans, ascending (editions of the series only)
    source: Source
    group_by: tuple[str, str] = ("theme", "year")  # or ("region", "country")
    subtitle: str = ""
    introduction: str = ""  # Markdown text read from its introduction file
    isbn: str = ""
    date: date | None = None
    cover: Image | None = None
    editors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Series:
    """A project of several editions: one folder per edition, settings shared in the series file.

    settings:  the series file's shared settings read as an edition would be (title, language, url,
               publisher, the current themes, regions...); its `edition` is the latest year.
    editions:  oldest first; each with the shared settings it does not override.
    theme_map: (old theme id, series theme id): categories of earlier years grouped under today's.
    """

    root: Path
    source: Source
    settings: Edition
    editions: tuple[Edition, ...]
    theme_map: tuple[tuple[str, str], ...] = ()
    retrospectives: tuple[Retrospective, ...] = ()

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(e.edition for e in self.editions)

    def edition(self, year: int) -> Edition | None:
        return next((e for e in self.editions if e.edition == year), None)
