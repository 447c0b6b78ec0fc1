"""Render (EPUB): the book's typefaces, embedded as subsets — Noto Serif for the text and Noto Sans
for headings, labels, captions and tables (the PDF's faces), Noto Sans Arabic and Noto Sans SC
when the book prints those scripts — and the CSS that uses them.

Every face holds only the characters the book prints (compendium.render.fontsubset), so a book
in Latin script carries a few hundred kilobytes of fonts, not megabytes. Font stacks fall back
face by face: an Arabic word in an English paragraph is set in Noto Sans Arabic, a Latin acronym
in an Arabic one in Noto Sans. Languages whose script has no italics (compendium.book.voice)
are never slanted, and emphasis in them is bold.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from compendium.book.labels import labels
from compendium.book.scripts import has_arabic, has_cjk
from compendium.book.voice import voice
from compendium.model import Book, Issue
from compendium.render.common import printed_text
from compendium.render.fonts import FAMILIES, FamilySource, variable_file
from compendium.render.fontsubset import static_subset


@dataclass(frozen=True)
class FontSource:
    """A family of compendium.render.fonts.FAMILIES (the packages the PDF uses), its role in the book
    and its styles as (weight, italic)."""

    source: FamilySource
    scripts: tuple[str, ...] = ()  # ISO 15924 scripts it is the first choice for (book.voice.script)
    styles: tuple[tuple[int, bool], ...] = ((400, False), (700, False))
    serves: Callable[[str], bool] | None = None  # the characters a script face keeps (the base faces keep all)

    @property
    def family(self) -> str:  # CSS font-family
        return self.source.display


SERIF = FontSource(FAMILIES["serif"], (), ((400, False), (700, False), (400, True), (700, True)))
SANS = FontSource(FAMILIES["sans"])
ARABIC = FontSource(FAMILIES["arabic"], ("Arab",), serves=has_arabic)
# Arabic running text in Naskh, the book face of Arabic, as the PDF sets it; its headings and labels in the sans
NASKH = FontSource(FAMILIES["naskh"], ("Arab",), serves=has_arabic)
CHINESE_SC = FontSource(FAMILIES["cjk"], ("Hans", "Hant", "Hani", "Jpan"), serves=has_cjk)

BASE: tuple[FontSource, ...] = (SERIF, SANS)
# Arabic and Chinese are the first choice for text in their languages (:lang rules); every other
# script face the PDF has (Hebrew, Devanagari, Thai, Ethiopic, symbols, emoji...) is embedded when
# the book prints its characters and found by fallback in the font stacks.
OTHER_SCRIPTS: tuple[FontSource, ...] = tuple(
    FontSource(src, styles=((400, False),) if key in ("symbols", "emoji") else ((400, False), (700, False)),
               serves=src.serves)  # signs and emoji have no bold to show
    for key, src in FAMILIES.items() if key not in ("serif", "sans", "arabic", "naskh", "cjk") and src.ranges)
SCRIPTS: tuple[tuple[Callable[[str], bool], FontSource], ...] = (
    (has_arabic, ARABIC), (has_arabic, NASKH), (has_cjk, CHINESE_SC),
    *((lambda text, s=src: any(s.serves(c) for c in text), src) for src in OTHER_SCRIPTS))
# what is set in the sans family: headings, labels, captions, tables, lists of contents
SANS_SELECTORS = ("h1, h2, h3, h4, h5, h6, dl.entry-meta, div.follow-ups dl, dl.entry-links, figcaption, table, .contents, "
                  ".country-index, .part-number, .titlepage, .imprint, .detail, .table-note, figure.chart, nav, "
                  "div.summary, dl.abbreviations dt")


@dataclass(frozen=True)
class EmbeddedFont:
    path: Path
    family: str
    weight: int
    italic: bool


def book_text(book: Book) -> str:
    """Every character the book prints (render.printed_text: entry fields and the edition's own text)."""
    return "\n".join([*printed_text(book), *labels(book.edition.language).values()])


def needed(text: str) -> list[FontSource]:
    """The families a book with this text embeds: the base families, then the scripts present.

    Each script is looked for among the text's distinct characters (a few hundred), not through
    the whole text (8 MB for 1,000 entries: 21 scripts took 70 s of CPU, issue 12)."""
    chars = "".join(set(text))
    return [*BASE, *(src for present, src in SCRIPTS if present(chars))]


def embed_fonts(book: Book, warnings: list[Issue]) -> list[EmbeddedFont]:
    """Static, subset faces for the book's families (in the user's font cache); missing packages are warnings."""
    text = book_text(book)
    out: list[EmbeddedFont] = []
    sources = needed(text)
    if find_spec("fontTools") is None:
        warnings.append(Issue(book.edition.source, "warning", "epub.font",
                              "the EPUB's fonts cannot be embedded without fontTools; install it with: "
                              "pip install fonttools"))
        return out
    chars = "".join(sorted(set(text) - {"\n"})) + "0123456789"
    for src in sources:
        for weight, italic in src.styles:
            font = variable_file(src.source, italic=italic)
            if font is None:
                if (weight, italic) == src.styles[0]:
                    warnings.append(Issue(book.edition.source, "warning", "epub.font",
                                          f"the book has {src.family} text but the font is not installed, so some "
                                          f"readers may show empty boxes; install it with: {src.source.install}"))
                continue
            style = {(400, False): "Regular", (700, False): "Bold", (400, True): "Italic",
                     (700, True): "BoldItalic"}[(weight, italic)]
            # a script face keeps its script only: Latin text falls back to the base faces anyway
            mine = "".join(c for c in chars if src.serves(c)) if src.serves else chars
            path = static_subset(font, mine, {"wght": float(weight), "wdth": 100.0}, f"{src.source.name}-{style}")
            out.append(EmbeddedFont(path, src.family, weight, italic))
    return out


def font_css(fonts: list[EmbeddedFont], book: Book) -> str:
    """@font-face rules (paths as pandoc lays out the EPUB), the font stacks, and the rules that keep
    scripts without italics upright."""
    rules: list[str] = []
    for f in fonts:
        rules.append(f'@font-face {{\n  font-family: "{f.family}";\n  font-style: {"italic" if f.italic else "normal"};\n'
                     f'  font-weight: {"bold" if f.weight >= 700 else "normal"};\n  src: url("../fonts/{f.path.name}");\n}}')
    present = list(dict.fromkeys(f.family for f in fonts))
    scripts = [f for f in present if f not in (SERIF.family, SANS.family, NASKH.family)]  # fallbacks, face by face

    def stack(first: str, generic: str) -> str:
        names = [first] if first in present else []
        return ", ".join(f'"{n}"' for n in names + scripts) + (", " if names or scripts else "") + generic

    rules.append(f"body {{ font-family: {stack(SERIF.family, 'serif')}; }}")
    rules.append(f"{SANS_SELECTORS} {{ font-family: {stack(SANS.family, 'sans-serif')}; }}")
    languages = sorted(_languages(book))
    for src in (ARABIC, CHINESE_SC):
        mine = [lang for lang in languages if voice(lang).script in src.scripts]
        if src.family in present and mine:
            selector = ", ".join(f":lang({lang})" for lang in mine)
            fallback = f', "{SANS.family}"' if SANS.family in present else ""
            rules.append(f'{selector} {{ font-family: "{src.family}"{fallback}, sans-serif; }}')
            if src is ARABIC and NASKH.family in present:
                # running text in Naskh; what the sans sets (headings, labels, captions, the summary) in the
                # sans Arabic: the element itself, or inside it
                rules[-1] = f'{selector} {{ font-family: "{NASKH.family}", "{src.family}"{fallback}, serif; }}'
                sans = ", ".join(f"{s.strip()}:lang({lang}), {s.strip()} :lang({lang})"
                                 for s in SANS_SELECTORS.split(",") for lang in mine)
                rules.append(f'{sans} {{ font-family: "{src.family}"{fallback}, sans-serif; }}')
    upright = [lang for lang in languages if not voice(lang).italic]
    if upright:
        selector = ", ".join(f":lang({lang})" for lang in upright)
        rules.append(f"{selector} {{ font-style: normal !important; }}")
        rules.append(", ".join(f":lang({lang}) em" for lang in upright) + " { font-weight: bold; }")
    return "\n".join(rules) + "\n"


def _languages(book: Book) -> set[str]:
    """The languages the book is written in: its own and its entries'."""
    return {book.edition.language, *(e.language for e in book.entries if e.language)}
