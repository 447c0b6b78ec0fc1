"""PDF render, back matter: the indexes of the edition's vocabulary fields (book.indexes: the SDGs
addressed...) and the index of countries, in two columns, page numbers (folios) linked to the entries."""
from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate

from compendium.book.group import by_country
from compendium.book.indexes import Index, indexes
from compendium.input.countries import fold
from compendium.model import Book, Entry
from compendium.render.common import entry_anchor, vocabulary_index_anchor
from compendium.render.pdf.layout import GUTTER, HEADING_HEIGHT, Anchor, BookDoc, Deferred, RectoBreak
from compendium.render.pdf.markdown import Markup, TextContext, paragraph
from compendium.render.pdf.styles import ACCENT, MUTED


def country_index(book: Book, tc: TextContext, for_entry: Callable[[Entry], TextContext]) -> list[Flowable]:
    """A heading, then the index itself, made when layout reaches it (the page numbers are known then).
    `for_entry`: an entry's text context (a glyph missing from a title is reported at the entry)."""
    title = tc.labels["index_of_countries"]
    return _index_opening("index", title, tc) + [Deferred(lambda doc: _countries(book, tc, doc, for_entry))]


def title_index(book: Book, tc: TextContext, for_entry: Callable[[Entry], TextContext]) -> list[Flowable]:
    """The index of initiatives: every title in alphabetical order (a title in another language under its
    gloss in the book's language, the original after it), its country and folio. `for_entry`: the text
    context of an entry, so that a glyph missing from its title is reported at the entry's `title`."""
    title = tc.labels["index_of_titles"]
    return _index_opening("index-titles", title, tc) + [Deferred(lambda doc: _titles(book, tc, doc, for_entry))]


def _index_opening(key: str, title: str, tc: TextContext) -> list[Flowable]:
    return [NextPageTemplate("index-first"), RectoBreak(), NextPageTemplate("index"),
            Anchor(key, title, 0, running=(title, title), no_header=True), paragraph(tc, "h1", title), FrameBreak()]


def _folios(m: Markup, entries: tuple[Entry, ...] | list[Entry], doc: BookDoc) -> None:
    """The entries' folios after an en space, linked to the entries."""
    pages = sorted({(doc.pages.get(entry_anchor(e.id), 0), entry_anchor(e.id)) for e in entries})
    m.text("\u2002")
    for i, (n, k) in enumerate(p for p in pages if p[0]):
        if i:
            m.text(", ")
        with m.styled(link="#" + k, color=ACCENT):
            m.text(doc.label(n))


def _letter(text: str) -> str:
    """The letter an index line files under: its first letter without accents (Côte d'Ivoire under C)."""
    return fold(text)[:1].upper()


def _shown(entry: Entry) -> str:
    """The title an index files an entry under: its gloss in the book's language when it has one."""
    return entry.translated_title if entry.translated_title and entry.language else entry.title


ARTICLES = ("the ", "a ", "an ")  # English initial articles: filed under the next word (Chicago Manual of Style 16.52)


def filed(title: str, language: str) -> str:
    """An English title as an index of titles files it: a leading article moved to the end, the next word
    capitalised ('The national anti-corruption hotline' → 'National anti-corruption hotline, The');
    any other title unchanged. `language`: the title's (BCP 47); titles in other languages than English keep
    their order (their articles differ)."""
    if language.split("-")[0].lower() != "en":
        return title
    for article in ARTICLES:
        rest = title[len(article):]
        if title.casefold().startswith(article) and rest[:1].isalpha():
            return f"{rest[:1].upper()}{rest[1:]}, {title[:len(article) - 1]}"
    return title


def _filed(entry: Entry, book: Book) -> str:
    """The entry's title as the index of initiatives files and prints it (`filed`, in the title's language)."""
    own = _shown(entry) == entry.title and entry.language
    return filed(_shown(entry), entry.language if own else book.edition.language)


def _countries(book: Book, tc: TextContext, doc: BookDoc, for_entry: Callable[[Entry], TextContext]
               ) -> list[Flowable]:
    """Letter heads, then each country (bold) with its folios and, under it, its initiatives' titles."""
    out: list[Flowable] = []
    letter = ""
    for country, entries in by_country(book).items():
        first = _letter(country.name)
        if first != letter:
            out.append(paragraph(tc, "index-letter", first))
            letter = first
        m = Markup(tc.at("country"), "index")
        m.tag((country.name,), bold=True)
        _folios(m, entries, doc)
        heading = m.flowable()
        heading.keepWithNext = 1  # a country never ends a column without its first initiative
        out.append(heading)
        for entry in entries:
            line = Markup(for_entry(entry).ltr().at("title"), "index-sub")
            line.text(_shown(entry))
            out.append(line.flowable())
    return _balanced(out, doc)


def _titles(book: Book, tc: TextContext, doc: BookDoc, for_entry: Callable[[Entry], TextContext]) -> list[Flowable]:
    out: list[Flowable] = []
    letter = ""
    for entry in sorted(book.entries, key=lambda e: (fold(_filed(e, book)).casefold(), e.id)):
        first = _letter(_filed(entry, book))
        if first != letter:  # a letter head: the first letter of the entry's title
            out.append(paragraph(for_entry(entry).ltr().at("title"), "index-letter", first))
            letter = first
        m = Markup(for_entry(entry).ltr().at("title"), "index")
        m.text(_filed(entry, book))
        if _shown(entry) != entry.title:
            with m.styled(color=MUTED):
                m.text(" (")
                m.text(entry.title)
                m.text(")")
        with m.styled(color=MUTED):
            m.text(", " + entry.country.name)
        _folios(m, (entry,), doc)
        out.append(m.flowable())
    return _balanced(out, doc)


def _balanced(lines: list[Flowable], doc: BookDoc) -> list[Flowable]:
    """An index that fits its first page is set in two columns of equal length, not one full column;
    a column never ends on a letter head (it moves to the next column with its lines)."""
    g = doc.geom
    width = (g.frame_width - GUTTER) / 2
    room = g.frame_height - HEADING_HEIGHT
    heights = [f.wrap(width, room)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in lines]
    total = sum(heights)
    if total > 2 * room - 24 or len(lines) < 4:
        return lines
    run = 0.0
    for n, h in enumerate(heights):
        run += h
        if run >= total / 2:
            cut = n + 1
            while cut > 1 and lines[cut - 1].getKeepWithNext():  # a letter head goes with its lines (its style says so)
                cut -= 1
            return [*lines[:cut], FrameBreak(), *lines[cut:]]
    return lines


class Swatch(Flowable):
    """A term's heading with its colour (an SDG's official colour) as a square in the margin before it."""

    SIZE, GAP = 7.0, 5.0

    def __init__(self, heading: Flowable, colour: str) -> None:
        super().__init__()
        self.heading, self.colour = heading, colour

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        w, self.height = self.heading.wrap(availWidth - self.SIZE - self.GAP, availHeight)
        self.width = w + self.SIZE + self.GAP
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.heading.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.heading.getSpaceAfter()

    def getKeepWithNext(self) -> bool:  # noqa: N802 - a term's heading stays with its first entry
        return True

    def draw(self) -> None:
        self.canv.setFillColor(HexColor(self.colour))
        self.canv.rect(0, self.height - self.SIZE - 3, self.SIZE, self.SIZE, stroke=0, fill=1)
        self.heading.drawOn(self.canv, self.SIZE + self.GAP, 0)


def vocabulary_indexes(book: Book, tc: TextContext) -> list[Flowable]:
    """One index per vocabulary field marked `index: true`, each opening on a recto: each term (its
    colour as a mark, when it has one), then the entries' titles and folios, made when layout reaches it."""
    out: list[Flowable] = []
    for index in indexes(book):
        key = vocabulary_index_anchor(index.id)
        out += [NextPageTemplate("index-first"), RectoBreak(), NextPageTemplate("index"),
                Anchor(key, index.title, 0, running=(index.title, index.title), no_header=True),
                paragraph(tc, "h1", index.title), FrameBreak(),
                Deferred(lambda doc, index=index: _terms(index, tc, doc))]
    return out


def _terms(index: Index, tc: TextContext, doc: BookDoc) -> list[Flowable]:
    out: list[Flowable] = []
    for item in index.terms:
        heading = paragraph(tc.at(index.id), "index-term", item.title)
        out.append(Swatch(heading, item.term.colour) if item.term.colour else heading)
        for entry in item.entries:
            line = Markup(tc.at(index.id), "index")
            line.text(f"{entry.title} ({entry.country.name})")
            page = doc.pages.get(entry_anchor(entry.id), 0)
            if page:
                line.text("\u2002 ")
                with line.styled(link="#" + entry_anchor(entry.id), color=ACCENT):
                    line.text(doc.label(page))
            out.append(line.flowable())
    return out
