"""PDF render, text flowable: a paragraph laid out by words.py and lines.py and drawn glyph by glyph.

`Text` replaces reportlab's Paragraph for everything the book prints. It takes a ParagraphStyle
(font size, leading, alignment, indents, colours, spacing, keepWithNext, backColor with
borderPadding) and a list of Spans. It wraps at any width, and splits at any height: the first
part is never taller than the space offered, at least two lines stay on each side of a page
break (no widows or orphans) unless the paragraph is too short to allow it, and a part that
cannot hold one line returns nothing (the frame then moves it on) — so layout never fails.

Drawing: each line goes to textops.draw_line (plain runs with reportlab's font subsets, shaped
runs glyph by glyph inside /ActualText spans, so that the PDF stays searchable and copyable).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from compendium.render.pdf.lines import Line, Segment, balanced, break_lines, visual_segments
from compendium.render.pdf.textops import draw_line
from compendium.render.pdf.words import Span, Word, words

MIN_LINES = 2  # lines kept together at the top and the foot of a page (widows and orphans)


class Text(Flowable):
    """A paragraph of Spans in a ParagraphStyle. `rtl`: right-to-left base direction.

    `hyphenate`: the pyphen language of the text, "" for none.
    """

    def __init__(self, spans: list[Span], style: ParagraphStyle, rtl: bool = False, hyphenate: str = "",
                 items: list[Word | None] | None = None, first: bool = True) -> None:
        super().__init__()
        self.spans, self.style, self.rtl, self.hyphenate = spans, style, rtl, hyphenate
        self.items = items if items is not None else words(spans, hyphenate)
        self.first = first  # the paragraph's first part (gets the first-line indent and spaceBefore)
        self.bullet = ""  # a list marker hung in the indent before the first line ("•", "3.")
        self.bullet_font = ""
        self.bullet_color: Any = None
        self.lines: list[Line] = []
        self._laid_width = -1.0
        self.width = self.height = 0.0

    # -- geometry -------------------------------------------------------------------------

    @property
    def pad(self) -> tuple[float, float, float, float]:
        """(top, right, bottom, left) padding inside a background band, in points."""
        if not self.style.backColor:
            return (0.0, 0.0, 0.0, 0.0)
        p = self.style.borderPadding
        if isinstance(p, (int, float)):
            return (float(p),) * 4  # type: ignore[return-value]
        return tuple(float(v) for v in p)  # type: ignore[return-value]

    def _measure(self) -> float:
        s = self.style
        top, right, bottom, left = self.pad
        return self.width - s.leftIndent - s.rightIndent - left - right

    def _layout(self, width: float) -> None:
        if width == self._laid_width:
            return
        self.width = width
        indent = self.style.firstLineIndent if self.first else 0.0
        measure = self._measure()
        justify = self.style.alignment == TA_JUSTIFY
        self.lines = break_lines(self.items, measure, indent, justify)
        if getattr(self.style, "balance", 0) and len(self.lines) > 1 and not justify:
            self.lines = balanced(self.items, measure, indent, len(self.lines))
        self._laid_width = width

    def _height(self, n: int) -> float:
        top, _, bottom, _ = self.pad
        return n * self.style.leading + top + bottom

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._layout(availWidth)
        self.height = self._height(len(self.lines))
        return self.width, self.height

    def minWidth(self) -> float:
        """The widest word (pt) plus indents: what a table column must give this text."""
        widest = max((w.width for w in self.items if w is not None), default=0.0)
        top, right, bottom, left = self.pad
        return widest + self.style.leftIndent + self.style.rightIndent + left + right

    def natural_width(self) -> float:
        """The width (pt) of the text on one line (a table column's preferred width)."""
        total = sum(w.width + w.space for w in self.items if w is not None)
        top, right, bottom, left = self.pad
        return total + self.style.leftIndent + self.style.rightIndent + left + right

    def getSpaceBefore(self) -> float:
        return self.style.spaceBefore if self.first else 0.0

    def getSpaceAfter(self) -> float:
        return self.style.spaceAfter

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._layout(split_width(self, availWidth))
        n = len(self.lines)
        fit = int((availHeight - self._height(0) + 1e-6) // self.style.leading) if self.style.leading else n
        if fit >= n:
            # it fits after all: the caller measured it at another width (a table cell shared by
            # two tables); no split, so the caller moves it on rather than dropping a part
            return []
        if n < 2 * MIN_LINES:
            return []  # a short paragraph moves on whole: no line of it alone at a foot or a head
        fit = min(fit, n - MIN_LINES)
        if fit < MIN_LINES:
            return []
        head = self._part(self.lines[:fit], first=self.first)
        rest_items = self._items_from(self.lines[fit])
        tail = Text(self.spans, self.style, self.rtl, self.hyphenate, rest_items, first=False)
        head.bullet, head.bullet_font, head.bullet_color = self.bullet, self.bullet_font, self.bullet_color
        for part in (head, tail):
            part.keepWithNext = 0
        tail.keepWithNext = getattr(self, "keepWithNext", 0)
        return [head, tail]

    def _part(self, lines: list[Line], first: bool) -> Text:
        items: list[Word | None] = [w for line in lines for w in line.words]
        part = Text(self.spans, self.style, self.rtl, self.hyphenate, items, first)
        part.lines, part._laid_width, part.width = lines, self._laid_width, self.width
        part.lines[-1].last = False
        part.lines = lines[:-1] + [Line(lines[-1].words, lines[-1].width, lines[-1].forced, False)]
        return part

    def _items_from(self, line: Line) -> list[Word | None]:
        """The words from `line` on, forced breaks kept (to re-break at another width)."""
        start = line.words[0] if line.words else None
        index = next((i for i, item in enumerate(self.items) if item is start), -1)
        if index < 0:  # the line starts with the tail of a broken word: rebuild from the laid-out lines
            out: list[Word | None] = []
            seen = False
            for ln in self.lines:
                seen = seen or ln is line
                if seen:
                    out += ln.words
                    if ln.forced:
                        out.append(None)
            return out
        return self.items[index:]

    def last_line_end(self) -> float:
        """x (pt, from the flowable's left) where the last line's text ends (TOC leaders start there)."""
        if not self.lines:
            return 0.0
        x0, avail = self._line_box(len(self.lines) - 1)
        line = self.lines[-1]
        return x0 + self._start(line, avail) + line.width

    def _line_box(self, i: int) -> tuple[float, float]:
        s = self.style
        top, right, bottom, left = self.pad
        indent = s.firstLineIndent if (i == 0 and self.first) else 0.0
        x0 = left + s.leftIndent + (0.0 if self.rtl else indent)
        avail = self.width - s.leftIndent - s.rightIndent - left - right - indent
        return x0, avail

    def _start(self, line: Line, avail: float) -> float:
        align = self.style.alignment
        if align == TA_JUSTIFY:
            align = TA_RIGHT if self.rtl and (line.last or line.forced) else align
        if align == TA_RIGHT:
            return avail - line.width
        if align == TA_CENTER:
            return (avail - line.width) / 2
        return 0.0

    # -- drawing --------------------------------------------------------------------------

    def draw(self) -> None:
        canv: Canvas = self.canv
        s = self.style
        top, right, bottom, left = self.pad
        if s.backColor:
            canv.saveState()
            canv.setFillColor(s.backColor)
            canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            canv.restoreState()
        y = self.height - top - s.fontSize
        for i, line in enumerate(self.lines):
            x0, avail = self._line_box(i)
            extra = 0.0
            gaps = sum(1 for w in line.words[:-1] if w.space or w.joint)
            if s.alignment == TA_JUSTIFY and not (line.last or line.forced) and gaps:
                extra = (avail - line.width) / gaps  # below zero: spaces shrunk (to 85 % at most, lines.py)
                x = x0
            else:
                x = x0 + self._start(line, avail)
            if i == 0 and self.first and self.bullet:
                self._draw_bullet(canv, x0, y)  # first: text extraction reads the marker before the item
            draw_line(canv, visual_segments(line, self.rtl, extra), x, y)
            y -= s.leading

    def _draw_bullet(self, canv: Canvas, x0: float, y: float) -> None:
        """The list marker in the indent: right-aligned 5 pt before the text (left of it in RTL)."""
        size = self.style.fontSize
        marker = self.bullet
        span = Span(marker, self.bullet_font or self.style.fontName, size, self.bullet_color or self.style.textColor)
        width = pdfmetrics.stringWidth(marker, span.font, size)
        if self.rtl:
            x = self.width - self.style.rightIndent + 5
        else:
            x = x0 - 5 - width
        draw_line(canv, [Segment(span, marker, 0.0, width)], x, y)

    def scaled(self, factor: float) -> Text:
        """The same paragraph with type `factor` times the size (a table shrunk to fit)."""
        style = ParagraphStyle(f"{self.style.name}-x{factor:.2f}", parent=self.style,
                               fontSize=self.style.fontSize * factor, leading=self.style.leading * factor)
        spans = [replace(sp, size=sp.size * factor) for sp in self.spans]
        out = Text(spans, style, self.rtl, self.hyphenate)
        out.bullet, out.bullet_font, out.bullet_color = self.bullet, self.bullet_font, self.bullet_color
        return out


def split_width(flowable: Flowable, availWidth: float) -> float:
    """The width a flowable really has when its frame asks it to split.

    reportlab's Frame.split passes the frame's full width, ignoring the indents of Indenter
    (lists, quotes), while Frame.add wraps with them: a paragraph would split as if it were
    wider, find that it fits, and then not fit (the "Splitting error" of issue 11).
    """
    frame = getattr(flowable, "_frame", None)
    if frame is not None and hasattr(frame, "_getAvailableWidth"):
        return min(availWidth, frame._getAvailableWidth())
    return availWidth
