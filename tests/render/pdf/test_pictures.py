"""The book's pictures as a reader sees them: every kind of PNG and a JPEG prints its own pixels, whether
its compressed data is embedded as it is (8-bit RGB or grey PNGs: pictures.PNGImage) or decoded by reportlab."""
from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from compendium.output.build import load_book
from compendium.render.common import RenderContext
from compendium.render.pdf import render
from tests.helpers import ENTRY, write

KINDS = {  # name: (PIL mode, PNG options), all 120 x 80 px of noisy pixels (a PNG filter for every line)
    "rgb": ("RGB", {}),
    "grey": ("L", {}),
    "interlaced": ("RGB", {"interlace": 1}),
    "palette": ("P", {}),
    "alpha": ("RGBA", {}),
    "grey16": ("I;16", {}),
}


def _noise(mode: str) -> Image.Image:
    rng = random.Random(mode)
    base = Image.frombytes("RGB", (120, 80), bytes(rng.randrange(256) for _ in range(120 * 80 * 3)))
    if mode == "P":
        return base.quantize(32)
    if mode == "RGBA":
        im = base.convert("RGBA")
        im.putalpha(Image.linear_gradient("L").resize((120, 80)))
        return im
    if mode == "I;16":  # full range: each 8-bit level v as v * 257
        return Image.frombytes("I;16", base.size, b"".join(v.to_bytes(2, "little") * 1 for v in
                                                          (x * 257 for x in base.convert("L").tobytes())))
    return base.convert(mode)


def _book_with(kind: str, project: Path, tmp_path: Path) -> tuple[Image.Image, Path]:
    """The picture of `kind` (noise) in the project's entry, and the PDF book made of it."""
    mode, options = KINDS[kind]
    picture = _noise(mode)
    picture.save(project / "entries" / f"{kind}.png", **options)
    write(project, "entries/ke-one-stop.yaml", ENTRY + f"images:\n  - {{file: {kind}.png, alt: {kind}, caption: x}}\n")
    book, _ = load_book(project)
    return picture, render(book, RenderContext(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache"))[0]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_of_png_prints_its_own_pixels(project, tmp_path, kind):
    picture, path = _book_with(kind, project, tmp_path)
    with pikepdf.open(path) as pdf:
        found = [pikepdf.PdfImage(x) for p in pdf.pages[1:] for x in p.Resources.get("/XObject", {}).values()
                 if x.get("/Subtype") == "/Image" and int(x.Width) == 120]
        assert len(found) == 1
        shown = found[0].as_pil_image()
    expected = picture.convert("RGBA" if kind == "alpha" else "RGB").convert("RGB")
    if kind == "grey16":  # printed as 8 bits (imageprep.print_copy)
        raw = picture.tobytes()  # 16-bit little-endian levels
        levels = bytes(int.from_bytes(raw[i:i + 2], "little") // 257 for i in range(0, len(raw), 2))
        expected = Image.frombytes("L", picture.size, levels).convert("RGB")
    elif kind == "alpha":  # the soft mask is its own XObject: compare the colour
        expected = picture.convert("RGB")
    assert shown.convert("RGB").tobytes() == expected.tobytes()
    if kind in ("rgb", "grey"):  # taken as it is: the PNG's own compressed pixels, with PNG predictors
        with pikepdf.open(path) as pdf:
            xobject = next(x for p in pdf.pages[1:] for x in p.Resources.get("/XObject", {}).values()
                           if int(x.get("/Width", 0)) == 120)
            assert int(xobject.DecodeParms.Predictor) == 15
            data = (project / "entries" / f"{kind}.png").read_bytes()
            assert xobject.read_raw_bytes() in data


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_of_png_reads_back_through_poppler(project, tmp_path, kind):
    """A second reader, the one of Evince, Okular and most Linux viewers: poppler decodes each picture's
    stream (pdfimages) to the very pixels of the file. A PNG taken as it is once carried its predictor
    in a dictionary beside a Filter array of one: poppler ignored it and printed the PNG's filtered
    rows, a black picture with bright edges, while pikepdf read it well."""
    picture, path = _book_with(kind, project, tmp_path)
    (tmp_path / "images").mkdir()
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "images" / "x")], check=True, capture_output=True)
    grey = kind in ("grey", "grey16")
    found = [im for im in (Image.open(p) for p in sorted((tmp_path / "images").glob("*.png")))
             if im.size == (120, 80) and im.mode == ("L" if grey else "RGB")]  # (an alpha's soft mask is L)
    assert found, "the picture is not in the PDF"
    if kind == "grey16":
        raw = picture.tobytes()
        expected = Image.frombytes("L", picture.size, bytes(int.from_bytes(raw[i:i + 2], "little") // 257
                                                            for i in range(0, len(raw), 2)))
    else:
        expected = picture if kind == "grey" else picture.convert("RGB")
    shown = found[0].convert(expected.mode)
    assert shown.tobytes() == expected.tobytes()


def test_the_cover_reads_back_through_poppler(project, tmp_path):
    """The cover (a PNG taken as it is) drawn by poppler at 20 dpi: its colours, not black."""
    from compendium.render.common import COVER_COLOURS

    book, _ = load_book(project)
    path = render(book, RenderContext(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache"))[0]
    subprocess.run(["pdftoppm", "-r", "20", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "page")],
                   check=True, capture_output=True)
    page = Image.open(next(tmp_path.glob("page-*.png"))).convert("RGB")
    accent = tuple(int(COVER_COLOURS["accent"][i:i + 2], 16) for i in (1, 3, 5))
    corner = page.getpixel((3, 3))  # the top of the cover: the accent colour
    assert all(abs(a - b) <= 6 for a, b in zip(corner, accent)), corner
