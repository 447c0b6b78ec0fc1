#!/usr/bin/env python3
"""Draw the charts of the sample edition (2012) for print, with Pillow and compendium's own text setter.

Each chart plots only figures that its entry's text states (the entry is the institution's own
account; the caption credits it as the source), in the language of the entry, in Noto Sans
shaped by HarfBuzz (compendium.render.raster: Arabic joined and right to left). A chart has no
title of its own: the book numbers it and prints its caption as the figure's title.

Size: the book's full measure (124 mm) at 300 pixels per inch, 1,465 px wide; labels are
7–8 pt once printed at that width (29–33 px), the book's palette (navy, blue, grey, orange).
Everything is drawn from fixed numbers: no downloads, no randomness, no timestamps and no
metadata, so re-running the script writes byte-identical files.

Usage: python3 scripts/make_sample_images.py [PROJECT_ROOT]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # compendium's text setter, from this checkout

from PIL import Image, ImageDraw  # noqa: E402

from compendium.model import Source  # noqa: E402
from compendium.render.raster import TextSetter  # noqa: E402

PPI = 300
MEASURE_MM = 124
WIDTH = round(MEASURE_MM / 25.4 * PPI)  # 1,465 px: the measure at 300 ppi
HEIGHT = round(WIDTH * 0.5)
PT = PPI / 72  # px per point once printed at the measure
LABEL, TICK, VALUE = 8 * PT, 7 * PT, 8 * PT  # 33, 29, 33 px

WHITE = "#FFFFFF"
INK = "#1F2328"
MUTED = "#5B6670"
GRID = "#DDE3E9"
NAVY = "#123F5F"
BLUE = "#1B5E8C"
GREY = "#A7B1BB"
ORANGE = "#E69F00"


class Chart:
    """A white canvas with a plot box and a text setter for the chart's language and direction."""

    def __init__(self, strings: list[str], language: str, rtl: bool = False) -> None:
        self.image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
        self.pen = ImageDraw.Draw(self.image)
        self.rtl = rtl
        self.text = TextSetter(" ".join(strings) + "0123456789.,%", language, [], Source("scripts"))

    def put(self, x: float, baseline: float, s: str, size: float, colour: str = INK, weight: int = 400,
            align: str = "center") -> None:
        width = self.text.width(s, size, weight, self.rtl)
        left = {"center": x - width / 2, "right": x - width, "left": x}[align]
        self.text.draw(self.image, left, baseline, s, size, weight, colour, self.rtl)

    def grid(self, box: tuple[float, float, float, float], lo: float, hi: float, step: float, fmt: str) -> None:
        """Horizontal grid lines with their values on the start side (right in a right-to-left chart)."""
        x0, y0, x1, y1 = box
        v = lo
        while v <= hi + 1e-9:
            y = y1 - (y1 - y0) * (v - lo) / (hi - lo)
            self.pen.line([x0, y, x1, y], fill=GRID, width=2)
            if self.rtl:
                self.put(x1 + 16, y + TICK * 0.35, fmt.format(v), TICK, MUTED, align="left")
            else:
                self.put(x0 - 16, y + TICK * 0.35, fmt.format(v), TICK, MUTED, align="right")
            v += step
        self.pen.line([x0, y1, x1, y1], fill=INK, width=3)

    def legend(self, items: list[tuple[str, str]], y: float) -> None:
        """Swatches and names in one row, from the start side."""
        x = WIDTH - 40 if self.rtl else 40
        for colour, name in items:
            width = self.text.width(name, LABEL, 400, self.rtl)
            if self.rtl:
                self.pen.rectangle([x - 30, y - 26, x, y + 4], fill=colour)
                self.put(x - 42, y, name, LABEL, align="right")
                x -= 42 + width + 50
            else:
                self.pen.rectangle([x, y - 26, x + 30, y + 4], fill=colour)
                self.put(x + 42, y, name, LABEL, align="left")
                x += 42 + width + 50

    def slots(self, box: tuple[float, float, float, float], n: int) -> list[float]:
        """The centres of n categories along the x axis, in reading order (right to left in RTL)."""
        x0, _, x1, _ = box
        slot = (x1 - x0) / n
        centres = [x0 + slot * (i + 0.5) for i in range(n)]
        return centres[::-1] if self.rtl else centres


def kr_integrity_scores() -> Image.Image:
    years = ["2008", "2009", "2010", "2011"]
    scores = [8.20, 8.51, 8.62, 8.43]
    c = Chart(years + ["new questionnaire", "Average score (10-point scale)"], "en")
    box = (150, 90, WIDTH - 60, HEIGHT - 110)
    lo, hi = 7.5, 9.0
    c.grid(box, lo, hi, 0.5, "{:.1f}")
    x0, y0, x1, y1 = box
    c.put(x0 - 16, y0 - 40, "Average score (10-point scale)", LABEL, MUTED, align="left")
    points = [(x, y1 - (y1 - y0) * (s - lo) / (hi - lo)) for x, s in zip(c.slots(box, len(years)), scores)]
    c.pen.line(points, fill=BLUE, width=8, joint="curve")
    for (x, y), year, s in zip(points, years, scores):
        c.pen.ellipse([x - 14, y - 14, x + 14, y + 14], fill=NAVY)
        c.put(x, y - 34, f"{s:.2f}", VALUE, INK, 700)
        c.put(x, y1 + 48, year, LABEL)
    c.put(points[-1][0], y1 + 90, "new questionnaire", TICK, MUTED)
    return c.image


def poupatempo_waiting_times() -> Image.Image:
    services = ["Identity card", "Driving licence", "Criminal record", "Labour card"]
    before = [240, 300, 180, 210]
    after = [45, 50, 20, 40]
    legend = [(GREY, "Before Poupatempo (1996)"), (BLUE, "In a Poupatempo centre (2011)")]
    c = Chart(services + [n for _, n in legend] + ["Minutes"], "en")
    box = (150, 170, WIDTH - 50, HEIGHT - 80)
    c.grid(box, 0, 320, 80, "{:g}")
    x0, y0, x1, y1 = box
    c.legend(legend, 45)
    c.put(x0 - 16, y0 - 40, "Minutes", LABEL, MUTED, align="left")
    bar = (x1 - x0) / len(services) * 0.3
    for cx, name, b, a in zip(c.slots(box, len(services)), services, before, after):
        for offset, value, colour in ((-bar / 2 - 4, b, GREY), (bar / 2 + 4, a, BLUE)):
            top = y1 - (y1 - y0) * value / 320
            c.pen.rectangle([cx + offset - bar / 2, top, cx + offset + bar / 2, y1 - 2], fill=colour)
            c.put(cx + offset, top - 12, str(value), VALUE, INK, 700)
        c.put(cx, y1 + 46, name, LABEL)
    return c.image


def zajel_adoption() -> Image.Image:
    halves = [("النصف الأول", "2010"), ("النصف الثاني", "2010"), ("النصف الأول", "2011"), ("النصف الثاني", "2011"),
              ("النصف الأول", "2012"), ("النصف الثاني", "2012")]
    letters = [3, 9, 17, 26, 34, 41]  # thousands a month
    agencies = [5, 14, 25, 38, 47, 55]
    unit = "آلاف المراسلات شهرياً"
    notes = [f"{a} جهة" for a in agencies]
    c = Chart([h for h, _ in halves] + notes + [unit], "ar", rtl=True)
    box = (60, 90, WIDTH - 120, HEIGHT - 170)
    c.grid(box, 0, 50, 10, "{:g}")
    x0, y0, x1, y1 = box
    c.put(x1 + 16, y0 - 40, unit, LABEL, MUTED, align="right")
    bar = (x1 - x0) / len(halves) * 0.55
    for cx, (half, year), value, note in zip(c.slots(box, len(halves)), halves, letters, notes):
        top = y1 - (y1 - y0) * value / 50
        c.pen.rectangle([cx - bar / 2, top, cx + bar / 2, y1 - 2], fill=BLUE)
        c.put(cx, top - 12, str(value), VALUE, INK, 700)
        c.put(cx, y1 + 44, year, LABEL)
        c.put(cx, y1 + 84, half, TICK)
        c.put(cx, y1 + 124, note, TICK, MUTED)
    return c.image


def ma_budget_coverage() -> Image.Image:
    years = [str(y) for y in range(2005, 2013)]
    departments = [4, 9, 17, 21, 25, 26, 27, 27]
    unit = "Départements ministériels couverts"
    c = Chart(years + [unit], "fr")
    box = (130, 90, WIDTH - 50, HEIGHT - 90)
    c.grid(box, 0, 30, 5, "{:g}")
    x0, y0, x1, y1 = box
    c.put(x0 - 16, y0 - 40, unit, LABEL, MUTED, align="left")
    bar = (x1 - x0) / len(years) * 0.55
    for cx, year, value in zip(c.slots(box, len(years)), years, departments):
        top = y1 - (y1 - y0) * value / 30
        c.pen.rectangle([cx - bar / 2, top, cx + bar / 2, y1 - 2], fill=ORANGE)
        c.put(cx, top - 12, str(value), VALUE, INK, 700)
        c.put(cx, y1 + 46, year, LABEL)
    return c.image


# (path relative to the project (the series folder), drawing function); the suffix selects the format.
IMAGES = [
    ("2012/entries/preventing-corruption/images/kr-integrity-scores.png", kr_integrity_scores),
    ("2012/entries/service-delivery/images/poupatempo-waiting-times.png", poupatempo_waiting_times),
    ("2012/entries/knowledge-management/images/zajel-adoption.png", zajel_adoption),
    ("2012/entries/gender-responsive/images/ma-budget-coverage.png", ma_budget_coverage),
]


def save(img: Image.Image, path: Path) -> None:
    """A palette PNG (flat colours, anti-aliased text kept in 128 shades): no text chunks, no timestamp."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pal = img.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pal.save(path, "PNG", optimize=False, dpi=(PPI, PPI))


def main() -> int:
    for rel, draw in IMAGES:
        path = ROOT / rel
        save(draw(), path)
        print(f"{rel}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
