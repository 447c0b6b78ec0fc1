"""PDF render, back matter: the index of countries, with page numbers linked to the entries."""
from __future__ import annotations

from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, Spacer

from compendium.book.group import by_country
from compendium.input.countries import fold
from compendium.model import Book
from compendium.render.pdf.front import entry_key
from compendium.render.pdf.layout import Anchor, BookDoc, Deferred, RectoBreak
from compendium.render.pdf.markdown import Markup, TextContext, paragraph
from compendium.render.pdf.styles import ACCENT


def country_index(book: Book, tc: TextContext) -> list[Flowable]:
    """A heading, then the index itself, made when layout reaches it (the page numbers are known then)."""
    title = tc.labels["index_of_countries"]
    return [NextPageTemplate("index-first"), RectoBreak(), NextPageTemplate("index"),
            Anchor("index", title, 0, running=(title, title), no_header=True),
            paragraph(tc, "h1", title), FrameBreak(), Deferred(lambda doc: _lines(book, tc, doc))]


def _lines(book: Book, tc: TextContext, doc: BookDoc) -> list[Flowable]:
    out: list[Flowable] = []
    letter = ""
    for country, entries in by_country(book).items():
        first = fold(country.name)[:1].upper()  # Côte d'Ivoire among the Cs
        if first != letter:
            if letter:
                out.append(Spacer(0, 5))  # a little air between initial letters, no heading for each
            letter = first
        m = Markup(tc.at("country"), "index")
        m.tag((country.name,), bold=True)
        m.text("\u2002 ")
        pages = sorted({(doc.pages.get(entry_key(e.id), 0), entry_key(e.id)) for e in entries})
        for i, (n, k) in enumerate(p for p in pages if p[0]):
            if i:
                m.text(", ")
            with m.styled(link="#" + k, color=ACCENT):
                m.text(doc.label(n))
        out.append(m.flowable())
    return out
