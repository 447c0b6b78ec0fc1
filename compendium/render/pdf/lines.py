"""PDF render, lines: measured words → lines of a given width, then each line in visual order.

Breaking is first-fit, as in most book software short of TeX, with the rules a book designer
asks for: a word that does not fit is hyphenated when it can be (at most two hyphenated lines
in a row), a long address is broken after its punctuation, and as a last resort anything is
broken between characters, so that no line is wider than its measure. A paragraph never ends
on the tail of a hyphenated word ("pub- / licly."): the word is then moved down whole.

Right-to-left text: the Unicode bidi algorithm (python-bidi) gives each character of a wrapped
line its level; runs are reordered per line (rule L2), never per paragraph, so the lines stay in
reading order. Runs at an odd level are shaped right to left by HarfBuzz, which also mirrors
brackets.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from bidi import algorithm as uba
from reportlab.pdfbase.pdfmetrics import stringWidth

from compendium.book.scripts import has_rtl
from compendium.render.pdf.shaping import Shaped, needs_shaping, shape
from compendium.render.pdf.words import BREAK, Span, Word, is_long, split_word

EPSILON = 0.01  # points of tolerance when comparing widths
MAX_LADDER = 2  # hyphenated lines in a row
URL_MIN_SHARE = 0.25  # break an address on the current line only when this share of it is left
URL_MIN_WIDTH = 0.5  # ... and only an address wider than this share of the measure (a shorter one moves down)


@dataclass(slots=True)
class Line:
    """A line of words in logical order; width is natural (pt, hyphen included)."""

    words: list[Word]
    width: float
    forced: bool = False  # ended by a forced break: never justified
    last: bool = False  # the paragraph's last line: never justified

    @property
    def hyphenated(self) -> bool:
        return bool(self.words) and self.words[-1].ends_hyphen


def break_lines(items: list[Word | None], width: float, first_indent: float = 0.0) -> list[Line]:
    """Break `items` (words and BREAKs) into lines no wider than `width` points.

    first_indent: points taken from (or, negative, given to) the first line's width.
    """
    avoid: set[int] = set()
    for _ in range(3):
        lines = _first_fit(items, width, first_indent, avoid)
        if len(lines) < 2:
            return lines
        end = lines[-1]
        if len(end.words) == 1 and end.words[0].tail and lines[-2].hyphenated and end.words[0].source not in avoid:
            avoid.add(end.words[0].source)  # the paragraph ends on a fragment: do not hyphenate that word
            continue
        return lines
    return lines


def _first_fit(items: list[Word | None], width: float, first_indent: float, avoid: set[int]) -> list[Line]:
    lines: list[Line] = []
    cur: list[Word] = []
    cur_w = 0.0
    queue: deque[Word | None] = deque(items)
    ladder = 0

    def avail() -> float:
        return max(width - (first_indent if not lines else 0.0), 1.0)

    def finish(forced: bool = False) -> None:
        nonlocal cur, cur_w, ladder
        line = Line(cur, cur_w + (cur[-1].hyphen_width if cur and cur[-1].ends_hyphen else 0.0), forced)
        ladder = ladder + 1 if line.hyphenated else 0
        lines.append(line)
        cur, cur_w = [], 0.0

    while queue:
        word = queue.popleft()
        if word is BREAK:
            finish(forced=True)
            continue
        gap = cur[-1].space if cur else 0.0
        limit = avail()
        if cur_w + gap + word.width <= limit + EPSILON:
            cur.append(word)
            cur_w += gap + word.width
            continue
        room = limit - cur_w - gap
        parts = None
        if word.hyphenate and ladder < MAX_LADDER and word.source not in avoid:
            parts = split_word(word, room, "hyphen")
        if parts is None and "-" in word.text[2:-2] and not is_long(word):
            parts = split_word(word, room, "dash")
        if parts is None and is_long(word) and word.width > limit * URL_MIN_WIDTH and room >= limit * URL_MIN_SHARE:
            parts = split_word(word, room, "url")
        if parts is None and cur:
            finish()
            queue.appendleft(word)
            continue
        if parts is None:  # alone on its line and still too wide
            parts = split_word(word, limit, "url") or split_word(word, limit, "any")
        if parts is None:  # not even one character fits: let it stand (a degenerate measure)
            cur.append(word)
            cur_w += word.width
            finish()
            continue
        head, tail = parts
        cur.append(head)
        cur_w += gap + head.width
        finish()
        queue.appendleft(tail)
    if cur or not lines:
        finish()
    lines[-1].last = True
    return lines


@dataclass(slots=True)
class Segment:
    """What is drawn: a piece of text in one span at one bidi level, in visual order.

    x: offset from the line's start (pt); width (pt); shaped: glyphs when HarfBuzz shaped it;
    text: its characters in logical order (for /ActualText and for plain drawing).
    """

    span: Span
    text: str
    x: float
    width: float
    shaped: Shaped | None = None
    rtl: bool = False
    space_after: bool = False
    extra: list[float] = field(default_factory=list)


def visual_segments(line: Line, rtl_base: bool, extra_space: float) -> list[Segment]:
    """The line's segments left to right, with x offsets; `extra_space` is added to each gap (justify)."""
    if not rtl_base and all(p.text.isascii() or not has_rtl(p.text) for w in line.words for p in w.pieces):
        return _left_to_right(line, extra_space)
    logical = _logical_runs(line)
    if rtl_base or any(has_rtl(s.text) for s, _ in logical):
        runs = _reorder(logical, rtl_base)
    else:
        runs = [(seg, 0) for seg, _ in logical]
    x = 0.0
    out: list[Segment] = []
    for seg, level in runs:
        if seg.text == " ":
            x += seg.width + extra_space
            continue
        if level % 2 == 1 or (seg.shaped is None and needs_shaping(seg.text)):
            shaped = shape(seg.text, seg.span.font, level % 2 == 1, seg.span.path)
            seg = Segment(seg.span, seg.text, 0.0, shaped.width * seg.span.size / 1000, shaped, level % 2 == 1)
        seg.x = x
        x += seg.width
        out.append(seg)
    return out


def _left_to_right(line: Line, extra_space: float) -> list[Segment]:
    """visual_segments for a line with no right-to-left text: the pieces in their order (the
    usual case, without the bidi algorithm's bookkeeping)."""
    out: list[Segment] = []
    x = 0.0
    last = len(line.words) - 1
    for n, word in enumerate(line.words):
        for piece in word.pieces:
            shaped, width = piece.shaped, piece.width
            if shaped is None and not piece.text.isascii() and needs_shaping(piece.text):
                shaped = shape(piece.text, piece.span.font, False, piece.span.path)
                width = shaped.width * piece.span.size / 1000
            out.append(Segment(piece.span, piece.text, x, width, shaped))
            x += width
        if word.ends_hyphen:
            out.append(Segment(word.pieces[-1].span, "-", x, word.hyphen_width))
            x += word.hyphen_width
        if n < last and word.space:
            x += word.space + extra_space
    return out


def _logical_runs(line: Line) -> list[tuple[Segment, bool]]:
    """Pieces and gaps of the line in logical order: (segment, is_gap)."""
    out: list[tuple[Segment, bool]] = []
    for n, word in enumerate(line.words):
        for piece in word.pieces:
            out.append((Segment(piece.span, piece.text, 0.0, piece.width, piece.shaped), False))
        if word.ends_hyphen:
            span = word.pieces[-1].span
            out.append((Segment(span, "-", 0.0, word.hyphen_width), False))
        if n < len(line.words) - 1 and word.space:
            out.append((Segment(word.pieces[-1].span, " ", 0.0, word.space), True))
    return out


def _levels(text: str, rtl_base: bool) -> list[int]:
    """The bidi embedding level of each character (python-bidi, rules X1–I2)."""
    storage = uba.get_empty_storage()
    base = "R" if rtl_base else "L"
    storage["base_level"] = uba.PARAGRAPH_LEVELS[base]
    storage["base_dir"] = base
    uba.get_embedding_levels(text, storage, False, False)
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    return [c["level"] for c in storage["chars"]]


def _reorder(logical: list[tuple[Segment, bool]], rtl_base: bool) -> list[tuple[Segment, int]]:
    """Cut the runs where the level changes and reorder them (rule L2); trailing spaces take the base level (L1)."""
    text = "".join(seg.text for seg, _ in logical)
    levels = _levels(text, rtl_base)
    base = 1 if rtl_base else 0
    cut: list[tuple[Segment, int]] = []
    pos = 0
    for seg, gap in logical:
        n = len(seg.text)
        lv = levels[pos:pos + n]
        pos += n
        if gap:
            cut.append((seg, lv[0] if lv else base))
            continue
        start = 0
        for i in range(1, n + 1):
            if i == n or lv[i] != lv[start]:
                part = seg.text[start:i]
                width = seg.width if (start, i) == (0, n) and seg.shaped is None else 0.0
                piece = Segment(seg.span, part, 0.0, width, None if width == 0.0 else seg.shaped)
                if width == 0.0:
                    shaped = shape(part, seg.span.font, lv[start] % 2 == 1, seg.span.path) \
                        if (lv[start] % 2 or needs_shaping(part)) else None
                    piece.width = (shaped.width * seg.span.size / 1000) if shaped else _plain_width(seg.span, part)
                    piece.shaped = shaped
                cut.append((piece, lv[start]))
                start = i
    # L1: whitespace at the end of the line goes to the paragraph level
    i = len(cut) - 1
    while i >= 0 and cut[i][0].text.strip() == "":
        cut[i] = (cut[i][0], base)
        i -= 1
    top = max((lv for _, lv in cut), default=base)
    lowest_odd = min((lv for _, lv in cut if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(cut):
            if cut[i][1] >= level:
                j = i
                while j < len(cut) and cut[j][1] >= level:
                    j += 1
                cut[i:j] = cut[i:j][::-1]
                i = j
            else:
                i += 1
    return cut


def _plain_width(span: Span, text: str) -> float:
    return stringWidth(text, span.font, span.size)
