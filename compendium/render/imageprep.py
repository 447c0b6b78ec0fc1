"""Images (prepare): web/EPUB copies normalised once — size capped, metadata stripped — and the PDF's
upright 8-bit print copies, both cached by content."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from compendium.errors import InvalidInput
from compendium.model import Image

if TYPE_CHECKING:  # Pillow is imported when a picture is first processed
    from PIL import Image as PILImage

WEB_MAX_WIDTH = 1600
_VERSION = "3"  # bump when the recipe changes, so old cache entries are not reused


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


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEPT = frozenset({b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"})  # what a picture needs to show
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type → channels


def lean_png(data: bytes, max_width: int) -> bytes | None:
    """A PNG's bytes with its critical chunks only (no text, EXIF, ICC or time chunks), when its
    pixels can stay as they are: at most 8 bits a channel, not interlaced, not wider than
    `max_width`, no EXIF orientation, every chunk whole (CRC) and the pixels inflating to the size
    the header says. None otherwise: Pillow then decodes and re-encodes it.

    Same pixels without decoding and re-encoding them: ~3 ms where Pillow takes ~17 ms for an
    800×500 picture (3.4 s of a cold 1,000-entry site, issue 12).
    """
    if not data.startswith(PNG_SIGNATURE):
        return None
    out, idat, header, pos = [PNG_SIGNATURE], [], b"", len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, end = data[pos + 4:pos + 8], pos + 12 + length
        body = data[pos + 8:pos + 8 + length]
        if end > len(data) or zlib.crc32(kind + body) != int.from_bytes(data[end - 4:end], "big"):
            return None  # truncated or damaged
        if kind == b"eXIf":
            return None  # may turn the picture: Pillow applies the orientation
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        if kind in _PNG_KEPT:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            break
    else:
        return None  # no IEND
    if len(header) != 13:
        return None
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour, interlace = header[8], header[9], header[12]
    if depth > 8 or interlace or width > max_width or colour not in _PNG_CHANNELS:
        return None
    size = ((width * _PNG_CHANNELS[colour] * depth + 7) // 8 + 1) * height  # a filter byte, then each row
    try:
        pixels = zlib.decompressobj().decompress(b"".join(idat), size + 1)  # never more than one byte too many
    except zlib.error:
        return None
    if len(pixels) != size:
        return None
    return b"".join(out)


def _normalise(image: Image, target: Path, max_width: int) -> None:
    from PIL import Image as PILImage

    if image.format != "jpeg":
        lean = lean_png(image.path.read_bytes(), max_width)
        if lean is not None:
            _write_atomic(target, lambda tmp: Path(tmp).write_bytes(lean))
            return
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
