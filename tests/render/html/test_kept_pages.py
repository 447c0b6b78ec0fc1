"""Warm builds of the site: an entry page whose inputs did not change is the last build's file, not
rendered again (html/kept.py); what is rendered is what a cold build makes, byte for byte. And the
search index, fed to Pagefind from memory (html/search.py), reports Pagefind's own failure."""
from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from compendium.errors import BuildFailed
from compendium.output.build import build
from compendium.render import templating
from compendium.render.html import kept
from tests.helpers import EDITION, ENTRY, snapshot, write

COUNTRIES = ["KE", "BR", "FR", "JP", "GH", "AR", "DE", "IN", "EG", "MX", "SE", "VN"]


def _project(root: Path) -> Path:
    """Twelve entries in four regions and two themes: an entry's page links only some of the others."""
    write(root, "compendium.yaml", EDITION)
    for n, country in enumerate(COUNTRIES, 1):
        theme = "service-delivery" if n % 2 else "knowledge-management"
        write(root, f"entries/e{n:02}.yaml", ENTRY.replace("One-stop shops", f"Initiative {n}")
              .replace("country: KE", f"country: {country}").replace("category: service-delivery", f"category: {theme}"))
    return root


class Rendered:
    """The entry pages rendered from the template, by a spy on templating.render (the renderer runs in
    a forked worker: the spy writes each page's name to a file)."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def clear(self) -> None:
        self.log.write_text("", encoding="utf-8")

    def pages(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").split() if self.log.is_file() else []


@pytest.fixture
def rendered(monkeypatch, tmp_path) -> Rendered:
    spy_log = Rendered(tmp_path / "rendered.txt")
    real = templating.render

    def spy(env, name, **context):  # noqa: ANN001, ANN003, ANN202
        if name == "html/entry.html":
            with spy_log.log.open("a", encoding="utf-8") as f:
                f.write(context["current"] + "\n")
        return real(env, name, **context)

    monkeypatch.setattr(templating, "render", spy)
    return spy_log


def _cold(root: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "cold"
    build(root, ["html"], out_dir=out, clean=True)
    return snapshot(out / "html")


def _entry_page(out: Path, text: str) -> str:
    return next(p.relative_to(out).as_posix() for p in sorted((out / "entries").glob("*.html"))
                if f"<h1>{text}</h1>" in p.read_text(encoding="utf-8"))


def test_a_warm_build_renders_only_the_pages_that_show_the_changed_entry(tmp_path, rendered):
    root = _project(tmp_path / "p")
    out = root / "output" / "html"
    build(root, ["html"])
    assert len(rendered.pages()) == len(COUNTRIES)  # the first build renders every entry page
    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
    rendered.clear()
    write(root, "entries/e05.yaml", (root / "entries/e05.yaml").read_text().replace("A short", "A longer, revised"))
    build(root, ["html"])
    changed = _entry_page(out, "Initiative 5")
    assert "A longer, revised" in (out / changed).read_text(encoding="utf-8")
    made = rendered.pages()
    assert changed in made  # the entry's own page, and the pages showing its teaser or title at most
    assert 1 <= len(made) < len(COUNTRIES), made
    untouched = [rel for rel in before if rel.startswith("entries/") and rel not in made]
    assert untouched and all((out / rel).stat().st_ino == before[rel] for rel in untouched)
    assert snapshot(out) == _cold(root, tmp_path)  # what a cold build makes


def test_a_new_title_reaches_the_pages_that_link_the_entry(tmp_path, rendered):
    """The previous and next entries' pages name it in their pager, its neighbours in their aside."""
    root = _project(tmp_path / "p")
    out = root / "output" / "html"
    build(root, ["html"])
    write(root, "entries/e05.yaml", (root / "entries/e05.yaml").read_text().replace("Initiative 5", "Renamed five"))
    build(root, ["html"])
    showing = [p for p in (out / "entries").glob("*.html") if "Renamed five" in p.read_text(encoding="utf-8")]
    assert len(showing) > 2  # its own page and the pages that link it
    assert not any("Initiative 5<" in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert snapshot(out) == _cold(root, tmp_path)


def test_a_page_edited_in_the_output_is_made_again(tmp_path, rendered):
    """The record trusts only the very file it wrote: a page changed by hand is rendered anew."""
    root = _project(tmp_path / "p")
    out = root / "output" / "html"
    build(root, ["html"])
    page = out / _entry_page(out, "Initiative 7")
    good = page.read_bytes()
    page.write_bytes(good.replace(b"Initiative 7", b"Tampered"))
    rendered.clear()
    build(root, ["html"])
    assert page.read_bytes() == good
    assert page.relative_to(out).as_posix() in rendered.pages()


def test_a_damaged_record_renders_every_page(tmp_path, rendered):
    root = _project(tmp_path / "p")
    build(root, ["html"])
    record = root / ".compendium-cache" / "render" / "html" / kept.RECORD_NAME
    assert pickle.loads(record.read_bytes())["pages"]
    record.write_bytes(b"not a pickle")
    rendered.clear()
    build(root, ["html"])
    assert len(rendered.pages()) == len(COUNTRIES)
    assert snapshot(root / "output" / "html") == _cold(root, tmp_path)


def test_templates_that_override_the_pages_render_every_page(tmp_path, rendered):
    """An overriding template may show any entry on any page: no page is kept unrendered."""
    root = _project(tmp_path / "p")
    write(root, "templates/html/entry.html", '{% extends "default/html/entry.html" %}\n'
          '{% block body_class %}page entry-page custom{% endblock %}\n')
    build(root, ["html"])
    rendered.clear()
    build(root, ["html"])
    assert len(rendered.pages()) == len(COUNTRIES)
    assert 'class="page entry-page custom"' in (root / "output" / "html" / rendered.pages()[0]).read_text(encoding="utf-8")


def test_the_code_digest_follows_the_templates(tmp_path):
    folder = write(tmp_path / "t", "html/entry.html", "one").parent.parent
    first = kept.code_digest([folder])
    assert kept.code_digest([folder]) == first
    write(folder, "html/entry.html", "two")
    assert kept.code_digest([folder]) != first


def test_a_failing_pagefind_is_reported_with_its_message(tmp_path, monkeypatch):
    """Pagefind's own words reach the editor; no process is left behind and the output is untouched."""
    import pagefind.service

    fake = write(tmp_path, "bin/pagefind", "#!/bin/sh\necho 'pagefind: cannot allocate the index' >&2\nexit 3\n")
    os.chmod(fake, 0o755)
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: fake)
    root = _project(tmp_path / "p")
    with pytest.raises(BuildFailed, match="Pagefind could not index the en entries: .*cannot allocate the index"):
        build(root, ["html"])
    assert not (root / "output").exists() or not any((root / "output").iterdir())


def test_every_field_of_an_entry_view_is_in_its_digest(sample_book):
    """A change to any field of the view (a new field of EntryView too) changes the entry's key."""
    import dataclasses

    from compendium.render.html.markdown import MarkdownCache
    from compendium.render.html.site import build_site

    views = build_site(sample_book, MarkdownCache(None), lambda image: "img.png").entries
    v, other = views[0], views[-1]  # an entry it does not link to
    first = kept.view_digest(v)
    for f in dataclasses.fields(v):
        value = getattr(v, f.name)
        changed = (other.entry if f.name == "entry" else value + "x" if isinstance(value, str)
                   else [*value, value[0] if value else other] if isinstance(value, list)
                   else other if value is None or f.name in ("prev", "next") else None)
        assert changed is not None, f"{f.name}: a field of a new kind; teach this test to change it"
        setattr(v, f.name, changed)
        digest = kept.view_digest(v)  # (a view's repr is the whole chain of its links: never shown)
        setattr(v, f.name, value)
        assert digest != first, f.name
    assert kept.view_digest(v) == first


def test_every_search_bundle_is_written_whole(sample_site):
    """Pagefind's service answers before its background writes end: the build waits for every file
    (a Chinese bundle once came out with an empty pagefind-entry.json and WebAssembly)."""
    bundles = [p for p in (sample_site.folder / "search").iterdir() if p.is_dir()]
    assert len(bundles) >= 3
    for bundle in bundles:
        assert not [p for p in bundle.rglob("*") if p.is_file() and p.stat().st_size == 0], bundle.name
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        (language, meta), = entry["languages"].items()
        assert meta["page_count"] == len(list((bundle / "fragment").glob("*.pf_fragment")))
        assert (bundle / "pagefind.js").stat().st_size > 1000
        assert list(bundle.glob("wasm.*.pagefind")), bundle.name
