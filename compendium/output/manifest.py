"""Manifest: digests of the inputs and of every output file, written as output/manifest.json.

A build reads back only the files it has not seen: each SHA-256 is kept in the build cache
(`Digests`, <cache>/digests.json) under the file's device, inode, size and modification time
(ns), so a file the build kept (a hard link of the last output, an unchanged entry or picture)
is not read again, and one that was rewritten or edited (a new inode or mtime) is. As git does
with its index, an input modified less than RACY_S seconds before it was read is not kept: two
edits of the same size within one tick of the file system's clock are read again next time.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from compendium import __version__
from compendium.model import Book

MANIFEST = "manifest.json"
_CHUNK = 1 << 20


RACY_S = 2.0  # an input modified this recently (s) may change again within one mtime tick
DIGESTS = "digests.json"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class Digests:
    """SHA-256 of files, kept between builds under (device, inode, size, mtime_ns).

    path: the JSON file that keeps them (None: keep nothing, hash every file). Use `sha256()` for
    each file, then `save()`: it keeps the digests this build used only (a bounded file). A
    damaged or unreadable file is an empty cache; a cache that cannot be written costs time only.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, str] = {}
        self.used: dict[str, str] = {}
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    self.known = {k: v for k, v in data.items() if isinstance(v, str)}
            except (OSError, ValueError):
                pass

    def sha256(self, path: Path, st: os.stat_result | None = None, written: bool = False) -> str:
        """The hex SHA-256 of `path` (`st`: its stat, if known). written: the build wrote the file
        and nothing else writes it (an output): kept however recent its mtime."""
        st = st or path.stat()
        key = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
        digest = self.used.get(key) or self.known.get(key)  # used: a second name of the same file (a hard link)
        if digest is None:
            digest = file_sha256(path)
            if not written and time.time_ns() - st.st_mtime_ns < RACY_S * 1e9:
                return digest  # may change again without a new mtime: read it next time too
        self.used[key] = digest
        return digest

    def save(self) -> None:
        if self.path is None:
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            tmp.write_text(json.dumps(self.used, separators=(",", ":"), sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)


def input_files(root: Path) -> list[Path]:
    """Every file a build reads: the edition file, the introduction, entries and images, templates."""
    files = [root / "compendium.yaml"]
    for folder in ("entries", "templates"):
        for sub, dirs, names in os.walk(root / folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            files.extend(Path(sub) / n for n in names if not n.startswith("."))
    return sorted(set(files))


def input_digest(book: Book, digests: Digests | None = None) -> str:
    """One SHA-256 over the names and contents of every input (what a rebuild would depend on);
    `digests` keeps each file's digest between builds."""
    digests = digests or Digests(None)
    root = book.edition.root
    extra = [p for p in (book.edition.cover.path if book.edition.cover else None,) if p]
    ed = book.edition  # the Markdown files it names may live anywhere in the project: their text counts
    intro = "\0".join((ed.introduction or "", ed.foreword, ed.acknowledgements)).encode()
    h = hashlib.sha256(intro)
    for path in sorted(set(input_files(root)) | set(extra)):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + digests.sha256(path).encode())
    return h.hexdigest()


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output folder, POSIX
    size: int
    sha256: str


def output_files(out: Path, digests: Digests | None = None) -> list[OutputFile]:
    """Every file in `out` but the manifest and dot files, with its size (bytes) and SHA-256, by path."""
    digests = digests or Digests(None)
    found = []
    for sub, dirs, names in os.walk(out):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(sub) / name
            rel = path.relative_to(out).as_posix()
            if rel == MANIFEST or name.startswith("."):
                continue
            st = path.stat()
            found.append(OutputFile(rel, st.st_size, digests.sha256(path, st, written=True)))
    return sorted(found, key=lambda f: f.path)


def write_manifest(book: Book, out: Path, formats: dict[str, list[str]], digests: Digests | None = None) -> Path:
    """output/manifest.json: edition, tool version, input digest, and every output with its size and digest.

    digests: the digests kept between builds (Digests); the caller saves them."""
    data = {
        "edition": {"title": book.edition.title, "year": book.edition.edition, "entries": len(book.entries)},
        "tool": {"name": "compendium", "version": __version__},
        "input_sha256": input_digest(book, digests),
        "formats": {name: sorted(paths) for name, paths in sorted(formats.items())},
        "files": [f.__dict__ for f in output_files(out, digests)],
    }
    path = out / MANIFEST
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
