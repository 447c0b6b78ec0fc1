"""EPUB renderer pieces: tree → pandoc AST, identifiers and dates, the zip re-pack, fonts, the cover."""
from __future__ import annotations

import uuid
import zipfile
from dataclasses import replace
from datetime import date

import pytest

from compendium.book.scripts import has_arabic
from compendium.book.text import clean_url, parse
from compendium.output.build import load_book
from compendium.render.common import build_epoch
from compendium.render.epub import fonts as epub_fonts
from compendium.render.epub.meta import identifier, package_meta
from compendium.render.epub.repack import labelled_cover, repack, titled
from compendium.render.pandoc import TreeWriter, inlines


def _walk(blocks):
    for b in blocks if isinstance(blocks, list) else [blocks]:
        if isinstance(b, dict):
            yield b
            c = b.get("c")
            if isinstance(c, list):
                for x in c:
                    yield from _walk(x if isinstance(x, list) else [x])
        elif isinstance(b, list):
            yield from _walk(b)


def test_text_stays_text_and_runs_stay_whole():
    blocks = TreeWriter(4, "x").blocks(parse("Hello <b>world</b> & *you*\n\n# Title"))
    para, header = blocks
    assert para["t"] == "Para"
    assert para["c"][0] == {"t": "Str", "c": "Hello <b>world</b> & "}  # one Str, not one per word
    assert para["c"][1]["t"] == "Emph"
    assert header["t"] == "Header" and header["c"][0] == 5  # below the entry's sections (level 4)
    assert header["c"][1] == ["x-h1", ["unnumbered", "unlisted"], []]


def test_heading_levels_are_capped_and_never_skip():
    blocks = TreeWriter(4, "x").blocks(parse("###### six\n\n## two"))
    assert [b["c"][0] for b in blocks] == [5, 6]  # `######` first: one below the floor, not a jump to 6
    assert [b["c"][1][0] for b in blocks] == ["x-h1", "x-h2"]  # unique anchors
    levels = [b["c"][0] for b in TreeWriter(1, "y").blocks(parse("# a\n\n### b\n\n#### c\n\n## d\n\n# e"))]
    assert levels == [2, 3, 4, 3, 2]


def test_only_safe_links_become_links():
    kinds = [n["t"] for n in _walk(inlines(parse("[a](javascript:alert(1)) [b](https://e.org) <https://f.org>")
                                          .children[0].children))]
    assert kinds.count("Link") == 2
    links = [n for n in _walk(TreeWriter(4, "x").blocks(parse("[a](javascript:x) [b](mailto:a@b.org)")))
             if n["t"] == "Link"]
    assert [link["c"][2][0] for link in links] == ["mailto:a@b.org"]


def test_lists_tables_code():
    md = "3. a\n4. b\n\n- x\n  - y\n\n| h | i |\n|:-|-:|\n| 1 | 2 |\n\n```\n<code>\n```\n"
    blocks = TreeWriter(4, "x").blocks(parse(md))
    kinds = [b["t"] for b in blocks]
    assert kinds == ["OrderedList", "BulletList", "Div", "CodeBlock"]
    assert blocks[0]["c"][0][0] == 3
    wrap, (table,) = blocks[2]["c"]  # a table sits in a box that may scroll sideways
    assert wrap[1] == ["table-wrap"] and table["t"] == "Table"
    assert [c[0]["t"] for c in table["c"][2]] == ["AlignLeft", "AlignRight"]
    assert blocks[3]["c"][1] == "<code>"


def test_link_targets_are_valid_urls():
    assert clean_url("https://e.org/a b?q=<1>&r=\"2\"") == "https://e.org/a%20b?q=%3C1%3E&r=%222%22"
    assert clean_url("https://e.org/%41%zz#a#b") == "https://e.org/%41%25zz#a%23b"
    assert clean_url("https://例え.jp/パス") == "https://例え.jp/パス"


def test_identifier_and_dates(project):
    book, _ = load_book(project)
    ed = book.edition
    ident = identifier(ed)
    assert ident.startswith("urn:uuid:") and uuid.UUID(ident[9:]).version == 5
    assert identifier(ed) == ident
    assert identifier(replace(ed, edition=2013)) != ident
    assert identifier(replace(ed, isbn="9789211231946")) == "urn:isbn:9789211231946"
    # the EPUB is the electronic edition: its own ISBN (eisbn) when the edition gives one
    assert identifier(replace(ed, isbn="9789211231946", eisbn="9789210554114")) == "urn:isbn:9789210554114"
    assert build_epoch(ed) == 1325376000  # 2012-01-01: no date given, the award year
    assert build_epoch(replace(ed, date=date(2012, 6, 23))) == 1340409600


def test_zip_dates_start_in_1980(tmp_path):
    src = tmp_path / "in.epub"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("EPUB/a.xhtml", "<a/>")
    repack(src, tmp_path / "out.epub", 0)  # SOURCE_DATE_EPOCH=0, or an edition dated 1970
    with zipfile.ZipFile(tmp_path / "out.epub") as z:
        assert all(i.date_time >= (1980, 1, 1, 0, 0, 0) for i in z.infolist())


def test_repack_is_deterministic_and_ocf_conformant(tmp_path):
    src = tmp_path / "in.epub"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("META-INF/container.xml", "<c/>")
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("EPUB/b.xhtml", "b" * 1000)
        z.writestr("EPUB/", "")
    repack(src, tmp_path / "a.epub", 1340409600)
    repack(src, tmp_path / "b.epub", 1340409600)
    assert (tmp_path / "a.epub").read_bytes() == (tmp_path / "b.epub").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.epub") as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == ["mimetype", "META-INF/container.xml", "EPUB/b.xhtml"]
        assert infos[0].compress_type == zipfile.ZIP_STORED and infos[2].compress_type == zipfile.ZIP_DEFLATED
        assert {i.date_time for i in infos} == {(2012, 6, 23, 0, 0, 0)}
    assert (tmp_path / "a.epub").read_bytes()[30:38] == b"mimetype"  # first local header, no extra field



def test_kept_members_are_not_deflated_again_and_the_zip_is_the_same(tmp_path, monkeypatch):
    """The last build's deflated members (kept.Deflated) stand in for deflating the same bytes again:
    the EPUB is the same bytes as without them, and after one chapter changed only it is deflated."""
    import zlib

    from compendium.kept import Deflated
    from compendium.render.epub.repack import ZIP_LEVEL

    members = {"mimetype": b"application/epub+zip", "META-INF/container.xml": b"<c/>",
               **{f"EPUB/text/ch{n:03}.xhtml": f"<p>chapter {n} </p>".encode() * (200 + n) for n in range(1, 6)},
               "EPUB/media/file0.png": bytes(range(256)) * 40}
    calls = []
    real = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj", lambda *a: calls.append(a) or real(*a))

    def built(name: str, source: dict[str, bytes], memo: Deflated | None) -> bytes:
        repack(source, tmp_path / name, 1340409600, deflated=memo)
        if memo is not None:
            memo.save()
        return (tmp_path / name).read_bytes()

    plain = built("plain.epub", members, None)
    cache = tmp_path / "cache" / "book.pickle"
    calls.clear()
    assert built("first.epub", members, Deflated(cache, wbits=-15, level=ZIP_LEVEL)) == plain
    assert len(calls) == len(members) - 1  # every member but the stored mimetype
    calls.clear()
    assert built("again.epub", members, Deflated(cache, wbits=-15, level=ZIP_LEVEL)) == plain
    assert calls == []  # nothing deflated: every member kept
    changed = {**members, "EPUB/text/ch003.xhtml": b"<p>chapter 3, revised</p>" * 300}
    calls.clear()
    assert built("changed.epub", changed, Deflated(cache, wbits=-15, level=ZIP_LEVEL)) == built("fresh.epub", changed, None)
    assert len(calls) == 1 + len(members) - 1  # the changed chapter; then the whole fresh zip by zipfile itself
    with zipfile.ZipFile(tmp_path / "changed.epub") as z:
        assert z.testzip() is None and z.read("EPUB/text/ch003.xhtml") == changed["EPUB/text/ch003.xhtml"]

def test_titled_takes_the_first_heading():
    page = b'<head><title>ch012.xhtml</title></head><body><h3 lang="ar"><span>A &amp; <em>B</em></span></h3><h4>x</h4>'
    assert titled(page).startswith(b"<head><title>A &amp; B</title>")
    assert titled(b"<title>cover</title><p>no heading</p>") == b"<title>cover</title><p>no heading</p>"


def test_cover_svg_gets_a_text_alternative():
    page = b'<title>Book &amp; Co</title></head><body><svg xmlns="x" width="100%"><image /></svg>'
    out = labelled_cover(page)
    assert b'<svg xmlns="x" width="100%" role="img" aria-label="Cover: Book &amp; Co">' in out
    assert b"<title>Cover: Book &amp; Co</title><image />" in out


def test_font_needs_follow_the_scripts():
    base = [epub_fonts.SERIF, epub_fonts.SANS]
    assert epub_fonts.needed("plain Latin, кириллица, ελληνικά") == base
    assert epub_fonts.needed("مرحبا") == [*base, epub_fonts.ARABIC, epub_fonts.NASKH]  # sans for heads, Naskh for text
    assert epub_fonts.needed("中文 and مرحبا") == [*base, epub_fonts.ARABIC, epub_fonts.NASKH, epub_fonts.CHINESE_SC]
    # every script face the PDF has is embedded when the book prints its characters
    families = [f.family for f in epub_fonts.needed("שלום, नमस्ते and a star ⭐")]
    assert families[2:] == ["Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Symbols", "Noto Emoji"]


def test_subsets_keep_blocks_but_ideographs_and_emoji_one_by_one():
    from compendium.render.fontsubset import coverage

    kept = coverage("aé中😀")
    assert {chr(c) for c in range(0x80, 0x100)} <= set(kept)  # é brings Latin-1 whole
    assert "中" in kept and "丁" not in kept and "😀" in kept and "😁" not in kept


def test_missing_font_package_is_a_warning(project, tmp_path, monkeypatch):
    text = (project / "entries/ke-one-stop.yaml").read_text().replace("Queues.", "Queues: مرحبا")
    (project / "entries/ke-one-stop.yaml").write_text(text)
    book, _ = load_book(project)
    missing = replace(epub_fonts.ARABIC, source=replace(epub_fonts.ARABIC.source, package="no_such_font_package_xyz"))
    monkeypatch.setattr(epub_fonts, "SCRIPTS", ((has_arabic, missing),))
    warnings: list = []
    fonts = epub_fonts.embed_fonts(book, warnings)
    assert {f.family for f in fonts} == {"Noto Serif", "Noto Sans"}
    assert len(warnings) == 1 and "pip install fontpkg-noto-sans-arabic" in warnings[0].message


def test_scripts_without_italics_stay_upright(project, tmp_path):
    text = (project / "entries/ke-one-stop.yaml").read_text().replace("year: 2012", "year: 2012\nlanguage: ar")
    (project / "entries/ke-one-stop.yaml").write_text(text.replace("Queues.", "طوابير."))
    book, _ = load_book(project)
    css = epub_fonts.font_css(epub_fonts.embed_fonts(book, []), book)
    assert ":lang(ar) { font-style: normal !important; }" in css
    assert ":lang(en)" not in css  # English keeps its italics
    assert ':lang(ar) { font-family: "Noto Sans Arabic", "Noto Sans", sans-serif; }' in css


@pytest.mark.parametrize("weight", [400, 700])
def test_static_faces_are_cut_from_the_variable_font(weight, tmp_path, project):
    pytest.importorskip("fontpkg_noto_sans_arabic", reason="pip install fontpkg-noto-sans-arabic")
    from fontTools.ttLib import TTFont

    text = (project / "entries/ke-one-stop.yaml").read_text().replace("Queues.", "Queues: مرحبا بكم")
    (project / "entries/ke-one-stop.yaml").write_text(text)
    book, _ = load_book(project)
    fonts = epub_fonts.embed_fonts(book, [])
    face = next(f for f in fonts if f.weight == weight and f.family == "Noto Sans Arabic")
    font = TTFont(str(face.path))
    assert "fvar" not in font  # static
    assert font["OS/2"].usWeightClass == weight
    assert all(ord(c) in font.getBestCmap() for c in "مرحبا")
    assert "GSUB" in font  # joining forms kept
    again = epub_fonts.embed_fonts(book, [])
    assert [f.path for f in again] == [f.path for f in fonts]  # cached


def test_conformance_is_claimed_only_with_an_outside_certifier(project):
    """A publisher does not certify its own book: no dcterms:conformsTo without `accessibility_certifier`."""
    book, _ = load_book(project)
    assert package_meta(book) == []
    certified = replace(book, edition=replace(book.edition, accessibility_certifier="Fondazione LIA & <Co>"))
    assert package_meta(certified) == [
        '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>',
        '<meta property="a11y:certifiedBy">Fondazione LIA &amp; &lt;Co&gt;</meta>']
