"""Render (EPUB): a generated cover image (title, subtitle, edition year, publisher) when none is given.

Drawn with Pillow from fixed inputs only, so the same edition always gives the same PNG bytes.
The text face is Bitstream Vera, which reportlab ships (already a dependency); the Arabic or
Chinese faces embedded in the book stand in when the title needs glyphs Vera lacks.
"""
from __future__ import annotations

from pathlib import Path

from compendium.model import Edition, Issue
from compendium.render.epub.fonts import EmbeddedFont
from compendium.render.epub.meta import publication_date

SIZE = (1600, 2400)  # 2:3, the proportion most e-book stores ask for
MARGIN = 150
BACKGROUND = (18, 52, 86)
ACCENT = (91, 146, 229)
PALE = (214, 226, 240)
WHITE = (255, 255, 255)
BAND = ((91, 146, 229), (38, 166, 154), (239, 169, 74), (229, 115, 115), (149, 117, 205), (120, 144, 156))


def _vera(bold: bool) -> Path | None:
    try:
        import reportlab
    except ImportError:
        return None
    path = Path(reportlab.__file__).parent / "fonts" / ("VeraBd.ttf" if bold else "Vera.ttf")
    return path if path.is_file() else None


def _covers(path: Path, text: str) -> bool:
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(path), lazy=True).getBestCmap() or {}
    return all(ord(c) in cmap for c in text if not c.isspace())


def _face(text: str, bold: bool, extra: list[EmbeddedFont]) -> tuple[Path | None, bool]:
    """(font file, needs complex shaping) that covers `text`, or (None, False)."""
    vera = _vera(bold)
    if vera and _covers(vera, text):
        return vera, False
    weight = 700 if bold else 400
    for f in sorted(extra, key=lambda f: abs(f.weight - weight)):
        if _covers(f.path, text):
            return f.path, True
    return None, False


def _font(text: str, size: int, bold: bool, extra: list[EmbeddedFont]):  # -> ImageFont.FreeTypeFont
    from PIL import ImageFont, features

    path, complex_ = _face(text, bold, extra)
    if path is None:
        try:
            return ImageFont.load_default(size)
        except TypeError:  # Pillow < 10.1: a fixed-size bitmap font
            return ImageFont.load_default()
    # BASIC layout is the same everywhere; raqm (shaping) only where the script needs it
    engine = ImageFont.Layout.RAQM if complex_ and features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, layout_engine=engine)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + [line] if line else lines


def draw_cover(edition: Edition, path: Path, fonts: list[EmbeddedFont], warnings: list[Issue]) -> Path:
    """Write the generated cover PNG to `path`."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    all_text = " ".join([edition.title, edition.subtitle, edition.publisher])
    if _face(all_text, True, fonts)[0] is None:
        warnings.append(Issue(edition.source, "warning", "epub.cover",
                              "the generated EPUB cover has no font for some characters of the title; "
                              "give the edition a `cover` image"))

    year = _font(edition.label, 260 if len(edition.label) <= 4 else 130, True, fonts)  # "2003–2011" fits too
    draw.text((MARGIN, MARGIN), edition.label, font=year, fill=ACCENT)
    y = MARGIN + 330
    draw.rectangle((MARGIN, y, MARGIN + 220, y + 14), fill=ACCENT)
    y += 90

    size = 120
    while True:  # shrink a long title until it fits in eight lines
        title_font = _font(edition.title, size, True, fonts)
        lines = _wrap(draw, edition.title, title_font, width)
        if len(lines) <= 8 or size <= 60:
            break
        size -= 10
    for line in lines:
        draw.text((MARGIN, y), line, font=title_font, fill=WHITE)
        y += int(size * 1.2)

    if edition.subtitle:
        y += 50
        sub_font = _font(edition.subtitle, 58, False, fonts)
        for line in _wrap(draw, edition.subtitle, sub_font, width)[:8]:
            draw.text((MARGIN, y), line, font=sub_font, fill=PALE)
            y += 76

    band_top = SIZE[1] - MARGIN - 260
    n = max(1, min(len(edition.themes), len(BAND)))
    gap = 16
    cell = (width - gap * (n - 1)) / n
    for i in range(n):  # one colour per award category: a quiet, recognisable motif
        x0 = MARGIN + i * (cell + gap)
        draw.rectangle((int(x0), band_top, int(x0 + cell), band_top + 24), fill=BAND[i % len(BAND)])

    bottom = [edition.publisher, str(publication_date(edition).year) if edition.date else ""]
    foot = " · ".join(b for b in bottom if b)
    if foot:
        foot_font = _font(foot, 46, False, fonts)
        foot_lines = _wrap(draw, foot, foot_font, width)[:3]
        fy = SIZE[1] - MARGIN - 60 * len(foot_lines) + 10
        for line in foot_lines:
            draw.text((MARGIN, fy), line, font=foot_font, fill=PALE)
            fy += 60
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", optimize=False)
    return path
