"""Render (shared by the PDF and the EPUB): the generated cover, one design drawn once.

Used when the edition names no `cover` image. The design: the edition's kicker (initiatives and
countries), a short orange rule, the title and subtitle on the accent blue; a band with one colour
per region, as wide as its share of the entries (the palette of every chart); the award year,
large, and the publisher on the dark blue below. Text is set in Noto Sans (Noto Sans Arabic,
Noto Sans SC where the title needs them) with HarfBuzz shaping (compendium.render.raster), from
the start side of the book's direction.

It is drawn once per build, at print resolution for the PDF's page size (300 dpi): the PDF
places that picture on its first page, the EPUB a copy 1,600 px wide. Both files are kept in
the build cache under a key of everything drawn, so a second format, or the next build, reuses
them; a lock makes formats rendered in parallel wait for the first drawing instead of repeating it.
"""
from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from compendium.book.labels import labels
from compendium.book.stats import overview
from compendium.model import Book, Issue
from compendium.render.common import COVER_COLOURS, SERIES_COLOURS

DESIGN_VERSION = "1"
PRINT_DPI = 300
SCREEN_WIDTH = 1600  # px: e-book stores ask for at least 1,400 px on the short side
PAGE_POINTS: dict[str, tuple[float, float]] = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}
MM = 72 / 25.4
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 25 * MM, 26 * MM, 24 * MM  # the PDF's text block (pt)
BAND = 0.42  # height of the band above the foot of the page, as a share of the page
# sizes in pt (the PDF's cover styles): kicker and publisher, title, subtitle, year
KICKER, TITLE, TITLE_LEADING, SUB, SUB_LEADING, YEAR = 11, 34, 40, 14, 19, 64


def page_size(book: Book) -> str:
    """The PDF's page size option ('A4' or 'Letter'): the cover has the page's proportions."""
    from compendium.render import option_value

    return option_value(book.edition, "pdf", "page_size")


def cover_text(book: Book) -> dict[str, str]:
    """Every string the cover prints, by role."""
    ed = book.edition
    words = labels(ed.language)
    ov = overview(book)
    countries = len({e.country.alpha2 for e in book.entries})
    kicker = f"{words.count('initiatives', ov.total)} · {words.count('countries', countries)}"
    return {"kicker": kicker, "title": ed.title, "subtitle": ed.subtitle, "year": ed.label,
            "publisher": ed.publisher}


def _tools() -> str:
    """What else decides the pixels: the font files and the versions of Pillow and HarfBuzz."""
    import PIL
    import uharfbuzz

    from compendium.render.fonts import FAMILIES, variable_file

    files = [variable_file(FAMILIES[f]) for f in ("sans", "arabic", "cjk")]
    return repr([(f.name, f.stat().st_size) for f in files if f is not None] + [PIL.__version__, uharfbuzz.__version__])


def _key(book: Book, size: str) -> str:
    ov = overview(book)
    parts = [DESIGN_VERSION, size, book.edition.language, repr(sorted(cover_text(book).items())),
             repr(ov.column_totals), repr(COVER_COLOURS), repr(SERIES_COLOURS), _tools()]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:20]


def print_cover(book: Book, cache_dir: Path, warnings: list[Issue]) -> Path:
    """The cover as a PNG at 300 dpi for the PDF's page size (A4: 2,480 × 3,508 px), cached.

    Raises OSError when the cache cannot be written.
    """
    size = page_size(book)
    target = cache_dir / "cover" / f"{_key(book, size)}-print.png"
    with _locked(target):
        if not target.is_file():
            w_pt, h_pt = PAGE_POINTS.get(size, PAGE_POINTS["A4"])
            # a cache file only (the PDF deflates the pixels again, the EPUB's is scaled down): saved fast
            _save(_draw(book, w_pt, h_pt, PRINT_DPI / 72, warnings), target, compress_level=1)
    return target


def screen_cover(book: Book, cache_dir: Path, warnings: list[Issue]) -> Path:
    """The same cover 1,600 px wide for the EPUB, cached: drawn at that size (0.02 s), not scaled
    down from the print picture (drawing that and resampling it took 0.3 s, the EPUB's first step)."""
    size = page_size(book)
    target = cache_dir / "cover" / f"{_key(book, size)}-screen.png"
    with _locked(target):
        if not target.is_file():
            w_pt, h_pt = PAGE_POINTS.get(size, PAGE_POINTS["A4"])
            _save(_draw(book, w_pt, h_pt, SCREEN_WIDTH / w_pt, warnings), target)
    return target


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock beside `target` (formats render in parallel processes)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # no POSIX locks: at worst the cover is drawn twice, the same bytes
        yield
        return
    fd = os.open(target.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _save(image, target: Path, compress_level: int = 6) -> None:  # image: PIL.Image.Image
    tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    image.save(tmp, format="PNG", optimize=False, compress_level=compress_level)
    os.replace(tmp, target)


def _draw(book: Book, w_pt: float, h_pt: float, scale: float, warnings: list[Issue]):
    """The cover as a Pillow image (RGB) of (w_pt × h_pt) points at `scale` px per point."""
    from PIL import Image, ImageDraw

    from compendium.render.raster import TextSetter

    ed = book.edition
    text = cover_text(book)
    rtl = ed.dir == "rtl"
    setter = TextSetter("".join(text.values()), ed.language, warnings, ed.source)
    W, H = round(w_pt * scale), round(h_pt * scale)
    image = Image.new("RGB", (W, H), COVER_COLOURS["ground"])
    pen = ImageDraw.Draw(image)
    band_top = round(H * (1 - BAND))
    pen.rectangle((0, 0, W, band_top), fill=COVER_COLOURS["accent"])
    # the band: one colour per region, as wide as its share of the entries (all equal without entries)
    ov = overview(book)
    shares = list(ov.column_totals) if ov.total else [1] * len(ov.regions)
    total = sum(shares) or 1
    x = 0.0
    order = range(len(shares) - 1, -1, -1) if rtl else range(len(shares))
    band_h = round(10 * scale)
    for i in order:
        width = W * shares[i] / total
        pen.rectangle((round(x), band_top, round(x + width), band_top + band_h),
                      fill=SERIES_COLOURS[i % len(SERIES_COLOURS)])
        x += width
    side, measure = MARGIN_SIDE * scale, W - 2 * MARGIN_SIDE * scale
    start = W - side if rtl else side

    def lines(role: str, size: float, leading: float, weight: int, colour: str, top: float | None = None,
              bottom: float | None = None) -> tuple[float, float]:
        """Set a paragraph from `top` down (or up to `bottom`); returns its (top, bottom) in px."""
        found = setter.wrap(text[role], size * scale, weight, measure, rtl)
        height = len(found) * leading * scale
        y = top if top is not None else (bottom or 0) - height
        for n, line in enumerate(found):
            baseline = y + (n * leading + size) * scale  # the first baseline one size below the top
            setter.draw(image, start, baseline, line, size * scale, weight, colour, rtl, anchor_right=rtl)
        return y, y + height

    lines("kicker", KICKER, KICKER * 1.3, 700, COVER_COLOURS["white"], top=MARGIN_TOP * scale)
    y = band_top - 34 * scale
    if text["subtitle"]:
        top, _ = lines("subtitle", SUB, SUB_LEADING, 400, COVER_COLOURS["pale"], bottom=y)
        y = top - 16 * scale
    size = TITLE  # a long title steps down in size until it fits in five lines
    while size > 20 and len(setter.wrap(text["title"], size * scale, 700, measure, rtl)) > 5:
        size -= 4
    top, _ = lines("title", size, size * TITLE_LEADING / TITLE, 700, COVER_COLOURS["white"], bottom=y)
    rule_y = top - 18 * scale
    rule = (start - 60 * scale, rule_y, start, rule_y + 3 * scale) if rtl else (start, rule_y, start + 60 * scale,
                                                                               rule_y + 3 * scale)
    pen.rectangle(tuple(round(v) for v in rule), fill=SERIES_COLOURS[1])
    lines("year", YEAR, YEAR * 1.1, 700, COVER_COLOURS["year"], top=band_top + band_h + 24 * scale)
    if text["publisher"]:
        lines("publisher", KICKER, KICKER * 1.3, 700, COVER_COLOURS["white"], bottom=H - MARGIN_BOTTOM * scale)
    return image
