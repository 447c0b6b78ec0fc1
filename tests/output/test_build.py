"""Build orchestration: atomic output, lock, manifest, partial rebuilds — with small test renderers
registered through the public FORMATS registry (the real formats have their own tests)."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from compendium import render
from compendium.errors import CompendiumError
from compendium.output.build import build
from tests.helpers import snapshot


def note_renderer(book, ctx):
    """Writes one text file per format: output/<name>.txt listing the entries in book order."""
    path = ctx.out_dir / "notes.txt"
    path.write_text("\n".join(e.id for e in book.entries) + "\n", encoding="utf-8")
    return [path]


def site_renderer(book, ctx):
    site = ctx.out_dir / "site"
    (site / "entries").mkdir(parents=True)
    for e in book.entries:
        (site / "entries" / f"{e.id}.txt").write_text(e.title, encoding="utf-8")
    return [site / "entries" / f"{e.id}.txt" for e in book.entries]


def failing_renderer(book, ctx):
    (ctx.out_dir / "half.txt").write_text("half", encoding="utf-8")
    raise RuntimeError("disk on fire")


@pytest.fixture
def fake_formats(monkeypatch):
    monkeypatch.setitem(render.FORMATS, "notes", render.Format("notes", function=note_renderer))
    monkeypatch.setitem(render.FORMATS, "site", render.Format("site", function=site_renderer, produces="folder"))
    monkeypatch.setitem(render.FORMATS, "broken", render.Format("broken", function=failing_renderer))


def test_build_writes_outputs_and_manifest(project, fake_formats):
    result = build(project, ["notes", "site"], jobs=2)
    out = project / "output"
    assert (out / "notes.txt").read_text() == "ke-one-stop\n"
    assert (out / "site/entries/ke-one-stop.txt").read_text() == "One-stop shops"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["edition"] == {"title": "Test Awards", "year": 2012, "entries": 1}
    assert manifest["formats"] == {"notes": ["notes.txt"], "site": ["site/entries/ke-one-stop.txt"]}
    for f in manifest["files"]:
        data = (out / f["path"]).read_bytes()
        assert f["size"] == len(data) and f["sha256"] == hashlib.sha256(data).hexdigest()
    assert [r.name for r in result.formats] == ["notes", "site"]
    assert not list((project / ".compendium-cache").glob(".staging-*"))


def test_failed_format_leaves_previous_output_untouched(project, fake_formats):
    build(project, ["notes"])
    before = snapshot(project / "output")
    (project / "entries/ke-one-stop.yaml").rename(project / "entries/ke-two.yaml")
    with pytest.raises(CompendiumError, match="broken build failed: RuntimeError: disk on fire"):
        build(project, ["notes", "broken"], jobs=1)
    assert snapshot(project / "output") == before
    with pytest.raises(CompendiumError):
        build(project, ["notes", "broken"], jobs=2)
    assert snapshot(project / "output") == before


def test_invalid_project_never_touches_output(project, fake_formats):
    build(project, ["notes"])
    before = snapshot(project / "output")
    (project / "entries/bad.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CompendiumError) as caught:
        build(project, ["notes"])
    assert any(i.code == "yaml.syntax" for i in caught.value.issues)
    assert snapshot(project / "output") == before


def test_partial_build_keeps_other_formats(project, fake_formats):
    build(project, ["notes", "site"])
    (project / "entries/ke-one-stop.yaml").rename(project / "entries/ke-renamed.yaml")
    build(project, ["notes"])
    out = project / "output"
    assert (out / "notes.txt").read_text() == "ke-renamed\n"
    assert (out / "site/entries/ke-one-stop.txt").exists()  # the site was not rebuilt, so it stays
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["formats"]) == {"notes", "site"}


def test_unknown_format_is_a_clear_error(project):
    with pytest.raises(CompendiumError, match="unknown format"):
        build(project, ["docx"])


def test_reproducible(project, fake_formats, tmp_path):
    build(project, ["notes", "site"], out_dir=tmp_path / "a")
    build(project, ["notes", "site"], out_dir=tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_site_links_the_books_built_beside_it(project, fake_formats):
    from lxml import html as lxml_html

    build(project, ["notes", "html"], jobs=2)
    page = lxml_html.parse(str(project / "output/html/index.html"))
    links = [a for a in page.iter("a") if a.get("href", "").endswith("notes.txt")]
    assert [a.get("href") for a in links] == ["downloads/notes.txt"]  # copied into the site: upload it alone
    assert (project / "output/html/downloads/notes.txt").read_bytes() == (project / "output/notes.txt").read_bytes()
    assert "(12\u00a0B)" in links[0].getparent().text_content()  # "ke-one-stop\n" is 12 bytes; no line break inside
    build(project, ["html"])  # a site rebuilt alone still links the book kept from the last build
    page = lxml_html.parse(str(project / "output/html/index.html"))
    assert any(a.get("href") == "downloads/notes.txt" for a in page.iter("a"))
    assert (project / "output/html/downloads/notes.txt").is_file()


def test_stale_staging_of_another_project_is_left_alone(project, fake_formats):
    cache = project / ".compendium-cache"
    cache.mkdir()
    foreign = cache / ".staging-0000abcd-xyz"
    foreign.mkdir()
    build(project, ["notes"])
    assert foreign.is_dir()
    assert [p for p in cache.glob(".staging-*")] == [foreign]
