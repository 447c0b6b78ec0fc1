"""PDF render, text flowable: a paragraph laid out by words.py and lines.py and drawn glyph by glyph.

`Text` replaces reportlab's Paragraph for everything the book prints. It takes a ParagraphStyle
(font size, leading, alignment, indents, colours, spacing, keepWithNext, backColor with
borderPadding) and a list of Spans. It wraps at any width, and splits at any height: the first
part is never taller than the space offered, at least two lines stay on each side of a page
break (no widows or orphans) unless the paragraph is too short to allow it, and a part that
cannot hold one line returns nothing (the frame then moves it on) — so layout never fails.

Drawing: plain runs are shown with their reportlab font subset; shaped runs (HarfBuzz, see
shaping.py) glyph by glyph with their advances, offsets as text rise, inside a marked-content
span whose /ActualText holds the characters as typed (visual order for right-to-left runs, as
pdftotext expects), so that the PDF stays searchable and copyable.
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


def draw_line(canv: Canvas, segments: list[Segment], x: float, y: float) -> None:
    """Draw segments (visual order, x relative to `x`) on the baseline `y`, links and strikes included."""
    if not segments:
        return
    code: list[str] = ["BT"]
    font_state: list[Any] = [None, None, None]  # font name, size, subset
    colour: list[Any] = [None]
    for seg in segments:
        span = seg.span
        if span.color != colour[0]:
            canv.setFillColor(span.color)  # goes to the page stream: before BT of this line
            code.append(_fill_op(canv))
            colour[0] = span.color
        if seg.shaped is None:
            _show_plain(canv, code, font_state, span, seg.text, x + seg.x, y)
        else:
            _show_shaped(canv, code, font_state, seg, x + seg.x, y)
    code.append("ET")
    canv._code.append("\n".join(code))
    _links_and_strikes(canv, segments, x, y)


def _fill_op(canv: Canvas) -> str:
    """The fill-colour operator the canvas just wrote (moved inside this line's text object)."""
    return canv._code.pop()


def _select(canv: Canvas, code: list[str], state: list[Any], font: Any, size: float, subset: int) -> None:
    if state[0] != font.fontName or state[1] != size or state[2] != subset:
        code.append(f"/{font.getSubsetInternalName(subset, canv._doc)[1:]} {size:.4g} Tf")
        state[:] = [font.fontName, size, subset]


def _show_plain(canv: Canvas, code: list[str], state: list[Any], span: Span, text: str, x: float, y: float) -> None:
    font = pdfmetrics.getFont(span.font)
    code.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")
    for subset, chunk in font.splitString(text, canv._doc):
        _select(canv, code, state, font, span.size, subset)
        code.append(f"({canv._escape(chunk)}) Tj")


def _show_shaped(canv: Canvas, code: list[str], state: list[Any], seg: Segment, x: float, y: float) -> None:
    span, shaped = seg.span, seg.shaped
    assert shaped is not None
    font = pdfmetrics.getFont(span.font)
    size = span.size
    actual = seg.text[::-1] if seg.rtl else seg.text
    code.append(f"/Span <</ActualText <FEFF{actual.encode('utf-16-be').hex().upper()}>>> BDC")
    code.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")
    pieces = font.splitString(shaped.chars, canv._doc)
    codes: list[tuple[int, bytes]] = [(subset, bytes([b])) for subset, chunk in pieces for b in chunk]
    tj: list[str] = []
    rise = 0.0

    def flush() -> None:
        if tj:
            code.append(f"[{' '.join(tj)}] TJ")
            tj.clear()

    for (subset, byte), adv, (dx, dy), width in zip(codes, shaped.advances, shaped.offsets, shaped.widths):
        if state[2] != subset or state[0] != font.fontName or state[1] != size:
            flush()
            _select(canv, code, state, font, size, subset)
        r = dy * size / 1000
        if r != rise:
            flush()
            code.append(f"{r:.3f} Ts")
            rise = r
        if dx:
            tj.append(f"{-dx:.1f}")
        tj.append(f"({canv._escape(byte)})")
        after = adv - dx - width
        if abs(after) > 0.05:
            tj.append(f"{-after:.1f}")
    flush()
    if rise:
        code.append("0 Ts")
    code.append("EMC")


def _links_and_strikes(canv: Canvas, segments: list[Segment], x: float, y: float) -> None:
    runs: list[list[Any]] = []
    for seg in segments:
        span = seg.span
        if span.strike:
            canv.saveState()
            canv.setStrokeColor(span.color)
            canv.setLineWidth(span.size * 0.06)
            mid = y + span.size * 0.3
            canv.line(x + seg.x, mid, x + seg.x + seg.width, mid)
            canv.restoreState()
        if span.link:
            if runs and runs[-1][0] == span.link and abs(runs[-1][2] - seg.x) < span.size:
                runs[-1][2] = seg.x + seg.width
            else:
                runs.append([span.link, seg.x, seg.x + seg.width, span.size])
    for link, a, b, size in runs:
        rect = (x + a, y - size * 0.25, x + b, y + size * 0.85)
        if link.startswith("#"):
            canv.linkRect("", link[1:], rect, relative=1, thickness=0)
        else:
            canv.linkURL(link, rect, relative=1, thickness=0)
