"""PDF render, the cover for the press: one spread (back cover, spine, front cover) with 3 mm bleed.

Written beside the book as <edition slug>-<year>-cover.pdf when the edition asks for a separate
cover (`pdf: {cover: separate}`); the book's interior then starts with its title page. The design
is the shared cover's (compendium.render.cover: the title and subtitle on the accent blue, a band
with one colour per region, the year and the publisher on the dark blue), drawn here as vector
graphics and text set in Noto by the book's own paragraph engine, so that it prints sharp at any
size. The back cover carries the blurb (`blurb`), the sales number and the ISBN as an EAN-13
barcode with its digits, on white (barcodes scan on white).

Geometry (pt): each cover is the book's trim size; the spine is as wide as the interior is thick,
PAPER_PER_LEAF per leaf (two pages), a title on it only when it is wide enough to read; the
background colours run 3 mm past the trim on every side. TrimBox and BleedBox say where the
printer cuts (the PDF/X boxes), the MediaBox is the bleed.
"""
from __future__ import annotations

from pathlib import Path

from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from compendium.book.facts import isbn as printed_isbn
from compendium.book.stats import overview
from compendium.model import Book
from compendium.render.common import COVER_COLOURS, SERIES_COLOURS, book_file
from compendium.render.cover import cover_text
from compendium.render.pdf.markdown import TextContext, paragraph
from compendium.render.pdf.styles import Geometry, cmyk

BLEED = 3 * mm
PAPER_PER_LEAF = 0.1 * mm  # 80 g/m² offset paper: about 0.1 mm a leaf
SPINE_TEXT_MIN = 8 * mm  # a spine narrower than this carries no title
MARGIN = 20 * mm  # from the trim to the text on each cover
BAND = 0.42  # the band's distance from the foot of the trim, as a share of its height (render.cover's)


def cover_path(book: Book, out_dir: Path) -> Path:
    """The cover file beside the book: <edition slug>-<year>-cover.pdf."""
    return out_dir / book_file(book, "pdf").replace(".pdf", "-cover.pdf")


def spine_width(pages: int) -> float:
    """The spine's width (pt) for an interior of `pages` pages: its leaves times PAPER_PER_LEAF."""
    return -(-pages // 2) * PAPER_PER_LEAF


def write_cover(book: Book, tc: TextContext, geom: Geometry, pages: int, out: Path, epoch_stamp=None) -> Path:
    """Write the cover spread for an interior of `pages` pages into `out` and return its path.

    geom: the book's page geometry (trim width and height, pt). epoch_stamp: reportlab's timestamp
    of the build (render.common.build_epoch), so the file is the same bytes every build.
    """
    w, h, spine = geom.width, geom.height, spine_width(pages)
    full_w, full_h = 2 * w + spine + 2 * BLEED, h + 2 * BLEED
    canv = Canvas(str(out), pagesize=(full_w, full_h), invariant=1, pageCompression=1)
    if epoch_stamp is not None:
        canv._doc._timeStamp = epoch_stamp
    ed = book.edition
    canv.setTitle(f"{ed.title} {ed.edition}: cover")
    canv.setTrimBox((BLEED, BLEED, full_w - BLEED, full_h - BLEED))
    canv.setBleedBox((0, 0, full_w, full_h))
    canv.setCropBox((0, 0, full_w, full_h))
    ground, accent = cmyk(COVER_COLOURS["ground"]), cmyk(COVER_COLOURS["accent"])
    band_y = BLEED + h * BAND  # the band's foot, from the bottom of the sheet
    canv.setFillColor(ground)
    canv.rect(0, 0, full_w, full_h, stroke=0, fill=1)
    front_x = BLEED + w + spine  # the front cover's left trim edge
    canv.setFillColor(accent)
    canv.rect(front_x, band_y, full_w - front_x, full_h - band_y, stroke=0, fill=1)
    _band(canv, book, front_x, band_y, full_w - front_x)
    _front(canv, book, tc, front_x, band_y, w, h)
    _back(canv, book, tc, BLEED, w, h)
    if spine >= SPINE_TEXT_MIN:
        _spine(canv, book, tc, BLEED + w, spine, h)
    canv.showPage()
    canv.save()
    return out


def _band(canv: Canvas, book: Book, x0: float, y: float, width: float) -> None:
    """One colour per region, as wide as its share of the entries (the palette of every chart)."""
    ov = overview(book)
    shares = list(ov.column_totals) if ov.total else [1] * len(ov.regions)
    total = sum(shares) or 1
    x = x0
    for i, share in enumerate(shares):
        part = (width - BLEED) * share / total + (BLEED if i == len(shares) - 1 else 0)
        canv.setFillColor(cmyk(SERIES_COLOURS[i % len(SERIES_COLOURS)]))
        canv.rect(x, y - 10, part, 10, stroke=0, fill=1)
        x += part


def _set(canv: Canvas, tc: TextContext, style: str, text: str, x: float, top: float, width: float) -> float:
    """A paragraph in `style` from `top` down; returns its foot (pt)."""
    para = paragraph(tc, style, text)
    _, height = para.wrap(width, 1000)
    para.drawOn(canv, x, top - height)
    return top - height


def _front(canv: Canvas, book: Book, tc: TextContext, x0: float, band_y: float, w: float, h: float) -> None:
    text = cover_text(book)
    left, measure = x0 + MARGIN, w - 2 * MARGIN
    _set(canv, tc, "cover-meta", text["kicker"], left, BLEED + h - MARGIN, measure)
    # title and subtitle stand on the band, the title's foot 34 pt above it
    sub = paragraph(tc, "cover-sub", text["subtitle"]) if text["subtitle"] else None
    title = paragraph(tc, "cover-title", text["title"])
    _, th = title.wrap(measure, 1000)
    sh = sub.wrap(measure, 1000)[1] + 16 if sub else 0.0
    top = band_y + 34 + sh + th
    canv.setFillColor(cmyk(SERIES_COLOURS[1]))
    canv.rect(left, top + 18, 60, 3, stroke=0, fill=1)
    title.drawOn(canv, left, top - th)
    if sub:
        sub.drawOn(canv, left, top - th - sh)
    _set(canv, tc, "cover-year", text["year"], left, band_y - 10 - 24, measure)
    if text["publisher"]:
        _set(canv, tc, "cover-meta", text["publisher"], left, BLEED + MARGIN + 14, measure)


def _back(canv: Canvas, book: Book, tc: TextContext, x0: float, w: float, h: float) -> None:
    ed = book.edition
    left, measure = x0 + MARGIN, w - 2 * MARGIN
    top = BLEED + h - MARGIN
    if ed.blurb:
        top = _set(canv, tc, "cover-blurb", " ".join(ed.blurb.split()), left, top, measure)
    if ed.sales_number:
        _set(canv, tc, "cover-meta", tc.labels.format("sales_line", n=ed.sales_number), left, BLEED + MARGIN + 140,
             measure)
    if ed.isbn:
        _barcode(canv, ed.isbn, printed_isbn(ed), left, BLEED + MARGIN, tc.styles.fonts.name("sans"))


def _barcode(canv: Canvas, digits: str, printed: str, x: float, y: float, font: str) -> None:
    """The ISBN as an EAN-13 barcode on a white panel, 'ISBN 978-…' above it (in the book's embedded sans)."""
    widget = Ean13BarcodeWidget(digits[:12])
    widget.barHeight = 22 * mm
    widget.fontName = font
    x0, y0, bw, bh = widget.getBounds()
    drawing = Drawing(bw - x0, bh - y0)
    widget.x, widget.y = -x0, -y0
    drawing.add(widget)
    pad = 8
    canv.setFillColor(cmyk("#FFFFFF"))
    canv.rect(x, y, drawing.width + 2 * pad, drawing.height + 2 * pad + 14, stroke=0, fill=1)
    drawing.drawOn(canv, x + pad, y + pad)
    canv.setFillColor(cmyk("#000000"))
    canv.setFont(font, 8)
    canv.drawString(x + pad, y + pad + drawing.height + 4, f"ISBN {printed}")


def _spine(canv: Canvas, book: Book, tc: TextContext, x0: float, spine: float, h: float) -> None:
    """The title and year along the spine, read from top to bottom (the English-language convention)."""
    ed = book.edition
    para = paragraph(tc, "cover-spine", f"{ed.title}   {ed.edition}")
    para.wrap(h - 2 * MARGIN, spine)
    canv.saveState()
    canv.translate(x0 + spine / 2 + para.style.fontSize / 2 - 1, BLEED + h - MARGIN)
    canv.rotate(-90)
    para.drawOn(canv, 0, 0)
    canv.restoreState()
