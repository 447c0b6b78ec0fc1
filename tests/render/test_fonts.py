"""Static faces cut from the variable Noto fonts (HarfBuzz's subsetter, issue 12), and a first build
that says what it prepares."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

from compendium.render import fonts
from tests.helpers import REPO, copy_sample


def test_faces_are_static_named_and_keep_the_blocks_the_book_uses(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    told: list[str] = []
    paths = fonts.faces(["serif"], "Hello, Zürich — Привет", told.append)
    assert len(told) == 1 and told[0].startswith("cutting 4 font faces (Noto Serif) into ")
    weights = {}
    for style in fonts.STYLES:
        path = paths[("serif", style)]
        assert path.parent == tmp_path / "compendium" / "fonts"
        font = TTFont(path)
        assert "fvar" not in font and "gvar" not in font  # static: what reportlab draws is this weight
        suffix = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}[style]
        assert font["name"].getDebugName(6) == f"NotoSerif-{suffix}"
        assert bool(font["head"].macStyle & 1) == ("bold" in style)
        assert bool(font["OS/2"].fsSelection & 1) == ("italic" in style)
        cmap = font.getBestCmap()
        assert {ord(c) for c in "HZüП—"} <= set(cmap)  # the blocks of the text, and the book's furniture
        assert 0x0391 not in cmap  # Greek: a block the text does not use
        assert "GPOS" in font and "GSUB" in font  # HarfBuzz still kerns and shapes
        weights[style] = (font["OS/2"].usWeightClass, font["hmtx"][cmap[ord("H")]][0])
    assert weights["bold"][0] == 700 and weights["regular"][0] == 400
    assert weights["bold"][1] > weights["regular"][1]  # a real bold, wider than the regular
    # cut once: a second book with other words in the same blocks finds them in the cache
    again: list[str] = []
    assert fonts.faces(["serif"], "Another text: Zürich, Москва", again.append) == paths
    assert again == []


def test_a_first_build_says_what_it_prepares(tmp_path):
    """With an empty font cache the plain progress lines name the faces being cut and the layout."""
    root = tmp_path / "sample"
    copy_sample(root)  # the sample's 2012 edition, a project of its own
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "fonts"), "CI": "1"}
    cmd = [sys.executable, str(REPO / "cli.py"), "build", "--format", "pdf", "--project", str(root),
           "-o", str(tmp_path / "out")]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 0, first.stderr
    steps = [line for line in first.stderr.splitlines() if line.startswith("pdf: ")]
    assert steps[0] == "pdf: started"
    assert any(line.startswith("pdf: cutting ") and "Noto Serif" in line and "font faces" in line for line in steps)
    assert any(line.startswith("pdf: laying out ") for line in steps)
    assert steps[-1].startswith("pdf: done in ")
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert second.returncode == 0, second.stderr
    assert not any("cutting" in line for line in second.stderr.splitlines())
    assert "pdf: placing " in second.stderr  # nothing changed: every entry comes from the cache
    assert (tmp_path / "out").is_dir() and any(Path(tmp_path / "out").glob("*.pdf"))


def test_a_face_cut_with_every_feature_shapes_as_its_source(tmp_path):
    """The web fonts, the EPUB's faces and the cover's keep every layout feature: joined Arabic and
    ligatures come out as from the full font at every weight (the default shaping features were
    once the only ones dropped, so Arabic letters stood apart and ran ~20 % wider)."""
    import io

    import uharfbuzz as hb

    source = fonts.variable_file(fonts.FAMILIES["arabic"])
    text = "زاجل: شبكة الحمام الزاجل للخدمات الحكومية"
    cut = fonts.cut(str(source), {ord(c) for c in text}, weight=(400, 700), all_features=True, name_ids=(13, 14))
    data = io.BytesIO()
    cut.save(data)

    def shaped(blob: bytes, weight: int) -> tuple[int, int]:
        font = hb.Font(hb.Face(blob))
        font.set_variations({"wght": weight})
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(font, buf)
        return len(buf.glyph_infos), sum(p.x_advance for p in buf.glyph_positions)

    for weight in (400, 600, 700):
        assert shaped(data.getvalue(), weight) == shaped(source.read_bytes(), weight)
