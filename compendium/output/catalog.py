"""Output (a series): the OPDS 1.2 catalogue of its books, `catalog.xml`.

OPDS (https://specs.opds.io/opds-1.2) is the Atom feed e-reader apps (Thorium, KOReader, Aldiko...)
and library systems read to list and download books. The catalogue is one complete acquisition
feed: an entry per edition and retrospective, with its metadata (title, year, language,
publisher, editors, ISBN or the EPUB's identifier, summary, themes as categories) and an
open-access acquisition link per file (EPUB, PDF) with its size. Links are relative to the
catalogue; dates come from each book's build date (render.common.build_epoch), never the clock.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from compendium.book.labels import labels
from compendium.model import Series
from compendium.render.common import build_epoch

if TYPE_CHECKING:
    from compendium.output.series import Volume

ATOM = "http://www.w3.org/2005/Atom"
DCTERMS = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
CATALOG_NAME = "catalog.xml"
ACQUISITION_FEED = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
MEDIA_TYPES = {"epub": "application/epub+zip", "pdf": "application/pdf"}
ET.register_namespace("", ATOM)
ET.register_namespace("dc", DCTERMS)
ET.register_namespace("opds", OPDS)


def _stamp(epoch: int) -> str:
    """An Atom date (RFC 3339, UTC)."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text:
        element.text = text
    return element


def book_title(volume: "Volume") -> str:
    """A book's title in the catalogue: an edition's title with its year (editions of a series
    share their title), a retrospective's as written."""
    e = volume.book.edition
    return e.title if e.label in e.title else f"{e.title} {e.label}"


def catalog_xml(series: Series, vols: list["Volume"], files: Callable[["Volume", str], tuple[str, int] | None],
                pages: Callable[["Volume"], str | None] = lambda v: None, home: str | None = None) -> bytes:
    """The OPDS 1.2 acquisition feed of the series' books, as UTF-8 XML.

    files(volume, format) → (href relative to the catalogue, size in bytes) of the book's EPUB or
    PDF, or None when it has none; pages(volume) → the href of its page on the site, or None;
    home: the href of the site's home page, or None.
    """
    from compendium.render.epub.meta import NAMESPACE, identifier  # a book's id: the EPUB's own dc:identifier

    s = series.settings
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": s.language})
    _add(feed, f"{{{ATOM}}}id", f"urn:uuid:{uuid.uuid5(NAMESPACE, s.title + chr(10) + 'series')}")
    _add(feed, f"{{{ATOM}}}link", rel="self", href=CATALOG_NAME, type=ACQUISITION_FEED)
    _add(feed, f"{{{ATOM}}}link", rel="start", href=CATALOG_NAME, type=ACQUISITION_FEED)
    if home:
        _add(feed, f"{{{ATOM}}}link", rel="alternate", href=home, type="text/html")
    _add(feed, f"{{{ATOM}}}title", s.title)
    if s.subtitle:
        _add(feed, f"{{{ATOM}}}subtitle", s.subtitle)
    _add(feed, f"{{{ATOM}}}updated", _stamp(max((build_epoch(v.book.edition) for v in vols), default=0)))
    author = _add(feed, f"{{{ATOM}}}author")
    _add(author, f"{{{ATOM}}}name", s.publisher or s.title)
    for volume in vols:
        _entry(feed, volume, files, pages(volume), identifier)
    ET.indent(feed, "  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def _entry(feed: ET.Element, volume: "Volume", files: Callable, page: str | None, identifier: Callable) -> None:
    e = volume.book.edition
    entry = _add(feed, f"{{{ATOM}}}entry")
    _add(entry, f"{{{ATOM}}}title", book_title(volume))
    _add(entry, f"{{{ATOM}}}id", identifier(e))
    _add(entry, f"{{{ATOM}}}updated", _stamp(build_epoch(e)))
    for name in e.editors or tuple(filter(None, (e.publisher,))):
        _add(_add(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", name)
    _add(entry, f"{{{DCTERMS}}}identifier", identifier(e))
    _add(entry, f"{{{DCTERMS}}}language", e.language)
    if e.publisher:
        _add(entry, f"{{{DCTERMS}}}publisher", e.publisher)
    _add(entry, f"{{{DCTERMS}}}issued", e.date.isoformat() if e.date else str(e.edition))
    if e.license:
        _add(entry, f"{{{ATOM}}}rights", e.license)
    words = labels(e.language)
    countries = len({x.country.alpha2 for x in volume.book.entries})
    summary = f"{e.label} · {words.count('initiatives', len(volume.book.entries))} · {words.count('countries', countries)}"
    _add(entry, f"{{{ATOM}}}summary", f"{e.subtitle}. {summary}" if e.subtitle else summary, type="text")
    for part in volume.book.parts if volume.book.parts and volume.book.parts[0].kind == "theme" else ():
        _add(entry, f"{{{ATOM}}}category", term=part.key, label=part.title)
    for fmt in ("epub", "pdf"):
        found = files(volume, fmt)
        if found:
            href, size = found
            _add(entry, f"{{{ATOM}}}link", rel=OPEN_ACCESS, href=href, type=MEDIA_TYPES[fmt], length=str(size))
    if page:
        _add(entry, f"{{{ATOM}}}link", rel="alternate", href=page, type="text/html")


def write_catalog(series: Series, vols: list["Volume"], books: dict[str, dict], out: Path) -> list[Path]:
    """`out/catalog.xml`, linking the books beside it (`books`: the manifest's record of each book's
    files, by volume key) and, when `out/html/` holds the site, its pages; and the site's own
    `html/catalog.xml`, linking the copies of the books inside the site (html/downloads/), so that
    the site uploaded alone still serves its catalogue."""
    site = out / "html"

    def catalogue(folder: Path, prefix: str, to_site: str) -> Path:
        def files(volume: "Volume", fmt: str) -> tuple[str, int] | None:
            paths = books.get(volume.key, {}).get("files", {}).get(fmt, [])
            if len(paths) != 1:
                return None
            href = prefix + paths[0].rsplit("/", 1)[-1]
            return (href, (folder / href).stat().st_size) if (folder / href).is_file() else None

        def page(volume: "Volume") -> str | None:
            href = f"{to_site}editions/{volume.key}.html"
            return href if (folder / href).is_file() else None

        home = f"{to_site}index.html" if (site / "index.html").is_file() else None
        path = folder / CATALOG_NAME
        path.unlink(missing_ok=True)  # a site kept from the last build holds hard links to the old output's files
        path.write_bytes(catalog_xml(series, vols, files, page, home))
        return path

    written = [catalogue(out, "", "html/")]
    if (site / "index.html").is_file():
        written.append(catalogue(site, "downloads/", ""))
    return written
