"""PDF render (fact sheets): one short PDF per entry, the page an awards programme hands each winner."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reportlab.platypus import Flowable

from compendium.model import Book, Chapter, Entry, Part
from compendium.render.common import RenderContext, chapter_number_anchor, fact_sheet_file, part_number_anchor
from compendium.render.pdf import Setup
from compendium.render.pdf.entry import entry_flowables
from compendium.render.pdf.layout import Anchor
from compendium.render.pdf.markdown import paragraph

MAIN_TEMPLATE = 2  # BookDoc's page templates: cover, plain, main


def _sheet(s: Setup, part: Part, chapter: Chapter, entry: Entry) -> list[Flowable]:
    edition = s.book.edition
    return [
        Anchor(part_number_anchor(1), part.title, 0, running=(part.title, ""), body=True),
        Anchor(chapter_number_anchor(1, 1), chapter.title, 1, running=(None, chapter.title)),
        paragraph(s.tc, "part-label", f"{edition.title} {edition.edition} · {s.labels['fact_sheet']}"),
        *entry_flowables(entry, s.for_entry(entry), s.geom, s.cache_dir, edition),
    ]


def render(book: Book, ctx: RenderContext) -> list[Path]:
    """Write fact-sheets/<entry id>.pdf below ctx.out_dir for every entry; return their paths, in book order.

    Each sheet is a one-sided handout with folios from 1, laid out like the entry in the book.
    Warnings (missing glyphs) go to ctx.warnings; ctx.summary says how many PDFs. Raises what
    the PDF book's render raises.
    """
    s = Setup(book, ctx.cache_dir)
    # a fact sheet is a handout of a few pages, printed or read on screen: one-sided, folios from 1
    geom = replace(s.geom, two_sided=False)
    paths: list[Path] = []
    for part in book.parts:
        for chapter in part.chapters:
            for entry in chapter.entries:
                single = Book(book.edition, (Part(part.kind, part.key, part.title,
                                                  (Chapter(chapter.kind, chapter.key, chapter.title, (entry,)),)),))
                out = ctx.out_dir / fact_sheet_file(entry.id)
                s.write(out, _sheet(s, part, chapter, entry), single, first_template=MAIN_TEMPLATE,
                        title=f"{entry.title} — {book.edition.title} {book.edition.edition}", geom=geom)
                paths.append(out)
    ctx.warnings.extend(s.warnings())
    ctx.summary = f"{len(paths)} PDFs"
    return paths
