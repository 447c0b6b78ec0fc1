"""The site in a real headless Chromium: axe-core finds no serious or critical violation, search
finds Russian, Arabic and Chinese words, filters narrow the results, pages fit a phone's width,
and the keyboard focus is visible. Pages are opened from disk (file://), as an editor would."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compendium.model import Book
from tests.helpers import ARGS, CHROMIUM, Site, url

pytestmark = pytest.mark.slow


@pytest.fixture
def sample(sample_book: Book, sample_site: Site) -> tuple[Book, Path]:
    return sample_book, sample_site.folder


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright axe-playwright-python")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda exc: requests.append(f"pageerror: {exc}"))
    yield page
    context.close()
    assert all(url.startswith("file://") for url in requests), f"non-local requests or script errors: {requests}"




def test_axe_finds_no_serious_violation(sample: tuple[Book, Path], page) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install axe-playwright-python")
    book, site = sample
    arabic = next(e for e in book.entries if e.language == "ar")
    english = next(e for e in book.entries if not e.language and e.images)
    pages = ["index.html", f"themes/{book.parts[0].key}.html", f"entries/{english.id}.html",
             f"entries/{arabic.id}.html", "book.html", "search.html?q=transparency", "countries.html"]
    axe = axe_module.Axe()
    found = {}
    for rel in pages:
        page.goto(url(site, rel))
        violations = axe.run(page).response["violations"]
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
        if bad:
            found[rel] = bad
    assert not found, found


def _search(page, site: Path, query: str) -> list[str]:
    page.goto(url(site, "search.html"))
    page.fill("#q", query)
    page.wait_for_function("document.getElementById('search-status').textContent.includes('match')")
    return page.eval_on_selector_all("#results a.entry-link", "els => els.map(a => a.getAttribute('href'))")


def test_search_finds_russian_arabic_and_chinese(sample: tuple[Book, Path], page) -> None:
    book, site = sample
    ids = {e.language: e.id for e in book.entries if e.language}
    assert f"entries/{ids['ru']}.html" in _search(page, site, "ЛИЦЕНЗИРОВАНИЕ")  # case folded
    assert f"entries/{ids['ru']}.html" in _search(page, site, "подает")  # ё typed as е
    assert f"entries/{ids['ru']}.html" in _search(page, site, "ПОДАЁТ")  # and as ё
    assert f"entries/{ids['ar']}.html" in _search(page, site, "الالكترونية")  # without hamza
    assert f"entries/{ids['ar']}.html" in _search(page, site, "الإلكترونيّة")  # with hamza and shadda
    assert f"entries/{ids['ar']}.html" in _search(page, site, "زاجل")
    chinese = [lang for lang in ids if lang.startswith("zh")][0]
    assert f"entries/{ids[chinese]}.html" in _search(page, site, "审批")  # no spaces in Chinese
    first = page.query_selector("#results a.entry-link")
    assert first.get_attribute("lang") == chinese
    assert _search(page, site, "zzqx-nothing") == []
    assert "No initiative" in page.text_content("#search-status")


def test_filters_and_query_string(sample: tuple[Book, Path], page) -> None:
    book, site = sample
    africa = {f"entries/{e.id}.html" for e in book.entries if e.region == "Africa"}
    page.goto(url(site, "search.html?region=africa"))
    page.wait_for_function("document.querySelectorAll('#results li').length > 0")
    assert set(page.eval_on_selector_all("#results a.entry-link", "els => els.map(a => a.getAttribute('href'))")) == africa
    theme = book.parts[0].key
    page.select_option("#f-theme", theme)
    expected = {f"entries/{e.id}.html" for e in book.entries if e.region == "Africa" and e.theme.id == theme}
    page.wait_for_function(f"document.querySelectorAll('#results li').length === {len(expected)}")
    assert set(page.eval_on_selector_all("#results a.entry-link", "els => els.map(a => a.getAttribute('href'))")) == expected
    # the home page's search box leads to the search page with the query filled in
    page.goto(url(site, "index.html"))
    page.fill("#home-q", "Poupatempo")
    page.press("#home-q", "Enter")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('match')")
    assert page.input_value("#q") == "Poupatempo"
    assert any("poupatempo" in h for h in page.eval_on_selector_all("#results a", "els => els.map(a => a.href)"))


def test_pages_fit_a_phone_and_focus_is_visible(sample: tuple[Book, Path], browser) -> None:
    book, site = sample
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        arabic = next(e for e in book.entries if e.language == "ar")
        for rel in ("index.html", f"entries/{arabic.id}.html", "book.html", "search.html", "countries.html"):
            page.goto(url(site, rel))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{rel} scrolls sideways on a phone ({width}px)"
        page.goto(url(site, "index.html"))
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const el = document.activeElement; const s = getComputedStyle(el);
            const r = el.getBoundingClientRect();
            return {cls: el.className, outline: s.outlineStyle, width: s.outlineWidth, top: r.top}; }""")
        assert focused["cls"] == "skip-link" and focused["outline"] != "none" and focused["top"] >= 0, focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        context.close()
