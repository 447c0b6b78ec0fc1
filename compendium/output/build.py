"""Build: the editor's job top to bottom — validate, group, render the formats, swap the output in.

Everything is checked before anything is written. The formats render in parallel processes into
a staging folder; the staging folder becomes the new output in one atomic exchange only when
every requested format succeeded, so a failed, interrupted or killed build leaves the previous
output exactly as it was.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import tempfile
import time
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.queues import Queue
from queue import Empty
from pathlib import Path
from typing import Callable

from compendium.errors import BuildFailed, CompendiumError, InvalidInput, RenderError, UsageError
from compendium.book.group import build_book
from compendium.output.manifest import read_manifest, write_manifest
from compendium.model import Book, Issue
from compendium.render import FORMATS, default_formats, render_order
from compendium.render.common import Download, RenderContext
from compendium.output.swap import build_lock, link_tree, replace_dir
from compendium.input.validate import Result, validate_project

OUTPUT_DIR = "output"
# progress(format, None) when a format starts, progress(format, "what it does now") while it
# works (RenderContext.step), progress(format, seconds) when it is done
Progress = Callable[[str, "float | str | None"], None]
CACHE_DIR = ".compendium-cache"


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


def load_book(root: Path, strict: bool = False) -> tuple[Book, Result]:
    """Validate the whole project and group it; raise with every issue when it has errors."""
    result = validate_project(root)
    failing = result.errors + result.warnings if strict else result.errors  # notes never fail a build
    if failing or result.edition is None:
        raise InvalidInput("the project has errors; nothing was built", result.issues)
    return build_book(result.edition, result.entries), result


def _render_one(name: str, book: Book, staging: Path, cache_dir: Path, templates: Path | None,
                downloads: tuple[Download, ...] = (), jobs: int = 1,
                progress: Progress | None = None) -> FormatResult:
    """Run one renderer into its own staging folder (in a worker process, or in this one when
    `progress` is given); its steps go to `progress`, or to the parent's queue from a worker."""
    started = time.perf_counter()
    ctx = RenderContext(out_dir=staging, cache_dir=cache_dir, templates_dir=templates, downloads=downloads,
                        step=_stepper(name, progress), jobs=jobs)
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


def _assemble(book: Book, results: list[FormatResult], formats: list[str], staging: Path, out: Path) -> None:
    """The new output: the old one (hard links) with the rebuilt formats replaced, then swapped in."""
    new = staging / "new"
    produced = {p.split("/")[0] for r in results for p in r.paths}
    link_tree(out, new, skip=produced | {"manifest.json"})
    for r in results:
        for top in sorted({p.split("/")[0] for p in r.paths}):
            os.replace(staging / r.name / top, new / top)
    manifest_formats = {k: v for k, v in read_manifest(out).get("formats", {}).items()
                        if k not in formats and all((new / p).exists() for p in v)}
    manifest_formats.update({r.name: list(r.paths) for r in results})
    write_manifest(book, new, manifest_formats)
    replace_dir(new, out)


def _staging_parent(root: Path, out: Path) -> Path:
    """Stage inside the cache folder when it shares a filesystem with the output (renames stay atomic)."""
    cache = root / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    return cache if os.stat(cache).st_dev == os.stat(out.parent).st_dev else out.parent


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


_STEPS: Queue | None = None  # in a worker process: where its renderer's steps go to the parent


def _init_worker(steps: Queue) -> None:
    """Workers leave Ctrl-C to the parent, which stops them and reports once (no traceback per
    worker); they send their renderer's steps to the parent through `steps`."""
    global _STEPS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STEPS = steps


def _stepper(name: str, progress: Progress | None) -> Callable[[str], None]:
    if progress is not None:
        return lambda message: progress(name, message)
    steps = _STEPS
    if steps is None:
        return lambda message: None
    return lambda message: steps.put((name, message))


def _relay(steps: Queue, progress: Progress) -> None:
    """Pass the steps the workers sent on to `progress`."""
    while True:
        try:
            name, message = steps.get_nowait()
        except Empty:
            return
        progress(name, message)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()


def _run_wave(names: list[str], book: Book, staging: Path, cache: Path, templates: Path | None, jobs: int,
              progress: Progress, downloads: tuple[Download, ...]) -> list[FormatResult]:
    """Render formats that do not depend on each other, in worker processes when there are several."""
    results: list[FormatResult] = []
    if jobs <= 1 or len(names) <= 1:
        for name in names:
            progress(name, None)
            results.append(_render_one(name, book, staging / name, cache, templates, downloads, jobs, progress))
            progress(name, results[-1].seconds)
        return results
    steps: Queue = get_context().Queue()
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(names)), initializer=_init_worker, initargs=(steps,))
    try:
        futures = {}
        for name in names:
            progress(name, None)
            futures[pool.submit(_render_one, name, book, staging / name, cache, templates, downloads, jobs)] = name
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_EXCEPTION)
            _relay(steps, progress)
            for future in done:
                result = future.result()  # re-raises the worker's error: the build stops here
                progress(result.name, result.seconds)
                results.append(result)
    except BaseException:
        _stop_workers(pool)  # a failed format or Ctrl-C: don't wait for the other formats to finish
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def _run_formats(formats: list[str], book: Book, staging: Path, out: Path, cache: Path, templates: Path | None,
                 jobs: int, progress: Progress) -> list[FormatResult]:
    """Render the formats wave by wave (Format.after): the books first, then the site that links them."""
    for name in formats:
        (staging / name).mkdir(parents=True)
    results: list[FormatResult] = []
    for wave in render_order(formats):
        downloads = _downloads(results, staging, out) if any(FORMATS[n].after for n in wave) else ()
        results += _run_wave(wave, book, staging, cache, templates, jobs, progress, downloads)
    return sorted(results, key=lambda r: formats.index(r.name))


def build(root: Path, formats: list[str] | None = None, out_dir: Path | None = None, strict: bool = False,
          jobs: int | None = None, clean: bool = False, fact_sheets: bool = False,
          progress: Progress = lambda name, seconds: None) -> BuildResult:
    """Build `formats` (default: all) for the project at `root` into `out_dir` (default output/)."""
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
    # A symlinked output folder is followed: its target is replaced, the link stays.
    out = Path(os.path.realpath(out_dir or root / OUTPUT_DIR))
    cache = root / CACHE_DIR
    with build_lock(cache / "build.lock"):
        book, result = load_book(root, strict)
        _check_output(root, out, book)
        if clean:
            shutil.rmtree(cache / "render", ignore_errors=True)
        parent = _staging_parent(root, out)
        # named after the project: beside a shared output parent, never touch another project's build
        prefix = f".staging-{hashlib.sha256(str(root).encode()).hexdigest()[:8]}-"
        for stale in parent.glob(prefix + "*"):  # left by a killed build of this project; we hold the lock
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        try:
            templates = (root / "templates") if (root / "templates").is_dir() else None
            results = _run_formats(formats, book, staging, out, cache / "render", templates,
                                   jobs or os.cpu_count() or 1, progress)
            try:
                _assemble(book, results, formats, staging, out)
            except OSError as exc:
                raise BuildFailed(f"cannot write the output folder {out}: {exc.strerror or exc}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    # the book and the fact sheets meet the same missing glyphs: report each problem once
    warnings = tuple(dict.fromkeys([*result.warnings, *(w for r in results for w in r.warnings)]))
    return BuildResult(book, out, tuple(results), warnings)
