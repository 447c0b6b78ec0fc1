"""PDF render, back matter: the index of countries, with page numbers linked to the entries."""
from __future__ import annotations

import unicodedata

from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, PageBreak

from compendium.model import Book
from compendium.render.pdf_front import entry_key
from compendium.render.pdf_layout import Anchor, BookDoc, Deferred
from compendium.render.pdf_markdown import Markup, TextContext, paragraph


def _sort_key(name: str) -> str:
    """Alphabetical without accents: Côte d'Ivoire sorts among the Cs."""
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


def country_index(book: Book, tc: TextContext) -> list[Flowable]:
    """A heading, then the index itself, made when layout reaches it (the page numbers are known then)."""
    return [NextPageTemplate("index-first"), PageBreak(), NextPageTemplate("index"), Anchor("index", "Index of countries", 0, running=("Index of countries", "Index of countries"),
                                       no_header=True),
            paragraph(tc, "h1", "Index of countries"), FrameBreak(), Deferred(lambda doc: _lines(book, tc, doc))]


def _lines(book: Book, tc: TextContext, doc: BookDoc) -> list[Flowable]:
    by_country: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for entry in book.entries:
        code = entry.country.alpha2
        names[code] = entry.country.name
        by_country.setdefault(code, []).append(entry_key(entry.id))
    out: list[Flowable] = []
    letter = ""
    for code in sorted(names, key=lambda c: (_sort_key(names[c]), c)):
        first = _sort_key(names[code])[:1].upper()
        if first != letter:
            letter = first
            out.append(paragraph(tc, "index-letter", letter))
        m = Markup(tc.at("country"), "index")
        m.tag("<b>", "</b>", (names[code],), bold=True)
        m.parts.append("\u2002 ")
        pages = sorted({(doc.pages.get(k, 0), k) for k in by_country[code]})
        m.parts.append(", ".join(f'<a href="#{k}" color="#1B5E8C">{n}</a>' for n, k in pages if n))
        out.append(m.flowable())
    return out
