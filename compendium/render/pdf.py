"""PDF render: the Book → one print-ready PDF with reportlab Platypus, laid out in a single pass.

Order: cover, title page, imprint, contents, introduction, overview, the parts (each opening a
page; each entry opening a page), index of countries. Page numbers in the contents are filled
in after layout (see pdf_layout), so the book is laid out once, not three times.
"""
from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.doctemplate import LayoutError

from compendium.fonts import CJK_EXTRA
from compendium.imageprep import prepare
from compendium.model import Book, CompendiumError, Edition, Entry, Issue, Source
from compendium.render import RenderContext, pdf_fonts
from compendium.render.pdf_entry import body
from compendium.render.pdf_front import contents, cover_painter, introduction, overview_pages, title_pages
from compendium.render.pdf_index import country_index
from compendium.render.pdf_layout import BookDoc, draw_running
from compendium.render.pdf_markdown import TextContext, paragraph
from compendium.render.pdf_styles import geometry, make_styles

_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")


def output_path(book: Book, out_dir: Path) -> Path:
    return out_dir / f"{book.edition.slug}-{book.edition.edition}.pdf"


class Setup:
    """Fonts, styles, page geometry and glyph bookkeeping shared by the book and the fact sheets."""

    def __init__(self, book: Book) -> None:
        edition = book.edition
        self.book = book
        self.fonts, self.cjk_ok = pdf_fonts.load(need_cjk=any(_CJK.search(s) for s in _texts(book)))
        self.styles = make_styles(self.fonts)
        self.geom = geometry(edition.pdf.page_size)
        self.missing: dict[tuple[str, str], list[str]] = {}
        self.tc = TextContext(self.styles, False, "", lambda f, ch: self.note(edition.source.path, f, ch), edition.language)
        self.heads: dict[tuple[str, str], Paragraph] = {}

    def note(self, source: str, field: str, ch: str) -> None:
        chars = self.missing.setdefault((source, field), [])
        if ch not in chars:
            chars.append(ch)

    def for_entry(self, entry: Entry) -> TextContext:
        return TextContext(self.styles, entry.dir == "rtl", "", lambda f, ch: self.note(entry.source.path, f, ch),
                           entry.language or self.book.edition.language)

    def running_text(self, text: str, align: str) -> Paragraph:
        if (text, align) not in self.heads:
            short = text if len(text) <= 110 else text[:107].rstrip() + "…"
            style = {"left": "running", "right": "running-right", "center": "running-center"}[align]
            self.heads[(text, align)] = paragraph(self.tc, style, short)
        return self.heads[(text, align)]

    def write(self, out: Path, flowables: list[Flowable], book: Book | None = None,
              first_template: int = 0, title: str = "") -> None:
        """Lay `flowables` out into `out` with the book's page templates, running heads and metadata."""
        book = book or self.book
        edition = book.edition
        edition_line = edition.title if str(edition.edition) in edition.title else f"{edition.title} · {edition.edition}"
        painters = {"cover": cover_painter(book, self.tc, self.geom),
                    "running": lambda canv, doc: draw_running(canv, doc, self.running_text, edition_line)}
        out.parent.mkdir(parents=True, exist_ok=True)
        meta = _metadata(book)
        if title:
            meta["title"] = title
        doc = BookDoc(str(out), self.geom, _epoch(edition), painters, initialFontName=self.fonts.name("serif"), **meta)
        doc._firstPageTemplateIndex = first_template  # 0: the cover; fact sheets start on a text page
        doc.folio_font = self.fonts.name("sans", "bold")
        try:
            doc.build(flowables)
        except LayoutError as exc:
            where = doc.current[1] if doc.current else "the front matter"
            raise CompendiumError(f"PDF layout failed in '{where}': {exc}".split("\n")[0]) from exc

    def warnings(self) -> list[Issue]:
        return _glyph_warnings(self.missing, self.cjk_ok)


def check_images(book: Book, cache_dir: Path) -> None:
    """Decode every picture once before layout: reportlab copies JPEG bytes as they are, so a
    truncated file would slip into the PDF. The check is the web copy's preparation, which is
    cached by content (free on the next build, shared with the site and the EPUB)."""
    for image in dict.fromkeys(img for e in book.entries for img in e.images):
        prepare(image, cache_dir)


def render(book: Book, ctx: RenderContext) -> list[Path]:
    """Write `<slug>-<edition>.pdf` into ctx.out_dir; warnings (missing glyphs) go to ctx.warnings."""
    edition = book.edition
    check_images(book, ctx.cache_dir)
    s = Setup(book)
    flowables: list[Flowable] = []
    flowables += title_pages(book, s.tc, s.geom)
    flowables += contents(book, s.tc, bool(edition.introduction.strip()), s.for_entry)
    if edition.introduction.strip():
        flowables += introduction(book, s.tc)
    flowables += overview_pages(book, s.tc, s.geom)
    flowables += body(book, s.tc, s.geom, s.for_entry)
    flowables += country_index(book, s.tc)
    out = output_path(book, ctx.out_dir)
    s.write(out, flowables)
    ctx.warnings.extend(s.warnings())
    return [out]


def _texts(book: Book) -> list[str]:
    """Every string that may be printed, to decide whether the Chinese font is needed."""
    e = book.edition
    out = [e.title, e.subtitle, e.introduction, e.publisher, *e.editors, *(t.name for t in e.themes), *e.regions]
    for entry in book.entries:
        out += [entry.title, entry.institution, entry.summary, *(t for _, t in entry.sections), *entry.partners,
                *entry.keywords, entry.country.name]
        out += [s for img in entry.images for s in (img.caption, img.credit)]
        if entry.public_contact:
            out.append(entry.public_contact.name)
    return out


def _epoch(edition: Edition) -> int:
    """Creation date: SOURCE_DATE_EPOCH when set, else the edition's date, else 1 January of its year."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    d = edition.date
    when = datetime(d.year, d.month, d.day, tzinfo=timezone.utc) if d else datetime(edition.edition, 1, 1, tzinfo=timezone.utc)
    return int(when.timestamp())


def _metadata(book: Book) -> dict[str, object]:
    e = book.edition
    return {
        "title": f"{e.title} {e.edition}" if str(e.edition) not in e.title else e.title,
        "author": "; ".join(e.editors) or e.publisher or e.title,
        "subject": e.subtitle or f"{e.title}: {len(book.entries)} initiatives",
        "keywords": [t.name for t in e.themes] + list(dict.fromkeys(x.region for x in book.entries)),
        "creator": "compendium",
        "lang": e.language,
    }


def _glyph_warnings(missing: dict[tuple[str, str], list[str]], cjk_ok: bool) -> list[Issue]:
    issues = []
    for (path, field), chars in sorted(missing.items()):
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars[:8]) + (" ..." if len(chars) > 8 else "")
        message = f"{field or 'text'}: no font has a glyph for {shown}; the PDF shows empty boxes there"
        if not cjk_ok and any(_CJK.match(c) for c in chars):
            message += f"; Chinese text needs the optional font: {CJK_EXTRA}"
        issues.append(Issue(Source(path), "warning", "pdf.glyph", message))
    return issues
