"""Render (EPUB): the last build's pandoc output kept per book, so pandoc converts only what changed.

pandoc's EPUB writer costs ~2.3 ms per file it writes whatever the file holds (1,000 entries:
3 s), so a warm build must not hand it the whole book. Each file pandoc writes depends only on its
run of blocks (runs.py), on the files the run's links land in, on the names of its pictures, on
the document's metadata and pandoc's options. After every build the EPUB pandoc's output makes
(`<cache>/epub-chapters/<book>.pickle`) is kept with each run's key and Info. The next build
takes one of three paths:

- **changed runs only** — same metadata, options, files (the headings that open them), pictures,
  fonts and pandoc: pandoc converts a small document, a blank level-1 heading and the runs whose
  key or link files changed, with every link `#x` already written `chNNN.xhtml#x` (the file of the
  whole book). Each file it writes replaces the kept one of the same run, its <title> (the file's
  name) and its pictures' names (the whole book's) put back; the fonts, stylesheet and cover are
  taken from it too (they follow the book's text and templates, not its files).
- **stand-ins** — same metadata, options and files, but other pictures or fonts: the whole book
  goes to pandoc with each kept entry replaced by a stand-in (its heading, its figures, a marker
  paragraph), and the kept files are put back after it, their pictures renamed in order.
- **whole book** — anything else (an entry added, removed or moved; a new title or setting).

The EPUB is the same bytes whichever path made it (tests/render/epub/test_chapters.py). When a
check fails (a file not where it should be, a picture count that differs) the book is converted
whole; a kept output that cannot be read is only a slower build.
"""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from compendium import kept as store
from compendium.render.epub.runs import Info, Run, digest, info, ref_map, resolved, with_files
from compendium.render.pandoc import Header, Json, Para, Str, attr, document

FOLDER = "epub-chapters"
FORMAT = "2"  # bump when what is kept changes
MARKER = "compendium-kept-chapter"  # a stand-in's paragraph: its file is replaced after pandoc
BLANK = "compendium-changed-runs"  # the id of the small document's opening heading
_CHUNK = re.compile(r"(?:^|/)ch(\d+)\.xhtml$")
_MEDIA = re.compile(rb'(?<=src="\.\./media/)[^"]+(?=")')
_FILE_MEDIA = re.compile(r"(?:^|/)media/file\d+\.[^/]*$")
_HREF = re.compile(rb'href="((?:ch\d+\.xhtml)?#[^"]*)"')
_COVER = re.compile(rb'xlink:href="\.\./media/([^"]+)"')
_TITLE = re.compile(rb"<title>[^<]*</title>")
# what pandoc's package document says about a file besides its name (manifest `properties`)
_PROPERTIES = (b"<svg", b"<math", b"<script", b"<form", b"epub:switch")


class Chapters:
    """The kept output of one book: `plan` before pandoc, `assemble` after it, then `save`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        found = store.load(path, dict)
        self.last: dict[str, Any] = found if found is not None and found.get("format") == FORMAT else {}
        self.infos: dict[str, Info] = dict(self.last.get("infos", {}))
        self.runs: list[Run] = []
        self.mode = "whole"  # "changed", "stand-ins" or "whole": the path this build takes
        self.changed: list[int] = []  # the runs pandoc converts (changed path)
        self.kept: dict[int, bytes] = {}  # run → its kept file (stand-in path)
        self.base = self.frame = self.extras = ""
        self.resolved: list[tuple[tuple[str, int], ...]] = []
        self.meta: Json = {}
        self.pandoc = True  # whether pandoc runs this build

    # ------------------------------------------------------------------ before pandoc

    def plan(self, meta: Json, runs: list[Run], args: Sequence[str], work: Path, extras: object,
             epoch: int, contents: bool) -> Json | None:
        """Choose the path and return the document pandoc converts (None: pandoc need not run).

        `args`: pandoc's command (without --output); `extras`: what the fonts, stylesheet and cover
        are made of; `contents`: whether repack writes the contents into the nav and NCX (pandoc's
        own lists name the headings, which a changed run may rename).
        """
        self.runs, self.meta = runs, meta
        infos = [self._info(r) for r in runs]
        refs = ref_map(infos)
        self.resolved = [resolved(inf, refs) for inf in infos]
        settings = [a.replace(str(work), "WORK") for a in args[1:]]
        fonts = [os.path.basename(a) for a in settings if a.startswith("--epub-embed-font=")]
        structure = [(r.level, r.anchor) for r in runs]
        self.base = _digest(FORMAT, _pandoc_identity(args[0]), meta,
                            [a for a in settings if not a.startswith("--epub-embed-font=")], structure)
        images = [img for inf in infos for img in inf.images]
        self.frame = _digest(self.base, epoch, fonts, images, contents)
        self.extras = _digest(extras)
        keys = [r.key for r in runs]
        last = self.last
        if (any(inf.notes for inf in infos) or any(r.level == 0 for r in runs) or not last.get("fast")
                or len(last["keys"]) != len(runs)):
            return self._whole()
        files = [os.path.basename(n) for n in last["names"]]  # the whole book's, as pandoc named them
        if last["frame"] == self.frame:
            self.mode = "changed"
            self.changed = [i for i, key in enumerate(keys) if key != last["keys"][i] or self.resolved[i] != last["resolved"][i]]
            if not self.changed and last["extras"] == self.extras:
                self.pandoc = False
                return None
            if any(x == BLANK for i in self.changed for x, _ in self.resolved[i]):
                return self._whole()
            blocks = [Header(1, [], attr(BLANK, ["unnumbered", "unlisted"]))]
            for i in self.changed:
                blocks += with_files(runs[i].blocks, refs, files)
            return document(meta, blocks)
        if last["base"] == self.base:
            self.mode = "stand-ins"
            blocks = []
            for i, run in enumerate(runs):
                inf = infos[i]
                if (run.entry and keys[i] == last["keys"][i] and self.resolved[i] == last["resolved"][i]
                        and inf.figures == len(inf.images)):
                    self.kept[i] = last["members"][last["names"][i]]
                    figures = [b for b in run.blocks[1:] if b.get("t") == "Figure"] if inf.images else []
                    blocks += [run.blocks[0], *figures, Para([Str(MARKER)])]
                else:  # its links written as the whole book's (a stand-in lacks the ids inside its entry)
                    blocks += with_files(run.blocks, refs, files)
            return document(meta, blocks)
        return self._whole()

    def _whole(self) -> Json:
        self.mode, self.changed, self.kept = "whole", [], {}
        return document(self.meta, [b for r in self.runs for b in r.blocks])

    def whole(self) -> Json:
        """The whole book's document (after a check failed: nothing kept is used)."""
        self.last, self.pandoc = {}, True
        return self._whole()

    def progress(self) -> str:
        """The progress line: how many entries pandoc converts, of how many."""
        n = sum(r.entry for r in self.runs)
        if self.mode == "changed":
            done = sum(self.runs[i].entry for i in self.changed)
        elif self.mode == "stand-ins":
            done = n - len(self.kept)
        else:
            return f"pandoc on {n} entries"
        return f"pandoc on {done} of {n} entries ({n - done} unchanged)"

    # ------------------------------------------------------------------ after pandoc

    def assemble(self, members: dict[str, bytes]) -> dict[str, bytes] | None:
        """The members of the EPUB pandoc would write for the whole book (name → bytes, in its
        order), from what this build's pandoc run wrote (`members`); None when a check fails."""
        if self.mode == "whole":
            return members
        if not self.pandoc:
            return dict(self.last["members"])
        if self.mode == "stand-ins":
            return self._put_back(members)
        return self._merge(members)

    def _put_back(self, members: dict[str, bytes]) -> dict[str, bytes] | None:
        names = _chunk_names(members)
        if names is None or len(names) != len(self.runs):
            return None
        out = dict(members)
        for i, chapter in self.kept.items():
            name = names[i]
            stand_in = members[name]
            if MARKER.encode() not in stand_in or not _opens(chapter, self.runs[i].anchor):
                return None  # the stand-in went astray, or the kept file is not this entry's
            media = _MEDIA.findall(stand_in)
            if len(media) != len(_MEDIA.findall(chapter)):
                return None
            out[name] = _renamed(chapter, media)
        return out

    def _merge(self, members: dict[str, bytes]) -> dict[str, bytes] | None:
        last = self.last
        out = dict(last["members"])
        small = _chunk_names(members)
        if small is None or len(small) != len(self.changed) + 1:
            return None
        for k, i in enumerate(self.changed):
            data, name, old = members[small[k + 1]], last["names"][i], last["members"][last["names"][i]]
            if not _opens(data, self.runs[i].anchor) or len(_TITLE.findall(data)) != 1:
                return None
            title = b"<title>" + os.path.basename(name).encode() + b"</title>"
            data = _TITLE.sub(title.replace(b"\\", b"\\\\"), data, count=1)
            pictures = [last["media"].get(img) for img in self._info(self.runs[i]).images]
            if None in pictures or len(_MEDIA.findall(data)) != len(pictures):
                return None
            data = _renamed(data, [p.encode() for p in pictures])
            if [p in data for p in _PROPERTIES] != [p in old for p in _PROPERTIES]:
                return None  # the package document would describe the file otherwise
            out[name] = data
        fixed = {n for n in out if _CHUNK.search(n) or _FILE_MEDIA.search(n)
                 or n.endswith(("content.opf", "toc.ncx", "nav.xhtml"))}
        others = [n for n in members if n not in fixed and not _CHUNK.search(n) and not _FILE_MEDIA.search(n)]
        if set(others) != set(out) - fixed:
            return None  # other fonts, another cover: the package document would list them
        for name in others:
            out[name] = members[name]
        # the cover page and picture: pandoc numbers the picture after the others (media/fileN)
        cover = next((n for n in others if n.endswith("/cover.xhtml")), None)
        if cover is not None:
            mine, kept = _COVER.search(members[cover]), _COVER.search(last["members"][cover])
            if mine is None or kept is None:
                return None
            new, old = (posixpath.normpath(posixpath.join(posixpath.dirname(cover), "../media", m.group(1).decode()))
                        for m in (mine, kept))
            if new not in members or old not in out:
                return None
            out[cover] = members[cover].replace(mine.group(0), kept.group(0))
            out[old] = members[new]
        return out

    def save(self, members: dict[str, bytes]) -> None:
        """Keep `members` (the whole book's pandoc output) for the next build, with what it checks."""
        names = _chunk_names(members)
        fast = names is not None and len(names) == len(self.runs)
        media: dict[str, str] = dict(self.last["media"]) if self.mode == "changed" else {}
        # after a changed-runs build only those runs' files are new; the others were checked before
        check = self.changed if self.mode == "changed" else range(len(self.runs))
        if fast and names is not None:
            files = [os.path.basename(n) for n in names]
            refs = ref_map([self._info(r) for r in self.runs])
            for i in check:
                run = self.runs[i]
                data, inf = members[names[i]], self._info(run)
                if not _opens(data, run.anchor):
                    fast = False
                    break
                if inf.targets:  # pandoc resolved its links as runs.ref_map says
                    want = [(files[refs[x]] if x in refs else "") + "#" + x for x in inf.targets]
                    if want != [_unescape(h) for h in _HREF.findall(data)]:
                        fast = False
                        break
                found = [m.decode() for m in _MEDIA.findall(data)]
                if len(found) != len(inf.images) or any(media.setdefault(a, b) != b for a, b in zip(inf.images, found)):
                    fast = False
                    break
        record = {"format": FORMAT, "base": self.base, "frame": self.frame, "extras": self.extras, "fast": fast,
                  "keys": [r.key for r in self.runs], "resolved": self.resolved, "members": members,
                  "names": names or [], "media": media,
                  "infos": {r.key: self._info(r) for r in self.runs}}
        try:
            store.store(self.path, record)
        except OSError:
            pass  # a cache that cannot be written costs time, not the build
        legacy = self.path.with_suffix("")  # before FORMAT 2: a folder of chapter files per book
        if legacy.is_dir():
            shutil.rmtree(legacy, ignore_errors=True)

    def _info(self, run: Run) -> Info:
        found = self.infos.get(run.key)
        if found is None:
            found = self.infos[run.key] = info(run.blocks)
        return found


def _chunk_names(members: dict[str, bytes]) -> list[str] | None:
    """The files pandoc wrote for the runs (`chNNN.xhtml`), in order; None when they are not 1..n."""
    found = sorted((int(m.group(1)), n) for n in members if (m := _CHUNK.search(n)))
    if [k for k, _ in found] != list(range(1, len(found) + 1)):
        return None
    return [n for _, n in found]


def _renamed(data: bytes, media: list[bytes]) -> bytes:
    """`data` with its pictures' names replaced, in order, by `media` (as many)."""
    names = iter(media)
    return _MEDIA.sub(lambda _: next(names), data)


def _opens(data: bytes, anchor: str) -> bool:
    """Whether the XHTML file is the one the run with this heading id makes."""
    return f'<section id="{anchor}"'.encode() in data


def _unescape(href: bytes) -> str:
    from html import unescape

    return unescape(href.decode("utf-8"))


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _pandoc_identity(binary: str) -> str:
    """The pandoc binary, by path, size and time (its version writes the chapters)."""
    try:
        st = os.stat(binary)
    except OSError:
        return binary
    return f"{binary}|{st.st_size}|{st.st_mtime_ns}"


__all__ = ["BLANK", "Chapters", "FOLDER", "MARKER", "digest"]
