"""Render (EPUB): each entry's pandoc blocks kept between builds, so a build makes only the changed ones.

Making an entry's blocks parses and typesets its Markdown (about 3 ms an entry: 3 s of a warm
1,000-entry EPUB, where pandoc itself converts only the changed entries, chapters.py). The blocks
depend on the entry, on the numbers of its figures in the book (book.facts.figure_numbers: the
pictures of every entry before it), on its follow-ups (book.facts.follow_ups: the other entries it
names, from the book or the other editions of its series), on its pictures (their normalised copies are named after their
content), on the edition (language, labels, sections, fields...) and on the toolkit's code and
templates; they are kept in `<cache>/epub-entries/<key>.pickle` under a digest of all of these, with
the picture copies they name, which must still exist. The EPUB is the same bytes either way
(tests/render/epub/test_chapters.py).
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compendium import kept
from compendium.book.facts import follow_ups
from compendium.model import Entry
from compendium.render.epub.entry import entry_blocks
from compendium.render.pandoc import Json

if TYPE_CHECKING:
    from compendium.render.epub.book import Layout

FOLDER = "epub-entries"
FORMAT = "1"  # bump when what is kept changes


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _templates(folder: Path | None) -> list[tuple[str, bytes]]:
    if folder is None or not (folder / "epub").is_dir():
        return []
    return [(p.relative_to(folder).as_posix(), p.read_bytes()) for p in sorted((folder / "epub").rglob("*")) if p.is_file()]


def _images(blocks: Any, found: list[str]) -> list[str]:
    """The targets of every Image in `blocks` (pandoc JSON), in order."""
    if isinstance(blocks, dict):
        if blocks.get("t") == "Image":
            found.append(blocks["c"][2][0])
        for value in blocks.values():
            _images(value, found)
    elif isinstance(blocks, list):
        for value in blocks:
            _images(value, found)
    return found


class KeptEntries:
    """The entries' blocks of one EPUB build: `key(entry)` and `blocks(entry, key)` for each, then `prune()`."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        # one folder per book: the books of a series share the cache, and each forgets only its own
        self.folder = layout.cache_dir / FOLDER / layout.book.edition.file_stem
        project = getattr(layout.env, "project_templates", None)
        self.base = _digest(FORMAT, kept.code_digest(), layout.book.edition, _templates(project))
        self.used: set[str] = set()

    def key(self, entry: Entry) -> str:
        """The digest the entry's blocks are kept under (everything they depend on, above)."""
        numbers = [self.layout.figure_numbers.get((entry.id, i)) for i in range(len(entry.images))]
        pictures = []
        for img in entry.images:
            try:
                st = img.path.stat()
                pictures.append((str(img.path), st.st_size, st.st_mtime_ns))
            except OSError:
                pictures.append((str(img.path), -1, -1))
        # its follow-ups: the other entries' titles, years, and whether this book holds them (a link)
        follows = follow_ups(entry, self.layout.book, self.layout.labels)
        key = _digest(self.base, entry, numbers, pictures, follows)
        self.used.add(key)
        return key

    def blocks(self, entry: Entry, key: str | None = None) -> list[Json]:
        """entry_blocks(layout, entry), kept under `key` (self.key(entry)) or made (and kept)."""
        path = self.folder / f"{key or self.key(entry)}.pickle"
        found = kept.load(path, tuple)
        if found is not None and len(found) == 2 and all(Path(p).is_file() for p in found[1]):
            return found[0]
        blocks = entry_blocks(self.layout, entry)
        try:
            kept.store(path, (blocks, _images(blocks, [])))
        except OSError:
            pass  # a cache that cannot be written costs time, not the build
        return blocks

    def prune(self) -> None:
        """Forget the blocks no entry of this book uses (a changed or removed entry's)."""
        if self.folder.is_dir():
            for path in self.folder.glob("*.pickle"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)
