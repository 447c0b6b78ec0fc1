"""PDF render, lines: measured words → lines of a given width, then each line in visual order.

Justified text is broken paragraph by paragraph, as TeX does (Knuth and Plass, "Breaking paragraphs
into lines", 1981): among every way to break the paragraph at its spaces, between Chinese
characters, at hyphenation points and after an address's punctuation, the one with the least
total demerits is chosen, so that no line is much looser than its neighbours. A line's word
spaces may stretch to 133 % and shrink to 85 % of their natural width (the tolerance a book
designer asks for); Chinese characters take the spacing between them. Demerits add up each
line's badness (100 × ratio³), a hyphen, two hyphenated lines in a row (never three), and a
paragraph that would end on a runt: its last line must hold two words or eight characters.

Ragged text (and justified text for which no such breaking exists, such as a word wider than
the measure) is broken first-fit, with the same rules: a word that does not fit is hyphenated
when it can be (at most two hyphenated lines in a row), a long address is broken after its
punctuation, and as a last resort anything is broken between characters, so that no line is
wider than its measure. A paragraph never ends on the tail of a hyphenated word ("pub- / licly."),
nor, when the line above can give a word, on a single short word.

Right-to-left text: the Unicode bidi algorithm (python-bidi) gives each character of a wrapped
line its level; runs are reordered per line (rule L2), never per paragraph, so the lines stay in
reading order. Runs at an odd level are shaped right to left by HarfBuzz, which also mirrors
brackets.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth

from compendium.book.scripts import has_rtl
from compendium.render.bidi import bidi_levels, visual_order
from compendium.render.pdf.shaping import Shaped, needs_shaping, shape
from compendium.render.pdf.words import (
    BREAK,
    Span,
    Word,
    break_points,
    has_dash,
    hyphen_width,
    is_long,
    split_at,
    split_word,
)

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


STRETCH = 1 / 3  # a word space may grow by this share (to 133 %)
SHRINK = 0.15  # ... and shrink by this one (to 85 %)
CJK_STRETCH = 0.12  # of the type size: the spacing Chinese characters may take between them
TOLERANCES = (1.0, 2.0)  # the greatest adjustment ratio tried, first pass then second
HYPHEN_PENALTY = 50
DOUBLE_HYPHEN = 3000  # demerits of two hyphenated lines in a row
RUNT = 10000  # demerits of a paragraph whose last line holds one short word
RUNT_CHARS = 8  # a last line of one word shorter than this is a runt


def break_lines(items: list[Word | None], width: float, first_indent: float = 0.0, justify: bool = False) -> list[Line]:
    """Break `items` (words and BREAKs) into lines no wider than `width` points.

    first_indent: points taken from (or, negative, given to) the first line's width. justify: the
    lines will be justified: break the paragraph as a whole (total fit, see the module doc), else
    first-fit. Either way no line is wider than `width` (a word wider than it is broken).
    """
    if justify:
        lines: list[Line] = []
        for n, segment in enumerate(_segments(items)):
            found = _total_fit(segment, width, first_indent if n == 0 and not lines else 0.0)
            if found is None:
                break
            if lines:
                lines[-1].forced = True
            lines += found
        else:
            if lines:
                return lines
    avoid: set[int] = set()
    for _ in range(3):
        lines = _first_fit(items, width, first_indent, avoid)
        if len(lines) < 2:
            return lines
        end = lines[-1]
        if len(end.words) == 1 and end.words[0].tail and lines[-2].hyphenated and end.words[0].source not in avoid:
            avoid.add(end.words[0].source)  # the paragraph ends on a fragment: do not hyphenate that word
            continue
        return _no_runt(lines, width, first_indent)
    return lines


def _segments(items: list[Word | None]) -> list[list[Word]]:
    """The paragraph cut at its forced breaks (BREAK): each piece is broken on its own."""
    out: list[list[Word]] = [[]]
    for item in items:
        if item is BREAK:
            out.append([])
        else:
            out[-1].append(item)
    return out


def _is_runt(words: list[Word]) -> bool:
    """A paragraph's last line that holds a single short word (or a hyphenated word's tail alone)."""
    return len(words) == 1 and (len(words[0].text) < RUNT_CHARS or words[0].tail)


def _no_runt(lines: list[Line], width: float, first_indent: float) -> list[Line]:
    """First-fit lines whose last line is a runt: the line above gives it its last word when that
    line keeps two words or more and the pair fits."""
    last, above = lines[-1], lines[-2]
    if last.forced or not _is_runt(last.words) or len(above.words) < 3 or above.hyphenated or above.forced:
        return lines
    moved = above.words[-1]
    room = width - (first_indent if len(lines) == 2 else 0.0)
    new_width = moved.width + moved.space + last.width
    if new_width > room + EPSILON:
        return lines
    kept = above.words[:-1]
    lines[-2] = Line(kept, sum(w.width + w.space for w in kept[:-1]) + kept[-1].width, above.forced, False)
    lines[-1] = Line([moved, *last.words], new_width, last.forced, True)
    return lines


@dataclass(slots=True)
class _Break:
    """A place the paragraph may break: inside or after word `i`, `cut` characters into it.

    A break inside a word (`mode` set: words.split_at) measures its two pieces only when a line
    could end there (`head`, `tail`): most hyphenation points of a paragraph are too early or too
    late for any line, and measuring all of them was most of the breaker's time."""

    i: int
    cut: int  # len(word.text): after the word, at its space
    word: Word | None = None  # the word broken, for a break inside it
    mode: str = ""  # how it breaks there (words.split_at), "" after the word
    flagged: bool = False  # a hyphen is drawn
    _parts: tuple[Word, Word] | None = None

    @property
    def inner(self) -> bool:
        return bool(self.mode)

    @property
    def head(self) -> Word:
        """The line's last piece (the break is inside the word)."""
        if self._parts is None:
            assert self.word is not None
            self._parts = split_at(self.word, self.cut, self.mode)
        return self._parts[0]

    @property
    def tail(self) -> Word:
        """The next line's first piece (the break is inside the word)."""
        self.head  # noqa: B018 - measures both pieces
        assert self._parts is not None
        return self._parts[1]


@dataclass(slots=True)
class _Node:
    brk: _Break | None  # None: the paragraph's start
    demerits: float
    line: int
    hyphens: int  # hyphenated lines in a row ending here
    prev: "_Node | None"


def _total_fit(words: list[Word], width: float, first_indent: float) -> list[Line] | None:
    """Total-fit lines for a piece of paragraph without forced breaks, or None when none fits."""
    if not words:
        return [Line([], 0.0, False, True)]
    size = words[0].pieces[0].span.size if words[0].pieces else 10.0
    # prefix sums: natural width, stretch and shrink of words[0:i] with the gap after each
    nat, stretch, shrink = [0.0], [0.0], [0.0]
    for w in words:
        nat.append(nat[-1] + w.width + w.space)
        stretch.append(stretch[-1] + (w.space * STRETCH if w.space else (CJK_STRETCH * size if w.joint else 0.0)))
        shrink.append(shrink[-1] + w.space * SHRINK)
    breaks: list[_Break] = []
    for i, w in enumerate(words):
        if len(w.text) >= 5:
            for cut, mode in break_points(w):
                breaks.append(_Break(i, cut, w, mode, mode == "hyphen"))
        if i < len(words) - 1 and not (w.space or w.joint):
            continue  # no break between two words that touch (a font change inside a word)
        breaks.append(_Break(i, len(w.text)))
    for tolerance in TOLERANCES:
        found = _best(words, breaks, nat, stretch, shrink, width, first_indent, tolerance)
        if found is not None:
            return found
    return None


def _best(words: list[Word], breaks: list[_Break], nat: list[float], stretch: list[float], shrink: list[float],
          width: float, first_indent: float, tolerance: float) -> list[Line] | None:
    active: list[_Node] = [_Node(None, 0.0, 0, 0, None)]
    final = len(words) - 1
    for brk in breaks:
        last = brk.i == final and not brk.inner
        best: _Node | None = None
        keep: list[_Node] = []
        for node in active:
            start_i, lead = _line_start(node.brk)
            avail = width - (first_indent if node.line == 0 else 0.0)
            natural, give, take = _span(words, start_i, lead, brk, nat, stretch, shrink, head=False)
            if natural - take > avail + EPSILON:
                continue  # too long, and every later break too: the node is done (the head only adds)
            if brk.inner:
                if _too_loose(brk, natural, give, avail, tolerance):
                    keep.append(node)
                    continue
                natural += brk.head.width + brk.head.hyphen_width
                if natural - take > avail + EPSILON:
                    continue
            keep.append(node)
            if last:
                ratio = 0.0 if natural <= avail + EPSILON else (natural - avail) / take
            elif natural < avail:
                ratio = (avail - natural) / give if give else float("inf")
            else:
                ratio = (natural - avail) / take if take else 0.0
                ratio = -ratio
            if ratio > tolerance or ratio < -1:
                continue
            hyphens = node.hyphens + 1 if brk.flagged else 0
            if hyphens > MAX_LADDER:
                continue
            demerits = (10 + 100 * abs(ratio) ** 3) ** 2
            if brk.flagged:
                demerits += HYPHEN_PENALTY ** 2
                if node.hyphens:
                    demerits += DOUBLE_HYPHEN
            if last:
                content = _line_words(words, start_i, lead, brk)
                if _is_runt(content) and node.brk is not None:
                    demerits += RUNT
            total = node.demerits + demerits
            if best is None or total < best.demerits:
                best = _Node(brk, total, node.line + 1, hyphens, node)
        active = keep
        if best is not None:
            active.append(best)
            if last:
                return _lines(words, best)
        if not active:
            return None
    return None


def _too_loose(brk: _Break, natural: float, give: float, avail: float, tolerance: float) -> bool:
    """Whether a line ending inside brk.word, `natural` pt wide without its head, is looser than
    `tolerance` whatever the head: true when it would be even if the head were the whole word. Only
    for plain text, whose piece of a word is never wider than the word (reportlab adds glyph widths;
    a shaped piece may be, by kerning or joining), so the head is measured only near a line's end."""
    word = brk.word
    assert word is not None
    if any(p.shaped is not None for p in word.pieces):
        return False
    hyphen = hyphen_width(word.pieces[-1].span.font, word.pieces[-1].span.size) if brk.mode == "hyphen" else 0.0
    widest = natural + word.width + hyphen
    return widest < avail and (not give or (avail - widest) / give > tolerance)


def _line_start(brk: _Break | None) -> tuple[int, Word | None]:
    """Where a line after `brk` starts: the index of its first whole word and the tail before it, if any."""
    if brk is None:
        return 0, None
    if not brk.inner:
        return brk.i + 1, None
    return brk.i + 1, brk.tail


def _gap_stretch(word: Word, size: float) -> float:
    """How much the gap after `word` may stretch (pt): a third of a space; between Chinese characters a
    share of the type size."""
    return word.space * STRETCH if word.space else (CJK_STRETCH * size if word.joint else 0.0)


def _span(words: list[Word], start: int, lead: Word | None, brk: _Break, nat: list[float], stretch: list[float],
          shrink: list[float], head: bool = True) -> tuple[float, float, float]:
    """Natural width, stretch and shrink (pt) of the line from (`lead`, words[start]) to `brk`;
    an infinite width when `brk` is inside the word `lead` comes from (a word is broken once).
    head=False: without the width of the piece that ends the line when `brk` is inside a word."""
    end = brk.i if brk.inner else brk.i + 1  # whole words start..end-1
    if end < start:
        return float("inf"), 0.0, 0.0
    size = words[0].pieces[0].span.size if words[0].pieces else 10.0
    natural = give = take = 0.0
    if end > start:
        natural, give, take = nat[end] - nat[start], stretch[end] - stretch[start], shrink[end] - shrink[start]
    if lead is not None:
        natural += lead.width + lead.space
        give += _gap_stretch(lead, size)
        take += lead.space * SHRINK
    if brk.inner:
        if head:
            natural += brk.head.width + brk.head.hyphen_width
    else:  # no gap after the line's last word
        last = words[end - 1] if end > start else lead
        if last is not None:
            natural -= last.space
            give -= _gap_stretch(last, size)
            take -= last.space * SHRINK
    return natural, give, take


def _line_words(words: list[Word], start: int, lead: Word | None, brk: _Break) -> list[Word]:
    end = brk.i if brk.inner else brk.i + 1
    out = ([lead] if lead is not None else []) + words[start:end]
    if brk.inner:
        out.append(brk.head)
    return out


def _lines(words: list[Word], node: _Node) -> list[Line]:
    chain: list[_Node] = []
    cur: _Node | None = node
    while cur is not None and cur.brk is not None:
        chain.append(cur)
        cur = cur.prev
    chain.reverse()
    out: list[Line] = []
    prev: _Break | None = None
    for n in chain:
        start, lead = _line_start(prev)
        content = _line_words(words, start, lead, n.brk)
        natural = sum(w.width + w.space for w in content[:-1]) + (content[-1].width + content[-1].hyphen_width
                                                                  if content else 0.0)
        out.append(Line(content, natural))
        prev = n.brk
    out[-1].last = True
    return out


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
        if parts is None and has_dash(word) and not is_long(word):
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
        if seg.text in (" ", ""):  # a word space, or the joint between two Chinese characters
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
        elif n < len(line.words) - 1 and word.joint:  # between Chinese characters: takes justification
            out.append((Segment(word.pieces[-1].span, "", 0.0, 0.0), True))
    return out


def _reorder(logical: list[tuple[Segment, bool]], rtl_base: bool) -> list[tuple[Segment, int]]:
    """Cut the runs where the level changes and reorder them (rule L2); trailing spaces take the base level (L1)."""
    text = "".join(seg.text for seg, _ in logical)
    levels = [level for _, level in bidi_levels(text, rtl_base)]
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
    return visual_order(cut, lambda run: run[1])


def _plain_width(span: Span, text: str) -> float:
    return stringWidth(text, span.font, span.size)


def balanced(items: list[Word | None], width: float, first_indent: float, count: int) -> list[Line]:
    """Ragged lines of about equal length (a heading's two lines, not a full one and a word): the
    narrowest measure, to half a point, that still breaks `items` into `count` lines."""
    lo, hi = width * 0.4, width
    best = _first_fit(items, width, first_indent, set())
    while hi - lo > 0.5:
        mid = (lo + hi) / 2
        trial = _first_fit(items, mid, first_indent, set())
        if len(trial) <= count and all(line.width <= mid + EPSILON for line in trial):
            hi, best = mid, trial
        else:
            lo = mid
    return best
