"""PDF renderer: build the sample edition and small projects, then read the PDFs back (pypdf, pikepdf)."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pypdf
import pytest

from compendium.book.text import parse, plain
from compendium.output.build import build, load_book
from compendium.render.common import RenderContext
from compendium.render.pdf import output_path, render
from tests.helpers import ENTRY, pdf_outline, write

FRONT = {"Contents", "Foreword", "Acknowledgements", "Abbreviations", "Introduction", "Overview", "Index of initiatives",
         "Index of countries"}


def _render(root: Path, out: Path) -> tuple[Path, RenderContext]:
    book, _ = load_book(root)
    ctx = RenderContext(out_dir=out, cache_dir=out / "cache")
    paths = render(book, ctx)
    assert paths == [output_path(book, out)]
    return paths[0], ctx


_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _norm(text: str) -> str:
    """NFKC, whitespace collapsed, and without the bidi embeddings pdftotext wraps RTL lines in."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_BIDI_MARKS).split())


def _outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    return pdf_outline(reader)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", _norm(text)).split())


def _pdftotext(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _links(reader: pypdf.PdfReader, page_index: int) -> list[int]:
    """1-based target pages of the internal links on a page."""
    targets = []
    for annot in reader.pages[page_index].get("/Annots") or []:
        a = annot.get_object()
        dest = a.get("/Dest")
        if a.get("/Subtype") == "/Link" and dest is not None:
            targets.append(reader.get_page_number(dest[0].get_object()) + 1)
    return targets


@pytest.fixture(scope="module")
def sample(sample_book, sample_pdf) -> tuple[Path, object, RenderContext]:
    path, ctx = sample_pdf
    return path, sample_book, ctx


@pytest.fixture(scope="module")
def reader(sample) -> pypdf.PdfReader:
    return pypdf.PdfReader(sample[0])


def test_file_name_and_syntax(sample):
    path, book, _ = sample
    assert path.name == f"{book.edition.slug}-{book.edition.edition}.pdf"
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == []
    if shutil.which("qpdf"):
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_outline_matches_the_book(sample, reader):
    _, book, _ = sample
    items = [(lvl, title) for lvl, title, _ in _outline(reader) if title not in FRONT]
    expected = []
    for part in book.parts:
        expected.append((0, part.title))
        for chapter in part.chapters:
            expected.append((1, chapter.title))
            expected += [(2, e.title) for e in chapter.entries]
    assert items == expected
    assert [t for lvl, t, _ in _outline(reader) if lvl == 0 and t in FRONT] == \
        ["Contents", "Foreword", "Acknowledgements", "Abbreviations", "Introduction", "Overview", "Index of initiatives",
         "Index of countries"]


def test_each_entry_opens_a_page_with_its_title(sample, reader):
    _, book, _ = sample
    pages = {title: page for lvl, title, page in _outline(reader) if lvl == 2}
    assert len(set(pages.values())) == len(book.entries)  # one entry per opening page
    for entry in book.entries:
        # pdftotext reads the /ActualText of shaped runs (pypdf does not): the words as typed
        text = _norm(_pdftotext(sample[0], pages[entry.title]))
        if entry.dir == "rtl":  # the words as typed (pdftotext places neutral punctuation its own way)
            assert _words(entry.title) in _words(text), entry.id
        else:
            assert _norm(entry.title) in text, entry.id
        assert _norm(entry.country.name) in text


def test_toc_links_and_numbers_point_at_the_titles(reader):
    outline = _outline(reader)
    toc_page = next(p for lvl, t, p in outline if t == "Contents")
    first_body = next(p for lvl, t, p in outline if t == "Introduction")
    targets = [t for i in range(toc_page - 1, first_body - 1) for t in _links(reader, i)]
    # a region is set beside its first entry (the contents' own line is the entry's): no link of its own
    expected = [p for lvl, t, p in outline if t not in {"Contents"} and lvl != 1]
    assert targets == expected  # one link per TOC line, in order, to the page where the title is
    toc_text = " ".join(reader.pages[i].extract_text() for i in range(toc_page - 1, first_body - 1))
    for lvl, title, page in outline:
        if lvl == 2 and title.isascii():
            # the printed number (a form filled in after layout, the page's folio) follows the title
            folio = reader.page_labels[page - 1]
            assert re.search(re.escape(title) + r".*?\s" + folio + r"\b", " ".join(toc_text.split()))


def test_every_font_is_embedded(sample):
    with pikepdf.open(sample[0]) as pdf:
        seen = set()
        for page in pdf.pages:
            fonts = page.Resources.get("/Font", {})
            for name in fonts:
                font = fonts[name]
                seen.add(str(font.BaseFont))
                assert font.Subtype == "/TrueType", font.BaseFont
                assert "/FontFile2" in font.FontDescriptor, font.BaseFont
        assert any("NotoSerif" in f for f in seen) and any("NotoSansArabic" in f for f in seen)
        assert any("NotoSansSC" in f for f in seen)
        assert not any("Helvetica" in f or "Times" in f for f in seen)


def test_metadata_and_language(sample, reader):
    _, book, _ = sample
    meta = reader.metadata
    assert meta.title == "United Nations Public Service Awards 2012"
    assert meta.author == ("; ".join(book.edition.editors) or book.edition.publisher)  # UN titles name no editors
    assert meta.subject == book.edition.subtitle
    assert "Advancing Knowledge Management in Government" in meta["/Keywords"]
    assert meta["/CreationDate"].startswith("D:20120623")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_page_count_and_running_heads(sample, reader):
    _, book, _ = sample
    n = len(reader.pages)
    assert len(book.entries) + 10 <= n <= 4 * len(book.entries) + 12
    edition_line = "United Nations Public Service Awards · 2012"
    assert edition_line not in reader.pages[0].extract_text()  # no running foot on the cover
    outline = _outline(reader)
    entry_page = next(p for lvl, t, p in outline if lvl == 2)
    text = reader.pages[entry_page].extract_text()  # the page after an entry's first page
    assert edition_line in text and reader.page_labels[entry_page] in text.split()


def test_latin_text_is_extractable_in_reading_order(sample, reader):
    _, book, _ = sample
    entry = next(e for e in book.entries if e.id == "2012-za-anti-corruption-hotline")
    page = next(p for lvl, t, p in _outline(reader) if t == entry.title)
    text = _norm(reader.pages[page - 1].extract_text())
    # as printed: with the book's typographic apostrophes and quotes (book.typography)
    first_sentence = _norm(plain(parse(entry.summary, book.edition.language)).split(". ")[0])
    assert first_sentence in text and "South Africa’s" in text


def test_index_of_countries_links_to_entries(sample, reader):
    _, book, _ = sample
    outline = _outline(reader)
    index_page = next(p for lvl, t, p in outline if t == "Index of countries")
    text = " ".join(reader.pages[i].extract_text() for i in range(index_page - 1, len(reader.pages)))
    entry_pages = {p for lvl, t, p in outline if lvl == 2}
    targets = [t for i in range(index_page - 1, len(reader.pages)) for t in _links(reader, i)]
    assert sorted(targets) == sorted(entry_pages)
    for entry in book.entries:
        assert entry.country.name in text


def test_reproducible_bytes(sample, tmp_path):
    path, book, _ = sample
    again = render(book, RenderContext(out_dir=tmp_path, cache_dir=tmp_path / "cache"))[0]
    assert again.read_bytes() == path.read_bytes()


def test_source_date_epoch_sets_the_dates(project, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path, _ = _render(project, tmp_path / "out")
    assert pypdf.PdfReader(path).metadata["/CreationDate"].startswith("D:20231114")


def test_letter_page_size(project, tmp_path):
    (project / "compendium.yaml").write_text((project / "compendium.yaml").read_text() + "pdf: {page_size: Letter}\n")
    path, _ = _render(project, tmp_path / "out")
    box = pypdf.PdfReader(path).pages[5].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_a4_by_default(project, tmp_path):
    path, _ = _render(project, tmp_path / "out")
    box = pypdf.PdfReader(path).pages[5].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


HOSTILE = ENTRY.replace('title: "One-stop shops"', 'title: "<font color=red size=40>Big</font> & <b>bold"') \
    .replace("A short **summary**.", """<img src="/etc/passwd"/> <a href="javascript:alert(1)">click</a>
  <para>para</para> &amp; <b>unbalanced [js](javascript:alert(2)) [ok](https://example.org/ok)""") \
    .replace("Queues.", '<font name="Courier">mono</font> <br/> <link href="file:///etc/passwd">f</link>')


def test_hostile_entry_renders_as_inert_text(project, tmp_path):
    write(project, "entries/ke-one-stop.yaml", HOSTILE)
    path, _ = _render(project, tmp_path / "out")
    reader = pypdf.PdfReader(path)
    text = _norm(" ".join(p.extract_text() for p in reader.pages))
    assert "<font color=red size=40>Big</font> & <b>bold" in text
    assert '<img src="/etc/passwd"/>' in text
    assert '<a href="javascript:alert(1)">click</a>' in text
    assert "<para>para</para> & <b>unbalanced" in text  # CommonMark decodes the entity, as in HTML
    assert '<font name="Courier">mono</font> <br/> <link href="file:///etc/passwd">f</link>' in text
    raw = path.read_bytes()
    assert b"javascript" not in raw.lower() and b"/JavaScript" not in raw and b"/JS" not in raw
    assert b"passwd" not in raw or b"/etc/passwd" not in raw.replace(b"\\", b"")  # never a file reference
    uris = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages[1:]:  # page 1 is the shared cover, a picture (render.cover)
            assert "/XObject" not in page.Resources or all(
                page.Resources.XObject[k].Subtype != "/Image" for k in page.Resources.XObject)
            for annot in page.get("/Annots", []):
                if "/A" in annot and annot.A.get("/URI") is not None:
                    uris.append(str(annot.A.URI))
        fonts = {str(f.BaseFont) for p in pdf.pages for f in p.Resources.get("/Font", {}).values()}
    assert uris == ["https://example.org/ok"]
    assert not any("Courier" in f for f in fonts)


def test_markdown_renders_lists_quotes_tables_and_links(project, tmp_path):
    entry = ENTRY.replace("A short **summary**.", """Intro with *emphasis* and [a link](https://example.org/x).

  1. first
  2. second
     - nested one
     - nested two

  > a quoted line

  | Year | Count |
  |------|------:|
  | 2010 | 3 |
  | 2011 | 9 |
  """)
    write(project, "entries/ke-one-stop.yaml", entry)
    path, _ = _render(project, tmp_path / "out")
    reader = pypdf.PdfReader(path)
    page = next(p for lvl, t, p in _outline(reader) if t == "One-stop shops")
    text = reader.pages[page - 1].extract_text()
    lines = [_norm(line) for line in text.splitlines()]
    assert any(line.startswith("1.") and "first" in line for line in lines) or "1. first" in _norm(text)
    assert "nested one" in text and "a quoted line" in text
    assert re.search(r"Year\s+Count", text) and re.search(r"2011\s+9", text)
    with pikepdf.open(path) as pdf:
        uris = [str(a.A.URI) for a in pdf.pages[page - 1].get("/Annots", []) if "/A" in a]
    assert uris == ["https://example.org/x"]


def test_missing_glyph_is_reported_with_file_and_field(project, tmp_path):
    write(project, "entries/ke-one-stop.yaml", ENTRY.replace("Queues.", "Queues \U00013000 here."))
    _, ctx = _render(project, tmp_path / "out")
    [issue] = [w for w in ctx.warnings if w.code == "pdf.glyph"]
    assert issue.source.path == "entries/ke-one-stop.yaml"
    assert "sections.problem" in issue.message and "U+13000" in issue.message


def test_chinese_without_the_font_says_how_to_get_it(project, tmp_path, monkeypatch):
    from compendium.render import fonts
    real = fonts.available
    monkeypatch.setattr(fonts, "available", lambda family: family != "cjk" and real(family))
    write(project, "entries/ke-one-stop.yaml", ENTRY.replace('title: "One-stop shops"', 'title: "一站式服务"'))
    _, ctx = _render(project, tmp_path / "out")
    # once, at the entry's title: not again where the book copies it (running head, index of initiatives)
    [issue] = [w for w in ctx.warnings if w.code == "pdf.glyph"]
    assert issue.source.path == "entries/ke-one-stop.yaml"
    assert "title" in issue.message and "pip install 'compendium[cjk]'" in issue.message


def test_long_summary_and_many_images_flow_across_pages(project, tmp_path):
    from PIL import Image

    Image.new("RGB", (900, 1600), "#336699").save(project / "entries" / "tall.png")
    long = " ".join(["A sentence that keeps the summary going for a while."] * 400)
    entry = ENTRY.replace("A short **summary**.", long) + \
        "images:\n" + "".join(f"  - {{file: tall.png, alt: tall {i}, caption: Tall picture {i}}}\n" for i in range(3))
    write(project, "entries/ke-one-stop.yaml", entry)
    path, _ = _render(project, tmp_path / "out")
    reader = pypdf.PdfReader(path)
    text = " ".join(p.extract_text() for p in reader.pages)
    assert all(f"Tall picture {i}" in text for i in range(3))
    with pikepdf.open(path) as pdf:  # the picture is embedded once, however often it is shown
        images = {str(x.objgen) for p in pdf.pages[1:] for x in p.Resources.get("/XObject", {}).values()
                  if x.Subtype == "/Image"}  # page 1: the cover
    assert len(images) == 1


def test_cli_build_writes_the_pdf(project, tmp_path):
    result = build(project, ["pdf"], out_dir=tmp_path / "output")
    [out] = result.outputs
    assert out.name == "test-awards-2012.pdf" and out.read_bytes().startswith(b"%PDF-")


def test_sample_has_a_glyph_for_every_character(sample):
    assert [w for w in sample[2].warnings if w.code == "pdf.glyph"] == []


def test_cover_image_fills_the_first_page(project, tmp_path):
    from PIL import Image

    Image.new("RGB", (1240, 1754), "#884422").save(project / "cover.png")
    (project / "compendium.yaml").write_text((project / "compendium.yaml").read_text() + "cover: cover.png\n")
    path, _ = _render(project, tmp_path / "out")
    with pikepdf.open(path) as pdf:
        first = pdf.pages[0]
        images = [x for x in first.Resources.get("/XObject", {}).values() if x.Subtype == "/Image"]
        assert len(images) == 1 and int(images[0].Width) == 1240
        assert "/Font" not in first.Resources or b"Tj" not in first.Contents.read_bytes()  # no running head or foot


def test_image_outside_the_project_is_never_read(project, tmp_path):
    from compendium.errors import CompendiumError

    outside = tmp_path.parent / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    write(project, "entries/ke-one-stop.yaml", ENTRY + "images:\n  - {file: ../../outside.png, alt: x}\n")
    with pytest.raises(CompendiumError):
        build(project, ["pdf"], out_dir=tmp_path / "output")
    assert not list((tmp_path / "output").glob("*.pdf"))


def test_region_first_grouping_gives_region_then_theme_outline(project, tmp_path):
    (project / "compendium.yaml").write_text((project / "compendium.yaml").read_text() + "group_by: [region, theme]\n")
    write(project, "entries/sg.yaml", ENTRY.replace("KE", "SG").replace('"One-stop shops"', '"Second"')
          .replace("service-delivery", "knowledge-management"))
    path, _ = _render(project, tmp_path / "out")
    items = [(lvl, t) for lvl, t, _ in _outline(pypdf.PdfReader(path)) if t not in FRONT]
    assert items == [(0, "Africa"), (1, "Improving the Delivery of Public Services"), (2, "One-stop shops"),
                     (0, "Asia and the Pacific"), (1, "Advancing Knowledge Management in Government"), (2, "Second")]


def test_oversized_fields_flow_across_pages_instead_of_failing(project, tmp_path):
    cell = " ".join(["cellword"] * 5000)
    institution = " ".join(["Ministry"] * 2500)
    entry = ENTRY.replace("A short **summary**.", f"| a | b |\n  |---|---|\n  | {cell} | x |\n") \
        .replace("institution: Ministry of Public Service", f'institution: "{institution}"')
    write(project, "entries/ke-one-stop.yaml", entry)
    path, _ = _render(project, tmp_path / "out")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert text.count("cellword") == 5000


def test_an_edition_without_entries_still_builds(project, tmp_path):
    (project / "entries" / "ke-one-stop.yaml").unlink()
    path, _ = _render(project, tmp_path / "out")
    titles = [t for _, t, _ in _outline(pypdf.PdfReader(path))]
    assert titles == ["Contents", "Overview", "Index of initiatives", "Index of countries"]


def test_overview_table_is_titled_and_its_heads_break_between_words(sample, reader):
    """'Table 1.' and 'Figure 1.' over the overview; the abbreviated region heads of its narrow columns
    break after a dash or a space ('Asia–' / 'Pac.'), never between letters ('Asia–Pa' / 'c.')."""
    page = next(p for lvl, t, p in _outline(reader) if t == "Overview")
    text = _pdftotext(sample[0], page)
    assert "Table 1. Initiatives by category and region" in text
    assert "Figure 1. Initiatives by category and region" in text
    words = text.split()
    assert "Pac." in words and "Am." in words and "c." not in words and "Asia–Pa" not in words


def test_index_of_initiatives_files_titles_as_an_index_does(sample, reader):
    """Every initiative once, under its letter head, alphabetical by the word after an English article
    ('Public Service Hall, The' under P), a title in another language by its gloss with the original after
    it, then the country and the folio, linked to the entry."""
    from compendium.render.pdf.index import filed

    _, book, _ = sample
    page = next(p for lvl, t, p in _outline(reader) if t == "Index of initiatives")
    text = _norm(_pdftotext(sample[0], page) + _pdftotext(sample[0], page + 1))
    assert "Public Service Hall, The, Georgia" in text and "The Public Service Hall" not in text
    assert "National anti-corruption hotline, The, South Africa" in text
    assert "One-stop administrative approval service (一站式行政审批服务), China" in text
    entries = {e.title: p for lvl, e_title, p in _outline(reader) if lvl == 2 for e in book.entries if e.title == e_title}
    folio = reader.page_labels[entries["The Public Service Hall"] - 1]
    assert f"Public Service Hall, The, Georgia {folio}" in text
    assert filed("The Public Service Hall", "en-GB") == "Public Service Hall, The"
    assert filed("La Ventanilla única", "es") == "La Ventanilla única"  # only English articles move
    heads = [line.strip() for line in _pdftotext(sample[0], page).splitlines() if re.fullmatch(r"[A-Z]", line.strip())]
    assert "T" not in heads and {"E", "N", "P", "Z"} <= set(heads)  # no title files under its article


def test_poppler_reads_every_link_pikepdf_reads(sample):
    """The link annotations are formatted by our own code (streams.link_url), like the pictures that
    poppler once could not read: poppler (pdfinfo -url) finds each one, on its page, to the same address."""
    path = sample[0]
    with pikepdf.open(path) as pdf:
        expected = sorted((n, str(a.A.URI)) for n, page in enumerate(pdf.pages, 1) for a in page.get("/Annots", [])
                          if "/A" in a and a.A.get("/URI") is not None)
    listed = subprocess.run(["pdfinfo", "-url", str(path)], check=True, capture_output=True, text=True).stdout
    found = sorted((int(m.group(1)), m.group(2)) for m in re.finditer(r"^\s*(\d+)\s+Annotation\s+(\S+)\s*$", listed, re.M))
    assert len(expected) >= 10 and found == expected


def test_a_long_edition_title_keeps_its_running_foot_on_one_line(project, tmp_path):
    """The foot beside the folio is one line: a title too long for it is cut at a word, with an ellipsis,
    the edition's year kept ("… (synthetic benchmark corpus) · 2012" took two lines on every page)."""
    edition = (project / "compendium.yaml").read_text(encoding="utf-8")
    long_title = "Compendium of Innovative Practices in Public Governance and Administration for Sustainable Development"
    (project / "compendium.yaml").write_text(edition.replace("title: Test Awards", f"title: {long_title}", 1),
                                             encoding="utf-8")
    path, _ = _render(project, tmp_path / "out")
    reader = pypdf.PdfReader(path)
    feet = []
    for page in reader.pages[2:]:
        lines = [" ".join(line.split()) for line in page.extract_text().splitlines() if line.strip()]
        feet += [line for line in lines if line.startswith("Compendium of Innovative")]
    assert feet, "no running foot found"
    for foot in feet:  # the whole foot on one line: it ends with the year (a folio may follow it)
        assert "…" in foot and "· 2012" in foot, foot
    assert long_title not in " ".join(feet)
