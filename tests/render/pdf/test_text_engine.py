"""The PDF's paragraph engine: hyphenation rules, long strings, bidi line order, widows and orphans."""
from __future__ import annotations

import pytest
from reportlab.lib import colors

from compendium.render.pdf import fonts as pdf_fonts
from compendium.render.pdf.lines import break_lines, visual_segments
from compendium.render.pdf.styles import make_styles
from compendium.render.pdf.textflow import Text
from compendium.render.pdf.words import Span, words

TEXT = ("The Commission published regular reports on the number of cases, the time taken to resolve them and "
        "the money recovered. Competitiveness, recognition and disclosures were actually reported by the "
        "United Nations and the Organisation for Economic Co-operation and Development publicly.")


@pytest.fixture(scope="module")
def styles():
    return make_styles(pdf_fonts.load(TEXT + "كانت الجهات الحكومية 2012 ABC")[0])


def _spans(styles, text: str) -> list[Span]:
    name = styles.fonts.name("serif")
    return [Span(text, name, 10.5, colors.black, path=styles.fonts.path(name))]


def _lines(styles, text: str, width: float, lang: str = "en_US") -> list[str]:
    lines = break_lines(words(_spans(styles, text), lang), width)
    return [" ".join(w.text for w in line.words) + ("¬" if line.hyphenated else "") for line in lines]  # ¬: ours


@pytest.mark.parametrize("width", [120, 150, 180, 210, 240, 270, 300, 351])
def test_hyphenation_keeps_three_letters_each_side_and_spares_names(styles, width):
    lines = _lines(styles, TEXT, width)
    for n, line in enumerate(lines):
        assert line.split()  # no empty line
        if line.endswith("¬"):
            head = line.split()[-1].rstrip("¬")
            tail = lines[n + 1].split()[0]
            core_head = "".join(ch for ch in head if ch.isalpha())
            core_tail = "".join(ch for ch in tail if ch.isalpha())
            assert len(core_head) >= 3 and len(core_tail) >= 3, (head, tail)
            assert head[:1].islower(), head  # never a capitalised word (names)
    # a paragraph never ends on the tail of a hyphenated word
    assert not (len(lines) > 1 and lines[-2].endswith("¬") and len(lines[-1].split()) == 1)
    # no more than two hyphenated lines in a row
    run = 0
    for line in lines:
        run = run + 1 if line.endswith("¬") else 0
        assert run <= 2


@pytest.mark.parametrize("dash", ["-", "\u2013", "\u2014"])
def test_a_word_breaks_after_its_typed_dash_not_between_letters(styles, dash):
    """'Asia–Pac.' in a narrow column (the overview table's heads) breaks after its en dash, as after a
    hyphen ('Co-operation'), never as 'Asia–Pa' / 'c.'; nothing is added at the break."""
    word = f"Asia{dash}Pacific"
    for justify in (False, True):
        items = words(_spans(styles, word), "en_US")
        lines = break_lines(items, 42, justify=justify)  # "Pacific" fits, "Asia–Pacific" does not
        assert [" ".join(w.text for w in line.words) for line in lines] == [f"Asia{dash}", "Pacific"], (dash, justify)


def test_every_line_fits_its_measure_even_with_unbreakable_strings(styles):
    text = "See " + "https://consultas.example.gub.uy/archivo/2011/" + "x" * 120 + "?a=1&b=2 and " + "A" * 150 + " end."
    for width in (60, 120, 200, 351):
        items = words(_spans(styles, text), "en_US")
        for line in break_lines(items, width):
            assert line.width <= width + 0.01
    joined = "".join("".join(w.text for w in line.words) for line in break_lines(words(_spans(styles, text)), 120))
    assert joined == text.replace(" ", "")  # nothing lost or added


def test_right_to_left_lines_read_right_to_left(styles):
    name = styles.fonts.name("arabic")
    spans = [Span("كانت الجهات الحكومية 2012 ABC", name, 10.5, colors.black, path=styles.fonts.path(name))]
    [line] = break_lines(words(spans), 400)
    segments = visual_segments(line, True, 0.0)
    texts = [s.text for s in segments]
    assert texts[0] == "ABC" and texts[-1] == "كانت"  # first word rightmost, Latin and digits LTR inside
    assert "2012" in texts
    assert all(a.x <= b.x for a, b in zip(segments, segments[1:]))


def test_no_widows_or_orphans(styles):
    para = Text(_spans(styles, TEXT * 2), styles["body"])
    _, h = para.wrap(300, 10_000)
    n = len(para.lines)
    lead = styles["body"].leading
    for fit in range(0, n + 1):
        parts = para.split(300, fit * lead + 0.5)
        if not parts:
            continue
        head, tail = parts
        assert len(head.lines) >= 2
        tail.wrap(300, 10_000)
        assert len(tail.lines) >= 2
        assert len(head.lines) + len(tail.lines) == n


def test_justified_text_is_hyphenated_where_it_helps(styles):
    hyphenated = [line for width in (100, 120, 140, 160) for line in _lines(styles, TEXT, width) if line.endswith("¬")]
    assert hyphenated  # the rules above are not met by never hyphenating
    assert not [line for width in (100, 140) for line in _lines(styles, TEXT, width, lang="") if line.endswith("¬")]


@pytest.mark.parametrize("script", ["serif", "arabic"])
def test_a_long_unbreakable_string_is_cut_in_near_linear_work_into_lines_as_full_as_fit(styles, script, monkeypatch):
    """5,000 characters without a break point: each line is the longest head that fits (one more
    cluster would not), found by measuring a dozen heads a line, not thousands (was ~20 s)."""
    from compendium.render.pdf import words as words_mod

    text = ("a" if script == "serif" else "كانت") * (5000 // (1 if script == "serif" else 4))
    name = styles.fonts.name(script)
    spans = [Span(text, name, 10.5, colors.black, path=styles.fonts.path(name))]
    measured = []
    real = words_mod.measure
    monkeypatch.setattr(words_mod, "measure", lambda span, t: measured.append(t) or real(span, t))
    lines = break_lines(words(spans, "en_US"), 200)
    assert "".join(w.text for line in lines for w in line.words) == text  # nothing lost or added
    assert len(lines) > 20 and len(measured) <= 25 * len(lines)
    rest = text
    for line in lines[:-1]:
        head = "".join(w.text for w in line.words)
        assert line.width <= 200 + 0.01
        assert rest.startswith(head)
        rest = rest[len(head):]
        assert real(spans[0], head + rest[:1]).width > 200  # one more character would not fit
