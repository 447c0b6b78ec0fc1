"""PDF render, styles: page geometry, colours and the paragraph styles of the book."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from compendium.render.common import COVER_COLOURS, SERIES_COLOURS
from compendium.render.pdf.fonts import FontBook


def cmyk(hex_colour: str) -> colors.CMYKColor:
    """A colour of the palette as process colours (DeviceCMYK), so that a printer separates it as
    defined here: the plain (uncalibrated) conversion from its sRGB value, key first (K = 1 - max)."""
    rgb = colors.HexColor(hex_colour)
    r, g, b = rgb.red, rgb.green, rgb.blue
    k = 1 - max(r, g, b)
    if k >= 1:
        return colors.CMYKColor(0, 0, 0, 1)
    return colors.CMYKColor(*(round((1 - v - k) / (1 - k), 3) for v in (r, g, b)), round(k, 3))


# The book's colours in CMYK: text in black ink alone (K 100: sharp at 10.5 pt, no registration to
# miss), greys in black ink alone, blues and tints as defined process colours. Pictures and the
# chart's region colours stay RGB (the printer's output profile converts them).
ACCENT = cmyk(COVER_COLOURS["accent"])  # UN-like blue: headings, rules, links (the cover's too)
ACCENT_DARK = cmyk(COVER_COLOURS["ground"])
TINT = cmyk("#EDF3F8")  # the summary's panel
INK = colors.CMYKColor(0, 0, 0, 1)  # text: 100 % K
MUTED = colors.CMYKColor(0, 0, 0, 0.7)  # secondary text: 70 % K
RULE = cmyk("#C9D3DC")
SERIES = [colors.HexColor(c) for c in SERIES_COLOURS]  # one colour per region (render.SERIES_COLOURS)

PAGE_SIZES = {"A4": A4, "Letter": LETTER}


MEASURE = 124 * mm  # the text block's width: 60–75 characters of the 10.5 pt body face (Bringhurst 2.1.2)
INNER_SHARE = 0.4  # of the side margins, the inner (binding) one gets this share, the outer the rest


@dataclass(frozen=True)
class Geometry:
    """Page size, the text block and the margins, in points; the running head and foot sit in the margins.

    Two-sided (print): the inner margin is the narrower, so the text block sits towards the
    spine on both pages of a spread; `left(page)` gives the text block's left edge of a page.
    Single-sided (screen): the text block is centred on every page.
    """

    width: float
    height: float
    inner: float
    outer: float
    top: float = 24 * mm
    bottom: float = 27 * mm
    two_sided: bool = True

    @property
    def frame_width(self) -> float:
        return self.width - self.inner - self.outer

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def right(self) -> float:
        return self.outer

    def left(self, page: int = 1) -> float:
        """The text block's left edge on physical page `page` (1-based; odd pages are rectos)."""
        if not self.two_sided:
            return (self.inner + self.outer) / 2
        return self.inner if page % 2 == 1 else self.outer


def geometry(page_size: str, two_sided: bool = True) -> Geometry:
    """The page geometry for a page size name ("A4", "Letter") and sidedness."""
    w, h = PAGE_SIZES.get(page_size, A4)
    measure = min(MEASURE, w - 40 * mm)
    spare = w - measure
    return Geometry(w, h, spare * INNER_SHARE, spare * (1 - INNER_SHARE), two_sided=two_sided)


@dataclass
class Styles:
    """Named paragraph styles; `variant()` derives right-to-left and Chinese versions on demand."""

    fonts: FontBook
    by_name: dict[str, ParagraphStyle] = field(default_factory=dict)
    _variants: dict[tuple[str, bool, bool, str], ParagraphStyle] = field(default_factory=dict)

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.by_name[name]

    def variant(self, name: str, rtl: bool = False, cjk: bool = False, lang: str = "") -> ParagraphStyle:
        """The style for right-to-left text (aligned right, ragged: never justified), Chinese text (not
        hyphenated; textflow breaks it between characters), or justified text in a language that pyphen can hyphenate
        (`lang`, a BCP 47 tag, stored as `hyphenationLang`)."""
        base = self.by_name[name]
        hyph = hyphenation_language(lang) if base.alignment == TA_JUSTIFY and not (rtl or cjk) else ""
        if not rtl and not cjk and not hyph:
            return base
        key = (name, rtl, cjk, hyph)
        if key not in self._variants:
            extra: dict[str, object] = {}
            if rtl:
                # Arabic is set ragged (flush right), as its lists are: justified by word spaces alone its
                # lines come out loose, and kashida (tatweel) justification is not available here
                extra["alignment"] = {TA_LEFT: TA_RIGHT, TA_RIGHT: TA_LEFT, TA_JUSTIFY: TA_RIGHT}.get(base.alignment,
                                                                                                       base.alignment)
                extra["leftIndent"], extra["rightIndent"] = base.rightIndent, base.leftIndent
            if hyph:
                extra["hyphenationLang"] = hyph
            self._variants[key] = ParagraphStyle("-".join(map(str, key)), parent=base, **extra)
        return self._variants[key]

    def family_of(self, name: str) -> tuple[str, bool, bool]:
        """(font family key, bold, italic) of a style, for picking fallback faces."""
        font = self.by_name[name].fontName
        family = "sans" if font.startswith(self.fonts.families["sans"] + "-") else "serif"
        return family, "Bold" in font, "Italic" in font


@lru_cache(maxsize=64)
def hyphenation_language(lang: str) -> str:
    """The pyphen dictionary for a BCP 47 tag ('en' → 'en_US', 'pt-BR' → 'pt_BR'), or '' (no hyphenation).

    Hyphenation is optional: without the pyphen package, justified text is simply not hyphenated.
    """
    if not lang:
        return ""
    try:
        import pyphen
    except ImportError:
        return ""
    tag = lang.replace("-", "_")
    primary = tag.split("_")[0].lower()
    for candidate in (tag, {"en": "en_US", "ru": "ru_RU"}.get(primary, primary), primary):
        if candidate in pyphen.LANGUAGES:
            return candidate
    return ""


def make_styles(fonts: FontBook) -> Styles:
    serif, serif_i = fonts.name("serif"), fonts.name("serif", "italic")
    sans, sans_b = fonts.name("sans"), fonts.name("sans", "bold")
    s = Styles(fonts)

    def add(name: str, **kw: object) -> None:
        parent = s.by_name.get(str(kw.pop("parent", "body")))
        s.by_name[name] = ParagraphStyle(name, parent=parent, **kw)

    s.by_name["body"] = ParagraphStyle("body", fontName=serif, fontSize=10.5, leading=15, textColor=INK,
                                       alignment=TA_JUSTIFY, spaceAfter=6)
    add("body-left", alignment=TA_LEFT)
    add("item", spaceAfter=2, alignment=TA_LEFT)
    add("quote", fontName=serif_i, textColor=ACCENT_DARK, alignment=TA_LEFT)
    add("code", fontName=sans, fontSize=8.5, leading=11.5, alignment=TA_LEFT, textColor=INK)
    add("cell", fontName=sans, fontSize=8.5, leading=11, alignment=TA_LEFT, spaceAfter=0)
    add("cell-head", parent="cell", fontName=sans_b, textColor=ACCENT_DARK)
    for align, value in (("center", TA_CENTER), ("right", TA_RIGHT)):  # Markdown table column alignment
        add(f"cell-{align}", parent="cell", alignment=value)
        add(f"cell-head-{align}", parent="cell-head", alignment=value)
    add("cell-head-small", parent="cell-head", fontSize=6.8, leading=8.5, alignment=TA_CENTER)
    add("summary", fontName=sans, fontSize=10.5, leading=15.5, textColor=ACCENT_DARK, alignment=TA_LEFT,
        leftIndent=14, rightIndent=14, spaceAfter=5)
    add("h-section", fontName=sans_b, fontSize=12.5, leading=16, textColor=ACCENT, spaceBefore=12, spaceAfter=5,
        alignment=TA_LEFT, keepWithNext=1)
    add("h-md", parent="h-section", fontSize=10.5, leading=14, textColor=INK, spaceBefore=8, spaceAfter=3)
    add("entry-kicker", fontName=sans_b, fontSize=8, leading=11, textColor=ACCENT, alignment=TA_LEFT, spaceAfter=4)
    add("entry-title", fontName=sans_b, fontSize=21, leading=25.5, textColor=INK, alignment=TA_LEFT, spaceAfter=4,
        keepWithNext=1)
    add("entry-sub", fontName=sans, fontSize=11, leading=14, textColor=MUTED, alignment=TA_LEFT, spaceAfter=6)
    add("abstract", fontName=serif, fontSize=9.5, leading=13.5, textColor=INK, alignment=TA_JUSTIFY, spaceAfter=4)
    add("figure-title", fontName=sans, fontSize=8.5, leading=11.5, textColor=INK, alignment=TA_LEFT, spaceAfter=4)
    add("figure-source", fontName=sans, fontSize=8, leading=10.5, textColor=MUTED, alignment=TA_LEFT)
    add("part-chapter", fontName=sans_b, fontSize=9, leading=13, textColor=ACCENT, alignment=TA_LEFT, spaceBefore=12,
        spaceAfter=3, keepWithNext=1)
    add("part-entry", fontName=serif, fontSize=10.5, leading=14, textColor=INK, alignment=TA_LEFT, keepWithNext=1,
        spaceAfter=0)
    add("part-entry-detail", fontName=sans, fontSize=8.5, leading=12, textColor=MUTED, alignment=TA_LEFT, spaceAfter=5)
    add("meta-label", fontName=sans_b, fontSize=7.5, leading=10.5, textColor=ACCENT, alignment=TA_LEFT, spaceAfter=0)
    add("meta-value", fontName=sans, fontSize=8.5, leading=11, textColor=INK, alignment=TA_LEFT, spaceAfter=0)
    add("caption", fontName=sans, fontSize=8, leading=10.5, textColor=MUTED, alignment=TA_LEFT, spaceBefore=3,
        spaceAfter=10)
    add("small", fontName=sans, fontSize=8.5, leading=12, textColor=INK, alignment=TA_LEFT, spaceAfter=2)
    add("small-label", parent="small", fontName=sans_b, textColor=ACCENT, spaceBefore=6)
    add("part-label", fontName=sans_b, fontSize=11, leading=14, textColor=ACCENT, alignment=TA_LEFT, spaceAfter=10)
    add("part-title", fontName=sans_b, fontSize=28, leading=33, textColor=INK, alignment=TA_LEFT, spaceAfter=14, balance=1)
    add("part-desc", fontName=serif_i, fontSize=12, leading=17, textColor=MUTED, alignment=TA_LEFT, spaceAfter=18)
    add("part-toc", fontName=sans, fontSize=10, leading=15, textColor=INK, alignment=TA_LEFT, spaceAfter=0)
    add("chapter-title", fontName=sans_b, fontSize=10, leading=13, textColor=colors.white, alignment=TA_LEFT,
        backColor=ACCENT, borderPadding=(5, 8, 5, 8), spaceBefore=2, spaceAfter=16, keepWithNext=1)
    add("h1", fontName=sans_b, fontSize=22, leading=27, textColor=INK, alignment=TA_LEFT, spaceAfter=16, keepWithNext=1)
    add("h2", fontName=sans_b, fontSize=13, leading=17, textColor=ACCENT, alignment=TA_LEFT, spaceBefore=14,
        spaceAfter=6, keepWithNext=1)
    add("toc-part", fontName=sans_b, fontSize=10.5, leading=13, textColor=INK, alignment=TA_LEFT, spaceBefore=7,
        spaceAfter=1, balance=1)
    # the contents: a region (toc-chapter) in the indent beside its first entry, level with it
    add("toc-chapter", fontName=sans_b, fontSize=7.5, leading=11, textColor=ACCENT, alignment=TA_LEFT, leftIndent=12,
        spaceAfter=0)
    add("toc-entry", fontName=serif, fontSize=9, leading=11, textColor=INK, alignment=TA_LEFT, leftIndent=100,
        spaceBefore=2, spaceAfter=0.5)
    add("toc-front", parent="toc-part", spaceBefore=2)
    add("toc-back", parent="toc-part")  # the first line after the parts: a part's space above it
    # the indexes sit on a 13 pt grid (every line, head and gap a multiple of it), so that the baselines
    # of their two columns align
    add("index", fontName=serif, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT, leftIndent=12,
        firstLineIndent=-12, spaceAfter=0)
    add("index-sub", parent="index", fontSize=8.5, textColor=MUTED, leftIndent=24, firstLineIndent=-12)
    add("index-letter", fontName=sans_b, fontSize=10, leading=13, textColor=ACCENT, alignment=TA_LEFT, spaceBefore=13,
        spaceAfter=0, keepWithNext=1)
    add("index-term", fontName=sans_b, fontSize=9.5, leading=12.5, textColor=ACCENT, alignment=TA_LEFT, spaceBefore=8,
        spaceAfter=3, keepWithNext=1)
    add("title", fontName=sans_b, fontSize=30, leading=36, textColor=INK, alignment=TA_LEFT, spaceAfter=14)
    add("subtitle", fontName=sans, fontSize=14, leading=19, textColor=MUTED, alignment=TA_LEFT, spaceAfter=30)
    add("title-meta", fontName=sans, fontSize=11, leading=15, textColor=INK, alignment=TA_LEFT, spaceAfter=4)
    add("title-body", fontName=sans_b, fontSize=11, leading=15, textColor=ACCENT_DARK, alignment=TA_LEFT, spaceAfter=2)
    add("title-foot", fontName=sans_b, fontSize=11, leading=15, textColor=INK, alignment=TA_LEFT, spaceAfter=0)
    add("abbr", fontName=sans_b, fontSize=9.5, leading=14, textColor=INK, alignment=TA_LEFT, spaceAfter=0)
    add("abbr-long", fontName=serif, fontSize=10, leading=14, textColor=INK, alignment=TA_LEFT, spaceAfter=0)
    add("imprint", fontName=sans, fontSize=8.5, leading=12.5, textColor=INK, alignment=TA_LEFT, spaceAfter=6)
    add("running", fontName=sans, fontSize=7.5, leading=9, textColor=MUTED, alignment=TA_LEFT, spaceAfter=0)
    add("running-right", parent="running", alignment=TA_RIGHT)
    add("running-center", parent="running", alignment=TA_CENTER)
    add("cover-title", fontName=sans_b, fontSize=34, leading=40, textColor=colors.white, alignment=TA_LEFT)
    add("cover-sub", fontName=sans, fontSize=14, leading=19, textColor=colors.HexColor("#D6E4F0"), alignment=TA_LEFT)
    add("cover-year", fontName=sans_b, fontSize=64, leading=70, textColor=colors.HexColor("#7FA7C9"), alignment=TA_LEFT)
    add("cover-meta", fontName=sans_b, fontSize=11, leading=14, textColor=colors.white, alignment=TA_LEFT)
    add("cover-blurb", fontName=serif, fontSize=11, leading=16, textColor=colors.white, alignment=TA_LEFT)
    add("cover-spine", fontName=sans_b, fontSize=10, leading=12, textColor=colors.white, alignment=TA_LEFT)
    add("figure-note", parent="caption", alignment=TA_CENTER)
    add("chart-label", fontName=sans, fontSize=8, leading=10, textColor=INK, alignment=TA_LEFT, spaceAfter=0)
    add("chart-total", fontName=sans_b, fontSize=8, leading=10, textColor=INK, alignment=TA_LEFT, spaceAfter=0)
    add("table-title", fontName=sans_b, fontSize=9.5, leading=13, textColor=ACCENT, alignment=TA_LEFT, spaceBefore=6,
        spaceAfter=6, keepWithNext=1)
    add("chart-legend", fontName=sans, fontSize=7.5, leading=9, textColor=INK, alignment=TA_LEFT, spaceAfter=0)
    return s
