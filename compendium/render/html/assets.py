"""Render (HTML): static assets and pictures copied into the site under content-hash names.

A name that carries the content's hash never goes stale in a browser cache, and a picture used
by several entries is stored once.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from concurrent.futures import Executor, Future
from pathlib import Path

from compendium.book.slug import slugify
from compendium.errors import BuildFailed, InvalidInput
from compendium.model import Image
from compendium.render.imageprep import prepare
from compendium.render.templating import default_templates_dir

ASSET_DIR = "assets"


class Assets:
    """Writes files below <site>/assets/ and remembers what was written (each content once)."""

    def __init__(self, site_dir: Path, templates_dir: Path | None, cache_dir: Path | None = None) -> None:
        self.site_dir = site_dir
        self.cache_dir = cache_dir
        self.templates_dir = templates_dir
        self.by_source: dict[Path, str] = {}
        self.by_digest: dict[str, str] = {}
        self.pending: dict[Path, Future[Path]] = {}  # pictures being prepared on other threads  # content hash → stored path: the same bytes are stored once

    def find(self, name: str) -> Path:
        """A default asset (templates/html/assets/NAME), or the project's override of it."""
        if self.templates_dir is not None:
            override = self.templates_dir / "html" / ASSET_DIR / name
            if override.is_file():
                return override
        path = default_templates_dir() / "html" / ASSET_DIR / name
        if not path.is_file():
            raise BuildFailed(f"asset {name} is missing from the default templates ({path})")
        return path

    def add_bytes(self, stem: str, data: bytes, suffix: str, folder: str = "") -> str:
        """Store `data` (once, whatever name it comes under); return its path relative to the site root."""
        digest = hashlib.sha256(data).hexdigest()
        known = self.by_digest.get(digest + suffix)
        if known is not None:
            return known
        rel = "/".join(p for p in (ASSET_DIR, folder, f"{stem}.{digest[:10]}{suffix}") if p)
        target = self.site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.by_digest[digest + suffix] = rel
        return rel

    def add_file(self, name: str) -> str:
        path = self.find(name)
        stem, _, suffix = name.rpartition(".")
        return self.add_bytes(stem, path.read_bytes(), "." + suffix)

    def prefetch(self, images: Iterable[Image], pool: Executor) -> None:
        """Start preparing pictures on `pool` threads: Pillow encodes without the GIL, so this
        overlaps with the pages being written (a cold 1,000-entry build saves ~0.4 s)."""
        if self.cache_dir is None:
            return
        for image in images:
            if image.path not in self.pending:
                self.pending[image.path] = pool.submit(prepare, image, self.cache_dir)

    def image(self, image: Image) -> str:
        """Copy a picture once (by content) and return its site-relative path.

        With a cache folder, the copy is the normalised one (width capped, metadata stripped).
        """
        known = self.by_source.get(image.path)
        if known is not None:
            return known
        try:
            if image.path in self.pending:
                source = self.pending.pop(image.path).result()
            else:
                source = prepare(image, self.cache_dir) if self.cache_dir is not None else image.path
            data = source.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"{image.rel}: cannot read the image: {exc.strerror}") from None
        suffix = ".jpg" if image.format == "jpeg" else ".png"
        rel = self.add_bytes(slugify(image.path.stem, 40) or "image", data, suffix, "img")
        self.by_source[image.path] = rel
        return rel

