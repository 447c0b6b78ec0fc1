"""The PDF body laid out by units (issue 12): in worker processes, kept for the next build, replayed.

Whichever way a unit was laid out (now in this process, by a worker, by an earlier build) the
book's bytes are the same; an entry that grows moves every later entry, and the contents, the
outline, the index and the page labels all follow; a warm build lays out the changed entry only.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdf
import pytest
from reportlab.platypus import Spacer

from compendium.output.build import load_book
from compendium.render.common import RenderContext
from compendium.render.pdf import render
from compendium.render.pdf.display import UnitDoc
from compendium.render.pdf.units import FOLDER, TEXT
from tests.helpers import EDITION, ENTRY, copy_sample, pdf_outline, write

FIXTURES = Path(__file__).parent / "fixtures"
# entries with Arabic, Hebrew, stacked Yoruba marks and emoji: shaped runs, whose private-use
# glyph codes must come out the same whichever process shaped them
FIELD_CASES = {"uy-open-consultation.yaml": "participation", "ng-yoruba-portal.yaml": "service-delivery",
               "ke-mobile-clinic.yaml": "service-delivery", "il-budget-portal.yaml": "participation"}


def _render(root: Path, out: Path, cache: Path, jobs: int) -> tuple[bytes, list[str], list]:
    """(PDF bytes, the steps the renderer told, its warnings)."""
    book, _ = load_book(root)
    steps: list[str] = []
    ctx = RenderContext(out_dir=out, cache_dir=cache, jobs=jobs, step=steps.append)
    path = render(book, ctx)[0]
    return path.read_bytes(), steps, ctx.warnings


def test_cold_warm_serial_parallel_and_partly_cached_builds_give_the_same_bytes(tmp_path):
    root = tmp_path / "sample"
    copy_sample(root)  # the sample's 2012 edition, a project of its own
    for name, folder in FIELD_CASES.items():
        shutil.copy(FIXTURES / name, root / "entries" / folder / name)
    serial, steps, warnings = _render(root, tmp_path / "a", tmp_path / "cache-a", jobs=1)
    assert any(s.startswith("laying out ") for s in steps) and not any("cores" in s for s in steps)
    units = _display_lists(tmp_path / "cache-a")
    assert len(units) > 20

    warm, steps, warm_warnings = _render(root, tmp_path / "b", tmp_path / "cache-a", jobs=2)
    assert any(s.startswith(f"placing {len(units)} unchanged") for s in steps), steps
    assert warm == serial
    assert warm_warnings == warnings  # a cached entry warns as a new one does (pdf.glyph, resolution)
    assert any(w.code == "pdf.glyph" for w in warnings)

    parallel, steps, _ = _render(root, tmp_path / "c", tmp_path / "cache-c", jobs=2)
    assert any(s.endswith("on 2 cores") for s in steps), steps
    assert parallel == serial

    for n, unit in enumerate(sorted((tmp_path / "cache-c" / FOLDER).rglob("*.pickle"))):
        if n % 2:
            unit.unlink()
        elif n % 3 == 0:
            unit.write_bytes(b"not a pickle")  # a damaged cache entry is laid out again, not trusted
    partly, steps, _ = _render(root, tmp_path / "d", tmp_path / "cache-c", jobs=2)
    assert partly == serial


def _display_lists(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / FOLDER).rglob("*.pickle") if not p.name.endswith(TEXT))


def _entry(n: int, country: str, summary: str = "A short summary.") -> str:
    return (ENTRY.replace('title: "One-stop shops"', f'title: "Initiative number {n}"')
            .replace("country: KE", f"country: {country}")
            .replace("A short **summary**.", summary))


COUNTRIES = ["KE", "BR", "FR", "IN", "MX", "JP", "GH", "CA"]


def _pdftotext(path: Path, first: int, last: int, layout: bool = False) -> str:
    """The text of pages first..last, in one line; with `layout`, line by line as laid out (a contents
    line: its region, title and page number side by side)."""
    out = subprocess.run(["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", "-f", str(first),
                          "-l", str(last), str(path), "-"], capture_output=True, text=True, check=True).stdout
    out = unicodedata.normalize("NFKC", out)
    return out if layout else " ".join(out.split())


def _read_back(path: Path) -> dict[str, object]:
    """What a reader finds: each entry's page (by its title), the TOC's and the index's numbers, the outline."""
    reader = pypdf.PdfReader(path)
    labels = reader.page_labels
    outline = pdf_outline(reader)
    toc = next(p for _, t, p in outline if t == "Contents")
    overview = next(p for _, t, p in outline if t == "Overview")
    index = next(p for _, t, p in outline if t == "Index of countries")
    found = {}  # title → folio of the page whose text starts the entry
    for i, page in enumerate(reader.pages):
        named = set(re.findall(r"Initiative number (\d+)", page.extract_text() or ""))
        if len(named) == 1 and overview < i + 1 < index:  # not a part opener: it lists its entries
            found.setdefault(f"Initiative number {named.pop()}", labels[i])
    toc_text = _pdftotext(path, toc, overview - 1, layout=True)
    index_text = _pdftotext(path, index, len(reader.pages))
    return {
        "pages": found,
        "toc": dict(re.findall(r"(Initiative number \d+) · [A-Za-z ]+? +(\d+)$", toc_text, re.M)),
        "outline": {t: labels[p - 1] for lvl, t, p in outline if lvl == 2},
        "index": index_text,
        "count": len(reader.pages),
    }


def test_an_entry_that_grows_moves_every_later_number(tmp_path):
    write(tmp_path, "compendium.yaml", EDITION)
    for n, country in enumerate(COUNTRIES, 1):
        theme = "service-delivery" if n <= 4 else "knowledge-management"
        write(tmp_path, f"entries/e{n}.yaml",
              _entry(n, country).replace("category: service-delivery", f"category: {theme}"))
    out, cache = tmp_path / "out", tmp_path / "cache"
    before_bytes, _, _ = _render(tmp_path, out, cache, jobs=2)
    before = _read_back(out / next(p.name for p in out.glob("*.pdf")))

    # the first entry of the book (Kenya: Africa comes first) grows by several pages: every entry after it moves
    long = "\n\n  ".join(f"Paragraph {k}: " + "growing text that fills the page " * 40 for k in range(12))
    write(tmp_path, "entries/e1.yaml", _entry(1, "KE", long))
    after_bytes, steps, _ = _render(tmp_path, out, cache, jobs=2)
    assert any(s.startswith("laying out 1 of ") for s in steps), steps  # only the changed entry
    pdf = out / next(p.name for p in out.glob("*.pdf"))
    after = _read_back(pdf)

    assert after["count"] > before["count"] + 2
    pages = after["pages"]
    assert len(pages) == len(COUNTRIES)
    moved = [t for t in pages if int(pages[t]) > int(before["pages"][t])]
    assert len(moved) == len(COUNTRIES) - 1  # every other entry, in this part and the next
    # the contents, the outline and the index of countries say where each entry now is
    assert after["toc"] == pages
    assert after["outline"] == pages
    for n, country in enumerate(COUNTRIES, 1):
        name = {"KE": "Kenya", "BR": "Brazil", "FR": "France", "IN": "India", "MX": "Mexico", "JP": "Japan",
                "GH": "Ghana", "CA": "Canada"}[country]
        assert re.search(rf"\b{name}\b\W+{pages[f'Initiative number {n}']}\b", after["index"]), (name, after["index"])

    # and the warm build is the very book a cold build of the new project makes
    cold, _, _ = _render(tmp_path, tmp_path / "cold", tmp_path / "cold-cache", jobs=1)
    assert after_bytes == cold
    assert before_bytes != after_bytes


def test_unchanged_units_are_kept_and_unused_ones_forgotten(tmp_path):
    write(tmp_path, "compendium.yaml", EDITION)
    for n, country in enumerate(COUNTRIES[:3], 1):
        write(tmp_path, f"entries/e{n}.yaml", _entry(n, country))
    cache = tmp_path / "cache"
    _render(tmp_path, tmp_path / "out", cache, jobs=1)
    first = {p.name: p.stat().st_mtime_ns for p in (cache / FOLDER).rglob("*.pickle")}
    assert len(_display_lists(cache)) == 1 + 3  # a part opener, three entries
    assert len(first) == 2 * 4  # and the text each unit's pages were written with (textcache.py)
    write(tmp_path, "entries/e3.yaml", _entry(3, COUNTRIES[2], "A longer summary now."))
    _, steps, _ = _render(tmp_path, tmp_path / "out", cache, jobs=1)
    assert "laying out 1 of 4 entries and part openers (3 unchanged)" in steps
    second = {p.name: p.stat().st_mtime_ns for p in (cache / FOLDER).rglob("*.pickle")}
    assert len(second) == 2 * 4  # the old display lists of e3 (and their text) were removed
    assert len(set(first) & set(second)) == 2 * 3
    assert all(first[name] == second[name] for name in set(first) & set(second))


def test_a_recorded_page_never_names_a_document_resource():
    """A display list must replay into any document: an operator naming the recorder's own font or
    XObject would point at nothing in the book's."""
    from compendium.render.pdf.display import _compact

    assert _compact(["q", "1 0 0 1 2 3 cm", "Q"]) == ["q\n1 0 0 1 2 3 cm\nQ"]
    for op in ("BT /F1 12 Tf 14.4 TL ET", "/FormXob.abc Do", "/GS1 gs"):
        with pytest.raises(ValueError, match="document resource"):
            _compact(["q", op])


def test_a_recorded_page_keeps_marks_links_and_text_apart(project):
    from compendium.render.pdf import Setup
    from compendium.render.pdf.layout import Anchor, Mark
    from compendium.render.pdf.markdown import Markup

    book, _ = load_book(project)
    s = Setup(book, project / "cache")
    m = Markup(s.tc, "body")
    with m.styled(link="https://example.org/"):
        m.text("A linked sentence")
    pages = UnitDoc(s.geom.frame_width, s.geom.frame_height).record(
        [Anchor("entry-x", "An entry", 2), Spacer(0, 20), m.flowable()])
    assert len(pages) == 1
    kinds = [type(op).__name__ for op in pages[0]]
    assert "Mark" in kinds and "Link" in kinds and "tuple" in kinds  # a text line
    mark = next(op for op in pages[0] if isinstance(op, Mark))
    assert mark.key == "entry-x" and 0 < mark.y <= s.geom.frame_height  # from the text block's foot


def _die(batch, folder):  # a layout worker killed mid-book (out of memory, kill -9)
    import os

    os._exit(1)


def test_a_layout_worker_that_dies_fails_the_pdf_by_entry(tmp_path, monkeypatch):
    from compendium.errors import RenderError
    from compendium.render.pdf import units

    write(tmp_path, "compendium.yaml", EDITION)
    for n, country in enumerate(COUNTRIES, 1):
        write(tmp_path, f"entries/e{n}.yaml", _entry(n, country))
    monkeypatch.setattr(units, "_lay_out_batch", _die)
    with pytest.raises(RenderError, match=r"a PDF layout worker ended unexpectedly while laying out '.+' "
                                          r"\(killed, or out of memory\?\)"):
        _render(tmp_path, tmp_path / "out", tmp_path / "cache", jobs=2)
    assert not list((tmp_path / "out").glob("*.pdf"))


def _book_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    return " ".join(unicodedata.normalize("NFKC", p.extract_text() or "") for p in pypdf.PdfReader(path).pages)


def test_what_an_entry_takes_from_the_book_around_it_is_in_its_key(tmp_path):
    """An entry's pages depend on more than the entry: its figures' numbers count the pictures of every
    entry before it, its part opener lists its title, gloss and country, its running head its country and
    short title. After each change below the warm build is the book a cold build makes."""
    from PIL import Image

    write(tmp_path, "compendium.yaml", EDITION)
    long = "\n\n  ".join("Text that runs over several pages, " * 60 for _ in range(6))  # running heads show

    def _entry(n: int, country: str) -> str:
        return globals()["_entry"](n, country, long)

    for n, country in enumerate(["BR", "FR", "KE"], 1):  # book order by region: Kenya, Brazil, France
        write(tmp_path, f"entries/e{n}.yaml", _entry(n, country))
    Image.new("RGB", (900, 600), "#336699").save(tmp_path / "entries" / "chart.png")
    picture = "images:\n  - {file: chart.png, alt: a chart, caption: Queues by month}\n"
    write(tmp_path, "entries/e1.yaml", _entry(1, "BR") + picture)
    cache = tmp_path / "cache"
    first, _, _ = _render(tmp_path, tmp_path / "out", cache, jobs=1)
    assert "Figure 2. Queues by month" in _book_text(first, tmp_path)  # Figure 1: the overview's chart

    changes = [
        # a picture in the first entry (Kenya's): Brazil's figure becomes Figure 3, its entry unchanged
        ("figure numbers", "e3.yaml", _entry(3, "KE") + picture.replace("Queues", "Visits"),
         ["Figure 2. Visits by month", "Figure 3. Queues by month"]),
        # a new title: the part opener's list and the entry's running head follow
        ("title", "e1.yaml", (_entry(1, "BR") + picture).replace("Initiative number 1",
                                                                  "Renamed scheme: a longer subtitle"),
         ["Renamed scheme: a longer subtitle", "Brazil · Renamed scheme"]),
        # another country: the part opener lists it, the running head names it
        ("country", "e2.yaml", _entry(2, "GH"), ["Ghana · Initiative number 2"]),
    ]
    for what, name, text, expected in changes:
        write(tmp_path, f"entries/{name}", text)
        warm, steps, _ = _render(tmp_path, tmp_path / "out", cache, jobs=1)
        cold, _, _ = _render(tmp_path, tmp_path / f"cold-{what}", tmp_path / f"cold-cache-{what}", jobs=1)
        assert warm == cold, what
        found = _book_text(warm, tmp_path)
        for words in expected:
            assert words in found, (what, words)


def test_the_layout_workers_prepare_the_pictures_the_book_draws(tmp_path, monkeypatch):
    """A picture's XObject (decoded, deflated: ~10 ms each) is made by the worker that lays its entry
    out, in the form the book is written in, never again by the process writing the book; a warm
    build makes none."""
    import os

    from compendium.render.pdf import pictures

    made = tmp_path / "made.txt"
    real = pictures._make_xobject

    def counting(image, mask, cache, name):  # noqa: ANN001, ANN202
        with made.open("a") as fh:  # the workers are other processes: they tell through a file
            fh.write(f"{os.getpid()} {image!s}\n")
        return real(image, mask, cache, name)

    monkeypatch.setattr(pictures, "_make_xobject", counting)
    root = tmp_path / "sample"
    copy_sample(root)
    cold, steps, _ = _render(root, tmp_path / "a", tmp_path / "cache", jobs=2)
    assert any(s.endswith("on 2 cores") for s in steps), steps
    lines = [line.split() for line in made.read_text().splitlines()]
    in_writer = [name for pid, name in lines if pid == str(os.getpid())]
    in_workers = [name for pid, name in lines if pid != str(os.getpid())]
    pictures_drawn = sum(len(e.images) for e in load_book(root)[0].entries)
    assert len(in_workers) == pictures_drawn >= 3
    assert len(in_writer) == 1  # the cover only, painted by the writer on the book's first page
    made.unlink()
    warm, _, _ = _render(root, tmp_path / "b", tmp_path / "cache", jobs=2)
    assert warm == cold and not made.exists()


def test_kept_text_is_written_only_where_the_encoding_state_is_the_same(tmp_path, monkeypatch):
    """A warm build writes a page's lines from the text an earlier build kept when the document's
    encoding state is the one they were written in (textcache.py); an entry that brings a character
    the book never had changes the codes of every later page's new characters: those pages are
    written again. Either way the book is the bytes a cold build makes."""
    from compendium.render.pdf import textcache

    used: list[bool] = []
    real = textcache.PageWriter.finish

    def finish(self):  # noqa: ANN001, ANN202
        used.append(self.kept is not None)
        real(self)

    monkeypatch.setattr(textcache.PageWriter, "finish", finish)
    write(tmp_path, "compendium.yaml", EDITION)
    # each entry brings a letter of its own: the codes of the later ones depend on what came before
    for n, (country, letter) in enumerate(zip(COUNTRIES, "āēīōūȳǖǘ"), 1):
        write(tmp_path, f"entries/e{n}.yaml", _entry(n, country, f"A summary {letter}. " * 80))
    cache = tmp_path / "cache"
    cold, _, _ = _render(tmp_path, tmp_path / "a", cache, jobs=1)
    assert used and not any(used)

    used.clear()  # nothing changed: every page of the body from its kept text
    warm, _, _ = _render(tmp_path, tmp_path / "b", cache, jobs=1)
    assert warm == cold and all(used)

    # the first entry of the book (Kenya, Africa) gains characters no page had: Ŧ and ŋ
    write(tmp_path, "entries/e1.yaml", _entry(1, "KE", "A summary ā with Ŧŋ. " * 80))
    used.clear()
    warm, _, _ = _render(tmp_path, tmp_path / "c", cache, jobs=1)
    fresh, _, _ = _render(tmp_path, tmp_path / "d", tmp_path / "cold-cache", jobs=1)
    assert warm == fresh
    assert not all(used)  # the pages after it were written again...

    used.clear()  # ... and kept anew: the next build takes every page from the cache again
    again, _, _ = _render(tmp_path, tmp_path / "e", cache, jobs=1)
    assert again == fresh and all(used)


def test_a_warm_build_deflates_only_the_streams_that_changed(tmp_path, monkeypatch):
    """The book's deflated streams are kept (streams.py): a build of the same book deflates nothing,
    one after an entry changed only the pages whose content changed, and the bytes are a cold build's."""
    import zlib

    calls: list[tuple] = []
    real = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj", lambda *a: calls.append(a) or real(*a))  # kept.Deflated deflates with it
    write(tmp_path, "compendium.yaml", EDITION)
    for n, country in enumerate(COUNTRIES, 1):
        write(tmp_path, f"entries/e{n}.yaml", _entry(n, country, "A summary. " * 80))
    cache = tmp_path / "cache"
    cold, _, _ = _render(tmp_path, tmp_path / "a", cache, jobs=1)
    first = len(calls)
    assert first > 20  # every page, the fonts
    calls.clear()
    again, _, _ = _render(tmp_path, tmp_path / "b", cache, jobs=1)
    assert again == cold and calls == []
    write(tmp_path, "entries/e8.yaml", _entry(8, "CA", "Another summary. " * 80))
    warm, _, _ = _render(tmp_path, tmp_path / "c", cache, jobs=1)
    fresh, _, _ = _render(tmp_path, tmp_path / "d", tmp_path / "cold-cache", jobs=1)
    assert warm == fresh
    assert 0 < len(calls) - first < first / 2  # the cold one deflated all; the warm one a few
