"""PDF render, warnings: what the PDF could not print as typed, located where it was typed.

The model gives each field's value its line and column (Entry.where); within the value, the
warning points at the first character concerned when it can be found in the file as typed.
"""
from __future__ import annotations

from pathlib import Path

from compendium.book.scripts import is_cjk
from compendium.model import Issue, Source
from compendium.render.fonts import CJK_EXTRA, FAMILIES


def _in_text(path: Path, rel: str, pos: tuple[int, int], needle: str) -> Source:
    """The first `needle` in the file at or after `pos` (1-based line, column), else `pos`."""
    if not needle:
        return Source(rel, *pos)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return Source(rel, *pos)
    for n in range(pos[0] - 1, len(lines)):
        col = lines[n].find(needle, pos[1] - 1 if n == pos[0] - 1 else 0)
        if col >= 0:
            return Source(rel, n + 1, col + 1)
    return Source(rel, *pos)


def glyph_warnings(root: Path, missing: dict[tuple[Source, str], list[str]], cjk_ok: bool,
                   absent: dict[str, str]) -> list[Issue]:
    """One pdf.glyph warning per field with characters no font has (they print as empty boxes), at the
    line and column of the first such character when it is found in the file, else of the value."""
    issues = []
    for (where, field), chars in sorted(missing.items()):
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars[:8]) + (" ..." if len(chars) > 8 else "")
        message = f"{field or 'text'}: no font has a glyph for {shown}; the PDF shows empty boxes there"
        if not cjk_ok and any(is_cjk(c) for c in chars):
            message += f"; Chinese text needs the optional font: {CJK_EXTRA}"
        hints = sorted({cmd for fam, cmd in absent.items() if fam != "cjk"
                        and any(FAMILIES[fam].serves(c) for c in chars)})
        if hints:
            message += "; install its font: " + ", ".join(f"`{h}`" for h in hints)
        at = _in_text(root / where.path, where.path, (where.line, where.col), chars[0]) if where.line else where
        issues.append(Issue(at, "warning", "pdf.glyph", message))
    return issues
