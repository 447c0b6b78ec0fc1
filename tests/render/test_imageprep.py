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
