"""Render (EPUB): each entry's chapter file kept between builds, so pandoc converts only what changed.

pandoc is the EPUB's cost (it converts the whole book in one run: ~13 s of CPU for 1,000
entries). It writes one XHTML file per entry (the book splits at level 3), and that file depends
only on the entry's blocks, on the book's structure (pandoc rewrites links between files to the
file each heading lands in), on the document's metadata and on pandoc itself. So:

1. the book's blocks are cut into runs, one per entry: its level-3 heading (class `entry`) and
   the blocks up to the next heading of level 3 or less;
2. each run is keyed by its JSON, the structure (every heading of level 3 or less, in order), the
   metadata, pandoc's options and the pandoc binary;
3. an entry whose chapter is kept goes to pandoc as a stand-in: its heading (so files, links, nav
   and NCX come out as in a full run), its figures (pictures are numbered and copied in document
   order) and a marker paragraph;
4. after pandoc, the kept chapter replaces the stand-in's file, its pictures' names taken from the
   stand-in's, in order; the chapters pandoc wrote in full are kept for the next build.

The EPUB is the same bytes as after a full run (tests/render/epub/test_chapters.py). Kept chapters
live in `<cache>/epub-chapters/`; after a good build the ones no entry uses are removed.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from compendium.render.pandoc import Json, Para, Str

FOLDER = "epub-chapters"
FORMAT = "1"  # bump when what a kept chapter holds changes
MARKER = "compendium-kept-chapter"  # the stand-in's paragraph: its file is replaced after pandoc
_MEDIA = re.compile(rb'(?<=src=")\.\./media/[^"]+(?=")')


def _is_entry(block: Json) -> bool:
    return block.get("t") == "Header" and block["c"][0] == 3 and "entry" in block["c"][1][1]


def _level(block: Json) -> int:
    return block["c"][0] if block.get("t") == "Header" else 99


@dataclass
class Chapters:
    """The kept chapters of one EPUB build: `stand_in` before pandoc, `splice` after it."""

    folder: Path
    base: str = ""  # digest of what every chapter depends on besides its own blocks
    kept: dict[str, bytes] = field(default_factory=dict)  # entry anchor → its kept chapter
    fresh: dict[str, str] = field(default_factory=dict)  # entry anchor → key, for the chapters pandoc writes
    keys: set[str] = field(default_factory=set)  # every key this build uses

    def stand_in(self, doc: Json, args: list[str], work: Path) -> Json:
        """The document to give pandoc: entries whose chapter is kept replaced by stand-ins."""
        blocks = doc["blocks"]
        structure = [(b["c"][0], b["c"][1][0]) for b in blocks if _level(b) <= 3]
        settings = [a.replace(str(work), "WORK") for a in args if not a.startswith("--epub-embed-font=")]
        self.base = _digest(FORMAT, _pandoc_identity(args[0]), doc["meta"], settings, structure)
        out: list[Json] = []
        i = 0
        while i < len(blocks):
            if not _is_entry(blocks[i]):
                out.append(blocks[i])
                i += 1
                continue
            end = i + 1
            while end < len(blocks) and _level(blocks[end]) > 3:
                end += 1
            run = blocks[i:end]
            anchor = run[0]["c"][1][0]
            key = _digest(self.base, run)
            self.keys.add(key)
            figures = [b for b in run[1:] if b.get("t") == "Figure"]
            kept = self._load(key) if _images(run) == _images(figures) else None
            if kept is not None:
                self.kept[anchor] = kept
                out += [run[0], *figures, Para([Str(MARKER)])]
            else:
                self.fresh[anchor] = key
                out += run
            i = end
        return {**doc, "blocks": out}

    def splice(self, texts: dict[str, bytes]) -> dict[str, bytes] | None:
        """The files of pandoc's EPUB (name → XHTML) to replace with kept chapters; keeps the chapters
        pandoc wrote in full. None when a stand-in is not where it should be (then convert in full)."""
        where = {}
        for name, data in texts.items():
            for anchor in _SECTION.findall(data):
                where.setdefault(anchor.decode(), name)
        replace: dict[str, bytes] = {}
        for anchor, chapter in self.kept.items():
            name = where.get(anchor)
            if name is None or MARKER.encode() not in texts[name] or anchor.encode() not in _SECTION.findall(chapter):
                return None  # the stand-in went astray, or the kept file is not this entry's chapter
            media = _MEDIA.findall(texts[name])
            if len(media) != len(_MEDIA.findall(chapter)):
                return None
            replace[name] = _renamed(chapter, media)
        for anchor, key in self.fresh.items():
            name = where.get(anchor)
            if name is not None:
                self._store(key, texts[name])
        return replace

    def prune(self) -> None:
        """After a good build: forget the chapters no entry uses now."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.stem not in self.keys:
                    path.unlink(missing_ok=True)

    def _load(self, key: str) -> bytes | None:
        try:
            return (self.folder / f"{key}.xhtml").read_bytes()
        except OSError:
            return None

    def _store(self, key: str, data: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".tmp-{key}-{os.getpid()}"
            tmp.write_bytes(data)
            os.replace(tmp, self.folder / f"{key}.xhtml")  # atomic: a killed build leaves no half chapter
        except OSError:
            pass  # a cache that cannot be written costs time, not the build


def _renamed(chapter: bytes, media: list[bytes]) -> bytes:
    """`chapter` with its pictures' paths replaced, in order, by `media`."""
    names = iter(media)
    return _MEDIA.sub(lambda _: next(names), chapter)


_SECTION = re.compile(rb'<section id="([^"]+)" class="level3 entry')


def _images(blocks: list[Json]) -> int:
    """How many pictures `blocks` hold anywhere (a stand-in must keep them all: pandoc numbers them)."""
    return json.dumps(blocks).count('"t": "Image"')


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _pandoc_identity(binary: str) -> str:
    """The pandoc binary, by path, size and time (its version writes the chapters)."""
    try:
        st = os.stat(binary)
    except OSError:
        return binary
    return f"{binary}|{st.st_size}|{st.st_mtime_ns}"
