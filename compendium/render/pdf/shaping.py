"""PDF render, shaping: runs of text that need a shaping engine go through HarfBuzz (uharfbuzz).

reportlab draws one glyph per character at its default advance. That is right for Latin, Greek,
Cyrillic and Chinese as typed in NFC, and wrong wherever the font must choose or place glyphs:
Arabic joining, marks placed over their base (Arabic harakat, Hebrew points, Latin letters typed
with combining accents), Indic and South-East Asian clusters, emoji sequences with joiners and
variation selectors. Those runs (`needs_shaping`) are shaped with HarfBuzz on the very font file
reportlab embeds; the result is a `Shaped` run: glyphs in visual order with HarfBuzz's advances
and offsets. Other runs keep reportlab's fast path (shaping every word would cost ~6×, DESIGN.md).

Glyphs are addressed through reportlab's font subsets, which map characters to glyphs: a glyph
reachable from a character uses it; any other glyph (a joined Arabic form, a ligature) gets a
private-use code point fixed by its glyph id (U+E000 + gid), so the same text gives the same
bytes in any process. The drawing code wraps shaped runs in /ActualText spans so that text
extraction and search see the characters as typed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics

# Combining marks, right-to-left scripts, Indic and South-East Asian scripts, Hangul jamo,
# joiners, variation selectors, emoji modifiers and tags: text that HarfBuzz must shape.
NEEDS_SHAPING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1100-\u11ff"
    "\u135d-\u135f\u1780-\u17ff\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ua8e0-\ua8ff"
    "\ufb1d-\ufdff\ufe00-\ufe0f\ufe20-\ufe2f\ufe70-\ufeff\U0001f3fb-\U0001f3ff\U000e0000-\U000e01ef]")
_PUA = 0xE000
_PUA_END = 0xF8FF


def needs_shaping(text: str) -> bool:
    """Whether `text` must go through HarfBuzz to print right (see NEEDS_SHAPING)."""
    return not text.isascii() and NEEDS_SHAPING.search(text) is not None


@dataclass(frozen=True, slots=True)
class Shaped:
    """A shaped run in visual order. Units: 1/1000 of the font size (PDF glyph space).

    chars:    one character per glyph, the code reportlab's subset knows the glyph by
    advances: HarfBuzz's advance of each glyph
    offsets:  (dx, dy) of each glyph from its pen position (marks over their base)
    widths:   the glyph's own width in the embedded font (what a PDF viewer advances by)
    width:    the run's total advance
    """

    chars: str
    advances: tuple[float, ...]
    offsets: tuple[tuple[float, float], ...]
    widths: tuple[float, ...]
    width: float


@lru_cache(maxsize=64)
def _hb_font(font_name: str, path: str) -> tuple[object, float]:
    """A HarfBuzz font on the very bytes reportlab embeds; (font, 1000/unitsPerEm)."""
    import uharfbuzz as hb

    face = pdfmetrics.getFont(font_name).face
    hb_face = hb.Face(hb.Blob(face._ttf_data))
    font = hb.Font(hb_face)
    return font, 1000.0 / hb_face.upem


@lru_cache(maxsize=1 << 16)
def shape(text: str, font_name: str, rtl: bool, path: str = "") -> Shaped:
    """Shape `text` in the reportlab TTFont `font_name`, right to left when `rtl`.

    `path` is the font file (part of the cache key: a build that cut another instance of the
    face under the same name must not reuse glyphs of the old one). Script and language are
    guessed by HarfBuzz from the text. Returns glyphs in visual order (see Shaped).
    """
    import uharfbuzz as hb

    font, scale = _hb_font(font_name, path)
    ttf = pdfmetrics.getFont(font_name)
    face = ttf.face
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    hb.shape(font, buf, {"kern": True, "liga": True})
    chars: list[str] = []
    advances: list[float] = []
    offsets: list[tuple[float, float]] = []
    widths: list[float] = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
        gid = info.codepoint
        code = _code_for(face, gid, pos.x_advance * scale)
        chars.append(chr(code))
        advances.append(pos.x_advance * scale)
        offsets.append((pos.x_offset * scale, pos.y_offset * scale))
        widths.append(face.charWidths.get(code, pos.x_advance * scale))
    return Shaped("".join(chars), tuple(advances), tuple(offsets), tuple(widths), sum(advances))


def _code_for(face: object, gid: int, advance: float) -> int:
    """The character reportlab's subset draws glyph `gid` with (a private-use one if needed)."""
    real = face.glyphToChar.get(gid)  # type: ignore[attr-defined]
    if real:
        return min(real)
    code = _PUA + gid
    if code > _PUA_END:
        return 0  # beyond the private-use area: .notdef (never happens with the subset faces)
    _adopt(face, code, gid)
    return code


def _adopt(face: object, code: int, gid: int) -> None:
    """Make reportlab's face draw glyph `gid` for the private-use `code`, at the glyph's own advance
    (not a shaped, kerned one: the same in every process, whichever run met the glyph first)."""
    face.charToGlyph.setdefault(code, gid)  # type: ignore[attr-defined]
    face.glyphToChar.setdefault(gid, [code])  # type: ignore[attr-defined]
    face.charWidths.setdefault(code, face._pdfScale(face.hmetrics[gid][0]))  # type: ignore[attr-defined]


def adopt(font_name: str, chars: str) -> None:
    """Teach this process's face `font_name` the private-use codes of glyphs shaped in another
    process (a run laid out by a worker, or kept in the cache, replayed into the book)."""
    face = pdfmetrics.getFont(font_name).face
    known = face.charToGlyph
    for ch in chars:
        code = ord(ch)
        if _PUA <= code <= _PUA_END and code not in known:
            _adopt(face, code, code - _PUA)
