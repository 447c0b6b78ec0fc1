"""Fonts (render support): locate the Noto fonts installed from PyPI and make their static instances.

The Noto families on PyPI are variable fonts; PDF writers such as reportlab only use a font's
default instance, so bold would come out regular. We cut static instances (regular, bold,
italic, bold italic) with fontTools once and keep them in the user's cache folder
(`$XDG_CACHE_HOME/compendium/fonts`, else `~/.cache/compendium/fonts`), keyed by the source
file's hash and the fontTools version: never per build, never in the project.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from compendium.errors import BuildFailed
from compendium.workers import run_parallel

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

    @property
    def display(self) -> str:
        """Human family name: NotoSansSC → Noto Sans SC."""
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", self.name)


FAMILIES: dict[str, FamilySource] = {
    "serif": FamilySource("NotoSerif", "fontpkg_noto_serif", "files", "NotoSerif", "NotoSerif-Italic",
                          "pip install fontpkg-noto-serif"),
    "sans": FamilySource("NotoSans", "fontpkg_noto_sans", "files", "NotoSans", "NotoSans-Italic",
                         "pip install fontpkg-noto-sans"),
    "arabic": FamilySource("NotoSansArabic", "fontpkg_noto_sans_arabic", "files", "NotoSansArabic", "",
                           "pip install fontpkg-noto-sans-arabic"),
    # Simplified Chinese; large (17 MB), hence the optional extra.
    "cjk": FamilySource("NotoSansSC", "justmytype_intl_cjk", "fonts/ofl/notosanssc", "NotoSansSC", "",
                        CJK_EXTRA),
}
_WEIGHT = {"regular": 400, "bold": 700, "italic": 400, "bolditalic": 700}
_FORMAT = "i2"  # bump when the way instances are made changes: the cache key then changes too


def cache_root() -> Path:
    """The per-user font cache folder (XDG convention)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "compendium" / "fonts"


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


def _instance_path(family: str, style: str, source: Path) -> Path:
    import fontTools

    src = FAMILIES[family]
    key = f"{_digest(source)}-ft{fontTools.version}-{_FORMAT}"
    return cache_root() / f"{src.name}-{style}-{key}.ttf"


def _make_instance(source: str, target: str, family_name: str, style: str) -> str:
    """Cut one static instance (runs in a worker process) and write it atomically."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(source)
    location: dict[str, float] = {}
    for axis in font["fvar"].axes if "fvar" in font else ():
        # pin every axis: weight to the style's, the others (width, ...) to their default
        location[axis.axisTag] = _WEIGHT[style] if axis.axisTag == "wght" else axis.defaultValue
    if location:
        font = instancer.instantiateVariableFont(font, location, updateFontNames=False)
    _rename(font, family_name, style)
    _set_style_bits(font, style)
    # keep the source's head.modified: the instance (and so every PDF embedding it) must not
    # depend on when the cache was filled
    font.recalcTimestamp = False
    out = Path(target)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".ttf", dir=out.parent)
    os.close(fd)
    try:
        font.save(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the cache is a plain shared-readable file
        os.replace(tmp, out)  # atomic: a concurrent build never sees half a font
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


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


def faces(families: list[str]) -> dict[tuple[str, str], Path]:
    """Static font files for every style of `families`, cutting (in parallel) any not cached yet.

    Raises CompendiumError naming the pip command when a family's package is missing.
    """
    wanted: dict[tuple[str, str], Path] = {}
    todo: list[tuple[str, str, str, str]] = []
    for family in families:
        src = FAMILIES[family]
        for style in styles_of(family):
            source = variable_file(src, italic=style in ("italic", "bolditalic"))
            if source is None:
                raise BuildFailed(f"font {src.name} is not installed: run `{src.install}`")
            target = _instance_path(family, style, source)
            wanted[(family, style)] = target
            if not target.is_file():
                todo.append((str(source), str(target), src.name, style))
    if todo:
        _sweep_partial_files()
    if len(todo) == 1:
        _make_instance(*todo[0])
    elif todo:
        try:  # in worker processes that die with the build and stop at once on Ctrl-C
            run_parallel(_make_instance, todo, os.cpu_count() or 1, label=lambda i: f"the {todo[i][2]} {todo[i][3]} face")
        except OSError as exc:
            raise BuildFailed(f"cannot write the font cache {cache_root()}: {exc}") from exc
    return wanted
