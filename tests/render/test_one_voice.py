"""One voice: the sample edition built as PDF, EPUB and website says the same things the same way —
the publication date, the ISBN, the imprint's © line, licence and disclaimer, the overview table's
caption, headings and nil cells, the facts' labels, the credit label and the quotation marks.

Each format is read back as a reader would meet it: the PDF's text (pdftotext, else pypdf), the
EPUB's XHTML, the site's HTML.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import lxml.html
import pypdf
import pytest

from compendium.book.facts import imprint, overview_table
from compendium.book.labels import labels
from compendium.book.stats import overview
from compendium.output.build import load_book
from compendium.render import epub, html, pdf
from compendium.render.common import RenderContext
from tests.helpers import NS, SAMPLE, Epub, arabic_project


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=["sample", "arabic"])
def books(request, tmp_path_factory):
    root = SAMPLE if request.param == "sample" else arabic_project(tmp_path_factory.mktemp("ar") / "project")
    book, _ = load_book(root)
    out = tmp_path_factory.mktemp(f"voice-{request.param}")
    ctx = RenderContext(out_dir=out, cache_dir=out / "cache")
    made = {"pdf": pdf.render(book, ctx)[0], "epub": epub.render(book, ctx)[0], "html": html.render(book, ctx)[0]}
    return book, made


BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _pdf_pages(path: Path) -> list[str]:
    """The text of each page, in reading order, as a reader copies it: pdftotext (it reads the
    ActualText of shaped runs), else pypdf; Arabic presentation forms folded back to letters (NFKC)."""
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        pages = text.split("\f")
    else:
        pages = [page.extract_text() for page in pypdf.PdfReader(path).pages]
    return [BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", page)) for page in pages]


def _pdf_text(path: Path) -> str:
    return "\n".join(_pdf_pages(path))


def _words(text: str) -> set[str]:
    """The words, numbers and signs of a text, whatever their order: a PDF's right-to-left lines come back
    from text extraction with their punctuation and embedded numbers in visual places."""
    text = re.sub("[\u064b-\u065f\u0670]", "", text)  # Arabic vowel marks: extraction may move them
    return set(re.findall(r"[\u0590-\u08ff]+|[^\W\d_\u0590-\u08ff]+|\d+|[©–]", text))  # runs of one script


def _in_pdf(line: str, pdf_text: str) -> bool:
    return _flat(line) in _flat(pdf_text) or _words(line) <= _words(pdf_text)


def _epub_text(path: Path) -> str:
    book = Epub(path)
    return "\n".join("".join(root.find("h:body", NS).itertext()) for root in book.xhtml.values())


def _html_text(folder: Path) -> str:
    """What the site's pages show: their text without scripts (linked data keeps ISO dates for machines)."""
    out = []
    for path in sorted(folder.rglob("*.html")):
        root = lxml.html.parse(str(path)).getroot()
        for el in root.xpath("//script | //style"):
            el.drop_tree()
        out.append(root.text_content())
    return "\n".join(out)


def test_the_imprint_is_the_same_in_every_format(books):
    book, made = books
    lines = {line.kind: line.text for line in imprint(book.edition)}
    assert lines["isbn"] == "ISBN 978-92-1-123194-6"  # hyphenated by registration group
    # the lines the edition gives, in the United Nations' wording: symbol, sales number, ISBNs, © line, disclaimer
    expected = [lines[k] for k in ("symbol", "sales", "isbn", "eisbn", "copyright", "licence", "disclaimer") if k in lines]
    assert {"isbn", "copyright", "disclaimer"} <= set(lines)
    texts = {"pdf": _pdf_text(made["pdf"]), "epub": _epub_text(made["epub"]), "html": _html_text(made["html"])}
    for fmt, text in texts.items():
        flat = _flat(text)
        found = (lambda line: _in_pdf(line, text)) if fmt == "pdf" else (lambda line: _flat(line) in flat)  # noqa: B023
        for line in [*expected, lines["date"]]:  # the date: CLDR's long date
            assert found(line), (fmt, line)
        assert book.edition.date.isoformat() not in flat.replace("datetime", ""), fmt  # never ISO to readers
        assert "9789211231946" not in flat, fmt


def test_the_overview_table_says_the_same_in_every_format(books):
    book, made = books
    table = overview_table(overview(book), book.edition.language)
    nil = sum(cell == "–" for _, cells, _ in table.rows for cell in cells)
    assert nil > 0
    # the EPUB's and the site's tables, cell by cell
    page = lxml.html.parse(str(made["html"] / "book.html")).getroot()
    site_rows = [[" ".join(c.text_content().split()) for c in tr] for tr in page.xpath("//table[@class='overview']//tr")]
    ebook = Epub(made["epub"])
    table_el = ebook.element_by_id("overview")[0][1].find(".//h:table", NS)
    epub_rows = [["".join(c.itertext()) for c in tr] for tr in table_el.iter(f"{{{NS['h']}}}tr")]
    body = [*[[name, *cells, total] for name, cells, total in table.rows],
            [table.total_label, *table.column_totals, table.grand_total]]
    # the site's wide pages name the regions in full; the EPUB abbreviates them for phones (<abbr title=...>)
    assert site_rows == [[table.corner, *table.regions, table.total_label], *body]
    assert epub_rows == [[table.corner, *table.short_regions, table.total_label], *body]
    # the books number their tables and figures ("Table 1."), the site does not
    captions = [page.xpath("//table[@class='overview']/caption")[0].text_content(),
                "".join(table_el.find("h:caption", NS).itertext())]
    unnumbered = overview_table(overview(book), book.edition.language, numbered=False).caption
    assert captions == [unnumbered, table.caption] and table.caption.endswith(unnumbered)
    # the PDF prints the same caption, heading, note and the nil cells
    page_text = _flat(next(p for p in _pdf_pages(made["pdf"]) if _in_pdf(table.note, p)))
    assert _in_pdf(table.caption, page_text) and _in_pdf(table.corner, page_text)
    assert page_text.count("–") - 1 >= nil  # the note names the dash once


def test_labels_and_credits_are_the_same_in_every_format(books):
    book, made = books
    words = labels(book.edition.language)
    entry = next(e for e in book.entries if any(i.credit for i in e.images))
    image = next(i for i in entry.images if i.credit)
    credit = f"{words['credit']} {image.credit}"
    page = lxml.html.parse(str(made["html"] / "entries" / f"{entry.id}.html")).getroot()
    assert credit in _flat(" ".join(f.text_content() for f in page.iter("figcaption")))
    epub_captions = _flat(" ".join("".join(f.itertext()) for root in Epub(made["epub"]).xhtml.values()
                                   for f in root.iter(f"{{{NS['h']}}}figcaption")))
    assert credit in epub_captions
    assert _in_pdf(credit, _pdf_text(made["pdf"]))
    assert "Photo:" not in _flat(_pdf_text(made["pdf"]))
    facts = [words[k] for k in ("country", "region", "category", "award", "institution")]
    site_labels = [dt.text_content() for dt in page.xpath("//dl[contains(@class, 'facts')]//dt")]
    assert all(label in site_labels for label in facts)
    epub_entry = Epub(made["epub"]).element_by_id(f"e-{entry.id}")[0][1]
    assert ["".join(dt.itertext()) for dt in epub_entry.iter(f"{{{NS['h']}}}dt")][:5] == facts
    # the PDF's panel shows country, institution and category (region and place head the page), in the same words
    pdf_text = _pdf_text(made["pdf"])
    shown = [words[k] for k in ("country", "institution", "category")]
    assert all(_in_pdf(label.upper(), pdf_text) or _in_pdf(label, pdf_text) for label in shown)
    if book.edition.language == "en":
        assert words["theme"] not in site_labels  # one word for the award's categories


def test_quotation_marks_are_the_same_in_every_format(books):
    book, made = books
    if book.edition.language != "en":
        # the Arabic summaries' straight quotes become CLDR's Arabic marks in every format
        mark = "”الانتظار انتهى“"
        assert mark in _flat(_epub_text(made["epub"])) and mark in _flat(_html_text(made["html"]))
        return
    # "South Africa's" is typed with a straight apostrophe; every format prints the typographic one
    assert re.search(r"South Africa’s Public Service Commission", _flat(_pdf_text(made["pdf"])))
    assert "South Africa’s Public Service Commission" in _flat(_epub_text(made["epub"]))
    entry_page = made["html"] / "entries" / "2012-za-anti-corruption-hotline.html"
    assert "South Africa’s Public Service Commission" in _flat(lxml.html.parse(str(entry_page)).getroot().text_content())
