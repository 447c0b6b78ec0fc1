"""EPUB renderer on the sample edition: the book is read back (zip + XML) and checked like a reader would."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import PurePosixPath

import pytest

from compendium.model import Book
from compendium.render.common import RenderContext, chapter_anchor, epub_entry_anchor, part_anchor
from compendium.render.imageprep import prepare
from tests.helpers import NS, XML_LANG, Epub, build_epub, epubcheck


@pytest.fixture(scope="module")
def sample(sample_book, sample_epub) -> tuple[Book, Epub, RenderContext]:
    epub, ctx = sample_epub
    return sample_book, epub, ctx


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
    fragments = [f for _, f in epub.nav_links()]
    expected = []
    for part in book.parts:
        expected.append(part_anchor(part.key))
        for chapter in part.chapters:
            expected.append(chapter_anchor(part.key, chapter.key))
            expected += [epub_entry_anchor(e.id) for e in chapter.entries]
    structural = [f for f in fragments if f.startswith(("part-", "ch-", "e-"))]
    assert structural == expected
    assert fragments[0] == "introduction" and fragments[-1] == "index"
    # nav labels are the entries' titles
    titles = dict((f, t) for t, f in epub.nav_links())
    assert all(titles[epub_entry_anchor(e.id)] == e.title for e in book.entries)
    # the NCX lists the same entries in the same order
    ncx = ET.fromstring(epub.zip.read("EPUB/toc.ncx"))
    ncx_frags = [c.get("src").split("#")[-1] for c in ncx.iter(f"{{{NS['ncx']}}}content")]
    assert [f for f in ncx_frags if f.startswith("e-")] == [epub_entry_anchor(e.id) for e in book.entries]


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
    assert order == [epub_entry_anchor(e.id) for e in book.entries]
    first_ids = [next((el.get("id") for el in epub.xhtml[n].iter() if el.tag.endswith("section")), None)
                 for n in epub.spine]
    assert first_ids[1:5] == ["title-page", "imprint", "contents", "introduction"]
    assert "cover" in epub.spine[0]


def test_every_entry_once_with_its_parts(sample):
    book, epub, _ = sample
    for entry in book.entries:
        found = epub.element_by_id(epub_entry_anchor(entry.id))
        assert len(found) == 1, entry.id
        name, section = found[0]
        text = "".join(section.itertext())
        assert entry.title in text and entry.institution in text and entry.country.name in text
        assert entry.theme.name in text and entry.place_label in text
        headings = [("".join(h.itertext())) for h in section.iter(f"{{{NS['h']}}}h4")]
        assert headings == ["The problem", "The solution", "Impact", "Lessons learned"]
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
        name, _ = epub.element_by_id(epub_entry_anchor(entry.id))[0]
        assert titles[name] == entry.title
    assert titles[epub.nav_name] == "Contents"


def test_images_present_with_alt_text(sample):
    book, epub, ctx = sample
    epub_cache = ctx.cache_dir
    names = set(epub.zip.namelist())
    for entry in (e for e in book.entries if e.images):
        _, section = epub.element_by_id(epub_entry_anchor(entry.id))[0]
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
    assert epub.opf.find(f"opf:metadata/dc:identifier[@id='{ident}']", NS).text == f"urn:isbn:{ed.isbn}"
    assert epub.dc("title") == [ed.title, ed.subtitle]
    assert epub.dc("language") == [ed.language]
    assert epub.dc("publisher") == [ed.publisher]
    assert epub.dc("date") == [ed.date.isoformat()]
    assert epub.dc("creator") == list(ed.editors)
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
        _, section = epub.element_by_id(epub_entry_anchor(entry.id))[0]
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
    assert epub.element_by_id(epub_entry_anchor(arabic.id))[0][1].get("dir") == "rtl"
    # the nav marks the language of foreign titles too
    nav = epub.xhtml[epub.nav_name]
    spans = [s for s in nav.iter(f"{{{NS['h']}}}span") if s.get("lang") == "ar"]
    assert spans and spans[0].get("dir") == "rtl"


def test_fonts_embedded_for_arabic_and_chinese_only(sample):
    _, epub, _ = sample
    fonts = [n for n in epub.zip.namelist() if n.startswith("EPUB/fonts/")]
    assert sorted(PurePosixPath(f).name for f in fonts) == [
        "NotoSansArabic-Bold.ttf", "NotoSansArabic-Regular.ttf", "NotoSansSC-Bold.ttf", "NotoSansSC-Regular.ttf"]
    for f in fonts:
        assert len(epub.zip.read(f)) < 600_000  # subset, not the 17 MB CJK font
    css = next(epub.zip.read(n).decode() for n in epub.zip.namelist() if n.endswith(".css"))
    assert 'url("../fonts/NotoSansArabic-Regular.ttf")' in css and ":lang(ar)" in css and ":lang(zh)" in css
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
    assert sorted(links) == sorted(epub_entry_anchor(e.id) for e in book.entries)
    countries = ["".join(s.itertext()) for s in index.iter(f"{{{NS['h']}}}span") if s.get("class") == "country"]
    assert countries == sorted({e.country.name for e in book.entries}, key=str.casefold)


def test_front_matter(sample):
    book, epub, _ = sample
    ed = book.edition
    text = {ident: "".join(epub.element_by_id(ident)[0][1].itertext())
            for ident in ("title-page", "imprint", "introduction", "overview")}
    assert ed.title in text["title-page"] and ed.subtitle in text["title-page"]
    assert ed.isbn in text["imprint"] and ed.license in text["imprint"] and ed.publisher in text["imprint"]
    assert ed.editors[0] in text["imprint"]
    assert "United Nations Public Service Day" in text["introduction"]
    table = epub.element_by_id("overview")[0][1].find(".//h:table", NS)
    cells = [[("".join(c.itertext())) for c in row] for row in table.iter(f"{{{NS['h']}}}tr")]
    assert cells[0] == ["Category", *ed.regions, "Total"]
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
