"""What every format must agree on: dates, fonts for the scripts printed, links, the index of countries.

Each test renders the same small project as HTML, EPUB and PDF and reads the outputs back.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import lxml.html
import pikepdf
import pypdf
import pytest

from compendium.book.group import by_country
from compendium.output.build import load_book
from compendium.render import epub, fonts, html, pdf
from compendium.render.common import RenderContext, build_epoch, printed_text
from tests.helpers import EDITION, ENTRY, write

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = "{http://www.w3.org/1999/xhtml}"


def _render(root: Path, out: Path, *formats: str) -> dict[str, Path]:
    book, _ = load_book(root)
    ctx = RenderContext(out_dir=out, cache_dir=out / "cache")
    renderers = {"html": html.render, "epub": epub.render, "pdf": pdf.render}
    made = {fmt: renderers[fmt](book, ctx)[0] for fmt in formats}
    made["warnings"] = ctx.warnings  # type: ignore[assignment]
    return made


def _opf(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.endswith(".opf"))
        return ET.fromstring(z.read(name))


def _epub_dates(path: Path) -> tuple[str, str]:
    opf = _opf(path)
    modified = next(m.text for m in opf.findall("opf:metadata/opf:meta", OPF)
                    if m.get("property") == "dcterms:modified")
    return opf.find("opf:metadata/dc:date", OPF).text, modified


def _epub_xhtml(path: Path) -> dict[str, ET.Element]:
    with zipfile.ZipFile(path) as z:
        return {n: ET.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


# --- one date --------------------------------------------------------------------------------

def test_source_date_epoch_sets_every_date(project, tmp_path, monkeypatch):
    write(project, "compendium.yaml", EDITION + "date: 2012-06-23\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    made = _render(project, tmp_path / "a", "pdf", "epub")
    assert pypdf.PdfReader(made["pdf"]).metadata["/CreationDate"].startswith("D:20231114221320")
    assert _epub_dates(made["epub"]) == ("2023-11-14", "2023-11-14T22:13:20Z")
    with zipfile.ZipFile(made["epub"]) as z:
        assert {i.date_time[:3] for i in z.infolist()} == {(2023, 11, 14)}


def test_without_source_date_epoch_the_dates_are_the_editions(project, tmp_path, monkeypatch):
    write(project, "compendium.yaml", EDITION + "date: 2012-06-23\n")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book, _ = load_book(project)
    assert build_epoch(book.edition) == 1340409600
    made = _render(project, tmp_path / "a", "pdf", "epub")
    assert pypdf.PdfReader(made["pdf"]).metadata["/CreationDate"].startswith("D:20120623000000")
    assert _epub_dates(made["epub"]) == ("2012-06-23", "2012-06-23T00:00:00Z")


def test_a_source_date_epoch_that_is_not_a_number_is_ignored(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    book, _ = load_book(project)
    assert build_epoch(book.edition) == 1325376000  # 2012-01-01: the award year


# --- every printed string decides the fonts ---------------------------------------------------

def test_printed_text_covers_what_the_formats_print(project):
    write(project, "compendium.yaml", EDITION.replace(
        "name: Advancing Knowledge Management in Government",
        "name: Advancing Knowledge Management in Government\n    description: 知识管理") +
        "license: CC BY 4.0 — مرخص\nregions: [Africa, إفريقيا]\n")
    book, _ = load_book(project)
    text = "\n".join(printed_text(book))
    for s in ("知识管理", "مرخص", "إفريقيا", "Kenya", "Ministry of Public Service"):
        assert s in text


@pytest.mark.skipif(not fonts.available("cjk"), reason="the optional Chinese font is not installed")
def test_chinese_only_in_a_theme_description_loads_the_chinese_font(project, tmp_path):
    write(project, "compendium.yaml", EDITION.replace(
        "name: Improving the Delivery of Public Services",
        "name: Improving the Delivery of Public Services\n    description: 改善公共服务的提供"))
    made = _render(project, tmp_path / "a", "pdf")
    assert not [w for w in made["warnings"] if w.code == "pdf.glyph"]
    with pikepdf.open(made["pdf"]) as doc:
        names = {str(f.get("/BaseFont")) for page in doc.pages for f in (page.Resources.get("/Font") or {}).values()}
    assert any("NotoSansSC" in n for n in names), names
    assert "改善公共服务的提供" in "".join(p.extract_text() for p in pypdf.PdfReader(made["pdf"]).pages)


def test_arabic_region_name_embeds_the_arabic_font_in_the_epub(project, tmp_path):
    write(project, "compendium.yaml", EDITION + "regions: [إفريقيا, Asia]\ncountry_regions: {KE: إفريقيا}\n")
    made = _render(project, tmp_path / "a", "epub")
    with zipfile.ZipFile(made["epub"]) as z:
        embedded = [n for n in z.namelist() if "/fonts/" in n]
    assert any("NotoSansArabic" in n for n in embedded), embedded
    assert not [w for w in made["warnings"] if w.code == "epub.font"]


# --- links: one rule, three formats ------------------------------------------------------------

LINKS = ("[bad](https://-bad.example/) [spaces](<https://e.org/a b?q=1>) [idn](https://bücher.example/p) "
         "[script](javascript:alert(1)) [ok](https://ok.example/x#a#b)")
KEPT = ["https://e.org/a%20b?q=1", "https://bücher.example/p", "https://ok.example/x#a%23b"]


def _pdf_uris(path: Path) -> list[str]:
    uris = []
    for page in pypdf.PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uri = action["/URI"]
                uris.append(uri.decode("utf-8") if isinstance(uri, bytes) else str(uri))
    return uris


def test_links_are_kept_or_dropped_alike_in_every_format(project, tmp_path):
    write(project, "entries/ke-one-stop.yaml", ENTRY.replace("A short **summary**.", LINKS))
    made = _render(project, tmp_path / "a", "html", "epub", "pdf")
    page = lxml.html.parse(str(made["html"] / "entries/ke-one-stop.html")).getroot()
    html_links = [a.get("href") for a in page.find(".//main").iter("a") if a.get("href", "").startswith("http")]
    epub_links = [a.get("href") for root in _epub_xhtml(made["epub"]).values() for a in root.iter(f"{XHTML}a")
                  if a.get("href", "").startswith("http")]
    assert html_links == KEPT
    assert epub_links == KEPT
    assert _pdf_uris(made["pdf"]) == KEPT
    assert [w for w in made["warnings"] if "link" in w.code] == []  # validation's to report (entry.link), once
    dropped = [w.message for w in load_book(project)[1].warnings if w.code == "entry.link"]
    assert len(dropped) == 2 and "https://-bad.example/" in dropped[0] and "javascript:alert(1)" in dropped[1]


# --- the index of countries ---------------------------------------------------------------------

def test_country_index_order_is_the_same_in_every_format(project, tmp_path):
    for code, stem in (("CZ", "cz"), ("CI", "ci"), ("CM", "cm")):
        write(project, f"entries/{stem}.yaml", ENTRY.replace("country: KE", f"country: {code}")
              .replace("One-stop shops", f"Shops of {code}"))
    book, _ = load_book(project)
    expected = ["Cameroon", "Côte d’Ivoire", "Czechia", "Kenya"]  # the book's apostrophe (book.typography)
    assert [c.name for c in by_country(book)] == expected
    made = _render(project, tmp_path / "a", "html", "epub", "pdf")
    page = lxml.html.parse(str(made["html"] / "countries.html")).getroot()
    assert [h.text.strip() for h in page.iter("h3")] == expected
    assert [h.text.strip() for h in page.iter("h2") if "letter" in (h.get("class") or "")] == ["C", "K"]
    index = next(root for root in _epub_xhtml(made["epub"]).values()
                 if root.find(f".//{XHTML}*[@id='index']") is not None)
    assert ["".join(s.itertext()) for s in index.iter(f"{XHTML}span") if s.get("class") == "country"] == expected
    reader = pypdf.PdfReader(made["pdf"])
    # the index of countries closes the book, before a blank verso that makes the page count even
    text = " ".join(" ".join(p.extract_text() for p in reader.pages[-2:]).split())
    positions = [text.find(name) for name in expected]
    assert -1 not in positions and positions == sorted(positions), text
    # the PDF's index is two columns with letter heads: the order is what agrees
    assert re.search(r"Cameroon.*Côte d’Ivoire.*Czechia.*Kenya", text), text
