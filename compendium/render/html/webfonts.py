"""Render (HTML): the site's web fonts — the Noto faces of the PDF and EPUB, cut to the glyphs it uses.

Every page renders the same everywhere, offline included, without the reader's fonts: Latin,
Greek and Cyrillic in Noto Sans (headings, labels) and Noto Serif (prose) as in the PDF, Arabic in
Noto Sans Arabic, Chinese in Noto Sans SC, and every other script the PDF has a Noto face for
(Hebrew, Devanagari, Thai, Korean, symbols, emoji...) in that face. Each face is subset to the characters of the edition
(entries, edition, labels, templates) with fontTools, its weight axis limited to 400–700, and saved
as WOFF2 (brotli). A face's file name comes from its inputs (source file, characters, fontTools
version), so pages can name the files before they are cut; the cutting runs in another process
while the pages are written, and each file is kept in the user's font cache (beside the PDF's
static instances, compendium.render.fonts) so it is cut once per set of characters, not per build.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import unicodedata
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from compendium.model import Book, Issue
from compendium.render import fonts
from compendium.render.common import printed_text

FORMAT = "w1"  # bump when the way web fonts are cut changes: every file name changes with it
WEIGHTS = (400, 700)  # the weights the stylesheet uses (400, 600, 700), as one variable range
PUNCTUATION = " \u00a0\u2009\u202f–—‘’“”«»‹›…·•→←↑↓×✓©®°%€$£¥"  # what templates and scripts print around text


@dataclass(frozen=True)
class Face:
    """One @font-face: a CSS family name, a Noto source (fonts.FAMILIES key), upright or italic,
    and the code points it is cut to."""

    family: str  # CSS name: "Compendium Sans"
    source: str  # fonts.FAMILIES key: "sans", "serif", "arabic", "cjk"
    italic: bool
    chars: frozenset[int]

    def key(self, path: Path) -> str:
        """A digest of everything the file depends on (source file, characters, fontTools, FORMAT)."""
        import fontTools

        h = hashlib.sha256(f"{FORMAT}|{fontTools.version}|{fonts._digest(path)}|{self.italic}|".encode())
        h.update(",".join(map(str, sorted(self.chars))).encode())
        return h.hexdigest()[:12]


# CSS family of each FAMILIES source; every other script (Hebrew, Devanagari, Thai, Korean, symbols,
# emoji...) shares "Compendium Scripts", one @font-face per script with its own unicode-range
FAMILY_NAMES: dict[str, str] = {"sans": "Compendium Sans", "serif": "Compendium Serif",
                                "arabic": "Compendium Arabic", "cjk": "Compendium SC"}
SCRIPTS_FAMILY = "Compendium Scripts"
# languages whose text is set wholly in their script's face (digits and punctuation included)
SCRIPT_LANGUAGES: dict[str, tuple[str, ...]] = {"arabic": ("ar", "fa", "ur"), "cjk": ("zh", "ja")}


def _cmap(family: str, italic: bool = False) -> set[int]:
    """The code points a Noto face has (empty when not installed), kept in the font cache beside
    the faces: reading a CJK font's cmap takes longer than cutting a small face."""
    import json

    from fontTools.ttLib import TTFont

    path = fonts.variable_file(fonts.FAMILIES[family], italic)
    if path is None:
        return set()
    cached = fonts.cache_root() / "web" / f"{path.stem.split('[')[0]}{'-Italic' if italic else ''}.{fonts._digest(path)}.cmap"
    try:
        return set(json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    font = TTFont(path, lazy=True)
    try:
        found = set(font.getBestCmap())
    finally:
        font.close()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(sorted(found)), encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower
    return found


def site_characters(book: Book, extra: list[str]) -> tuple[set[int], dict[str, set[int]]]:
    """Every code point the site may print, and those of the entries in the languages that have a
    face of their own (Arabic, Chinese...), by primary subtag.

    `extra` holds the site's own words (labels, template text). Raises nothing.
    """
    chars = set("".join(printed_text(book))) | set("".join(extra)) | set(PUNCTUATION)
    chars |= set("".join(e.translated_title for e in book.entries))
    # capitals too: index letters are upper-cased, and so are labels set in `text-transform: uppercase`
    chars |= set("".join(chars).upper())
    everything = {ord(c) for c in chars} | set(range(0x20, 0x7F))
    own = {lang for langs in SCRIPT_LANGUAGES.values() for lang in langs}
    by_lang: dict[str, set[str]] = {}
    for e in book.entries:
        lang = (e.language or book.edition.language).split("-")[0].lower()
        if lang in own:
            text = "".join((e.title, e.institution, e.summary, *(t for _, t in e.sections), *e.partners, *e.keywords))
            by_lang.setdefault(lang, set()).update(text)
    page = book.edition.language.split("-")[0].lower()
    if page in own:
        by_lang.setdefault(page, set()).update("".join(extra))
    return everything, {lang: {ord(c) for c in found} for lang, found in by_lang.items()}


def plan(everything: set[int], by_lang: dict[str, set[int]]) -> tuple[list[Face], set[int]]:
    """The faces to cut (installed families only) and the letters no face covers.

    Latin, Greek and Cyrillic faces take what their fonts have; then each script family of
    compendium.render.fonts (Arabic, Hebrew, Devanagari... Chinese, symbols, emoji), in its order,
    takes what no earlier face has within its script's ranges — Arabic and Chinese also all of
    their languages' text, so that it is set in one face, digits and punctuation included.
    """
    faces: list[Face] = []
    covered: set[int] = set()
    for source in ("sans", "serif"):
        cmap = _cmap(source)
        if cmap:
            chars = frozenset(everything & cmap)
            faces.append(Face(FAMILY_NAMES[source], source, False, chars))
            italic = _cmap(source, italic=True)
            if italic:
                faces.append(Face(FAMILY_NAMES[source], source, True, frozenset(everything & italic)))
            covered |= chars
    for source in fonts.SCRIPT_FAMILIES:
        ranges = fonts.FAMILIES[source].ranges
        own = set().union(*(by_lang.get(lang, set()) for lang in SCRIPT_LANGUAGES.get(source, ())))
        candidates = {c for c in everything - covered if any(a <= c <= b for a, b in ranges)} | own
        if not candidates - set(range(0x80)) or not fonts.available(source):
            continue  # nothing of this script to print (or its package is not installed)
        wanted = candidates & _cmap(source)
        if wanted - set(range(0x80)):
            faces.append(Face(FAMILY_NAMES.get(source, SCRIPTS_FAMILY), source, False, frozenset(wanted)))
            covered |= wanted
    missing = {c for c in everything - covered if unicodedata.category(chr(c))[0] in "LMN"}
    return faces, missing


def _unicode_range(chars: frozenset[int]) -> str:
    """CSS unicode-range of a set of code points: "U+20-7E, U+A0, ..." (consecutive runs merged)."""
    runs: list[list[int]] = []
    for c in sorted(chars):
        if runs and c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def _ignore_interrupts() -> None:
    """In the font-cutting worker: Ctrl-C is the parent's to handle (it stops the build and reports
    once); a worker that took it too would print its own KeyboardInterrupt traceback. (It was
    render.fonts._ignore_interrupts, gone when the PDF's instancer moved to compendium.workers.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _cut(source: str, target: str, unicodes: list[int]) -> str:
    """Subset one variable Noto font to `unicodes`, limit its axes, save it as WOFF2 (atomically)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    options = subset.Options()
    options.layout_features = ["*"]  # Arabic joining, CJK forms, kerning and marks all stay
    options.hinting = False  # browsers hint outlines themselves; smaller files
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and the OFL licence
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    if "fvar" in font:
        limits: dict[str, object] = {}
        for axis in font["fvar"].axes:
            if axis.axisTag == "wght":
                low, high = max(WEIGHTS[0], axis.minValue), min(WEIGHTS[1], axis.maxValue)
                limits["wght"] = (low, min(max(axis.defaultValue, low), high), high)
            else:
                limits[axis.axisTag] = axis.defaultValue  # width and the others: the default
        font = instancer.instantiateVariableFont(font, limits)
    font.flavor = "woff2"
    font.recalcTimestamp = False  # the same input gives the same bytes, whenever it is cut
    fonts.save_to_cache(font, Path(target))
    return target


@dataclass
class WebFonts:
    """The faces of one site: their @font-face rules now, their files once cut (see `finish`)."""

    faces: list[tuple[Face, str, Path]]  # (face, file name inside assets/fonts/, cached file)
    missing: set[int]
    pending: list[Future[str]] = field(default_factory=list)
    pool: Executor | None = None

    def css(self, prefix: str = "fonts/") -> str:
        """@font-face rules naming the files relative to the stylesheet (`prefix` + file name)."""
        rules = []
        for face, name, _ in self.faces:
            rules.append(
                "@font-face {\n"
                f'  font-family: "{face.family}";\n'
                f'  src: url("{prefix}{name}") format("woff2");\n'
                f"  font-weight: {WEIGHTS[0]} {WEIGHTS[1]};\n"
                f"  font-style: {'italic' if face.italic else 'normal'};\n"
                "  font-display: swap;\n"
                f"  unicode-range: {_unicode_range(face.chars)};\n"
                "}\n")
        return "".join(rules)

    def finish(self, folder: Path) -> list[Path]:
        """Wait for the faces being cut and copy every file into `folder`; returns the files.

        Raises OSError when the cache or the folder cannot be written.
        """
        try:
            for future in self.pending:
                future.result()
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for _, name, cached in self.faces:
            shutil.copyfile(cached, folder / name)
            written.append(folder / name)
        return written

    def warnings(self, book: Book) -> list[Issue]:
        """A warning per entry (or for the edition) whose text has characters no web font has:
        readers' own fonts show them, or boxes. Names a few of the characters."""
        if not self.missing:
            return []
        hint = f"; for Chinese, {fonts.CJK_EXTRA}" if not fonts.available("cjk") else ""
        found = []
        sources = [(e.source, "".join((e.title, e.institution, e.summary, *(t for _, t in e.sections), *e.partners,
                                        *e.keywords, e.translated_title))) for e in book.entries]
        sources.append((book.edition.source, "".join(printed_text(Book(book.edition, ())))))
        for where, text in sources:
            chars = sorted({ord(c) for c in text} & self.missing)
            if chars:
                sample = " ".join(f"'{chr(c)}' (U+{c:04X})" for c in chars[:6])
                more = f" and {len(chars) - 6} more" if len(chars) > 6 else ""
                found.append(Issue(where, "warning", "html.font",
                                   f"no web font has {sample}{more}: the site shows them in the reader's own fonts{hint}"))
        return found


def start(book: Book, extra: list[str]) -> WebFonts:
    """Plan the faces of `book` and start cutting the ones not cached yet, in a worker process."""
    everything, by_lang = site_characters(book, extra)
    planned, missing = plan(everything, by_lang)
    faces: list[tuple[Face, str, Path]] = []
    todo: list[tuple[str, str, list[int]]] = []
    for face in planned:
        path = fonts.variable_file(fonts.FAMILIES[face.source], face.italic)
        assert path is not None  # plan() keeps installed families only
        key = face.key(path)
        stem = f"{fonts.FAMILIES[face.source].name}{'-Italic' if face.italic else ''}"
        cached = fonts.cache_root() / "web" / f"{stem}.{key}.woff2"
        faces.append((face, f"{stem}.{key}.woff2", cached))
        if not cached.is_file():
            todo.append((str(path), str(cached), sorted(face.chars)))
    fonts_ = WebFonts(faces, missing)
    if todo:
        fonts_.pool = ProcessPoolExecutor(max_workers=1, initializer=_ignore_interrupts)
        fonts_.pending = [fonts_.pool.submit(_cut, *job) for job in todo]
    return fonts_
