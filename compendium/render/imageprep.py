"""Images (prepare): web/EPUB copies normalised once — size capped, metadata stripped — and the PDF's
upright 8-bit print copies, both cached by content."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from compendium.errors import InvalidInput
from compendium.model import Image

if TYPE_CHECKING:  # Pillow is imported when a picture is first processed
    from PIL import Image as PILImage

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
        raise InvalidInput(f"{image.rel}: cannot read the image: {exc}") from None
    return target


_DEEP_MODES = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")  # 16-bit or wider greyscale


def upright(im: PILImage.Image) -> PILImage.Image:
    """8 bits per channel, turned the way the camera's EXIF orientation says (browsers do the same).

    Converting 16-bit greyscale directly clips every value above 255 to white; scale it down instead.
    """
    from PIL import ImageOps

    if im.mode in _DEEP_MODES:
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return ImageOps.exif_transpose(im)


def print_copy(image: Image, cache_dir: Path) -> tuple[Path, int, int]:
    """What the PDF draws for `image`: (file, width, height in pixels), upright and 8 bits per channel.

    The picture is decoded whole once, so a truncated file fails here, by name (reportlab copies
    JPEG bytes as they are and would let it slip into the PDF). The verdict is cached by content
    in `cache_dir/print`: the original file itself is returned when it needs no conversion, else
    an upright 8-bit PNG copy (16-bit greyscale would print white, EXIF-rotated photos sideways).
    """
    from PIL import Image as PILImage

    try:
        data = image.path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{image.rel}: cannot read the image: {exc.strerror or exc}") from None
    folder = cache_dir / "print"
    key = hashlib.sha256(data + f"|print|{_VERSION}".encode()).hexdigest()[:20]
    as_is, copy = folder / f"{key}.size", folder / f"{key}.png"
    try:
        if as_is.is_file():  # decoded by an earlier build: the original is fine as it is
            w, h = map(int, as_is.read_text(encoding="ascii").split())
            return image.path, w, h
        if copy.is_file():
            with PILImage.open(copy) as im:  # reads the header only
                return copy, im.width, im.height
    except (OSError, ValueError):
        pass  # a damaged cache entry is redone below
    try:
        with PILImage.open(io.BytesIO(data)) as im:
            im.load()
            turned = im.getexif().get(0x0112, 1) not in (1, None)
            folder.mkdir(parents=True, exist_ok=True)
            if im.mode not in _DEEP_MODES and not turned:
                _write_atomic(as_is, lambda tmp: Path(tmp).write_text(f"{im.width} {im.height}", encoding="ascii"))
                return image.path, im.width, im.height
            fixed = upright(im)
            _write_atomic(copy, lambda tmp: fixed.save(tmp, "PNG", optimize=False))
            return copy, fixed.width, fixed.height
    except (OSError, ValueError, PILImage.DecompressionBombError) as exc:
        raise InvalidInput(f"{image.rel}: cannot read the image: {exc}") from None


def _write_atomic(target: Path, write: Callable[[str], object]) -> None:
    """Write through a temporary file and rename: a parallel build never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


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
