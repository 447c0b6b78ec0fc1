"""HTML renderer: the sample edition's site is read back (parsed pages, links, index) and checked
like a reader, a search user and a template author would."""
from __future__ import annotations

import hashlib
import json
import pickle
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from compendium.book.group import entry_sort_key
from compendium.book.text import clean_url
from compendium.errors import CompendiumError
from compendium.model import PLACES, Book
from compendium.output.build import load_book
from compendium.render.common import RenderContext
from compendium.render.html import render
from compendium.render.html.markdown import MarkdownCache, shift_headings
from tests.helpers import (
    EDITION,
    ENTRY,
    REPO,
    SAMPLE,
    Site,
    build_project,
    hostile_project,
    render_site,
    write,
)


@pytest.fixture
def site(sample_site: Site) -> Site:
    return sample_site


@pytest.fixture
def book(sample_book: Book) -> Book:
    return sample_book


def text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


# --- pages and structure -----------------------------------------------------------------------


def test_every_page_is_written(site: Site, book: Book) -> None:
    expected = {"index.html", "book.html", "search.html", "countries.html", "places.html", "keywords.html",
                "themes/index.html", "regions/index.html"}
    expected |= {f"entries/{e.id}.html" for e in book.entries}
    expected |= {f"themes/{t.id}.html" for t in book.edition.themes}
    expected |= {f"regions/{re.sub('[^a-z]+', '-', r.lower()).strip('-')}.html" for r in book.edition.regions}
    assert set(site.pages) == expected
    for name in ("search/facets.json", "entries.json", "entries.schema.json", "entries.csv", "feed.xml"):
        assert (site.folder / name).is_file(), name


def test_every_page_has_one_h1_lang_landmarks_and_a_skip_link(site: Site) -> None:
    for rel, page in site.pages.items():
        assert len(page.findall(".//h1")) == 1, rel
        assert page.get("lang") == "en", rel
        assert page.find(".//main[@id='main']") is not None, rel
        assert page.find(".//header") is not None and page.find(".//footer") is not None, rel
        assert page.find(".//nav[@aria-label='Main']") is not None, rel
        skip = page.find(".//body/a")
        assert skip is not None and skip.get("href") == "#main", rel
        assert page.find(".//title").text.strip(), rel
        for img in page.iter("img"):
            assert img.get("alt"), (rel, img.get("src"))


def test_headings_never_skip_a_level(site: Site) -> None:
    for rel, page in site.pages.items():
        levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1, rel
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, (rel, levels)


def test_all_internal_links_and_anchors_resolve_and_are_relative(site: Site) -> None:
    ids = {rel: {el.get("id") for el in page.iter() if el.get("id")} for rel, page in site.pages.items()}
    for rel, page in site.pages.items():
        for el in page.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if not value:
                    continue
                scheme = urlsplit(value).scheme
                if el.tag == "a" and scheme in ("http", "https", "mailto"):
                    continue  # links the entries give (websites, Markdown links) and the citation's permanent address
                if el.tag == "link" and el.get("rel") == "canonical":
                    assert value.startswith("https://publicadministration.un.org/unpsa/2012/"), value
                    continue  # the page's public address (the sample edition's url)
                assert not scheme and not value.startswith("/"), f"{rel}: {attr}={value} is not relative"
                target, fragment = site.resolve(rel, value)
                assert (site.folder / target).is_file(), f"{rel}: {value} is missing"
                if fragment and target.endswith(".html"):
                    assert fragment in ids[target], f"{rel}: #{fragment} not in {target}"


def test_every_entry_is_reachable_from_the_home_page(site: Site, book: Book) -> None:
    seen, todo = {"index.html"}, ["index.html"]
    while todo:
        page = todo.pop()
        for target, _ in site.internal_links(page):
            if target.endswith(".html") and target not in seen and target != "book.html":
                seen.add(target)
                todo.append(target)
    assert {f"entries/{e.id}.html" for e in book.entries} <= seen


def test_home_links_into_every_part_in_book_order(site: Site, book: Book) -> None:
    home = site.page("index.html")
    first = home.find(f".//section[@id='{book.edition.group_by[0]}s']")
    hrefs = [a.get("href") for a in first.findall(".//h3/a")]
    assert hrefs == [f"themes/{p.key}.html" for p in book.parts]
    assert home.find(".//svg[@role='img']") is not None
    table = home.find(".//table[@class='overview']")
    assert table.findall(".//tfoot//td")[-1].text == str(len(book.entries))


def test_theme_and_region_pages_list_entries_first_places_first(site: Site, book: Book) -> None:
    def ranked(entries):  # first places first, book order within a place
        return [f"../entries/{e.id}.html" for _, e in sorted(enumerate(entries), key=lambda ie: (PLACES.index(ie[1].place), ie[0]))]

    for part in book.parts:  # theme-first: a part page shows one grid of its entries; its regions as chips
        page = site.page(f"themes/{part.key}.html")
        assert [a.get("href") for a in page.findall(".//a[@class='entry-link']")] == ranked(
            [e for c in part.chapters for e in c.entries])
        if len(part.chapters) > 1:
            assert [" ".join(a.text.split()) for a in page.cssselect("nav.toc a")] == [c.title for c in part.chapters]
    africa = [e for e in book.entries if e.region == "Africa"]
    page = site.page("regions/africa.html")
    listed = [a.get("href").split("/")[-1][:-5] for a in page.findall(".//a[@class='entry-link']")]
    assert sorted(listed) == sorted(e.id for e in africa)
    themes = [t.id for t in book.edition.themes]
    order = sorted(africa, key=lambda e: (themes.index(e.theme.id), entry_sort_key(e)))
    assert ["../entries/" + x + ".html" for x in listed] == ranked(order)


def test_entry_page_shows_every_field(site: Site, book: Book) -> None:
    e = next(e for e in book.entries if e.images and e.partners)
    page = site.page(f"entries/{e.id}.html")
    article = page.find(".//article")
    assert text(article.find(".//h1")) == " ".join(e.title.split())
    h2s = [text(h) for h in article.findall(".//h2")]
    assert h2s[:5] == ["Summary", "The problem", "The solution", "Impact", "Lessons learned"]
    facts = text(article.find(".//dl"))
    for value in (e.country.name, e.region, e.theme.name, e.place_label, e.institution):
        assert " ".join(value.split()) in facts
    figures = article.findall(".//figure")
    assert len(figures) == len(e.images)
    for fig, img in zip(figures, e.images):
        assert fig.find("img").get("alt") == img.alt
        assert int(fig.find("img").get("width")) == img.width
        if img.caption:
            assert img.caption in text(fig.find("figcaption"))
        if img.credit:
            assert img.credit in text(fig.find("figcaption"))
    more = text(article.find(".//section[@class='entry-section entry-more']"))
    for p in e.partners:
        assert p in more
    if e.public_contact:  # the sample prints no contact (its contacts are for the secretariat only)
        assert e.public_contact.email in more
        assert page.find(".//a[@href='mailto:" + e.public_contact.email + "']") is not None
    if e.website:
        assert article.find(f".//a[@href='{e.website}']") is not None
    citation = text(page.find(".//p[@class='citation']"))
    assert e.title in citation and e.institution in citation and str(book.edition.edition) in citation
    assert citation.endswith(f"https://publicadministration.un.org/unpsa/2012/entries/{e.id}.html")  # the sample's url


def test_private_contact_is_never_shown(site: Site, book: Book) -> None:
    private = [e for e in book.entries if e.contact and not e.contact.public]
    assert private, "the sample edition should have an entry with a private contact"
    everything = b"".join(site.files().values()).decode("utf-8", "replace")
    for e in private:
        if e.contact.email:
            assert e.contact.email not in everything
        if e.contact.name:
            assert e.contact.name not in everything


def test_previous_and_next_follow_book_order(site: Site, book: Book) -> None:
    entries = book.entries
    for i, e in enumerate(entries):
        pager = site.page(f"entries/{e.id}.html").find(".//nav[@class='pager']")
        prev, nxt = pager.find("a[@rel='prev']"), pager.find("a[@rel='next']")
        assert (prev.get("href") if prev is not None else None) == (f"{entries[i - 1].id}.html" if i else None)
        assert (nxt.get("href") if nxt is not None else None) == (f"{entries[i + 1].id}.html" if i + 1 < len(entries) else None)


def test_entries_in_other_languages_carry_lang_and_dir(site: Site, book: Book) -> None:
    arabic = next(e for e in book.entries if e.language == "ar")
    page = site.page(f"entries/{arabic.id}.html")
    h1 = page.find(".//h1")
    assert (h1.get("lang"), h1.get("dir")) == ("ar", "rtl")
    # the entry's text in its language; the abstract (translated_summary) in the site's: it inherits the page's
    abstract = page.xpath("//div[contains(@class, 'abstract')]//div[contains(@class, 'prose')]")
    assert len(abstract) == 1 and abstract[0].get("lang") is None
    for div in page.xpath("//div[contains(@class, 'prose')][not(ancestor::div[contains(@class, 'abstract')])]"):
        assert (div.get("lang"), div.get("dir")) == ("ar", "rtl")
    for fig in page.findall(".//figure"):
        assert fig.get("lang") == "ar" and fig.get("dir") == "rtl"
    # the page chrome stays in the edition's language
    assert page.find(".//h2").get("lang") is None
    # and its title keeps lang/dir wherever it is listed
    for rel in (f"themes/{arabic.theme.id}.html", "countries.html", "book.html"):
        links = [a for a in site.page(rel).iter("a") if text(a) == " ".join(arabic.title.split())]
        # on the link, or on the card's heading (an Arabic card title is set from the right)
        said = [a if a.get("lang") else a.getparent() for a in links]
        assert links and all((x.get("lang"), x.get("dir")) == ("ar", "rtl") for x in said), rel
    chinese = next(e for e in book.entries if e.language.startswith("zh"))
    h1 = site.page(f"entries/{chinese.id}.html").find(".//h1")
    assert h1.get("lang") == chinese.language and h1.get("dir") is None


def test_indexes_by_country_place_and_keyword(site: Site, book: Book) -> None:
    countries = site.page("countries.html")
    names = [h.text.strip() for h in countries.findall(".//h3")]
    assert names == sorted({e.country.name for e in book.entries}, key=lambda n: n.casefold())
    for e in book.entries:
        h3 = countries.find(f".//h3[@id='c-{e.country.alpha2.lower()}']")
        assert h3 is not None and h3.text.strip() == e.country.name
    places = site.page("places.html")
    for e in book.entries:
        section = places.find(f".//h2[@id='place-{e.place}']/..")
        assert f"entries/{e.id}.html" in [a.get("href") for a in section.iter("a")]
    keywords = site.page("keywords.html")
    headings = {text(h.find("span")).casefold(): h.get("id") for h in keywords.findall(".//h3")}
    for e in book.entries:
        for kw in e.keywords:
            anchor = headings[kw.strip().casefold()]
            node = keywords.find(f".//h3[@id='{anchor}']").getnext()
            section_links = [a.get("href") for a in node.iter("a")]
            assert f"entries/{e.id}.html" in section_links


def test_book_html_holds_every_entry_in_order_with_a_contents(site: Site, book: Book) -> None:
    page = site.page("book.html")
    articles = page.findall(".//article")
    assert [a.get("id") for a in articles] == [f"entry-{e.id}" for e in book.entries]
    toc = [a.get("href") for a in page.find(".//nav[@class='book-toc']").iter("a")]
    assert [h for h in toc if h.startswith("#entry-")] == [f"#entry-{e.id}" for e in book.entries]
    for article, e in zip(articles, book.entries):
        assert text(article.find("h4")) == " ".join(e.title.split())
        assert [text(h) for h in article.findall(".//h5")][:5] == ["Summary", "The problem", "The solution", "Impact", "Lessons learned"]
    # the book reuses each entry's body: the same fragment as the entry page, re-rooted and re-levelled
    e = book.entries[0]
    entry_page = (site.folder / f"entries/{e.id}.html").read_text(encoding="utf-8")
    book_page = (site.folder / "book.html").read_text(encoding="utf-8")
    body = entry_page.split("</header>")[2].split("</article>")[0]
    assert len(body) > 1000
    ids = re.compile(r'id="(summary|problem|solution|impact|lessons|more|cite)"')
    expected = ids.sub(lambda m: f'id="{e.id}-{m.group(1)}"', body.replace('"../', '"'))
    assert shift_headings(expected, 4).strip() in book_page
    css = next((site.folder / "assets").glob("style.*.css")).read_text(encoding="utf-8")
    assert "@media print" in css


def test_overview_chart_is_accessible_svg(site: Site, book: Book) -> None:
    svg = site.page("index.html").find(".//svg")
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    assert [svg.find(f".//*[@id='{i}']").tag for i in labelled] == ["title", "desc"]
    assert len(svg.findall(".//rect")) >= len({(e.theme.id, e.region) for e in book.entries})


def test_assets_have_content_hashes_and_images_are_copied_once(site: Site, book: Book) -> None:
    assets = [p for p in (site.folder / "assets").rglob("*") if p.is_file() and p.parent.name != "fonts"]
    for p in assets:
        stem, digest, _ = p.name.rsplit(".", 2)
        assert digest == hashlib.sha256(p.read_bytes()).hexdigest()[:10], p.name
    # web fonts are named by what they are cut from (webfonts.Face.key), known before they are cut
    assert all(re.fullmatch(r"Noto[A-Za-z-]*\.[0-9a-f]{12}\.woff2", p.name) for p in (site.folder / "assets/fonts").iterdir())
    images = {i.path for e in book.entries for i in e.images}
    assert len(list((site.folder / "assets" / "img").iterdir())) == len({p.read_bytes() for p in images})


def test_no_external_requests(site: Site) -> None:
    for rel, page in site.pages.items():
        for el in page.iter("script", "link", "img", "iframe", "source", "video", "audio"):
            if el.tag == "link" and el.get("rel") in ("canonical", "alternate"):
                continue  # the page's public address names it; it is not fetched
            for attr in ("src", "href"):
                assert not urlsplit(el.get(attr) or "").scheme, (rel, el.tag, el.get(attr))
    for css in (site.folder / "assets").glob("*.css"):
        style = css.read_text(encoding="utf-8")
        assert "@import" not in style
        assert set(re.findall(r'url\("([^"]*)"\)', style)) == {f"fonts/{p.name}" for p in (site.folder / "assets/fonts").iterdir()}


# --- search index --------------------------------------------------------------------------------


# --- Markdown writer -----------------------------------------------------------------------------


def test_markdown_writer_escapes_and_keeps_only_safe_links() -> None:
    html = MarkdownCache(None).html('<b onclick="x">b</b> [a](javascript:alert(1)) [ok](<https://e.org/a b> "t") '
                                    '[m](mailto:x@e.org) [bad](http://) [p](https://e.org:99999/)')
    assert "<b" not in html and "&lt;b onclick=&#34;x&#34;&gt;" in html
    assert re.findall(r'href="([^"]*)"', html) == ["https://e.org/a%20b", "mailto:x@e.org"]
    assert 'title="t"' in html


def test_markdown_headings_are_relative_then_shifted() -> None:
    html = MarkdownCache(None).html("## Top\n\ntext\n\n### Below\n\n###### Deep\n")
    assert re.findall(r"<h(\d)>", html) == ["1", "2", "5"]
    assert re.findall(r"<h(\d)>", shift_headings(html, 3)) == ["3", "4", "6"]
    table = MarkdownCache(None).html("| a | b |\n|:-|-:|\n| 1 | 2 |\n")
    assert '<th scope="col" class="align-left">a</th>' in table and '<td class="align-right">2</td>' in table


def test_clean_url() -> None:
    assert clean_url("https://example.org/x?q=\"<>") == "https://example.org/x?q=%22%3C%3E"
    assert clean_url(" JavaScript:alert(1)") is None
    assert clean_url("https://-bad.example/") is None
    assert clean_url("https://bücher.example/") == "https://bücher.example/"


def test_invalid_links_are_shown_as_text_and_reported_once_by_validation(project: Path, tmp_path: Path) -> None:
    write(project, "entries/ke-one-stop.yaml", ENTRY.replace("One window.", "One [window](http://) and [ok](https://ok.example)."))
    book, result = load_book(project)
    warnings = result.warnings
    assert [(w.source.path, w.source.line, w.code) for w in warnings] == [("entries/ke-one-stop.yaml", 12, "entry.link")]
    assert "section 'solution'" in warnings[0].message and "'http://'" in warnings[0].message
    ctx = RenderContext(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    render(book, ctx)
    # the site does not report it again; it notes what a site without a url lacks (a note, never a failure)
    assert [(w.severity, w.code) for w in ctx.warnings] == [("note", "html.no-url")]
    page = Site(tmp_path / "out" / "html").page("entries/ke-one-stop.html")
    assert [a.get("href") for a in page.iter("a") if "ok.example" in a.get("href", "") or a.text == "window"] == ["https://ok.example"]
    ctx2 = RenderContext(out_dir=tmp_path / "out2", cache_dir=tmp_path / "cache")
    render(book, ctx2)  # from the cache: still reported
    assert ctx2.warnings == ctx.warnings


def test_markdown_cache_converts_each_field_once_across_builds(tmp_path: Path) -> None:
    fields = ["# A\n\ntext", "*b*", "| x |\n|---|\n| 1 |\n"]
    first = MarkdownCache(tmp_path)
    html = [first.html(f) for f in fields + fields]
    assert first.converted == 3
    first.save()
    second = MarkdownCache(tmp_path)
    assert [second.html(f) for f in fields] == html[:3] and second.converted == 0
    assert second.html("new") and second.converted == 1
    second.save()
    stored = pickle.loads((tmp_path / "fields.pickle").read_bytes())["fields"]
    assert len(stored) == 4  # only what the last build used is kept
    (tmp_path / "fields.pickle").write_bytes(b"not a pickle")
    damaged = MarkdownCache(tmp_path)
    assert damaged.html(fields[0]) == html[0] and damaged.converted == 1  # a damaged cache is only slower
    (tmp_path / "fields.pickle").write_bytes(pickle.dumps({"version": "older code", "fields": stored}))
    older = MarkdownCache(tmp_path)
    assert older.html(fields[0]) == html[0] and older.converted == 1  # another writer's fields: converted again


# --- reproducibility and caching -------------------------------------------------------------------


def test_two_builds_are_byte_identical_with_or_without_cache(tmp_path: Path, book: Book, site: Site) -> None:
    cache = tmp_path / "cache"
    first = render_site(book, tmp_path / "a", cache).files()
    assert (cache / "html" / "fields.pickle").is_file()
    second = render_site(book, tmp_path / "b", cache).files()  # warm cache
    assert first == second
    assert site.files() == first  # the module's build used another (cold) cache


def test_builds_in_separate_processes_are_byte_identical(tmp_path: Path) -> None:
    """Different hash seeds: no set or dict order may leak into the output."""
    import os
    import subprocess
    import sys

    script = ("import sys; from pathlib import Path; from compendium.output.build import load_book; "
              "from compendium.render.common import RenderContext; from compendium.render.html import render; "
              "out = Path(sys.argv[1]); render(load_book(Path(sys.argv[2]))[0], "
              "RenderContext(out_dir=out, cache_dir=out / 'cache'))")
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / seed), str(SAMPLE)], check=True, cwd=REPO,
                       env={**os.environ, "PYTHONHASHSEED": seed})
    assert Site(tmp_path / "1" / "html").files() == Site(tmp_path / "2" / "html").files()


# --- projects written for the test -----------------------------------------------------------------


def test_region_first_grouping(project: Path, tmp_path: Path) -> None:
    edition = EDITION.replace("themes:", "group_by: [region, theme]\nthemes:")
    write(project, "compendium.yaml", edition)
    write(project, "entries/gh.yaml", ENTRY.replace("country: KE", "country: GH").replace("One-stop shops", "Ghana shops"))
    write(project, "entries/fr.yaml", ENTRY.replace("country: KE", "country: FR").replace("service-delivery", "knowledge-management"))
    site = build_project(project, tmp_path / "out")
    home = site.page("index.html")
    sections = [s.get("id") for s in home.findall(".//section") if s.get("id") in ("themes", "regions")]
    assert sections == ["regions", "themes"]
    book = site.page("book.html")
    parts = [text(s.find("h2")) for s in book.findall(".//section[@class='book-part']") if s.get("id").startswith("part-")]
    assert parts == ["Africa", "Europe and North America"]
    assert (site.folder / "themes" / "knowledge-management.html").is_file()
    assert (site.folder / "regions" / "africa.html").is_file()


def test_template_override_extends_the_default(project: Path, tmp_path: Path) -> None:
    write(project, "templates/html/entry.html", """\
{% extends "default/html/entry.html" %}
{% block pager %}<p id="custom-footer">Printed by {{ edition.title }}</p>{{ super() }}{% endblock %}
""")
    write(project, "templates/html/assets/style.css", "body { color: #000; }\n")
    site = build_project(project, tmp_path / "out")
    page = site.page("entries/ke-one-stop.html")
    assert text(page.find(".//p[@id='custom-footer']")) == "Printed by Test Awards"
    assert page.find(".//p[@id='custom-footer']/../p") is not None
    assert page.find(".//article//h2") is not None  # the rest of the default page is there
    css = next((site.folder / "assets").glob("style.*.css"))
    style = css.read_text(encoding="utf-8")  # the web fonts' rules, then the project's stylesheet
    assert style.endswith("}\nbody { color: #000; }\n") and style.startswith("@font-face {")


def test_undefined_variable_in_a_template_is_a_located_error(project: Path, tmp_path: Path) -> None:
    write(project, "templates/html/places.html", '{% extends "default/html/places.html" %}\n'
                                                 "{% block heading %}\n{{ no_such_variable }}{% endblock %}\n")
    with pytest.raises(CompendiumError) as err:
        build_project(project, tmp_path / "out")
    assert re.search(r"templates/html/places\.html:3\b", str(err.value)), str(err.value)
    assert "no_such_variable" in str(err.value)
    assert err.value.issues and err.value.issues[0].source.line == 3


def test_cover_and_introduction(project: Path, tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (600, 800), (30, 60, 90)).save(project / "cover.png")
    write(project, "intro.md", "# Welcome\n\nHello *readers*.\n\n## Details\n\nMore.\n")
    write(project, "compendium.yaml", EDITION + "cover: cover.png\nintroduction: intro.md\n")
    site = build_project(project, tmp_path / "out")
    for rel in ("index.html", "book.html"):
        cover = site.page(rel).find(".//img[@class='cover']")
        assert cover.get("alt") == "Cover of Test Awards" and (cover.get("width"), cover.get("height")) == ("600", "800")
        assert (site.folder / site.resolve(rel, cover.get("src"))[0]).read_bytes() == (project / "cover.png").read_bytes()
    intro = site.page("index.html").find(".//section[@class='intro']")
    assert [h.tag for h in intro.iter("h2", "h3", "h4")] == ["h2", "h3", "h4"]  # demoted below "Introduction"
    assert intro.find(".//em").text == "readers"


def test_empty_optional_fields_and_one_entry(project: Path, tmp_path: Path) -> None:
    site = build_project(project, tmp_path / "out")
    page = site.page("entries/ke-one-stop.html")
    assert page.find(".//figure") is None
    assert page.find(".//section[@class='entry-section entry-more']") is None
    assert page.find(".//nav[@class='pager']/a") is None
    # a page or menu item with nothing to show is not made
    assert "keywords.html" not in site.pages
    assert all("keywords.html" not in href for rel in site.pages for href in site.links(rel))







def test_hostile_entries_are_inert(tmp_path: Path) -> None:
    import html5lib

    site = build_project(hostile_project(tmp_path / "p"), tmp_path / "out")
    own_scripts = {p.relative_to(site.folder).as_posix() for p in (site.folder / "assets").glob("*.js")}
    url_attrs = ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data")
    pages = sorted(site.folder.rglob("*.html"))
    assert len(pages) >= 8
    for path in pages:
        rel = path.relative_to(site.folder).as_posix()
        doc = html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            tag = el.tag.split("}")[-1]
            assert tag not in ("iframe", "object", "embed", "style", "base", "meta" if el.get("http-equiv") else "-"), (rel, tag)
            if tag == "script" and el.get("type") == "application/ld+json":
                # data, not code: entry text inside stays JSON (no "<" can close the element)
                assert "<" not in el.text and json.loads(el.text)["@type"] == "Article", rel
            elif tag == "script":
                assert not (el.text or "").strip(), f"{rel}: inline script"
                assert site.resolve(rel, el.get("src"))[0] in own_scripts, (rel, el.get("src"))
            if tag == "svg":
                assert el.get("class") == "chart", f"{rel}: an svg that is not the chart"
            for name, value in el.attrib.items():
                name = name.split("}")[-1].lower()
                assert not name.startswith("on"), f"{rel}: <{tag} {name}=...>"
                assert name != "style", f"{rel}: style attribute on <{tag}>"
                if name in url_attrs:
                    squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                    assert not squeezed.startswith(("javascript:", "data:", "vbscript:")), f"{rel}: {name}={value}"
                    assert urlsplit(value).scheme in ("", "http", "https", "mailto"), f"{rel}: {name}={value}"
    # the hostile text is still shown, as text
    page = site.page("entries/evil.html")
    # an Arabic entry: the title's quotes are the Arabic ones (book.typography), the text still inert
    assert "<script>alert(’title‘)</script>" in text(page.find(".//h1"))
    assert "<b onclick=alert(8)>bold</b>" in text(page)
    data = json.loads((site.folder / "entries.json").read_text(encoding="utf-8"))
    assert data["entries"][0]["title"].startswith("<script>")
    jsonld = page.xpath("//script[@type='application/ld+json']")[0].text
    assert json.loads(jsonld)["headline"].startswith("<script>alert(’title‘)</script>")
    for script in own_scripts:
        content = (site.folder / script).read_text(encoding="utf-8")
        assert "</script" not in content.lower()


def test_image_shared_by_two_entries_is_stored_once(project: Path, tmp_path: Path) -> None:
    from PIL import Image

    (project / "entries" / "images").mkdir()
    Image.new("RGB", (700, 400), (10, 120, 200)).save(project / "entries" / "images" / "a.png")
    shutil.copy(project / "entries" / "images" / "a.png", project / "entries" / "images" / "b.png")
    pictures = "images:\n  - {file: images/a.png, alt: A chart}\n"
    write(project, "entries/ke-one-stop.yaml", ENTRY + pictures)
    write(project, "entries/gh.yaml", ENTRY.replace("KE", "GH").replace("One-stop", "Two-stop") + pictures.replace("a.png", "b.png"))
    site = build_project(project, tmp_path / "out")
    assert len(list((site.folder / "assets" / "img").iterdir())) == 1
    srcs = {site.resolve(rel, img.get("src"))[0] for rel, p in site.pages.items() for img in p.iter("img")}
    assert len(srcs) == 1


def test_public_url_gives_permalinks_canonical_links_and_a_sitemap(project, tmp_path):
    from lxml import etree
    from lxml import html as lxml_html

    from compendium.output.build import build
    from tests.helpers import EDITION, write

    write(project, "compendium.yaml", EDITION + "url: https://awards.example.org/2012/\n")
    build(project, ["html"], out_dir=tmp_path / "out")
    site = tmp_path / "out/html"
    page = lxml_html.parse(str(site / "entries/ke-one-stop.html"))
    canonical = page.xpath("//link[@rel='canonical']/@href")
    assert canonical == ["https://awards.example.org/2012/entries/ke-one-stop.html"]
    cite = page.xpath("//p[@class='citation']//a/@href")
    assert cite == ["https://awards.example.org/2012/entries/ke-one-stop.html"]
    locs = etree.parse(str(site / "sitemap.xml")).xpath("//s:loc/text()",
                                                        namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert "https://awards.example.org/2012/index.html" in locs
    assert "https://awards.example.org/2012/entries/ke-one-stop.html" in locs
    assert locs == sorted(locs)


def test_without_public_url_links_stay_relative(project, tmp_path):
    from lxml import html as lxml_html

    from compendium.output.build import build

    build(project, ["html"], out_dir=tmp_path / "out")
    site = tmp_path / "out/html"
    page = lxml_html.parse(str(site / "entries/ke-one-stop.html"))
    assert not page.xpath("//link[@rel='canonical']")
    assert page.xpath("//p[@class='citation']//a/@href") == []  # a path is no citation: the address only with a url
    assert not (site / "sitemap.xml").exists()


def test_public_url_must_be_http(project):
    from compendium.input.validate import validate_project
    from tests.helpers import EDITION, write

    write(project, "compendium.yaml", EDITION + "url: javascript:alert(1)\n")
    codes = [i.code for i in validate_project(project).errors]
    assert codes == ["edition.url"]


def test_a_warm_build_keeps_the_pages_it_would_write_again(tmp_path):
    """After one entry changed, every other page is the last build's file (same inode: not written, not
    read again for the manifest), the changed entry's page is new, and the site is the one a cold build
    makes (the compiled templates kept in the cache change nothing either)."""
    import os

    from compendium.output.build import build
    from tests.helpers import EDITION, ENTRY, write

    root = tmp_path / "p"
    write(root, "compendium.yaml", EDITION)
    for n, country in enumerate(["KE", "BR", "FR"], 1):
        write(root, f"entries/e{n}.yaml", ENTRY.replace("One-stop shops", f"Initiative {n}").replace("KE", country))
    out = root / "output" / "html"
    build(root, ["html"])
    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
    write(root, "entries/e2.yaml", ENTRY.replace("One-stop shops", "Initiative 2").replace("KE", "BR")
          .replace("Start small.", "Start small, then grow."))
    build(root, ["html"])
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    entry_page = next(rel for rel in after if rel.startswith("entries/") and "grow" in (out / rel).read_text())
    assert entry_page in changed and "book.html" in changed  # the entry's text is on both
    assert len(changed) < len(after) / 2, changed

    cold = tmp_path / "cold"
    build(root, ["html"], out_dir=cold, clean=True)
    for p in out.rglob("*"):
        if p.is_file():
            assert (cold / "html" / p.relative_to(out)).read_bytes() == p.read_bytes(), p
    assert os.listdir(cold / "html") and sorted(os.listdir(cold / "html")) == sorted(os.listdir(out))
