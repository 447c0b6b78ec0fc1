"""EPUB renderer on test editions: a hostile entry, every Markdown feature, languages, overrides."""
from __future__ import annotations

import io
import re

import pytest

from compendium.errors import CompendiumError
from compendium.output.build import load_book
from compendium.render.epub.nav import entry_anchor as anchor
from tests.helpers import NS, Epub, build_epub, epubcheck, write
from tests.render.epub.editions import make_project, png


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("project"))
    book, _ = load_book(root)
    path, ctx = build_epub(book, root / "out", root / ".cache")
    return book, Epub(path), ctx


def _all_elements(epub: Epub):
    for name, root in epub.xhtml.items():
        for el in root.iter():
            yield name, el


def test_hostile_fields_are_inert(edition):
    _, epub, _ = edition
    for name, el in _all_elements(epub):
        tag = el.tag.split("}")[-1]
        if tag == "style":  # pandoc's empty <style> in <head> only
            assert not (el.text or "").strip(), name
        elif tag in ("svg", "image"):  # pandoc's cover page wraps the cover image in SVG; the overview chart
            assert name.endswith("cover.xhtml") or name == epub.file_of("overview"), name
        else:
            assert tag not in ("script", "iframe", "object", "embed", "form", "math", "link") or (
                tag == "link" and el.get("rel") == "stylesheet"), (name, tag)
        for key, value in el.attrib.items():
            assert not key.split("}")[-1].lower().startswith("on"), (name, tag, key)
            if key in ("href", "src", "{http://www.w3.org/1999/xlink}href"):
                assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), (name, value)
    # the text survived, as text
    _, section = epub.element_by_id(anchor(next(e for e in edition[0].entries if e.id == "hostile")))[0]
    text = "".join(section.itertext())
    # a one-line field gets the book's quotation marks (book.typography), and stays text
    assert "<script>alert(‘t’)</script>" in text and '<img src=x onerror=alert(1)>' in text
    assert '<a href="javascript:alert(2)" onclick="steal()">' in text
    assert "]]>" in text and "<!-- comment -->" in text


def test_hostile_headings_do_not_open_parts(edition):
    book, epub, _ = edition
    nav = epub.nav_links()
    assert not any("Fake" in t or "Heading" in t for t, _ in nav)
    assert [f for _, f in nav if f.startswith("e-")] == [anchor(e) for e in book.entries]
    # and they sit below the entry's own heading levels
    _, section = epub.element_by_id("e-hostile")[0]
    levels = [int(el.tag[-1]) for el in section.iter() if re.fullmatch(r"\{.*\}h[1-6]", el.tag)]
    assert levels[0] == 3 and min(levels[1:]) >= 4


def test_control_characters_removed(edition):
    _, epub, _ = edition
    for name in epub.xhtml:
        raw = epub.zip.read(name).decode("utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", raw), name


def test_markdown_features(edition):
    _, epub, _ = edition
    _, section = epub.element_by_id("e-markdown")[0]
    tags = [el.tag.split("}")[-1] for el in section.iter()]
    for tag in ("em", "strong", "code", "blockquote", "ol", "ul", "table", "thead", "pre", "hr", "br", "h5", "h6"):
        assert tag in tags, tag
    assert "del" in tags or "s" in tags
    ols = [el for el in section.iter(f"{{{NS['h']}}}ol")]
    assert any(ol.get("start") == "3" for ol in ols)
    link = next(a for a in section.iter(f"{{{NS['h']}}}a") if "".join(a.itertext()) == "a link")
    assert link.get("href") == "https://example.org" and link.get("title") == "with title"
    code = "".join(next(section.iter(f"{{{NS['h']}}}pre")).itertext())
    assert 'return x < 1 and "<tag>"' in code
    cells = ["".join(td.itertext()) for td in section.iter(f"{{{NS['h']}}}td")]
    assert cells[:4] == ["a", "b", "c", "d"] and cells[4] == "short row"
    text = "".join(section.itertext())
    assert "[x] done" in text


def test_languages_fonts_and_images(edition):
    book, epub, _ = edition
    _, ar = epub.element_by_id("e-arabic")[0]
    assert (ar.get("lang"), ar.get("dir")) == ("ar", "rtl")
    img = next(ar.iter(f"{{{NS['h']}}}img"))
    assert img.get("alt") == "رسم بياني <script>"
    _, zh = epub.element_by_id("e-chinese")[0]
    assert (zh.get("lang"), zh.get("dir")) == ("zh", "ltr")
    fonts = sorted(n.rsplit("/", 1)[1] for n in epub.zip.namelist() if "/fonts/" in n and "Noto" in n)
    assert [f for f in fonts if "Arabic" in f or "SC" in f] == [
        "NotoNaskhArabic-Bold.ttf", "NotoNaskhArabic-Regular.ttf",  # Arabic running text
        "NotoSansArabic-Bold.ttf", "NotoSansArabic-Regular.ttf", "NotoSansSC-Bold.ttf", "NotoSansSC-Regular.ttf"]
    assert set(epub.meta("schema:accessMode")) == {"textual", "visual"}


def test_identifier_without_isbn_is_stable_uuid(edition, tmp_path):
    book, epub, _ = edition
    ident = epub.dc("identifier")[0]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", ident)
    again, _ = build_epub(book, tmp_path, tmp_path / "cache")
    assert Epub(again).dc("identifier")[0] == ident
    assert again.read_bytes() == epub.path.read_bytes()


def test_title_and_imprint_escape_edition_fields(edition):
    _, epub, _ = edition
    _, title = epub.element_by_id("title-page")[0]
    assert "Hostile & <Test> Awards" in "".join(title.itertext())
    assert "Every feature, <b>bold</b> or not" in "".join(title.itertext())
    assert epub.dc("title") == ["Hostile & <Test> Awards", "Every feature, <b>bold</b> or not"]


@pytest.mark.slow
def test_epubcheck_test_edition_is_clean(edition):
    assert epubcheck(edition[1].path) == []


# ---------------------------------------------------------------------------- other editions


def test_latin_book_embeds_no_script_fonts(project, tmp_path):
    book, _ = load_book(project)
    path, ctx = build_epub(book, tmp_path / "out", tmp_path / "cache")
    epub = Epub(path)
    assert sorted(n.rsplit("/", 1)[1] for n in epub.zip.namelist() if "/fonts/" in n) == [
        "NotoSans-Bold.ttf", "NotoSans-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-BoldItalic.ttf",
        "NotoSerif-Italic.ttf", "NotoSerif-Regular.ttf"]
    # the overview chart is visual content with a text alternative, in every book
    assert epub.meta("schema:accessMode") == ["textual", "visual"]
    assert epub.dc("date") == ["2012"]  # no publication date: the award year, never the build date
    assert ctx.warnings == []


def test_template_override_and_extension(project, tmp_path):
    write(project, "templates/epub/entry_meta.xhtml",
          '<p class="custom-meta">From {{ entry.country.name }} &amp; {{ entry.institution }}</p>\n')
    write(project, "templates/epub/epub.css",
          '{% extends "default/epub/epub.css" %}{% block extra %}.custom-meta { color: teal; }{% endblock %}\n')
    book, _ = load_book(project)
    path, _ = build_epub(book, tmp_path / "out", tmp_path / "cache", project / "templates")
    epub = Epub(path)
    _, section = epub.element_by_id(anchor(book.entries[0]))[0]
    custom = [el for el in section.iter() if el.get("class") == "custom-meta"]
    assert custom and "".join(custom[0].itertext()) == "From Kenya & Ministry of Public Service"
    css = next(epub.zip.read(n).decode() for n in epub.zip.namelist() if n.endswith(".css"))
    assert ".custom-meta { color: teal; }" in css and "dl.entry-meta" in css


def test_ill_formed_template_is_a_located_error(project, tmp_path):
    write(project, "templates/epub/imprint.xhtml", "<p>Unclosed<br></p>\n")
    book, _ = load_book(project)
    with pytest.raises(CompendiumError) as err:
        build_epub(book, tmp_path / "out", tmp_path / "cache", project / "templates")
    assert "imprint.xhtml" in str(err.value) and "well-formed" in str(err.value)


def test_right_to_left_edition(project, tmp_path):
    text = (project / "compendium.yaml").read_text().replace("title: Test Awards", "title: Test Awards\nlanguage: ar")
    write(project, "compendium.yaml", text)
    book, _ = load_book(project)
    epub = Epub(build_epub(book, tmp_path / "out", tmp_path / "cache")[0])
    assert epub.opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert epub.dc("language") == ["ar"]
    _, section = epub.element_by_id(anchor(book.entries[0]))[0]
    assert section.get("dir") == "rtl"
    # every document reads right to left, the navigation and the cover page included
    assert {root.get("dir") for root in epub.xhtml.values()} == {"rtl"}


def test_edition_cover_image_is_used(project, tmp_path):
    write(project, "cover.png", png(800, 1200))
    text = (project / "compendium.yaml").read_text() + "cover: cover.png\n"
    write(project, "compendium.yaml", text)
    book, _ = load_book(project)
    epub = Epub(build_epub(book, tmp_path / "out", tmp_path / "cache")[0])
    cover = next(i for i in epub.manifest.values() if "cover-image" in i.get("properties", ""))
    from PIL import Image

    with Image.open(io.BytesIO(epub.zip.read(epub.resolve(cover["href"])))) as im:
        assert im.size == (800, 1200)
