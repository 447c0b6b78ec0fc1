"""Build support: Python objects kept in the build cache between builds (pickles, written atomically),
and the digests of what made them (the toolkit's code, the libraries' versions).

A kept object is only ever an optimisation: one that is missing, damaged or of another kind reads
as None, and the caller makes it again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def load(path: Path, kind: type[T]) -> T | None:
    """The object kept at `path` if it is a `kind`, else None (missing, damaged, from other code)."""
    try:
        with path.open("rb") as fh:
            obj = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return obj if isinstance(obj, kind) else None


def store(path: Path, obj: Any) -> None:
    """Keep `obj` at `path` through a temporary file and a rename: a build killed meanwhile leaves
    no half file for the next one to read. Raises OSError when the folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".pickle", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class Deflated:
    """Deflate with a memory of the last build: each input's deflated bytes kept under a digest of
    the input (a pickle at `path`, beside the zlib version and the settings: zlib gives the same
    bytes for the same input, version and settings, so a build's output is the same with or without
    it). After one entry changed, almost every stream of a book is the bytes it was.

    wbits: zlib's (15: a zlib stream, as PDF's Flate filter wants; -15: raw deflate, as zip
    members are); level: the compression level (0-9; 6 is zlib's default).
    """

    def __init__(self, path: Path, wbits: int = 15, level: int = 6) -> None:
        import zlib

        self.wbits, self.level = wbits, level
        self.path = path.with_name(f"{path.stem}-zlib{zlib.ZLIB_RUNTIME_VERSION}-{wbits}-{level}.pickle")
        self.old: dict[bytes, bytes] = load(self.path, dict) or {}
        self.new: dict[bytes, bytes] = {}

    def deflate(self, data: bytes) -> bytes:
        """`data` deflated, as zlib.compressobj(level, DEFLATED, wbits) makes it in one call."""
        import zlib

        key = hashlib.blake2b(data, digest_size=20).digest()
        out = self.new.get(key) or self.old.get(key)
        if out is None:
            packer = zlib.compressobj(self.level, zlib.DEFLATED, self.wbits)
            out = packer.compress(data) + packer.flush()
        self.new[key] = out
        return out

    def save(self) -> None:
        """Keep this build's inputs (only these: the next build forgets the rest)."""
        if self.new.keys() != self.old.keys():
            try:
                store(self.path, self.new)
            except OSError:
                pass  # a cache that cannot be written costs time, not the build


def user_cache(kind: str) -> Path:
    """The user's cache folder for `kind` ("fonts", "templates"): $XDG_CACHE_HOME/compendium/<kind>, else
    ~/.cache/compendium/<kind> (the XDG Base Directory convention). What the toolkit prepares once per
    machine, not per project (a --clean build does not drop it)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "compendium" / kind


def files_digest(folders: Iterable[Path]) -> str:
    """SHA-256 (hex) of every file below `folders` (its path inside its folder and its bytes), in a
    fixed order; bytecode caches left out, a folder that does not exist hashes as empty."""
    h = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of the toolkit's own code and data (compendium/, and the default templates when they
    live beside it): a kept object made by other code is made again."""
    from compendium.render.templating import default_templates_dir

    package = Path(__file__).resolve().parent  # compendium/
    return files_digest([package] + [t for t in (default_templates_dir(),) if not t.is_relative_to(package)])


def library_versions(names: Iterable[str]) -> str:
    """`name=version` lines of the installed distributions `names` ("name=-" for one not installed):
    part of a kept object's key when a library's output is in it (reportlab, pyphen, jinja2, ruamel.yaml...)."""
    from importlib.metadata import PackageNotFoundError, version

    lines = []
    for name in names:
        try:
            lines.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            lines.append(f"{name}=-")
    return "\n".join(lines)
