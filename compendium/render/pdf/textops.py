"""PDF render, text operators: a line of positioned segments → the content stream's text object.

A line is cut into runs. Plain words that follow each other in one font, size and colour are one
run, shown by one TJ whose numbers place each word where the line breaker put it (justified
spaces included): one text position per run, not per word. A shaped run (HarfBuzz, shaping.py)
is drawn glyph by glyph with its advances, offsets as text rise, inside a marked-content span
whose /ActualText holds the characters as typed (visual order for right-to-left runs, as
pdftotext expects), so that the PDF stays searchable and copyable.

The codes a run is shown with belong to the document: reportlab numbers a font's glyphs in the
order the document first meets them. So `draw_line` fixes every operator but the runs, which it
leaves open as (PLAIN, font, size, words, gaps) and (SHAPED, font, size, Shaped); a recording
canvas (display.Recorder) keeps the line so, any other canvas gets it written at once
(`emit_line`), the codes looked up through `_Encoder` (reportlab's own assignment, in C speed
once a character is known).
"""
from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from compendium.render.pdf.lines import Segment
from compendium.render.pdf.shaping import Shaped, adopt

PLAIN, SHAPED = 0, 1  # the kinds of run in a line (see the module doc)


def draw_line(canv: Canvas, segments: list[Segment], x: float, y: float) -> None:
    """Draw segments (visual order, x relative to `x`, pt) on the baseline `y`, links and strikes included."""
    if not segments:
        return
    parts: list[Any] = ["BT"]
    colour: Any = None
    run: list[Any] | None = None  # the open plain run: [PLAIN, font, size, words, gaps, end x]
    for seg in segments:
        span = seg.span
        if span.color is not colour and span.color != colour:
            canv.setFillColor(span.color)  # goes to the page stream: moved inside this line's text object
            _op(parts, canv._code.pop())
            colour = span.color
            run = None
        at = x + seg.x
        if seg.shaped is not None:
            actual = seg.text[::-1] if seg.rtl else seg.text
            _op(parts, f"/Span <</ActualText <FEFF{actual.encode('utf-16-be').hex().upper()}>>> BDC\n"
                       f"1 0 0 1 {at:.3f} {y:.3f} Tm")
            parts.append((SHAPED, span.font, span.size, seg.shaped))
            _op(parts, "EMC")
            run = None
        elif run is not None and run[1] == span.font and run[2] == span.size:
            # thousandths of the size: how far the next word starts from where the last one ended
            run[4].append(f"{round((run[5] - at) * 1000 / span.size, 2):g}")
            run[3].append(seg.text)
            run[5] = at + seg.width
        else:
            _op(parts, f"1 0 0 1 {at:.3f} {y:.3f} Tm")
            run = [PLAIN, span.font, span.size, [seg.text], [], at + seg.width]
            parts.append(run)
    _op(parts, "ET")
    line = tuple(tuple(p[:3]) + (tuple(p[3]), tuple(p[4])) if p.__class__ is list else p for p in parts)
    record = getattr(canv, "record", None)
    if record is not None:
        record(line)
    else:
        emit_line(canv, line)
    _links_and_strikes(canv, segments, x, y)


def _op(parts: list[Any], op: str) -> None:
    """Append operators to a line, joined to the operators before them (fewer objects to keep)."""
    if parts and parts[-1].__class__ is str:
        parts[-1] += "\n" + op
    else:
        parts.append(op)


def emit_line(canv: Canvas, parts: tuple[Any, ...]) -> None:
    """Write a line made by draw_line into `canv`'s page, its runs in the document's font subsets."""
    code: list[str] = []
    state: list[Any] = [None, None, None]  # font name, size, subset
    for part in parts:
        if part.__class__ is str:
            code.append(part)
        elif part[0] == PLAIN:
            _show_words(canv, code, state, part[1], part[2], part[3], part[4])
        else:
            _show_shaped(canv, code, state, part[1], part[2], part[3])
    canv._code.append("\n".join(code))


class _Encoder:
    """A font's codes in one document: reportlab's `splitString` for characters it has not met,
    then a translation table (the same assignment, in C speed) for the ones it has."""

    def __init__(self, font: Any, doc: Any) -> None:
        self.font, self.doc = font, doc
        self.subset: dict[str, int] = {}  # character → its subset
        self.known: set[str] = set()
        self.table: dict[int, str] = {}  # code point → its byte in its subset, as a character
        self.single = True  # every character met so far is in subset 0
        self.words: dict[str, tuple[int, str]] = {}  # a word in one subset → (subset, its escaped bytes)

    def encode(self, text: str) -> list[tuple[int, bytes]]:
        """`text` as (subset, bytes) chunks, exactly as font.splitString(text, doc) gives them."""
        chars = set(text)
        if chars <= self.known:
            if self.single:
                return [(0, text.translate(self.table).encode("latin-1"))]
            found = {self.subset[ch] for ch in chars}
            if len(found) == 1:
                return [(found.pop(), text.translate(self.table).encode("latin-1"))]
        chunks = self.font.splitString(text, self.doc)
        i = 0
        for n, data in chunks:
            for byte in data:
                ch = text[i]
                self.subset[ch] = n
                self.known.add(ch)
                self.table[ord(ch)] = chr(byte)
                self.single = self.single and n == 0
                i += 1
        return chunks


def _encoder(font: Any, doc: Any) -> _Encoder:
    """The font's encoder in `doc` (kept on the document: it lives and dies with it)."""
    encoders = doc.__dict__.setdefault("_compendium_encoders", {})
    enc = encoders.get(font.fontName)
    if enc is None:
        enc = encoders[font.fontName] = _Encoder(font, doc)
    return enc


def _select(canv: Canvas, code: list[str], state: list[Any], font: Any, size: float, subset: int) -> None:
    if state[0] != font.fontName or state[1] != size or state[2] != subset:
        code.append(f"/{font.getSubsetInternalName(subset, canv._doc)[1:]} {size:.4g} Tf")
        state[:] = [font.fontName, size, subset]


def _show_words(canv: Canvas, code: list[str], state: list[Any], font_name: str, size: float,
                words: tuple[str, ...], gaps: tuple[str, ...]) -> None:
    """A plain run: its words in one TJ, `gaps` (thousandths of `size`) pulling each word to its place."""
    font = pdfmetrics.getFont(font_name)
    escape = canv._escape
    encoder = _encoder(font, canv._doc)
    shown = _known_words(encoder, words, escape)
    if shown is not None:  # the usual case: every word met before, the run in one subset
        _select(canv, code, state, font, size, shown[0])
        if len(words) == 1:
            code.append(f"({shown[1][0]}) Tj")
            return
        items = [f"({text}) {gap}" for text, gap in zip(shown[1], gaps)]
        items.append(f"({shown[1][-1]})")
        code.append(f"[{' '.join(items)}] TJ")
        return
    chunks = encoder.encode(words[0] if len(words) == 1 else "".join(words))
    if len(chunks) == 1:  # the usual case: the run is in one subset
        subset, data = chunks[0]
        _select(canv, code, state, font, size, subset)
        if len(words) == 1:
            code.append(f"({escape(data)}) Tj")
            return
        items = []
        pos = 0
        for word, gap in zip(words, gaps):
            end = pos + len(word)
            items.append(f"({escape(data[pos:end])}) {gap}")
            pos = end
        items.append(f"({escape(data[pos:])})")
        code.append(f"[{' '.join(items)}] TJ")
        return
    ends = []  # where each word but the last ends, in the run's characters
    pos = 0
    for word in words[:-1]:
        pos += len(word)
        ends.append(pos)
    boundaries = iter(zip(ends, gaps))
    cut = next(boundaries, None)
    tj: list[str] = []
    pos = 0
    for subset, data in chunks:
        if state[2] != subset or state[0] != font.fontName or state[1] != size:
            if tj:
                code.append(f"[{' '.join(tj)}] TJ")
                tj = []
            _select(canv, code, state, font, size, subset)
        start = 0
        while cut is not None and cut[0] <= pos + len(data):
            stop = cut[0] - pos
            if stop > start:
                tj.append(f"({escape(data[start:stop])})")
            tj.append(cut[1])
            start = stop
            cut = next(boundaries, None)
        if start < len(data):
            tj.append(f"({escape(data[start:])})")
        pos += len(data)
    if tj:
        code.append(f"[{' '.join(tj)}] TJ")


def _known_words(encoder: _Encoder, words: tuple[str, ...], escape: Any) -> tuple[int, list[str]] | None:
    """The subset and escaped codes of each of `words` when they are all in one subset, else None.
    Codes are a document's, fixed once a character is met: a word's escaped bytes are kept per font
    and reused (a book repeats its words), and meeting the words one by one assigns the codes in the
    order the whole run would."""
    memo = encoder.words
    subset = -1
    out: list[str] = []
    for word in words:
        found = memo.get(word)
        if found is None:
            chunks = encoder.encode(word)
            if len(chunks) != 1:
                return None
            found = memo[word] = (chunks[0][0], escape(chunks[0][1]))
        if found[0] != subset:
            if subset >= 0:
                return None
            subset = found[0]
        out.append(found[1])
    return (subset, out) if out else None


def _show_shaped(canv: Canvas, code: list[str], state: list[Any], font_name: str, size: float,
                 shaped: Shaped) -> None:
    font = pdfmetrics.getFont(font_name)
    adopt(font_name, shaped.chars)  # glyphs shaped in another process: their private-use codes
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
