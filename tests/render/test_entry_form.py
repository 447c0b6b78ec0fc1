"""An edition's own entry form in every format: a project made with `init --preset sdg-good-practices`
(seven sections, `sdgs`, a budget and a period) builds the PDF, the EPUB and the site, and its section
titles, extra fields and SDG index are read back from each; the site filters by SDG in Chromium."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.html
import pytest

from tests.helpers import REPO, chromium, served

SECTIONS = ["Objective of the practice", "Key stakeholders and partners", "Implementation and methodology",
            "Results, outputs and impacts", "Enabling factors and constraints", "Sustainability and replicability",
            "Conclusions and lessons learned"]
ENTRIES = [("br", "BR", "[5, 16]", "budget: 1500000\nperiod: 2010–2012\n"), ("fr", "FR", "[Gender Equality, 10]", ""),
           ("ke", "KE", "[16]", "")]


def cli(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "cli.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sdg") / "project"
    made = cli("init", root, "--preset", "sdg-good-practices", "--title", "SDG Good Practices")
    assert made.returncode == 0, made.stderr
    example = next((root / "entries").rglob("_example.yaml"))
    text = example.read_text(encoding="utf-8")
    example.unlink()
    for stem, code, sdgs, extra in ENTRIES:
        entry = re.sub(r"(?m)^id: .*$", f"id: 2012-{stem}-practice", text)
        entry = entry.replace("country: KE", f"country: {code}").replace("sdgs: [1]", f"sdgs: {sdgs}")
        entry = entry.replace("Example: one-stop service centres", f"Practice of {code}")
        # the template's prompts are the submitter's to replace (validate warns, build refuses them)
        entry = re.sub(r"(?m)^    .+\(Markdown, at most 600 words\)$", f"    What the team in {code} did, in its own words.", entry)
        entry = re.sub(r"(?m)^  In two or three sentences:.*\n  Markdown is allowed:.*$", f"  A practice of {code}.", entry)
        (example.parent / f"{stem}.yaml").write_text(entry + extra, encoding="utf-8")
    checked = cli("validate", "-p", root)
    assert checked.returncode == 0 and "no problems found" in checked.stdout, checked.stdout
    result = cli("build", "-p", root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "output"


def test_the_pdf_prints_the_sections_fields_and_sdg_index(built: Path) -> None:
    pdf = next(built.glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for title in SECTIONS:
        assert flat.count(title) >= 3, title  # once per entry (the prompts repeat it, so at least 3)
    # numbers as the book's language writes them (book.voice, CLDR): "1,500,000" in English
    assert "BUDGET (USD)" in text and "1,500,000" in flat and "IMPLEMENTATION PERIOD" in text
    index = flat.split("Index: Sustainable Development Goals")[-1].split("Index of countries")[0]
    order = [index.find(f"SDG {n}:") for n in (5, 10, 16)]
    assert -1 not in order and order == sorted(order), index
    assert "SDG 1:" not in index  # no entry addresses it
    assert "Practice of BR" in index.split("SDG 10:")[0] and "Practice of KE" in index.split("SDG 16:")[1]
    contents = flat.split("Index: Sustainable Development Goals")[0]
    assert "Index: Sustainable Development Goals" in flat[:len(contents) + 60]


def test_the_epub_prints_the_sections_fields_and_sdg_index(built: Path) -> None:
    book = zipfile.ZipFile(next(built.glob("*.epub")))
    pages = {n: book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml")}
    entry = next(p for p in pages.values() if "Practice of BR" in p and "Objective of the practice" in p)
    headings = re.findall(r"<h\d[^>]*>(.*?)</h\d>", entry)
    assert [h for h in headings if h in SECTIONS] == SECTIONS
    assert re.search(r"<dt[^>]*>Sustainable Development Goals</dt><dd[^>]*>SDG 5: Gender Equality; SDG 16: ", entry)
    assert re.search(r"<dt[^>]*>Budget \(USD\)</dt><dd[^>]*>1,500,000</dd>", entry)
    index = next(p for p in pages.values() if 'id="index-sdgs"' in p)
    terms = re.findall(r'<span class="term">(.*?)</span>', index)
    assert terms == ["SDG 5: Gender Equality", "SDG 10: Reduced Inequalities",
                     "SDG 16: Peace, Justice and Strong Institutions"]
    nav = next(p for n, p in pages.items() if "nav" in n)
    assert "Index: Sustainable Development Goals" in nav


def test_the_site_prints_the_sections_and_fields_and_filters_by_sdg(built: Path) -> None:
    site = built / "html"
    page = lxml.html.parse(str(site / "entries/2012-br-practice.html")).getroot()
    headings = [h.text_content().strip() for h in page.iter("h2", "h3")]
    assert [h for h in headings if h in SECTIONS] == SECTIONS
    facts = {dt.text_content(): dt.getnext().text_content() for dt in page.iter("dt")}
    assert facts["Sustainable Development Goals"] == "SDG 5: Gender EqualitySDG 16: Peace, Justice and Strong Institutions"
    assert facts["Budget (USD)"] == "1,500,000"
    search = lxml.html.parse(str(site / "search.html")).getroot()
    options = [o.text for o in search.get_element_by_id("f-sdgs").iter("option")]
    assert options == ["All", "SDG 5: Gender Equality", "SDG 10: Reduced Inequalities",
                       "SDG 16: Peace, Justice and Strong Institutions"]


@pytest.mark.slow
def test_the_sdg_filter_narrows_the_results_in_a_browser(built: Path) -> None:
    with chromium() as browser, served(built / "html") as address:
        page = browser.new_page()
        page.goto(address + "search.html?sdgs=16")
        page.wait_for_function("document.querySelectorAll('#results li').length === 2")
        links = page.eval_on_selector_all("#results a.entry-link", "els => els.map(a => a.getAttribute('href'))")
        assert sorted(links) == ["entries/2012-br-practice.html", "entries/2012-ke-practice.html"]
        page.select_option("#f-sdgs", "10")
        page.wait_for_function("document.querySelectorAll('#results li').length === 1")
        assert page.eval_on_selector_all("#results a.entry-link", "els => els.map(a => a.getAttribute('href'))") \
            == ["entries/2012-fr-practice.html"]
