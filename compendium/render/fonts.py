"""Fonts (render support): locate the Noto fonts installed from PyPI and make their static instances.

The Noto families on PyPI are variable fonts; PDF writers such as reportlab only use a font's
default instance, so bold would come out regular. We cut static instances (regular, bold,
italic, bold italic) with HarfBuzz's subsetter, which subsets and pins the axes in one step
(~10 ms a face; fontTools' subsetter and instancer took 2–6 s a face, 30–50 s for a first
build), and keep them in the user's cache folder (`$XDG_CACHE_HOME/compendium/fonts`, else
`~/.cache/compendium/fonts`), keyed by the source file's hash, the HarfBuzz and fontTools
versions and the Unicode blocks kept: never in the project. Each face keeps the blocks (128 code
points each) that the book prints, with the glyphs HarfBuzz's shaping features reach, so a new
word in the same scripts never makes the faces be cut again.

Coverage (scripts used as an official language by UN member states that a PyPI font package
covers): Latin, Greek, Cyrillic (Noto Serif, Noto Sans); Arabic (Noto Sans Arabic for headings and labels,
Noto Naskh Arabic for running text, pylopdf-fonts-ar); Hebrew,
Armenian, Georgian, Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada,
Malayalam, Sinhala, Thai, Lao, Myanmar, Khmer, Ethiopic, symbols and monochrome emoji
(manimgx-fonts, one package of Noto faces); Chinese, Japanese kana and Korean Hangul
(justmytype-intl-cjk, the optional `cjk` extra). Not covered (no package): Thaana (Dhivehi) and
Tibetan (Dzongkha); their characters are reported as missing glyphs.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from compendium.errors import BuildFailed

STYLES: tuple[str, ...] = ("regular", "bold", "italic", "bolditalic")
CJK_EXTRA = "pip install 'compendium[cjk]'"


@dataclass(frozen=True)
class FamilySource:
    """Where a family's variable font files come from (a Python package and file names)."""

    name: str  # PostScript family name, e.g. "NotoSerif"
    package: str  # importable package holding the files
    folder: str  # folder inside the package
    upright: str  # file name prefix of the upright file (before "[")
    italic: str = ""  # file name prefix of the italic file, "" when the family has none
    install: str = ""  # what to tell the user when the package is missing
    # the code points this family is loaded for (a script's blocks); () for the base families,
    # which are always loaded
    ranges: tuple[tuple[int, int], ...] = ()

    def serves(self, ch: str) -> bool:
        """Whether `ch` is in one of the script ranges this family is loaded for."""
        o = ord(ch)
        return any(a <= o <= b for a, b in self.ranges)

    @property
    def display(self) -> str:
        """Human family name: NotoSansSC → Noto Sans SC."""
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", self.name)


SCRIPTS_EXTRA = "pip install manimgx-fonts"


def _noto(name: str, *ranges: tuple[int, int]) -> FamilySource:
    """A Noto family from the manimgx-fonts package (OFL; one folder of variable fonts)."""
    return FamilySource(name, "manimgx_fonts", "", name, "", SCRIPTS_EXTRA, tuple(ranges))


FAMILIES: dict[str, FamilySource] = {
    "serif": FamilySource("NotoSerif", "fontpkg_noto_serif", "files", "NotoSerif", "NotoSerif-Italic",
                          "pip install fontpkg-noto-serif"),
    "sans": FamilySource("NotoSans", "fontpkg_noto_sans", "files", "NotoSans", "NotoSans-Italic",
                         "pip install fontpkg-noto-sans"),
    "arabic": FamilySource("NotoSansArabic", "fontpkg_noto_sans_arabic", "files", "NotoSansArabic", "",
                           "pip install fontpkg-noto-sans-arabic",
                           ranges=((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF),
                                   (0xFE70, 0xFEFF))),
    # Arabic running text (body, summary, captions): Naskh, the book face of Arabic; headings stay in the sans
    "naskh": FamilySource("NotoNaskhArabic", "pylopdf_fonts_ar", "", "NotoNaskhArabic-Variable", "",
                          "pip install pylopdf-fonts-ar",
                          ranges=((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF),
                                  (0xFE70, 0xFEFF))),
    "hebrew": _noto("NotoSansHebrew", (0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "armenian": _noto("NotoSansArmenian", (0x0530, 0x058F), (0xFB13, 0xFB17)),
    "georgian": _noto("NotoSansGeorgian", (0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)),
    "devanagari": _noto("NotoSansDevanagari", (0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    "bengali": _noto("NotoSansBengali", (0x0980, 0x09FF)),
    "gurmukhi": _noto("NotoSansGurmukhi", (0x0A00, 0x0A7F)),
    "gujarati": _noto("NotoSansGujarati", (0x0A80, 0x0AFF)),
    "oriya": _noto("NotoSansOriya", (0x0B00, 0x0B7F)),
    "tamil": _noto("NotoSansTamil", (0x0B80, 0x0BFF)),
    "telugu": _noto("NotoSansTelugu", (0x0C00, 0x0C7F)),
    "kannada": _noto("NotoSansKannada", (0x0C80, 0x0CFF)),
    "malayalam": _noto("NotoSansMalayalam", (0x0D00, 0x0D7F)),
    "sinhala": _noto("NotoSansSinhala", (0x0D80, 0x0DFF)),
    "thai": _noto("NotoSansThai", (0x0E00, 0x0E7F)),
    "lao": _noto("NotoSansLao", (0x0E80, 0x0EFF)),
    "myanmar": _noto("NotoSansMyanmar", (0x1000, 0x109F), (0xAA60, 0xAA7F)),
    "khmer": _noto("NotoSansKhmer", (0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "ethiopic": _noto("NotoSansEthiopic", (0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    # symbols (arrows, dingbats, ♀ ⚕) and emoji in monochrome outlines, with their joiner sequences
    "symbols": _noto("NotoSansSymbols", (0x2100, 0x2BFF), (0x1F100, 0x1F1FF)),
    "emoji": _noto("NotoEmoji", (0x2190, 0x2BFF), (0x1F000, 0x1FAFF), (0x1F1E6, 0x1F1FF), (0xE0020, 0xE007F)),
    # Simplified Chinese (with kana); large (17 MB), hence the optional extra.
    "cjk": FamilySource("NotoSansSC", "justmytype_intl_cjk", "fonts/ofl/notosanssc", "NotoSansSC", "",
                        CJK_EXTRA, ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
                                    (0x20000, 0x3FFFF))),
    "korean": FamilySource("NotoSansKR", "justmytype_intl_cjk", "fonts/ofl/notosanskr", "NotoSansKR", "",
                           CJK_EXTRA, ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))),
}
# the families for scripts (loaded when the book prints their characters), in fallback order
SCRIPT_FAMILIES: tuple[str, ...] = ("arabic", "naskh", "hebrew", "armenian", "georgian", "devanagari", "bengali", "gurmukhi",
                                    "gujarati", "oriya", "tamil", "telugu", "kannada", "malayalam", "sinhala", "thai",
                                    "lao", "myanmar", "khmer", "ethiopic", "korean", "cjk", "symbols", "emoji")
# code points every Latin face keeps, whatever the book prints: ASCII, Latin-1, Latin Extended-A,
# general punctuation (the book's own furniture: –, —, ·, …, •, quotes; joiners), variation selectors
BASE_BLOCKS: frozenset[int] = frozenset({0, 1, 2, 0x2000 >> 7, 0xFE00 >> 7})
_WEIGHT = {"regular": 400, "bold": 700, "italic": 400, "bolditalic": 700}
_FORMAT = "i4"  # bump when the way instances are made changes: the cache key then changes too


def cache_root() -> Path:
    """The per-user font cache folder (kept.user_cache: $XDG_CACHE_HOME/compendium/fonts)."""
    from compendium.kept import user_cache

    return user_cache("fonts")


def _package_dir(package: str) -> Path | None:
    try:
        spec = find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def variable_file(src: FamilySource, italic: bool = False) -> Path | None:
    """The variable font file for the upright or italic face, or None if not installed."""
    prefix = src.italic if italic else src.upright
    if not prefix:
        return None
    folder = _package_dir(src.package)
    if folder is None or not (folder / src.folder).is_dir():
        return None
    for path in sorted((folder / src.folder).iterdir()):
        # "NotoSerif[wdth,wght].ttf" (variable) or "NotoSerif-Regular.ttf" (static) — never "NotoSerif-Italic"
        # when looking for the upright face.
        if path.suffix.lower() == ".ttf" and (path.name.startswith(prefix + "[") or path.stem == prefix):
            return path
    return None


def available(family: str) -> bool:
    """Whether the package providing `family` is installed."""
    return variable_file(FAMILIES[family], italic=False) is not None


def styles_of(family: str) -> tuple[str, ...]:
    """The styles a family really has: families without italics get regular and bold only."""
    return STYLES if FAMILIES[family].italic else ("regular", "bold")


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def blocks_of(text: str) -> frozenset[int]:
    """The Unicode blocks (code point // 128) of `text`, plus BASE_BLOCKS: what an instance keeps."""
    return BASE_BLOCKS | {ord(ch) >> 7 for ch in set(text)}


def _blocks_key(blocks: frozenset[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(blocks))).encode()).hexdigest()[:10]


def _instance_path(family: str, style: str, source: Path, blocks: frozenset[int] | None) -> Path:
    import fontTools
    import uharfbuzz

    src = FAMILIES[family]
    tools = f"hb{uharfbuzz.__version__}-ft{fontTools.version}"
    key = f"{_digest(source)}-{tools}-{_FORMAT}-{_blocks_key(blocks) if blocks else 'all'}"
    return cache_root() / f"{src.name}-{style}-{key}.ttf"


def cut(source: str, unicodes: Iterable[int] | None = None, weight: float | tuple[float, float] | None = None,
        all_features: bool = False, name_ids: Iterable[int] | None = (),
        location: Mapping[str, float] | None = None) -> Any:
    """A subset of the (variable) font file `source`, cut by HarfBuzz's subsetter (hb-subset, through
    uharfbuzz), as a fontTools TTFont to name or save.

    unicodes:     the code points kept (None: all the font maps), with the glyphs the layout
                  features reach from them;
    weight:       a number pins the weight axis there (a static face); a (low, high) pair limits
                  it to that range (a smaller variable font); other axes (width...) are pinned to
                  their default either way; None leaves the axes alone;
    all_features: keep every OpenType layout feature, not only HarfBuzz's default shaping set;
    name_ids:     name-table records kept besides 0-6 (None: every record, in every language);
    location:     axis values (by tag) pinned; axes it does not name are pinned to their default.
    Hints are dropped (a PDF is printed or scaled, browsers hint outlines themselves). One step
    that takes ~10-100 ms a face where fontTools' subsetter and instancer took 2-6 s (issue 12).
    Raises BuildFailed when HarfBuzz cannot subset the font.
    """
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    face = hb.Face(hb.Blob.from_file_path(source))
    wanted = hb.SubsetInput()
    wanted.unicode_set.update(face.unicodes if unicodes is None else unicodes)
    if all_features:  # every feature: the inverse of the empty set (inverting HarfBuzz's default set
        wanted.layout_feature_tag_set.clear()  # would keep every feature but the shaping ones)
        wanted.layout_feature_tag_set.invert()
    if name_ids is None:
        wanted.name_id_set.invert()
        wanted.name_lang_id_set.invert()
    else:
        wanted.name_id_set.update(name_ids)
    wanted.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    pins = dict(location or {})
    if weight is not None:
        pins["wght"] = weight  # type: ignore[assignment]
    for axis in face.axis_infos if pins else ():
        value = pins.get(axis.tag, axis.default_value)
        if isinstance(value, tuple):
            low, high = max(value[0], axis.min_value), min(value[1], axis.max_value)
            wanted.set_axis_range(face, axis.tag, low, high, min(max(axis.default_value, low), high))
        else:
            wanted.pin_axis_location(face, axis.tag, value)
    subset = hb.subset(face, wanted)
    if subset is None:
        raise BuildFailed(f"cannot cut the font {source}: HarfBuzz could not subset it")
    return TTFont(io.BytesIO(bytes(subset.blob.data)))  # tables left alone are copied as they are


def _make_instance(source: str, target: str, family_name: str, style: str, blocks: tuple[int, ...] = ()) -> str:
    """Cut one static instance of the variable font `source` into `target`, atomically (see `cut`):
    the code points of `blocks` (every Unicode block when empty), weight pinned to the style's;
    then named as its own face (name, head.macStyle, OS/2.fsSelection). Returns `target`."""
    font = cut(source, [cp for b in blocks for cp in range(b << 7, (b + 1) << 7)] if blocks else None,
               weight=_WEIGHT[style])
    _rename(font, family_name, style)
    _set_style_bits(font, style)
    # keep the source's head.modified: the instance (and so every PDF embedding it) must not
    # depend on when the cache was filled
    font.recalcTimestamp = False
    save_to_cache(font, Path(target))
    return target


def save_to_cache(font, target: Path) -> None:
    """Save a fontTools TTFont into the font cache atomically (a concurrent build never sees half a
    font), readable by all. Raises OSError when the cache cannot be written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        font.save(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the cache is a plain shared-readable file
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _set_style_bits(font, style: str) -> None:
    """macStyle and OS/2 fsSelection say bold/italic: apps and PDF viewers read them."""
    bold, italic = "bold" in style, "italic" in style
    font["head"].macStyle = (1 if bold else 0) | (2 if italic else 0)
    if "OS/2" in font:
        sel = font["OS/2"].fsSelection & ~0b1100001  # clear ITALIC (0), BOLD (5), REGULAR (6)
        sel |= (1 if italic else 0) | (1 << 5 if bold else 0) | (1 << 6 if not (bold or italic) else 0)
        font["OS/2"].fsSelection = sel


def _rename(font, family_name: str, style: str) -> None:
    """Give the instance its own names so PDF viewers list e.g. NotoSerif-Bold, not four Regulars."""
    sub = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}[style]
    human = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "Bold Italic"}[style]
    table = font["name"]
    for rec in list(table.names):
        if rec.nameID in (1, 2, 3, 4, 6, 16, 17, 25):
            table.removeNames(nameID=rec.nameID)
    readable = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", family_name)
    table.setName(readable, 1, 3, 1, 0x409)
    table.setName(human, 2, 3, 1, 0x409)
    table.setName(f"{family_name}-{sub};compendium", 3, 3, 1, 0x409)
    table.setName(f"{readable} {human}", 4, 3, 1, 0x409)
    table.setName(f"{family_name}-{sub}", 6, 3, 1, 0x409)


STALE_PARTIAL_S = 3600  # a half-written instance this old belongs to a build that was killed (s)


def _sweep_partial_files() -> None:
    """Remove the half-written instances that builds killed while cutting fonts left behind.

    Only old ones: a younger one may be another build's, still being written (a face takes ≤ 15 s).
    """
    limit = time.time() - STALE_PARTIAL_S
    for tmp in cache_root().glob(".tmp-*.ttf"):
        try:
            if tmp.stat().st_mtime < limit:
                tmp.unlink()
        except OSError:
            pass


def _kept_blocks(src: FamilySource, blocks: frozenset[int] | None) -> frozenset[int] | None:
    """The blocks a face of `src` keeps: a script family its own script's blocks that the book
    uses, a base family the blocks of no script family; both keep BASE_BLOCKS. So a new Chinese
    character never makes the Latin faces be cut again."""
    if blocks is None:
        return None
    if src.ranges:
        return BASE_BLOCKS | {b for b in blocks if any(lo >> 7 <= b <= hi >> 7 for lo, hi in src.ranges)}
    scripts = [r for f in SCRIPT_FAMILIES for r in FAMILIES[f].ranges]
    return BASE_BLOCKS | {b for b in blocks if not any(lo >> 7 <= b <= hi >> 7 for lo, hi in scripts)}


def faces(families: list[str], text: str | None = None,
          step: Callable[[str], None] = lambda message: None) -> dict[tuple[str, str], Path]:
    """Static font files for every style of `families`, cutting any not cached yet.

    text: what the book prints; each face then keeps only the Unicode blocks it touches (see
    blocks_of), else the whole font is instanced.
    step: told what is being prepared when faces must be cut (the build's progress line).
    Raises BuildFailed naming the pip command when a family's package is missing, or when the
    cache folder cannot be written.
    """
    blocks = blocks_of(text) if text is not None else None
    wanted: dict[tuple[str, str], Path] = {}
    todo: list[tuple[str, str, str, str, tuple[int, ...]]] = []
    for family in families:
        src = FAMILIES[family]
        for style in styles_of(family):
            source = variable_file(src, italic=style in ("italic", "bolditalic"))
            if source is None:
                raise BuildFailed(f"font {src.name} is not installed: run `{src.install}`")
            kept = _kept_blocks(src, blocks)
            target = _instance_path(family, style, source, kept)
            wanted[(family, style)] = target
            if not target.is_file():
                todo.append((str(source), str(target), src.name, style, tuple(sorted(kept or ()))))
    if todo:
        _sweep_partial_files()
        names = ", ".join(dict.fromkeys(FAMILIES[f].display for f in families))
        step(f"cutting {len(todo)} font face{'s' if len(todo) > 1 else ''} ({names}) into {cache_root()}")
        try:
            for job in todo:
                _make_instance(*job)
        except OSError as exc:
            raise BuildFailed(f"cannot write the font cache {cache_root()}: {exc}") from exc
    return wanted
