"""Pictures for print: imageprep.print_copy decodes once, keeps the original when it can, caches by content."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image as PILImage

from compendium.errors import CompendiumError
from compendium.model import Image
from compendium.output.build import load_book
from compendium.render import pdf
from compendium.render.common import RenderContext
from compendium.render.imageprep import print_copy
from compendium.render.pdf import factsheets
from compendium.render.pdf import front as pdf_front
from tests.helpers import EDITION, ENTRY, write


def _image(path: Path, data: bytes, fmt: str = "png") -> Image:
    path.write_bytes(data)
    return Image(path=path, rel=path.name, alt="a", format=fmt)


def _bytes(im: PILImage.Image, fmt: str = "PNG", **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def test_a_plain_picture_is_printed_from_the_original_file(tmp_path):
    image = _image(tmp_path / "plain.png", _bytes(PILImage.new("RGB", (30, 20), "red")))
    assert print_copy(image, tmp_path / "cache") == (image.path, 30, 20)
    assert print_copy(image, tmp_path / "cache") == (image.path, 30, 20)  # the cached verdict
    assert not list((tmp_path / "cache").rglob("*.png"))  # no copy was made


def test_16_bit_and_rotated_pictures_get_an_upright_8_bit_copy(tmp_path):
    deep = _image(tmp_path / "deep.png", _bytes(PILImage.new("I;16", (30, 20), 40000)))
    path, w, h = print_copy(deep, tmp_path / "cache")
    assert path.parent == tmp_path / "cache/print" and (w, h) == (30, 20)
    with PILImage.open(path) as im:
        assert im.mode == "L" and im.getextrema() == (156, 156)
    assert print_copy(deep, tmp_path / "cache") == (path, 30, 20)
    exif = PILImage.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    turned = _image(tmp_path / "turned.jpg", _bytes(PILImage.new("RGB", (30, 20)), "JPEG", exif=exif.tobytes()), "jpeg")
    assert print_copy(turned, tmp_path / "cache")[1:] == (20, 30)


def test_a_truncated_picture_fails_by_name(tmp_path):
    data = _bytes(PILImage.effect_noise((200, 100), 60).convert("RGB"), "JPEG")
    image = _image(tmp_path / "cut.jpg", data[: len(data) // 2], "jpeg")
    with pytest.raises(CompendiumError, match=r"^cut.jpg: cannot read the image"):
        print_copy(image, tmp_path / "cache")


def test_the_cover_is_decoded_once_per_book_and_never_for_fact_sheets(project, tmp_path, monkeypatch):
    write(project, "cover.png", _bytes(PILImage.new("RGB", (300, 450), "navy")))
    write(project, "compendium.yaml", EDITION + "cover: cover.png\n")
    for code in ("GH", "FR", "JP"):
        write(project, f"entries/{code.lower()}.yaml", ENTRY.replace("country: KE", f"country: {code}")
              .replace("One-stop shops", f"Shops {code}"))
    book, _ = load_book(project)
    opened: list[str] = []

    def spy(image: Image, cache_dir: Path):
        opened.append(image.rel)
        return print_copy(image, cache_dir)

    monkeypatch.setattr(pdf_front, "print_copy", spy)
    factsheets.render(book, RenderContext(out_dir=tmp_path / "sheets", cache_dir=tmp_path / "cache"))
    assert opened == []
    pdf.render(book, RenderContext(out_dir=tmp_path / "book", cache_dir=tmp_path / "cache"))
    assert opened == ["cover.png"]


def _chunks(data: bytes) -> list[bytes]:
    out, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        out.append(data[pos + 4:pos + 8])
        pos += 12 + length
    return out


def test_a_web_copy_of_a_png_keeps_its_pixels_and_drops_its_metadata_without_re_encoding(tmp_path):
    from PIL import PngImagePlugin

    from compendium.render.imageprep import prepare

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "someone@example.org")
    info.add_itxt("GPS", "51.5, -0.12")
    noise = PILImage.effect_noise((300, 200), 40).convert("RGB")
    image = _image(tmp_path / "meta.png", _bytes(noise, pnginfo=info, icc_profile=b"\0" * 128, compress_level=1))
    copy = prepare(image, tmp_path / "cache")
    data = copy.read_bytes()
    assert set(_chunks(data)) == {b"IHDR", b"IDAT", b"IEND"}  # no text, no ICC
    assert b"someone@example.org" not in data and b"51.5" not in data
    with PILImage.open(copy) as im:
        assert im.tobytes() == noise.tobytes()  # the very pixels
    original = image.path.read_bytes()
    assert data[data.index(b"IDAT"):data.index(b"IEND")] in original  # compressed as it was: not re-encoded


@pytest.mark.parametrize("kind", ["truncated", "16-bit", "interlaced", "too wide"])
def test_a_png_that_cannot_stay_as_it_is_goes_through_pillow(tmp_path, kind):
    from compendium.render.imageprep import lean_png, prepare

    im = PILImage.effect_noise((200, 100), 40).convert("RGB")
    data = {"truncated": lambda: _bytes(im)[:-40], "16-bit": lambda: _bytes(PILImage.new("I;16", (20, 10), 40000)),
            "interlaced": lambda: _adam7(im),
            "too wide": lambda: _bytes(PILImage.new("RGB", (2000, 10), "red"))}[kind]()
    assert lean_png(data, 1600) is None
    if kind == "interlaced":
        return  # (its pixels are not really interlaced: only the header says so)
    image = _image(tmp_path / "x.png", data)
    if kind == "truncated":
        with pytest.raises(CompendiumError, match=r"^x.png: cannot read the image"):
            prepare(image, tmp_path / "cache")
        return
    with PILImage.open(prepare(image, tmp_path / "cache")) as copy:
        assert copy.width <= 1600 and copy.mode in ("RGB", "L")


def _adam7(im: PILImage.Image) -> bytes:
    """The same PNG with its IHDR saying interlaced (Pillow cannot write Adam7): enough for the check."""
    import zlib

    data = bytearray(_bytes(im))
    ihdr = data[8:33]
    ihdr[20] = 1  # interlace method: the last of the 13 bytes after length and type
    ihdr[21:25] = zlib.crc32(bytes(ihdr[4:21])).to_bytes(4, "big")
    data[8:33] = ihdr
    return bytes(data)
