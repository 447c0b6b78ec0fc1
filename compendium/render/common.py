"""Render (shared by every format): the render context, the build date, the palette, printed text."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

from compendium.model import Book, Edition, Issue

# One colour per region in every chart (the site's SVG, the PDF's chart and cover band):
# the Okabe–Ito palette, distinguishable with colour-blindness.
SERIES_COLOURS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                                   "#000000")

def _quiet(message: str) -> None:
    """A RenderContext.step that tells no one (a renderer called outside a build)."""


class Download(NamedTuple):
    """A single-file book (EPUB, PDF) the site offers for download."""

    format: str  # "pdf"
    file: str  # its name in the output folder ("united-nations-2012.pdf")
    size: int  # bytes
    path: Path  # where it is now: the staging folder of this build, or the last build's output


@dataclass
class RenderContext:
    """What every renderer may use besides the Book: where to write, caches, templates, warnings."""

    out_dir: Path  # a staging folder: the renderer writes only below it
    cache_dir: Path  # content-addressed cache shared by builds (may be absent: create it)
    templates_dir: Path | None = None  # the project's template overrides, if any
    warnings: list[Issue] = field(default_factory=list)
    # the book files beside the site, for download links (the site copies them into itself);
    # filled by the build before the HTML renders
    downloads: tuple[Download, ...] = ()
    # what the renderer made, for the build's closing table ("334 pages", "17 entries"); set by it
    summary: str = ""
    # tells the build's progress line what the renderer is doing now, when it takes a while
    # ("cutting 12 font faces", "laying out 100 entries on 2 cores"): a build is never silent
    step: Callable[[str], None] = _quiet
    jobs: int = 1  # processes the renderer may run at once (the build's --jobs)


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
    from compendium.book.indexes import printed  # the extra fields, section titles and indexes

    out += printed(book)
    return [s for s in out if s]
