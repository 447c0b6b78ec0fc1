"""Render (HTML): which entry pages a warm build may keep as they are, without rendering them again.

An entry's page shows the entry's own view (site.EntryView: its fields, converted Markdown, pictures,
keywords' links, neighbours), a few facts of the entries it links to (previous and next, its
neighbours in its theme and region, the entries it follows up or that follow it up), and the site's
frame (the edition, the labels, the assets' hashed names, the code and the templates). A page's
key is a digest of all of that, the linked entries' whole views included. After one entry changed,
only the pages whose key changed are rendered: the entry's own and those of the ten or so entries
that show its title or teaser; the others are the last build's files, hard-linked.

A key is trusted only for the very file it was recorded with: the last build's page must be the
same file (device, inode, size, modification time), which a failed or interrupted build, or an
output edited by hand, never leaves. With --clean there is no record and every page is rendered.
A project whose templates override the HTML pages renders every page: its templates may show
anything of any entry. The entry bodies, which book.html gathers, are kept with their keys too.
"""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

from compendium import kept as store
from compendium.kept import library_versions
from compendium.render.html.site import EntryView

RECORD_NAME = "pages.pickle"
_LIBRARIES = ("jinja2", "markupsafe", "pyromark", "babel")  # their output is part of the pages


def code_digest(templates: list[Path]) -> str:
    """A digest of what renders a page besides its data: the toolkit's code and data (kept.code_digest),
    every file under `templates` (folders), and the versions of the libraries that write or translate
    text. Hex SHA-256."""
    return hashlib.sha256("\0".join([store.code_digest(), store.files_digest(templates),
                                      library_versions(_LIBRARIES)]).encode()).hexdigest()


def _dump(value: Any, out: list[str]) -> None:
    """A canonical text of a view's value; another entry's view is named by its id (its own
    digest goes into the page key separately)."""
    if isinstance(value, EntryView):
        out.append(f"@{value.id}")
    elif isinstance(value, str):  # Markup too
        out.append(repr(str(value)))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for item in value:
            _dump(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for k in sorted(value, key=repr):
            out.append(repr(k))
            _dump(value[k], out)
        out.append("}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type) and type(value).__name__ != "Entry":
        out.append(type(value).__name__ + "(")
        for f in dataclasses.fields(value):
            out.append(f.name + "=")
            _dump(getattr(value, f.name), out)
        out.append(")")
    else:  # the Entry (a frozen dataclass of values), numbers, None: their repr is their content
        out.append(repr(value))


def view_digest(v: EntryView) -> str:
    """A digest of everything an entry's view holds (hex SHA-256)."""
    out: list[str] = []
    for f in dataclasses.fields(v):  # its own fields; the entries it links to are named by their ids
        out.append(f.name + "=")
        _dump(getattr(v, f.name), out)
    return hashlib.sha256("\0".join(out).encode("utf-8", "surrogatepass")).hexdigest()


def linked(v: EntryView) -> list[EntryView]:
    """The entries whose facts an entry's page shows: previous, next, neighbours, follow-ups."""
    found = [x for x in (v.prev, v.next) if x is not None]
    found += [x for n in v.neighbours for x in n.entries]
    return found + list(v.follows) + list(v.followed_by)


def frame_digest(parts: list[Any]) -> str:
    """A digest of the site's frame: `parts` are the values every entry page shows (dumped as views are)."""
    out: list[str] = []
    _dump(parts, out)
    return hashlib.sha256("\0".join(out).encode("utf-8", "surrogatepass")).hexdigest()


class KeptPages:
    """The record of the last build's entry pages and bodies (cache folder/html/pages.pickle):
    page → [key, device, inode, size, mtime_ns]; entry id → [key, body]."""

    def __init__(self, folder: Path | None, frame: str, entries: list[EntryView]) -> None:
        self.path = folder / RECORD_NAME if folder is not None else None
        self.frame = frame
        own = {v.id: view_digest(v) for v in entries}
        self.keys = {v.id: hashlib.sha256("\0".join([frame, own[v.id], *(f"{x.id}:{own[x.id]}" for x in linked(v))])
                                          .encode()).hexdigest() for v in entries}
        self.old_pages: dict[str, list] = {}
        self.old_bodies: dict[str, list] = {}
        self.pages: dict[str, list] = {}
        self.bodies: dict[str, list] = {}
        data = store.load(self.path, dict) if self.path is not None else None
        if data is not None and isinstance(data.get("pages"), dict) and isinstance(data.get("bodies"), dict):
            self.old_pages, self.old_bodies = data["pages"], data["bodies"]  # else: every page is rendered

    def body(self, v: EntryView) -> str | None:
        """The entry's body as the last build rendered it, when its key is the same; else None."""
        found = self.old_bodies.get(v.id)
        if isinstance(found, list) and len(found) == 2 and found[0] == self.keys[v.id] and isinstance(found[1], str):
            return found[1]
        return None

    def keep_body(self, v: EntryView, body: str) -> None:
        self.bodies[v.id] = [self.keys[v.id], body]

    def kept(self, rel: str, v: EntryView, last: Path | None) -> bool:
        """Whether `last` (the last build's file of the page `rel`) is that page as it would be rendered now."""
        found = self.old_pages.get(rel)
        if last is None or not isinstance(found, list) or found[:1] != [self.keys[v.id]]:
            return False
        try:
            st = last.stat()
        except OSError:
            return False
        return found[1:] == [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]

    def record(self, rel: str, v: EntryView, path: Path) -> None:
        """Remember the page written (or linked) at `path` with its key (after the file is complete)."""
        st = path.stat()
        self.pages[rel] = [self.keys[v.id], st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]

    def save(self) -> None:
        """Write the record of this build (atomically; a cache that cannot be written is only slower)."""
        if self.path is None:
            return
        try:
            store.store(self.path, {"pages": self.pages, "bodies": self.bodies})
        except OSError:
            pass
