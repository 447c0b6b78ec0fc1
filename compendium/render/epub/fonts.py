"""Render (EPUB): fonts for scripts an e-reader may lack (Arabic, Chinese), subset to the book's text.

Fonts come from PyPI packages (Noto, OFL). They are variable fonts: we subset first (to the
characters the book uses, keeping every OpenType layout feature so Arabic still joins), then
cut static regular and bold instances from the small subset — well under a second, where
instancing a whole CJK font takes far longer. Results are cached in the build cache, keyed by
the font file and the character set, so an unchanged book never redoes the work. A font is
embedded only when the book uses its script.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from compendium.book.labels import labels
from compendium.book.scripts import has_arabic, has_cjk
from compendium.model import Book, Issue
from compendium.render.common import printed_text
from compendium.render.fonts import FAMILIES, FamilySource, variable_file

FONT_CACHE_VERSION = "1"


@dataclass(frozen=True)
class FontSource:
    """A font of compendium.render.fonts.FAMILIES (the same packages the PDF uses) and the languages it serves."""

    source: FamilySource  # package, file name and install hint, shared with the PDF
    languages: tuple[str, ...]  # primary language subtags for the :lang() rule
    axes: tuple[tuple[str, float], ...] = ()  # fixed values of axes other than wght

    @property
    def key(self) -> str:  # file-name stem of the embedded faces
        return self.source.name

    @property
    def family(self) -> str:  # CSS font-family
        return self.source.display


ARABIC = FontSource(FAMILIES["arabic"], ("ar", "fa", "ur", "ps", "ku", "sd", "ug"), (("wdth", 100.0),))
CHINESE_SC = FontSource(FAMILIES["cjk"], ("zh",))

SCRIPTS: tuple[tuple[Callable[[str], bool], FontSource], ...] = ((has_arabic, ARABIC), (has_cjk, CHINESE_SC))
WEIGHTS = ((400, "Regular", "normal"), (700, "Bold", "bold"))


@dataclass(frozen=True)
class EmbeddedFont:
    path: Path
    family: str
    weight: int
    languages: tuple[str, ...]


def book_text(book: Book) -> str:
    """Every character the book prints (render.printed_text: entry fields and the edition's own text)."""
    return "\n".join([*printed_text(book), *labels(book.edition.language).values()])


def package_font(src: FontSource) -> Path | None:
    return variable_file(src.source)


def needed(text: str) -> list[FontSource]:
    return [src for present, src in SCRIPTS if present(text)]


def embed_fonts(book: Book, cache_dir: Path, warnings: list[Issue]) -> list[EmbeddedFont]:
    """Static, subset faces for every script of the book that needs one (cached)."""
    text = book_text(book)
    out: list[EmbeddedFont] = []
    sources = needed(text)
    if sources and find_spec("fontTools") is None:
        warnings.append(Issue(book.edition.source, "warning", "epub.font",
                              "fonts for Arabic or Chinese text cannot be embedded without fontTools; "
                              "install it with: pip install fonttools"))
        return out
    for src in sources:
        font = package_font(src)
        if font is None:
            warnings.append(Issue(book.edition.source, "warning", "epub.font",
                                  f"the book has {src.family} text but the font is not installed, so some readers "
                                  f"may show empty boxes; install it with: {src.source.install}"))
            continue
        chars = "".join(sorted(set(text) - {"\n"}))
        out.extend(_faces(src, font, chars, cache_dir))
    return out


def _faces(src: FontSource, font: Path, chars: str, cache_dir: Path) -> list[EmbeddedFont]:
    stat = font.stat()
    recipe = f"{FONT_CACHE_VERSION}\n{font.name}\n{stat.st_size}\n{stat.st_mtime_ns}\n{chars}"
    key = hashlib.sha256(recipe.encode()).hexdigest()[:20]
    folder = cache_dir / "epub-fonts" / key
    faces = [EmbeddedFont(folder / f"{src.key}-{style}.ttf", src.family, weight, src.languages)
             for weight, style, _ in WEIGHTS]
    if not all(f.path.is_file() for f in faces):
        _build_faces(src, font, chars, faces)
    return faces


def _build_faces(src: FontSource, font: Path, chars: str, faces: list[EmbeddedFont]) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    options = subset.Options()
    options.layout_features = ["*"]  # keep every feature: Arabic joining forms, ligatures, marks
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    variable = TTFont(str(font), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(variable)
    faces[0].path.parent.mkdir(parents=True, exist_ok=True)
    for face in faces:
        location = {"wght": float(face.weight), **dict(src.axes)}
        static = instancer.instantiateVariableFont(variable, location, inplace=False, updateFontNames=False)
        static.recalcTimestamp = False
        tmp = face.path.with_suffix(".tmp")
        static.save(str(tmp))
        tmp.replace(face.path)  # atomic: a concurrent build never reads half a font


def font_css(fonts: list[EmbeddedFont]) -> str:
    """@font-face rules (paths as pandoc lays out the EPUB) and :lang() rules that use them."""
    rules: list[str] = []
    families: dict[str, tuple[str, ...]] = {}
    for f in fonts:
        style = "bold" if f.weight >= 700 else "normal"
        rules.append(f'@font-face {{\n  font-family: "{f.family}";\n  font-style: normal;\n  font-weight: {style};\n'
                     f'  src: url("../fonts/{f.path.name}");\n}}')
        families[f.family] = f.languages
    for family, langs in families.items():
        selector = ", ".join(f":lang({lang})" for lang in langs)
        rules.append(f'{selector} {{\n  font-family: "{family}", sans-serif;\n}}')
    return "\n".join(rules) + "\n" if rules else ""
