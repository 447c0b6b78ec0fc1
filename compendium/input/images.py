"""Images: resolve an untrusted image path safely and read a PNG/JPEG header (no decoding)."""
from __future__ import annotations

import difflib
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


def resolve_inside(root: Path, base: Path, value: str) -> Path:
    """Resolve `value` (relative to folder `base`) and insist that it stays inside `root`.

    Symlinks are followed before the check, so a link that leaves the project is refused.
    """
    if not value.strip():
        raise PathProblem("image.path", "the path is empty")
    if "\x00" in value or "://" in value or value.startswith(("data:", "mailto:")):
        raise PathProblem("image.path", f"'{value}' is not a file path; give a path relative to this file")
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() or value.startswith("\\"):
        raise PathProblem("image.outside", f"'{value}' is an absolute path; give a path relative to this file")
    root = root.resolve()
    target = (base / value).resolve()
    if not target.is_relative_to(root):
        raise PathProblem("image.outside", f"'{value}' points outside the project folder")
    if not target.is_file():
        found = _same_name(base, value)  # the name typed composed, the file stored decomposed (macOS)
        if found is None:
            raise PathProblem("image.missing", f"'{value}' does not exist{_near_miss(base, value)}")
        target = found.resolve()
        if not target.is_relative_to(root):
            raise PathProblem("image.outside", f"'{value}' points outside the project folder")
    return target


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
        where = "/".join(parts[:n]) or "this folder"
        if close:
            return f"; did you mean '{'/'.join((*parts[:n], close[0]))}'?"
        return f" ('{part}' is not in {where})" if n else ""
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
