"""Render (EPUB): the Book as an EPUB 3 e-book, written by pandoc (via pypandoc) in one call.

    layout (book, entry) → runs, one per file (runs) → pandoc JSON AST + metadata (meta) + CSS
        + fonts (fonts) + cover (compendium.render.cover, shared with the PDF) → one pandoc run
          over the whole book, or over what changed since the last build (chapters)
        → deterministic re-pack (repack), which also writes the contents tree (nav) into the
          navigation document and the NCX, and the accessibility claims into the package

pandoc reads a structure (its JSON AST), never Markdown pasted together: a field that starts
with `#` cannot open a chapter, and no text is escaped by hand.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from compendium.errors import RenderError
from compendium.kept import Deflated
from compendium.model import Book, Issue
from compendium.render.common import RenderContext, book_file, build_epoch
from compendium.render.cover import screen_cover
from compendium.render.epub.book import Layout
from compendium.render.epub.chapters import FOLDER as CHAPTERS
from compendium.render.epub.chapters import Chapters
from compendium.render.epub.fonts import embed_fonts, font_css
from compendium.render.epub.meta import metadata, package_meta
from compendium.render.epub.nav import contents
from compendium.render.epub.repack import ZIP_LEVEL, Finish, repack
from compendium.render.epub.runs import SPLIT  # one file per entry: small files read fast on e-readers
from compendium.render.imageprep import prepare as prepare_image
from compendium.render.pandoc import Json, document
from compendium.render.templating import environment
from compendium.render.templating import render as render_template
from compendium.workers import run_child

TOC_DEPTH = 3  # the nav lists parts, chapters and entries
ZIPPED = "epub-zip"  # in the cache: the last EPUB's deflated members, one file per book (kept.Deflated)


def output_path(book: Book, ctx: RenderContext) -> Path:
    """Where the EPUB goes: ctx.out_dir / <edition slug>-<year>.epub (render.common.book_file)."""
    return ctx.out_dir / book_file(book, "epub")


def pandoc_binary() -> str:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        raise RenderError(f"pandoc is needed for the EPUB and was not found ({exc}); "
                          "install it with: pip install pypandoc_binary", format="epub") from None


def prepare(book: Book, ctx: RenderContext, work: Path, chapters: Chapters | None = None) -> tuple[list[str], Finish]:
    """Write pandoc's inputs (JSON AST, CSS, cover) into `work` and return the pandoc command
    (without --output) and what repack adds to pandoc's EPUB.

    With `chapters` (the last build's output, chapters.py), the document holds only what pandoc
    must convert this time; without, the whole book.
    """
    env = environment(ctx.templates_dir, cache_dir=ctx.cache_dir)
    fonts = embed_fonts(book, ctx.warnings)
    css = work / "compendium.css"
    # the fonts first: the template's rules (and a project's `extra` block) come after and may override them
    style = font_css(fonts, book) + render_template(env, "epub/epub.css")
    css.write_text(style, encoding="utf-8")
    cover = prepare_image(book.edition.cover, ctx.cache_dir) if book.edition.cover else screen_cover(
        book, ctx.cache_dir, ctx.warnings)
    layout = Layout(book, env, ctx.cache_dir)
    runs = layout.runs()
    source = work / "book.json"
    args = [pandoc_binary(), str(source), "--from=json", "--to=epub3",
            f"--split-level={SPLIT}", f"--toc-depth={TOC_DEPTH}", "--epub-title-page=false",
            "--wrap=none", f"--css={css}", f"--epub-cover-image={cover}", f"--resource-path={work}",
            *(f"--epub-embed-font={f.path}" for f in fonts)]
    nav = contents(book)
    finish = Finish(layout.landmarks(), nav, package_meta(book), layout.labels.format(
        "cover_of", title=book.edition.title), book.edition.dir)
    if chapters is None:
        doc: Json | None = document(metadata(book), [b for run in runs for b in run.blocks])
    else:  # what the stylesheet, fonts and cover are made of: a change there needs pandoc's copies
        extras = [style, [_stamp(f.path) for f in fonts], _stamp(cover)]
        doc = chapters.plan(metadata(book), runs, args, work, extras, build_epoch(book.edition), bool(nav))
    if doc is None:  # nothing changed that pandoc writes: its last output is the book's
        return args, finish
    # dumps, not dump: json.dump streams through the pure-Python encoder (3 s for 1,000 entries), dumps
    # uses the C one (0.3 s)
    source.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return args, finish


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return str(path), -1, -1
    return str(path), st.st_size, st.st_mtime_ns


def render(book: Book, ctx: RenderContext) -> list[Path]:
    """Write the EPUB 3 book, <edition slug>-<year>.epub, into ctx.out_dir and return [its path].

    One pandoc run, then a deterministic re-pack (same bytes for the same input: dates from
    render.common.build_epoch). After a first build pandoc converts only what changed since the
    last (chapters.py); the EPUB is the same bytes. The Noto faces the book prints are embedded as
    subsets. pandoc's warnings go to ctx.warnings; ctx.summary says how many entries. Raises
    RenderError (pandoc missing or failing), InvalidInput (a template error, an unreadable picture).
    """
    out = output_path(book, ctx)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".epub-", dir=ctx.out_dir))
    try:
        chapters = Chapters(ctx.cache_dir / CHAPTERS / f"{book.edition.file_stem}.pickle")  # one per book (a series)
        args, finish = prepare(book, ctx, work, chapters)
        ctx.step(chapters.progress())
        epoch = build_epoch(book.edition)
        members = _convert(args, work, epoch, ctx.warnings, book) if chapters.pandoc else {}
        whole = chapters.assemble(members)
        if whole is None:  # a check failed (never seen): the whole book through pandoc
            (work / "book.json").write_text(json.dumps(chapters.whole(), ensure_ascii=False, separators=(",", ":")),
                                            encoding="utf-8")
            whole = _convert(args, work, epoch, [], book)
        deflated = Deflated(ctx.cache_dir / ZIPPED / f"{book.edition.file_stem}.pickle", wbits=-15, level=ZIP_LEVEL)
        repack(whole, out, epoch, finish, deflated)
        chapters.save(whole)
        deflated.save()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    n = len(book.entries)
    ctx.summary = f"{n} entry" if n == 1 else f"{n} entries"  # the build's closing table (English, like the CLI)
    return [out]


def _convert(args: list[str], work: Path, epoch: int, warnings: list[Issue], book: Book) -> dict[str, bytes]:
    """pandoc's EPUB of the prepared document, as its members (name → bytes, in its order)."""
    pandoc_epub = work / "pandoc.epub"
    _run_pandoc([*args, f"--output={pandoc_epub}"], epoch, warnings, book)
    with zipfile.ZipFile(pandoc_epub) as z:
        return {name: z.read(name) for name in z.namelist() if not name.endswith("/")}


def _run_pandoc(args: list[str], epoch: int, warnings: list[Issue], book: Book) -> None:
    # pandoc stamps dcterms:modified with SOURCE_DATE_EPOCH: the user's value, or the edition's date
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    try:
        proc = run_child(args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         encoding="utf-8", errors="replace")  # pandoc dies with the build, even on kill -9
    except OSError as exc:
        raise RenderError(f"could not run pandoc for the EPUB: {exc}", format="epub") from None
    if proc.returncode != 0:
        tail = proc.stderr.strip()[-2000:]
        raise RenderError(f"pandoc failed to write the EPUB (exit {proc.returncode}):\n{tail}", format="epub")
    for line in proc.stderr.splitlines():
        if line.startswith("[WARNING]"):
            warnings.append(Issue(book.edition.source, "warning", "epub.pandoc", f"pandoc: {line[9:].strip()}"))
