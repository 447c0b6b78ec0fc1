"""PDF render, back matter: the indexes of the edition's vocabulary fields (book.indexes: the
SDGs addressed...) and the index of countries, with page numbers linked to the entries."""
from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, PageBreak

from compendium.book.group import by_country
from compendium.book.indexes import Index, indexes
from compendium.input.countries import fold
from compendium.model import Book
from compendium.render.pdf.front import entry_key
from compendium.render.pdf.layout import Anchor, BookDoc, Deferred
from compendium.render.pdf.markdown import Markup, TextContext, paragraph


def country_index(book: Book, tc: TextContext) -> list[Flowable]:
    """A heading, then the index itself, made when layout reaches it (the page numbers are known then)."""
    title = tc.labels["index_of_countries"]
    return [NextPageTemplate("index-first"), PageBreak(), NextPageTemplate("index"),
            Anchor("index", title, 0, running=(title, title), no_header=True),
            paragraph(tc, "h1", title), FrameBreak(), Deferred(lambda doc: _lines(book, tc, doc))]


def _lines(book: Book, tc: TextContext, doc: BookDoc) -> list[Flowable]:
    out: list[Flowable] = []
    letter = ""
    for country, entries in by_country(book).items():
        first = fold(country.name)[:1].upper()  # Côte d'Ivoire among the Cs
        if first != letter:
            letter = first
            out.append(paragraph(tc, "index-letter", letter))
        m = Markup(tc.at("country"), "index")
        m.tag("<b>", "</b>", (country.name,), bold=True)
        m.parts.append("\u2002 ")
        pages = sorted({(doc.pages.get(entry_key(e.id), 0), entry_key(e.id)) for e in entries})
        m.parts.append(", ".join(f'<a href="#{k}" color="#1B5E8C">{n}</a>' for n, k in pages if n))
        out.append(m.flowable())
    return out


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

    def draw(self) -> None:
        self.canv.setFillColor(HexColor(self.colour))
        self.canv.rect(0, self.height - self.SIZE - 3, self.SIZE, self.SIZE, stroke=0, fill=1)
        self.heading.drawOn(self.canv, self.SIZE + self.GAP, 0)


def vocabulary_indexes(book: Book, tc: TextContext) -> list[Flowable]:
    """One index per vocabulary field marked `index: true`: each term (its colour as a mark, when it
    has one), then the entries' titles and pages, made when layout reaches it."""
    out: list[Flowable] = []
    for index in indexes(book):
        key = f"index-{index.id}"
        out += [NextPageTemplate("index-first"), PageBreak(), NextPageTemplate("index"),
                Anchor(key, index.title, 0, running=(index.title, index.title), no_header=True),
                paragraph(tc, "h1", index.title), FrameBreak(),
                Deferred(lambda doc, index=index: _terms(index, tc, doc))]
    return out


def _terms(index: Index, tc: TextContext, doc: BookDoc) -> list[Flowable]:
    out: list[Flowable] = []
    for item in index.terms:
        m = Markup(tc.at(index.id), "index-letter")
        m.tag("", "", (item.title,))
        out.append(Swatch(m.flowable(), item.term.colour) if item.term.colour else m.flowable())
        for entry in item.entries:
            line = Markup(tc.at(index.id), "index")
            line.tag("", "", (f"{entry.title} ({entry.country.name})",))
            page = doc.pages.get(entry_key(entry.id), 0)
            if page:
                line.parts.append(f'\u2002 <a href="#{entry_key(entry.id)}" color="#1B5E8C">{page}</a>')
            out.append(line.flowable())
    return out
