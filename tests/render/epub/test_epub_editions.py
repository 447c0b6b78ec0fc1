"""EPUB renderer on test editions: a hostile entry, every Markdown feature, languages, overrides."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from compendium.errors import CompendiumError
from compendium.output.build import load_book
from compendium.render.common import epub_entry_anchor
from tests.helpers import NS, Epub, build_epub, epubcheck, write

EDITION = """\
title: Hostile & <Test> Awards
subtitle: "Every feature, <b>bold</b> or not"
edition: 2013
language: en
license: CC0 1.0
editors: [Ada <script>, "B. Editor"]
themes:
  - id: service-delivery
    name: Improving the Delivery of Public Services
    description: Services <em>for all</em> & more.
  - id: participation
    name: Fostering Participation
"""

HOSTILE = r'''
id: hostile
year: 2013
title: "<script>alert('t')</script> & \"quoted\" \x01title"
country: KE
institution: "<img src=x onerror=alert(1)> Ministry"
category: service-delivery
place: 1st
summary: |
  # Fake part

  ## Fake chapter

  ### Fake entry

  <script>alert("summary")</script>

  <a href="javascript:alert(2)" onclick="steal()">click</a> and [md link](javascript:alert(3))
  and ![pic](javascript:alert(4)) and <img src=x onerror=alert(5)> ]]> <!-- comment --> &amp; &nbsp; &copy;
sections:
  problem: |
    <iframe src="https://evil.example"></iframe>
    <style>body{display:none}</style>

    [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox) [ok](https://example.org/?a=1&b=<2>)
  solution: |
    <div onmouseover="x()">div</div> <svg onload=alert(6)></svg>
  impact: "\x0b\x0cControl characters and \ufffe noncharacters."
  lessons: |
    <?xml version="1.0"?> <!DOCTYPE x [<!ENTITY e "boom">]> &e;
partners: ["<b onmouseover=\"x\">Partner</b>", "javascript:alert(7)"]
website: "https://example.org/path?q=1&x=y'z"
contact: {name: "<script>n</script>", email: "someone@example.org", public: true}
'''

MARKDOWN = '''
id: markdown
year: 2013
title: "Every Markdown feature"
country: FR
institution: Ministère de la Transformation
category: participation
place: 2nd
summary: |
  Plain, *emphasis*, **strong**, ~~struck~~, `code`, [a link](https://example.org "with title"),
  <https://example.org/autolink>, a hard break<HB>
  here, and a backslash\\
  break.
sections:
  problem: |
    # Heading one
    ## Heading two
    ###### Heading six

    > A quotation
    > > nested

    1. one
    2. two
       - nested bullet
         1. deeper
    3. three

    Between the lists.

    3. starts at three
    4. four

    - [x] done
    - [ ] to do
  solution: |
    | Left | Centre | Right | none |
    |:-----|:------:|------:|------|
    | a    | **b**  | `c`   | [d](https://example.org) |
    | short row |

    ```python
    def f(x):
        return x < 1 and "<tag>"
    ```

        indented code

    ***

    Term with trailing spaces.
  impact: |
    Loose list:

    - item one

    - item two

      second paragraph
  lessons: |
    Done.
'''.replace("<HB>", "  ")  # two trailing spaces: a hard line break

ARABIC = '''
id: arabic
year: 2013
title: "نظام زاجل"
country: BH
institution: هيئة الحكومة الإلكترونية
category: participation
place: 1st
language: ar
summary: |
  «زاجل» هو **النظام** الوطني.
sections:
  problem: مشكلة.
  solution: حل.
  impact: أثر.
  lessons: دروس.
images:
  - file: images/chart.png
    alt: "رسم بياني <script>"
    caption: "نمو الاستخدام"
    credit: "هيئة"
'''

CHINESE = '''
id: chinese
year: 2013
title: "一站式服务"
country: CN
institution: 行政服务中心
category: service-delivery
place: 2nd
language: zh
summary: 中心建立了网上审批系统。
sections:
  problem: 问题。
  solution: 办法。
  impact: 影响。
  lessons: 经验。
'''


def _png(width: int = 640, height: int = 360) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (width, height), (240, 240, 250))
    ImageDraw.Draw(im).rectangle((40, 40, width - 40, height - 40), outline=(20, 60, 120), width=8)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def make_project(root: Path) -> Path:
    write(root, "compendium.yaml", EDITION + "introduction: intro.md\n")
    write(root, "intro.md", "# Welcome <script>\n\nIntro with [link](https://example.org).\n\n## Sub\n\nText.\n")
    write(root, "entries/hostile.yaml", HOSTILE.lstrip())
    write(root, "entries/markdown.yaml", MARKDOWN.lstrip())
    write(root, "entries/arabic.yaml", ARABIC.lstrip())
    write(root, "entries/chinese.yaml", CHINESE.lstrip())
    write(root, "entries/images/chart.png", _png())
    return root


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
        elif tag in ("svg", "image"):  # pandoc's cover page wraps the cover image in SVG
            assert name.endswith("cover.xhtml"), name
        else:
            assert tag not in ("script", "iframe", "object", "embed", "form", "math", "link") or (
                tag == "link" and el.get("rel") == "stylesheet"), (name, tag)
        for key, value in el.attrib.items():
            assert not key.split("}")[-1].lower().startswith("on"), (name, tag, key)
            if key in ("href", "src", "{http://www.w3.org/1999/xlink}href"):
                assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), (name, value)
    # the text survived, as text
    _, section = epub.element_by_id(epub_entry_anchor("hostile"))[0]
    text = "".join(section.itertext())
    assert "<script>alert('t')</script>" in text and '<img src=x onerror=alert(1)>' in text
    assert '<a href="javascript:alert(2)" onclick="steal()">' in text
    assert "]]>" in text and "<!-- comment -->" in text


def test_hostile_headings_do_not_open_parts(edition):
    book, epub, _ = edition
    nav = epub.nav_links()
    assert not any("Fake" in t or "Heading" in t for t, _ in nav)
    assert [f for _, f in nav if f.startswith("e-")] == [epub_entry_anchor(e.id) for e in book.entries]
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
    fonts = sorted(n.rsplit("/", 1)[1] for n in epub.zip.namelist() if "/fonts/" in n)
    assert fonts == ["NotoSansArabic-Bold.ttf", "NotoSansArabic-Regular.ttf", "NotoSansSC-Bold.ttf",
                     "NotoSansSC-Regular.ttf"]
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


def test_no_script_fonts_and_textual_only_without_images(project, tmp_path):
    book, _ = load_book(project)
    path, ctx = build_epub(book, tmp_path / "out", tmp_path / "cache")
    epub = Epub(path)
    assert not [n for n in epub.zip.namelist() if "/fonts/" in n]
    assert epub.meta("schema:accessMode") == ["textual"]
    assert epub.dc("date") == ["2012"]  # no publication date: the award year, never the build date
    assert "alternativeText" not in epub.meta("schema:accessibilityFeature")
    assert ctx.warnings == []


def test_template_override_and_extension(project, tmp_path):
    write(project, "templates/epub/entry_meta.xhtml",
          '<p class="custom-meta">From {{ entry.country.name }} &amp; {{ entry.institution }}</p>\n')
    write(project, "templates/epub/epub.css",
          '{% extends "default/epub/epub.css" %}{% block extra %}.custom-meta { color: teal; }{% endblock %}\n')
    book, _ = load_book(project)
    path, _ = build_epub(book, tmp_path / "out", tmp_path / "cache", project / "templates")
    epub = Epub(path)
    _, section = epub.element_by_id(epub_entry_anchor(book.entries[0].id))[0]
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
    _, section = epub.element_by_id(epub_entry_anchor(book.entries[0].id))[0]
    assert section.get("dir") == "rtl"


def test_edition_cover_image_is_used(project, tmp_path):
    write(project, "cover.png", _png(800, 1200))
    text = (project / "compendium.yaml").read_text() + "cover: cover.png\n"
    write(project, "compendium.yaml", text)
    book, _ = load_book(project)
    epub = Epub(build_epub(book, tmp_path / "out", tmp_path / "cache")[0])
    cover = next(i for i in epub.manifest.values() if "cover-image" in i.get("properties", ""))
    from PIL import Image

    with Image.open(io.BytesIO(epub.zip.read(epub.resolve(cover["href"])))) as im:
        assert im.size == (800, 1200)
