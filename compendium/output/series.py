"""Build (a series of editions): each edition's books, the retrospectives, the OPDS catalogue, the
manifest, and one website across the editions — top to bottom, like build.py.

`output/build.py` hands a project whose compendium.yaml is a series file to `build_series`. The
series is validated whole and each book (an edition, a retrospective) grouped once. A book's
file is rendered again only when what it depends on changed: its digest (the book as validated,
the pictures' bytes, the templates of its format, the tool's version, SOURCE_DATE_EPOCH) is kept
in the manifest, and an unchanged book's file is carried into the new output as a hard link of
the old one (same inode, same modification time: untouched). The rest is as for one edition:
render in worker processes into a staging folder, swap the new output in atomically.

Output: `<edition slug>-<year>.pdf|.epub` per edition, `<retrospective id>.pdf|.epub`,
`fact-sheets/<edition folder>/<entry id>.pdf` (with --fact-sheets), `html/` (the site across
editions), `catalog.xml` (OPDS) and `manifest.json`.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from compendium import __version__
from compendium.book.group import build_book, build_retrospective, series_book, with_related
from compendium.errors import BuildFailed, InvalidInput, UsageError
from compendium.input.series import SeriesResult, validate_series
from compendium.model import Book, Issue, Series
from compendium.output.build import (
    CACHE_DIR,
    OUTPUT_DIR,
    FormatResult,
    _overlaps,
    _render_one,
    for_publishing,
    new_staging,
    unfinished_hint,
)
from compendium.output.digests import book_digest, format_digest
from compendium.output.manifest import MANIFEST, output_files, read_manifest
from compendium.output.swap import build_lock, link_tree, replace_dir
from compendium.render import FORMATS, option_value
from compendium.render.common import Download, SeriesContext
from compendium.workers import deferred_signals, run_parallel

Progress = Callable[[str, "float | None"], None]
SITE_FORMAT = "html"  # one site across the editions; every other format is rendered once per book


@dataclass(frozen=True)
class Volume:
    """One book of the series: an edition (`key` its folder) or a retrospective (`key` its id)."""

    key: str  # how progress lines, the closing table and the manifest name it
    kind: str  # "edition" or "retrospective"
    book: Book
    digest: str  # of the book as validated and the bytes of its pictures (see book_digest)


def load_series(root: Path, strict: bool = False, publishing: bool = True) -> tuple[Series, SeriesResult]:
    """Validate the whole series at `root`; raise InvalidInput with every issue when it has errors
    (or warnings, with `strict`). `publishing`: as build.load_book's (template text is an error)."""
    result = for_publishing(validate_series(root), publishing)
    failing = result.errors + result.warnings if strict else result.errors  # notes never fail a build
    if failing or result.series is None:
        raise InvalidInput(f"the project has errors; nothing was built{unfinished_hint(failing)}", result.issues)
    return result.series, result


def volumes(series: Series, result: SeriesResult) -> list[Volume]:
    """Every book of the series: its editions (oldest first), then its retrospectives."""
    books = result.books()
    everyone = [x for _, entries in books for x in entries]  # the follow-ups a book names (group.with_related)
    out = [Volume(e.folder, "edition", with_related(build_book(e, entries), everyone), "") for e, entries in books]
    out += [Volume(r.id, "retrospective", with_related(build_retrospective(series, r, books), everyone), "")
            for r in series.retrospectives]
    return [replace(v, digest=book_digest(v.book)) for v in out]


@dataclass(frozen=True)
class Task:
    """A book's file to render (or to keep): the book, the format, where its files go."""

    volume: Volume
    fmt: str
    digest: str

    @property
    def name(self) -> str:
        return f"{self.volume.key} {self.fmt}"

    def place(self, top: str) -> str:
        """Where a top-level path the renderer wrote goes in the output: a file beside the others,
        a folder (the fact sheets) into `<folder>/<edition folder>/`."""
        return f"{top}/{self.volume.key}" if FORMATS[self.fmt].produces == "folder" else top

    @property
    def cost(self) -> int:
        """A rough weight, to start the longest renders first (the PDF lays out every page)."""
        return len(self.volume.book.entries) * (3 if self.fmt == "pdf" else 1)


@dataclass(frozen=True)
class SeriesBuildResult:
    """What a series build did: the books rendered and kept, the site, and the output folder."""

    series: Series
    out: Path
    volumes: tuple[Volume, ...]
    rendered: tuple[tuple[Task, FormatResult], ...]
    kept: tuple[Task, ...]
    site: FormatResult | None = None
    warnings: tuple[Issue, ...] = field(default=())

    def outline(self) -> list[str]:
        """The series as built, a line per book (the CLI prints it)."""
        s = self.series.settings
        entries = sum(len(v.book.entries) for v in self.volumes if v.kind == "edition")
        retros = sum(v.kind == "retrospective" for v in self.volumes)
        lines = [f"{s.title}: {_count(len(self.series.editions), 'edition')}, {_count(entries, 'entry', 'entries')}, "
                 f"{_count(retros, 'retrospective')}"]
        done = {(t.volume.key, t.fmt): "built" for t, _ in self.rendered} | {(t.volume.key, t.fmt): "unchanged"
                                                                           for t in self.kept}
        for v in self.volumes:
            what = ", ".join(f"{fmt} {state}" for (key, fmt), state in sorted(done.items()) if key == v.key)
            e = v.book.edition
            title = e.label if v.kind == "edition" or e.label in e.title else f"{e.title} ({e.label})"
            title = title if v.kind == "edition" else f"{e.title}" if e.label in e.title else title
            lines.append(f"  {title}: {_count(len(v.book.entries), 'entry', 'entries')} in "
                         f"{_count(len(v.book.parts), 'part')}"
                         + (f"; {what}" if what else ""))
        return lines

    def table_rows(self) -> list[tuple[str, str, int, str, str, float]]:
        """(format, file, size in bytes, contents, sha256, seconds) per book file and the site."""
        files = {f["path"]: f for f in read_manifest(self.out).get("files", [])}
        rows = []
        entries = [(t, r.summary, r.seconds) for t, r in self.rendered] + [(t, "unchanged", 0.0) for t in self.kept]
        for task, summary, seconds in sorted(entries, key=lambda x: (x[0].volume.key, x[0].fmt)):
            for path in _paths_of(task, self.out):
                inside = [f for p, f in files.items() if p == path or p.startswith(path + "/")]
                digest = inside[0]["sha256"] if len(inside) == 1 else _listing_digest(inside)
                folder = FORMATS[task.fmt].produces == "folder"
                rows.append((task.fmt, path + ("/" if folder else ""), sum(f["size"] for f in inside), summary,
                             digest, seconds))
        if self.site is not None:
            inside = [f for p, f in files.items() if p.startswith("html/")]
            rows.append((SITE_FORMAT, "html/", sum(f["size"] for f in inside), self.site.summary,
                         _listing_digest(inside), self.site.seconds))
        for name in ("catalog.xml",):
            if name in files:
                rows.append(("opds", name, files[name]["size"], f"{len(self.volumes)} books", files[name]["sha256"], 0.0))
        return rows


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _listing_digest(files: list[dict]) -> str:
    return hashlib.sha256("".join(f"{f['path']}\0{f['sha256']}\n" for f in files).encode()).hexdigest()


def _paths_of(task: Task, out: Path) -> list[str]:
    """The output paths of a book's file as the manifest records them."""
    data = read_manifest(out).get("books", {}).get(task.volume.key, {})
    return data.get("files", {}).get(task.fmt, [])


# --- rendering ---------------------------------------------------------------------------------

def _render_task(task: Task, staging: Path, cache: Path, templates: Path | None) -> FormatResult:
    staging.mkdir(parents=True, exist_ok=True)
    return _render_one(task.fmt, task.volume.book, staging, cache, templates)


def render_tasks(tasks: list[Task], staging: Path, cache: Path, templates: Path | None, jobs: int,
                 progress: Progress) -> list[tuple[Task, FormatResult]]:
    """Render every task into `staging/<n>/` (n: its index in `tasks`), the longest first, `jobs` at
    a time, each in a worker process (compendium.workers: stopped at once by Ctrl-C, never left
    behind). Returns (task, result) in the order of `tasks`; the first failure stops the others
    and is raised."""
    order = sorted(range(len(tasks)), key=lambda i: -tasks[i].cost)
    results = run_parallel(_render_task, [(tasks[i], staging / str(i), cache, templates) for i in order], jobs,
                           started=lambda k: progress(tasks[order[k]].name, None),
                           finished=lambda k, result: progress(tasks[order[k]].name, result.seconds),
                           told=lambda k, message: progress(tasks[order[k]].name, message),
                           label=lambda k: f"the {tasks[order[k]].name}")
    by_task = dict(zip(order, results))
    return [(tasks[i], by_task[i]) for i in range(len(tasks))]


# --- the build, top to bottom ------------------------------------------------------------------

def render_site(series: Series, result: SeriesResult, vols: list[Volume], rendered: list[tuple[Task, FormatResult]],
                kept: list[Task], staging: Path, out: Path, cache: Path, templates: Path | None,
                progress: Progress) -> FormatResult:
    """The website across the editions into `staging/site/html`: the Book of every entry
    (group.series_book) with the series context (each edition's Book and each book's files, just
    rendered or kept from the last build, which the site copies into itself for download)."""
    downloads, files = [], []
    for index, (task, r) in enumerate(rendered):
        if FORMATS[task.fmt].produces == "file" and len(r.paths) == 1:
            path = staging / "render" / str(index) / r.paths[0]
            downloads.append(Download(task.fmt, r.paths[0], path.stat().st_size, path))
            files.append((task.volume.key, r.paths[0]))
    for task in kept:
        paths = read_manifest(out)["books"][task.volume.key]["files"][task.fmt]
        if FORMATS[task.fmt].produces == "file" and len(paths) == 1 and task.fmt in FORMATS:
            downloads.append(Download(task.fmt, paths[0], (out / paths[0]).stat().st_size, out / paths[0]))
            files.append((task.volume.key, paths[0]))
    order = {v.key: i for i, v in enumerate(vols)}
    downloads.sort(key=lambda d: (order[next(k for k, f in files if f == d.file)], d.format))
    context = SeriesContext(tuple(v.book for v in vols if v.kind == "edition"),
                            tuple(v.book for v in vols if v.kind == "retrospective"), tuple(files))
    name = f"site {SITE_FORMAT}"
    progress(name, None)
    site = _render_one(SITE_FORMAT, series_book(series, result.books()), staging / "site", cache, templates,
                       tuple(downloads), series=context)
    progress(name, site.seconds)
    return site


def _plan(vols: list[Volume], formats: list[str], templates: Path | None, old: dict, out: Path,
          clean: bool = False) -> tuple[list[Task], list[Task]]:
    """(tasks to render, tasks whose files are kept from the last build): a requested file whose
    digest is the one the manifest records, and whose files are still there, is kept (unless
    `clean`); a format not requested keeps the last build's file of each book still in the series."""
    render, keep = [], []
    recorded = old.get("books", {})
    for v in vols:
        before = recorded.get(v.key, {})
        for fmt in dict.fromkeys([*formats, *before.get("files", {})]):
            # a format that writes a folder (the fact sheets) is one per edition: a retrospective's
            # entries are its editions'
            if fmt == SITE_FORMAT or fmt not in FORMATS or (FORMATS[fmt].produces == "folder" and v.kind != "edition"):
                continue
            task = Task(v, fmt, format_digest(v.digest, v.book, fmt, templates))
            paths = before.get("files", {}).get(fmt, [])
            there = bool(paths) and all((out / p).exists() for p in paths)
            if fmt in formats:
                if there and not clean and before.get("digests", {}).get(fmt) == task.digest:
                    keep.append(task)
                else:
                    render.append(task)
            elif there:
                keep.append(replace(task, digest=before.get("digests", {}).get(fmt, "")))
    return render, keep


def _check_output(root: Path, out: Path, series: Series) -> None:
    """Refuse an output folder whose replacement would swallow the project, its inputs or its cache."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"cannot build into {out}: it is a file, not a folder")
    if out == root or out in root.parents:
        raise UsageError(f"cannot build into {out}: it holds the project itself; pick a folder such as {root / OUTPUT_DIR}")
    inputs = ["compendium.yaml", "templates", CACHE_DIR, *(e.folder for e in series.editions)]
    for name in inputs:
        if _overlaps(out, root / name):
            raise UsageError(f"cannot build into {out}: it overlaps the project's {name}; "
                             f"pick a folder such as {root / OUTPUT_DIR}")
    for cover in [e.cover for e in series.editions] + [r.cover for r in series.retrospectives]:
        if cover is not None and Path(os.path.realpath(cover.path)).is_relative_to(out):
            raise UsageError(f"cannot build into {out}: it holds the cover {cover.path}, an input of the build")


def _link(src: Path, dst: Path) -> None:
    """Carry a kept file (or folder) into the new output as a hard link: same inode, same mtime."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        link_tree(src, dst, skip=set())
        return
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _assemble(series: Series, vols: list[Volume], rendered: list[tuple[Task, FormatResult]], kept: list[Task],
              site: FormatResult | None, staging: Path, out: Path, old: dict) -> Path:
    """The new output in `staging/new`: what the last build wrote is left out, except the books kept
    (hard links) and the site when it is not rebuilt; files the build never wrote (dot files, a
    deployment's own files) are kept as they are. Returns the folder."""
    new = staging / "new"
    written_before = {f["path"].split("/")[0] for f in old.get("files", [])} | {MANIFEST}
    link_tree(out, new, skip=written_before)
    books: dict[str, dict] = {}
    for task in kept:
        paths = old["books"][task.volume.key]["files"][task.fmt]
        for p in paths:
            _link(out / p, new / p)
        books.setdefault(task.volume.key, {"files": {}, "digests": {}})
        books[task.volume.key]["files"][task.fmt] = paths
        books[task.volume.key]["digests"][task.fmt] = task.digest
    for index, (task, result) in enumerate(rendered):  # render_tasks wrote task n into staging/render/<n>
        paths = []
        for top in sorted({p.split("/")[0] for p in result.paths}):
            target = task.place(top)
            (new / target).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / "render" / str(index) / top, new / target)
            paths.append(target)
        books.setdefault(task.volume.key, {"files": {}, "digests": {}})
        books[task.volume.key]["files"][task.fmt] = paths
        books[task.volume.key]["digests"][task.fmt] = task.digest
    if site is not None:
        os.replace(staging / "site" / SITE_FORMAT, new / SITE_FORMAT)
    elif (out / SITE_FORMAT).is_dir() and SITE_FORMAT in written_before:
        link_tree(out / SITE_FORMAT, new / SITE_FORMAT, skip=set())
    from compendium.output.catalog import write_catalog

    write_catalog(series, vols, books, new)
    _write_manifest(series, vols, books, new)
    return new


def _write_manifest(series: Series, vols: list[Volume], books: dict[str, dict], out: Path) -> Path:
    """manifest.json of a series: the tool, every book (edition or retrospective) with its files,
    their SHA-256 and the digest of what they were made from, and every output file."""
    import json

    files = {f.path: f for f in output_files(out)}
    listed = []
    for v in vols:
        record = books.get(v.key, {"files": {}, "digests": {}})
        e = v.book.edition
        listed.append({
            "id": v.key, "kind": v.kind, "title": e.title, "years": list(e.years or (e.edition,)),
            "entries": len(v.book.entries), "input_sha256": v.digest,
            "files": {fmt: sorted(paths) for fmt, paths in sorted(record["files"].items())},
            "digests": dict(sorted(record["digests"].items())),
            "sha256": {p: files[p].sha256 for fmt, paths in sorted(record["files"].items()) for p in paths if p in files},
        })
    data = {
        "series": {"title": series.settings.title, "editions": list(series.years)},
        "tool": {"name": "compendium", "version": __version__},
        "books": {b["id"]: b for b in listed},
        "files": [f.__dict__ for f in files.values()],
    }
    path = out / MANIFEST
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _swap_in(new: Path, out: Path) -> None:
    """The new output in place in one atomic exchange, Ctrl-C and SIGTERM held back meanwhile; a
    signal that came then takes effect after, saying the output was replaced (as build._commit)."""
    swapped = False
    try:
        with deferred_signals():
            replace_dir(new, out)
            swapped = True
    except KeyboardInterrupt as exc:
        if not swapped:
            raise
        raise type(exc)(f"the new output was already in place in {out}") from None


def build_series(root: Path, formats: list[str], out_dir: Path | None = None, strict: bool = False,
                 jobs: int | None = None, clean: bool = False,
                 progress: Progress = lambda name, seconds: None) -> SeriesBuildResult:
    """Build the series at `root` into `out_dir` (default output/): the books of `formats` (epub,
    pdf, fact-sheets) of every edition and retrospective whose input changed, the site across
    editions when `html` is among them, the OPDS catalogue and the manifest.

    Raises InvalidInput (the series has errors, or warnings with `strict`; nothing is written),
    UsageError (an output folder that cannot be used, another build running), RenderError and
    BuildFailed (a book that failed to render; the previous output is left as it was).
    """
    root = root.resolve()
    out = Path(os.path.realpath(out_dir or root / OUTPUT_DIR))
    cache = root / CACHE_DIR
    with build_lock(cache / "build.lock"):
        series, result = load_series(root, strict)
        _check_output(root, out, series)
        if clean:
            shutil.rmtree(cache / "render", ignore_errors=True)
        vols = volumes(series, result)
        templates = (root / "templates") if (root / "templates").is_dir() else None
        old = read_manifest(out)
        tasks, kept = _plan(vols, formats, templates, old, out, clean)
        staging = new_staging(root, out)
        try:
            rendered = render_tasks(tasks, staging / "render", cache / "render", templates,
                                    jobs or os.cpu_count() or 1, progress)
            site = None
            if SITE_FORMAT in formats:
                site = render_site(series, result, vols, rendered, kept, staging, out, cache / "render", templates,
                                   progress)
            try:
                new = _assemble(series, vols, rendered, kept, site, staging, out, old)
                _swap_in(new, out)
            except OSError as exc:
                raise BuildFailed(f"cannot write the output folder {out}: {exc.strerror or exc}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    warnings = [*result.warnings, *(w for _, r in rendered for w in r.warnings), *(site.warnings if site else ())]
    return SeriesBuildResult(series, out, tuple(vols), tuple(rendered), tuple(kept), site,
                             tuple(dict.fromkeys(warnings)))


__all__ = ["SeriesBuildResult", "Volume", "book_digest", "build_series", "load_series", "volumes"]
