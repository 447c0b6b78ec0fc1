"""Every kind of flowable the PDF makes lays out at any width and from any height left on a page.

Issue 11: an ordinary paragraph after a list failed to split at one position on page 1,230 of a
1,000-entry book (reportlab's Frame.split ignores Indenter indents). So each kind — paragraphs in
every script, lists (nested, numbered), tables (ordinary, wide, with a long cell), quotes, code,
pictures with captions, the details panel, the closing block, the chart, contents lines — is
laid out after a spacer that leaves every height from a full frame down to nothing, in frames
from a fact sheet's column to a full measure. No LayoutError may come out, whatever the height.
"""
from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image as PILImage
from reportlab.platypus import Spacer

from compendium.book.stats import overview
from compendium.render.pdf import Setup
from compendium.render.pdf.chart import overview_chart
from compendium.render.pdf.entry import entry_flowables
from compendium.render.pdf.front import contents
from compendium.render.pdf.layout import Anchor, BookDoc, TocLine
from compendium.render.pdf.markdown import markdown
from compendium.render.pdf.styles import Geometry

PARAGRAPHS = {
    "latin": "Policy decisions were long hampered by data that was scattered, inconsistent or simply unavailable. " * 6,
    "arabic": "كانت الجهات الحكومية في البحرين تتبادل آلاف الخطابات الرسمية كل شهر على الورق، تُطبع وتُوقَّع. " * 5,
    "hebrew": "פורטל התקציב הפתוח מציג את תקציב המדינה לכל אזרח, שורה אחר שורה. " * 6,
    "chinese": "过去，企业办理行政审批需要在多个部门之间往返，耗时长、成本高。" * 8,
    "devanagari": "सामाजिक अंकेक्षण ग्राम सभा में होता है और हर नागरिक भाग ले सकता है। " * 6,
    "yoruba": "Ẹ̀ka Ìṣé Ọ̀rò Ilú ń ṣe iṣẹ́ fún gbogbo ènìyàn. ÅNGSTRÖM " * 8,
    "emoji": "Clinics on wheels 🚐 visit villages 👩🏽\u200d⚕️ every week ⭐⭐⭐⭐. " * 6,
    "url": "See https://consultas.example.gub.uy/archivo/2011/consulta-publica-sobre-el-anteproyecto/comentarios/"
           "todos?orden=fecha&formato=completo&pagina=1&por_pagina=500 and " + "A" * 140 + " end.",
}
BLOCKS = """\
Intro paragraph before a list, long enough to wrap over two or three lines at the narrowest width tried.

- a single toll-free number, answered in all official languages, with a long explanation that wraps
- complaint anonymity for callers who fear retaliation
  1. nested numbered item that also wraps onto a second line when the column is narrow
  2. another nested item

An ordinary English paragraph after a bullet list: the kind that failed on page 1,230 of the
1,000-entry edition, because splitting depended on where on the page it fell. It goes on for a
while so that it has lines to split: more words, and more words, and more words again.

> A quoted line that goes on and on so that the quote spans several lines in every width tried here,
> with a second line of quote.

| Year | Organisations assessed | Average score | Note |
|---|--:|--:|---|
| 2008 | 1,234,567 | 8.21 | first round with a longer note in the last column |
| 2009 | 2,345,678 | 8.43 | |
| 2010 | 3,456,789 | 8.52 | another note |

| District | Jan | Feb | Mar | Apr | May | Jun | Jul | Aug | Sep | Oct | Nov | Dec | Total |
|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
| Kabupaten Bandung Barat | 1,234,567 | 2,345,678 | 3,456,789 | 4,567,890 | 5,678,901 | 6,789,012 | 7,890,123 | 8,901,234 | 9,012,345 | 1,122,334 | 2,233,445 | 3,344,556 | 45,678,901 |
| Kota Yogyakarta | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20 | 21 | 22 | 198 |

```
code block line one
    indented line two
```
"""

WIDTHS = (110, 230, 351)  # pt: a narrow table column, a fact-sheet column, the book's measure
FRAMES = (260, 700)  # pt of frame height
STEP = 47  # pt between the spacer heights tried


@pytest.fixture(scope="module")
def setup(sample_book, tmp_path_factory):
    return Setup(sample_book, tmp_path_factory.mktemp("sweep-cache"))


@pytest.fixture(scope="module")
def picture(tmp_path_factory):
    path = tmp_path_factory.mktemp("pic") / "tall.png"
    PILImage.new("RGB", (900, 1600), "#336699").save(path)
    return path


def _kinds(s: Setup) -> dict:
    book = s.book
    arabic = next(e for e in book.entries if e.dir == "rtl")
    chinese = next(e for e in book.entries if e.language.startswith("zh"))
    pictured = max(book.entries, key=lambda e: len(e.images))  # two pictures: one leads, one follows the solution
    with_images = replace(pictured, images=(pictured.images * 2)[:max(2, len(pictured.images))])
    return {
        **{f"paragraphs-{k}": (lambda t=t, k=k: markdown(s.tc.at(k), t) + markdown(
            s.for_entry(arabic) if k in ("arabic", "hebrew") else s.tc, t)) for k, t in PARAGRAPHS.items()},
        "blocks": lambda: markdown(s.tc, BLOCKS),
        "blocks-rtl": lambda: markdown(s.for_entry(arabic), BLOCKS),
        "entry-latin": lambda: entry_flowables(with_images, s.for_entry(with_images), s.geom, s.cache_dir),
        "entry-arabic": lambda: entry_flowables(arabic, s.for_entry(arabic), s.geom, s.cache_dir),
        "entry-chinese": lambda: entry_flowables(chinese, s.for_entry(chinese), s.geom, s.cache_dir),
        "chart-and-contents": lambda: [overview_chart(overview(book), s.tc),
                                       *contents(book, s.tc, True, s.for_entry)],
    }


def _lay_out(s: Setup, flowables: list, width: float, height: float, offset: float) -> None:
    geom = Geometry(width + 60, height + 80, 30, 30, top=40, bottom=40, two_sided=False)
    painters = {"cover": lambda c, d: None, "running": lambda c, d: None}
    doc = BookDoc(io.BytesIO(), geom, 0, painters, initialFontName=s.fonts.name("serif"))
    doc._firstPageTemplateIndex = 2  # the body's page template
    # outline parents for the entries' level-2 anchors, as in the book; destinations for TOC links
    targets = [Anchor(f.key, f.key) for f in flowables if isinstance(f, TocLine)]
    doc.build([Anchor("part", "Part", 0), Anchor("chapter", "Chapter", 1), Spacer(1, offset), *flowables, *targets])


@pytest.mark.parametrize("kind", ["paragraphs-latin", "paragraphs-arabic", "paragraphs-hebrew", "paragraphs-chinese",
                                  "paragraphs-devanagari", "paragraphs-yoruba", "paragraphs-emoji", "paragraphs-url",
                                  "blocks", "blocks-rtl", "entry-latin", "entry-arabic", "entry-chinese",
                                  "chart-and-contents"])
def test_every_flowable_splits_at_every_height_and_width(setup, kind):
    make = _kinds(setup)[kind]
    for width in WIDTHS:
        for height in FRAMES:
            for offset in range(0, int(height), STEP):
                _lay_out(setup, make(), width, height, offset)  # raises LayoutError on failure


def test_a_picture_taller_than_the_page_shrinks_to_fit(setup, picture):
    from compendium.render.pdf.figure import Figure

    for height in (120, 260):
        for offset in range(0, height, 37):
            figure = Figure(picture, (900, 1600), None, max_height=2000)
            _lay_out(setup, [figure], 230, height, offset)


def test_a_list_lead_in_never_ends_a_page_without_its_list(setup):
    """"The main results were:" at the foot of a page and its list on the next (23 pages of the 430 of
    the 100-entry corpus): the text that leads into a list goes with its first item, from every height
    left on the page, with a plain or a nested list, left to right or right to left."""
    import pypdf

    lead = "A paragraph before it that fills a line or two of the text block for good measure. " * 2
    cases = {
        "plain": (setup.tc, f"{lead}\n\nThe main results were:\n\n- first item of the list\n- second item\n"),
        "nested": (setup.tc, "- an item whose text leads into a sub-list:\n  - first item of the list\n  - more\n"),
        "rtl": (setup.for_entry(next(e for e in setup.book.entries if e.dir == "rtl")),
                f"{lead}\n\nThe main results were:\n\n- first item of the list\n- second item\n"),
    }
    for name, (ctx, text) in cases.items():
        for offset in range(0, 260, 7):
            out = io.BytesIO()
            geom = Geometry(290, 340, 30, 30, top=40, bottom=40, two_sided=False)
            doc = BookDoc(out, geom, 0, {"cover": lambda c, d: None, "running": lambda c, d: None},
                          initialFontName=setup.fonts.name("serif"))
            doc._firstPageTemplateIndex = 2
            doc.build([Spacer(1, offset), *markdown(ctx, text)])
            pages = [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(out).pages]
            lead_in = "main results were" if name != "nested" else "leads into a sub"  # (bidi moves an RTL colon)
            where = next(i for i, t in enumerate(pages) if lead_in in t)
            assert "first item of the list" in pages[where], (name, offset, pages)


def test_a_country_in_the_index_never_ends_a_column_without_its_first_initiative(setup):
    """"Kazakhstan 7" the last line of a column and "Electronic licensing" alone at the top of the next (the
    retrospective's index of countries): from every height left before the index, in a short two-column page,
    each country line is drawn in the frame of the line after it."""
    from compendium.render.pdf.index import country_index

    book = setup.book
    names = {e.country.name for e in book.entries}

    class Recording(BookDoc):
        drawn: list[tuple[int, str, str]]  # (page, frame, text) of each text drawn, in order

        def afterFlowable(self, flowable):  # noqa: N802, ANN001 - reportlab's hook
            spans = getattr(flowable, "spans", None)
            if spans:
                self.drawn.append((self.page, self.frame.id, "".join(sp.text for sp in spans)))

    for offset in range(0, 200, 9):
        geom = Geometry(420, 360, 30, 30, top=40, bottom=40, two_sided=False)
        doc = Recording(io.BytesIO(), geom, 0, {"cover": lambda c, d: None, "running": lambda c, d: None},
                        initialFontName=setup.fonts.name("serif"))
        doc._firstPageTemplateIndex = 2
        doc.drawn = drawn = []
        doc.build([Spacer(1, offset), *country_index(book, setup.tc, setup.for_entry)])
        countries = [i for i, (_, _, text) in enumerate(drawn) if text.split("\u2002")[0] in names]
        assert len(countries) == len(names)
        for i in countries:
            assert drawn[i][:2] == drawn[i + 1][:2], (offset, drawn[i], drawn[i + 1])
