"""PDF render: the Book → one print-ready PDF with reportlab Platypus, laid out in a single pass.

Order: cover, title page, imprint, contents, introduction, overview, the parts (each opening on
a recto; each entry opening a page), index of countries. Page numbers in the contents are filled
in after layout (see layout.py), so the book is laid out once, not three times. Text is set by
our own paragraph engine (textflow.py: HarfBuzz shaping, bidi per line, hyphenation rules).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import LayoutError

from compendium.book.labels import edition_labels, labels
from compendium.errors import RenderError
from compendium.model import Book, Entry, Issue, Source
from compendium.render import option_value
from compendium.render.common import RenderContext, book_file, build_epoch, printed_text
from compendium.render.pdf import fonts as pdf_fonts
from compendium.render.pdf.coverfile import cover_path, write_cover
from compendium.render.pdf.front import (
    contents,
    cover_painter,
    front_texts,
    introduction,
    overview_pages,
    title_pages,
)
from compendium.render.pdf.index import country_index, title_index, vocabulary_indexes
from compendium.render.pdf.layout import BookDoc, EvenEnd, _FixedStamp, draw_running
from compendium.render.pdf.located import glyph_warnings
from compendium.render.pdf.markdown import TextContext, paragraph
from compendium.render.pdf.pictures import FOLDER as PICTURES
from compendium.render.pdf.streams import FOLDER as STREAMS
from compendium.render.pdf.styles import geometry, make_styles
from compendium.render.pdf.textflow import Text
from compendium.render.pdf.units import Body


def output_path(book: Book, out_dir: Path) -> Path:
    """The PDF book's path in `out_dir`: <edition slug>-<year>.pdf (render.common.book_file)."""
    return out_dir / book_file(book, "pdf")


class Setup:
    """Fonts, styles, page geometry and glyph bookkeeping shared by the book and the fact sheets."""

    def __init__(self, book: Book, cache_dir: Path, step: Callable[[str], None] = lambda message: None) -> None:
        edition = book.edition
        self.book = book
        self.cache_dir = cache_dir  # the pictures' print copies (imageprep.print_copy)
        self.labels = edition_labels(edition)  # the book's language names every label, in every entry
        self.fonts, self.cjk_ok = pdf_fonts.load("\n".join([*printed_text(book), *self.labels.values()]), step)
        self.styles = make_styles(self.fonts)
        self.geom = geometry(option_value(edition, "pdf", "page_size"),
                             two_sided=option_value(edition, "pdf", "sides") == "two-sided")
        self.missing: dict[tuple[Source, str], list[str]] = {}
        self.notes: dict[tuple[Source, str, str], str] = {}  # (where, field, code) → message
        self.tc = TextContext(self.styles, False, "", lambda f, ch: self.note(edition.source, f, ch),
                              edition.language, self.labels,
                              lambda f, code, msg: self.notes.setdefault((edition.source, f, code), msg))
        self.heads: dict[tuple[str, str], Text] = {}
        self.cover_warnings: list[Issue] = []  # the shared cover's (render.cover: a font not installed)

    def note(self, source: Source, field: str, ch: str) -> None:
        chars = self.missing.setdefault((source, field), [])
        if ch not in chars:
            chars.append(ch)

    def for_entry(self, entry: Entry) -> TextContext:
        return TextContext(self.styles, entry.dir == "rtl", "", lambda f, ch: self.note(entry.where(f), f, ch),
                           entry.language or self.book.edition.language, self.labels,
                           lambda f, code, msg: self.notes.setdefault((entry.where(f), f, code), msg))

    def running_text(self, text: str, align: str, width: float | None = None) -> Text:
        """A running head or foot: `text` cut to 110 characters (a head), or, given `width` (pt), to
        what one line of that width holds, the part after its last " · " kept whole (the foot:
        "Compendium of Innovative Practices in Public… · 2012", never two lines)."""
        key = (text, align, width)
        if key not in self.heads:
            short = text if len(text) <= 110 else text[:107].rstrip() + "…"
            style = {"left": "running", "right": "running-right", "center": "running-center"}[align]
            # a running head copies a title already laid out (and its missing glyphs reported) where it was typed
            quiet = TextContext(self.styles, False, "", lambda f, ch: None, self.book.edition.language, self.labels,
                                lambda f, code, msg: None)
            para = paragraph(quiet, style, short)
            if width is not None:
                head, sep, tail = text.rpartition(" · ") if " · " in text else (text, "", "")
                words = head.split(" ")
                while len(words) > 1 and _lines(para, width) > 1:
                    words.pop()
                    para = paragraph(quiet, style, " ".join(words).rstrip(",;:·–-(") + "…" + sep + tail)
            self.heads[key] = para
        return self.heads[key]

    @cached_property
    def cover(self) -> Any:
        """The cover's painter, made (and its picture decoded) once, when a PDF first starts on a cover."""
        return cover_painter(self.book, self.tc, self.geom, self.cache_dir, self.cover_warnings)

    def write(self, out: Path, flowables: list[Flowable], book: Book | None = None,
              first_template: int = 0, title: str = "", geom: Any = None, keep_streams: bool = False) -> int:
        """Lay `flowables` out into `out` with the book's page templates, running heads and metadata;
        keep_streams: keep its deflated streams in the build cache for the next build (streams.py).

        Returns the number of pages written; raises RenderError naming the entry being laid out.
        """
        book = book or self.book
        edition = book.edition
        edition_line = edition.title if edition.label in edition.title else f"{edition.title} · {edition.label}"
        # fact sheets start on a text page: they never draw (nor decode) the cover
        painters = {"cover": self.cover if first_template == 0 else _no_cover,
                    "running": lambda canv, doc: draw_running(canv, doc, self.running_text, edition_line)}
        out.parent.mkdir(parents=True, exist_ok=True)
        meta = _metadata(book)
        if title:
            meta["title"] = title
        doc = BookDoc(str(out), geom or self.geom, build_epoch(edition), painters,
                      initialFontName=self.fonts.name("serif"), **meta)
        doc._firstPageTemplateIndex = first_template  # 0: the cover; fact sheets start on a text page
        doc.picture_cache = self.cache_dir / PICTURES
        if keep_streams:
            doc.stream_cache = self.cache_dir / STREAMS / f"{out.stem}.pickle"
        doc.folio_font = self.fonts.name("sans", "bold")
        try:
            doc.build(flowables)
        except LayoutError as exc:
            where = doc.current[1] if doc.current else "the front matter"
            raise RenderError(f"PDF layout failed in '{where}': {exc}".split("\n")[0], format="pdf",
                              entry=doc.current[1] if doc.current else "") from exc
        return doc.page

    def warnings(self) -> list[Issue]:
        """Characters no font has, and pictures below print resolution, each located at its field."""
        out = glyph_warnings(self.book.edition.root, self.missing, self.cjk_ok, self.fonts.absent)
        out += [Issue(where, "warning", code, message) for (where, _, code), message in sorted(self.notes.items())]
        return out + self.cover_warnings


def _lines(para: Text, width: float) -> int:
    """How many lines `para` takes at `width` (pt)."""
    para.wrap(width, 1000)
    return len(para.lines)


def render(book: Book, ctx: RenderContext) -> list[Path]:
    """Write the print-ready PDF book, <edition slug>-<year>.pdf, into ctx.out_dir; return [its path].

    With `pdf: {cover: separate}`, the book starts with its title page and the cover spread is written
    beside it (coverfile.py: <edition slug>-<year>-cover.pdf, also returned). A two-sided book has an
    even number of pages (a blank verso at its end when needed).
    Page size from the edition's `pdf: {page_size}` option (A4 by default, sizes in pt);
    missing glyphs and low-resolution pictures go to ctx.warnings, located at the entry's
    field; ctx.summary says how many pages. Raises RenderError naming the entry being laid out
    when the layout fails, BuildFailed when a font is not installed, InvalidInput for an
    unreadable picture.

    The body is laid out by units (units.py): on ctx.jobs processes, and only the units whose
    content changed since the last build; ctx.step hears what is being done (cutting fonts,
    laying out entries).
    """
    edition = book.edition
    s = Setup(book, ctx.cache_dir, ctx.step)
    separate_cover = option_value(edition, "pdf", "cover") == "separate"
    body = Body(s, ctx.cache_dir, ctx.jobs, ctx.step)
    ok = False
    try:
        flowables: list[Flowable] = []
        flowables += title_pages(book, s.tc, s.geom, cover=not separate_cover)
        flowables += contents(book, s.tc, bool(edition.introduction.strip()), s.for_entry)
        flowables += front_texts(book, s.tc)
        if edition.introduction.strip():
            flowables += introduction(book, s.tc)
        flowables += overview_pages(book, s.tc, s.geom)
        flowables += body.flowables()
        flowables += vocabulary_indexes(book, s.tc)
        flowables += title_index(book, s.tc, s.for_entry)
        flowables += country_index(book, s.tc, s.for_entry)
        flowables.append(EvenEnd())
        out = output_path(book, ctx.out_dir)
        pages = s.write(out, flowables, first_template=1 if separate_cover else 0, keep_streams=True)
        ok = True
    finally:
        body.close(ok)
    written = [out]
    if separate_cover:
        written.append(write_cover(book, s.tc, s.geom, pages, cover_path(book, ctx.out_dir),
                                   _FixedStamp(build_epoch(edition))))
    ctx.warnings.extend(s.warnings())
    ctx.summary = f"{pages} pages" + (" and the cover" if separate_cover else "")
    return written


def _no_cover(canv: Any, doc: Any) -> None:
    """The cover page template's painter in a PDF that has no cover (a fact sheet)."""


def _metadata(book: Book) -> dict[str, object]:
    e = book.edition
    epoch = build_epoch(e)
    return {
        "xmp_date": datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "xmp_authors": list(e.editors) or [e.publisher or e.title],
        "title": f"{e.title} {e.label}" if e.label not in e.title else e.title,
        "author": "; ".join(e.editors) or e.publisher or e.title,
        "subject": e.subtitle or f"{e.title}: {labels(e.language).count('initiatives', len(book.entries))}",
        "keywords": [t.name for t in e.themes] + list(dict.fromkeys(x.region for x in book.entries)),
        "creator": "compendium",
        "lang": e.language,
    }
