"""PDF render, kept streams: the book's deflated streams kept between builds, and link annotations made once.

Writing the book deflates every page's content stream (zlib: ~0.8 s of one core for 4,000 pages)
and formats every annotation through reportlab's generic dictionaries (~12,000 links to addresses
in a book of 1,000 entries). After one entry changed, almost every page's content is the bytes it
was: `KeptStreams` keeps each stream's deflated bytes under a digest of its raw bytes (in the build
cache, one file per book) and deflates only what it has not seen. zlib gives the same bytes for
the same input and version (the version is in the file's name), so the PDF is the same.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from compendium import kept

FOLDER = "pdf-streams"


class KeptStreams:
    """Deflate with a memory of the last build's streams (compendium.kept.Deflated); `install` it
    while a document is written."""

    def __init__(self, path: Path) -> None:
        self.memo = kept.Deflated(path)  # zlib streams, level 6: what zlib.compress makes

    def encode(self, text: bytes | str) -> bytes:
        """reportlab's Flate filter (pdfdoc.PDFStreamFilterZCompress.encode), remembered by content."""
        return self.memo.deflate(text.encode("utf8") if isinstance(text, str) else text)

    def install(self) -> None:
        """Deflate the streams of the documents written from now on through `encode`."""
        pdfdoc.PDFZCompress.encode = self.encode  # the filter instance every compressed stream uses

    def uninstall(self) -> None:
        pdfdoc.PDFZCompress.__dict__.pop("encode", None)

    def save(self) -> None:
        """Keep this build's streams (only these: the next build forgets the rest)."""
        self.memo.save()


@contextmanager
def names_formatted_once() -> Iterator[None]:
    """While writing a document, each PDF name is escaped once: reportlab's pdfdoc.PDFName, a pure
    function of its string, runs ~100,000 times for a 4,000-page book (/Type, /Page, /Contents...)
    over a few hundred distinct names."""
    plain = pdfdoc.PDFName
    pdfdoc.PDFName = lru_cache(maxsize=4096)(plain)
    try:
        yield
    finally:
        pdfdoc.PDFName = plain


class _Formatted(pdfdoc.PDFObject):
    """A PDF object whose bytes are made when it is created."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


def link_url(canv: Canvas, url: str, rect: tuple[float, float, float, float], relative: int = 1) -> None:
    """canvas.linkURL(url, rect, relative, thickness=0): a link annotation to an address, without a
    border, its dictionary formatted at once (the same keys, sorted as reportlab sorts them)."""
    x0, y0, x1, y1 = canv._absRect(rect, relative)
    target = pdfdoc.PDFString(url).format(canv._doc)
    data = (b"<<\n/A << /S /URI\n /Type /Action /URI " + target + b" >> /Border [ 0 0 0 ] /Rect [ "
            + fp_str(x0, y0, x1, y1).encode("ascii") + b" ] /Subtype /Link /Type /Annot\n>>")
    canv._addAnnotation(_Formatted(data))
