"""PDF render, words: styled spans → measured words, and where a word may be broken.

A paragraph arrives as `Span`s (text in one font, size, colour, link). It is cut at spaces into
`Word`s, each a list of `Piece`s (the part of a word in one span), measured in points: reportlab's
width tables for plain runs, HarfBuzz advances for runs that need shaping (shaping.py). Chinese,
Japanese and Korean text is cut between characters (no break before closing or after opening
punctuation: the basic kinsoku rule of JIS X 4051).

A word too long for what is left of a line may be broken (`split_word`):
- "hyphen": at pyphen's hyphenation points, at least 3 letters on each side, never in a
  capitalised word (names: "United Nations"), a hyphen added;
- "dash":   after a hyphen or dash the word already has ("Co-|operation"), nothing added;
- "url":    after / ? & - = _ . : # @ (the places Chicago 14.18 allows in URLs), no hyphen added;
- "any":    between any two grapheme clusters, a last resort so that nothing passes the margin.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from compendium.book.scripts import has_cjk, has_rtl, is_cjk
from compendium.render.pdf.shaping import Shaped, needs_shaping, shape

HYPHEN = "-"
MIN_LEFT = MIN_RIGHT = 3  # letters kept on each side of a hyphenation point
MIN_WORD = 7  # shorter words are never hyphenated
_NO_BREAK_BEFORE = set("、。，．：；！？）」』】〉》〕｝’”,.:;!?)]}%‰…・ー々ゝゞ")
_NO_BREAK_AFTER = set("（「『【〈《〔｛‘“([{")
_URL_BREAK_AFTER = set("/?&-=_.:#@")
_SPACES = re.compile("( +)")
_WORD_CORE = re.compile(r"^([\W\d_]*)([^\W\d_]+)([\W\d_]*)$")


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text in one style: font (reportlab name), size (pt), colour, link target."""

    text: str
    font: str
    size: float
    color: object
    link: str = ""  # an URL, or "#key" for a place in the book
    strike: bool = False
    path: str = ""  # the font file, for the shaping cache (see shaping.shape)


@dataclass(slots=True)
class Piece:
    """The part of a word in one span; `shaped` is set when HarfBuzz measured it (LTR)."""

    span: Span
    text: str
    width: float
    shaped: Shaped | None = None


@dataclass(slots=True)
class Word:
    """A word: pieces, its width (pt), the space that follows it (pt) and where it came from.

    source: index of the word in the paragraph (its tail after a break keeps it); tail: this
    word is what is left of a broken word; hyphen: width of the hyphen drawn when it ends a line.
    """

    pieces: list[Piece]
    width: float
    space: float = 0.0
    source: int = 0
    tail: bool = False
    hyphenate: str = ""  # the pyphen language, "" when the word may not be hyphenated
    ends_hyphen: bool = False  # broken at a hyphenation point: a hyphen is drawn after it
    hyphen_width: float = 0.0
    text: str = field(default="")
    joint: bool = False  # a line may break after it without a space (between Chinese characters)

    def __post_init__(self) -> None:
        if not self.text:
            self.text = "".join(p.text for p in self.pieces)


BREAK = None  # a forced line break (<br/>) among the words


def measure(span: Span, text: str) -> Piece:
    """A piece of `span`: its width in points, shaped by HarfBuzz when the text needs it."""
    if not text.isascii() and needs_shaping(text):
        # right-to-left text is measured as it will be drawn (Arabic joins only when shaped RTL)
        shaped = shape(text, span.font, has_rtl(text), span.path)
        return Piece(span, text, shaped.width * span.size / 1000, shaped)
    return Piece(span, text, _font(span.font, span.path).stringWidth(text, span.size))


@lru_cache(maxsize=256)
def _font(name: str, path: str):  # noqa: ANN202 - a reportlab font
    """The registered font `name` (`path`: its file, so that a face cut again is looked up again)."""
    return getFont(name)


_WIDTHS: dict[tuple[str, str, float], dict[str, float]] = {}


def _widths(font: str, path: str, size: float) -> dict[str, float]:
    """Widths (pt) of the plain words met in `font` at `size` (`path` as for _font): a book repeats
    its words, and a dictionary lookup is far cheaper than measuring again. Forgotten past 200,000 words."""
    found = _WIDTHS.get((font, path, size))
    if found is None or len(found) > 200_000:
        found = _WIDTHS[(font, path, size)] = {}
    return found


@lru_cache(maxsize=1024)
def _space(font: str, size: float, path: str = "") -> float:
    """The width (pt) of a space in `font` at `size` (`path` as for _font)."""
    return _font(font, path).stringWidth(" ", size)


def words(spans: list[Span], hyphenate: str = "") -> list[Word | None]:
    """Cut `spans` into measured words (BREAK for a forced line break); see the module doc."""
    out: list[Word | None] = []
    cur: list[Piece] = []

    def flush(space_span: Span | None, joint: bool = False) -> None:
        if cur:
            space = _space(space_span.font, space_span.size, space_span.path) if space_span else 0.0
            # positional: a paragraph makes a Word per word (100,000 for 100 entries)
            if len(cur) == 1:
                piece = cur[0]
                out.append(Word([piece], piece.width, space, len(out), False, hyphenate, False, 0.0, piece.text,
                                joint))
            else:
                out.append(Word(list(cur), sum(p.width for p in cur), space, len(out), False, hyphenate, False,
                                0.0, "", joint))
            cur.clear()

    for span in spans:
        if span.text == "\n":
            flush(None)
            out.append(BREAK)
            continue
        # most spans hold neither Chinese nor text to shape: their words are measured straight away
        plain = span.text.isascii() or not (has_cjk(span.text) or needs_shaping(span.text))
        width = _widths(span.font, span.path, span.size) if plain else None
        for chunk in _SPACES.split(span.text):
            if not chunk:
                continue
            if chunk[0] == " ":
                if cur:
                    flush(span)
                elif out and out[-1] is not None and not out[-1].space:
                    out[-1].space = _space(span.font, span.size, span.path)
                continue
            if width is not None:
                w = width.get(chunk)
                if w is None:
                    w = width[chunk] = _font(span.font, span.path).stringWidth(chunk, span.size)
                cur.append(Piece(span, chunk, w))
                continue
            for part, gap in _cjk_parts(chunk):
                cur.append(measure(span, part))
                if gap:
                    flush(None, joint=True)
    flush(None)
    return out


def _cjk_parts(text: str) -> list[tuple[str, bool]]:
    """`text` cut where CJK text may break: [(part, break after)]."""
    if text.isascii() or not any(is_cjk(ch) for ch in text):
        return [(text, False)]
    parts: list[tuple[str, bool]] = []
    start = 0
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if (is_cjk(a) or is_cjk(b)) and b not in _NO_BREAK_BEFORE and a not in _NO_BREAK_AFTER \
                and unicodedata.category(b)[0] != "M":
            parts.append((text[start:i], True))
            start = i
    parts.append((text[start:], False))
    return parts


@lru_cache(maxsize=16)
def _dictionary(lang: str):  # noqa: ANN202 - pyphen.Pyphen
    import pyphen

    return pyphen.Pyphen(lang=lang, left=MIN_LEFT, right=MIN_RIGHT)


def _hyphen_points(word: Word) -> list[int]:
    """Offsets in word.text after which a hyphen may go (see the module doc)."""
    if not word.hyphenate or word.tail or len(word.text) < MIN_WORD:
        return []
    return list(_hyphen_offsets(word.text, word.hyphenate))


@lru_cache(maxsize=1 << 14)
def _hyphen_offsets(text: str, lang: str) -> tuple[int, ...]:
    m = _WORD_CORE.match(text)
    if not m or len(m.group(2)) < MIN_WORD or not m.group(2).islower():
        return ()
    lead = len(m.group(1))
    return tuple(lead + p for p in _dictionary(lang).positions(m.group(2)))


def _url_points(text: str) -> list[int]:
    return [i + 1 for i, ch in enumerate(text[:-1]) if ch in _URL_BREAK_AFTER and text[i + 1] not in _URL_BREAK_AFTER]


DASHES = "-\u2010\u2013\u2014"  # hyphen-minus, hyphen, en dash, em dash: a line may break after them (UAX #14 BA)


def has_dash(word: Word) -> bool:
    """Whether a hyphen or dash is typed inside `word` ("Co-operation", "Asia–Pac.", "2008–2011")."""
    return any(ch in DASHES for ch in word.text[2:-2])


def _dash_points(text: str) -> list[int]:
    """After a hyphen or a dash typed inside a word ("Co-|operation"), two characters at least each side."""
    return [i + 1 for i, ch in enumerate(text) if ch in DASHES and 2 <= i and i + 3 <= len(text)
            and text[i + 1].isalnum()]


def _cluster_points(text: str) -> list[int]:
    """Offsets between grapheme clusters: never before a mark, a joiner or a variation selector."""
    out = []
    for i in range(1, len(text)):
        ch, prev = text[i], text[i - 1]
        if unicodedata.category(ch)[0] == "M" or ch in "\u200d\u200c" or prev == "\u200d" \
                or 0xFE00 <= ord(ch) <= 0xFE0F or 0xDC00 <= ord(ch) <= 0xDFFF:
            continue
        out.append(i)
    return out


@lru_cache(maxsize=1024)
def hyphen_width(font: str, size: float) -> float:
    """The width (pt) of the hyphen a word broken at a hyphenation point ends with, in `font` at `size`."""
    return stringWidth(HYPHEN, font, size)


def is_long(word: Word) -> bool:
    """A word that reads like an address or a code (breakable after URL punctuation)."""
    return len(word.text) > 18 and any(ch in _URL_BREAK_AFTER for ch in word.text[1:-1])


def break_points(word: Word, hyphenate: bool = True) -> list[tuple[int, str]]:
    """Where the paragraph breaker may break inside `word`: (offset, mode), in order; hyphenation
    points ("hyphen"), after a typed dash ("dash") and, in an address, after its punctuation ("url").
    The last resort ("any") is never offered: only first-fit uses it, for a word wider than the measure."""
    lang = word.hyphenate if hyphenate and not word.tail else ""
    return list(_break_points(word.text, lang))


@lru_cache(maxsize=1 << 14)
def _break_points(text: str, lang: str) -> tuple[tuple[int, str], ...]:
    """break_points of a word `text`, hyphenated in `lang` ("" for none): a paragraph's words repeat."""
    out: dict[int, str] = {}
    if len(text) > 18 and any(ch in _URL_BREAK_AFTER for ch in text[1:-1]):  # is_long
        out.update((cut, "url") for cut in _url_points(text))
    elif any(ch in DASHES for ch in text[2:-2]):  # has_dash
        out.update((cut, "dash") for cut in _dash_points(text))
    if lang and len(text) >= MIN_WORD:
        for cut in _hyphen_offsets(text, lang):
            out.setdefault(cut, "hyphen")
    return tuple(sorted(out.items()))


def split_at(word: Word, cut: int, mode: str) -> tuple[Word, Word]:
    """`word` broken after `cut` characters the `mode` way (see split_word): the head (with the hyphen's
    width when mode is "hyphen") and the tail."""
    hyphen = 0.0
    if mode == "hyphen":
        last = word.pieces[-1].span
        hyphen = hyphen_width(last.font, last.size)
    head, tail = _slice(word, 0, cut), _slice(word, cut, len(word.text))
    head.space, head.ends_hyphen, head.hyphen_width = 0.0, mode == "hyphen", hyphen
    head.source = tail.source = word.source
    tail.space, tail.tail, tail.hyphenate, tail.joint = word.space, True, word.hyphenate, word.joint
    return head, tail


def split_word(word: Word, room: float, mode: str) -> tuple[Word, Word] | None:
    """The longest head of `word` that fits in `room` points when broken the `mode` way, and the tail.

    Returns None when no allowed break gives a head that fits. The head of a "hyphen" break
    has `ends_hyphen` set (and counts the hyphen's width).
    """
    text = word.text
    points = {"hyphen": _hyphen_points, "url": lambda w: _url_points(w.text), "dash": lambda w: _dash_points(w.text),
              "any": lambda w: _cluster_points(w.text)}[mode](word)
    if not points:
        return None
    hyphen = 0.0
    if mode == "hyphen":
        last = word.pieces[-1].span
        hyphen = hyphen_width(last.font, last.size)
    found = _longest_head(word, sorted(points), room - hyphen)
    if found is None:
        return None
    cut, head = found
    tail = _slice(word, cut, len(text))
    head.space, head.ends_hyphen, head.hyphen_width = 0.0, mode == "hyphen", hyphen
    head.source = tail.source = word.source
    tail.space, tail.tail, tail.hyphenate = word.space, True, word.hyphenate
    return head, tail


def _longest_head(word: Word, cuts: list[int], room: float) -> tuple[int, Word] | None:
    """The last of the ascending offsets `cuts` whose head of `word` is at most `room` pt wide, and that head.

    A head never narrows as it grows (widths are positive; a shaped head is measured as drawn), so
    the search gallops from the start (cuts 1, 2, 4, 8... on) until a head is too wide, then halves
    the gap: a string of 5,000 characters without a break measures a dozen heads a line, each about a
    line long, not thousands of heads as long as the string (which took ~20 s in the PDF).
    """
    best: tuple[int, Word] | None = None
    lo, hi, probe, step = 0, len(cuts) - 1, 0, 1
    while probe <= hi:
        head = _slice(word, 0, cuts[probe])
        if head.width > room:
            hi = probe - 1
            break
        best, lo = (cuts[probe], head), probe + 1
        probe, step = probe + step, step * 2
    while lo <= hi:
        mid = (lo + hi) // 2
        head = _slice(word, 0, cuts[mid])
        if head.width <= room:
            best, lo = (cuts[mid], head), mid + 1
        else:
            hi = mid - 1
    return best


def _slice(word: Word, start: int, end: int) -> Word:
    pieces: list[Piece] = []
    pos = 0
    for p in word.pieces:
        a, b = max(start, pos), min(end, pos + len(p.text))
        if a < b:
            pieces.append(p if (a, b) == (pos, pos + len(p.text)) else measure(p.span, p.text[a - pos:b - pos]))
        pos += len(p.text)
    return Word(pieces, sum(p.width for p in pieces), 0.0, word.source)
