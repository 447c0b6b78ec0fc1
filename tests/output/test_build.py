"""Build orchestration: atomic output, lock, manifest, partial rebuilds — with small test renderers
registered through the public FORMATS registry (the real formats have their own tests)."""
from __future__ import annotations

import hashlib
import json

import pytest

from compendium import render
from compendium.errors import CompendiumError
from compendium.output.build import build
from compendium.output.swap import wait_discarded
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
    wait_discarded()  # the old output and the staging folder are deleted in the background
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
    wait_discarded()
    assert foreign.is_dir()
    assert [p for p in cache.glob(".staging-*")] == [foreign]


def test_a_warm_build_reads_only_the_files_it_has_not_seen(project, fake_formats, monkeypatch):
    """The manifest's digests are kept in the build cache by (device, inode, size, mtime): the inputs and
    the files kept from the last build (a format not rebuilt: hard links) are not read again; an edited
    input and a rebuilt file are; the manifest is the same bytes as without the kept digests."""
    import os
    import time

    from compendium.output import manifest

    old = time.time() - 60  # inputs written more than RACY_S ago
    for path in project.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    build(project, ["notes", "site"])
    read: list[str] = []
    real = manifest.file_sha256
    monkeypatch.setattr(manifest, "file_sha256", lambda path: read.append(path.name) or real(path))

    build(project, ["notes"])  # the site is kept: hard links of the last output
    assert read == ["notes.txt"]
    warm = (project / "output" / "manifest.json").read_bytes()

    entry = next(project.glob("entries/*.yaml"))
    entry.write_text(entry.read_text(encoding="utf-8").replace("One-stop shops", "One-stop shop"), encoding="utf-8")
    os.utime(entry, (old + 1, old + 1))
    read.clear()
    build(project, ["notes"])
    assert sorted(read) == sorted([entry.name, "notes.txt"])

    (project / ".compendium-cache" / manifest.DIGESTS).unlink()  # every file read: the same manifest
    entry.write_text(entry.read_text(encoding="utf-8").replace("One-stop shop", "One-stop shops"), encoding="utf-8")
    read.clear()
    build(project, ["notes"])
    assert len(read) > 3
    assert (project / "output" / "manifest.json").read_bytes() == warm


def test_the_old_output_is_deleted_in_the_background(project, fake_formats, monkeypatch):
    """After the swap the old output is moved aside and deleted by a thread: the build returns first;
    what a build leaves (the process ended first) is deleted by the next one."""
    import threading

    from compendium.output import swap

    build(project, ["notes", "site"])
    gate = threading.Event()
    real = swap._remove
    monkeypatch.setattr(swap, "_remove", lambda folder: gate.wait(10) and real(folder))
    build(project, ["notes", "site"])  # returns while the old output waits to be deleted
    cache = project / ".compendium-cache"
    left = list(cache.glob(".staging-*"))
    assert left and any((p / "old" / "notes.txt").is_file() for p in left)
    assert (project / "output" / "notes.txt").read_text() == "ke-one-stop\n"
    gate.set()
    wait_discarded()
    assert not list(cache.glob(".staging-*"))

    monkeypatch.setattr(swap, "_remove", lambda folder: None)  # a process that ended before its thread did
    build(project, ["notes"])
    assert list(cache.glob(".staging-*"))
    monkeypatch.setattr(swap, "_remove", real)
    build(project, ["notes"])
    wait_discarded()
    assert not list(cache.glob(".staging-*"))


def slow_book_renderer(book, ctx):
    """A book that is made only once the site has started (the site renders beside the books)."""
    import time

    deadline = time.monotonic() + 20
    while not (ctx.out_dir.parent / "site-started").exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the site did not start before the books were done")
        time.sleep(0.02)
    path = ctx.out_dir / "book.txt"
    path.write_text("the book\n", encoding="utf-8")
    return [path]


def linking_site_renderer(book, ctx):
    site = ctx.out_dir / "site"
    site.mkdir(parents=True)
    (ctx.out_dir.parent / "site-started").touch()  # a page that lists no book: written at once
    (site / "index.txt").write_text("".join(f"{d.format} {d.file} {d.size}\n" for d in ctx.downloads))
    return [site]


def test_the_site_renders_beside_the_books_and_lists_them_once_made(project, monkeypatch):
    monkeypatch.setitem(render.FORMATS, "slowbook", render.Format("slowbook", function=slow_book_renderer))
    monkeypatch.setitem(render.FORMATS, "linking", render.Format("linking", function=linking_site_renderer,
                                                                 produces="folder", after=("books",)))
    build(project, ["linking", "slowbook"], jobs=2)
    assert (project / "output/site/index.txt").read_text() == "slowbook book.txt 9\n"


def test_a_file_with_two_names_is_read_once(tmp_path, monkeypatch):
    """A book and its copy in the site's downloads/ are one file (a hard link): its digest is read once."""
    import os

    from compendium.output import manifest

    (tmp_path / "out" / "html" / "downloads").mkdir(parents=True)
    book = tmp_path / "out" / "book.pdf"
    book.write_bytes(b"%PDF-1.4 a book")
    os.link(book, tmp_path / "out" / "html" / "downloads" / "book.pdf")
    read: list[str] = []
    real = manifest.file_sha256
    monkeypatch.setattr(manifest, "file_sha256", lambda path: read.append(path.name) or real(path))
    files = manifest.output_files(tmp_path / "out", manifest.Digests(tmp_path / "digests.json"))
    assert [f.path for f in files] == ["book.pdf", "html/downloads/book.pdf"]
    assert files[0].sha256 == files[1].sha256 and read == ["book.pdf"]


def test_the_renderers_are_imported_while_the_project_is_validated(project, monkeypatch):
    """A build forks its workers first and each imports the renderers that start first (reportlab and
    the PDF's engine: 0.2 s) while this process validates the project; the render runs in such a worker."""
    import os
    import time

    from compendium.output import build as build_module

    validated: list[float] = []
    real = build_module.load_book

    def slow_load_book(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        out = real(*args, **kwargs)
        time.sleep(1.0)  # a long validation: the import must not wait for its end
        validated.append(time.monotonic())
        return out

    monkeypatch.setattr(build_module, "load_book", slow_load_book)
    monkeypatch.setitem(render.FORMATS, "early", render.Format("early", module="tests.output.early_format"))
    result = build(project, ["early"])
    imported_pid, imported_at, rendered_pid = (result.out / "early.txt").read_text().split()
    assert imported_pid == rendered_pid != str(os.getpid())
    assert float(imported_at) < validated[0]


def test_a_build_parses_only_the_entry_files_that_changed(project, monkeypatch):
    """Entry files read cleanly are kept between builds (input.load.ParsedFiles): the next build
    parses only files whose identity changed, and one whose content changed gives the book its new
    text; a file with problems, or one just written, is always read again."""
    import os
    import time

    from compendium.input import load, validate
    from compendium.output.build import load_book
    from tests.helpers import ENTRY, write

    for n in range(3):
        write(project, f"entries/e{n}.yaml", ENTRY.replace('title: "One-stop shops"', f'title: "Entry {n}"'))
    past = time.time() - 60
    for path in (project / "entries").rglob("*.yaml"):
        os.utime(path, (past, past))  # written a minute ago: a file just written is always read again
    parsed: list[str] = []
    real = load.parse_yaml

    def counting(text, rel, issues):  # noqa: ANN001, ANN202
        parsed.append(rel)
        return real(text, rel, issues)

    def entries() -> list[str]:
        return sorted(rel for rel in parsed if rel.startswith("entries/"))

    checked: list[str] = []
    real_check = validate.validate_entry

    def counting_check(doc, edition, unknown=frozenset()):  # noqa: ANN001, ANN202
        checked.append(doc.rel)
        return real_check(doc, edition, unknown)

    monkeypatch.setattr(load, "parse_yaml", counting)
    monkeypatch.setattr(validate, "validate_entry", counting_check)
    first, _ = load_book(project)
    assert entries() == ["entries/e0.yaml", "entries/e1.yaml", "entries/e2.yaml", "entries/ke-one-stop.yaml"]
    assert len(checked) == 4
    parsed.clear()
    checked.clear()
    again, _ = load_book(project)
    assert entries() == [] and checked == [] and again == first  # neither parsed nor checked again
    edition = (project / "compendium.yaml").read_text(encoding="utf-8")
    (project / "compendium.yaml").write_text(edition + "\n# a comment changes no value\n", encoding="utf-8")
    load_book(project)
    assert checked == []  # the edition as validated is the same
    (project / "compendium.yaml").write_text(edition.replace("Improving the Delivery", "Delivering"), encoding="utf-8")
    renamed, _ = load_book(project)
    assert len(checked) == 4  # the entries are filed under a theme whose name changed: checked again
    assert all(e.theme.name.startswith("Delivering") for e in renamed.entries if e.theme.id == "service-delivery")
    from PIL import Image

    picture = project / "entries" / "pic.png"
    Image.new("RGB", (800, 600), "#336699").save(picture)
    with_picture = write(project, "entries/e0.yaml", ENTRY.replace('title: "One-stop shops"', 'title: "Entry 0"')
                         + "images:\n  - {file: pic.png, alt: a picture}\n")
    for path in (picture, with_picture):
        os.utime(path, (past + 2, past + 2))
    load_book(project)
    checked.clear()
    load_book(project)
    assert checked == []
    Image.new("RGB", (1000, 600), "#336699").save(picture)  # the picture replaced: its entry is checked again
    os.utime(picture, (past + 3, past + 3))
    book, _ = load_book(project)
    assert checked == ["entries/e0.yaml"]
    assert next(e for e in book.entries if e.title == "Entry 0").images[0].width == 1000
    checked.clear()
    parsed.clear()
    load_book(project, clean=True)  # build --clean reads every file again
    assert len(entries()) == 4

    changed = write(project, "entries/e1.yaml", ENTRY.replace('title: "One-stop shops"', 'title: "Entry one, renamed"'))
    os.utime(changed, (past + 1, past + 1))
    parsed.clear()
    third, _ = load_book(project)
    assert entries() == ["entries/e1.yaml"]
    assert "Entry one, renamed" in [e.title for e in third.entries]

    fresh = write(project, "entries/e2.yaml", ENTRY.replace('title: "One-stop shops"', 'title: "Entry 2, again"'))
    parsed.clear()
    load_book(project)  # just written (mtime within 2 s): read, and not kept
    load_book(project)
    assert parsed.count("entries/e2.yaml") == 2 and fresh.is_file()
