"""Build (incremental): the digests a book's files are kept under, so that a rebuild renders a book
again only when something it is made of changed (output/series.py, the manifest's `digests`).

What a book's file depends on: the book as validated (its settings, entries and their order, the
paths of its pictures), the bytes of its pictures and cover, the format and its options, the
project's templates of that format, the toolkit itself (code, data, default templates) and
SOURCE_DATE_EPOCH; and the Python distributions installed (fonts, reportlab, pandoc...). A
change in the fonts of the system (fontconfig) is not seen: `--clean` renders everything again.
"""
from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import replace
from pathlib import Path

from compendium import __version__, kept
from compendium.model import Book
from compendium.output.manifest import file_sha256
from compendium.render import FORMATS, option_value


def book_digest(book: Book) -> str:
    """SHA-256 of everything a book's files are made of, but the templates and the tool: the book
    as validated (every value of the edition and its entries, their order, the paths of their
    pictures) and the bytes of those pictures."""
    h = hashlib.sha256(repr(replace(book, warnings=())).encode("utf-8"))
    images = [i for e in book.entries for i in e.images]
    if book.edition.cover is not None:
        images.append(book.edition.cover)
    for image in images:
        h.update(b"\0" + file_sha256(image.path).encode())
    return h.hexdigest()


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + file_sha256(path).encode())
    return h.hexdigest()


def installed() -> str:
    """The Python distributions installed where the toolkit runs, as `name-version` lines: the fonts
    (installing the CJK extra adds Chinese to the books), reportlab, pandoc, Pagefind... any of them
    can change a book's bytes. Read from the names of the `*.dist-info` folders (no metadata file
    is opened: a few milliseconds)."""
    import sys

    names = set()
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.is_dir():
            names.update(p.name for p in folder.glob("*.dist-info"))
    return "\n".join(sorted(names))


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of the toolkit itself: its version, its code, data and default templates (a renderer
    changed between two builds with the same version number must not leave stale books)."""
    return hashlib.sha256("\0".join([__version__, installed(), kept.code_digest()]).encode()).hexdigest()


def format_digest(book_sha256: str, book: Book, fmt: str, templates: Path | None) -> str:
    """The digest a book's file in format `fmt` is kept under: the book's (`book_sha256`, see
    book_digest), the format and its options, the project's templates of that format (`templates`:
    the project's templates/ folder or None), the toolkit (code_digest) and SOURCE_DATE_EPOCH."""
    options = [(o.key, option_value(book.edition, fmt, o.key)) for o in FORMATS[fmt].options]
    parts = [book_sha256, fmt, repr(options), code_digest(), os.environ.get("SOURCE_DATE_EPOCH", ""),
             _tree_digest(templates / fmt) if templates else ""]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
