"""Manifest: digests of the inputs and of every output file, written as output/manifest.json."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from compendium import __version__
from compendium.model import Book

MANIFEST = "manifest.json"
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def input_files(root: Path) -> list[Path]:
    """Every file a build reads: the edition file, the introduction, entries and images, templates."""
    files = [root / "compendium.yaml"]
    for folder in ("entries", "templates"):
        for sub, dirs, names in os.walk(root / folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            files.extend(Path(sub) / n for n in names if not n.startswith("."))
    return sorted(set(files))


def input_digest(book: Book) -> str:
    """One SHA-256 over the names and contents of every input (what a rebuild would depend on)."""
    root = book.edition.root
    extra = [p for p in (book.edition.cover.path if book.edition.cover else None,) if p]
    ed = book.edition  # the Markdown files it names may live anywhere in the project: their text counts
    intro = "\0".join((ed.introduction or "", ed.foreword, ed.acknowledgements)).encode()
    h = hashlib.sha256(intro)
    for path in sorted(set(input_files(root)) | set(extra)):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + file_sha256(path).encode())
    return h.hexdigest()


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output folder, POSIX
    size: int
    sha256: str


def output_files(out: Path) -> list[OutputFile]:
    found = []
    for sub, dirs, names in os.walk(out):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(sub) / name
            rel = path.relative_to(out).as_posix()
            if rel == MANIFEST or name.startswith("."):
                continue
            found.append(OutputFile(rel, path.stat().st_size, file_sha256(path)))
    return sorted(found, key=lambda f: f.path)


def write_manifest(book: Book, out: Path, formats: dict[str, list[str]]) -> Path:
    """output/manifest.json: edition, tool version, input digest, and every output with its size and digest."""
    data = {
        "edition": {"title": book.edition.title, "year": book.edition.edition, "entries": len(book.entries)},
        "tool": {"name": "compendium", "version": __version__},
        "input_sha256": input_digest(book),
        "formats": {name: sorted(paths) for name, paths in sorted(formats.items())},
        "files": [f.__dict__ for f in output_files(out)],
    }
    path = out / MANIFEST
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
