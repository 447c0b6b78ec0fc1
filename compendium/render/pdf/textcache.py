"""PDF render, kept text: a replayed page's lines of text, as the book wrote them, kept for the next build.

Replaying a display list (display.py) writes each line's runs in the document's codes: reportlab
numbers a font's glyphs in the order the document first meets them, and names its fonts (/F1,
/F2...) in the order it first uses them. That encoding is most of the time the book's writer
spends on a warm build (~2 s of one core for 4,000 pages). It depends on the page's display list
and on the document's encoding state when the page starts; so, per page of a unit (units.py):

- a **fingerprint** of the state: for each font the document has met, its internal name, how many
  characters it has assigned and a digest of them in the order assigned (reportlab's
  `assignments` dict keeps that order), and the order the document named its fonts;
- what the page **added** to the state: the characters each font assigned (in order), the fonts
  it named (in order);
- the **lines** as written (the strings emit_line appended to the page).

A later build that reaches the same page (same unit key: the same display list) with the same
fingerprint replays the page's additions (reportlab assigns the same codes to the same characters
in the same order; `adopt` first teaches a face the private-use codes of shaped glyphs) and
appends the kept lines. Any other state writes the page as usual and keeps it anew. So the PDF is
the same bytes whichever way a page was written (tests/render/pdf/test_units.py). What else the
page draws (links, pictures, marks, table cells drawn through canvas calls) is replayed as usual;
calls that encode text find their characters assigned already, with the same codes.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics

from compendium import kept
from compendium.render.pdf.shaping import adopt

Fingerprint = tuple[Any, ...]


@dataclass
class PageText:
    """One page's kept text: the state it started from, what it added, its lines as written."""

    before: Fingerprint
    assigned: tuple[tuple[str, str], ...]  # (font name, characters it assigned, in order)
    named: tuple[str, ...]  # fonts the document named on this page, in order
    lines: tuple[str, ...]


@dataclass
class UnitText:
    """The kept text of one unit's pages (`pages[i]` for its i-th page), read from and written to `path`."""

    path: Path
    pages: list[PageText | None] = field(default_factory=list)
    changed: bool = False

    @classmethod
    def load(cls, path: Path, count: int) -> UnitText:
        """The unit's kept text at `path` for its `count` pages (none kept: all None)."""
        found = kept.load(path, list)
        pages = found if found is not None and len(found) == count else [None] * count
        return cls(path, list(pages))

    def save(self) -> None:
        """Keep the pages written in this build (a cache that cannot be written costs time only)."""
        if self.changed:
            try:
                kept.store(self.path, self.pages)
            except OSError:
                pass


class PageWriter:
    """Writes one page's lines: from what an earlier build kept when the state matches, else as usual."""

    def __init__(self, unit: UnitText | None, index: int, doc: Any, lines: int) -> None:
        self.unit, self.index, self.doc = unit, index, doc
        self.lines: list[str] = []
        self.kept: PageText | None = None
        self.before: Fingerprint = ()
        self.counts: dict[str, int] = {}
        self.named = 0
        if unit is None:
            return
        self.before = fingerprint(doc)
        page = unit.pages[index]
        if page is not None and page.before == self.before and len(page.lines) == lines:
            for name, chars in page.assigned:
                adopt(name, chars)  # private-use codes of glyphs shaped elsewhere
                pdfmetrics.getFont(name).splitString(chars, doc)
            for name in page.named:
                font = pdfmetrics.getFont(name)
                if hasattr(font, "getSubsetInternalName"):
                    font.getSubsetInternalName(0, doc)
                else:
                    doc.getInternalFontName(name)
            self.kept = page
        else:
            self.counts = {font.fontName: len(state.assignments) for font, state in _states(doc)}
            self.named = len(doc.fontMapping)

    def line(self, n: int) -> str | None:
        """The n-th line of the page as kept, or None when it is to be written."""
        return self.kept.lines[n] if self.kept is not None else None

    def wrote(self, text: str) -> None:
        """The page's next line, as emit_line wrote it."""
        self.lines.append(text)

    def finish(self) -> None:
        """After the page's display list: keep what the page added, when it was written now."""
        if self.unit is None or self.kept is not None:
            return
        assigned = []
        for font, state in _states(self.doc):
            start = self.counts.get(font.fontName, 0)
            if len(state.assignments) > start:
                chars = "".join(chr(cp) for cp, _ in islice(state.assignments.items(), start, None))
                assigned.append((font.fontName, chars))
        named = tuple(islice(self.doc.fontMapping, self.named, None))
        self.unit.pages[self.index] = PageText(self.before, tuple(assigned), named, tuple(self.lines))
        self.unit.changed = True


def _states(doc: Any) -> list[tuple[Any, Any]]:
    """(font, its state in `doc`) for every registered TrueType font `doc` has met, by name."""
    out = []
    for name in sorted(pdfmetrics.getRegisteredFontNames()):
        font = pdfmetrics.getFont(name)
        states = getattr(font, "state", None)
        state = states.get(doc) if states is not None and hasattr(states, "get") else None
        if state is not None and hasattr(state, "assignments"):
            out.append((font, state))
    return out


def fingerprint(doc: Any) -> Fingerprint:
    """The document's encoding state (see the module doc), cheap to take page after page: each font's
    digest is carried forward over the characters it assigned since the last fingerprint."""
    memo: dict[str, tuple[int, str]] = doc.__dict__.setdefault("_compendium_codes", {})
    out: list[Any] = [tuple(doc.fontMapping)]
    for font, state in _states(doc):
        count = len(state.assignments)
        seen, digest = memo.get(font.fontName, (0, ""))
        if count != seen:
            new = list(islice(state.assignments.items(), seen, None))
            digest = hashlib.blake2b(f"{digest}{new!r}".encode(), digest_size=16).hexdigest()
            memo[font.fontName] = (count, digest)
        out.append((font.fontName, state.internalName, count, digest))
    return tuple(out)
