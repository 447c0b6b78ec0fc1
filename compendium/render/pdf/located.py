"""PDF render, warnings: what the PDF could not print as typed, located at the field's line and column.

The model keeps only each file's path, so a warning's place is found again, when there is one
to give, by reading that file's positioned YAML (compendium.input.load): the value of the field
("sections.problem", "images[1].caption"), and within it the line and column of the first
character concerned when it can be found in the file as typed.
"""
from __future__ import annotations

import re
from pathlib import Path

from compendium.book.scripts import is_cjk
from compendium.input.load import RawList, RawMap, read_yaml
from compendium.model import Issue, Source
from compendium.render.fonts import CJK_EXTRA, FAMILIES

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def locate(root: Path, rel: str, field: str, needle: str = "") -> Source:
    """The Source of `field` in the YAML file `rel` below `root` (1-based line and column).

    With `needle`, the position of its first occurrence at or after the field's value. Falls
    back to the file alone when the file or the field cannot be found (never raises).
    """
    path = root / rel
    if not rel.endswith((".yaml", ".yml")):
        return _in_text(path, rel, (1, 1), needle)
    try:
        doc = read_yaml(path, root)
    except Exception:  # noqa: BLE001 - a warning's location is best effort
        return Source(rel)
    node, pos = doc.data, (1, 1)
    for name, index in _STEP.findall(field):
        if isinstance(node, RawMap) and name in node:
            pos = node.val_pos.get(name, node.key_pos.get(name, pos))
            node = node[name]
        elif isinstance(node, RawList) and index and int(index) < len(node):
            pos = node.item_pos[int(index)]
            node = node[int(index)]
        else:
            break
    return _in_text(path, rel, pos, needle)


def _in_text(path: Path, rel: str, pos: tuple[int, int], needle: str) -> Source:
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


def glyph_warnings(root: Path, missing: dict[tuple[str, str], list[str]], cjk_ok: bool,
                   absent: dict[str, str]) -> list[Issue]:
    """One pdf.glyph warning per field with characters no font has (they print as empty boxes)."""
    issues = []
    for (path, field), chars in sorted(missing.items()):
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars[:8]) + (" ..." if len(chars) > 8 else "")
        message = f"{field or 'text'}: no font has a glyph for {shown}; the PDF shows empty boxes there"
        if not cjk_ok and any(is_cjk(c) for c in chars):
            message += f"; Chinese text needs the optional font: {CJK_EXTRA}"
        hints = sorted({cmd for fam, cmd in absent.items() if fam != "cjk"
                        and any(FAMILIES[fam].serves(c) for c in chars)})
        if hints:
            message += "; install its font: " + ", ".join(f"`{h}`" for h in hints)
        issues.append(Issue(locate(root, path, field, chars[0]), "warning", "pdf.glyph", message))
    return issues
