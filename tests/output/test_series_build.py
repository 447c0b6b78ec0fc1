"""Building a series: each book rendered once and only when its input changed, the others carried
over untouched (same bytes, inode and mtime), the manifest of every book, the OPDS catalogue checked
link by link — with small renderers registered through FORMATS (the real books: test_series_books.py)."""
from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from compendium import render
from compendium.errors import RenderError
from compendium.output.build import build
from compendium.output.manifest import file_sha256
from tests.helpers import book_renderer, entry, fact_sheets_renderer, write

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/terms/}"


@pytest.fixture
def fake_books(monkeypatch):
    """epub and pdf as small text writers, fact sheets as a folder, and one renderer that fails."""
    monkeypatch.setitem(render.FORMATS, "epub", render.Format("epub", function=book_renderer("epub")))
    monkeypatch.setitem(render.FORMATS, "pdf", render.Format("pdf", function=book_renderer("pdf")))
    monkeypatch.setitem(render.FORMATS, "fact-sheets", render.Format("fact-sheets", function=fact_sheets_renderer,
                                                                     produces="folder", default=False))

    def broken(book, ctx):
        if book.edition.edition == 2013 and not book.edition.years:
            raise RuntimeError("disk on fire")
        return book_renderer("broken")(book, ctx)
    monkeypatch.setitem(render.FORMATS, "broken", render.Format("broken", function=broken, default=False))


@pytest.fixture
def with_retrospective(series):
    write(series, "compendium.yaml", (series / "compendium.yaml").read_text() +
          "retrospectives:\n  - {id: winners, title: Winners 2012–2013, years: 2012-2013}\n")
    return series


def state(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file: (bytes, inode, mtime in ns)."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_book_of_the_series_and_the_manifest(with_retrospective, fake_books):
    result = build(with_retrospective, ["epub", "pdf"], jobs=2)
    out = with_retrospective / "output"
    assert sorted(p.name for p in out.iterdir()) == [
        "catalog.xml", "manifest.json", "test-awards-2012.epub", "test-awards-2012.pdf", "test-awards-2013.epub",
        "test-awards-2013.pdf", "winners.epub", "winners.pdf"]
    assert (out / "winners.pdf").read_text().splitlines() == [
        "Winners 2012–2013", "2012–2013",
        "Improving the Delivery of Public Services/2013/2013-ke-one-stop: One-stop shops",
        "Whole of Government/2012/2012-ke-one-stop: One-stop shops"]  # knowledge-management grouped under today's theme
    manifest = json.loads((out / "manifest.json").read_text())
    assert list(manifest["books"]) == ["2012", "2013", "winners"]
    assert manifest["series"] == {"title": "Test Awards", "editions": [2012, 2013]}
    for book in manifest["books"].values():
        assert sorted(book["files"]) == ["epub", "pdf"] and set(book["digests"]) == {"epub", "pdf"}
        for path, digest in book["sha256"].items():
            assert file_sha256(out / path) == digest
    assert manifest["books"]["winners"]["kind"] == "retrospective" and manifest["books"]["winners"]["years"] == [2012, 2013]
    assert {f["path"] for f in manifest["files"]} == {p.name for p in out.iterdir()} - {"manifest.json"}
    assert [line.split(":")[0].strip() for line in result.outline()][1:] == ["2012", "2013", "Winners 2012–2013"]


def test_a_change_in_one_edition_rebuilds_its_books_and_the_retrospectives_only(with_retrospective, fake_books):
    build(with_retrospective, ["epub", "pdf"], jobs=2)
    out = with_retrospective / "output"
    before = state(out)
    # what the 2012 books do not print of it (they name the follow-up: its title, not its institution)
    write(with_retrospective, "2013/entries/ke.yaml", entry(2013, "2013-ke-one-stop", follows="2012-ke-one-stop",
                                                             institution="Changed institution"))
    result = build(with_retrospective, ["epub", "pdf"], jobs=2)
    after = state(out)
    for name in ("test-awards-2012.epub", "test-awards-2012.pdf"):
        assert after[name] == before[name], f"{name} was touched"  # bytes, inode and mtime
    for name in ("test-awards-2013.pdf", "winners.epub"):
        assert after[name] != before[name], f"{name} was not rendered again"
    assert sorted(t.name for t, _ in result.rendered) == ["2013 epub", "2013 pdf", "winners epub", "winners pdf"]
    assert sorted(t.name for t in result.kept) == ["2012 epub", "2012 pdf"]
    # nothing changed: nothing rendered, every book untouched
    again = build(with_retrospective, ["epub", "pdf"], jobs=2)
    assert again.rendered == () and {k: v for k, v in state(out).items() if k.endswith((".pdf", ".epub"))} == {
        k: v for k, v in after.items() if k.endswith((".pdf", ".epub"))}
    # a new title: the 2012 books name it ("Followed up in 2013: …"), so they are rendered again too
    write(with_retrospective, "2013/entries/ke.yaml", entry(2013, "2013-ke-one-stop", follows="2012-ke-one-stop",
                                                             title="Changed title"))
    result = build(with_retrospective, ["epub", "pdf"], jobs=2)
    assert sorted(t.name for t, _ in result.rendered) == ["2012 epub", "2012 pdf", "2013 epub", "2013 pdf",
                                                          "winners epub", "winners pdf"]


def test_a_change_in_the_series_file_rebuilds_what_depends_on_it(with_retrospective, fake_books):
    build(with_retrospective, ["epub", "pdf"], jobs=1)
    series_file = with_retrospective / "compendium.yaml"
    write(with_retrospective, "compendium.yaml", series_file.read_text().replace("title: Winners", "title: All winners"))
    result = build(with_retrospective, ["epub", "pdf"], jobs=1)
    assert sorted(t.name for t, _ in result.rendered) == ["winners epub", "winners pdf"]
    write(with_retrospective, "compendium.yaml", series_file.read_text().replace("publisher: Test Publisher",
                                                                                 "publisher: Another"))
    result = build(with_retrospective, ["epub", "pdf"], jobs=1)
    assert len(result.rendered) == 6  # a shared setting: every book


def test_a_format_not_asked_for_is_kept_and_clean_renders_again(with_retrospective, fake_books):
    build(with_retrospective, ["epub", "pdf"], jobs=1)
    out = with_retrospective / "output"
    before = state(out)
    result = build(with_retrospective, ["pdf"], jobs=1, clean=True)
    assert sorted(t.name for t, _ in result.rendered) == ["2012 pdf", "2013 pdf", "winners pdf"]
    after = state(out)
    assert after["test-awards-2012.epub"] == before["test-awards-2012.epub"]
    assert after["test-awards-2012.pdf"][0] == before["test-awards-2012.pdf"][0]  # same bytes, rendered again
    assert json.loads((out / "manifest.json").read_text())["books"]["2012"]["files"]["epub"] == ["test-awards-2012.epub"]


def test_fact_sheets_per_edition(series, fake_books):
    build(series, ["pdf"], fact_sheets=True, jobs=1)
    out = series / "output"
    assert (out / "fact-sheets/2012/2012-ke-one-stop.pdf").is_file() and (out / "fact-sheets/2013/2013-ke-one-stop.pdf").is_file()
    # what the 2012 books do not print of it (they name the follow-up: its title, not its institution)
    write(series, "2013/entries/ke.yaml", entry(2013, "2013-ke-one-stop", follows="2012-ke-one-stop",
                                                 institution="Changed"))
    before = state(out)
    build(series, ["pdf"], fact_sheets=True, jobs=1)
    after = state(out)
    assert after["fact-sheets/2012/2012-ke-one-stop.pdf"] == before["fact-sheets/2012/2012-ke-one-stop.pdf"]
    assert after["fact-sheets/2013/2013-ke-one-stop.pdf"] != before["fact-sheets/2013/2013-ke-one-stop.pdf"]


def test_a_failed_book_leaves_the_previous_output_untouched(series, fake_books):
    build(series, ["epub"], jobs=1)
    out = series / "output"
    before = state(out)
    with pytest.raises(RenderError, match="the broken build failed: RuntimeError: disk on fire"):
        build(series, ["epub", "broken"], jobs=2)
    assert state(out) == before
    assert not [p for p in (series / ".compendium-cache").iterdir() if p.name.startswith(".staging")]


def test_a_book_dropped_from_the_series_leaves_the_output(with_retrospective, fake_books):
    out = with_retrospective / "output"
    write(with_retrospective, "output/.nojekyll", "")  # not the build's: kept
    build(with_retrospective, ["epub"], jobs=1)
    write(with_retrospective, "compendium.yaml", (with_retrospective / "compendium.yaml").read_text().split("retrospectives:")[0])
    build(with_retrospective, ["epub"], jobs=1)
    assert not (out / "winners.epub").exists() and (out / ".nojekyll").exists()
    assert "winners" not in json.loads((out / "manifest.json").read_text())["books"]


def test_the_catalogue_lists_every_book_link_by_link(with_retrospective, fake_books):
    feedparser = pytest.importorskip("feedparser")
    build(with_retrospective, ["epub", "pdf"], jobs=1)
    out = with_retrospective / "output"
    raw = (out / "catalog.xml").read_bytes()
    root = ET.fromstring(raw)  # well-formed Atom
    assert root.tag == f"{ATOM}feed" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    links = {link.get("rel"): link for link in root.findall(f"{ATOM}link")}
    assert links["self"].get("href") == "catalog.xml" and links["start"].get("href") == "catalog.xml"
    assert links["self"].get("type") == "application/atom+xml;profile=opds-catalog;kind=acquisition"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Test Awards"
    titles = [e.title for e in feed.entries]
    assert titles == ["Test Awards 2012", "Test Awards 2013", "Winners 2012–2013"]
    assert len({e.id for e in feed.entries}) == 3
    manifest = json.loads((out / "manifest.json").read_text())
    for entry_element, book in zip(root.findall(f"{ATOM}entry"), manifest["books"].values()):
        for tag in ("id", "title", "updated"):  # what OPDS requires of an entry
            assert entry_element.find(f"{ATOM}{tag}").text
        assert entry_element.find(f"{DC}language").text == "en"
        acquisitions = [link for link in entry_element.findall(f"{ATOM}link")
                        if link.get("rel") == "http://opds-spec.org/acquisition/open-access"]
        assert sorted(link.get("type") for link in acquisitions) == ["application/epub+zip", "application/pdf"]
        for link in acquisitions:
            target = out / unquote(link.get("href"))
            assert target.is_file() and int(link.get("length")) == target.stat().st_size
            assert link.get("href") in book["sha256"]
    assert feed.entries[2].updated == feed.feed.updated  # the latest book's date, never the clock


def test_a_series_build_is_reproducible(with_retrospective, fake_books, tmp_path):
    build(with_retrospective, ["epub", "pdf"], jobs=1)
    build(with_retrospective, ["epub", "pdf"], jobs=2, out_dir=tmp_path / "again", clean=True)
    first, second = (with_retrospective / "output"), tmp_path / "again"
    assert {k: v[0] for k, v in state(first).items()} == {k: v[0] for k, v in state(second).items()}


def test_an_output_folder_inside_an_edition_is_refused(series, fake_books):
    from compendium.errors import UsageError

    with pytest.raises(UsageError, match="overlaps the project's 2012"):
        build(series, ["epub"], out_dir=series / "2012" / "out")
    assert not (series / "2012" / "out").exists()
    os.sync()
