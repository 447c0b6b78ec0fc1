"""PDF render, layout: the document template, running heads, anchors and page numbers known late.

The table of contents must print page numbers that are known only once the body is laid out.
Instead of laying the whole book out three times (multiBuild), each TOC line reserves a fixed
slot for its number and draws a PDF form XObject there; the forms are written after the last
page, when every page number is known. One layout pass. The index of countries comes after the
body, so it is built (`Deferred`) when its turn comes, with the numbers already recorded.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from compendium.render.pdf.styles import INK, RULE, Geometry

NUMBER_WIDTH = 34  # points reserved for a page number in the TOC


class _FixedStamp(TimeStamp):
    """reportlab's timestamp pinned to a given epoch (SOURCE_DATE_EPOCH or the edition's date)."""

    def __init__(self, epoch: int) -> None:
        lt = time.gmtime(epoch)
        self.t, self.lt, self.YMDhms = epoch, lt, tuple(lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


class Anchor(Flowable):
    """Zero-size marker placed where a part, chapter, entry or front-matter section starts.

    When drawn it records its page number, adds a named destination and an outline entry, and
    sets the running head for the pages that follow.
    """

    _ZEROSIZE = 1

    def __init__(self, key: str, title: str, level: int | None = None, running: tuple[str | None, str | None] = (None, None),
                 no_header: bool = False) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.running, self.no_header = running, no_header
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        doc: BookDoc = canv._doctemplate
        doc.pages[self.key] = canv.getPageNumber()
        doc.current = (self.key, self.title)
        # destination at the anchor's height on the page (XYZ keeps the reader's zoom)
        _, y = canv.absolutePosition(0, 0)
        canv.bookmarkPage(self.key, fit="XYZ", left=0, top=min(y + 24, doc.geom.height), zoom=0)
        if self.level is not None:
            canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        left, right = self.running
        if left is not None:
            doc.running[0] = left
        if right is not None:
            doc.running[1] = right
        if self.no_header:
            doc.no_header_page = canv.getPageNumber()


class Deferred(Flowable):
    """Stands for flowables that can only be made when layout reaches this point (the index)."""

    def __init__(self, factory: Callable[[BookDoc], list[Flowable]]) -> None:
        super().__init__()
        self.factory = factory


class TocLine(Flowable):
    """A TOC line: title (wrapped), dotted leader, page number (a form filled in at the end), link."""

    def __init__(self, para: Paragraph, key: str, keep_with_next: bool = False) -> None:
        super().__init__()
        self.para, self.key = para, key
        self.keepWithNext = keep_with_next  # a part or chapter line never ends a page

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        _, self.height = self.para.wrap(availWidth - NUMBER_WIDTH - 6, availHeight)
        return availWidth, self.height

    def getSpaceBefore(self) -> float:
        return self.para.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.para.getSpaceAfter()

    def draw(self) -> None:
        canv = self.canv
        self.para.drawOn(canv, 0, 0)
        style = self.para.style
        last = self.para.blPara.lines[-1]
        extra = last[0] if self.para.blPara.kind == 0 else last.extraSpace
        end = self.para.width - style.rightIndent - extra
        baseline = style.leading - style.fontSize  # approximate baseline of the last line
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
        canv.linkRect("", self.key, (style.leftIndent, 0, self.width, self.height), relative=1, thickness=0)


HEADING_HEIGHT = 52  # the index's first page: a full-width frame for its heading, then two columns
GUTTER = 20


def _frame(geom: Geometry, x: float, width_share: float, height: float, top: bool = False) -> Frame:
    width = geom.frame_width * width_share
    y = geom.bottom + geom.frame_height - height if top else geom.bottom
    return Frame(geom.left + x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _columns(geom: Geometry, skip: float) -> list[Frame]:
    col = (geom.frame_width - GUTTER) / 2
    h = geom.frame_height - skip
    return [Frame(geom.left + i * (col + GUTTER), geom.bottom, col, h, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0) for i in range(2)]


def page_form(key: str) -> str:
    return f"PageNo-{key}"


class BookDoc(BaseDocTemplate):
    """One-pass book: cover / plain / main page templates, running heads, late page numbers."""

    def __init__(self, filename: str, geom: Geometry, epoch: int, painters: dict[str, Callable[[Canvas, BookDoc], None]],
                 **meta: Any) -> None:
        super().__init__(filename, pagesize=(geom.width, geom.height), leftMargin=geom.left, rightMargin=geom.right,
                         topMargin=geom.top, bottomMargin=geom.bottom, invariant=1, **meta)
        # without it reportlab refers to an un-embedded Helvetica in every page's initial state
        self.geom, self.epoch, self.painters = geom, epoch, painters
        self.pages: dict[str, int] = {}
        self.forms_used: list[tuple[str, str, float]] = []
        self.running: list[str] = ["", ""]
        self.no_header_page = 0
        self.current: tuple[str, str] | None = None  # the last anchor drawn, to locate layout errors
        self.folio_font = "Helvetica"  # replaced by the book's sans face before the build
        frame = Frame(geom.left, geom.bottom, geom.frame_width, geom.frame_height, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        full = Frame(0, 0, geom.width, geom.height, id="full", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [full], onPage=painters["cover"]),
            PageTemplate("plain", [frame]),
            PageTemplate("main", [frame], onPageEnd=painters["running"]),
            PageTemplate("index-first", [_frame(geom, 0, 1, HEADING_HEIGHT, top=True), *_columns(geom, HEADING_HEIGHT)],
                         onPageEnd=painters["running"]),
            PageTemplate("index", _columns(geom, 0), onPageEnd=painters["running"]),
        ])

    def beforeDocument(self) -> None:
        self.canv._doc._timeStamp = _FixedStamp(self.epoch)
        self.canv.showOutline()
        self.pages.clear()
        self.forms_used.clear()

    def filterFlowables(self, flowables: list[Flowable]) -> None:
        while flowables and isinstance(flowables[0], Deferred):
            # never leave the list empty: reportlab reads flowables[0] right after this hook
            flowables[0:1] = flowables[0].factory(self) or [Spacer(0, 0)]

    def _endBuild(self) -> None:
        self._doSave = 0
        super()._endBuild()
        self._write_page_forms()
        self.canv.save()

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
            canv.drawRightString(0, 0, str(self.pages.get(key, "")))
            canv.endForm()


def draw_running(canv: Canvas, doc: BookDoc, make: Callable[[str, str], Paragraph], edition_title: str) -> None:
    """Running head (part on even pages, chapter on odd pages, outer side) and foot (number, edition)."""
    g = doc.geom
    page = canv.getPageNumber()
    even = page % 2 == 0
    canv.saveState()
    if doc.no_header_page != page:
        text = doc.running[0] if even else (doc.running[1] or doc.running[0])
        if text:
            start = len(canv._code)
            canv.saveState()
            para = make(text, "left" if even else "right")
            para.wrap(g.frame_width, 40)
            para.drawOn(canv, g.left, g.height - g.top + 16)
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.5)
            canv.line(g.left, g.height - g.top + 11, g.width - g.right, g.height - g.top + 11)
            canv.restoreState()
            # the head is known only at the end of the page (its anchors set it) but is read
            # first: move its drawing operators to the start of the page's content stream
            ops = canv._code[start:]
            del canv._code[start:]
            canv._code[0:0] = ops
    y = g.bottom - 28
    canv.setFont(doc.folio_font, 8.5)
    canv.setFillColor(INK)
    if even:
        canv.drawString(g.left, y, str(page))
    else:
        canv.drawRightString(g.width - g.right, y, str(page))
    if edition_title:
        para = make(edition_title, "center")
        para.wrap(g.frame_width - 80, 20)
        para.drawOn(canv, g.left + 40, y - 1)
    canv.restoreState()
