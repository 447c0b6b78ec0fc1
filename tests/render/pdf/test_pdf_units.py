"""PDF building blocks: font cache, script runs, escaping of untrusted text, bidi line order."""
from __future__ import annotations

import io

import pytest

from compendium.render import fonts
from compendium.render.pdf import fonts as pdf_fonts
from compendium.render.pdf.markdown import TextContext, markdown, paragraph
from compendium.render.pdf.styles import make_styles

SCRIPTS = ("Ελλάδα, Россия — زاجل، 2012 中文，ok Ąčćęłńóśźż ÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ ÅÄÖØ ßẞ ĞİŞ ǅ Ţ ăâîșț Ḩ ṭ ỹ Việt Nam "
           "Đ ő ű ñ ¿¡ «» „“ ‘’ — … Ελληνικά ΐ ώ Ύ Ѐ ё Ђ ї Ґ ў Ӝ ﻻ السلام عليكم ّ ً 中华人民共和国 ，。「」 שלום "
           "नमस्ते বাংলা தமிழ் తెలుగు ไทย ລາວ ខ្មែរ မြန်မာ ኢትዮጵያ Հայաստան საქართველო ශ්‍රී ગુજરાત ਪੰਜਾਬ ಕನ್ನಡ "
           "മലയാളം ଓଡ଼ିଆ 한국어 ⭐ ♀ 👩🏽\u200d⚕\ufe0f")


@pytest.fixture(scope="module")
def styles():
    book, _ = pdf_fonts.load(SCRIPTS)
    return make_styles(book)


def _text(para) -> str:
    return "".join(s.text for s in para.spans)


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
    # running (serif) text sets Arabic in Naskh, the sans in Noto Sans Arabic (headings, labels)
    assert runs == [("serif", "Ελλάδα, Россия — "), ("naskh", "زاجل، 2012 "), ("cjk", "中文，"), ("serif", "ok")]
    assert missing == []
    assert book.runs("زاجل", "sans")[0] == [("arabic", "زاجل")]
    assert book.runs("plain ascii", "serif") == ([("serif", "plain ascii")], [])
    assert book.runs("x \U00013000", "serif")[1] == ["\U00013000"]
    assert book.runs("a\u200fb", "serif")[1] == []  # invisible marks never count as missing


def test_every_script_of_un_member_states_with_a_pypi_font_has_a_glyph(styles):
    """Each official-language script a PyPI font package covers (README: "Scripts and fonts")."""
    assert styles.fonts.runs(SCRIPTS, "serif")[1] == []
    assert styles.fonts.runs(SCRIPTS, "sans")[1] == []


def test_an_emoji_sequence_stays_in_one_font(styles):
    runs, missing = styles.fonts.runs("a 👩🏽\u200d⚕\ufe0f b", "serif")
    assert missing == [] and ("emoji", "👩🏽\u200d⚕\ufe0f") in runs


def test_markup_in_fields_is_escaped(styles):
    tc = TextContext(styles)
    hostile = '<font size=40 color=red>x</font> <a href="javascript:x">y</a> <img src="/etc/passwd"/> &amp; <b>'
    para = paragraph(tc, "body", hostile)
    assert _text(para) == hostile
    assert not any(s.link for s in para.spans)
    [md] = markdown(tc, hostile)
    assert "<img" in _text(md) and not any(s.link for s in md.spans)


def test_markdown_links_keep_only_safe_targets(styles):
    tc = TextContext(styles)
    [para] = markdown(tc, '[ok](https://example.org/?a=1&b="2") [bad](javascript:alert(1)) [f](file:///etc/passwd)')
    links = list(dict.fromkeys(s.link for s in para.spans if s.link))
    # percent-encoded as in every format (text.clean_url)
    assert links == ["https://example.org/?a=1&b=%222%22"]


def test_hyphenation_language_for_bcp47_tags():
    from compendium.render.pdf.styles import hyphenation_language

    assert hyphenation_language("en") in ("en", "en_US") and hyphenation_language("pt-BR") == "pt_BR"
    assert hyphenation_language("fr") == "fr" and hyphenation_language("zh") == "" and hyphenation_language("") == ""


def test_table_cells_follow_markdown_alignment(styles):
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT

    [table] = markdown(TextContext(styles), "| a | b |\n|---|--:|\n| 1 | 2 |\n")
    cells = table.rows
    assert cells[1][0].style.alignment == TA_LEFT and cells[1][1].style.alignment == TA_RIGHT
    assert cells[0][1].style.alignment == TA_RIGHT


def test_a_right_to_left_table_runs_right_to_left(styles):
    [table] = markdown(TextContext(styles, rtl=True), "| أ | ب | ج |\n|---|---|---|\n| 1 | 2 | 3 |\n")
    [laid] = table._plan(300)
    first_row = ["".join(s.text for s in cell.spans) for cell in laid._cellvalues[0]]
    assert first_row == ["ج", "ب", "أ"]  # the first column on the right, as the HTML mirrors it
    assert laid.hAlign == "RIGHT"


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


def test_flowables_at_the_foot_keep_their_spacing():
    """The title page's rule and 'United Nations • New York, 2012' under it (front.AtBottom): each gap is
    the upper flowable's space after plus the lower one's space before, so the rule never touches the line."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Spacer

    from compendium.render.pdf.front import AtBottom

    placed: dict[str, float] = {}

    class Box(Spacer):
        def __init__(self, name: str, height: float, before: float = 0, after: float = 0) -> None:
            super().__init__(100, height)
            self.name, self.spaceBefore, self.spaceAfter = name, before, after

        def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 (reportlab's name)
            placed[self.name] = y

    foot = AtBottom([Box("rule", 2.5, after=10), Box("line", 12, before=3)])
    foot.wrap(400, 700)
    foot.canv = Canvas(io.BytesIO())
    foot.draw()
    assert placed["line"] == 0  # the last flowable sits on the foot of the frame
    assert placed["rule"] == 12 + 3 + 10  # above the line's top by the two spaces


@pytest.mark.parametrize("extra", range(8))
def test_an_index_column_never_ends_on_a_letter_head(styles, extra):
    """The two balanced columns of a short index (index._balanced): wherever the middle falls, a letter
    head moves to the next column with its lines (the 'O' once ended the index of initiatives' first column)."""
    from types import SimpleNamespace

    from reportlab.platypus import FrameBreak

    from compendium.render.pdf.index import _balanced
    from compendium.render.pdf.styles import geometry

    tc = TextContext(styles)
    lines = []
    for k, letter in enumerate("ABCDEFGH"):
        lines.append(paragraph(tc, "index-letter", letter))
        count = 3 + (extra if k == 0 else 0)  # the first group longer: the middle falls elsewhere each time
        lines += [paragraph(tc, "index", f"{letter} initiative, Country {n}") for n in range(count)]
    out = _balanced(lines, SimpleNamespace(geom=geometry("A4")))
    cut = next(i for i, f in enumerate(out) if isinstance(f, type(FrameBreak)))  # reportlab: an instance
    assert not out[cut - 1].getKeepWithNext()  # the first column ends on a line, its head went on
