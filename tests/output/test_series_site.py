"""One website for a whole series: a home across editions and one per edition, a page per country
listing its initiatives of every year, theme pages across years, follow-up links both ways, the year
among the search filters, the data and the catalogue across the series — read back from the pages
(the books are small stand-ins here; test_series_books.py builds the real ones)."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from compendium import render
from compendium.output.build import build
from tests.helpers import Site, book_renderer, copy_series

ZAJEL_2012, ZAJEL_2013 = "2012-bh-zajel", "2013-bh-zajel-whole-of-government"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Site]:
    """The sample series built with its site (stand-in EPUB and PDF writers, the real site)."""
    root = copy_series(tmp_path_factory.mktemp("series-site") / "sample")
    patch = pytest.MonkeyPatch()
    patch.setitem(render.FORMATS, "epub", render.Format("epub", function=book_renderer("epub")))
    patch.setitem(render.FORMATS, "pdf", render.Format("pdf", function=book_renderer("pdf")))
    try:
        build(root, ["epub", "pdf", "html"], jobs=1)
    finally:
        patch.undo()
    return root / "output", Site(root / "output" / "html")


def text(el) -> str:
    return " ".join(el.text_content().split())


def links(site: Site, page: str, selector: str = "a") -> list[tuple[str, str]]:
    """(text, site-relative target) of the links of `page` matching a CSS selector."""
    return [(text(a), site.resolve(page, a.get("href"))[0]) for a in site.page(page).cssselect(selector)
            if a.get("href") and not urlsplit(a.get("href")).scheme]


def test_the_home_across_editions_lists_every_edition_and_retrospective(built):
    _, site = built
    home = site.page("index.html")
    editions = links(site, "index.html", ".book-card h3 a")
    assert [t for t, _ in editions] == ["2013 United Nations Public Service Awards",
                                        "2012 United Nations Public Service Awards"]
    assert [target for _, target in editions] == ["editions/2013.html", "editions/2012.html"]
    cards = home.cssselect(".book-card")
    assert "United Nations Public Service Awards Winners 2012–2013" in text(cards[2])
    downloads = [a.get("href") for a in cards[2].cssselect("a")]
    assert downloads == ["downloads/unpsa-winners-2012-2013.epub", "downloads/unpsa-winners-2012-2013.pdf"]
    assert "21 initiatives · 20 countries · 2 editions" in text(home.cssselect(".glance")[0])
    caption = text(home.cssselect("#overview caption")[0])
    assert caption == "Initiatives by category and year"
    head = [text(th) for th in home.cssselect("#overview thead th")]
    assert head == ["Category", "2012", "2013", "Total"]


def test_cards_across_editions_say_their_year(built):
    """A page of a site across editions mixes years (cards ordered by place): each card names its year."""
    book_years = {ZAJEL_2012: "2012", ZAJEL_2013: "2013"}
    for page in ("index.html", "countries/bh.html"):
        cards = built[1].page(page).cssselect(".entry-card")
        assert cards, page
        for card in cards:
            year = card.cssselect(".card-year")
            assert len(year) == 1 and re.fullmatch(r"20\d\d", text(year[0])), (page, text(card))
            href = card.cssselect("a.entry-link")[0].get("href")
            for entry_id, shown in book_years.items():
                if href.endswith(f"/{entry_id}.html"):
                    assert text(year[0]) == shown


def test_a_home_page_per_edition(built):
    _, site = built
    page = site.page("editions/2013.html")
    assert text(page.cssselect("h1")[0]) == "United Nations Public Service Awards"
    assert "2013 edition" in text(page.cssselect(".kicker")[0])
    entries = [target for _, target in links(site, "editions/2013.html", ".entry-link")]
    assert sorted(entries) == sorted(f"entries/{i}.html" for i in (
        "2013-md-e-transformation", "2013-ke-huduma-centres", "2013-mn-citizens-hall", ZAJEL_2013))
    parts = [text(h) for h in page.cssselect(".featured-part h2")]
    assert parts[-1] == "Promoting Whole of Government Approaches in the Information Age"  # its own themes
    assert ("Search this edition", "search.html") in links(site, "editions/2013.html", ".glance a")
    assert page.cssselect(".glance a")[0].get("href") == "../search.html?year=2013"
    books = [a.get("href") for a in page.cssselect(".downloads a")]
    assert books == ["../downloads/united-nations-public-service-awards-2013.epub",
                     "../downloads/united-nations-public-service-awards-2013.pdf"]
    assert "In 2012 the Awards received" in text(site.page("editions/2012.html").cssselect("#introduction")[0])
    assert "Advancing Knowledge Management in Government" in text(site.page("editions/2012.html"))


def test_a_page_per_country_lists_its_initiatives_of_every_year(built):
    _, site = built
    page = site.page("countries/bh.html")
    assert text(page.cssselect("h1")[0]) == "Bahrain"
    years = [text(h) for h in page.cssselect(".group-section h2")]
    assert years == ["2013", "2012"]  # newest first, each heading linking its edition's home
    assert [t for _, t in links(site, "countries/bh.html", ".group-section h2 a")] == ["editions/2013.html",
                                                                                      "editions/2012.html"]
    assert [t for _, t in links(site, "countries/bh.html", ".entry-link")] == [f"entries/{ZAJEL_2013}.html",
                                                                               f"entries/{ZAJEL_2012}.html"]
    assert len([p for p in site.pages if p.startswith("countries/")]) == 20
    # the A–Z index and every entry's facts lead to the country's page
    assert ("Bahrain", "countries/bh.html") in links(site, "countries.html", "h3 a")
    facts = dict(links(site, f"entries/{ZAJEL_2012}.html", ".facts a"))
    assert facts["Bahrain"] == "countries/bh.html"


def test_theme_pages_span_the_years_under_todays_themes(built):
    _, site = built
    page = site.page("themes/whole-of-government.html")
    assert [text(h) for h in page.cssselect(".group-section h2")] == ["2013", "2012"]
    ids = [t for _, t in links(site, "themes/whole-of-government.html", ".entry-link")]
    assert ids[0] == f"entries/{ZAJEL_2013}.html" and f"entries/{ZAJEL_2012}.html" in ids  # renamed in 2013
    assert "themes/knowledge-management.html" not in site.pages
    crumbs = [t for t, _ in links(site, f"entries/{ZAJEL_2012}.html", ".breadcrumb a")]
    assert crumbs[1] == "Promoting Whole of Government Approaches in the Information Age"
    facts = text(site.page(f"entries/{ZAJEL_2012}.html").cssselect(".facts")[0])
    assert "Advancing Knowledge Management in Government (today: Promoting Whole of Government" in facts


def test_follow_up_links_both_ways(built):
    _, site = built
    later = links(site, f"entries/{ZAJEL_2013}.html", ".follow-ups a")
    earlier = links(site, f"entries/{ZAJEL_2012}.html", ".follow-ups a")
    assert later == [("زاجل: نظام المراسلات الإلكترونية الوطني", f"entries/{ZAJEL_2012}.html")]
    assert earlier == [("Zajel for the whole of government: one correspondence backbone", f"entries/{ZAJEL_2013}.html")]
    assert text(site.page(f"entries/{ZAJEL_2012}.html").cssselect(".follow-ups li")[0]).startswith("Followed up in 2013:")
    assert text(site.page(f"entries/{ZAJEL_2013}.html").cssselect(".follow-ups li")[0]).startswith("Follows up:")
    assert not site.page("entries/2013-ke-huduma-centres.html").cssselect(".follow-ups")
    toc = [t for t, _ in links(site, f"entries/{ZAJEL_2013}.html", ".on-this-page a")]
    assert toc[0] == "Follow-ups"


def test_the_year_is_a_search_filter(built):
    _, site = built
    year = site.page("search.html").cssselect("select[name=year] option")
    assert [o.get("value") for o in year] == ["", "2013", "2012"]
    facets = json.loads((site.folder / "search" / "facets.json").read_text())
    assert "year" in json.dumps(facets)


def test_data_files_span_the_series(built):
    _, site = built
    data = json.loads((site.folder / "entries.json").read_text())
    assert len(data["entries"]) == 21 and {e["year"] for e in data["entries"]} == {2012, 2013}
    zajel = next(e for e in data["entries"] if e["id"] == ZAJEL_2012)
    assert zajel["theme"]["id"] == "knowledge-management"  # the category it won in
    assert zajel["facets"]["theme"] == ["whole-of-government"] and zajel["facets"]["year"] == ["2012"]
    rows = list(csv.DictReader(io.StringIO((site.folder / "entries.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 21 and {r["year"] for r in rows} == {"2012", "2013"}


def test_every_link_of_the_site_resolves(built):
    _, site = built
    checked = 0
    for rel, page in site.pages.items():
        for ref in (el.get("href") or el.get("src") for el in page.iter() if el.get("href") or el.get("src")):
            parts = urlsplit(ref)
            if parts.scheme:
                assert parts.scheme in ("http", "https", "mailto"), f"{rel}: {ref}"
                continue
            target, fragment = site.resolve(rel, ref)
            assert (site.folder / target).is_file(), f"{rel}: {ref} → {target} is missing"
            if fragment and target.endswith(".html"):
                assert unquote(fragment) in {el.get("id") for el in site.page(target).iter()}, f"{rel}: {ref}"
            checked += 1
    assert checked > 1000


def test_the_sites_own_catalogue_links_the_books_inside_it(built):
    out, site = built
    root = ET.fromstring((site.folder / "catalog.xml").read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    hrefs = [link.get("href") for link in root.iter(f"{atom}link")]
    assert all((site.folder / h).is_file() for h in hrefs), hrefs
    assert "editions/2012.html" in hrefs and "index.html" in hrefs
    assert sum(h.startswith("downloads/") for h in hrefs) == 6
    outer = ET.fromstring((out / "catalog.xml").read_bytes())
    assert [link.get("href") for link in outer.iter(f"{atom}link")].count("html/editions/2013.html") == 1


def test_the_year_of_an_entry_is_its_editions_in_linked_data(built):
    _, site = built
    script = site.page(f"entries/{ZAJEL_2012}.html").cssselect("script[type='application/ld+json']")[0]
    data = json.loads(script.text)
    assert data["isPartOf"]["bookEdition"] == "2012"
    citation = text(site.page(f"entries/{ZAJEL_2012}.html").cssselect(".citation")[0])
    assert re.search(r"In: United Nations Public Service Awards 2012\.", citation)  # its own edition's year


# --- in a browser (Chromium): the year filter, accessibility, phones ------------------------------------------

@pytest.fixture(scope="module")
def address(built):
    """The site over http on 127.0.0.1 (search needs it: browsers refuse its index over file://); stopped at the end."""
    from tests.helpers import served

    with served(built[1].folder) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from tests.helpers import chromium

    with chromium() as launched:
        yield launched


def _results(page) -> list[str]:
    page.wait_for_function("document.querySelector('#results') && !document.querySelector('#results[aria-busy=true]')"
                           " && document.querySelectorAll('#results li').length > 0")
    return [a.get_attribute("href") for a in page.query_selector_all("#results .entry-link")]


@pytest.mark.slow
def test_the_year_filter_narrows_the_search_across_editions(address, browser):
    page = browser.new_page()
    try:
        page.goto(address + "search.html?year=2013")
        found = _results(page)
        assert len(found) == 4 and all("2013-" in href for href in found)
        assert "First place, 2013" in page.inner_text("#results")  # each result says its year
        page.goto(address + "search.html?q=zajel&year=2012")
        assert [href.rsplit("/", 1)[-1] for href in _results(page)] == [f"{ZAJEL_2012}.html"]
        page.goto(address + "search.html?q=zajel")
        assert len(_results(page)) == 2  # both years without the filter
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_the_series_pages_are_accessible_and_fit_a_phone(address, browser, width):
    from tests.helpers import PYTHON

    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install axe-playwright-python")
    page = browser.new_page(viewport={"width": width, "height": 900})
    pages = ["index.html", "editions/2013.html", "editions/2012.html", "countries/bh.html",
             f"entries/{ZAJEL_2013}.html", f"entries/{ZAJEL_2012}.html", "themes/whole-of-government.html"]
    try:
        for rel in pages:
            page.goto(address + rel)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{rel} overflows by {overflow} px at {width} px"
            assert not PYTHON.search(page.inner_text("body")), rel
            if width == 1280:
                bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe_module.Axe().run(page).response["violations"]
                       if v["impact"] in ("serious", "critical")]
                assert not bad, (rel, bad)
    finally:
        page.close()


def test_a_book_rebuilt_alone_never_writes_into_the_last_output(built, tmp_path):
    """`--format pdf` keeps the last site (hard links): rewriting its catalogue must not change the old files."""
    import shutil

    out, _ = built
    root = out.parent
    catalogue = out / "html" / "catalog.xml"
    before = (catalogue.stat().st_ino, catalogue.read_bytes())
    keep = tmp_path / "old-catalog.xml"
    shutil.copy(catalogue, keep)
    linked = tmp_path / "linked"
    import os

    os.link(catalogue, linked)  # another name of the old file: it must keep its bytes
    patch = pytest.MonkeyPatch()
    patch.setitem(render.FORMATS, "pdf", render.Format("pdf", function=book_renderer("pdf")))
    try:
        build(root, ["pdf"], jobs=1, clean=True)
    finally:
        patch.undo()
    assert linked.read_bytes() == keep.read_bytes() == before[1]
    assert (out / "html" / "catalog.xml").stat().st_ino != before[0]
