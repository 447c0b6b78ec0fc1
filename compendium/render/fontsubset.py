"""Render support: static, subset font files cut from the variable Noto fonts, cached in the build cache.

The EPUB embeds them (only the characters the book prints) and the cover draws with them. A face is
the variable font subset to the characters and instanced at a weight in one step by HarfBuzz's
subsetter (render.fonts.cut: every OpenType layout feature kept, so HarfBuzz and reading systems
still shape Arabic and place marks; ~0.1 s a face, where fontTools took seconds).

Faces are kept in the per-user font cache (compendium.render.fonts.cache_root), keyed by content,
so every build and every project on the machine shares them. Outside Chinese, Japanese and Korean,
a face keeps whole blocks of 128 code points around the characters printed: books in the same
scripts then share their faces, and a new entry rarely means a new cut. Ideographs are kept one by
one (a block of them would weigh megabytes).

With `glyph_codes`, every glyph of the face is also reachable from a private-use code point
(U+F0000 + glyph id): Pillow's FreeType rendering then draws the very glyphs HarfBuzz chose
(joined Arabic forms, ligatures) without a system shaping library (compendium.render.raster).
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

CACHE_VERSION = "6"
BLOCK = 128
GLYPH_CODE_BASE = 0xF0000  # Supplementary Private Use Area-A: 65,534 code points, one per glyph id


def coverage(chars: str) -> str:
    """The characters a face keeps for `chars`: each one's whole block of 128 code points, except
    ideographs and syllables (CJK) and characters beyond the first plane (emoji), kept one by one."""
    from compendium.book.scripts import is_cjk

    one_by_one = {c for c in chars if is_cjk(c) or ord(c) > 0xFFFF}  # ideographs, emoji: blocks would weigh MB
    keep = set(one_by_one)
    blocks = {ord(c) // BLOCK for c in chars if c not in one_by_one and not c.isspace()} | {0}
    keep |= {chr(cp) for b in blocks for cp in range(b * BLOCK, (b + 1) * BLOCK) if not 0xD800 <= cp <= 0xDFFF}
    return "".join(sorted(keep))


def static_subset(source: Path, chars: str, location: dict[str, float], stem: str, glyph_codes: bool = False,
                  cache_dir: Path | None = None) -> Path:
    """A static TTF of `source` holding the glyphs of `chars` (see coverage), instanced at `location`.

    Inputs: the variable (or static) font file; the characters printed; axis values such as
    {"wght": 700.0}; a file-name stem ("NotoSansArabic-Bold"); a cache folder (default: the user's
    font cache). Output: the path of the cached file (`<cache>/subsets/<key>/<stem>.ttf`), written
    atomically, the same bytes for the same inputs. Raises OSError when the cache cannot be written.
    """
    from compendium.render.fonts import cache_root

    kept = coverage(chars)
    stat = source.stat()
    recipe = "\n".join([CACHE_VERSION, source.name, str(stat.st_size), str(stat.st_mtime_ns), repr(sorted(location.items())),
                        str(glyph_codes), kept])
    key = hashlib.sha256(recipe.encode("utf-8")).hexdigest()[:20]
    target = (cache_dir or cache_root()) / "subsets" / key / f"{stem}.ttf"
    if not target.is_file():
        _cut(source, kept, location, target, glyph_codes)
    return target


def _cut(source: Path, chars: str, location: dict[str, float], target: Path, glyph_codes: bool) -> None:
    from compendium.render.fonts import cut

    # HarfBuzz's subsetter (render.fonts.cut): subset and instance in one step, every layout feature
    # and name record kept; ~0.1 s a face where fontTools' subsetter and instancer took seconds
    font = cut(str(source), [ord(c) for c in set(chars) if not c.isspace() or c == " "],
               weight=location.get("wght"), all_features=True, name_ids=None, location=location)
    font.recalcTimestamp = False
    if glyph_codes:
        _add_glyph_codes(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".ttf", dir=target.parent)
    os.close(fd)
    try:
        font.save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)  # atomic: a concurrent build never reads half a font
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _add_glyph_codes(font) -> None:  # font: fontTools.ttLib.TTFont
    """Map U+F0000 + glyph id to every glyph, in a format 12 (3, 10) cmap that FreeType prefers."""
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    order = font.getGlyphOrder()
    best = dict(font.getBestCmap() or {})
    best.update({GLYPH_CODE_BASE + gid: name for gid, name in enumerate(order)})
    table = CmapSubtable.newSubtable(12)
    table.platformID, table.platEncID, table.language = 3, 10, 0
    table.cmap = best
    cmap = font["cmap"]
    cmap.tables = [t for t in cmap.tables if not (t.platformID == 3 and t.platEncID == 10)] + [table]
