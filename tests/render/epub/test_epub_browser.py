"""The EPUB's pages as a reading system draws them (headless Chromium with the book's own CSS and
fonts): the entry's title is the largest heading on its page, Arabic and Chinese captions and
emphasis are upright while English captions are italic, and the embedded Noto faces are used."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from compendium.output.build import load_book
from compendium.render.epub.nav import entry_anchor
from tests.helpers import ENTRY, SAMPLE, Epub, build_epub, chromium, write

pytestmark = pytest.mark.slow

SCRIPT_ENTRY = ENTRY.replace("A short **summary**.", "{summary}").replace("One-stop shops", "{title}") + """\
language: {lang}
images:
  - file: images/pic.png
    alt: picture
    caption: "{caption}"
    credit: "{credit}"
"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _open(browser, epub: Epub, folder: Path):
    with zipfile.ZipFile(epub.path) as z:
        z.extractall(folder)
    page = browser.new_page(viewport={"width": 600, "height": 900})
    return page


def test_entry_title_is_the_largest_heading_on_its_page(browser, tmp_path):
    book, _ = load_book(SAMPLE)
    epub = Epub(build_epub(book, tmp_path / "out", tmp_path / "cache")[0])
    page = _open(browser, epub, tmp_path / "x")
    try:
        for entry in book.entries:
            page.goto((tmp_path / "x" / epub.file_of(entry_anchor(entry))).as_uri())
            sizes = page.eval_on_selector_all(
                "h1, h2, h3, h4, h5, h6", "els => els.map(e => [e.localName, parseFloat(getComputedStyle(e).fontSize)])")
            title = [s for tag, s in sizes if tag == "h3"]
            others = [s for tag, s in sizes if tag != "h3"]
            assert len(title) == 1 and title[0] > max(others) * 1.4, (entry.id, sizes)
            body = page.eval_on_selector(".summary p", "e => parseFloat(getComputedStyle(e).fontSize)")
            assert title[0] > 1.6 * body
        # a part opener: the part's title is its largest heading, its chapters are headings below it
        page.goto((tmp_path / "x" / epub.file_of(f"part-{book.parts[0].key}")).as_uri())
        sizes = page.eval_on_selector_all("h1, h2", "els => els.map(e => [e.localName, parseFloat(getComputedStyle(e).fontSize)])")
        assert sizes[0][0] == "h1" and all(s < sizes[0][1] for _, s in sizes[1:]) and len(sizes) > 1
        fonts = page.evaluate("() => document.fonts.check('16px \"Noto Serif\"') && document.fonts.check('16px \"Noto Sans\"')")
        assert fonts
    finally:
        page.close()


def test_arabic_and_chinese_text_is_never_slanted(browser, project, tmp_path):
    from PIL import Image

    Image.new("RGB", (320, 200), (40, 90, 160)).save(write(project, "entries/images/pic.png", b""))
    for stem, lang, title, summary, caption, credit in (
            ("ar", "ar", "نظام زاجل", "نص *مؤكد* هنا.", "نمو الاستخدام", "هيئة"),
            ("zh", "zh", "一站式服务", "中心*强调*服务。", "服务流程", "中心"),
            ("en", "en", "English one", "Some *emphasis* here.", "Growth of use", "Agency")):
        write(project, f"entries/{stem}.yaml", SCRIPT_ENTRY.format(title=title, summary=summary, lang=lang,
                                                                 caption=caption, credit=credit))
    book, _ = load_book(project)
    epub = Epub(build_epub(book, tmp_path / "out", tmp_path / "cache")[0])
    page = _open(browser, epub, tmp_path / "x")
    try:
        styles = {}
        for entry in book.entries:
            if entry.id not in ("ar", "zh", "en"):
                continue
            page.goto((tmp_path / "x" / epub.file_of(entry_anchor(entry))).as_uri())
            styles[entry.id] = page.evaluate("""() => {
                const s = e => getComputedStyle(document.querySelector(e));
                return [s('figcaption .caption').fontStyle, s('.summary em').fontStyle, s('.summary em').fontWeight];
            }""")
        assert styles["ar"] == ["normal", "normal", "700"]
        assert styles["zh"] == ["normal", "normal", "700"]
        assert styles["en"][:2] == ["normal", "italic"]  # captions upright in every script (as the PDF), emphasis slanted
        # Arabic running text in Naskh (as the PDF sets it), its headings in the sans Arabic
        page.goto((tmp_path / "x" / epub.file_of(entry_anchor(next(e for e in book.entries if e.id == "ar")))).as_uri())
        first_face = page.evaluate("""() => {
            const inAr = e => (e.closest('[lang]') || {}).lang === 'ar';
            const face = e => getComputedStyle(e).fontFamily.split(',')[0].replaceAll('"', '').trim();
            const p = [...document.querySelectorAll('p')].find(e => inAr(e) && !e.closest('.summary, figcaption, dl, nav'));
            const h = [...document.querySelectorAll('h1, h2, h3, h4')].find(inAr);
            return [face(p), face(h), face(document.querySelector('.summary p'))];
        }""")
        assert first_face == ["Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans Arabic"]
        assert page.evaluate("() => document.fonts.check('16px \"Noto Naskh Arabic\"', 'نظام')")
    finally:
        page.close()


LONG = "https://consultas.example.gub.uy/archivo/2011/consulta-publica-sobre-el-anteproyecto-de-ley/comentarios/todos?orden=fecha&formato=completo&pagina=1&por_pagina=500"
WIDE = ("| District | " + " | ".join(f"M{n}" for n in range(1, 14)) + " |\n|---|" + "---:|" * 13 + "\n"
        + "| Kabupaten Bandung Barat | " + " | ".join(f"{n},234,567" for n in range(1, 14)) + " |\n")


def test_no_page_is_wider_than_a_phone(browser, project, tmp_path):
    """Long addresses, long words and wide tables: a reading system's page does not scroll sideways,
    so nothing may run past its edge (a wide table scrolls inside its own box)."""
    word = "Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu"
    text = ENTRY.replace("A short **summary**.", f"See {LONG} and <{LONG}> and {word}.") \
        .replace("    Queues.", "    " + WIDE.replace("\n", "\n    ")) \
        .replace("    One window.", f"    | Record | Address |\n    |---|---|\n    | 1 | {LONG} |")
    write(project, "entries/ke-one-stop.yaml", text)
    book, _ = load_book(project)
    epub = Epub(build_epub(book, tmp_path / "out", tmp_path / "cache")[0])
    with zipfile.ZipFile(epub.path) as z:
        z.extractall(tmp_path / "x")
    page = browser.new_page(viewport={"width": 390, "height": 800})
    try:
        for name in epub.spine:
            page.goto((tmp_path / "x" / name).as_uri())
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            assert width <= 390, (name, width)
        page.goto((tmp_path / "x" / epub.file_of(entry_anchor(book.entries[0]))).as_uri())
        boxes = page.eval_on_selector_all(".table-wrap", "els => els.map(e => [e.scrollWidth > e.clientWidth, getComputedStyle(e).overflowX])")
        assert boxes[0] == [True, "auto"]  # the wide table scrolls in its box
    finally:
        page.close()
