"""Render support: text set on a Pillow image with real shaping — HarfBuzz (uharfbuzz) chooses and
places the glyphs, FreeType (Pillow) draws them, in the Noto faces the books use.

Pillow's own complex layout needs a system FriBiDi library (raqm loads it at run time), so the
same build could join Arabic letters on one machine and not on another. Here the shaping comes
from pip-installed wheels only and gives the same pixels everywhere: each line is split into
runs of one font and one direction (Unicode bidi classes: embedded numbers and Latin words in
an Arabic line, or the reverse), the runs are ordered for display, and each run is shaped by
HarfBuzz; every glyph is then drawn through its private-use code point (render.fontsubset).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from compendium.book.scripts import has_arabic, has_cjk, is_cjk
from compendium.model import Issue, Source
from compendium.render.bidi import bidi_levels, visual_order
from compendium.render.fonts import FAMILIES, variable_file
from compendium.render.fontsubset import GLYPH_CODE_BASE, static_subset

SCRIPT_FAMILIES: tuple[str, ...] = ("arabic", "cjk")  # base family: "sans"
ARABIC_RANGE = (0x0600, 0x08FF)


def _family_of(ch: str) -> str | None:
    """The family a character needs, or None for a neutral one (space, punctuation, digits)."""
    if ARABIC_RANGE[0] <= ord(ch) <= ARABIC_RANGE[1] or has_arabic(ch):
        return "arabic"
    if is_cjk(ch) and unicodedata.category(ch)[0] in "LN":
        return "cjk"
    if unicodedata.category(ch)[0] in "LM":
        return "sans"
    return None


@dataclass(frozen=True)
class Run:
    text: str
    family: str
    rtl: bool


@dataclass
class Glyph:
    code: str  # the private-use character that draws this glyph
    x: float  # pen position of the glyph's origin, px from the run's start
    dy: float  # offset above the baseline, px
    family: str


class TextSetter:
    """Sets text in Noto Sans (and Noto Sans Arabic / SC where the text needs them), 400 and 700.

    `text` is every string to be set (the faces are subset to it, in the user's font cache);
    missing font packages are reported in `warnings` and their characters drawn as boxes.
    """

    def __init__(self, text: str, language: str, warnings: list[Issue], source: Source) -> None:
        self.language = language
        self.faces: dict[tuple[str, int], Path] = {}
        families = ["sans"] + [f for f, present in (("arabic", has_arabic), ("cjk", has_cjk)) if present(text)]
        chars = "".join(sorted(set(text) | {" "}))
        for family in families:
            src = FAMILIES[family]
            font = variable_file(src)
            if font is None:
                warnings.append(Issue(source, "warning", "cover.font",
                                      f"the cover has {src.display} text but the font is not installed, so it "
                                      f"prints as boxes; install it with: {src.install}"))
                continue
            for weight in (400, 700):
                self.faces[(family, weight)] = static_subset(font, chars, {"wght": float(weight)},
                                                             f"{src.name}-{weight}", glyph_codes=True)

    # ------------------------------------------------------------------ fonts

    def _face(self, family: str, weight: int) -> Path:
        return self.faces.get((family, weight)) or self.faces[("sans", weight)]

    @cached_property
    def _hb(self) -> dict[Path, object]:
        return {}

    def _hb_font(self, path: Path):  # -> uharfbuzz.Font
        import uharfbuzz as hb

        if path not in self._hb:
            self._hb[path] = hb.Font(hb.Face(path.read_bytes()))
        return self._hb[path]

    def _pil_font(self, path: Path, size: float):  # -> PIL.ImageFont.FreeTypeFont
        from PIL import ImageFont

        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)

    # ------------------------------------------------------------------ lines

    def runs(self, line: str, rtl_base: bool) -> list[Run]:
        """The line's runs in display order (left to right), each of one family and one direction."""
        logical: list[list] = []  # [text, family, level]
        family = None
        for ch, level in bidi_levels(line, rtl_base):
            fam = _family_of(ch) or family or "sans"
            if logical and fam == family and level == logical[-1][2]:
                logical[-1][0] += ch
            else:
                logical.append([ch, fam, level])
            family = fam
        return [Run(text, fam, level % 2 == 1) for text, fam, level in visual_order(logical, lambda run: run[2])]

    def shape(self, line: str, size: float, weight: int, rtl_base: bool) -> tuple[list[Glyph], float]:
        """Glyphs of a line in display order with their pen positions (px), and the line's width."""
        import uharfbuzz as hb

        glyphs: list[Glyph] = []
        x = 0.0
        for run in self.runs(line, rtl_base):
            path = self._face(run.family, weight)
            font = self._hb_font(path)
            scale = size / font.face.upem
            buf = hb.Buffer()
            buf.add_str(run.text)
            buf.guess_segment_properties()
            buf.direction = "rtl" if run.rtl else "ltr"
            if self.language:
                buf.language = self.language
            hb.shape(font, buf, {"kern": True, "liga": True})
            for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
                glyphs.append(Glyph(chr(GLYPH_CODE_BASE + info.codepoint), x + pos.x_offset * scale,
                                    pos.y_offset * scale, run.family))
                x += pos.x_advance * scale
        return glyphs, x

    def width(self, line: str, size: float, weight: int, rtl_base: bool) -> float:
        return self.shape(line, size, weight, rtl_base)[1]

    def wrap(self, text: str, size: float, weight: int, width: float, rtl_base: bool) -> list[str]:
        """Greedy lines no wider than `width` px: breaks at spaces, and between Chinese characters."""
        words = _break_points(text)
        lines: list[str] = []
        line = ""
        for word in words:
            trial = (line + word) if line else word.lstrip()
            if line and self.width(trial.rstrip(), size, weight, rtl_base) > width:
                lines.append(line.rstrip())
                line = word.lstrip()
            else:
                line = trial
        if line.strip():
            lines.append(line.rstrip())
        return lines

    def draw(self, image, x: float, baseline: float, line: str, size: float, weight: int, fill: str,
             rtl_base: bool, anchor_right: bool = False) -> float:
        """Draw one line; its left end at x (or its right end, with anchor_right). Returns its width."""
        from PIL import ImageDraw

        glyphs, width = self.shape(line, size, weight, rtl_base)
        start = x - width if anchor_right else x
        pen = ImageDraw.Draw(image)
        fonts: dict[str, object] = {}
        for g in glyphs:
            font = fonts.get(g.family)
            if font is None:
                font = fonts[g.family] = self._pil_font(self._face(g.family, weight), size)
            pen.text((start + g.x, baseline - g.dy), g.code, font=font, fill=fill, anchor="ls")
        return width


def _break_points(text: str) -> list[str]:
    """Pieces of `text` after which a line may break: words with their trailing space, single CJK characters."""
    pieces: list[str] = []
    current = ""
    for ch in " ".join(text.split()):
        if is_cjk(ch) and unicodedata.category(ch)[0] == "L":
            if current:
                pieces.append(current)
            pieces.append(ch)
            current = ""
        elif ch == " ":
            pieces.append(current + " ")
            current = ""
        else:
            current += ch
    if current:
        pieces.append(current)
    return [p for p in pieces if p]
