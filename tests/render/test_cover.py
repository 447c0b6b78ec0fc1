"""The generated cover: one design drawn once for the PDF (300 dpi, the page's size) and the EPUB
(1,600 px wide), the same bytes every time, text shaped in every script and set from the start side."""
from __future__ import annotations

import os
from dataclasses import replace

import pytest
from PIL import Image

from compendium.output.build import load_book
from compendium.render.bidi import bidi_levels
from compendium.render.common import COVER_COLOURS
from compendium.render.cover import PRINT_DPI, cover_text, print_cover, screen_cover
from tests.helpers import EDITION, write


def _ink(im: Image.Image, box: tuple[int, int, int, int], ground: str) -> list[int]:
    """x positions of pixels in `box` that differ from the ground colour."""
    crop = im.convert("RGB").crop(box)
    g = tuple(int(ground[i:i + 2], 16) for i in (1, 3, 5))
    return [x + box[0] for x in range(crop.width) for y in range(0, crop.height, 3)
            if sum(abs(a - b) for a, b in zip(crop.getpixel((x, y)), g)) > 60]


def test_print_and_screen_covers(project, tmp_path):
    book, _ = load_book(project)
    warnings: list = []
    printed = print_cover(book, tmp_path / "cache", warnings)
    with Image.open(printed) as im:
        assert im.size == (round(595.2756 * PRINT_DPI / 72), round(841.8898 * PRINT_DPI / 72))  # A4 at 300 dpi
        ink = _ink(im, (0, 0, im.width, int(im.height * 0.55)), COVER_COLOURS["accent"])
        assert ink and min(ink) > im.width * 0.05 and min(ink) < im.width * 0.15  # from the left margin
    screen = screen_cover(book, tmp_path / "cache", warnings)
    with Image.open(screen) as im:
        assert im.width == 1600 and abs(im.height / im.width - 297 / 210) < 0.002
    assert warnings == []
    assert "1 initiative · 1 country" == cover_text(book)["kicker"]


def test_cover_is_drawn_once_and_reproducible(project, tmp_path):
    book, _ = load_book(project)
    first = print_cover(book, tmp_path / "a", [])
    stamp = first.stat().st_mtime_ns
    assert print_cover(book, tmp_path / "a", []) == first and first.stat().st_mtime_ns == stamp  # reused
    other = print_cover(book, tmp_path / "b", [])
    assert other.read_bytes() == first.read_bytes()  # a cold cache draws the same bytes
    assert screen_cover(book, tmp_path / "b", []).read_bytes() == screen_cover(book, tmp_path / "a", []).read_bytes()


def test_letter_pages_get_a_letter_cover(project, tmp_path):
    write(project, "compendium.yaml", EDITION + "pdf: {page_size: Letter}\n")
    book, _ = load_book(project)
    with Image.open(print_cover(book, tmp_path, [])) as im:
        assert im.size == (2550, 3300)


def test_arabic_title_is_shaped_and_set_from_the_right(project, tmp_path):
    pytest.importorskip("fontpkg_noto_sans_arabic", reason="pip install fontpkg-noto-sans-arabic")
    write(project, "compendium.yaml", EDITION.replace("title: Test Awards", "title: جوائز الخدمة العامة\nlanguage: ar"))
    book, _ = load_book(project)
    warnings: list = []
    with Image.open(screen_cover(book, tmp_path, warnings)) as im:
        ink = _ink(im, (0, int(im.height * 0.3), im.width, int(im.height * 0.55)), COVER_COLOURS["accent"])
        assert ink and max(ink) > im.width * 0.85 and min(ink) > im.width * 0.3  # right-aligned, short line
    assert warnings == []


def test_lines_are_ordered_by_the_bidi_algorithm():
    levels = [lvl for _, lvl in bidi_levels("العامة 2012 (UNPSA)", True)]
    assert levels[:6] == [1] * 6 and levels[7:11] == [2] * 4 and levels[11] == 1 and levels[13:18] == [2] * 5


def test_missing_script_font_is_a_warning(project, tmp_path, monkeypatch):
    from compendium.render import fonts

    missing = replace(fonts.FAMILIES["cjk"], package="no_such_font_package_xyz")
    monkeypatch.setitem(fonts.FAMILIES, "cjk", missing)
    write(project, "compendium.yaml", EDITION.replace("title: Test Awards", "title: 公共服务奖"))
    book, _ = load_book(project)
    warnings: list = []
    assert print_cover(book, tmp_path, warnings).is_file()
    assert [w.code for w in warnings] == ["cover.font"] and "compendium[cjk]" in warnings[0].message


@pytest.mark.skipif(not hasattr(os, "fork"), reason="parallel formats run in processes")
def test_formats_in_parallel_draw_it_once(project, tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    book, _ = load_book(project)
    with ProcessPoolExecutor(2) as pool:
        paths = list(pool.map(print_cover, [book, book], [tmp_path, tmp_path], [[], []]))
    assert paths[0] == paths[1]
    assert sorted(p.name for p in (tmp_path / "cover").iterdir() if p.suffix == ".png") == [paths[0].name]


def test_the_pdf_and_the_epub_carry_the_same_cover(project, tmp_path):
    """One design, drawn once: the PDF's first page is the print picture, the EPUB's cover its scaled copy."""
    import io

    import pikepdf
    from pikepdf import PdfImage

    from compendium.render import epub, pdf
    from compendium.render.common import RenderContext

    book, _ = load_book(project)
    ctx = RenderContext(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    (pdf_path,), (epub_path,) = pdf.render(book, ctx), epub.render(book, ctx)
    printed = print_cover(book, ctx.cache_dir, [])
    with pikepdf.open(pdf_path) as doc:
        (image,) = [x for x in doc.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]
        placed = PdfImage(image).as_pil_image()
        box = doc.pages[0].MediaBox
    with Image.open(printed) as im:
        assert placed.size == im.size and placed.convert("RGB").tobytes() == im.convert("RGB").tobytes()
        assert abs(im.width / float(box[2]) * 72 - PRINT_DPI) < 1  # 300 dpi on the page
    from tests.helpers import Epub

    book_epub = Epub(epub_path)
    cover = next(i for i in book_epub.manifest.values() if "cover-image" in i.get("properties", ""))
    data = book_epub.zip.read(book_epub.resolve(cover["href"]))
    assert data == screen_cover(book, ctx.cache_dir, []).read_bytes()
    with Image.open(io.BytesIO(data)) as shown, Image.open(printed) as im:
        assert shown.width == 1600 and abs(shown.height / shown.width - im.height / im.width) < 0.001
    assert len(list((ctx.cache_dir / "cover").glob("*-print.png"))) == 1  # drawn once for both books


def test_a_cached_cover_is_made_again_when_what_writes_its_bytes_changes(project, tmp_path, monkeypatch):
    """The books name a picture by its bytes (the PDF's XObject, the EPUB's cover): a cover cached by
    older code written another way (another zlib level, another drawing) must not be reused, or a
    project with an old cache builds other bytes than a fresh one."""
    from compendium.render import cover

    book, _ = load_book(project)
    first = (print_cover(book, tmp_path, []), screen_cover(book, tmp_path, []))
    monkeypatch.setattr(cover, "PNG_LEVELS", {"print": 9, "screen": 9})
    second = (print_cover(book, tmp_path, []), screen_cover(book, tmp_path, []))
    assert first[0] != second[0] and first[1] != second[1]
    assert second[0].read_bytes() != first[0].read_bytes()
    monkeypatch.setattr(cover, "DESIGN_VERSION", "test")
    assert print_cover(book, tmp_path, []) not in (first[0], second[0])
