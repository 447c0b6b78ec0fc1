"""Images (prepare): web/EPUB copies normalised once — size capped, metadata stripped — cached by content."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from compendium.model import CompendiumError, Image

WEB_MAX_WIDTH = 1600
_VERSION = "1"  # bump when the recipe changes, so old cache entries are not reused


def content_name(image: Image, max_width: int = WEB_MAX_WIDTH) -> str:
    """A stable file name from the image's bytes and the recipe: identical images share one copy."""
    h = hashlib.sha256(image.path.read_bytes())
    h.update(f"|{max_width}|{_VERSION}".encode())
    suffix = ".jpg" if image.format == "jpeg" else ".png"
    return h.hexdigest()[:20] + suffix


def prepare(image: Image, cache_dir: Path, max_width: int = WEB_MAX_WIDTH) -> Path:
    """The normalised copy of `image` in `cache_dir/images` (made once, then reused).

    Pixels are re-encoded without EXIF/ICC/text chunks (no camera or GPS data leaks),
    wider images are scaled down to `max_width`, and the output bytes depend only on the input.
    """
    from PIL import Image as PILImage

    target = cache_dir / "images" / content_name(image, max_width)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        _normalise(image, target, max_width)
    except (OSError, ValueError, PILImage.DecompressionBombError) as exc:
        raise CompendiumError(f"{image.rel}: cannot read the image: {exc}") from None
    return target


def _normalise(image: Image, target: Path, max_width: int) -> None:
    from PIL import Image as PILImage

    with PILImage.open(image.path) as im:
        im.load()
        if im.width > max_width:
            height = max(1, round(im.height * max_width / im.width))
            im = im.resize((max_width, height), PILImage.Resampling.LANCZOS)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        os.close(fd)
        try:
            if image.format == "jpeg":
                im = im.convert("RGB") if im.mode not in ("RGB", "L") else im
                im.save(tmp, "JPEG", quality=85, optimize=False, progressive=False)
            else:
                if im.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    im = im.convert("RGBA")
                im.save(tmp, "PNG", optimize=False)
            os.replace(tmp, target)  # atomic: a parallel build never sees half a file
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
