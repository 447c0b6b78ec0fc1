"""The site as a knowledge base, read back without a browser: templates never print Python, the
home page leads with the initiatives, the folder is self-contained (books, fonts, index inside, no
link out of it), linked data and data downloads validate, pages with nothing to show are not made,
web fonts cover what the pages print and only that."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from compendium.errors import InvalidInput
from compendium.model import PLACES, Book
from compendium.output.build import load_book
from compendium.render.common import Download, RenderContext
from compendium.render.html import render
from tests.helpers import Site, build_project, render_site, write
from tests.render.html.editions import ENTRIES, multilingual_project


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory: pytest.TempPathFactory) -> tuple[Book, Site]:
    root = multilingual_project(tmp_path_factory.mktemp("multi") / "p")
    book, _ = load_book(root)
    return book, render_site(book, root.parent / "out")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, sample_book: Book) -> tuple[Book, Site, Path]:
    """The sample edition with a PDF and an EPUB to offer (stand-ins: the site copies whatever it is given)."""
    book = sample_book
    base = tmp_path_factory.mktemp("kb")
    books = []
    for fmt, name in (("pdf", "sample.pdf"), ("epub", "sample.epub")):
        path = base / "books" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"%PDF-1.7 stand-in" if fmt == "pdf" else b"PK stand-in")
        books.append(Download(fmt, name, path.stat().st_size, path))
    ctx = RenderContext(out_dir=base / "out", cache_dir=base / "cache", downloads=tuple(books))
    render(book, ctx)
    return book, Site(base / "out" / "html"), base


def text(el) -> str:
    return " ".join(el.text_content().split())


# --- templates print text, never Python -----------------------------------------------------------------


@pytest.mark.parametrize("expression, shown", [
    ("labels.place", "a method"),  # the bug of the search page: a method printed without its argument
    ("edition.date", "None"),  # an optional field left empty
    ("site.themes", "a list"),
    ("edition.themes[0]", "a Theme"),
    ("e.entry.contact", "None"),
])
def test_a_template_printing_python_fails_the_build_with_its_file_and_line(project, tmp_path, expression, shown):
    write(project, "templates/html/entry.html", '{% extends "default/html/entry.html" %}\n'
                                                "{% block pager %}\n<p>{{ " + expression + " }}</p>{% endblock %}\n")
    with pytest.raises(InvalidInput) as err:
        build_project(project, tmp_path / "out")
    message = str(err.value)
    assert message.startswith("templates/html/entry.html:3:"), message
    assert f"prints {shown}" in message and "only text and numbers" in message


def test_templates_may_print_text_numbers_and_markup(project, tmp_path):
    write(project, "templates/html/entry.html", '{% extends "default/html/entry.html" %}\n'
                  '{% block pager %}<p id="t">{{ e.title }} {{ edition.edition }} {{ 1.5 }} {{ body | length }}</p>{% endblock %}\n')
    site = build_project(project, tmp_path / "out")
    assert text(site.page("entries/ke-one-stop.html").find(".//p[@id='t']")).startswith("One-stop shops 2012 1.5 ")


# --- the home page leads with the initiatives ---------------------------------------------------------------


def test_home_leads_with_the_winners_grouped_as_the_book(sample):
    book, site, _ = sample
    home = site.page("index.html")
    featured = home.find(".//section[@class='featured']")
    parts = featured.findall("section")
    assert [p.find(".//h3").text_content().strip() for p in parts] == [p.title for p in book.parts]
    for section, part in zip(parts, book.parts):
        cards = section.findall(".//li[@class]")
        # its first places first (from every region), then second places..., book order within a place
        ranked = [e for _, e in sorted(enumerate(part.entries), key=lambda ie: (PLACES.index(ie[1].place), ie[0]))]
        assert [c.find(".//a[@class='entry-link']").get("href") for c in cards] == [f"entries/{e.id}.html" for e in ranked][:len(cards)]
        assert 0 < len(cards) <= 4
        for card, e in zip(cards, ranked):
            assert e.country.name in text(card) and card.find(".//p[@class='teaser']") is not None
            teaser = text(card.find(".//p[@class='teaser']")).rstrip("…")
            assert len(teaser) > 40 and " ".join(e.summary.split())[:20].replace("*", "")[:10] in " ".join(e.summary.split()).replace("*", "")
            img = card.find(".//img[@class='thumb']")
            if e.images:
                assert img is not None and img.get("alt") == e.images[0].alt
            else:
                assert img is None
    # the count grid once: the overview table, and no second grid of the same numbers
    assert len(home.findall(".//table")) == 1
    assert len(home.xpath("//ul[contains(@class, 'sub-list')]")) == 0


def test_cards_and_pages_show_a_gloss_for_titles_in_another_language(multilingual, tmp_path):
    book, _ = multilingual
    russian = next(e for e in book.entries if e.language == "ru")
    glossed = dataclasses.replace(russian, translated_title="Open budget")
    parts = tuple(dataclasses.replace(p, chapters=tuple(dataclasses.replace(
        c, entries=tuple(glossed if e.id == russian.id else e for e in c.entries)) for c in p.chapters)) for p in book.parts)
    site = render_site(dataclasses.replace(book, parts=parts), tmp_path / "out")
    page = site.page(f"entries/{russian.id}.html")
    gloss = page.find(".//p[@class='gloss gloss-title']")
    assert text(gloss) == "Open budget" and gloss.get("lang") is None  # in the page's own language
    assert page.find(".//h1").get("lang") == "ru"
    assert "Open budget" in text(site.page("index.html")) and "Open budget" in text(site.page("book.html"))
    data = json.loads((site.folder / "entries.json").read_text(encoding="utf-8"))
    assert next(d for d in data["entries"] if d["id"] == russian.id)["translated_title"] == "Open budget"
    jsonld = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert jsonld["alternativeHeadline"] == "Open budget"


# --- self-contained -----------------------------------------------------------------------------------------


def test_the_site_folder_alone_has_no_broken_link(sample):
    """Crawl every page as if the folder were uploaded alone: every href and src resolves to a file
    inside it (books, feed, data, fonts included), every #fragment to an id of its page."""
    _, site, _ = sample
    checked = 0
    for rel, page in site.pages.items():
        refs = [el.get("href") or el.get("src") for el in page.iter() if el.get("href") or el.get("src")]
        for ref in refs:
            parts = urlsplit(ref)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme, f"{rel}: {ref}"
            target, fragment = site.resolve(rel, ref)  # asserts the link stays inside the folder
            assert (site.folder / target).is_file(), f"{rel}: {ref} → {target} is missing"
            if fragment and target.endswith(".html"):
                ids = {el.get("id") for el in site.page(target).iter() if el.get("id")}
                assert unquote(fragment) in ids, f"{rel}: {ref} → no #{fragment} in {target}"
            checked += 1
    for css in (site.folder / "assets").glob("*.css"):
        for ref in re.findall(r'url\("([^"]+)"\)', css.read_text(encoding="utf-8")):
            assert (css.parent / ref).is_file(), ref
    assert checked > 500


def test_books_are_copied_into_the_site_with_their_sizes(sample):
    _, site, _ = sample
    links = {a.get("href"): a for a in site.page("index.html").iter("a") if (a.get("href") or "").startswith("downloads/")}
    assert set(links) == {"downloads/sample.pdf", "downloads/sample.epub"}
    assert (site.folder / "downloads/sample.pdf").read_bytes() == b"%PDF-1.7 stand-in"
    assert "(17\u00a0B)" in links["downloads/sample.pdf"].getparent().text_content()  # the size, never split


def test_a_real_build_puts_the_books_inside_the_site(project, tmp_path):
    from compendium.output.build import build

    out = tmp_path / "out"
    build(project, ["epub", "html"], out_dir=out)
    epub = next(out.glob("*.epub"))
    inside = out / "html" / "downloads" / epub.name
    assert inside.read_bytes() == epub.read_bytes()
    assert f'href="downloads/{epub.name}"' in (out / "html/index.html").read_text(encoding="utf-8")


# --- linked data and data downloads ---------------------------------------------------------------------------


def test_every_entry_page_has_json_ld_naming_its_country_and_open_graph(sample):
    book, site, _ = sample
    for e in book.entries:
        page = site.page(f"entries/{e.id}.html")
        scripts = page.xpath("//script[@type='application/ld+json']")
        assert len(scripts) == 1
        data = json.loads(scripts[0].text)
        assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
        project = data["about"]
        assert project["@type"] == "Project" and project["name"] == e.title
        assert project["areaServed"] == {"@type": "Country", "name": e.country.name, "identifier": e.country.alpha2}
        assert project["parentOrganization"]["name"] == e.institution
        assert "2012" in project["award"] and e.theme.name in project["award"]
        assert data["license"] == book.edition.license and data["datePublished"] == "2012-06-23"
        if e.images:
            assert data["image"][0]["description"] == e.images[0].alt
            picture = data["image"][0]["contentUrl"]  # absolute under the sample's url
            assert picture.startswith(book.edition.url + "/")
            assert (site.folder / picture.removeprefix(book.edition.url + "/")).is_file()
        og = {m.get("property"): m.get("content") for m in page.iter("meta") if m.get("property")}
        assert og["og:title"] == e.title and og["og:type"] == "article" and og["og:description"]


def test_open_graph_gives_absolute_addresses_with_a_public_url(project, tmp_path):
    from PIL import Image

    write(project, "compendium.yaml", (project / "compendium.yaml").read_text() + "url: https://awards.example.org/2012\n")
    (project / "entries/images").mkdir()
    Image.new("RGB", (640, 360), (10, 120, 200)).save(project / "entries/images/a.png")
    write(project, "entries/ke-one-stop.yaml", (project / "entries/ke-one-stop.yaml").read_text()
          + "images:\n  - file: images/a.png\n    alt: A blue square\n")
    site = build_project(project, tmp_path / "out")
    og = {m.get("property"): m.get("content") for m in site.page("entries/ke-one-stop.html").iter("meta") if m.get("property")}
    assert og["og:url"] == "https://awards.example.org/2012/entries/ke-one-stop.html"
    assert og["og:image"].startswith("https://awards.example.org/2012/assets/img/") and og["og:image:alt"] == "A blue square"
    feed = (site.folder / "feed.xml").read_text(encoding="utf-8")
    assert "<id>https://awards.example.org/2012/entries/ke-one-stop.html</id>" in feed


def test_entries_json_validates_against_its_schema(sample):
    import jsonschema

    book, site, _ = sample
    data = json.loads((site.folder / "entries.json").read_text(encoding="utf-8"))
    schema = json.loads((site.folder / "entries.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert [d["id"] for d in data["entries"]] == [e.id for e in book.entries]
    private = [e for e in book.entries if e.contact and not e.contact.public]
    assert all(d["contact"] is None for d in data["entries"] if d["id"] in {e.id for e in private})
    first = data["entries"][0]
    assert first["url"].startswith(book.edition.url + "/")  # the sample has a public address: links work downloaded
    assert (site.folder / first["url"].removeprefix(book.edition.url + "/")).is_file() and first["sections"][0]["key"] == "problem"
    assert [f["key"] for f in data["facets"]] == ["theme", "region", "country", "place", "year"]
    broken = dict(data, entries=[dict(first, year="2012")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_entries_csv_has_one_row_per_entry_and_no_formula(sample, tmp_path):
    book, site, _ = sample
    raw = (site.folder / "entries.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(book.entries)
    assert [r["id"] for r in rows] == [e.id for e in book.entries]
    ru = next(e for e in book.entries if e.language == "ru")
    assert next(r for r in rows if r["id"] == ru.id)["title"] == ru.title  # Cyrillic survives
    from compendium.render.html.data import _cell

    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and _cell("+1") == "'+1" and _cell("Plain") == "Plain"


def test_atom_feed_parses_with_one_item_per_entry(sample):
    feedparser = pytest.importorskip("feedparser", reason="pip install feedparser")
    book, site, _ = sample
    feed = feedparser.parse((site.folder / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title == "United Nations Public Service Awards 2012"
    assert [x.title for x in feed.entries] == [e.title for e in book.entries]
    assert len({x.id for x in feed.entries}) == len(book.entries)
    assert all(x.link.endswith(f"entries/{e.id}.html") for x, e in zip(feed.entries, book.entries))
    assert all(x.updated == "2012-06-23T00:00:00Z" for x in feed.entries)
    home = site.page("index.html")
    assert home.xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href") == ["feed.xml"]
    assert {"entries.json", "entries.csv", "entries.schema.json", "feed.xml"} <= {a.get("href") for a in home.iter("a")}


# --- finding your way ---------------------------------------------------------------------------------------


def test_every_page_has_a_search_box_that_leads_to_the_search_page(sample):
    _, site, _ = sample
    for rel, page in site.pages.items():
        forms = [f for f in page.iter("form") if f.get("role") == "search"]
        assert forms, rel
        for form in forms:
            assert site.resolve(rel, form.get("action"))[0] == "search.html", rel
            assert form.find(".//input[@name='q']") is not None, rel


def test_entry_page_lists_its_sections_and_its_neighbours(sample):
    book, site, _ = sample
    e = book.parts[0].chapters[0].entries[0]
    page = site.page(f"entries/{e.id}.html")
    toc = [a.get("href") for a in page.find(".//nav[@class='on-this-page']").iter("a")]
    assert toc == ["#summary", "#problem", "#solution", "#impact", "#lessons", "#more", "#cite"]
    ids = {el.get("id") for el in page.iter() if el.get("id")}
    assert all(h[1:] in ids for h in toc)
    near = page.findall(".//nav[@class='neighbours']")
    theme_mates = [x for x in book.entries if x.theme.id == e.theme.id and x.id != e.id]
    hrefs = [a.get("href") for a in near[0].findall(".//li/a")]
    assert hrefs and all(h.removeprefix("../").removesuffix(".html").split("/")[1] in {x.id for x in theme_mates} for h in hrefs)
    assert near[0].find(".//h2/a").get("href") == f"../themes/{e.theme.id}.html"
    assert "Region" in text(near[1].find(".//h2"))


def test_the_more_section_is_named_after_what_it_holds(sample):
    """'Partners and contact' only over both; 'Partners', 'Contact' or 'Keywords' over what is there (an
    entry with keywords alone had a 'Partners and contact' heading over its keywords)."""
    book, site, _ = sample
    seen = set()
    for e in book.entries:
        page = site.page(f"entries/{e.id}.html")
        more = page.find(".//section[@id='more']")
        if more is None:
            continue
        held = [text(dt) for dt in more.iter("dt")]
        heading = text(next(el for el in more if el.tag in ("h2", "h3")))
        expected = ("Partners and contact" if {"Partners", "Contact"} <= set(held) else
                    "Partners" if "Partners" in held else "Contact" if "Contact" in held else "Keywords")
        assert heading == expected, (e.id, held)
        toc = [text(a) for a in page.iter("a") if a.get("href") == "#more"]
        assert toc and set(toc) == {expected}, e.id  # the page's contents say the same
        seen.add(expected)
    assert seen  # the sample has such sections


def test_cards_of_one_edition_leave_its_year_out(sample):
    _, site, _ = sample
    home = site.page("index.html")
    assert home.findall(".//li[@class='entry-card']") or home.findall(".//li[@class='entry-card has-thumb']")
    assert not [el for el in home.iter() if "card-year" in (el.get("class") or "")]


def _no_empty_blocks(site: Site) -> None:
    for rel, page in site.pages.items():
        for el in page.iter("dl", "ul", "ol", "section", "nav", "aside", "figure", "table"):
            if el.get("id") == "results":
                continue  # filled by the search script
            has_media = any(x.tag in ("img", "svg", "input", "select") for x in el.iter())
            assert text(el) or has_media, f"{rel}: an empty <{el.tag} class={el.get('class')}>"


def test_pages_and_blocks_with_nothing_to_show_are_not_made(project, tmp_path):
    # one theme of two has entries, no entry has keywords, the edition has no imprint fields
    site = build_project(project, tmp_path / "out")
    assert "keywords.html" not in site.pages
    assert "themes/knowledge-management.html" not in site.pages
    for rel in site.pages:
        assert "knowledge-management.html" not in " ".join(site.links(rel)), rel
    _no_empty_blocks(site)
    book_page = site.page("book.html")
    assert book_page.find(".//dl[@class='facts imprint']") is None
    search = site.page("search.html")
    # a facet with a single value filters nothing: one theme, one region, one country, one place, one year
    assert search.findall(".//select") == []


def test_an_edition_without_entries_has_no_search_and_no_empty_blocks(project, tmp_path):
    (project / "entries/ke-one-stop.yaml").unlink()
    site = build_project(project, tmp_path / "out")
    assert "search.html" not in site.pages and not (site.folder / "search").exists()
    for rel in site.pages:
        for target, _fragment in site.internal_links(rel):
            assert target in site.pages or (site.folder / target).is_file(), (rel, target)
    _no_empty_blocks(site)


def test_search_page_offers_one_filter_per_useful_facet(sample, multilingual):
    book, site, _ = sample
    selects = {s.get("name"): [o.get("value") for o in s.iter("option")] for s in site.page("search.html").iter("select")}
    assert list(selects) == ["theme", "region", "country", "place"]  # one year only: no year filter
    assert selects["theme"][1:] == [t.id for t in book.edition.themes]
    assert selects["place"][0] == "" and set(selects["place"][1:]) == {e.place for e in book.entries}
    facets = json.loads((site.folder / "search/facets.json").read_text(encoding="utf-8"))
    assert facets["facets"] == ["theme", "region", "country", "place", "year"]
    assert len(facets["entries"]) == len(book.entries)  # one row per entry in book order: [first id, facet values...]
    assert sorted({entry for entry, _ in facets["ids"].values()}) == list(range(len(book.entries)))
    languages = sorted(p.name for p in (site.folder / "search").iterdir() if p.is_dir())
    assert languages == sorted({(e.language or "en").split("-")[0] for e in book.entries})
    bundles = json.loads(site.page("search.html").get_element_by_id("search").get("data-bundles"))
    assert bundles[0]["path"] == "search/en/" and sorted(b["path"] for b in bundles) == [f"search/{x}/" for x in languages]
    # each bundle says the scripts of its words: a query loads the bundles of its letters' scripts
    scripts = {b["lang"]: b["scripts"] for b in bundles}
    assert scripts["en"] == ["Latn"] and scripts["ar"] == ["Arab"] and scripts["ru"] == ["Cyrl"]
    for lang in languages:  # Pagefind's own UI is not shipped: the site has its own page
        assert not list((site.folder / "search" / lang).glob("*ui*"))


# --- web fonts ----------------------------------------------------------------------------------------------


def _cmaps(site: Site) -> dict[str, set[int]]:
    from fontTools.ttLib import TTFont

    return {p.name: set(TTFont(p).getBestCmap()) for p in (site.folder / "assets/fonts").glob("*.woff2")}


def test_web_fonts_cover_every_character_the_pages_show(multilingual):
    book, site = multilingual
    cmaps = _cmaps(site)
    assert {name.split(".")[0] for name in cmaps} == {"NotoSans", "NotoSans-Italic", "NotoSerif", "NotoSerif-Italic",
                                                      "NotoSansArabic", "NotoSansSC", "NotoSansSymbols"}
    symbols = next(v for k, v in cmaps.items() if k.startswith("NotoSansSymbols"))
    assert ord("→") in symbols  # the stylesheet's own arrows ("All 12 initiatives →") have a face too
    covered = set().union(*cmaps.values())
    for rel, page in site.pages.items():
        shown = {ord(c) for c in page.text_content() if not c.isspace()}
        shown |= {ord(c) for el in page.iter() for name in ("alt", "placeholder", "aria-label", "title")
                  for c in (el.get(name) or "") if not c.isspace()}
        missing = sorted(chr(c) for c in shown - covered)
        assert not missing, f"{rel}: no web font has {missing[:10]}"


def test_web_fonts_hold_only_what_the_site_uses(multilingual):
    book, site = multilingual
    cmaps = _cmaps(site)
    chinese = next(v for k, v in cmaps.items() if k.startswith("NotoSansSC"))
    zh = next(e for e in book.entries if e.language == "zh")
    han = {c for c in chinese if 0x4E00 <= c <= 0x9FFF}
    assert han == {ord(c) for c in zh.title + zh.summary + zh.institution + zh.keywords[0]
                   + "".join(t for _, t in zh.sections) + "中文" if 0x4E00 <= ord(c) <= 0x9FFF}  # 中文: the keywords' group
    assert max(p.stat().st_size for p in (site.folder / "assets/fonts").iterdir()) < 200_000
    css = next((site.folder / "assets").glob("style.*.css")).read_text(encoding="utf-8")
    assert css.count("@font-face {") == len(cmaps) and "unicode-range: U+" in css


def test_arabic_and_chinese_are_never_slanted(multilingual):
    _, site = multilingual
    css = next((site.folder / "assets").glob("style.*.css")).read_text(encoding="utf-8")
    assert re.search(r":lang\(zh\)[^{]*\{[^}]*font-synthesis: none", css)
    assert re.search(r":lang\(ar\).*:is\(em, i, cite[^{]*\{ font-style: normal; \}", css)


def test_pages_name_the_entries_language_for_the_right_face(multilingual):
    book, site = multilingual
    for e in book.entries:
        if e.language:
            assert site.page(f"entries/{e.id}.html").find(".//h1").get("lang") == e.language
    titles = [(h.get("lang"), text(h)) for h in site.page("index.html").cssselect(".card-title")]
    assert ("zh", ENTRIES[4][5]) in titles


def test_every_script_gets_its_web_font_and_the_rest_is_reported(project, tmp_path):
    from fontTools.ttLib import TTFont

    from tests.helpers import ENTRY

    # Hebrew has a Noto face (the PDF's too); Cherokee has none
    write(project, "entries/ke-one-stop.yaml", ENTRY.replace('title: "One-stop shops"', 'title: "שירות אחד ᏣᎳᎩ"'))
    book, _ = load_book(project)
    ctx = RenderContext(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    render(book, ctx)
    hebrew = [p for p in (tmp_path / "out/html/assets/fonts").iterdir() if p.name.startswith("NotoSansHebrew.")]
    assert len(hebrew) == 1 and ord("ש") in TTFont(hebrew[0]).getBestCmap()
    css = next((tmp_path / "out/html/assets").glob("style.*.css")).read_text(encoding="utf-8")
    assert f'font-family: "Compendium Scripts";\n  src: url("fonts/{hebrew[0].name}")' in css
    found = [w for w in ctx.warnings if w.code == "html.font"]
    assert len(found) == 1 and found[0].source.path == "entries/ke-one-stop.yaml"
    assert "'Ꮳ' (U+13E3)" in found[0].message and "ש" not in found[0].message
    assert "reader's own fonts" in found[0].message


def test_glosses_from_the_entry_files_are_shown_in_the_sites_language(multilingual):
    from tests.render.html.editions import GLOSSES

    book, site = multilingual
    for entry_id, typed in GLOSSES.items():
        gloss = typed.replace("'", "’")  # with the site's apostrophes (book.typography: "The citizen’s desk")
        page = site.page(f"entries/{entry_id}.html")
        shown = page.find(".//p[@class='gloss gloss-title']")
        assert text(shown) == gloss and shown.get("lang") is None  # the page's language (en)
        cards = [c for c in site.page("index.html").iter("li") if f"entries/{entry_id}.html" in
                 [a.get("href") for a in c.iter("a")]]
        assert cards and gloss in text(cards[0])
    assert site.page("entries/ru-budget.html").find(".//p[@class='gloss gloss-title']") is None  # none given


# --- the visitor's second review (issue 13): menu, addresses, mixed directions, keywords, home ---------------


def test_menu_names_award_ranking_and_leads_to_theme_and_region_pages(multilingual):
    _, site = multilingual
    home = site.page("index.html")
    menu = {a.get("href"): (text(a), a.get("aria-current")) for a in home.cssselect("nav.site-nav a")}
    assert menu["places.html"][0] == "Award ranking"  # not "Places", which reads as geography
    assert menu["themes/index.html"][0] == "Themes" and menu["regions/index.html"][0] == "Regions"
    assert "2014" in home.findtext(".//title")  # the tab says which edition
    themes = site.page("themes/index.html")
    assert [h.get("href") for h in themes.cssselect("main h2 a")] == ["../themes/service-delivery.html",
                                                                     "../themes/participation.html"]  # edition order
    # a theme's page marks the menu's Themes as the current section; the pages of the menu mark themselves
    theme = site.page("themes/participation.html")
    current = {a.get("href"): a.get("aria-current") for a in theme.cssselect("nav.site-nav a")}
    assert current["../themes/index.html"] == "true" and not current["../regions/index.html"]
    assert {a.get("href"): a.get("aria-current") for a in site.page("places.html").cssselect("nav.site-nav a")}[
        "places.html"] == "page"


def test_cards_within_a_theme_come_first_places_first(multilingual):
    _, site = multilingual
    for page in ("themes/participation.html", "themes/service-delivery.html"):
        places = [text(p) for p in site.page(page).cssselect(".entry-card .place")]
        order = ["First place", "Second place", "Third place"]
        assert places == sorted(places, key=order.index) and len(places) >= 2, (page, places)


def test_keywords_in_other_scripts_are_grouped_under_their_language(multilingual):
    _, site = multilingual
    page = site.page("keywords.html")
    heads = [(text(h), h.get("lang")) for h in page.cssselect("h2.letter")]
    # A–Z for the site's script, then each other script under its language's own name: no "ا" or "一" as letters
    assert heads == [("C", None), ("L", None), ("Русский", "ru"), ("العربية", "ar"), ("中文", "zh")]
    bar = [text(a) for a in page.cssselect("nav.letters a")]
    assert bar == [h for h, _ in heads]


def test_arabic_entry_isolates_its_text_and_uses_arabic_punctuation(tmp_path):
    from PIL import Image

    from compendium.book.facts import credit_label
    from compendium.book.labels import labels
    from compendium.book.voice import voice

    root = multilingual_project(tmp_path / "p")
    (root / "entries/images").mkdir()
    Image.new("RGB", (640, 360), (40, 90, 160)).save(root / "entries/images/chart.png")
    zajel = root / "entries/ar-zajel.yaml"
    write(root, "entries/ar-zajel.yaml", zajel.read_text(encoding="utf-8") + (
        "partners:\n  - وزارة المالية\n  - الجهاز المركزي للمعلومات\n"
        "contact:\n  name: مريم الخليفة\n  email: zajel-service-desk@ega.gov.bh\n  public: true\n"
        "images:\n  - file: images/chart.png\n    alt: رسم بياني\n    caption: نمو الاستخدام\n"
        "    credit: هيئة الحكومة الإلكترونية\n"))
    page = build_project(root, tmp_path / "out").page("entries/ar-zajel.html")
    comma = voice("ar").separator
    assert comma.strip() == "،"
    facts = {text(d.getprevious()): d for d in page.cssselect(".facts-more dd")}
    assert text(facts["Partners"]) == f"وزارة المالية{comma}الجهاز المركزي للمعلومات".strip()
    assert facts["Partners"].get("dir") == "rtl" and facts["Contact"].get("dir") == "rtl"
    assert text(facts["Contact"]).startswith(f"مريم الخليفة{comma.strip()}")
    mail = facts["Contact"].cssselect("a")[0]
    # the address reads left to right inside the Arabic line, and may break only after its "@"
    assert mail.get("dir") == "ltr" and lxml.html.tostring(mail, encoding="unicode").count("<wbr>") == 1
    assert "@<wbr>" in lxml.html.tostring(mail, encoding="unicode")
    assert text(page.cssselect("figcaption .credit-label")[0]) == credit_label(labels("ar"))
    # Cite as: the institution and the title isolated (bdi, cite) with their direction, kept apart
    cite = page.cssselect("p.citation")[0]
    parts = [(el.tag, el.get("dir")) for el in cite if el.tag in ("bdi", "cite")]
    assert parts == [("bdi", "rtl"), ("cite", "rtl")]
    assert ", Bahrain. " in text(cite)


def test_citation_gives_an_address_only_when_the_edition_has_a_public_one(multilingual, project, tmp_path):
    _, site = multilingual  # no url: no bare path that looks like an address
    cite = site.page("entries/en-lighthouse.html").cssselect("p.citation")[0]
    assert not cite.cssselect("a") and "entries/" not in text(cite)
    write(project, "compendium.yaml", (project / "compendium.yaml").read_text() + "url: https://awards.example.org/2012\n")
    public = build_project(project, tmp_path / "out")
    page = public.page("entries/ke-one-stop.html")
    assert page.cssselect("p.citation a")[0].get("href") == "https://awards.example.org/2012/entries/ke-one-stop.html"
    og = {m.get("property"): m.get("content") for m in public.page("index.html").iter("meta") if m.get("property")}
    assert og["og:url"] == "https://awards.example.org/2012/index.html"
    rows = (public.folder / "entries.csv").read_text(encoding="utf-8-sig")
    assert "https://awards.example.org/2012/entries/ke-one-stop.html" in rows


def test_home_opens_with_the_introduction_and_labels_the_feed(sample):
    _, site, _ = sample
    home = site.page("index.html")
    lead = home.cssselect(".intro-lead")[0]
    first_card = home.cssselect(".entry-card")[0]
    order = list(home.iter())
    assert order.index(lead) < order.index(first_card)  # a sentence of what this is before the cards
    assert lead.cssselect("a")[0].get("href") == "#introduction" and home.get_element_by_id("introduction") is not None
    assert 40 < len(text(lead)) < 500
    # the theme headings are links and say how many initiatives they lead to
    chips = home.cssselect(".group-chips a")
    assert chips and all(a.get("href").startswith("#") and a.cssselect(".n") for a in chips)
    feed = [li for li in home.cssselect(".data-links li") if li.cssselect("a[href='feed.xml']")][0]
    assert feed.cssselect("a")[0].get("type") == "application/atom+xml" and "feed reader" in text(feed)
