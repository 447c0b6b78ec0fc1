"""The EPUB's last pandoc output kept between builds (issue 12): pandoc converts only the runs that
changed, and the book is the very one a whole-book pandoc run makes (compared byte for byte with a
build from an empty cache after every kind of edit)."""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest

from compendium.model import Book
from compendium.output.build import load_book
from compendium.output.series import load_series, volumes
from compendium.render import epub
from compendium.render.common import RenderContext
from compendium.render.epub.chapters import FOLDER, Chapters
from compendium.render.epub.kept_entries import FOLDER as ENTRIES
from compendium.render.epub.runs import Run, cut, info, ref_map, with_files
from compendium.render.pandoc import Div, Header, Image, Link, Para, RawHtml, Span, Str, attr
from tests.helpers import Epub, arabic_project, copy_sample, copy_series
from tests.render.epub.editions import make_project

XHTML = "{http://www.w3.org/1999/xhtml}"
ZAJEL = "entries/knowledge-management/bh-zajel.yaml"
IDSC = "entries/knowledge-management/eg-idsc.yaml"
INTEGRITY = "entries/preventing-corruption/kr-integrity-assessment.yaml"  # an entry with a picture
GENRE = "entries/gender-responsive/ma-budget-genre.yaml"


def _retrospective(root: Path) -> Book:
    """The sample series' retrospective: 2013's Zajel follows up 2012's, both in the book (a link)."""
    series, result = load_series(root)
    return next(v.book for v in volumes(series, result) if v.kind == "retrospective")


def _edition(root: Path) -> Book:
    return load_book(root)[0]


def _build(root: Path, out: Path, cache: Path, load: Callable[[Path], Book] = _edition) -> tuple[bytes, list[str]]:
    book = load(root)
    steps: list[str] = []
    path = epub.render(book, RenderContext(out_dir=out, cache_dir=cache, step=steps.append))[0]
    return path.read_bytes(), steps


class Project:
    """A project built warm (one cache kept across builds) and compared with cold builds."""

    def __init__(self, root: Path, tmp: Path, load: Callable[[Path], Book] = _edition) -> None:
        self.root, self.tmp, self.builds, self.load = root, tmp, 0, load
        self.n = len(load(root).entries)

    def warm(self) -> tuple[bytes, list[str]]:
        self.builds += 1
        self.last = self.tmp / f"warm-{self.builds}"
        return _build(self.root, self.last, self.tmp / "cache", self.load)

    def cold(self) -> bytes:
        """The book from an empty cache: pandoc converts it whole."""
        self.builds += 1
        data, steps = _build(self.root, self.tmp / f"cold-{self.builds}", self.tmp / f"cold-cache-{self.builds}",
                             self.load)
        assert steps == [f"pandoc on {len(self.load(self.root).entries)} entries"]
        return data

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def epub(self) -> Epub:
        """The last warm build's EPUB."""
        return Epub(next(self.last.glob("*.epub")))


@pytest.fixture
def sample(tmp_path) -> Project:
    project = Project(copy_sample(tmp_path / "sample"), tmp_path)
    _, steps = project.warm()
    assert steps == [f"pandoc on {project.n} entries"]
    return project


def test_a_warm_epub_is_the_book_a_whole_pandoc_run_makes(sample):
    n = sample.n
    cold = sample.cold()
    assert len(list((sample.tmp / "cache" / FOLDER).glob("*.pickle"))) == 1  # the book's kept output
    warm, steps = sample.warm()
    assert steps == [f"pandoc on 0 of {n} entries ({n} unchanged)"]
    assert warm == cold

    sample.edit(ZAJEL, "summary: |\n", "summary: |\n  تحديث.\n")
    changed, steps = sample.warm()
    assert steps == [f"pandoc on 1 of {n} entries ({n - 1} unchanged)"]
    assert changed == sample.cold() != cold
    assert any("تحديث" in "".join(el.itertext()) for el in sample.epub().xhtml.values())
    assert len(list((sample.tmp / "cache" / ENTRIES).rglob("*.pickle"))) == n  # the old blocks forgotten


@pytest.mark.parametrize("edit", ["picture", "title"])
def test_a_changed_entry_keeps_its_pictures_and_file_names(sample, edit):
    """The changed entry's file is written by a pandoc run of its own: its pictures and its <title>
    (the file's name) must come out as the whole book's run writes them."""
    n = sample.n
    if edit == "picture":  # its picture is media/file3 of the whole book (the last part's), not the small run's file0
        sample.edit(GENRE, "summary: |\n", "summary: |\n  Revised.\n")
    else:  # the part opener, contents and index name it too: converted again, linking to the kept files
        sample.edit(IDSC, "title: ", "title: Renamed ")
    warm, steps = sample.warm()
    assert steps == [f"pandoc on 1 of {n} entries ({n - 1} unchanged)"]
    assert warm == sample.cold()
    book = sample.epub()
    pictures = [book.resolve(img.get("src"), PurePosixPath(name)) for name, page in book.xhtml.items()
                for img in page.iter(f"{XHTML}img")]
    assert len(set(pictures)) == len(pictures) == 4 and set(pictures) <= set(book.zip.namelist())
    for name, page in book.xhtml.items():
        title = page.find(f"{XHTML}head/{XHTML}title").text or ""
        assert not re.fullmatch(r"ch\d+\.xhtml", title) or title == Path(name).name


def test_links_between_entries_land_in_the_whole_books_files(tmp_path):
    """In the retrospective 2013's Zajel follows up 2012's: each links to the other's file. Converted
    alone, an entry's links must still say the file the other lands in."""
    book = Project(copy_series(tmp_path / "series"), tmp_path, _retrospective)
    book.warm()
    n = book.n
    for rel in ("2013/entries/whole-of-government/bh-zajel-whole-of-government.yaml", f"2012/{ZAJEL}"):
        book.edit(rel, "summary: |\n", "summary: |\n  Revised.\n")
        warm, steps = book.warm()
        assert steps == [f"pandoc on 1 of {n} entries ({n - 1} unchanged)"]
        assert warm == book.cold()
    epub = book.epub()
    for source, target in (("e-2013-bh-zajel-whole-of-government", "e-2012-bh-zajel"),
                           ("e-2012-bh-zajel", "e-2013-bh-zajel-whole-of-government")):
        hrefs = [a.get("href") for a in epub.xhtml[epub.file_of(source)].iter(f"{XHTML}a")]
        assert f"{Path(epub.file_of(target)).name}#{target}" in hrefs


@pytest.mark.parametrize("edit", ["added", "removed", "moved", "picture added"])
def test_other_files_or_pictures_convert_more_and_still_make_the_same_book(sample, edit):
    """An entry added, removed or moved to another part changes the files every later entry lands in:
    the whole book goes through pandoc. A picture added renumbers later pictures: stand-ins."""
    root, n = sample.root, sample.n
    if edit == "added":
        text = (root / IDSC).read_text(encoding="utf-8").replace("title: ", "title: Second ", 1)
        text = text.replace("id: 2012-eg-idsc", "id: 2012-eg-idsc-2", 1)
        (root / IDSC).with_name("eg-idsc-2.yaml").write_text(text, encoding="utf-8")
        want = [f"pandoc on {n + 1} entries"]
    elif edit == "removed":
        (root / IDSC).unlink()
        want = [f"pandoc on {n - 1} entries"]
    elif edit == "moved":
        shutil.move(root / IDSC, root / "entries/participation/eg-idsc.yaml")
        sample.edit("entries/participation/eg-idsc.yaml", "category: knowledge-management", "category: participation")
        want = [f"pandoc on {n} entries"]
    else:
        shutil.copy(root / "entries/preventing-corruption/images/kr-integrity-scores.png",
                    root / "entries/gender-responsive/images/extra.png")
        sample.edit(GENRE, "images:\n", "images:\n  - file: images/extra.png\n    alt: Another chart.\n")
        want = [f"pandoc on 1 of {n} entries ({n - 1} unchanged)"]
    warm, steps = sample.warm()
    assert steps == want
    assert warm == sample.cold()
    # and the next edit takes the short path again
    sample.edit(ZAJEL, "summary: |\n", "summary: |\n  Again.\n")
    warm, steps = sample.warm()
    assert steps[0].startswith("pandoc on 1 of ")
    assert warm == sample.cold()


def test_a_warm_build_after_many_edits_is_the_cold_build(sample):
    n = sample.n
    edits = [(ZAJEL, "summary: |\n", "summary: |\n  One.\n"), (INTEGRITY, "summary: |\n", "summary: |\n  Two.\n"),
             (ZAJEL, "  One.\n", ""),  # back as it was: its old file may be what the cache holds
             (IDSC, "title: ", "title: Three "), (GENRE, "summary: |\n", "summary: |\n  Four.\n")]
    for rel, old, new in edits:
        sample.edit(rel, old, new)
        _, steps = sample.warm()
        assert steps == [f"pandoc on 1 of {n} entries ({n - 1} unchanged)"]
    assert sample.warm()[0] == sample.cold()


@pytest.mark.parametrize("make", [arabic_project, make_project], ids=["arabic", "hostile"])
def test_right_to_left_and_hostile_books_stay_the_same_bytes(tmp_path, make):
    project = Project(make(tmp_path / "project"), tmp_path)
    project.warm()
    entry = sorted((project.root / "entries").glob("*.yaml"))[0]
    rel = entry.relative_to(project.root).as_posix()
    project.edit(rel, "summary: |\n", "summary: |\n  Edited <b>text</b> & more.\n")
    warm, steps = project.warm()
    assert steps == [f"pandoc on 1 of {project.n} entries ({project.n - 1} unchanged)"]
    assert warm == project.cold()


def test_a_damaged_kept_output_is_only_a_slower_build(sample):
    cold = sample.cold()
    for path in (sample.tmp / "cache" / FOLDER).glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    for path in (sample.tmp / "cache" / ENTRIES).rglob("*.pickle"):
        path.write_bytes(b"not a pickle")  # an entry's kept blocks, damaged: made again
        break
    again, steps = sample.warm()
    assert steps == [f"pandoc on {sample.n} entries"]
    assert again == cold


# ---------------------------------------------------------------------------- runs and the paths chosen

def _runs() -> list[Run]:
    return cut([
        Header(1, [Str("Front")], attr("front")),
        Para([Link([Str("to b")], "#b-fig"), Link([Str("nowhere")], "#missing"), Link([Str("web")], "https://x.org")]),
        Header(3, [Str("A")], attr("a", ["entry"])),
        Div([RawHtml('<p id="raw-a">x</p>'), Para([Span([Str("s")], attr("span-a"))])], attr("div-a")),
        Header(3, [Str("B")], attr("b", ["entry"])),
        Para([Image("alt", "b.png", attr("b-fig")), Image("alt", "c.png")]),
        Header(4, [Str("Inside")], attr("b-inside")),
        Para([Link([Str("back")], "#raw-a")]),
    ])


def test_runs_say_what_pandoc_resolves_across_files():
    runs = _runs()
    assert [(r.level, r.anchor, r.entry) for r in runs] == [(1, "front", False), (3, "a", True), (3, "b", True)]
    infos = [info(r.blocks) for r in runs]
    assert set(infos[1].ids) == {"a", "div-a", "raw-a", "span-a"}  # raw HTML ids count, as in pandoc's refMap
    assert infos[0].targets == ("b-fig", "missing") and infos[2].targets == ("raw-a",)
    assert infos[2].images == ("b.png", "c.png") and infos[2].figures == 0
    refs = ref_map(infos)
    assert refs["b-fig"] == 2 and refs["raw-a"] == 1 and "missing" not in refs
    files = ["ch001.xhtml", "ch002.xhtml", "ch003.xhtml"]
    linked = with_files(runs[0].blocks, refs, files)
    targets = [i["c"][2][0] for i in linked[1]["c"]]
    assert targets == ["ch003.xhtml#b-fig", "#missing", "https://x.org"]
    assert runs[0].blocks[1]["c"][0]["c"][2][0] == "#b-fig"  # a copy: the runs are not changed


def test_the_path_a_build_takes(tmp_path):
    """Same files: changed runs only (none: no pandoc at all); a footnote anywhere: the whole book."""
    args = ["pandoc", "book.json", "--split-level=3"]
    members = {"mimetype": b"", **{f"EPUB/text/ch00{i + 1}.xhtml": f'<section id="{r.anchor}">'.encode()
                                   for i, r in enumerate(_runs())}}
    members["EPUB/text/ch003.xhtml"] += b'<img src="../media/file0.png" /><img src="../media/file1.png" />'
    members["EPUB/text/ch001.xhtml"] += b'<a href="ch003.xhtml#b-fig">x</a><a href="#missing">y</a>'
    members["EPUB/text/ch003.xhtml"] += b'<a href="ch002.xhtml#raw-a">z</a>'
    first = Chapters(tmp_path / "book.pickle")
    assert first.plan({}, _runs(), args, tmp_path, "x", 0, True) is not None and first.mode == "whole"
    first.save(members)

    again = Chapters(tmp_path / "book.pickle")
    assert again.plan({}, _runs(), args, tmp_path, "x", 0, True) is None  # nothing to convert
    assert (again.mode, again.pandoc, again.assemble({})) == ("changed", False, members)

    edited = _runs()
    edited[1].blocks.append(Para([Str("new")]))
    edited[1].key = "another"
    changed = Chapters(tmp_path / "book.pickle")
    doc = changed.plan({}, edited, args, tmp_path, "x", 0, True)
    assert changed.mode == "changed" and changed.changed == [1]
    assert [b["c"][1][0] for b in doc["blocks"] if b["t"] == "Header"] == ["compendium-changed-runs", "a"]

    noted = _runs()
    noted[2].blocks.append(Para([{"t": "Note", "c": [Para([Str("a note")])]}]))
    noted[2].key = "noted"
    whole = Chapters(tmp_path / "book.pickle")
    whole.plan({}, noted, args, tmp_path, "x", 0, True)
    assert whole.mode == "whole"  # pandoc numbers footnotes through the book


def test_the_chapter_files_of_earlier_versions_are_removed(sample):
    """Before the kept output was one file per book, each book kept a folder of chapter files."""
    record = next((sample.tmp / "cache" / FOLDER).glob("*.pickle"))
    legacy = record.with_suffix("")
    legacy.mkdir()
    (legacy / "0123abcd.xhtml").write_bytes(b"<html/>")
    sample.warm()
    assert not legacy.exists() and record.is_file()
