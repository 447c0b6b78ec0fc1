"""The sample series built for real (PDF and EPUB): the retrospective read back — outline by theme
then year, its overview of winners per theme × year, its cover and title page — and a rebuild after
one edition changed leaves the other edition's books byte-identical and untouched."""
from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath

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
        (2, "Evidence for decisions through the Cabinet’s Information and Decision Support Center"),  # as in 2012's book
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


EDITION_2012 = "united-nations-public-service-awards-2012"
EDITION_2013 = "united-nations-public-service-awards-2013"
ZAJEL_2012 = "زاجل: نظام المراسلات الإلكترونية الوطني"
ZAJEL_2012_GLOSS = "Zajel: the national electronic correspondence system"
ZAJEL_2013 = "Zajel for the whole of government: one correspondence backbone"
KNOWLEDGE = "Advancing Knowledge Management in Government"


def _entry_pages(pdf: Path, title: str) -> tuple[int, str]:
    """(1-based page where the entry titled `title` opens, the text of that page, whitespace folded; read
    by pypdf in drawing order: pdftotext reorders a page with Arabic on it, moving Latin parentheses)."""
    reader = pypdf.PdfReader(pdf)
    page = next(p for level, t, p in pdf_outline(reader) if t == title)
    return page, " ".join(reader.pages[page - 1].extract_text().split())


def _entry_facts(book: Epub, entry_id: str) -> dict[str, str]:
    """The facts (dt → dd text, whitespace folded) of the entry's section in the EPUB, follow-ups included."""
    name = book.file_of(f"e-{entry_id}")
    facts = {}
    for dl in book.xhtml[name].iter(f"{{{NS['h']}}}dl"):
        terms = [" ".join("".join(x.itertext()).split()) for x in dl.findall("h:dt", NS)]
        values = [" ".join("".join(x.itertext()).split()) for x in dl.findall("h:dd", NS)]
        facts.update(zip(terms, values))
    return facts


def _follow_up_hrefs(book: Epub, name: str) -> list[str]:
    """The links of the follow-ups in the EPUB's file `name`."""
    return [a.get("href") for div in book.xhtml[name].iter(f"{{{NS['h']}}}div")
            if "follow-ups" in (div.get("class") or "") for a in div.iter(f"{{{NS['h']}}}a")]


def test_a_renamed_category_is_named_on_the_entry_in_the_retrospective(built):
    """The retrospective files the 2012 winners of a category since renamed under today's theme; their
    own pages name the category they won in, in the PDF's details as in the EPUB's facts (the same words);
    an edition's PDF, whose part title names the category, does not repeat it."""
    out = built / "output"
    named = f"{KNOWLEDGE} (today: {WHOLE_OF_GOVERNMENT})"
    for title in (ZAJEL_2012, "Shared learning across the Singapore Public Service"):
        _, text = _entry_pages(out / f"{RETRO}.pdf", title)
        assert f"CATEGORY {named}" in text, title
    assert _entry_facts(Epub(out / f"{RETRO}.epub"), "2012-bh-zajel")["Category"] == named
    _, text = _entry_pages(out / f"{RETRO}.pdf", ZAJEL_2013)  # won in today's theme: the part title says it
    assert "CATEGORY" not in text and "today:" not in text
    _, text = _entry_pages(out / f"{EDITION_2012}.pdf", ZAJEL_2012)
    assert "CATEGORY" not in text and "today:" not in text
    assert _entry_facts(Epub(out / f"{EDITION_2012}.epub"), "2012-bh-zajel")["Category"] == KNOWLEDGE


def test_follow_ups_are_in_every_book_that_knows_them(built):
    """2013's Zajel follows up 2012's: each edition's books name the other entry (from the other edition
    of the series), the retrospective's link to it (a PDF link to its page, an EPUB href to its file)."""
    out = built / "output"
    _, text = _entry_pages(out / f"{EDITION_2013}.pdf", ZAJEL_2013)
    assert "FOLLOWS UP" in text and f"{ZAJEL_2012_GLOSS} (2012)" in text
    _, text = _entry_pages(out / f"{EDITION_2012}.pdf", ZAJEL_2012)
    assert f"FOLLOWED UP IN 2013 {ZAJEL_2013}" in text
    assert _entry_facts(Epub(out / f"{EDITION_2013}.epub"), "2013-bh-zajel-whole-of-government")["Follows up"] \
        == f"{ZAJEL_2012} {ZAJEL_2012_GLOSS} (2012)"
    assert _entry_facts(Epub(out / f"{EDITION_2012}.epub"), "2012-bh-zajel")["Followed up in 2013"] == ZAJEL_2013
    for book in (EDITION_2012, EDITION_2013):  # the other entry is not in an edition's EPUB: no link
        epub = Epub(out / f"{book}.epub")
        assert [_follow_up_hrefs(epub, name) for name in epub.xhtml] == [[]] * len(epub.xhtml), book

    pdf = out / f"{RETRO}.pdf"
    reader = pypdf.PdfReader(pdf)
    page_2012, text = _entry_pages(pdf, ZAJEL_2012)
    page_2013, text_2013 = _entry_pages(pdf, ZAJEL_2013)
    assert f"FOLLOWED UP IN 2013 {ZAJEL_2013}" in text and "FOLLOWS UP" in text_2013

    def link_targets(page: int) -> list[int]:
        found = []
        for annot in reader.pages[page - 1].get("/Annots") or []:
            dest = annot.get_object().get("/Dest")
            if dest is not None:
                found.append(reader.get_page_number(dest[0].get_object()) + 1 if not isinstance(dest, str)
                             else reader.get_destination_page_number(reader.named_destinations[dest]) + 1)
        return found

    assert page_2013 in link_targets(page_2012) and page_2012 in link_targets(page_2013)
    epub = Epub(out / f"{RETRO}.epub")
    for here, there in (("2013-bh-zajel-whole-of-government", "2012-bh-zajel"),
                        ("2012-bh-zajel", "2013-bh-zajel-whole-of-government")):
        name = epub.file_of(f"e-{here}")
        hrefs = _follow_up_hrefs(epub, name)
        assert len(hrefs) == 1 and hrefs[0].endswith(f"#e-{there}"), (here, hrefs)
        assert epub.resolve(hrefs[0], PurePosixPath(name)) == epub.file_of(f"e-{there}")


def test_a_retrospective_award_line_says_its_year(built):
    """A reader opening a retrospective mid-chapter learns the year from the entry itself: 'First place,
    Western Asia, 2012' in the PDF's details, 'First place, 2012' in the EPUB's facts; an edition's not."""
    out = built / "output"
    for title, year in ((ZAJEL_2012, 2012), (ZAJEL_2013, 2013)):
        _, text = _entry_pages(out / f"{RETRO}.pdf", title)
        assert f"First place, Western Asia, {year}" in text, title
    assert _entry_facts(Epub(out / f"{RETRO}.epub"), "2012-bh-zajel")["Award"] == "First place, 2012"
    _, text = _entry_pages(out / f"{EDITION_2012}.pdf", ZAJEL_2012)
    assert "Western Asia" in text and "Western Asia, 2012" not in text
    assert _entry_facts(Epub(out / f"{EDITION_2012}.epub"), "2012-bh-zajel")["Award"] == "First place"


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


def test_a_follow_up_renamed_in_another_edition_reaches_a_warm_build(tmp_path):
    """The 2013 edition's books name 2012's Zajel in its details: when 2012's entry gets a new title the
    2013 books are rendered again (the other edition's entry is part of what they are made of, their
    digest), and its Zajel entry, kept in the cache by the build before (a PDF unit's display list, the
    EPUB's blocks), is made again (the other entry is in its key): warm renders are the cold renders' books."""
    from compendium.output.series import load_series, volumes
    from compendium.render import epub as epub_format
    from compendium.render import pdf as pdf_format
    from compendium.render.common import RenderContext

    root = copy_series(tmp_path / "sample")
    new_gloss = "Zajel: one electronic correspondence system for every ministry"

    def book_2013():
        series, result = load_series(root)
        return next(v for v in volumes(series, result) if v.key == "2013")

    def made(fmt, out: str, cache: Path) -> bytes:
        ctx = RenderContext(out_dir=tmp_path / out, cache_dir=cache, jobs=1)
        return fmt.render(book_2013().book, ctx)[0].read_bytes()

    before = {fmt: made(fmt, f"first-{n}", tmp_path / "cache") for n, fmt in enumerate((pdf_format, epub_format))}
    digest = book_2013().digest
    entry = root / "2012/entries/knowledge-management/bh-zajel.yaml"
    entry.write_text(entry.read_text().replace(ZAJEL_2012_GLOSS, new_gloss))
    assert book_2013().digest != digest  # a series build renders the 2013 books again
    for n, fmt in enumerate((pdf_format, epub_format)):
        warm, cold = made(fmt, f"warm-{n}", tmp_path / "cache"), made(fmt, f"cold-{n}", tmp_path / f"cold-cache-{n}")
        assert warm == cold and warm != before[fmt], fmt.__name__
    pdf = next((tmp_path / "warm-0").glob("*.pdf"))
    _, text = _entry_pages(pdf, ZAJEL_2013)
    assert f"{new_gloss} (2012)" in text
    book = Epub(next((tmp_path / "warm-1").glob("*.epub")))
    assert _entry_facts(book, "2013-bh-zajel-whole-of-government")["Follows up"].endswith(f"{new_gloss} (2012)")


def test_each_book_of_a_series_keeps_its_own_layouts(built):
    """The books of a series share one cache: each forgets only the layouts it no longer uses (a book
    that finished first once deleted the others', so a warm build laid every other book out again)."""
    from compendium.render.epub.chapters import FOLDER as CHAPTERS
    from compendium.render.epub.kept_entries import FOLDER as ENTRIES
    from compendium.render.pdf.units import FOLDER as UNITS

    cache = built / ".compendium-cache" / "render"
    books = {RETRO: 21, "united-nations-public-service-awards-2012": 17, "united-nations-public-service-awards-2013": 4}
    for stem, entries in books.items():
        assert len(list((cache / UNITS / stem).glob("*.pickle"))) >= entries, stem  # an entry is one unit or more
        assert len(list((cache / ENTRIES / stem).glob("*.pickle"))) == entries, stem
        assert (cache / CHAPTERS / f"{stem}.pickle").is_file(), stem  # the book's last EPUB output
