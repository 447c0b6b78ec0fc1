"""PDF render, fonts: register the Noto faces with reportlab and pick a font per run of text by script.

reportlab has no font fallback: a character missing from the paragraph's font prints as an empty
box. So every text string is cut into runs, each run in the first font of a fallback chain that
has a glyph for it (serif → sans → Arabic → Chinese). Characters no font has are reported.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from compendium.render import fonts

_SUFFIX = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}
# Fallback order for each base family; the base comes first, then the other base family, then
# the script families (fonts.SCRIPT_FAMILIES) that the book loaded.
BASES: dict[str, tuple[str, ...]] = {"serif": ("serif", "sans"), "sans": ("sans", "serif")}
PICTURE_FAMILIES = frozenset({"symbols", "emoji"})
# a script's sans family → its serif (book) family, preferred in serif text when the book loads it
SERIF_FACES: dict[str, str] = {"arabic": "naskh"}


# Bidi controls (LRM, RLM, embeddings, overrides, isolates, ALM): the lines are already reordered
# (pdf_bidi), so they have no job left in the PDF, and some fonts would draw them as boxes.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _invisible(ch: str) -> bool:
    """Format and control characters (ZWJ, bidi marks, variation selectors...): no glyph needed."""
    cat = unicodedata.category(ch)
    return cat in ("Cf", "Cc", "Zl", "Zp") or 0xFE00 <= ord(ch) <= 0xFE0F


@dataclass
class FontBook:
    """The registered families and their character coverage."""

    families: dict[str, str] = field(default_factory=dict)  # "serif" → reportlab family "NotoSerif"
    cover: dict[str, frozenset[int] | dict[int, int]] = field(default_factory=dict)
    absent: dict[str, str] = field(default_factory=dict)  # a script family the book needs → how to install it
    _pick_cache: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def chain(self, base: str) -> tuple[str, ...]:
        """The fallback order of `base` ("serif" or "sans", or a script family): loaded families only.

        A serif text takes a script's book face first where the book has one (Arabic: Naskh), a sans
        text the script's sans face (SERIF_FACES); each only when it is loaded.
        """
        first = BASES.get(base, (base, "sans", "serif"))
        rest = [f for f in fonts.SCRIPT_FAMILIES if f in self.families and f not in first]
        for sans, serif in SERIF_FACES.items():
            if sans in rest and serif in rest:
                rest.remove(serif)
                if base == "serif":
                    rest.insert(rest.index(sans), serif)
        return first + tuple(rest)

    def name(self, family: str, style: str = "regular") -> str:
        """reportlab font name of a face, e.g. NotoSerif-Bold (families without italics map to upright)."""
        base = self.families[family]
        if style not in fonts.styles_of(family):
            style = "bold" if "bold" in style else "regular"
        return f"{base}-{_SUFFIX[style]}"

    def path(self, font_name: str) -> str:
        """The file a registered face was loaded from ("" when unknown): part of the shaping cache key."""
        return getattr(pdfmetrics.getFont(font_name), "_compendium_path", "")

    def has(self, family: str, ch: str) -> bool:
        return family in self.cover and ord(ch) in self.cover[family]

    def pick(self, ch: str, base: str) -> str | None:
        """The first family of `base`'s chain with a glyph for `ch`, or None."""
        key = (ch, base)
        if key not in self._pick_cache:
            self._pick_cache[key] = next((f for f in self.chain(base) if self.has(f, ch)), None)
        return self._pick_cache[key]

    def runs(self, text: str, base: str) -> tuple[list[tuple[str, str]], list[str]]:
        """Cut `text` into (family, text) runs; also return the characters that no font has.

        Spaces, digits and punctuation stay in the current run's font when it has them, so an
        Arabic sentence is one run rather than one run per word.
        """
        if text.isascii() or self._all_in(text, base):
            return [(base, text)], []
        out: list[tuple[str, str]] = []
        missing: list[str] = []
        cur = base
        buf: list[str] = []
        for ch in text:
            if ch in "\t\n\r":
                ch = " "
            elif ch in _BIDI_CONTROLS:
                continue
            # letters go to their script's preferred font; the rest stays put when it can, and so
            # does whatever continues a cluster (after a joiner; a selector, a skin tone, a tag)
            stay = (not _is_letter(ch) or (buf and buf[-1] == "\u200d") or _continues(ch)) and self.has(cur, ch)
            if ch == " " and cur in PICTURE_FAMILIES:
                stay = False  # a symbol font's space is as wide as its pictures
            fam: str | None = cur if stay else self.pick(ch, base)
            if fam is None:
                if not _invisible(ch):
                    missing.append(ch)
                    buf.append(ch)  # keep it: the build warns, and the text stays searchable
                continue
            if fam != cur:
                if buf:
                    out.append((cur, "".join(buf)))
                buf, cur = [], fam
            buf.append(ch)
        if buf:
            out.append((cur, "".join(buf)))
        return out, missing


    def _all_in(self, text: str, base: str) -> bool:
        """Whether `runs` would give `text` as one run of `base`: each of its characters is one that
        `base` sets itself (pick), none a control to drop or a tab to turn into a space. Most text
        holds a few characters beyond ASCII (typographic quotes, dashes, accents): this looks at each
        distinct character once instead of walking the text character by character."""
        if base in PICTURE_FAMILIES:
            return False
        for ch in set(text):
            if ch in "\t\n\r" or ch in _BIDI_CONTROLS or self.pick(ch, base) != base:
                return False
        return True


def _continues(ch: str) -> bool:
    """A character that only modifies the one before it: a variation selector, a skin tone, a tag."""
    o = ord(ch)
    return 0xFE00 <= o <= 0xFE0F or 0x1F3FB <= o <= 0x1F3FF or 0xE0020 <= o <= 0xE007F or 0xE0100 <= o <= 0xE01EF


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM"


def needed_families(text: str, covered: dict[int, int] | None = None) -> list[str]:
    """The script families (fonts.SCRIPT_FAMILIES) serving characters of `text` that `covered`
    (the base faces' character maps) lacks."""
    chars = {ch for ch in set(text) if not ch.isascii() and (covered is None or ord(ch) not in covered)
             and not _invisible(ch)}
    return [f for f in fonts.SCRIPT_FAMILIES if any(fonts.FAMILIES[f].serves(ch) for ch in chars)]


def _register(book: FontBook, family: str, path_of: dict[tuple[str, str], Path]) -> None:
    src = fonts.FAMILIES[family]
    book.families[family] = src.name
    for style in fonts.styles_of(family):
        name = f"{src.name}-{_SUFFIX[style]}"
        path = str(path_of[(family, style)])
        registered = pdfmetrics._fonts.get(name)
        if registered is None or getattr(registered, "_compendium_path", "") != path:
            if registered is not None:
                registered.unregister()  # reportlab ignores a second registration under the same name
            face = TTFont(name, path)
            face._compendium_path = path  # a later build with other blocks registers its own cut
            pdfmetrics.registerFont(face)
    for style in fonts.STYLES:
        bold, italic = int("bold" in style), int("italic" in style)
        addMapping(src.name, bold, italic, book.name(family, style))
    book.cover[family] = pdfmetrics.getFont(book.name(family)).face.charToGlyph


def load(text: str, step: Callable[[str], None] = lambda message: None) -> tuple[FontBook, bool]:
    """Register the faces that `text` (everything the book prints) needs with reportlab.

    Serif and sans always; a script's family only when the text has characters of it that
    they lack (Chinese is large and optional). Each face is cut to the Unicode blocks the text
    uses (fonts.faces). Returns the book and whether Chinese is available; a script family
    whose package is not installed is listed in `FontBook.absent` with its pip command (its
    characters then count as missing glyphs). `step` hears what is being prepared (fonts.faces).
    """
    book = FontBook()
    text = "".join(sorted(set(text)))  # only which characters it holds matters: each once (10 MB -> 1 KB)
    base = fonts.faces(["serif", "sans"], text, step)
    for family in ("serif", "sans"):
        _register(book, family, base)
    covered = {**book.cover["sans"], **book.cover["serif"]}
    wanted = []
    for family in needed_families(text, covered):
        if fonts.available(family):
            wanted.append(family)
        else:
            book.absent[family] = fonts.FAMILIES[family].install
    if wanted:
        more = fonts.faces(wanted, text, step)
        for family in wanted:
            _register(book, family, more)
    return book, "cjk" not in book.absent
