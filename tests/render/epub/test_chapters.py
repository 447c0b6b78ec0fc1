"""The EPUB's chapter files kept between builds (issue 12): pandoc converts only the entries that
changed, and the book is the very one a full pandoc run makes."""
from __future__ import annotations

import shutil
from pathlib import Path

from compendium.output.build import load_book
from compendium.render import epub
from compendium.render.common import RenderContext
from compendium.render.epub.chapters import FOLDER
from compendium.render.epub.kept_entries import FOLDER as ENTRIES
from tests.helpers import Epub, copy_sample


def _sample(root: Path) -> Path:
    copy_sample(root)  # the sample's 2012 edition, a project of its own
    return root


def _build(root: Path, out: Path, cache: Path) -> tuple[bytes, list[str]]:
    book, _ = load_book(root)
    steps: list[str] = []
    path = epub.render(book, RenderContext(out_dir=out, cache_dir=cache, step=steps.append))[0]
    return path.read_bytes(), steps


def test_a_warm_epub_is_the_book_a_full_pandoc_run_makes(tmp_path):
    root = _sample(tmp_path / "sample")
    n = len(load_book(root)[0].entries)
    cold, steps = _build(root, tmp_path / "a", tmp_path / "cache")
    assert steps == [f"pandoc on {n} entries"]
    assert len(list((tmp_path / "cache" / FOLDER).rglob("*.xhtml"))) == n

    warm, steps = _build(root, tmp_path / "b", tmp_path / "cache")
    assert steps == [f"pandoc on 0 of {n} entries ({n} unchanged)"]
    assert warm == cold

    # one entry's text changes; another, earlier in the book, gains a picture (every later
    # picture gets another number in the EPUB): both go through pandoc, the rest is kept
    zajel = root / "entries/knowledge-management/bh-zajel.yaml"
    zajel.write_text(zajel.read_text(encoding="utf-8").replace("summary: |\n", "summary: |\n  تحديث.\n", 1),
                     encoding="utf-8")
    genre = root / "entries/gender-responsive/ma-budget-genre.yaml"
    integrity = root / "entries/preventing-corruption/kr-integrity-assessment.yaml"
    shutil.copy(root / "entries/preventing-corruption/images/kr-integrity-scores.png",
                root / "entries/gender-responsive/images/extra.png")
    genre.write_text(genre.read_text(encoding="utf-8").replace(
        "images:\n", "images:\n  - file: images/extra.png\n    alt: Another chart.\n", 1), encoding="utf-8")
    assert integrity.is_file()
    changed, steps = _build(root, tmp_path / "c", tmp_path / "cache")
    assert steps == [f"pandoc on 2 of {n} entries ({n - 2} unchanged)"]
    full, _ = _build(root, tmp_path / "d", tmp_path / "fresh-cache")
    assert changed == full
    assert changed != cold
    book = Epub(tmp_path / "c" / next(p.name for p in (tmp_path / "c").glob("*.epub")))
    assert any("تحديث" in "".join(el.itertext()) for el in book.xhtml.values())
    # the chapters no entry uses any more are forgotten, and so are the entries' kept blocks
    assert len(list((tmp_path / "cache" / FOLDER).rglob("*.xhtml"))) == n
    assert len(list((tmp_path / "cache" / ENTRIES).rglob("*.pickle"))) == n


def test_a_damaged_kept_chapter_is_only_a_slower_build(tmp_path):
    root = _sample(tmp_path / "sample")
    cold, _ = _build(root, tmp_path / "a", tmp_path / "cache")
    for path in (tmp_path / "cache" / FOLDER).rglob("*.xhtml"):
        path.write_bytes(b"<not a chapter/>")  # not the entry's chapter: the whole book goes through pandoc
        break
    for path in (tmp_path / "cache" / ENTRIES).rglob("*.pickle"):
        path.write_bytes(b"not a pickle")  # an entry's kept blocks, damaged: made again
        break
    again, steps = _build(root, tmp_path / "b", tmp_path / "cache")
    assert again == cold
