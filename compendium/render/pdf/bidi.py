"""PDF render, right-to-left text: Arabic letters joined, and each wrapped line put in visual order.

reportlab draws glyphs left to right, one per character, with no shaping. So Arabic is
reshaped to its contextual presentation forms (arabic_reshaper) *before* wrapping — the line
widths then measure the glyphs really drawn — and the Unicode bidi algorithm reorders each line
*after* wrapping, at draw time: reordering a whole paragraph first puts its lines in the wrong
order. `BidiParagraph` keeps the logical order for wrapping and splitting across pages.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from bidi import algorithm as uba
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import FragLine, ParaLines

from compendium.book.scripts import has_rtl


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    import arabic_reshaper

    # Keep the harakat (shadda, fatha...): they are characters of the text. Shifting them one
    # place makes each mark follow its letter once the line is reversed, so it is drawn over it.
    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "shift_harakat_position": True})


def reshape(text: str) -> str:
    """Arabic letters → their joined presentation forms (logical order kept); other text untouched."""
    if not has_rtl(text):
        return text
    return _reshaper().reshape(text)


def visual_order(text: str, base_dir: str) -> list[tuple[str, int]]:
    """(character, logical index) in display order for one line, characters mirrored as needed."""
    storage = uba.get_empty_storage()
    storage["base_level"] = uba.PARAGRAPH_LEVELS[base_dir]
    storage["base_dir"] = base_dir
    uba.get_embedding_levels(text, storage, False, False)
    for i, ch in enumerate(storage["chars"]):
        ch["index"] = i
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    return [(c["ch"], c["index"]) for c in storage["chars"]]


_OBJECT = "\ufffc"  # stands for a non-text fragment (inline image, anchor) during reordering


def _visual_fragline(line: FragLine, base_dir: str) -> FragLine:
    units: list[tuple[str, int]] = []
    for n, frag in enumerate(line.words):
        if getattr(frag, "cbDefn", None) is not None or not getattr(frag, "text", ""):
            units.append((_OBJECT, n))
        else:
            units.extend((ch, n) for ch in frag.text)
    order = visual_order("".join(u[0] for u in units), base_dir)
    words: list[Any] = []
    run: list[str] = []
    run_frag = -1

    def flush() -> None:
        if run_frag < 0:
            return
        frag = line.words[run_frag]
        if getattr(frag, "cbDefn", None) is not None or not getattr(frag, "text", ""):
            words.append(frag)
        else:
            words.append(frag.clone(text="".join(run)))

    for ch, index in order:
        n = units[index][1]
        if n != run_frag:
            flush()
            run, run_frag = [], n
        run.append(ch)
    flush()
    out = FragLine(**{k: v for k, v in line.__dict__.items() if k != "words"})
    out.words = words
    return out


def visual_lines(bl: ParaLines, base_dir: str) -> ParaLines:
    """A copy of a wrapped paragraph whose every line is in display order."""
    if bl.kind == 0:
        lines = []
        for extra, words in bl.lines:
            text = " ".join(words)
            if has_rtl(text) or base_dir == "R":
                text = "".join(ch for ch, _ in visual_order(text, base_dir))
            lines.append((extra, text.split(" ")))
    else:
        lines = [_visual_fragline(line, base_dir) for line in bl.lines]
    out = ParaLines(**{k: v for k, v in bl.__dict__.items() if k != "lines"})
    out.lines = lines
    return out


class BidiParagraph(Paragraph):
    """A Paragraph containing right-to-left text; `base_dir` 'R' for an RTL paragraph, 'L' otherwise."""

    base_dir = "L"

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.base_dir = self.base_dir
        return parts

    def drawPara(self, debug: int = 0) -> None:
        logical = self.blPara
        self.blPara = visual_lines(logical, self.base_dir)
        saved = getattr(self, "_offsets", None)
        if self.base_dir == "R" and self.style.alignment == TA_JUSTIFY:
            # reportlab sets the last line of a justified paragraph flush left; RTL wants it flush right
            self._offsets = self._rtl_last_line_offsets()
        try:
            super().drawPara(debug)
        finally:
            self.blPara = logical
            if saved is None:
                self.__dict__.pop("_offsets", None)
            else:
                self._offsets = saved

    def _rtl_last_line_offsets(self) -> list[float]:
        lines = self.blPara.lines
        justify_last = getattr(self, "_JustifyLast", False)
        offsets = []
        for i, line in enumerate(lines):
            if self.blPara.kind == 0:
                extra, broken = line[0], False
            else:
                extra, broken = line.extraSpace, bool(getattr(line, "lineBreak", False))
            last = (i == len(lines) - 1 and not justify_last) or broken
            offsets.append(extra if last else 0)
        return offsets
