"""Images: resolve an untrusted image path safely and read a PNG/JPEG header (no decoding)."""
from __future__ import annotations

import difflib
import os
import struct
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

MAX_IMAGE_BYTES = 20_000_000
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class PathProblem(ValueError):
    """The path is unusable; `code` says why (image.path, image.outside, image.missing)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def resolve_inside(root: Path, base: Path, value: str, folder: str = "images/") -> Path:
    """Resolve `value` (relative to folder `base`) and insist that it stays inside `root`.

    Symlinks are followed before the check, so a link that leaves the project is refused.
    `folder`: where, below `base`, the advice for an absolute path says to copy the file
    ("images/" for a picture, "" for the introduction). Raises PathProblem (image.path,
    image.outside, image.missing) with a message that says what was looked for and what to write.
    """
    if not value.strip():
        raise PathProblem("image.path", "the path is empty")
    if "\x00" in value or "://" in value or value.startswith(("data:", "mailto:")):
        raise PathProblem("image.path", f"'{value}' is not a file path; give a path relative to this file")
    root = root.resolve()
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() or value.startswith("\\"):
        name = (PureWindowsPath(value).name if "\\" in value else PurePosixPath(value).name) or "picture.jpg"
        here = _rel(base, root)
        into = f"{here}/{folder}" if here else folder or "the project folder"
        raise PathProblem("image.outside", f"'{value}' is an absolute path, on one computer and not in the project: "
                                           f"copy the file into {into} and write {folder}{name}")
    target = (base / value).resolve()
    if not target.is_relative_to(root):
        raise PathProblem("image.outside", f"'{value}' points outside the project folder")
    if not target.is_file():
        found = _same_name(base, value)  # the name typed composed, the file stored decomposed (macOS)
        if found is None:
            looked = _rel(Path(os.path.normpath(base / value)), root)
            hint = _near_miss(base, value) or _elsewhere(root, base, value)
            raise PathProblem("image.missing", f"'{value}' does not exist: looked for {looked} (a path is relative "
                                               f"to the folder of the file that names it){hint}")
        target = found.resolve()
        if not target.is_relative_to(root):
            raise PathProblem("image.outside", f"'{value}' points outside the project folder")
    return target


def _rel(path: Path, root: Path) -> str:
    """`path` relative to the project folder, as POSIX text ('' for the project folder itself)."""
    try:
        rel = Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
    return "" if rel == "." else rel


_NOT_SEARCHED = ("output", ".compendium-cache", "node_modules")


def _elsewhere(root: Path, base: Path, value: str, limit: int = 20_000) -> str:
    """'; a file of that name is at images/x.jpg: write '../../images/x.jpg'' when the project has
    one (names compared in NFC, any letter case), else ''. At most `limit` files are looked at."""
    wanted = unicodedata.normalize("NFC", PurePosixPath(value.replace("\\", "/")).name).casefold()
    if not wanted:
        return ""
    seen = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _NOT_SEARCHED)
        for name in sorted(files):
            seen += 1
            if unicodedata.normalize("NFC", name).casefold() == wanted:
                found = Path(folder) / name
                written = Path(os.path.relpath(found, base)).as_posix()
                return f"; a file of that name is at {_rel(found, root)}: write '{written}'"
            if seen > limit:
                return ""
    return ""


def _same_name(base: Path, value: str) -> Path | None:
    """The file `value` names when its names and the folder's agree in Unicode NFC (composed and
    decomposed accents are the same text), else None."""
    here = base
    for part in PurePosixPath(value).parts:
        if part in ("..", "."):
            here = here / part
            continue
        if (here / part).exists():
            here = here / part
            continue
        wanted = unicodedata.normalize("NFC", part)
        try:
            match = next((c for c in here.iterdir() if unicodedata.normalize("NFC", c.name) == wanted), None)
        except OSError:
            return None
        if match is None:
            return None
        here = match
    return here if here.is_file() else None


def _near_miss(base: Path, value: str) -> str:
    """'; ...' saying what differs from a file that exists: backslashes, letter case, or spelling."""
    if "\\" in value:
        fixed = value.replace("\\", "/")
        exists = _same_name(base, fixed) is not None or (base / fixed).is_file()
        return f"; write '/' between folders: '{fixed}'" + ("" if exists else " (it does not exist either)")
    here = base
    parts = PurePosixPath(value).parts
    for n, part in enumerate(parts):
        child = here / part
        if part in ("..", ".") or child.exists():
            here = child
            continue
        try:
            names = [c.name for c in here.iterdir()]
        except OSError:
            return ""
        folded = {unicodedata.normalize("NFC", c).casefold(): c for c in names}
        same_case = folded.get(unicodedata.normalize("NFC", part).casefold())
        shown = "/".join((*parts[:n], same_case or "")) if same_case else ""
        if same_case:
            return f"; '{shown}' exists: names differ in letter case, which matters once the book is built on Linux"
        close = difflib.get_close_matches(part, names, n=1, cutoff=0.75)
        if close:
            return f"; did you mean '{'/'.join((*parts[:n], close[0]))}'?"
        return ""
    return ""


def probe(path: Path) -> tuple[str, int, int] | None:
    """(format, width, height) of a real PNG or JPEG file, or None when it is neither."""
    with path.open("rb") as f:
        head = f.read(32)
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            width, height = struct.unpack(">II", head[16:24])
            return ("png", width, height) if width and height else None
        if head[:3] != b"\xff\xd8\xff":
            return None
        f.seek(2)
        while True:
            marker = f.read(2)
            if len(marker) < 2 or marker[0] != 0xFF:
                return None
            kind = marker[1]
            if kind == 0xFF:  # a fill byte before the marker
                f.seek(-1, 1)
                continue
            if kind in (0xD8, 0x01) or 0xD0 <= kind <= 0xD7:
                continue
            length_bytes = f.read(2)
            if len(length_bytes) < 2:
                return None
            length = struct.unpack(">H", length_bytes)[0]
            if kind in _JPEG_SOF:
                data = f.read(5)
                if len(data) < 5:
                    return None
                height, width = struct.unpack(">HH", data[1:5])
                return ("jpeg", width, height) if width and height else None
            if kind == 0xD9 or length < 2:
                return None
            f.seek(length - 2, 1)
