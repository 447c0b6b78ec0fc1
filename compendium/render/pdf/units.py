"""PDF render, the body by units: laid out on every core, kept for the next build, replayed in order.

A unit is a run of pages that starts on a new page: a part opener, or an entry (with its
chapter's heading when it opens the chapter). Nothing in a unit depends on where it lands: the
text block is the same size on rectos and versos, and page numbers are only drawn later (the
contents' numbers are forms filled in at the end, the indexes are made after the body, running
heads and folios are drawn per page). So each unit is laid out apart into display lists
(display.py), by worker processes when there are several to do, while this process lays out
the front matter; then the book's document replays the units in order, which settles what
depends on the page: folios, running heads, rectos, the contents' numbers, the outline, the
indexes. Every build goes through the same replay, whether a unit was laid out now, by a worker
or by an earlier build, so the PDF is byte-identical whichever way it was made.

Each unit's display list is kept in the build cache (`<cache>/pdf-units/<key>.pickle`) under a
key made of everything its layout depends on: the unit's content (the entry, its pictures'
bytes, its chapter heading), the edition's language, labels and fields, the font files, the page
geometry, and the code and libraries that lay it out. A build after one entry changed lays that
entry out again and replays the rest. Workers (compendium.workers.pool: they die with the build)
are forked where the platform allows it (they inherit the registered fonts: no start-up cost),
else spawned, loading the fonts first.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.platypus import Flowable, PageBreak
from reportlab.platypus.doctemplate import LayoutError

from compendium import kept
from compendium.book.facts import award_line, category_line, category_shown, figure_numbers, follow_ups
from compendium.errors import RenderError
from compendium.model import Entry, Source
from compendium.render.pdf.display import LaidPage, Page, Picture, UnitDoc
from compendium.render.pdf.entry import chapter_heading, entry_flowables, part_opener
from compendium.render.pdf.layout import BookDoc, Deferred, RectoBreak
from compendium.render.pdf.pictures import FOLDER as PICTURES
from compendium.render.pdf.pictures import prepare_picture
from compendium.render.pdf.textcache import UnitText
from compendium.workers import kill_workers, pool

if TYPE_CHECKING:
    from compendium.render.pdf import Setup

FOLDER = "pdf-units"
TEXT = ".text.pickle"  # beside a unit's display lists: its pages' lines as the book wrote them (textcache.py)
FORMAT = "2"  # bump when what a display list holds changes
PARALLEL_FROM = 6  # units to lay out before worker processes pay for themselves
BATCHES_PER_WORKER = 6  # contiguous batches per worker: the first pages come back early, the load evens out
LIBRARIES = ("reportlab", "uharfbuzz", "pyphen", "python-bidi", "babel")


@dataclass(frozen=True)
class Unit:
    """A part opener (n == -1) or the n-th entry of chapter c of part p (0-based); `key` names its
    display lists in the cache; `recto`: it starts on a right-hand page; `name` is for errors."""

    key: str
    p: int
    c: int
    n: int
    name: str
    recto: bool = False


@dataclass
class Laid:
    """A unit laid out: its pages (display lists) and the warnings met on the way, located at the
    fields concerned (Setup.missing, Setup.notes), so that a cached unit warns as a new one does."""

    pages: list[Page]
    missing: dict[tuple[Source, str], list[str]] = field(default_factory=dict)
    notes: dict[tuple[Source, str, str], str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The toolkit's own code and data (kept.code_digest) and the versions of the libraries that shape a
    page: a new version of either lays every unit out again (never a page from older code)."""
    return hashlib.sha256((FORMAT + kept.code_digest() + kept.library_versions(LIBRARIES)).encode()).hexdigest()


def _base_key(s: Setup) -> str:
    """What every unit's layout depends on besides its own content."""
    e = s.book.edition
    faces = [(family, s.fonts.path(s.fonts.name(family, style)))
             for family in sorted(s.fonts.families) for style in ("regular", "bold", "italic", "bolditalic")]
    return repr((_code_digest(), s.geom, faces, s.labels, e.language, e.fields, e.vocabularies, e.sections))


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _picture_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def body_units(s: Setup) -> list[Unit]:
    """The body's units in book order, each with its cache key.

    Besides its own content, an entry's key holds what it takes from the book around it: its
    figures' numbers (book.facts.figure_numbers: the pictures of every entry before it) and its
    chapter's heading when it opens the chapter; its header's award line, category and follow-ups
    (_header); its running head (country and short title) comes from the entry itself. A part
    opener's key holds what it lists of each of its entries (title, gloss, language, country, award)."""
    base = _base_key(s)
    numbers = _book_figures(s)
    units: list[Unit] = []
    for p, part in enumerate(s.book.parts):
        listed = [(c.title, [(e.title, e.translated_title, e.language, e.dir, e.country.name, e.place)
                             for e in c.entries]) for c in part.chapters]
        material = (p, part.kind, part.key, part.title, part.description, listed)
        units.append(Unit(_digest(base, "part", material), p, -1, -1, part.title, recto=True))
        for c, chapter in enumerate(part.chapters):
            for n, entry in enumerate(chapter.entries):
                heading = (p, c, chapter.title) if n == 0 else None
                pictures = [_picture_digest(img.path) for img in entry.images]
                figures = _figure_numbers(numbers, entry)
                units.append(Unit(_digest(base, "entry", heading, entry, pictures, figures, _header(s, entry)),
                                  p, c, n, entry.title))
    return units


def _header(s: Setup, entry: Entry) -> tuple[object, ...]:
    """What an entry's header (its details panel) takes from the book around it: its award line (a
    retrospective adds the year), its category line and whether it is shown (a theme of today it is
    filed under), and its follow-ups (titles, years, linked or not: the other editions' entries)."""
    e = s.book.edition
    return (award_line(entry, s.labels, e), category_shown(entry, e), category_line(entry, e, s.labels),
            follow_ups(entry, s.book, s.labels))


def _book_figures(s: Setup) -> dict[tuple[str, int], int]:
    """book.facts.figure_numbers of the book, counted once per Setup (a worker's too)."""
    found = getattr(s, "_figure_numbers", None)
    if found is None:
        found = s._figure_numbers = figure_numbers(s.book)
    return found


def _figure_numbers(numbers: dict[tuple[str, int], int], entry: Entry) -> list[int]:
    """The book's numbers of `entry`'s figures (book.facts.figure_numbers)."""
    return [numbers[(entry.id, i)] for i in range(len(entry.images))]


def unit_flowables(s: Setup, unit: Unit) -> list[Flowable]:
    """What a unit lays out: the part opener, or the entry after its chapter's heading if it opens it."""
    part = s.book.parts[unit.p]
    if unit.n < 0:
        return [f for f in part_opener(part, unit.p + 1, s.tc, s.for_entry) if not isinstance(f, RectoBreak)]
    chapter = part.chapters[unit.c]
    entry = chapter.entries[unit.n]
    out = chapter_heading(chapter, unit.p + 1, unit.c + 1, s.tc) if unit.n == 0 else []
    return out + entry_flowables(entry, s.for_entry(entry), s.geom, s.cache_dir, s.book.edition,
                                 _figure_numbers(_book_figures(s), entry), follow_ups(entry, s.book, s.labels))


def lay_out(s: Setup, unit: Unit, folder: Path) -> Laid:
    """Lay `unit` out into display lists and keep them in `folder` (when it can be written); raises
    RenderError naming the unit when it cannot be laid out."""
    saved = s.missing, s.notes
    s.missing, s.notes = {}, {}  # this unit's warnings only
    try:
        try:
            pages = UnitDoc(s.geom.frame_width, s.geom.frame_height).record(unit_flowables(s, unit))
        except LayoutError as exc:
            raise RenderError(f"PDF layout failed in '{unit.name}': {exc}".split("\n")[0], format="pdf",
                              entry=unit.name) from None
        laid = Laid(pages, s.missing, s.notes)
    finally:
        s.missing, s.notes = saved
    try:
        kept.store(folder / f"{unit.key}.pickle", laid)
    except OSError:
        pass  # a cache that cannot be written costs time (laid out again when replayed), not the build
    for page in pages:
        for op in page:
            if op.__class__ is Picture:
                prepare_picture(op.path, op.digest, op.mask, s.cache_dir / PICTURES)
    return laid


# -- worker processes -----------------------------------------------------------------------

_SETUP: Setup | None = None  # the fonts, styles and book a worker lays units out with


def _init_worker(book: Any, cache_dir: Path) -> None:
    """A spawned worker (no fork: its parent's fonts are not inherited) loads the fonts first."""
    global _SETUP
    if _SETUP is None:
        from compendium.render.pdf import Setup

        _SETUP = Setup(book, cache_dir)


def _lay_out_batch(units: list[Unit], folder: str) -> int:
    """In a worker: lay a batch of units out into the cache; returns the number of pages made."""
    assert _SETUP is not None
    return sum(len(lay_out(_SETUP, unit, Path(folder)).pages) for unit in units)


class Body:
    """The body of one book: which units are cached, the workers laying out the others, the replay.

    Use `flowables()` in the book's story, then `close()` whatever happens (it stops the workers,
    and after a good build forgets display lists no unit uses any more).
    """

    def __init__(self, s: Setup, cache_dir: Path, jobs: int, step: Callable[[str], None] = lambda message: None) -> None:
        global _SETUP
        self.s = s
        # one folder per book: the books of a series share the cache, and each forgets only its own
        self.folder = cache_dir / FOLDER / s.book.edition.file_stem
        self.units = body_units(s)
        todo = [u for u in self.units if not (self.folder / f"{u.key}.pickle").is_file()]
        self.waiting: dict[str, Future[int]] = {}
        self.pool: ProcessPoolExecutor | None = None
        workers = min(jobs, max(1, len(todo) // 2))
        cached = len(self.units) - len(todo)
        if todo:
            how = f" on {workers} cores" if workers > 1 and len(todo) >= PARALLEL_FROM else ""
            step(f"laying out {len(todo)} of {len(self.units)} entries and part openers{how}"
                 + (f" ({cached} unchanged)" if cached else ""))
        else:
            step(f"placing {len(self.units)} unchanged entries and part openers")
        if workers > 1 and len(todo) >= PARALLEL_FROM:
            _SETUP = s  # inherited by forked workers (workers.pool forks on Linux)
            self.pool = pool(workers, _init_worker, (s.book, s.cache_dir))
            size = max(1, -(-len(todo) // (workers * BATCHES_PER_WORKER)))
            for i in range(0, len(todo), size):
                batch = todo[i:i + size]
                future = self.pool.submit(_lay_out_batch, batch, str(self.folder))
                for unit in batch:
                    self.waiting[unit.key] = future

    def flowables(self) -> list[Flowable]:
        """The body in the book's story: each unit is placed when layout reaches it."""
        return [Deferred(lambda doc, unit=unit: self._place(unit, doc)) for unit in self.units]

    def _place(self, unit: Unit, doc: BookDoc) -> list[Flowable]:
        future = self.waiting.pop(unit.key, None)
        if future is not None:
            try:
                future.result()  # the worker's error, if it failed, stops the build here
            except BrokenProcessPool:
                raise RenderError(f"a PDF layout worker ended unexpectedly while laying out '{unit.name}' "
                                  "(killed, or out of memory?); nothing was changed", format="pdf",
                                  entry=unit.name) from None
        path = self.folder / f"{unit.key}.pickle"
        laid = kept.load(path, Laid) or lay_out(self.s, unit, self.folder)
        for where, chars in laid.missing.items():
            for ch in chars:
                self.s.note(where[0], where[1], ch)
        for where, message in laid.notes.items():
            self.s.notes.setdefault(where, message)
        out: list[Flowable] = [RectoBreak() if unit.recto else PageBreak()]
        text = UnitText.load(self.folder / f"{unit.key}{TEXT}", len(laid.pages))
        for i, page in enumerate(laid.pages):
            if i:
                out.append(PageBreak())
            out.append(LaidPage(page, self.s.geom.frame_height, (text, i, i == len(laid.pages) - 1)))
        return out

    def close(self, success: bool) -> None:
        """Stop the workers; after a good build, remove the display lists that no unit uses now."""
        global _SETUP
        _SETUP = None
        if self.pool is not None:
            if not success:
                kill_workers(self.pool)  # an error or a signal: their work is of no use now
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if success and self.folder.is_dir():
            used = {f"{u.key}{end}" for u in self.units for end in (".pickle", TEXT)}
            for path in self.folder.iterdir():
                if path.name not in used:
                    path.unlink(missing_ok=True)
