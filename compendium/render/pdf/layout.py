"""PDF render, layout: the document template, pages of a two-sided book, running heads, late page numbers.

The table of contents must print page numbers that are known only once the body is laid out.
Instead of laying the whole book out three times (multiBuild), each TOC line reserves a fixed
slot for its number and draws a PDF form XObject there; the forms are written after the last
page, when every page number is known. One layout pass. The index of countries comes after the
body, so it is built (`Deferred`) when its turn comes, with the numbers already recorded.

Pages (Chicago Manual of Style 1.4–1.6): the cover is unnumbered; the front matter has lower-case
roman folios from the title page on; the body starts at arabic 1 on a recto. In a two-sided book
the title page, the contents, the introduction, every part opener and the index start on a recto
(`RectoBreak`): a verso left over is blank, without running head or folio. The PDF carries
/PageLabels, so viewers show the printed numbers, an XMP metadata stream and DisplayDocTitle.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from reportlab import rl_config
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfdoc import XMP
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from reportlab.platypus.doctemplate import ActionFlowable

from compendium.book.facts import roman as upper_roman
from compendium.render.pdf.keep import KeepWithLines
from compendium.render.pdf.streams import KeptStreams, names_formatted_once
from compendium.render.pdf.styles import INK, RULE, Geometry
from compendium.render.pdf.textflow import Text
from compendium.render.pdf.xmp import xmp_packet

NUMBER_WIDTH = 26  # points reserved for a page number in the TOC (three digits and the gap before)
def roman(n: int) -> str:
    """Lower-case roman numeral of n ≥ 1 (front-matter folios); part numbers are book.facts.roman's capitals."""
    return upper_roman(n).lower()


class _FixedStamp(TimeStamp):
    """reportlab's timestamp pinned to a given epoch (SOURCE_DATE_EPOCH or the edition's date)."""

    def __init__(self, epoch: int) -> None:
        lt = time.gmtime(epoch)
        self.t, self.lt, self.YMDhms = epoch, lt, tuple(lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


class Mark(NamedTuple):
    """What an Anchor does where it lands: y is its height on the page (pt, from the page's foot,
    or from the text block's foot in a display list, see display.py)."""

    key: str
    title: str
    level: int | None
    running: tuple[str | None, str | None]
    no_header: bool
    body: bool
    front: bool
    y: float


class Anchor(Flowable):
    """Zero-size marker placed where a part, chapter, entry or front-matter section starts.

    When drawn it records its page number, adds a named destination and an outline entry, and
    sets the running head for the pages that follow. `body`: the body starts here (arabic 1);
    `front`: the front matter starts here (roman i). On a recording canvas (a page laid out
    apart from the book, display.py) it is kept as a Mark, done when the page is replayed.
    """

    _ZEROSIZE = 1

    def __init__(self, key: str, title: str, level: int | None = None, running: tuple[str | None, str | None] = (None, None),
                 no_header: bool = False, body: bool = False, front: bool = False) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.running, self.no_header = running, no_header
        self.body, self.front = body, front
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        _, y = canv.absolutePosition(0, 0)
        mark = Mark(self.key, self.title, self.level, self.running, self.no_header, self.body, self.front, y)
        record = getattr(canv, "record", None)
        if record is not None:
            record(mark)
        else:
            place_mark(canv, mark, y)


def place_mark(canv: Canvas, mark: Mark, y: float) -> None:
    """Do what `mark` says on the page being drawn, at height `y` (pt from the page's foot): note its
    page number, add its named destination and outline entry, set the running heads."""
    doc: BookDoc = canv._doctemplate
    page = canv.getPageNumber()
    doc.pages[mark.key] = page
    doc.current = (mark.key, mark.title)
    if mark.body and not doc.body_start:
        doc.body_start = page
    if mark.front and not doc.front_start:
        doc.front_start = page
    # destination at the anchor's height on the page (XYZ keeps the reader's zoom)
    canv.bookmarkPage(mark.key, fit="XYZ", left=0, top=min(y + 24, doc.geom.height), zoom=0)
    if mark.level is not None:
        canv.addOutlineEntry(mark.title, mark.key, level=mark.level, closed=False)
    left, right = mark.running
    if left is not None:
        doc.running[0] = left
    if right is not None:
        doc.running[1] = right
    if mark.no_header:
        doc.no_header_page = page


class EvenEnd(ActionFlowable):
    """The book's end: in a two-sided book, a blank verso after an odd last page (a printer binds
    leaves, two pages each)."""

    def __init__(self) -> None:
        super().__init__(("evenEnd",))


class RectoBreak(ActionFlowable):
    """A page break to the next recto (odd page) in a two-sided book; to the next page otherwise."""

    def __init__(self) -> None:
        super().__init__(("rectoBreak",))


class Deferred(Flowable):
    """Stands for flowables that can only be made when layout reaches this point (the index)."""

    def __init__(self, factory: Callable[[BookDoc], list[Flowable]]) -> None:
        super().__init__()
        self.factory = factory


class TocLine(Flowable):
    """A TOC line: title (wrapped), dotted leader, page number (a form filled in at the end), link."""

    def __init__(self, para: Text, key: str, keep_with_next: bool = False, number: bool = True,
                 side: Text | None = None) -> None:
        super().__init__()
        self.para, self.key = para, key
        self.keepWithNext = keep_with_next  # a part or chapter line never ends a page
        self.number = number  # False: a heading line with no leader nor page number, still a link
        self.side = side  # a label set in the line's indent, level with its first line (a region)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        _, self.height = self.para.wrap(availWidth - NUMBER_WIDTH - 6, availHeight)
        if self.side is not None:
            _, side_h = self.side.wrap(self.para.style.leftIndent - 6, availHeight)
            self.height = max(self.height, side_h)
        return availWidth, self.height

    def getSpaceBefore(self) -> float:
        return self.para.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.para.getSpaceAfter()

    def draw(self) -> None:
        canv = self.canv
        lift = self.height - self.para.height  # the entry's lines start level with the side label's first
        self.para.drawOn(canv, 0, lift)
        if self.side is not None:
            self.side.drawOn(canv, 0, self.height - self.side.height)
        style = self.para.style
        if not self.number:
            canv.linkRect("", self.key, (style.leftIndent, 0, self.width, self.height), relative=1, thickness=0)
            return
        end = self.para.last_line_end()
        baseline = lift + style.leading - style.fontSize  # the last line's baseline
        right = self.width - NUMBER_WIDTH - 4
        canv.saveState()
        if right - end > 12:
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.9)
            canv.setLineCap(1)
            canv.setDash(0.1, 3.2)
            canv.line(end + 6, baseline + 0.5, right, baseline + 0.5)
        canv.translate(self.width, baseline)
        canv.doForm(page_form(self.key))
        canv.restoreState()
        canv._doctemplate.forms_used.append((self.key, style.fontName, style.fontSize))
        canv.linkRect("", self.key, (style.leftIndent, lift, self.width, self.height), relative=1, thickness=0)


HEADING_HEIGHT = 84  # the index's first page: a full-width frame for its heading (two lines of h1), then two columns
GUTTER = 18


def _frame(geom: Geometry, x: float, width_share: float, height: float, top: bool = False) -> Frame:
    width = geom.frame_width * width_share
    y = geom.bottom + geom.frame_height - height if top else geom.bottom
    return Frame(geom.left(1) + x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _columns(geom: Geometry, skip: float) -> list[Frame]:
    col = (geom.frame_width - GUTTER) / 2
    h = geom.frame_height - skip
    return [Frame(geom.left(1) + i * (col + GUTTER), geom.bottom, col, h, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0) for i in range(2)]


def page_form(key: str) -> str:
    return f"PageNo-{key}"


class BookDoc(BaseDocTemplate):
    """One-pass book: cover / plain / main / index page templates, running heads, folios, late page numbers."""

    def __init__(self, filename: str, geom: Geometry, epoch: int, painters: dict[str, Callable[[Canvas, BookDoc], None]],
                 **meta: Any) -> None:
        self.xmp_meta = {k: meta.pop(k) for k in ("xmp_date", "xmp_authors") if k in meta}
        super().__init__(filename, pagesize=(geom.width, geom.height), leftMargin=geom.left(1), rightMargin=geom.right,
                         topMargin=geom.top, bottomMargin=geom.bottom, invariant=1, **meta)
        self.geom, self.epoch, self.painters = geom, epoch, painters
        self.keepTogetherClass = KeepWithLines  # a heading keeps three lines of its text, not all of it (keep.py)
        self.pages: dict[str, int] = {}
        self.forms_used: list[tuple[str, str, float]] = []
        self.running: list[str] = ["", ""]
        self.no_header_page = 0
        self.blank_pages: set[int] = set()
        self.front_start = 0  # physical page of roman i (the title page); 0 until laid out
        self.body_start = 0  # physical page of arabic 1 (the first part opener)
        self.current: tuple[str, str] | None = None  # the last anchor drawn, to locate layout errors
        self.drawn: dict[tuple[object, ...], list[str]] = {}  # running heads and feet, see _drawn
        self.folio_font = "Helvetica"  # replaced by the book's sans face before the build
        self.stream_cache: Path | None = None  # where the book's deflated streams are kept (streams.py)
        frame = Frame(geom.left(1), geom.bottom, geom.frame_width, geom.frame_height, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        full = Frame(0, 0, geom.width, geom.height, id="full", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        full.fixed = True  # the cover's frame does not follow the margins
        self.addPageTemplates([
            PageTemplate("cover", [full], onPage=painters["cover"]),
            PageTemplate("plain", [frame]),
            PageTemplate("main", [frame], onPageEnd=painters["running"]),
            PageTemplate("index-first", [_frame(geom, 0, 1, HEADING_HEIGHT, top=True), *_columns(geom, HEADING_HEIGHT)],
                         onPageEnd=painters["running"]),
            PageTemplate("index", _columns(geom, 0), onPageEnd=painters["running"]),
        ])

    def build(self, flowables: list[Flowable], **kw: Any) -> None:
        """Lay out and write the book. Streams are written binary, Flate only: reportlab's default
        ASCII85 layer makes every page and picture a quarter larger and slower to write."""
        saved = rl_config.useA85
        rl_config.useA85 = 0
        streams = KeptStreams(self.stream_cache) if self.stream_cache is not None else None
        if streams is not None:
            streams.install()
        try:
            with names_formatted_once():
                super().build(flowables, **kw)
        finally:
            rl_config.useA85 = saved
            if streams is not None:
                streams.uninstall()
        if streams is not None:
            streams.save()

    def beforeDocument(self) -> None:
        self.canv._doc._timeStamp = _FixedStamp(self.epoch)
        self.canv.showOutline()
        self.pages.clear()
        self.forms_used.clear()

    def handle_pageBegin(self) -> None:
        """Move the page's frames to the margins of a recto or a verso before the page starts."""
        page = self.page + 1
        shift = self.geom.left(page) - self.geom.left(1)
        for frame in self.pageTemplate.frames:
            if getattr(frame, "fixed", False):
                continue
            base = frame.__dict__.setdefault("_base_x1", frame._x1)
            frame._x1 = base + shift
            frame._geom()
        super().handle_pageBegin()

    def handle_rectoBreak(self) -> None:
        """End the page; in a two-sided book, leave the next page blank when it is a verso."""
        self.handle_pageBreak()
        if self.geom.two_sided and (self.page + 1) % 2 == 0:
            self.blank_pages.add(self.page + 1)
            self._hanging.append(_BlankPage())

    def handle_evenEnd(self) -> None:
        if self.geom.two_sided and self.page % 2 == 1:
            self.blank_pages.add(self.page + 1)
            self._hanging.append(_BlankPage())

    def handle_blankPage(self) -> None:
        self._curPageFlowableCount = 1  # a blank verso on purpose, not a runaway layout
        self.handle_pageBreak()

    def label(self, page: int) -> str:
        """The printed folio of physical page `page`: "" for the cover, roman in the front matter, else arabic."""
        if self.body_start and page >= self.body_start:
            return str(page - self.body_start + 1)
        if self.front_start and page >= self.front_start:
            return roman(page - self.front_start + 1)
        return ""

    def filterFlowables(self, flowables: list[Flowable]) -> None:
        while flowables and isinstance(flowables[0], Deferred):
            # never leave the list empty: reportlab reads flowables[0] right after this hook
            flowables[0:1] = flowables[0].factory(self) or [Spacer(0, 0)]

    def _endBuild(self) -> None:
        self._doSave = 0
        super()._endBuild()
        self._write_page_forms()
        self._write_page_labels()
        self._write_metadata()
        self.canv.save()

    def _write_page_labels(self) -> None:
        """/PageLabels: "Cover" (and "Inside cover"), roman from the title page, arabic from the body."""
        canv = self.canv
        if self.front_start > 1:  # a book: its cover before the front matter
            canv.addPageLabel(0, prefix="Cover")
            if self.front_start > 2:
                canv.addPageLabel(1, prefix="Inside cover")
        if self.front_start:
            canv.addPageLabel(self.front_start - 1, style="ROMAN_LOWER", start=1)
        if self.body_start:
            canv.addPageLabel(self.body_start - 1, style="ARABIC", start=1)

    def _write_metadata(self) -> None:
        canv = self.canv
        canv.setViewerPreference("DisplayDocTitle", "true")
        info = canv._doc.info
        packet = xmp_packet(title=info.title, authors=self.xmp_meta.get("xmp_authors", []), subject=info.subject,
                            keywords=info.keywords, language=getattr(self, "lang", "") or "",
                            date=self.xmp_meta.get("xmp_date", ""), creator=info.creator, producer=info.producer)
        canv._doc.Catalog.Metadata = XMP(creator=lambda doc: packet.encode("utf-8"))

    def _write_page_forms(self) -> None:
        canv = self.canv
        done: set[str] = set()
        for key, font, size in self.forms_used:
            if key in done:
                continue
            done.add(key)
            canv.beginForm(page_form(key), lowerx=-NUMBER_WIDTH, lowery=-3, upperx=0, uppery=size + 2)
            canv.setFont(font, size)
            canv.setFillColor(INK)
            canv.drawRightString(0, 0, self.label(self.pages[key]) if key in self.pages else "")
            canv.endForm()


class _BlankPage(ActionFlowable):
    def __init__(self) -> None:
        super().__init__(("blankPage",))


def draw_running(canv: Canvas, doc: BookDoc, make: Callable[..., Text], edition_title: str) -> None:
    """Running head (part on versos, chapter on rectos, outer side) and foot (folio outside, edition centred).

    Nothing on blank pages; no head on a page that opens a section (`Anchor.no_header`).
    """
    g = doc.geom
    page = canv.getPageNumber()
    if page in doc.blank_pages:
        return
    verso = page % 2 == 0 if g.two_sided else False
    left = g.left(page)
    canv.saveState()
    if doc.no_header_page != page:
        text = doc.running[0] if (verso or not g.two_sided) else (doc.running[1] or doc.running[0])
        if text:
            def head() -> None:
                canv.saveState()
                para = make(text, "left" if verso else "right")
                para.wrap(g.frame_width, 40)
                para.drawOn(canv, left, g.height - g.top + 14)
                canv.setStrokeColor(RULE)
                canv.setLineWidth(0.5)
                canv.line(left, g.height - g.top + 9, left + g.frame_width, g.height - g.top + 9)
                canv.restoreState()

            # the head is known only at the end of the page (its anchors set it) but is read
            # first: its drawing operators go to the start of the page's content stream
            canv._code[0:0] = _drawn(canv, doc, ("head", text, verso, left), head)
    y = g.bottom - 26
    folio = doc.label(page)
    canv.setFont(doc.folio_font, 8.5)
    canv.setFillColor(INK)
    if verso:
        canv.drawString(left, y, folio)
    else:
        canv.drawRightString(left + g.frame_width, y, folio)
    if edition_title:
        def foot() -> None:
            para = make(edition_title, "center", g.frame_width - 80)  # one line, beside the folio
            para.wrap(g.frame_width - 80, 20)
            para.drawOn(canv, left + 40, y - 1)

        canv._code += _drawn(canv, doc, ("foot", edition_title, left), foot)
    canv.restoreState()


def _drawn(canv: Canvas, doc: BookDoc, key: tuple[object, ...], draw: Callable[[], None]) -> list[str]:
    """The operators `draw()` writes (taken off the page), drawn once per document and `key`: a running
    head or foot repeats on hundreds of pages, in codes the document has already assigned."""
    ops = doc.drawn.get(key)
    if ops is None:
        start = len(canv._code)
        draw()
        ops = doc.drawn[key] = canv._code[start:]
        del canv._code[start:]
    return ops
