"""Build: the editor's job top to bottom — validate, group, render the formats, swap the output in.

Everything is checked before anything is written. The formats render in parallel processes into
a staging folder; the staging folder becomes the new output in one atomic exchange only when
every requested format succeeded, so a failed, interrupted or killed build leaves the previous
output exactly as it was.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
from functools import partial
from importlib import import_module
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence, TypeVar

from compendium.book.group import build_book
from compendium.errors import BuildFailed, CompendiumError, InvalidInput, RenderError, UsageError
from compendium.input.load import CACHE_DIR, PARSED
from compendium.input.unfinished import CODE as PLACEHOLDER
from compendium.input.validate import Result, validate_project
from compendium.model import Book, Issue
from compendium.output.manifest import DIGESTS, Digests, read_manifest, write_manifest
from compendium.output.swap import build_lock, discard_later, link_tree, replace_dir
from compendium.render import FORMATS, default_formats, render_order
from compendium.render.common import BooksLater, Download, RenderContext, SeriesContext
from compendium.input.validate import Findings
from compendium.workers import Ready, deferred_signals, run_parallel, started_early, tell

R = TypeVar("R", bound=Findings)

OUTPUT_DIR = "output"
# progress(format, None) when a format starts, progress(format, "what it does now") while it
# works (RenderContext.step), progress(format, seconds) when it is done
Progress = Callable[[str, "float | str | None"], None]
BOOKS_READY = "books-ready.json"  # in the staging folder: the books are made (render.common.BooksLater)


@dataclass(frozen=True)
class FormatResult:
    name: str
    paths: tuple[str, ...]  # relative to the output folder
    seconds: float
    warnings: tuple[Issue, ...] = ()
    summary: str = ""  # what the renderer says it made ("334 pages"), for the closing table


@dataclass(frozen=True)
class BuildResult:
    book: Book
    out: Path
    formats: tuple[FormatResult, ...]
    warnings: tuple[Issue, ...] = field(default=())

    @property
    def outputs(self) -> tuple[Path, ...]:
        return tuple(self.out / p for f in self.formats for p in f.paths)

    def table_rows(self) -> list[tuple[str, str, int, str, str, float]]:
        """(format, file, size in bytes, contents, sha256, seconds) per top-level output."""
        files = {f["path"]: f for f in read_manifest(self.out).get("files", [])}
        rows = []
        for fmt in self.formats:
            for top in sorted({p.split("/")[0] for p in fmt.paths}):
                inside = [f for path, f in files.items() if path == top or path.startswith(top + "/")]
                size = sum(f["size"] for f in inside)
                digest = inside[0]["sha256"] if len(inside) == 1 else _tree_digest(inside)
                folder = FORMATS[fmt.name].produces == "folder" if fmt.name in FORMATS else (self.out / top).is_dir()
                rows.append((fmt.name, top + ("/" if folder else ""), size, fmt.summary, digest, fmt.seconds))
        return rows


def _tree_digest(files: list[dict]) -> str:
    return hashlib.sha256("".join(f"{f['path']}\0{f['sha256']}\n" for f in files).encode()).hexdigest()


def for_publishing(result: R, publishing: bool = True) -> R:
    """`result` (a validation Result or SeriesResult) with its `entry.placeholder` warnings made
    errors when a book is to be made (`publishing`): a value still holding the entry template's text
    is a warning while entries are written, and an error when the book is made ("Name of the
    institution" is never printed)."""
    if not publishing:
        return result
    return replace(result, issues=tuple(replace(i, severity="error") if i.code == PLACEHOLDER and
                                        i.severity == "warning" else i for i in result.issues))


def unfinished_hint(failing: tuple[Issue, ...]) -> str:
    """What to say after 'nothing was built' when entries still hold the template's text."""
    if not any(i.code == PLACEHOLDER for i in failing):
        return ""
    return ("; entries that still hold the template's text are never published: finish them, or rename a file "
            "to start with '_' to leave it out as a draft")


def load_book(root: Path, strict: bool = False, publishing: bool = True, clean: bool = False) -> tuple[Book, Result]:
    """Validate the whole project at `root` and group it into the Book.

    strict: warnings count as errors. publishing: the book is to be made, so values still holding
    the entry template's text (`entry.placeholder`) are errors (False for `stats`, which only
    counts). clean: read every entry file again (build --clean), not the ones an earlier build kept
    (input.load.ParsedFiles, used when publishing). Returns (Book, the validation Result, whose
    warnings the caller reports). Raises
    InvalidInput carrying every issue (errors and warnings) when the project has errors (or
    warnings, with strict); UsageError from validate_project.
    """
    kept = root / CACHE_DIR / PARSED if publishing else None  # the entry files read cleanly (load.ParsedFiles)
    if clean and kept is not None:
        kept.unlink(missing_ok=True)  # read them all, and keep them anew
    result = for_publishing(validate_project(root, kept=kept), publishing)
    failing = result.errors + result.warnings if strict else result.errors  # notes never fail a build
    if failing or result.edition is None:
        raise InvalidInput(f"the project has errors; nothing was built{unfinished_hint(failing)}", result.issues)
    return build_book(result.edition, result.entries), result


def _render_one(name: str, book: Book, staging: Path, cache_dir: Path, templates: Path | None,
                downloads: Sequence[Download] = (), jobs: int = 1, previous: Path | None = None,
                series: SeriesContext | None = None) -> FormatResult:
    """Run one renderer into its own staging folder (in a worker process); what it says it is doing
    (RenderContext.step) goes to the build's progress (workers.tell); it may use `jobs` processes;
    `previous`: the output folder of the last build (RenderContext.previous). `series`: the site of
    a series is given its editions (output/series.py)."""
    started = time.perf_counter()
    ctx = RenderContext(out_dir=staging, cache_dir=cache_dir, templates_dir=templates, downloads=downloads,
                        step=tell, jobs=jobs, previous=previous if previous is not None and previous.is_dir() else None,
                        series=series)
    try:
        paths = FORMATS[name].render(book, ctx)
    except RenderError as exc:
        exc.format = exc.format or name
        raise
    except CompendiumError:
        raise
    except Exception as exc:  # a renderer bug or a full disk: a clear message, not a traceback
        if os.environ.get("COMPENDIUM_DEBUG"):
            raise
        raise RenderError(f"the {name} build failed: {type(exc).__name__}: {exc} "
                          "(set COMPENDIUM_DEBUG=1 to see the traceback)", format=name) from None
    rel = tuple(sorted(p.relative_to(staging).as_posix() for p in paths))
    return FormatResult(name, rel, time.perf_counter() - started, tuple(ctx.warnings), ctx.summary)


def _assemble(book: Book, results: list[FormatResult], formats: list[str], staging: Path, out: Path,
              digests: Digests) -> None:
    """The new output: the old one (hard links) with the rebuilt formats replaced, then swapped in;
    the old output ends in `staging` (deleted with it)."""
    new = staging / "new"
    produced = {p.split("/")[0] for r in results for p in r.paths}
    link_tree(out, new, skip=produced | {"manifest.json"})
    for r in results:
        for top in sorted({p.split("/")[0] for p in r.paths}):
            os.replace(staging / r.name / top, new / top)
    manifest_formats = {k: v for k, v in read_manifest(out).get("formats", {}).items()
                        if k not in formats and all((new / p).exists() for p in v)}
    manifest_formats.update({r.name: list(r.paths) for r in results})
    write_manifest(book, new, manifest_formats, digests)
    replace_dir(new, out, discard=lambda old: os.replace(old, staging / "old"))


def _commit(book: Book, results: list[FormatResult], formats: list[str], staging: Path, out: Path,
            digests: Digests) -> None:
    """Swap the new output in, with Ctrl-C and SIGTERM held back until it is done.

    A signal that came meanwhile takes effect afterwards, with a message that says the output
    was replaced (the usual "nothing was changed" would no longer be true).
    """
    swapped = False
    try:
        with deferred_signals():
            _assemble(book, results, formats, staging, out, digests)
            swapped = True
    except KeyboardInterrupt as exc:
        if not swapped:
            raise
        raise type(exc)(f"the new output was already in place in {out}") from None


def _staging_parent(root: Path, out: Path) -> Path:
    """Stage inside the cache folder when it shares a filesystem with the output (renames stay atomic)."""
    cache = root / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    return cache if os.stat(cache).st_dev == os.stat(out.parent).st_dev else out.parent


def new_staging(root: Path, out: Path, set_aside: Path | None = None) -> Path:
    """A fresh staging folder for a build of the project at `root` into `out` (the caller holds the
    build lock): named after the project, so that beside a shared output parent a build never
    touches another project's. The stale ones (left by a killed build of this project, or by the last
    one's background deletion) are deleted in the background (swap.discard_later), and so is
    `set_aside` (the render cache, for --clean), moved aside first."""
    parent = _staging_parent(root, out)
    prefix = f".staging-{hashlib.sha256(str(root).encode()).hexdigest()[:8]}-"
    cache = root / CACHE_DIR
    stale = sorted({*parent.glob(prefix + "*"), *cache.glob(prefix + "*")})
    if set_aside is not None and set_aside.is_dir():
        stale.append(Path(tempfile.mkdtemp(prefix=prefix + "old-", dir=set_aside.parent)))
        os.replace(set_aside, stale[-1] / set_aside.name)
    discard_later(stale)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def _overlaps(a: Path, b: Path) -> bool:
    return a == b or a in b.parents or b in a.parents


def _check_output(root: Path, out: Path, book: Book) -> None:
    """Refuse an output folder whose replacement would swallow the project, its inputs or its cache."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"cannot build into {out}: it is a file, not a folder")
    if out == root or out in root.parents:
        raise UsageError(f"cannot build into {out}: it holds the project itself; "
                              f"pick a folder such as {root / OUTPUT_DIR}")
    for name in ("compendium.yaml", "entries", "templates", CACHE_DIR):
        if _overlaps(out, root / name):
            raise UsageError(f"cannot build into {out}: it overlaps the project's {name}; "
                                  f"pick a folder such as {root / OUTPUT_DIR}")
    cover = book.edition.cover.path if book.edition.cover else None
    if cover is not None and Path(os.path.realpath(cover)).is_relative_to(out):
        raise UsageError(f"cannot build into {out}: it holds the cover {cover}, an input of the build")


def _downloads(results: list[FormatResult], staging: Path, out: Path) -> tuple[Download, ...]:
    """The single-file books (EPUB, PDF) a site can offer: just built, or kept from the last build."""
    found: dict[str, Download] = {}
    for name, paths in read_manifest(out).get("formats", {}).items():
        single = name in FORMATS and FORMATS[name].produces == "file"
        if single and len(paths) == 1 and (out / paths[0]).is_file():
            found[name] = Download(name, paths[0], (out / paths[0]).stat().st_size, out / paths[0])
    for r in results:
        if FORMATS[r.name].produces == "file" and len(r.paths) == 1:
            path = staging / r.name / r.paths[0]
            found[r.name] = Download(r.name, r.paths[0], path.stat().st_size, path)
    return tuple(found[k] for k in sorted(found))


def import_renderers(formats: list[str]) -> None:
    """Import the renderers that start first among `formats` (the first wave of render_order: the
    books; reportlab and the PDF's engine take 0.2 s), in a worker started while the build validates
    the project (workers.started_early). Not the later ones: a worker importing what another worker
    renders would start its own work later."""
    for name in render_order(formats)[0]:
        fmt = FORMATS.get(name)
        if fmt is not None and fmt.function is None:
            import_module(fmt.module)


def _run_wave(names: list[str], book: Book, staging: Path, cache: Path, templates: Path | None, jobs: int,
              progress: Progress, downloads: tuple[Download, ...], out: Path,
              ready: Ready | None = None) -> list[FormatResult]:
    """Render formats that do not depend on each other, each in its own worker process, `jobs` at a time.

    Even a single format renders in a worker: this process only waits, so Ctrl-C or SIGTERM stops
    the build at once whatever the renderer is doing, and the renderer's memory goes with it.
    """
    calls = [(name, book, staging / name, cache, templates, downloads, jobs, out) for name in names]
    return run_parallel(_render_one, calls, jobs,
                        started=lambda i: progress(names[i], None),
                        finished=lambda i, result: progress(result.name, result.seconds),
                        told=lambda i, message: progress(names[i], message),
                        label=lambda i: f"the {names[i]} format", ready=ready)


def _run_formats(formats: list[str], book: Book, staging: Path, out: Path, cache: Path, templates: Path | None,
                 jobs: int, progress: Progress, ready: Ready | None = None) -> list[FormatResult]:
    """Render the formats wave by wave (Format.after): the books first, then the site that links them.

    When the last wave only waits for the books (the website), it starts as soon as a process is free
    (`jobs` at a time), not when every book is done: its RenderContext.downloads is a
    render.common.BooksLater, which the build fills once every book is made; the site writes its pages
    meanwhile and waits only where it lists them (after one entry changed, the EPUB is done well
    before the PDF: the site is written while the PDF is).
    """
    for name in formats:
        (staging / name).mkdir(parents=True)
    waves = render_order(formats)
    if len(waves) == 2 and all(FORMATS[n].after == ("books",) for n in waves[1]):
        return _beside_books(waves[0], waves[1], book, staging, out, cache, templates, jobs, progress, formats, ready)
    results: list[FormatResult] = []
    for wave in waves:
        downloads = _downloads(results, staging, out) if any(FORMATS[n].after for n in wave) else ()
        results += _run_wave(wave, book, staging, cache, templates, jobs, progress, downloads, out, ready)
    return sorted(results, key=lambda r: formats.index(r.name))


def _beside_books(books: list[str], site: list[str], book: Book, staging: Path, out: Path, cache: Path,
                  templates: Path | None, jobs: int, progress: Progress, formats: list[str],
                  workers: Ready | None = None) -> list[FormatResult]:
    """The books and the formats that link them (`site`) rendered at once; see _run_formats.
    `workers`: started while the project was validated (workers.started_early)."""
    ready = staging / BOOKS_READY
    later = BooksLater(ready)
    names = books + site
    calls = [(name, book, staging / name, cache, templates, later if name in site else (), jobs, out)
             for name in names]
    made: list[FormatResult] = []

    def finished(i: int, result: FormatResult) -> None:
        progress(result.name, result.seconds)
        if result.name in books:
            made.append(result)
            if len(made) == len(books):
                BooksLater.write(ready, _downloads(made, staging, out))

    results = run_parallel(_render_one, calls, jobs,
                           started=lambda i: progress(names[i], None), finished=finished,
                           told=lambda i, message: progress(names[i], message),
                           label=lambda i: f"the {names[i]} format", ready=workers)
    return sorted(results, key=lambda r: formats.index(r.name))


def build(root: Path, formats: list[str] | None = None, out_dir: Path | None = None, strict: bool = False,
          jobs: int | None = None, clean: bool = False, fact_sheets: bool = False,
          progress: Progress = lambda name, seconds: None) -> BuildResult:
    """Build `formats` for the project at `root` into `out_dir`: validate, group, render, swap in.

    formats: registry names (render.FORMATS); None: the default ones. out_dir: default
    <root>/output (a symlink is followed). strict: warnings refuse the build. jobs: formats
    rendered at once (default: the number of cores); each renders in its own worker process.
    clean: ignore the render cache. fact_sheets: add the fact-sheets format. progress(name,
    None) when a format starts, progress(name, seconds) when it is done (called in this thread).

    Returns a BuildResult: the Book, the output folder, per format the paths written (relative
    to it), seconds and summary, and the warnings (validation's and the renderers', each once).
    The output folder is replaced in one atomic step only when every format succeeded; otherwise
    it is left exactly as it was.

    Raises UsageError (unknown format, an output folder that cannot be used, another build of the
    project running), InvalidInput (the project has errors, with every issue; a template or
    picture error), RenderError (a format failed: names the format and, when known, the entry),
    BuildFailed (an output or cache that cannot be written, a worker that died). Ctrl-C raises
    KeyboardInterrupt and, under the CLI, SIGTERM Terminated, once the workers are stopped; a
    SIGKILL leaves no worker and no lock behind either (compendium.workers, output.swap).
    """
    formats = list(dict.fromkeys(formats or default_formats()))
    if fact_sheets and "fact-sheets" not in formats:
        formats.append("fact-sheets")
    unknown = [f for f in formats if f not in FORMATS or not FORMATS[f].installed]
    if unknown:
        missing = [f for f in unknown if f in FORMATS]
        hint = f" ({', '.join(missing)} not installed)" if missing else ""
        available = ", ".join(n for n, f in FORMATS.items() if f.installed) or "none"
        raise UsageError(f"unknown format(s): {', '.join(unknown)}{hint}; available: {available}")
    root = root.resolve()
    from compendium.input.series import is_series

    if is_series(root):  # a series of editions: every edition, the retrospectives, one site (output/series.py)
        from compendium.output.series import build_series

        return build_series(root, formats, out_dir, strict, jobs, clean, progress)  # type: ignore[return-value]
    # A symlinked output folder is followed: its target is replaced, the link stays.
    out = Path(os.path.realpath(out_dir or root / OUTPUT_DIR))
    cache = root / CACHE_DIR
    jobs = jobs or os.cpu_count() or 1
    with build_lock(cache / "build.lock"), started_early(min(jobs, len(formats)),
                                                        partial(import_renderers, formats)) as ready:
        book, result = load_book(root, strict, clean=clean)
        _check_output(root, out, book)
        staging = new_staging(root, out, cache / "render" if clean else None)
        digests = Digests(cache / DIGESTS)
        try:
            templates = (root / "templates") if (root / "templates").is_dir() else None
            results = _run_formats(formats, book, staging, out, cache / "render", templates, jobs, progress, ready)
            try:
                _commit(book, results, formats, staging, out, digests)
            except OSError as exc:
                raise BuildFailed(f"cannot write the output folder {out}: {exc.strerror or exc}") from None
            digests.save()
        finally:
            discard_later([staging])  # with the old output in it: the next build deletes what is left
    # the book and the fact sheets meet the same missing glyphs: report each problem once
    warnings = tuple(dict.fromkeys([*result.warnings, *(w for r in results for w in r.warnings)]))
    return BuildResult(book, out, tuple(results), warnings)
