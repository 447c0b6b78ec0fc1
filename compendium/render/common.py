"""Render (shared by every format): the render context, output names, anchors, the books offered for
download, the build date, the palette, printed text."""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

from compendium.book.slug import slugify
from compendium.model import Book, Edition, Issue

# One colour per region in every chart (the site's SVG, the PDF's chart and cover band):
# the Okabe–Ito palette, distinguishable with colour-blindness.
SERIES_COLOURS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                                   "#000000")
# The book's own colours, shared by the PDF's styles and the generated cover (render.cover).
COVER_COLOURS: dict[str, str] = {"accent": "#1B5E8C", "ground": "#123F5F", "white": "#FFFFFF", "pale": "#D6E4F0",
                                 "year": "#7FA7C9"}

# ------------------------------------------------------------------ output names
# Where each format writes, below the output folder (README, "Output"). Links between formats
# (the site's download links) and the tests use these, never a copy of the pattern.

SITE_FOLDER = "html"  # the website: html/index.html, html/entries/<id>.html, ...
FACT_SHEETS_FOLDER = "fact-sheets"  # one PDF per entry


def book_file(book: Book, suffix: str) -> str:
    """The file name of a one-file book: "<edition slug>-<year>.<suffix>", or a retrospective's
    "<its id>.<suffix>" (Edition.file_stem).

    book: the book (its edition's slug and year, or its id, name the file); suffix: "pdf", "epub", ...
    Returns e.g. "united-nations-public-service-awards-2012.pdf", relative to the output folder.
    """
    return f"{book.edition.file_stem}.{suffix}"


def fact_sheet_file(entry_id: str) -> str:
    """An entry's fact sheet, relative to the output folder: "fact-sheets/<entry id>.pdf"."""
    return f"{FACT_SHEETS_FOLDER}/{entry_id}.pdf"


# ------------------------------------------------------------------ anchors
# The ids that contents pages, navigation and cross-references point at. Three schemes, kept
# as published (a changed id breaks links into the site, and bookmarks readers keep in an EPUB):
# - site (html/book.html) and EPUB: parts and chapters by key, "part-<part key>" and
#   "ch-<part key>-<chapter key>";
# - site and PDF: entries "entry-<entry id>"; the EPUB: "e-<entry id>";
# - PDF: parts and chapters by number, "part-<n>" and "chapter-<n>-<m>": a PDF id becomes a PDF
#   name (PageNo-<id>), which readers cap at 127 bytes, and theme and region keys can be long.
# Index headings of the site (keywords, ...) get unique slugs from `unique_anchor`.


def part_anchor(part_key: str) -> str:
    """The id of a part (site book page, EPUB): "part-<part key>"."""
    return f"part-{part_key}"


def chapter_anchor(part_key: str, chapter_key: str) -> str:
    """The id of a chapter (site book page, EPUB): "ch-<part key>-<chapter key>"."""
    return f"ch-{part_key}-{chapter_key}"


def entry_anchor(entry_id: str) -> str:
    """The id of an entry (site book page, PDF): "entry-<entry id>"."""
    return f"entry-{entry_id}"


def epub_entry_anchor(entry_id: str) -> str:
    """The id of an entry in the EPUB: "e-<entry id>" (an id may not start with a digit in the NCX)."""
    return f"e-{entry_id}"


def part_number_anchor(n: int) -> str:
    """The id of the n-th part (1-based) in a PDF: "part-<n>"."""
    return f"part-{n}"


def chapter_number_anchor(part_n: int, chapter_n: int) -> str:
    """The id of a PDF chapter, by part and chapter number (1-based): "chapter-<n>-<m>"."""
    return f"chapter-{part_n}-{chapter_n}"


def vocabulary_index_anchor(index_id: str) -> str:
    """The id of the index of a vocabulary field (EPUB, PDF): "index-<field id>"."""
    return f"index-{index_id}"


def unique_anchor(prefix: str, text: str, taken: set[str]) -> str:
    """A valid id for a heading titled `text`, unique among `taken` (to which it is added).

    "<prefix>-<slug of text, ≤ 40 chars>", or a short hash of the text when it has no Latin
    letters to slug (Arabic, Chinese); "-2", "-3"... when two texts give the same id.
    """
    base = slugify(text, 40) or hashlib.sha1(text.casefold().encode("utf-8")).hexdigest()[:8]
    anchor, n = f"{prefix}-{base}", 2
    while anchor in taken:
        anchor, n = f"{prefix}-{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


# ------------------------------------------------------------------ render context and build date


def _quiet(message: str) -> None:
    """A RenderContext.step that tells no one (a renderer called outside a build)."""


class Download(NamedTuple):
    """A single-file book (EPUB, PDF) the site offers for download."""

    format: str  # "pdf"
    file: str  # its name in the output folder ("united-nations-2012.pdf")
    size: int  # bytes
    path: Path  # where it is now: the staging folder of this build, or the last build's output


class BooksLater(Sequence):
    """RenderContext.downloads of a format that renders beside the books (the website): a sequence of
    Download that, when first used, waits until the build has written `path` (JSON: the books, once
    they are all made; `write` below). So the site writes every page that does not list the books
    while they are made, and waits only for those that do (its home page).

    The renderer's process is killed if a book fails (workers.run_parallel): the wait has no limit.
    """

    POLL_S = 0.05

    def __init__(self, path: Path) -> None:
        self.path = path
        self._books: tuple[Download, ...] | None = None

    def _get(self) -> tuple[Download, ...]:
        if self._books is None:
            while not self.path.is_file():
                time.sleep(self.POLL_S)
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            self._books = tuple(Download(r[0], r[1], r[2], Path(r[3])) for r in rows)
        return self._books

    def __getitem__(self, i):  # noqa: ANN001, ANN204 - Sequence's
        return self._get()[i]

    def __len__(self) -> int:
        return len(self._get())

    @staticmethod
    def write(path: Path, books: Sequence[Download]) -> None:
        """Tell the renderers waiting on `path` which books there are (atomically: never half a file)."""
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(json.dumps([[d.format, d.file, d.size, str(d.path)] for d in books]), encoding="utf-8")
        os.replace(tmp, path)


@dataclass(frozen=True)
class SeriesContext:
    """What a website across the editions of a series needs besides its Book (every entry of every
    edition, book.group.series_book): each edition's own Book, oldest first, each retrospective's,
    and which downloads (RenderContext.downloads, by file name) belong to which book (an edition's
    folder, a retrospective's id)."""

    editions: tuple[Book, ...]
    retrospectives: tuple[Book, ...] = ()
    files: tuple[tuple[str, str], ...] = ()  # (book key, file name of one of its downloads)

    def book_files(self, key: str) -> list[str]:
        return [name for k, name in self.files if k == key]


@dataclass
class RenderContext:
    """What every renderer may use besides the Book: where to write, caches, templates, warnings."""

    out_dir: Path  # a staging folder: the renderer writes only below it
    cache_dir: Path  # content-addressed cache shared by builds (may be absent: create it)
    templates_dir: Path | None = None  # the project's template overrides, if any
    warnings: list[Issue] = field(default_factory=list)
    # the book files beside the site, for download links (the site copies them into itself): known
    # before the site renders, or BooksLater when the build makes them meanwhile (read them late)
    downloads: Sequence[Download] = ()
    # what the renderer made, for the build's closing table ("334 pages", "17 entries"); set by it
    summary: str = ""
    # tells the build's progress line what the renderer is doing now, when it takes a while
    # ("cutting 12 font faces", "laying out 100 entries on 2 cores"): a build is never silent
    step: Callable[[str], None] = _quiet
    jobs: int = 1  # processes the renderer may run at once (the build's --jobs)
    # the last build's output folder (read only; None on a first build): a renderer may hard-link a file
    # from it instead of writing the same bytes again (keep_or_write), so that the file keeps its inode
    # and the build's manifest need not read it again (output.manifest.Digests)
    previous: Path | None = None
    # a site across the editions of a series (output/series.py): its editions and their books
    series: SeriesContext | None = None


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) when it is set to a number, else None."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(env) if env.isdigit() else None


def build_epoch(edition: Edition) -> int:
    """The one date stamped into every output (PDF CreationDate, EPUB dates and zip entries, fact sheets).

    SOURCE_DATE_EPOCH when it is set to a number, else the edition's date at 00:00 UTC, else
    1 January of its year: never the clock.
    """
    env = source_date_epoch()
    if env is not None:
        return env
    day = edition.date or date(edition.edition, 1, 1)
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def printed_text(book: Book) -> list[str]:
    """Every string any format may print, from the edition and its entries.

    Decides which fonts a book needs (the PDF's Chinese face, the EPUB's embedded Arabic and
    Chinese subsets): a string missing here is a script that may print as empty boxes.
    """
    e = book.edition
    out = [e.title, e.subtitle, e.introduction, e.publisher, e.license, e.isbn, *e.editors, *e.regions]
    out += [s for t in e.themes for s in (t.name, t.description)]
    for entry in book.entries:
        out += [entry.title, entry.institution, entry.summary, *(t for _, t in entry.sections), *entry.partners,
                *entry.keywords, entry.country.name, entry.region, entry.theme.name, entry.website]
        out += [s for img in entry.images for s in (img.alt, img.caption, img.credit)]
        contact = entry.public_contact
        if contact:
            out += [contact.name, contact.email]
    out += [s for e in book.related for s in (e.title, e.translated_title)]  # the follow-ups (book.facts)
    from compendium.book.indexes import printed  # the extra fields, section titles and indexes

    out += printed(book)
    return [s for s in out if s]


def keep_or_write(path: Path, data: bytes, kept: Path | None) -> None:
    """Write `data` to `path`, or hard-link `kept` (the same file in the last build's output) there when
    it holds exactly these bytes. Raises OSError when `path` cannot be written."""
    if kept is not None:
        try:
            if kept.stat().st_size == len(data) and kept.read_bytes() == data:
                os.link(kept, path)
                return
        except OSError:
            pass  # no kept file, another file system, a link refused: write it
    path.write_bytes(data)
