"""The PDF as a printer and a reader get it (issue 11), read back with pdftotext, pypdf and pikepdf.

The sample edition plus the field cases (tests/render/pdf/fixtures: a 220-character URL, a
14-column table of 7-digit numbers, Yoruba with stacked marks, emoji sequences, a Hebrew entry)
is built in two folders: pages are labelled and openers fall on rectos, every word stays inside
the text block, Arabic, Hebrew and Latin words extract as typed, marks take HarfBuzz's
positions, and both folders give the same bytes.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pikepdf
import pypdf
import pytest

from compendium.output.build import build
from tests.helpers import REPO, copy_sample, pdf_outline

FIXTURES = Path(__file__).parent / "fixtures"
FIELD_CASES = {"uy-open-consultation.yaml": "participation", "id-district-scorecard.yaml": "service-delivery",
               "ng-yoruba-portal.yaml": "service-delivery", "ke-mobile-clinic.yaml": "service-delivery",
               "il-budget-portal.yaml": "participation"}
_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _project(root: Path) -> Path:
    copy_sample(root)  # the sample's 2012 edition as a project of its own
    for name, folder in FIELD_CASES.items():
        shutil.copy(FIXTURES / name, root / "entries" / folder / name)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(pdf path, warnings, output folder) of the project built in one folder; a copy built in another."""
    base = tmp_path_factory.mktemp("print")
    results = []
    for name in ("first", "second/deeper"):
        root = _project(base / name)
        result = build(root, ["pdf", "fact-sheets"], out_dir=root / "output")
        results.append((next(p for p in result.outputs if p.suffix == ".pdf"), result.warnings, root / "output"))
    return results


@pytest.fixture(scope="module")
def pdf(built) -> Path:
    return built[0][0]


@pytest.fixture(scope="module")
def reader(pdf) -> pypdf.PdfReader:
    return pypdf.PdfReader(pdf)


def _text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out).translate(_BIDI).split())


def _outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    return pdf_outline(reader)


def test_same_project_in_two_folders_gives_the_same_bytes(built):
    (a, _, out_a), (b, _, out_b) = built
    assert a.read_bytes() == b.read_bytes()
    sheets = sorted(p.name for p in (out_a / "fact-sheets").glob("*.pdf"))
    assert len(sheets) >= 20
    for name in sheets:
        assert (out_a / "fact-sheets" / name).read_bytes() == (out_b / "fact-sheets" / name).read_bytes(), name


def test_page_labels_roman_front_matter_arabic_body(reader):
    labels = reader.page_labels
    outline = _outline(reader)
    first_part = next(p for lvl, t, p in outline if lvl == 0 and t.startswith("Preventing"))
    assert labels[0] == "Cover" and labels[1] == "Inside cover"
    assert labels[2:5] == ["i", "ii", "iii"]
    assert labels[first_part - 1] == "1"
    assert labels[first_part - 2] in ("vi", "vii", "viii", "ix", "x", "xi", "xii")
    assert labels[-1] == str(len(labels) - first_part + 1)
    assert reader.trailer["/Root"]["/PageLabels"]


def test_openers_fall_on_rectos_and_blank_versos_are_blank(pdf, reader):
    outline = _outline(reader)
    openers = {t: p for lvl, t, p in outline if lvl == 0}
    for title, page in openers.items():
        if title != "Overview":  # the overview follows the introduction on any page
            assert page % 2 == 1, (title, page)
    title_page = 3
    assert "Public Service Awards" in _text(pdf, title_page)
    blanks = [n for n in range(2, len(reader.pages) + 1) if not _text(pdf, n).strip()]
    assert 2 in blanks  # the inside cover
    for n in blanks:
        assert n % 2 == 0  # only versos are left blank
        # ... before an opener, or the last page (the press wants an even page count)
        assert (n + 1) in openers.values() or n == 2 or n == len(reader.pages)
    assert len(reader.pages) % 2 == 0
    body = openers[next(t for t in openers if t.startswith("Preventing"))]
    folios = [n for n in range(body, len(reader.pages)) if n not in blanks]
    assert all(reader.page_labels[n - 1] in _text(pdf, n).split() for n in folios[:12])


def _words_outside(pdf: Path, tmp: Path) -> list[tuple[int, str, float, float]]:
    """Words whose box leaves the text block's columns (mirrored margins), from pdftotext -bbox."""
    from compendium.render.pdf.styles import geometry

    geom = geometry("A4", two_sided=True)
    html = tmp / "bbox.html"
    subprocess.run(["pdftotext", "-bbox", str(pdf), str(html)], check=True)
    out = []
    page = 0
    for line in html.read_text(encoding="utf-8").splitlines():
        if "<page " in line:
            page += 1
            continue
        m = re.search(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line)
        if m and page > 1:
            x0, x1 = float(m.group(1)), float(m.group(2))
            left = geom.left(page)
            if x0 < left - 1.0 or x1 > left + geom.frame_width + 1.0:
                out.append((page, m.group(3), x0, x1))
    return out


def test_no_glyph_leaves_the_text_block(pdf, tmp_path):
    """A long URL, an autolink, a long word, a 14-column table: all inside the measure."""
    assert _words_outside(pdf, tmp_path) == []
    text = _text(pdf)
    for marker in ("LONGURL-BARE-END", "LONGWORD-END", "LONGURL-CELL-END", "CELLWORD-END", "WIDETABLE-LASTCELL"):
        assert marker in text
    # 7-digit numbers are never broken
    for number in ("1,234,567", "2,345,678", "9,012,345"):
        assert number in text.split()


def test_arabic_hebrew_and_latin_words_extract_as_typed(pdf, built):
    text = _text(pdf)
    for word in ("تُطبع", "وتُوقَّع", "المراسلات", "الإلكترونية", "زاجل"):
        assert unicodedata.normalize("NFC", word) in text, word
    hebrew = (FIXTURES / "il-budget-portal.yaml").read_text(encoding="utf-8")
    title = re.search(r'title: "(.*)"', hebrew).group(1)
    assert all(w in text for w in title.split())
    # Latin stays searchable: no ligature glyphs in place of letters, marks composed
    for word in ("office", "Officials", "efficient", "Ẹ̀ka", "Ìṣé", "Ọ̀rò", "ÅNGSTRÖM"):
        assert unicodedata.normalize("NFC", word) in text, word
    assert "\ufb03" not in text and "\ufb01" not in text


def test_joiners_and_stars_are_not_drawn_as_something_else(pdf, built):
    text = _text(pdf)
    assert "⭐⭐⭐⭐" in text
    warnings = built[0][1]
    glyphs = [w for w in warnings if w.code == "pdf.glyph"]
    # the one character no installed font has is reported where it was typed, not replaced
    assert [w.source.path for w in glyphs] == ["entries/service-delivery/ke-mobile-clinic.yaml"]
    [w] = glyphs
    assert w.source.line > 1 and w.source.col > 1 and "U+2606" in w.message
    source = (built[0][2].parent / w.source.path).read_text(encoding="utf-8").splitlines()[w.source.line - 1]
    assert source[w.source.col - 1] == "☆"


def test_marks_take_harfbuzz_positions():
    import uharfbuzz as hb
    from reportlab.pdfbase import pdfmetrics

    from compendium.render.pdf import fonts as pdf_fonts
    from compendium.render.pdf.shaping import shape

    text = "Ẹ̀ka وتُوقَّع"
    book, _ = pdf_fonts.load(text)
    for word, family, rtl in (("Ẹ̀ka", "serif", False), ("وتُوقَّع", "arabic", True)):
        name = book.name(family)
        shaped = shape(word, name, rtl, book.path(name))
        face = hb.Face(hb.Blob(pdfmetrics.getFont(name).face._ttf_data))
        font = hb.Font(face)
        buf = hb.Buffer()
        buf.add_str(word)
        buf.guess_segment_properties()
        hb.shape(font, buf, {"kern": True, "liga": True})
        scale = 1000 / face.upem
        expected = [(p.x_offset * scale, p.y_offset * scale) for p in buf.glyph_positions]
        assert list(shaped.offsets) == expected
        assert any(dy for _, dy in shaped.offsets) or any(dx for dx, _ in shaped.offsets)  # marks are placed


def test_xmp_metadata_and_display_doc_title(pdf):
    with pikepdf.open(pdf) as doc:
        assert doc.Root.ViewerPreferences.DisplayDocTitle is True
        meta = doc.open_metadata()
        assert meta["dc:title"] == "United Nations Public Service Awards 2012"
        assert meta["dc:language"] == ["en"] or "en" in str(meta["dc:language"])
        assert "2012-06-23" in meta["xmp:CreateDate"]
        assert meta["dc:creator"]


def test_single_sided_option(project):
    root = project
    (root / "compendium.yaml").write_text((root / "compendium.yaml").read_text() + "pdf: {sides: single-sided}\n")
    result = build(root, ["pdf"], out_dir=root / "output")
    reader = pypdf.PdfReader(result.outputs[0])
    labels = reader.page_labels
    assert labels[0] == "Cover" and labels[1] == "i"
    n = len(reader.pages)
    assert all(_text(result.outputs[0], p).strip() for p in range(2, n + 1))  # no blank pages


def test_bad_sides_option_is_located(project):
    from compendium.errors import InvalidInput

    root = project
    (root / "compendium.yaml").write_text((root / "compendium.yaml").read_text() + "pdf: {sides: both}\n")
    with pytest.raises(InvalidInput) as info:
        build(root, ["pdf"], out_dir=root / "output")
    assert "edition.pdf.sides" in str(info.value) or any(
        i.code == "edition.pdf.sides" for i in getattr(info.value, "issues", []))


@pytest.mark.slow
def test_a_thousand_entry_edition_builds(tmp_path):
    """Issue 11: 1,000 entries stopped with a Splitting error on page 1,230; now the book is made."""
    root = tmp_path / "c1000"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "1000", str(root)], check=True,
                   capture_output=True)
    result = build(root, ["pdf"], out_dir=root / "output")
    reader = pypdf.PdfReader(result.outputs[0])
    assert len(reader.pages) > 2500
    assert len([t for lvl, t, _ in _outline(reader) if lvl == 2]) == 1000
    assert reader.page_labels[-1].isdigit()
