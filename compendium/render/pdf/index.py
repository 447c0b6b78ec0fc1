"""PDF render, back matter: the index of countries in two columns, page numbers (folios) linked to the entries."""
from __future__ import annotations

from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, Spacer

from compendium.book.group import by_country
from compendium.input.countries import fold
from compendium.model import Book
from compendium.render.pdf.front import entry_key
from compendium.render.pdf.layout import GUTTER, HEADING_HEIGHT, Anchor, BookDoc, Deferred, RectoBreak
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
    return _balanced(out, doc)


def _balanced(lines: list[Flowable], doc: BookDoc) -> list[Flowable]:
    """An index that fits its first page is set in two columns of equal length, not one full column."""
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
            rest = lines[n + 1:]
            while rest and isinstance(rest[0], Spacer):  # a column never starts with the air between letters
                rest = rest[1:]
            return [*lines[:n + 1], FrameBreak(), *rest]
    return lines
