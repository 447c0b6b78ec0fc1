"""PDF render, back matter: the index of countries, with page numbers linked to the entries."""
from __future__ import annotations

from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, PageBreak

from compendium.book.group import by_country
from compendium.input.countries import fold
from compendium.model import Book
from compendium.render.common import entry_anchor
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
        pages = sorted({(doc.pages.get(entry_anchor(e.id), 0), entry_anchor(e.id)) for e in entries})
        m.parts.append(", ".join(f'<a href="#{k}" color="#1B5E8C">{n}</a>' for n, k in pages if n))
        out.append(m.flowable())
    return out
