"""The sample series built for real (PDF and EPUB): the retrospective read back — outline by theme
then year, its overview of winners per theme × year, its cover and title page — and a rebuild after
one edition changed leaves the other edition's books byte-identical and untouched."""
from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdf
import pytest

from compendium.output.build import build
from tests.helpers import NS, Epub, copy_series, pdf_outline

RETRO = "unpsa-winners-2012-2013"
WHOLE_OF_GOVERNMENT = "Promoting Whole of Government Approaches in the Information Age"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_series(tmp_path_factory.mktemp("series") / "sample")
    build(root, ["pdf", "epub"], jobs=2)
    return root


def _outline(reader: pypdf.PdfReader) -> list[tuple[int, str]]:
    return [(level, title) for level, title, _ in pdf_outline(reader)]


def test_the_retrospective_pdf_is_outlined_by_theme_then_year(built):
    reader = pypdf.PdfReader(built / "output" / f"{RETRO}.pdf")
    outline = _outline(reader)
    themes = [title for level, title in outline if level == 0]
    assert themes == ["Contents", "Introduction", "Overview", "Preventing and Combating Corruption in the Public Service",
                      "Improving the Delivery of Public Services",
                      "Fostering Participation in Policy-Making Decisions through Innovative Mechanisms",
                      WHOLE_OF_GOVERNMENT, "Promoting Gender Responsive Delivery of Public Services",
                      "Index of initiatives", "Index of countries"]
    at = outline.index((0, WHOLE_OF_GOVERNMENT))
    assert outline[at + 1: at + 7] == [
        (1, "2012"), (2, "زاجل: نظام المراسلات الإلكترونية الوطني"), (2, "Shared learning across the Singapore Public Service"),
        (2, "Evidence for decisions through the Cabinet's Information and Decision Support Center"),
        (1, "2013"), (2, "Zajel for the whole of government: one correspondence backbone")]
    assert {title for level, title in outline if level == 1} == {"2012", "2013"}
    assert reader.metadata.title == "United Nations Public Service Awards Winners 2012–2013"


def _text(pdf: Path, first: int, last: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_the_retrospective_pdf_front_matter_and_overview_per_year(built):
    pdf = built / "output" / f"{RETRO}.pdf"
    reader = pypdf.PdfReader(pdf)
    overview_page = next(reader.get_destination_page_number(o) for o in reader.outline
                         if not isinstance(o, list) and o.title == "Overview") + 1
    cover = " ".join(_text(pdf, 1, 3).split())
    assert "2012–2013" in cover and "Retrospective, 2012–2013" in cover and "Edition 2013" not in cover
    page = _text(pdf, overview_page, overview_page)
    assert "This retrospective presents 21 initiatives from 20 countries, in five categories, awarded over two years." in " ".join(page.split())
    # the numbered table, its caption above it (before the chart, Figure 1)
    table = page.split("Table 1. Initiatives by category and year")[1].split("Figure 1.")[0]
    header = next(line for line in table.splitlines() if "2012" in line and "2013" in line and "Total" in line)
    assert header.index("2012") < header.index("2013") < header.index("Total")
    counts = [line.split()[-3:] for line in table.splitlines() if re.search(r"(\d+|–)\s+(\d+|–)\s+\d+\s*$", line)]
    # winners per theme (in the series' order) × year, then the totals
    assert counts == [["3", "1", "4"], ["4", "1", "5"], ["4", "1", "5"], ["3", "1", "4"], ["3", "–", "3"],
                      ["17", "4", "21"]]
    assert "Initiatives by category and year" in page


def _nav_tree(book: Epub) -> list[tuple[str, list]]:
    """The toc nav as (text, children) nested like its lists."""
    nav = book.xhtml[book.nav_name].find(".//h:nav[@epub:type='toc']", NS)

    def items(ol: ET.Element) -> list[tuple[str, list]]:
        out = []
        for li in ol.findall("h:li", NS):
            a = li.find("h:a", NS)
            a = a if a is not None else li.find("h:span", NS)  # a chapter (a year) heads a list: no page of its own
            sub = li.find("h:ol", NS)
            out.append(("".join(a.itertext()).strip(), items(sub) if sub is not None else []))
        return out
    return items(nav.find("h:ol", NS))


def test_the_retrospective_epub_navigation_by_theme_then_year(built):
    book = Epub(built / "output" / f"{RETRO}.epub")
    tree = _nav_tree(book)
    # part titles carry their number in the nav ('IV. Promoting ...')
    parts = {re.sub(r"^[IVXLC]+\. ", "", title): children for title, children in tree}
    assert list(parts)[list(parts).index(WHOLE_OF_GOVERNMENT) - 1] == "Fostering Participation in Policy-Making " \
                                                                        "Decisions through Innovative Mechanisms"
    years = parts[WHOLE_OF_GOVERNMENT]
    assert [title for title, _ in years] == ["2012", "2013"]
    assert [title for title, _ in years[1][1]] == ["Zajel for the whole of government: one correspondence backbone"]
    assert book.dc("title")[0].startswith("United Nations Public Service Awards Winners 2012–2013")
    caption, header = None, []
    for name, root in book.xhtml.items():
        for table in root.iter(f"{{{NS['h']}}}table"):
            if "overview-table" in (table.get("class") or ""):
                caption = "".join(table.find("h:caption", NS).itertext())
                header = ["".join(th.itertext()) for th in table.find("h:thead", NS).iter(f"{{{NS['h']}}}th")]
    assert caption == "Table 1. Initiatives by category and year" and header[1:3] == ["2012", "2013"]
    years_shown = ["".join(p.itertext()) for root in book.xhtml.values() for p in root.iter(f"{{{NS['h']}}}p")
                   if "edition-year" in (p.get("class") or "")]
    assert years_shown == ["Retrospective, 2012–2013"]  # the title page


def test_the_editions_books_are_books_of_their_own(built):
    out = built / "output"
    reader = pypdf.PdfReader(out / "united-nations-public-service-awards-2013.pdf")
    themes = [title for level, title in _outline(reader) if level == 0]
    assert WHOLE_OF_GOVERNMENT in themes and "Advancing Knowledge Management in Government" not in themes
    reader = pypdf.PdfReader(out / "united-nations-public-service-awards-2012.pdf")
    assert "Advancing Knowledge Management in Government" in [t for level, t in _outline(reader) if level == 0]


def test_after_one_edition_changed_the_other_editions_books_are_untouched(built):
    out = built / "output"
    names = {"2012": ["united-nations-public-service-awards-2012.pdf", "united-nations-public-service-awards-2012.epub"],
             "2013": ["united-nations-public-service-awards-2013.pdf", f"{RETRO}.pdf"]}
    before = {n: ((out / n).read_bytes(), (out / n).stat().st_ino, (out / n).stat().st_mtime_ns)
              for group in names.values() for n in group}
    entry = built / "2013/entries/service-delivery/ke-huduma-centres.yaml"
    entry.write_text(entry.read_text().replace("Huduma Centres:", "Huduma Centres, now in every county:"))
    result = build(built, ["pdf", "epub"], jobs=2)
    assert sorted(t.name for t, _ in result.rendered) == ["2013 epub", "2013 pdf", f"{RETRO} epub", f"{RETRO} pdf"]
    for name in names["2012"]:
        path = out / name
        assert (path.read_bytes(), path.stat().st_ino, path.stat().st_mtime_ns) == before[name], name
    for name in names["2013"]:
        assert (out / name).read_bytes() != before[name][0], name


@pytest.mark.slow
def test_the_retrospective_books_pass_their_checkers(built):
    """EpubCheck finds nothing in the retrospective's EPUB; qpdf finds nothing in its PDF."""
    import shutil

    from tests.helpers import epubcheck

    assert epubcheck(built / "output" / f"{RETRO}.epub") == []
    if shutil.which("qpdf"):
        proc = subprocess.run(["qpdf", "--check", str(built / "output" / f"{RETRO}.pdf")], capture_output=True,
                              text=True, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
