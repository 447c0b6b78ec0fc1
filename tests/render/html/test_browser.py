"""The site in a real headless Chromium, as readers meet it: every page of the sample and the test
editions fits a phone and shows no Python or template text; search (served over http, as it must
be) stems plurals in English, French, Spanish and Russian and finds Chinese and Arabic words; the
filters and the query string narrow the results; opened from disk the search page says why it
cannot search; the web fonts load, from disk too; axe-core finds no serious violation; book.html
prints without a stranded region heading or a split citation."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from compendium.model import PLACE_LABELS, Book
from tests.helpers import (
    EDITION,
    ENTRY,
    PYTHON,
    Site,
    build_project,
    chromium,
    hostile_project,
    served,
    url,
    write,
)
from tests.render.html.editions import ENTRIES, multilingual_project, precise_project

pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, sample_site: Site) -> dict[str, Path]:
    """The sample edition (the session's), a six-language edition, an edition of near-words (precise_project),
    a hostile project and a region-first project."""
    base = tmp_path_factory.mktemp("browser")
    found = {"sample": sample_site.folder}
    found["multi"] = build_project(multilingual_project(base / "multi-project"), base / "multi").folder
    found["precise"] = build_project(precise_project(base / "precise-project"), base / "precise").folder
    found["hostile"] = build_project(hostile_project(base / "hostile-project"), base / "hostile").folder
    region = base / "region-project"
    write(region, "compendium.yaml", EDITION.replace("themes:", "group_by: [region, theme]\nthemes:"))
    write(region, "entries/ke.yaml", ENTRY)
    found["region"] = build_project(region, base / "region").folder
    return found


@pytest.fixture(scope="module")
def server(sites: dict[str, Path]):
    """One http server on 127.0.0.1 serving the sites' parent folder: server(site, rel) → an address."""
    root = Path(os.path.commonpath(list(sites.values())))
    with served(root) as address:
        yield lambda site, rel: f"{address}{site.relative_to(root).as_posix()}/{rel}"


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("request", lambda r: problems.append(r.url) if not r.url.startswith(("file://", "http://127.0.0.1")) else None)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    yield page
    context.close()
    assert not problems, f"non-local requests or script errors: {problems}"


# --- every page, as a person sees it --------------------------------------------------------------------


def test_every_page_fits_a_phone_and_shows_no_python(sites: dict[str, Path], browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems: list[str] = []
    try:
        count = 0
        for name, site in sites.items():
            for path in sorted(site.rglob("*.html")):
                rel = path.relative_to(site).as_posix()
                page.goto(path.as_uri())
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 390:
                    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                        .filter(el => el.getBoundingClientRect().right > 391).slice(-3).map(el => el.tagName + '.' + el.className)""")
                    problems.append(f"{name}/{rel}: {width}px wide on a phone ({wide})")
                shown = page.evaluate("""() => document.body.innerText + '\\n' + [...document.querySelectorAll('*')]
                    .flatMap(el => ['alt', 'title', 'placeholder', 'aria-label', 'value'].map(a => el.getAttribute(a) || ''))
                    .join('\\n') + '\\n' + document.title""")
                if name == "hostile":  # its entries hold braces and brackets on purpose, as text
                    shown = shown.replace("{", "").replace("}", "").replace("[", "").replace("]", "")
                for match in PYTHON.finditer(shown):
                    problems.append(f"{name}/{rel}: shows {shown[max(0, match.start() - 30):match.end() + 30]!r}")
                count += 1
        assert count > 50
        assert not problems, "\n".join(problems[:20])
    finally:
        context.close()


# --- search, served over http ------------------------------------------------------------------------------


def _search(page, address: str, query: str) -> list[str]:
    page.goto(address)
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_function("/match|No initiative|не найдено/.test(document.getElementById('search-status').textContent)")
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('No') || "
                           "document.querySelectorAll('#results li').length > 0")
    return page.eval_on_selector_all("#results a.entry-link", "els => els.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("query, entry", [
    ("lighthouses", "en-lighthouse"),  # English plural → singular
    ("citoyens", "fr-citoyen"),  # French
    ("ciudadanos", "es-ciudadano"),  # Spanish
    ("бюджеты", "ru-budget"),  # Russian
    ("审批", "zh-approval"),  # a Chinese word, inside a sentence without spaces
    ("زاجل", "ar-zajel"),  # Arabic
])
def test_search_understands_words_in_every_language(sites, server, page, query, entry) -> None:
    if query.endswith(("s", "ы")):  # a plural: the page holds only the singular, stemming must bridge them
        assert query not in (sites["multi"] / f"entries/{entry}.html").read_text(encoding="utf-8")
    hits = _search(page, server(sites["multi"], "search.html"), query)
    assert f"entries/{entry}.html" in hits, hits
    # the card's title says its language (on the heading: an Arabic title is set from the right)
    title = page.query_selector(f"#results .card-title:has(a[href='entries/{entry}.html'])")
    language = next(e[1] for e in ENTRIES if e[0] == entry)
    assert (title.get_attribute("lang") or "") == language
    # the snippet shows the entry's words with the match highlighted
    assert page.eval_on_selector_all("#results mark", "els => els.length") >= 1


def test_search_results_show_snippets_places_and_nothing_for_nonsense(sites, server, page) -> None:
    hits = _search(page, server(sites["sample"], "search.html"), "budgets")
    assert len(hits) >= 2
    first = page.query_selector("#results li")
    assert first.query_selector(".place") and first.query_selector(".snippet mark")
    assert _search(page, server(sites["sample"], "search.html"), "zzqxnothing") == []
    assert "No initiative" in page.text_content("#search-status")


def test_filters_and_query_string(sites, server, page, sample_book: Book) -> None:
    book = sample_book
    site = sites["sample"]
    africa = {f"entries/{e.id}.html" for e in book.entries if e.region == "Africa"}
    page.goto(server(site, "search.html?region=africa"))
    page.wait_for_function("document.querySelectorAll('#results li').length > 0")
    listed = page.eval_on_selector_all("#results a.entry-link", "els => els.map(a => a.getAttribute('href'))")
    assert listed == [f"entries/{e.id}.html" for e in book.entries if e.region == "Africa"]  # in book order
    assert set(listed) == africa
    theme = book.parts[0].key
    page.select_option("#f-theme", theme)
    expected = {f"entries/{e.id}.html" for e in book.entries if e.region == "Africa" and e.theme.id == theme}
    page.wait_for_function(f"document.querySelectorAll('#results li').length === {len(expected)}")
    assert set(page.eval_on_selector_all("#results a.entry-link", "els => els.map(a => a.getAttribute('href'))")) == expected
    assert "region=africa" in page.url and f"theme={theme}" in page.url
    # the search box of any page leads to the search page with the query filled in
    e = book.entries[3]
    page.goto(server(site, f"entries/{e.id}.html"))
    page.fill("#site-q", "Poupatempo")
    page.press("#site-q", "Enter")
    page.wait_for_function("document.querySelectorAll('#results li').length > 0")
    assert page.input_value("#q") == "Poupatempo"
    assert any("poupatempo" in h for h in page.eval_on_selector_all("#results a", "els => els.map(a => a.href)"))


def test_search_opened_from_disk_says_why_and_offers_the_indexes(sites, page) -> None:
    page.goto(url(sites["sample"], "search.html?q=budget"))
    notice = page.locator("#search-offline")
    # in plain words for visitors; the editors' hint folded under it
    assert notice.is_visible() and "opened from a folder on your computer" in notice.inner_text()
    assert not page.locator("#search-offline details p").is_visible()
    assert page.locator("#search-browse").is_visible()
    assert page.locator("#search-browse a").count() == 4
    assert not page.locator("#search").is_visible()


# --- fonts ---------------------------------------------------------------------------------------------------


def test_web_fonts_load_from_disk_and_set_each_script(sites, page) -> None:
    site = sites["multi"]
    for entry, family in (("zh-approval", "Compendium SC"), ("ar-zajel", "Compendium Arabic"),
                          ("ru-budget", "Compendium Serif"), ("en-lighthouse", "Compendium Sans")):
        page.goto(url(site, f"entries/{entry}.html"))
        page.evaluate("document.fonts.ready")
        page.wait_for_function(f"[...document.fonts].some(f => f.family.includes('{family}') && f.status === 'loaded')")
    page.goto(url(site, "entries/zh-approval.html"))
    family = page.evaluate("getComputedStyle(document.querySelector('.prose[lang=zh]')).fontFamily")
    assert family.startswith('"Compendium SC"')
    slant = page.evaluate("getComputedStyle(document.querySelector('.prose[lang=zh] em')).fontStyle")
    assert slant == "normal"


# --- accessibility and print -----------------------------------------------------------------------------------


def test_axe_finds_no_serious_violation(sites, server, page, sample_book: Book) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install axe-playwright-python")
    book = sample_book
    arabic = next(e for e in book.entries if e.language == "ar")
    english = next(e for e in book.entries if not e.language and e.images)
    site = sites["sample"]
    pages = ["index.html", f"themes/{book.parts[0].key}.html", f"entries/{english.id}.html",
             f"entries/{arabic.id}.html", "book.html", "search.html?q=transparency", "countries.html", "places.html"]
    axe = axe_module.Axe()
    found = {}
    for rel in pages:
        page.goto(server(site, rel))
        if rel.startswith("search"):
            page.wait_for_function("document.querySelectorAll('#results li').length > 0")
        violations = axe.run(page).response["violations"]
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
        if bad:
            found[rel] = bad
    assert not found, found


def test_keyboard_focus_is_visible(sites, browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(url(sites["sample"], "index.html"))
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const el = document.activeElement; const s = getComputedStyle(el);
            const r = el.getBoundingClientRect();
            return {cls: el.className, outline: s.outlineStyle, top: r.top}; }""")
        assert focused["cls"] == "skip-link" and focused["outline"] != "none" and focused["top"] >= 0, focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        context.close()


def test_printed_book_keeps_region_headings_and_citations_whole(sites, page, tmp_path, sample_book: Book) -> None:
    pypdf = pytest.importorskip("pypdf")
    book = sample_book
    page.goto(url(sites["sample"], "book.html"))
    page.emulate_media(media="print")
    pdf = tmp_path / "book.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(pdf).pages]
    assert len(pages) > len(book.entries)
    squeezed = [re.sub(r"\s", "", text) for text in pages]  # a line may wrap inside the address
    for part in book.parts:
        for chapter in part.chapters:
            # a region heading, then its first entry's kicker ("First place · Brazil"), then the entry:
            # the heading must not stand at a page's foot with the entry on the next page
            first = chapter.entries[0]
            heading = re.sub(r"\s", "", f"{chapter.title}{PLACE_LABELS[first.place]}·{first.country.name}")
            found = [(i, text.index(heading)) for i, text in enumerate(squeezed) if heading in text]
            assert found, f"no page shows the heading {chapter.title!r} of {first.id}"
            for i, at in found:
                after = len(squeezed[i]) - at - len(heading)
                assert after > 150, f"{chapter.title!r} ({first.id}) stands at the foot of page {i + 1}"
    # each entry starts a page: its "Cite as" label and the book's name that ends its citation share one
    end = re.sub(r"\s", "", f"In:{book.edition.title}{book.edition.edition}.")
    whole = [text for text in squeezed if "Citeas:" in text and end in text[text.index("Citeas:"):]]
    assert len(whole) == len(book.entries), "a citation is split across pages"


# --- layout on a phone ------------------------------------------------------------------------------------


def test_on_a_phone_addresses_break_between_parts_and_chart_labels_stay_readable(sites, browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(url(sites["multi"], "entries/en-lighthouse.html"))
        # where each line of the website's address starts: the character before must be a separator
        breaks = page.evaluate("""() => {
            const a = document.querySelector('.facts a.url'); const out = []; let top = null; let text = '';
            const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (let i = 0; i < node.length; i++) {
                    const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                    const t = Math.round(r.getBoundingClientRect().top);
                    if (top !== null && t > top + 2) { out.push(text.slice(-1)); }
                    top = t; text += node.data[i];
                }
            }
            return {lines: out.length + 1, before: out};
        }""")
        assert breaks["lines"] >= 2 and all(c in "/.-_?&=@#" for c in breaks["before"]), breaks
        page.goto(url(sites["sample"], "index.html"))
        size = page.evaluate("""() => { const svg = document.querySelector('svg.chart');
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return scale * parseFloat(svg.getAttribute('font-size')); }""")
        assert size >= 11, f"chart labels are {size:.1f} px on a phone"
    finally:
        context.close()


def test_overview_table_headers_stand_over_their_numbers(sites, page) -> None:
    page.goto(url(sites["sample"], "index.html"))
    offsets = page.evaluate("""() => { const t = document.querySelector('table.overview');
        const heads = [...t.querySelectorAll('thead th')].slice(1);
        const cells = [...t.querySelector('tbody tr').querySelectorAll('td')];
        return heads.map((h, i) => { const a = h.getBoundingClientRect(), b = cells[i].getBoundingClientRect();
            const range = document.createRange(); range.selectNodeContents(h); const text = range.getBoundingClientRect();
            const r2 = document.createRange(); r2.selectNodeContents(cells[i]); const num = r2.getBoundingClientRect();
            return Math.abs(text.right - num.right); }); }""")
    assert offsets and max(offsets) < 2, offsets  # right-aligned: the header's text ends where the number does


def test_a_cards_picture_never_squeezes_its_text(sites, page) -> None:
    """On every page of cards (home, themes, regions, countries), a card's text takes the card's whole
    width: its picture sits above it (beside it, an Arabic summary wrapped in a column a few words wide)."""
    site = sites["sample"]
    checked = 0
    for path in sorted([site / "index.html", *site.glob("themes/*.html"), *site.glob("regions/*.html"),
                        *site.glob("countries/*.html")]):
        page.goto(path.as_uri())
        shares = page.evaluate("""() => [...document.querySelectorAll('.entry-card.has-thumb')].map(card => {
            const s = getComputedStyle(card);
            const inner = card.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
            return card.querySelector('.card-text').getBoundingClientRect().width / inner; })""")
        assert all(share > 0.95 for share in shares), (path.relative_to(site).as_posix(), shares)
        checked += len(shares)
    assert checked  # the sample's cards have pictures


# --- search as a visitor uses it (issue 13, second review) ------------------------------------------------


def _status(page) -> str:
    return " ".join(page.text_content("#search-status").split())


def test_search_lists_only_initiatives_holding_every_finished_word(sites, server, page) -> None:
    address = server(sites["precise"], "search.html")
    assert _search(page, address, "archive") == ["entries/archive.html"]  # not every entry with a word in "a..."
    assert _search(page, address, "police") == ["entries/police.html"]  # not "policy"
    assert _search(page, address, "participatory budgeting") == ["entries/budget.html"]  # every word, as promised
    assert _search(page, address, "budgets") == ["entries/budget.html", "entries/parking.html"]  # stems still bridge
    assert page.eval_on_selector_all("#results li", "els => els.every(li => li.querySelector('.snippet mark'))")
    # the word still being typed counts its completions: "polic" finds the police and the policy
    page.goto(address)
    page.type("#q", "polic")
    page.wait_for_function("/match/.test(document.getElementById('search-status').textContent)")
    found = page.eval_on_selector_all("#results a.entry-link", "els => els.map(a => a.getAttribute('href'))")
    assert sorted(found) == ["entries/police.html", "entries/policy.html"]


def test_search_lists_everything_first_names_the_filters_and_clears_them(sites, server, page) -> None:
    page.goto(server(sites["precise"], "search.html"))
    page.wait_for_function("document.querySelectorAll('#results li').length === 5")
    assert _status(page) == "All 5 initiatives, in the order of the book."
    assert page.is_hidden("#clear-filters")
    # each choice says how many initiatives it leaves; one that would leave none cannot be chosen
    options = page.eval_on_selector_all("#f-place option", "els => els.map(o => [o.textContent, o.disabled])")
    assert options == [["All places", False], ["First place (2)", False], ["Second place (2)", False],
                       ["Third place (1)", False]]
    page.select_option("#f-region", "africa")
    page.wait_for_function("document.querySelectorAll('#results li').length === 2")
    assert page.eval_on_selector_all("#f-place option", "els => els.map(o => o.disabled)") == [False, False, True, False]
    page.fill("#q", "police")
    page.press("#q", "Enter")
    page.wait_for_function("/No initiative/.test(document.getElementById('search-status').textContent)")
    assert _status(page) == "No initiative matches \u201cpolice\u201d with the filters Region: Africa."
    page.click("#clear-filters")
    # the status before the click matches /match/ too: wait for the one without the filters
    page.wait_for_function("(t => /match/.test(t) && !/filters/.test(t))(document.getElementById('search-status').textContent)")
    assert _status(page) == "1 initiative matches \u201cpolice\u201d."
    assert page.input_value("#f-region") == "" and page.is_hidden("#clear-filters")


def test_search_loads_only_the_bundles_a_query_needs(sites, server, page) -> None:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    address = server(sites["multi"], "search.html")
    page.goto(address)
    page.wait_for_function("document.querySelectorAll('#results li').length === 6")

    def bundles() -> set[str]:  # the bundles whose Pagefind module or index was fetched (not the entries' records)
        return {u.split("/search/")[1].split("/")[0] for u in fetched
                if "/search/" in u and "/fragment/" not in u and "facets.json" not in u}

    assert bundles() == set(), fetched  # listing every initiative needs no index
    assert _search(page, address, "lighthouses") == ["entries/en-lighthouse.html"]
    assert "en" in bundles() and not {"ar", "zh", "ru"} & bundles(), bundles()  # Latin letters only
    assert "entries/ar-zajel.html" in _search(page, address, "زاجل")
    assert any("/search/ar/" in u for u in fetched)


# --- pages on a phone and beside a long article -----------------------------------------------------------


def test_on_a_phone_sections_come_first_and_arabic_titles_stand_right(sites, browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(url(sites["multi"], "entries/en-lighthouse.html"))
        toc = page.query_selector("details.toc-phone")
        assert toc.is_visible() and not page.query_selector(".entry-aside .on-this-page").is_visible()
        assert toc.bounding_box()["y"] < page.query_selector("#summary").bounding_box()["y"]
        page.goto(url(sites["multi"], "index.html"))
        for title in page.query_selector_all(".card-title[dir='rtl']"):
            link, box = title.query_selector("a").bounding_box(), title.bounding_box()
            assert abs(link["x"] + link["width"] - (box["x"] + box["width"])) < 2  # set from the right
            assert link["x"] > box["x"] + 20
        # the overview table says it scrolls when it is wider than the phone
        hint = page.query_selector("#overview .scroll-hint")
        assert hint.is_visible()
        assert page.eval_on_selector("#overview .table-scroll", "el => el.scrollWidth > el.clientWidth")
        # the totals stay in view at the right edge while the regions scroll under them
        total = page.query_selector("#overview thead th.total").bounding_box()
        assert total["x"] + total["width"] <= 390
    finally:
        context.close()


def test_wide_entry_page_marks_the_section_being_read(sites, page) -> None:
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(url(sites["sample"], "entries/" + sorted(p.name for p in (sites["sample"] / "entries").glob("*.html"))[0]))
    assert not page.query_selector("details.toc-phone").is_visible()
    aside = ".entry-aside .on-this-page"
    assert page.get_attribute(f"{aside} a[aria-current]", "href") == "#summary"
    page.eval_on_selector("#impact", "el => el.scrollIntoView()")
    page.wait_for_function(f"document.querySelector('{aside} a[aria-current]').getAttribute('href') === '#impact'")
    nav = page.query_selector(aside).bounding_box()
    assert 0 <= nav["y"] and nav["y"] + nav["height"] <= 700  # stays in view while the article scrolls
