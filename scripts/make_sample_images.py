#!/usr/bin/env python3
"""Draw the illustrations of the sample edition (2012) with Pillow.

Everything is drawn from fixed numbers: no downloads, no randomness, no
timestamps and no metadata, so re-running the script writes byte-identical
files. The figures are illustrative, not official statistics.

Usage: python3 scripts/make_sample_images.py [PROJECT_ROOT]
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent

WIDTH, HEIGHT = 960, 540
BG = (255, 255, 255)
INK = (33, 37, 41)
GRID = (222, 226, 230)
UN_BLUE = (0, 158, 219)
DARK_BLUE = (0, 84, 147)
GREY = (160, 166, 173)
ORANGE = (230, 126, 34)


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in font (scalable when FreeType is available)."""
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1, or no FreeType: fixed-size bitmap font
        return ImageFont.load_default()


TITLE = font(26)
LABEL = font(17)
SMALL = font(14)


def canvas(title: str, subtitle: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGB", (WIDTH, HEIGHT), BG)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, WIDTH, 8], fill=UN_BLUE)
    d.text((40, 24), title, font=TITLE, fill=INK)
    d.text((40, 60), subtitle, font=SMALL, fill=GREY)
    return img, d


def centered(d: ImageDraw.ImageDraw, x: float, y: float, text: str, fnt, fill=INK) -> None:
    """Write `text` centred horizontally on x, with its top at y."""
    left, _, right, _ = d.textbbox((0, 0), text, font=fnt)
    d.text((x - (right - left) / 2, y), text, font=fnt, fill=fill)


def axes(d, box, vmax: float, step: float, fmt="{:g}") -> None:
    """Horizontal grid lines and value labels for a plot area box=(x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    v = 0.0
    while v <= vmax + 1e-9:
        y = y1 - (y1 - y0) * v / vmax
        d.line([x0, y, x1, y], fill=GRID, width=1)
        label = fmt.format(v)
        left, _, right, bottom = d.textbbox((0, 0), label, font=SMALL)
        d.text((x0 - 10 - (right - left), y - bottom / 2 - 1), label, font=SMALL, fill=GREY)
        v += step
    d.line([x0, y1, x1, y1], fill=INK, width=2)


def legend(d, x: int, y: int, items: list[tuple[tuple[int, int, int], str]]) -> None:
    for colour, text in items:
        d.rectangle([x, y + 3, x + 16, y + 19], fill=colour)
        d.text((x + 24, y + 1), text, font=LABEL, fill=INK)
        left, _, right, _ = d.textbbox((0, 0), text, font=LABEL)
        x += 24 + (right - left) + 30


def bar_chart(title, subtitle, labels, values, vmax, step, colour, note_fmt="{:g}", notes=None):
    img, d = canvas(title, subtitle)
    box = (100, 110, WIDTH - 50, HEIGHT - 70)
    axes(d, box, vmax, step)
    x0, y0, x1, y1 = box
    slot = (x1 - x0) / len(values)
    bar = slot * 0.6
    for i, (label, value) in enumerate(zip(labels, values)):
        cx = x0 + slot * (i + 0.5)
        top = y1 - (y1 - y0) * value / vmax
        d.rectangle([cx - bar / 2, top, cx + bar / 2, y1 - 1], fill=colour)
        centered(d, cx, top - 22, note_fmt.format(value), LABEL)
        centered(d, cx, y1 + 10, label, LABEL)
        if notes:
            centered(d, cx, y1 + 32, notes[i], SMALL, fill=GREY)
    return img


def kr_integrity_scores() -> Image.Image:
    years = ["2008", "2009", "2010", "2011"]
    scores = [8.20, 8.51, 8.62, 8.43]
    img, d = canvas(
        "Integrity Assessment: average score of public organizations",
        "Republic of Korea, ACRC, 10-point scale (axis from 7.5). Illustrative data.",
    )
    box = (100, 110, WIDTH - 60, HEIGHT - 70)
    x0, y0, x1, y1 = box
    lo, hi = 7.5, 9.0
    v = lo
    while v <= hi + 1e-9:
        y = y1 - (y1 - y0) * (v - lo) / (hi - lo)
        d.line([x0, y, x1, y], fill=GRID, width=1)
        label = f"{v:.2f}"
        left, _, right, bottom = d.textbbox((0, 0), label, font=SMALL)
        d.text((x0 - 10 - (right - left), y - bottom / 2 - 1), label, font=SMALL, fill=GREY)
        v += 0.25
    d.line([x0, y1, x1, y1], fill=INK, width=2)
    step = (x1 - x0) / len(years)
    points = [
        (x0 + step * (i + 0.5), y1 - (y1 - y0) * (s - lo) / (hi - lo)) for i, s in enumerate(scores)
    ]
    d.line(points, fill=DARK_BLUE, width=5, joint="curve")
    for (x, y), year, s in zip(points, years, scores):
        d.ellipse([x - 9, y - 9, x + 9, y + 9], fill=UN_BLUE, outline=DARK_BLUE, width=3)
        centered(d, x, y - 36, f"{s:.2f}", LABEL)
        centered(d, x, y1 + 10, year, LABEL)
    centered(d, points[-1][0], y1 + 32, "new questionnaire", SMALL, fill=ORANGE)
    return img


def poupatempo_waiting_times() -> Image.Image:
    services = ["Identity card", "Driving licence", "Criminal record", "Labour card"]
    before = [240, 300, 180, 210]
    after = [45, 50, 20, 40]
    img, d = canvas(
        "Poupatempo: average time to obtain a document (minutes)",
        "State of Sao Paulo, Brazil. Before the service centres and in 2011. Illustrative data.",
    )
    box = (100, 130, WIDTH - 50, HEIGHT - 60)
    vmax = 320
    axes(d, box, vmax, 80)
    x0, y0, x1, y1 = box
    slot = (x1 - x0) / len(services)
    bar = slot * 0.3
    for i, name in enumerate(services):
        cx = x0 + slot * (i + 0.5)
        for offset, value, colour in ((-bar / 2 - 3, before[i], GREY), (bar / 2 + 3, after[i], UN_BLUE)):
            top = y1 - (y1 - y0) * value / vmax
            d.rectangle([cx + offset - bar / 2, top, cx + offset + bar / 2, y1 - 1], fill=colour)
            centered(d, cx + offset, top - 22, str(value), LABEL)
        centered(d, cx, y1 + 10, name, LABEL)
    legend(d, WIDTH - 360, 92, [(GREY, "Before"), (UN_BLUE, "With Poupatempo")])
    return img


def poupatempo_service_flow() -> Image.Image:
    steps = [
        ("1", "Reception", "documents checked"),
        ("2", "Ticket", "numbered queue"),
        ("3", "Common counter", "agency attendant"),
        ("4", "Document", "issued on the spot"),
        ("5", "Rating", "citizen feedback"),
    ]
    img, d = canvas(
        "Poupatempo: one visit, five steps",
        "The standard service flow of every centre, whatever the agency behind the counter.",
    )
    n = len(steps)
    box_w, box_h, gap = 160, 150, 26
    total = n * box_w + (n - 1) * gap
    left = (WIDTH - total) / 2
    top = 180
    for i, (num, name, detail) in enumerate(steps):
        x = left + i * (box_w + gap)
        colour = DARK_BLUE if i == 2 else UN_BLUE
        d.rounded_rectangle([x, top, x + box_w, top + box_h], radius=18, fill=colour)
        cx = x + box_w / 2
        d.ellipse([cx - 20, top + 14, cx + 20, top + 54], fill=BG)
        centered(d, cx, top + 22, num, LABEL, fill=colour)
        centered(d, cx, top + 70, name, LABEL, fill=BG)
        centered(d, cx, top + 100, detail, SMALL, fill=BG)
        if i < n - 1:
            ax = x + box_w + 4
            ay = top + box_h / 2
            d.line([ax, ay, ax + gap - 10, ay], fill=INK, width=3)
            d.polygon([(ax + gap - 6, ay), (ax + gap - 16, ay - 7), (ax + gap - 16, ay + 7)], fill=INK)
    d.line([left, top + box_h + 50, left + total, top + box_h + 50], fill=GRID, width=2)
    centered(
        d,
        WIDTH / 2,
        top + box_h + 64,
        "Shared front office: one building, one queue, one code of conduct",
        LABEL,
    )
    return img


def zajel_adoption() -> Image.Image:
    periods = ["H1 2010", "H2 2010", "H1 2011", "H2 2011", "H1 2012", "H2 2012"]
    letters = [3, 9, 17, 26, 34, 41]  # thousands per month
    agencies = [5, 14, 25, 38, 47, 55]
    return bar_chart(
        "Zajel: official letters exchanged per month (thousands)",
        "Kingdom of Bahrain, eGovernment Authority. Grey figures: agencies connected. Illustrative data.",
        periods,
        letters,
        50,
        10,
        DARK_BLUE,
        notes=[f"{a} agencies" for a in agencies],
    )


def ma_budget_coverage() -> Image.Image:
    years = [str(y) for y in range(2005, 2013)]
    departments = [4, 9, 17, 21, 25, 26, 27, 27]
    return bar_chart(
        "Gender Budget Report: ministerial departments covered",
        "Kingdom of Morocco, Ministry of Economy and Finance. Illustrative data.",
        years,
        departments,
        30,
        5,
        ORANGE,
    )


# (path relative to the project (the series folder), drawing function); the suffix selects the format.
IMAGES = [
    ("2012/entries/preventing-corruption/images/kr-integrity-scores.jpg", kr_integrity_scores),
    ("2012/entries/service-delivery/images/poupatempo-waiting-times.png", poupatempo_waiting_times),
    ("2012/entries/service-delivery/images/poupatempo-service-flow.png", poupatempo_service_flow),
    ("2012/entries/knowledge-management/images/zajel-adoption.png", zajel_adoption),
    ("2012/entries/gender-responsive/images/ma-budget-coverage.png", ma_budget_coverage),
]


def save(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        # Baseline JPEG, no EXIF/ICC, fixed quality: deterministic bytes.
        img.save(path, "JPEG", quality=80, optimize=False, progressive=False, subsampling=2)
    else:
        # A palette PNG keeps these flat charts small; no text chunks, no timestamp.
        pal = img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        pal.save(path, "PNG", optimize=False)


def main() -> int:
    for rel, draw in IMAGES:
        path = ROOT / rel
        save(draw(), path)
        print(f"{rel}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
