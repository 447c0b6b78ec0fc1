"""Images (prepare): web/EPUB copies normalised once — size capped, metadata stripped — cached by content."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from compendium.model import CompendiumError, Image

WEB_MAX_WIDTH = 1600
_VERSION = "2"  # bump when the recipe changes, so old cache entries are not reused


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


_DEEP_MODES = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")  # 16-bit or wider greyscale


def upright(im: "PILImage.Image") -> "PILImage.Image":
    """8 bits per channel, turned the way the camera's EXIF orientation says (browsers do the same).

    Converting 16-bit greyscale directly clips every value above 255 to white; scale it down instead.
    """
    from PIL import ImageOps

    if im.mode in _DEEP_MODES:
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return ImageOps.exif_transpose(im)


def print_source(image: Image) -> tuple[str | io.BytesIO, int, int]:
    """What the PDF should draw for `image`: the original file, or an upright 8-bit copy when the
    original is 16-bit greyscale or EXIF-rotated (reportlab would draw it white or sideways)."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(image.path) as im:
            turned = im.getexif().get(0x0112, 1) not in (1, None)
            if im.mode not in _DEEP_MODES and not turned:
                return str(image.path), image.width, image.height
            im.load()
            fixed = upright(im)
            data = io.BytesIO()
            fixed.save(data, "PNG", optimize=False)
    except (OSError, ValueError, PILImage.DecompressionBombError) as exc:
        raise CompendiumError(f"{image.rel}: cannot read the image: {exc}") from None
    data.seek(0)
    return data, fixed.width, fixed.height


def decoded(image: Image) -> str | io.BytesIO:
    """`print_source` of a picture checked by decoding it whole: a truncated file fails here, by name."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(image.path) as im:
            im.load()
    except (OSError, ValueError, PILImage.DecompressionBombError) as exc:
        raise CompendiumError(f"{image.rel}: cannot read the image: {exc}") from None
    return print_source(image)[0]


def _normalise(image: Image, target: Path, max_width: int) -> None:
    from PIL import Image as PILImage

    with PILImage.open(image.path) as im:
        im.load()
        im = upright(im)
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
