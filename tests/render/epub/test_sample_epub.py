"""EPUB renderer on the sample edition: the book is read back (zip + XML) and checked like a reader would."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import PurePosixPath

import pytest

from compendium.book.facts import makers, roman, short_region
from compendium.book.labels import labels
from compendium.book.stats import overview
from compendium.book.voice import voice
from compendium.model import Book
from compendium.output.build import load_book
from compendium.render.common import RenderContext
from compendium.render.epub.nav import chapter_anchor, foreign, part_anchor
from compendium.render.epub.nav import entry_anchor as anchor
from compendium.render.imageprep import prepare
from tests.helpers import NS, SAMPLE, XML_LANG, Epub, build_epub, epubcheck


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Book, Epub, RenderContext]:
    book, _ = load_book(SAMPLE)
    out = tmp_path_factory.mktemp("epub")
    path, ctx = build_epub(book, out, out.parent / "cache")
    return book, Epub(path), ctx


def test_file_name_and_zip_layout(sample):
    book, epub, _ = sample
    assert epub.path.name == f"{book.edition.slug}-{book.edition.edition}.epub"
    infos = epub.zip.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert epub.zip.read("mimetype") == b"application/epub+zip"
    assert not infos[0].extra
    assert len({i.date_time for i in infos}) == 1  # one fixed timestamp
    assert "EPUB/toc.ncx" in epub.zip.namelist()  # the NCX for older readers


def test_nav_mirrors_book_order(sample):
    book, epub, _ = sample
    tree = epub.nav_tree()
    words = labels(book.edition.language)
    # the front matter the edition gives (foreword, acknowledgements, abbreviations), parts numbered as in the PDF
    assert [label for label, _, _ in tree] == [
        words["foreword"], words["acknowledgements"], words["abbreviations"], words["introduction"], words["overview"],
        *[f"{roman(n)}. {p.title}" for n, p in enumerate(book.parts, 1)], words["index_by_country"]]
    parts = tree[5:-1]
    for (_, frag, chapters), part in zip(parts, book.parts):
        assert frag == part_anchor(part.key)
        # chapters are headings over their entries (not links: they sit on the part's opener)
        assert [(c_label, c_frag) for c_label, c_frag, _ in chapters] == [(c.title, None) for c in part.chapters]
        for (_, _, entries), chapter in zip(chapters, part.chapters):
            assert [(t, f) for t, f, _ in entries] == [(e.title, anchor(e)) for e in chapter.entries]
    # every entry once, in book order
    assert [f for _, f in epub.nav_links() if f.startswith("e-")] == [anchor(e) for e in book.entries]
    # the NCX lists the same entries in the same order, chapters pointing at their first entry
    ncx = ET.fromstring(epub.zip.read("EPUB/toc.ncx"))
    points = [(p.find("ncx:navLabel/ncx:text", NS).text, p.find("ncx:content", NS).get("src").split("#")[-1])
              for p in ncx.iter(f"{{{NS['ncx']}}}navPoint")]
    assert [f for t, f in points if f.startswith("e-") and t not in {c.title for p in book.parts
                                                                      for c in p.chapters}] == \
        [anchor(e) for e in book.entries]
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:depth']", NS).get("content") == "3"


def test_contents_page_is_the_nav_with_countries(sample):
    book, epub, _ = sample
    _, contents = epub.element_by_id("contents")[0]
    links = [("".join(a.itertext()), a.get("href").split("#")[1]) for a in contents.iter(f"{{{NS['h']}}}a")]
    expected = []
    for label, frag, chapters in epub.nav_tree():
        expected.append((label, frag))
        for c_label, _, entries in chapters:
            expected.append((c_label, None))
            expected += [(t, f) for t, f, _ in entries]
    # the same lines in the same order; chapters link to their heading on the part's opener
    assert [t for t, _ in links] == [t for t, _ in expected]
    assert all(f == g for (_, f), (_, g) in zip(links, expected) if g is not None)
    for part in book.parts:
        for chapter in part.chapters:
            assert epub.file_of(chapter_anchor(part.key, chapter.key)) == epub.file_of(part_anchor(part.key))
    text = "".join(contents.itertext())
    assert all(e.country.name in text for e in book.entries)
    # a title in another language is followed by its gloss in the book's language (outside the link,
    # in the book's language), as in the PDF's contents: "一站式行政审批服务 One-stop administrative ... China"
    glosses = {"".join(s.itertext()) for s in contents.iter(f"{{{NS['h']}}}span") if s.get("class") == "gloss"}
    foreign = [e for e in book.entries if e.language and e.translated_title]
    assert len(foreign) >= 4 and glosses == {e.translated_title for e in foreign}
    for e in foreign:
        assert f"{e.title} {e.translated_title} {e.country.name}" in " ".join(text.split())


def test_chapters_are_headings_in_their_part_not_screens(sample):
    book, epub, _ = sample
    for name in epub.spine:
        root = epub.xhtml[name]
        headings = [el for el in root.iter() if re.fullmatch(r"\{.*\}h[1-6]", el.tag)]
        words = len("".join(root.find("h:body", NS).itertext()).split())
        assert headings or "cover" in name, name
        assert words >= 12 or "cover" in name, (name, words)  # no near-empty screen
    for part in book.parts:
        name = epub.file_of(part_anchor(part.key))
        h2 = ["".join(h.itertext()) for h in epub.xhtml[name].iter(f"{{{NS['h']}}}h2")]
        assert h2 == [c.title for c in part.chapters]
        opener = "".join(epub.xhtml[name].itertext())
        assert all(e.title in opener for e in part.entries)


def test_entry_title_is_the_page_heading(sample):
    book, epub, _ = sample
    for entry in book.entries:
        name = epub.file_of(anchor(entry))
        levels = [int(el.tag[-1]) for el in epub.xhtml[name].iter() if re.fullmatch(r"\{.*\}h[1-6]", el.tag)]
        assert levels[0] == 3 and min(levels) == 3 and levels.count(3) == 1, (entry.id, levels)
        assert levels[1:5] == [4, 4, 4, 4]
        # the summary is set apart, right after the facts
        _, section = epub.element_by_id(anchor(entry))[0]
        kids = [el for el in section if el.tag != f"{{{NS['h']}}}h3"]
        if entry.translated_title:  # the title in the book's language, as a gloss under the heading
            gloss = kids.pop(0)
            assert gloss.get("class") == "translated-title" and "".join(gloss.itertext()) == entry.translated_title
            assert gloss.get("lang") == book.edition.language
        assert kids[0].get("class") == "entry-meta" and kids[1].get("class") == "summary"
    css = next(epub.zip.read(n).decode() for n in epub.zip.namelist() if n.endswith(".css"))
    title = float(re.search(r"section\.entry > h3 \{ font-size: ([\d.]+)em", css).group(1))
    others = [float(x) for x in re.findall(r"^h[2-6] \{ font-size: ([\d.]+)em", css, re.M)]
    assert others and title > max(others)


def test_landmarks(sample):
    book, epub, _ = sample
    nav = epub.xhtml[epub.nav_name].find(".//h:nav[@epub:type='landmarks']", NS)
    marks = {a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in nav.iter(f"{{{NS['h']}}}a")}
    assert set(marks) == {"cover", "toc", "bodymatter", "index"}
    assert marks["bodymatter"].endswith(f"#{part_anchor(book.parts[0].key)}")
    for href in marks.values():
        target = epub.resolve(href, PurePosixPath(epub.nav_name))
        frag = href.split("#")[1] if "#" in href else None
        assert target in epub.xhtml and (frag is None or any(el.get("id") == frag for el in epub.xhtml[target].iter()))


def test_spine_order_follows_the_book(sample):
    book, epub, _ = sample
    order = []
    for name in epub.spine:
        for el in epub.xhtml[name].iter():
            if el.tag.endswith("section") and "entry" in (el.get("class") or "").split():
                order.append(el.get("id"))
    assert order == [anchor(e) for e in book.entries]
    first_ids = [next((el.get("id") for el in epub.xhtml[n].iter() if el.tag.endswith("section")), None)
                 for n in epub.spine]
    assert first_ids[1:8] == ["title-page", "imprint", "contents", "foreword", "acknowledgements", "abbreviations",
                              "introduction"]
    assert "cover" in epub.spine[0]


def test_every_entry_once_with_its_parts(sample):
    book, epub, _ = sample
    for entry in book.entries:
        found = epub.element_by_id(anchor(entry))
        assert len(found) == 1, entry.id
        name, section = found[0]
        text = "".join(section.itertext())
        assert entry.title in text and entry.institution in text and entry.country.name in text
        assert entry.theme.name in text and entry.place_label in text
        headings = [" ".join("".join(h.itertext()).split()) for h in section.iter(f"{{{NS['h']}}}h4")]
        book_words = ["The problem", "The solution", "Impact", "Lessons learned"]
        if foreign(entry, book):  # the heading in the entry's language, then the book's
            own = [labels(entry.language).section(k) for k in ("problem", "solution", "impact", "lessons")]
            assert headings == [o if o == b else f"{o} {b}" for o, b in zip(own, book_words)], entry.id
        else:
            assert headings == book_words
        contact = entry.contact
        if contact and not contact.public:
            assert contact.email not in text and contact.name not in text
        if entry.public_contact and entry.public_contact.email:
            assert entry.public_contact.email in text
        if entry.website:
            assert any(a.get("href") == entry.website for a in section.iter(f"{{{NS['h']}}}a"))
        for partner in entry.partners:
            assert partner in text


def test_documents_have_meaningful_titles(sample):
    book, epub, _ = sample
    titles = {name: root.find("h:head/h:title", NS).text for name, root in epub.xhtml.items()}
    assert not [t for t in titles.values() if not t or t.endswith(".xhtml") or t == "book"]
    for entry in book.entries:
        name, _ = epub.element_by_id(anchor(entry))[0]
        assert titles[name] == entry.title
    assert titles[epub.nav_name] == "Contents"


def test_images_present_with_alt_text(sample):
    book, epub, ctx = sample
    epub_cache = ctx.cache_dir
    names = set(epub.zip.namelist())
    for entry in (e for e in book.entries if e.images):
        _, section = epub.element_by_id(anchor(entry))[0]
        name = next(n for n, root in epub.xhtml.items() if any(el is section for el in root.iter()))
        imgs = list(section.iter(f"{{{NS['h']}}}img"))
        assert [i.get("alt") for i in imgs] == [im.alt for im in entry.images]
        for img, image in zip(imgs, entry.images):
            member = epub.resolve(img.get("src"), PurePosixPath(name))
            assert member in names
            assert epub.zip.read(member) == prepare(image, epub_cache).read_bytes()  # the normalised copy
        captions = ["".join(f.itertext()) for f in section.iter(f"{{{NS['h']}}}figcaption")]
        for image in entry.images:
            if image.caption:
                assert any(image.caption in c for c in captions)


def test_metadata(sample):
    book, epub, _ = sample
    ed = book.edition
    ident = epub.opf.get("unique-identifier")
    # the electronic edition's own ISBN (eisbn), not the print one
    assert ed.eisbn and ed.eisbn != ed.isbn
    assert epub.opf.find(f"opf:metadata/dc:identifier[@id='{ident}']", NS).text == f"urn:isbn:{ed.eisbn}"
    assert epub.dc("title") == [ed.title, ed.subtitle]
    assert epub.dc("language") == [ed.language]
    assert epub.dc("publisher") == [ed.publisher]
    assert epub.dc("date") == [ed.date.isoformat()]
    assert epub.dc("creator") == list(ed.editors or makers(ed))  # else the issuing bodies (the title page's)
    assert ed.license in epub.dc("rights")[0]
    assert epub.meta("dcterms:modified") == [f"{ed.date.isoformat()}T00:00:00Z"]
    # accessibility metadata that tells the truth: the book has pictures, all with alt text
    assert set(epub.meta("schema:accessMode")) == {"textual", "visual"}
    assert "textual" in epub.meta("schema:accessModeSufficient")
    assert "alternativeText" in epub.meta("schema:accessibilityFeature")
    assert epub.meta("schema:accessibilityHazard") == ["none"]
    assert epub.meta("schema:accessibilitySummary")[0]
    # cover image declared
    assert any("cover-image" in i.get("properties", "") for i in epub.manifest.values())


def test_languages_and_direction(sample):
    book, epub, _ = sample
    seen = set()
    for entry in book.entries:
        _, section = epub.element_by_id(anchor(entry))[0]
        if entry.language and entry.language != book.edition.language:
            assert section.get("lang") == entry.language and section.get(XML_LANG) == entry.language
            assert section.get("dir") == entry.dir
            seen.add(entry.language)
            # labels in the book's language are marked back
            meta = section.find(".//h:dl", NS)
            assert meta.get("lang") == book.edition.language and meta.get("dir") == "ltr"
        else:
            assert section.get("lang") is None
    assert {"ar", "zh", "ru", "fr"} <= seen
    arabic = next(e for e in book.entries if e.language == "ar")
    assert epub.element_by_id(anchor(arabic))[0][1].get("dir") == "rtl"
    # the nav marks the language of foreign titles too
    nav = epub.xhtml[epub.nav_name]
    spans = [s for s in nav.iter(f"{{{NS['h']}}}span") if s.get("lang") == "ar"]
    assert spans and spans[0].get("dir") == "rtl"


def test_fonts_embedded_as_subsets(sample):
    _, epub, _ = sample
    fonts = [n for n in epub.zip.namelist() if n.startswith("EPUB/fonts/")]
    assert sorted(PurePosixPath(f).name for f in fonts) == [
        "NotoNaskhArabic-Bold.ttf", "NotoNaskhArabic-Regular.ttf",  # Arabic running text, as in the PDF
        "NotoSans-Bold.ttf", "NotoSans-Regular.ttf", "NotoSansArabic-Bold.ttf", "NotoSansArabic-Regular.ttf",
        "NotoSansSC-Bold.ttf", "NotoSansSC-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-BoldItalic.ttf",
        "NotoSerif-Italic.ttf", "NotoSerif-Regular.ttf"]
    for f in fonts:
        assert len(epub.zip.read(f)) < 300_000  # subset, not the 17 MB CJK font
    assert sum(len(epub.zip.read(f)) for f in fonts) < 1_100_000
    css = next(epub.zip.read(n).decode() for n in epub.zip.namelist() if n.endswith(".css"))
    assert 'url("../fonts/NotoSansArabic-Regular.ttf")' in css and ":lang(ar)" in css and ":lang(zh)" in css
    assert ':lang(ar) { font-family: "Noto Naskh Arabic", "Noto Sans Arabic"' in css
    assert 'h1:lang(ar), h1 :lang(ar)' in css  # headings in the sans Arabic
    # reflowable: no absolute lengths in the stylesheet
    assert not re.search(r"\d(px|pt|cm|mm|in)\b", css.replace("1px solid", "").replace("2px solid", ""))


def test_subset_font_covers_the_text(sample):
    import io

    from fontTools.ttLib import TTFont

    book, epub, _ = sample
    zh = next(e for e in book.entries if e.language == "zh")
    cmap = TTFont(io.BytesIO(epub.zip.read("EPUB/fonts/NotoSansSC-Regular.ttf"))).getBestCmap()
    han = {c for c in zh.summary + zh.title if "\u4e00" <= c <= "\u9fff"}
    assert han and all(ord(c) in cmap for c in han)


def test_internal_links_resolve(sample):
    _, epub, _ = sample
    ids = {(name, el.get("id")) for name, root in epub.xhtml.items() for el in root.iter() if el.get("id")}
    checked = 0
    for name, root in epub.xhtml.items():
        for a in root.iter(f"{{{NS['h']}}}a"):
            href = a.get("href") or ""
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            target = epub.resolve(href, PurePosixPath(name)) if not href.startswith("#") else name
            frag = href.split("#")[1] if "#" in href else None
            assert target in epub.xhtml, href
            if frag:
                assert (target, frag) in ids, href
            checked += 1
    assert checked > 3 * 17  # contents, chapter lists, index, nav


def test_index_by_country_links_every_entry_once(sample):
    book, epub, _ = sample
    _, index = epub.element_by_id("index")[0]
    links = [a.get("href").split("#")[1] for a in index.iter(f"{{{NS['h']}}}a")]
    assert sorted(links) == sorted(anchor(e) for e in book.entries)
    countries = ["".join(s.itertext()) for s in index.iter(f"{{{NS['h']}}}span") if s.get("class") == "country"]
    assert countries == sorted({e.country.name for e in book.entries}, key=str.casefold)


def test_front_matter(sample):
    book, epub, _ = sample
    ed = book.edition
    text = {ident: "".join(epub.element_by_id(ident)[0][1].itertext())
            for ident in ("title-page", "imprint", "introduction", "overview")}
    assert ed.title in text["title-page"] and ed.subtitle in text["title-page"]
    assert "ISBN 978-92-1-123194-6" in text["imprint"] and ed.license in text["imprint"]
    # the United Nations' wording (book.facts.imprint), as the PDF prints it
    assert f"© {ed.publisher}, 2012. All rights reserved" in text["imprint"]
    assert "Publication date: 23 June 2012" in text["imprint"]
    assert f"United Nations publication, Sales No. {ed.sales_number}" in text["imprint"] and ed.symbol in text["imprint"]
    assert "or concerning the delimitation of its frontiers or boundaries" in text["imprint"]
    assert all(name in text["imprint"] for name in ed.editors)
    assert "United Nations Public Service Day" in text["introduction"]
    table = epub.element_by_id("overview")[0][1].find(".//h:table", NS)
    cells = [[("".join(c.itertext())) for c in row] for row in table.iter(f"{{{NS['h']}}}tr")]
    # region heads abbreviated for phone screens, the full name in the abbreviation's title
    assert cells[0] == ["Category", *[short_region(r) for r in ed.regions], "Total"]
    abbrs = {a.text: a.get("title") for a in table.iter(f"{{{NS['h']}}}abbr")}
    assert abbrs["Asia–Pac."] == "Asia and the Pacific" and set(abbrs.values()) <= set(ed.regions)
    assert "–" in [c for row in cells for c in row] and "0" not in [c for row in cells for c in row]
    assert cells[-1][0] == "Total" and cells[-1][-1] == str(len(book.entries))


def test_reproducible_bytes(sample, tmp_path):
    book, epub, _ = sample
    again, _ = build_epub(book, tmp_path, tmp_path / "cache")  # a cold font cache too
    assert again.read_bytes() == epub.path.read_bytes()


def test_no_warnings_on_the_sample(sample):
    _, _, ctx = sample
    assert ctx.warnings == []


@pytest.mark.slow
def test_epubcheck_sample_is_clean(sample):
    assert epubcheck(sample[1].path) == []


def test_overview_chart_is_svg_with_a_text_alternative(sample):
    book, epub, _ = sample
    name = epub.file_of("overview")
    root = epub.xhtml[name]
    svg = root.find(".//{http://www.w3.org/2000/svg}svg")
    assert svg is not None and svg.get("role") == "img"
    named = [root.find(f".//*[@id='{ident}']") for ident in svg.get("aria-labelledby").split()]
    assert [el.tag.split("}")[1] for el in named] == ["title", "desc"]
    assert named[0].text == "Figure 1. Initiatives by category and region"  # numbered as in the PDF
    assert named[1].text.startswith(f"Stacked bar chart of {len(book.entries)} initiatives")
    # one bar segment per non-empty cell, named by its region and count
    segments = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}title")][1:]
    assert len(segments) == sum(1 for row in overview(book).cells for n in row if n)
    item = next(i for i in epub.manifest.values() if epub.resolve(i["href"]) == name)
    assert "svg" in item.get("properties", "").split()  # EPUB 3 requires it for inline SVG


def test_cover_is_the_shared_design(sample, tmp_path):
    import io

    from PIL import Image

    from compendium.render.cover import screen_cover

    book, epub, ctx = sample
    cover = next(i for i in epub.manifest.values() if "cover-image" in i.get("properties", ""))
    data = epub.zip.read(epub.resolve(cover["href"]))
    assert data == screen_cover(book, ctx.cache_dir, []).read_bytes()  # the PDF's cover, scaled for screens
    with Image.open(io.BytesIO(data)) as im:
        assert im.width == 1600 and abs(im.height / im.width - 297 / 210) < 0.002  # the A4 page's proportions
    page = next(n for n in epub.xhtml if n.endswith("cover.xhtml"))
    svg = epub.xhtml[page].find(".//{http://www.w3.org/2000/svg}svg")
    assert svg.get("aria-label") == f"Cover of {book.edition.title}"


def test_credits_keywords_and_facts_are_labelled(sample):
    book, epub, _ = sample
    for entry in book.entries:
        _, section = epub.element_by_id(anchor(entry))[0]
        facts = section.find("h:dl[@class='entry-meta']", NS)
        labels_ = ["".join(dt.itertext()) for dt in facts.iter(f"{{{NS['h']}}}dt")]
        assert labels_[:5] == ["Country", "Region", "Category", "Award", "Institution"]
        if entry.keywords:
            assert labels_[5] == "Keywords"
            # in the book's language, separated as it separates a list (the PDF does the same)
            sep = voice(book.edition.language).separator
            assert "".join(facts.findall("h:dd", NS)[5].itertext()) == sep.join(entry.keywords)
        captions = list(section.iter(f"{{{NS['h']}}}figcaption"))
        for image, caption in zip(entry.images, captions):
            if image.credit:
                label = next(s for s in caption.iter(f"{{{NS['h']}}}span") if s.get("class") == "credit-label")
                said = "المصدر:" if entry.language == "ar" else labels(entry.language or "en")["credit"]
                assert "".join(label.itertext()) == said  # 'Source:' in the caption's language
                assert " ".join("".join(caption.itertext()).split()).endswith(f"{said} {image.credit}")
    assert any(e.keywords for e in book.entries) and any(i.credit for e in book.entries for i in e.images)


def test_accessibility_claims(sample):
    book, epub, _ = sample
    # the sample names no outside certifier: no self-certified conformance claim (test_epub_meta: with one)
    assert book.edition.accessibility_certifier == ""
    assert epub.meta("dcterms:conformsTo") == [] and epub.meta("a11y:certifiedBy") == []
    assert "a11y:" not in epub.opf.get("prefix", "")  # declared only for a certifier's a11y:certifiedBy
    features = set(epub.meta("schema:accessibilityFeature"))
    assert {"alternativeText", "structuralNavigation", "tableOfContents", "index", "readingOrder"} <= features
    for kind, role in (("part", "doc-part"), ("introduction", "doc-introduction"), ("index", "doc-index"),
                       ("toc", "doc-toc")):
        sections = [el for root in epub.xhtml.values() for el in root.iter(f"{{{NS['h']}}}section")
                    if el.get(f"{{{NS['epub']}}}type") == kind]
        assert sections and all(el.get("role") == role for el in sections), kind
