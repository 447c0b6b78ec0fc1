"""PDF building blocks: font cache, script runs, escaping of untrusted text, bidi line order."""
from __future__ import annotations

import os
import unicodedata

import pytest
from reportlab.pdfgen.canvas import Canvas

from compendium.render import fonts
from compendium.render.pdf import fonts as pdf_fonts
from compendium.render.pdf.bidi import (
    BidiParagraph,
    reshape,
    visual_lines,
    visual_order,
)
from compendium.render.pdf.markdown import TextContext, markdown, paragraph
from compendium.render.pdf.styles import make_styles


@pytest.fixture(scope="module")
def styles():
    book, _ = pdf_fonts.load(need_cjk=True)
    return make_styles(book)


def _text(para) -> str:
    return "".join(f.text for f in para.frags if hasattr(f, "text"))


def test_static_instances_are_cut_once_into_the_user_cache(tmp_path, monkeypatch):
    from fontTools.ttLib import TTFont

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = fonts.faces(["arabic"])
    assert set(made) == {("arabic", "regular"), ("arabic", "bold")}
    assert all(p.parent == tmp_path / "compendium" / "fonts" for p in made.values())
    bold = TTFont(made[("arabic", "bold")])
    assert "fvar" not in bold and bold["OS/2"].usWeightClass == 700
    assert bold["name"].getDebugName(6) == "NotoSansArabic-Bold"
    stamp = {p: p.stat().st_mtime_ns for p in made.values()}
    again = fonts.faces(["arabic"])  # cached: nothing is redone
    assert again == made and {p: p.stat().st_mtime_ns for p in again.values()} == stamp
    assert not list((tmp_path / "compendium" / "fonts").glob(".tmp-*"))


def test_missing_font_package_names_the_pip_command(monkeypatch):
    from compendium.errors import CompendiumError

    monkeypatch.setitem(fonts.FAMILIES, "serif", fonts.FamilySource("NotoSerif", "no_such_pkg", "files", "NotoSerif",
                                                                     install="pip install fontpkg-noto-serif"))
    with pytest.raises(CompendiumError, match="pip install fontpkg-noto-serif"):
        fonts.faces(["serif"])


def test_runs_pick_a_font_per_script(styles):
    book = styles.fonts
    runs, missing = book.runs("Ελλάδα, Россия — زاجل، 2012 中文，ok", "serif")
    assert runs == [("serif", "Ελλάδα, Россия — "), ("arabic", "زاجل، 2012 "), ("cjk", "中文，"), ("serif", "ok")]
    assert missing == []
    assert book.runs("plain ascii", "serif") == ([("serif", "plain ascii")], [])
    assert book.runs("x \U00013000", "serif")[1] == ["\U00013000"]
    assert book.runs("a\u200fb", "serif")[1] == []  # invisible marks never count as missing


def test_every_character_of_diacritics_and_scripts_has_a_glyph(styles):
    text = ("Ąčćęłńóśźż ÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ ÅÄÖØ ßẞ ĞİŞ ǅ Ţ ăâîșț Ḩ ṭ ỹ Việt Nam Đ ő ű ñ ¿¡ «» „“ ‘’ — … "
            "Ελληνικά ΐ ώ Ύ Ѐ ё Ђ ї Ґ ў Ӝ ﻻ السلام عليكم ّ ً 中华人民共和国 ，。「」")
    assert styles.fonts.runs(text, "serif")[1] == []
    assert styles.fonts.runs(text, "sans")[1] == []


def test_markup_in_fields_is_escaped(styles):
    tc = TextContext(styles)
    hostile = '<font size=40 color=red>x</font> <a href="javascript:x">y</a> <img src="/etc/passwd"/> &amp; <b>'
    para = paragraph(tc, "body", hostile)
    assert _text(para) == hostile
    assert all(getattr(f, "link", None) in (None, []) for f in para.frags)
    [md] = markdown(tc, hostile)
    assert "<img" in _text(md) and not any(getattr(f, "link", None) for f in md.frags)


def test_markdown_links_keep_only_safe_targets(styles):
    tc = TextContext(styles)
    [para] = markdown(tc, '[ok](https://example.org/?a=1&b="2") [bad](javascript:alert(1)) [f](file:///etc/passwd)')
    links = [link for f in para.frags for _, link in (getattr(f, "link", None) or [])]
    # the quote reaches reportlab's markup safely, percent-encoded as in every format (text.clean_url)
    assert links == ["https://example.org/?a=1&b=%222%22"]


def test_visual_order_keeps_numbers_and_latin_left_to_right():
    text = "عام 2012 أطلقت ABC"
    display = "".join(ch for ch, _ in visual_order(text, "R"))
    assert display.startswith("ABC") and "2012" in display and "2102" not in display
    assert display.endswith("ماع")
    assert "".join(ch for ch, _ in visual_order("(زاجل)", "R")) == "(لجاز)"  # brackets mirrored


def test_reshape_joins_letters_and_keeps_marks():
    shaped = reshape("مّا")
    assert all("\ufe70" <= c <= "\ufeff" or c == "\u0651" for c in shaped)
    assert "\u0651" in shaped
    assert reshape("latin only") == "latin only"


def test_wrapped_arabic_lines_stay_in_reading_order(styles):
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    words = [letters[i % 28] + letters[(i // 28) % 28] + "ل" for i in range(80)]
    para = BidiParagraph(reshape(" ".join(words)), styles.variant("body", rtl=True))
    para.base_dir = "R"
    para.wrap(200, 1000)
    before = [list(line[1]) for line in para.blPara.lines]
    shown = [" ".join(line[1]) for line in visual_lines(para.blPara, "R").lines]
    assert len(shown) > 3
    # each line, read right to left, gives back the next run of words: lines in order, words in order
    read = [unicodedata.normalize("NFKC", line[::-1]).split() for line in shown]
    assert read[0][0] == words[0] and read[-1][-1] == words[-1]
    assert [w for line in read for w in line] == words
    para.drawOn(Canvas(os.devnull), 0, 0)
    assert [list(line[1]) for line in para.blPara.lines] == before  # splitting still sees logical order


def test_hyphenation_language_for_bcp47_tags():
    from compendium.render.pdf.styles import hyphenation_language

    assert hyphenation_language("en") in ("en", "en_US") and hyphenation_language("pt-BR") == "pt_BR"
    assert hyphenation_language("fr") == "fr" and hyphenation_language("zh") == "" and hyphenation_language("") == ""


def test_table_cells_follow_markdown_alignment(styles):
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT

    [table] = markdown(TextContext(styles), "| a | b |\n|---|--:|\n| 1 | 2 |\n")
    cells = table._cellvalues
    assert cells[1][0].style.alignment == TA_LEFT and cells[1][1].style.alignment == TA_RIGHT
    assert cells[0][1].style.alignment == TA_RIGHT


def test_bidi_controls_are_dropped_not_drawn(tmp_path):
    """U+202E and friends have no job after line reordering; some fonts draw them as boxes."""
    import pypdf

    from compendium.output.build import build
    from tests.helpers import EDITION, ENTRY, write

    write(tmp_path, "compendium.yaml", EDITION)
    write(tmp_path, "entries/ke-one-stop.yaml", ENTRY.replace('title: "One-stop shops"', 'title: "abc \\u202e def \\u200f ghi"'))
    result = build(tmp_path, ["pdf"])
    assert not [w for w in result.warnings if w.code == "pdf.glyph"]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(result.outputs[0]).pages)
    assert "abc" in text and "\u202e" not in text and "\u200f" not in text
