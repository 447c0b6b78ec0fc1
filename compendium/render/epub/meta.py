"""Render (EPUB): the package metadata — identifier, titles, creators, rights, dates, accessibility."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from html import escape

from compendium.book.facts import copyright_line, licence_line, makers
from compendium.book.labels import labels
from compendium.model import Book, Edition
from compendium.render.common import source_date_epoch
from compendium.render.pandoc import Json, meta_bool, meta_inlines, meta_list, meta_map, meta_str

# uuid5 namespace of compendium books: same title + edition → same identifier, on any machine
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://compendium.invalid/epub")


def identifier(edition: Edition) -> str:
    """`urn:isbn:<13 digits>` of the electronic edition's ISBN (`eisbn`), else of the print ISBN when the
    edition has no eISBN, else a uuid5 of title and edition."""
    if edition.eisbn or edition.isbn:
        return f"urn:isbn:{edition.eisbn or edition.isbn}"
    name = f"{edition.title}\n{edition.edition}"
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"


def book_date(edition: Edition) -> str:
    """dc:date: the day of SOURCE_DATE_EPOCH when it is set (so it agrees with dcterms:modified,
    which pandoc stamps from render.build_epoch), else the publication date, else the award year alone."""
    env = source_date_epoch()
    if env is not None:
        return datetime.fromtimestamp(env, timezone.utc).date().isoformat()
    return edition.date.isoformat() if edition.date else str(edition.edition)


# EPUB Accessibility 1.1 § conformance: the claim names the standard and the WCAG version and level met
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def accessibility(book: Book) -> dict[str, Json]:
    """schema.org accessibility metadata that tells the truth about this book's content.

    Text is the whole content except pictures and the chart; every picture has alt text
    (validation requires it) and the chart a title, a description and the table of its figures,
    so text alone suffices. Navigation: a contents page and a nav listing every entry, headings
    in outline order, an index by country, the reading order of the book. No audio, video,
    animation or flashing: no hazards. The cover does not count (its words are on the title page),
    as accessibility metadata guidance advises.
    """
    has_images = any(e.images for e in book.entries)
    features = ["alternativeText", "structuralNavigation", "tableOfContents", "index", "readingOrder",
                "displayTransformability"]
    summary = ("Reflowable text with a contents page and a navigation document listing every part, chapter and "
               "entry; headings in outline order; an index by country; the language of every entry is marked, "
               "right-to-left text included. The overview chart has a title, a description and a table with the "
               "same figures.")
    if has_images:
        summary += " Every picture has a text alternative; captions and credits are given where the editors provided them."
    summary += " No audio, video or flashing content."
    # a comma list is one sufficient *set*: all senses together, or text alone (alt text is there)
    sufficient = ["textual,visual", "textual"]
    return {
        "accessModes": meta_list([meta_str(m) for m in ("textual", "visual")]),
        "accessModeSufficient": meta_list([meta_str(m) for m in sufficient]),
        "accessibilityFeatures": meta_list([meta_str(f) for f in features]),
        "accessibilityHazards": meta_list([meta_str("none")]),
        "accessibilitySummary": meta_str(summary),
    }


def package_meta(book: Book) -> list[str]:
    """<meta> elements pandoc does not write, for repack to add to the package document: the
    conformance claim (dcterms:conformsTo) and who checked it (a11y:certifiedBy), only when the
    edition names an outside body that did (`accessibility_certifier`): a publisher does not
    certify its own book. Without one, the accessibility metadata (accessMode, features, hazards,
    summary) describes the book and makes no claim."""
    ed = book.edition
    if not ed.accessibility_certifier:
        return []
    return [f'<meta property="dcterms:conformsTo">{escape(CONFORMS_TO)}</meta>',
            f'<meta property="a11y:certifiedBy">{escape(ed.accessibility_certifier)}</meta>']


def metadata(book: Book) -> dict[str, Json]:
    """Pandoc's EPUB metadata fields (the OPF is written by pandoc from these)."""
    ed = book.edition
    titles = [meta_map(type=meta_str("main"), text=meta_inlines(ed.title))]
    if ed.subtitle:
        titles.append(meta_map(type=meta_str("subtitle"), text=meta_inlines(ed.subtitle)))
    meta: dict[str, Json] = {
        "title": meta_list(titles),
        "pagetitle": meta_str(ed.title),
        "lang": meta_str(ed.language),
        "identifier": meta_list([meta_map(text=meta_str(identifier(ed)))]),
        # never today (pandoc would otherwise stamp the build date)
        "date": meta_str(book_date(ed)),
        "toc-title": meta_inlines(labels(ed.language)["contents"]),
        "page-progression-direction": meta_str(ed.dir),
        **accessibility(book),
    }
    if ed.editors:  # the book's makers are its editors; the entries' authors are the institutions
        meta["creator"] = meta_list([meta_map(role=meta_str("editor"), text=meta_inlines(n)) for n in ed.editors])
    elif ed.issued_by:  # else the bodies that issue it (book.facts.makers)
        meta["creator"] = meta_list([meta_map(text=meta_inlines(n)) for n in makers(ed)])
    if ed.publisher:
        meta["publisher"] = meta_inlines(ed.publisher)
    rights = rights_statement(ed)
    if rights:
        meta["rights"] = meta_inlines(rights)
    meta["ibooks"] = meta_map(**{"specified-fonts": meta_bool(True)})
    return meta


def rights_statement(edition: Edition) -> str:
    """dc:rights: the imprint's © line and licence line (compendium.book.facts), whichever the edition gives."""
    return ". ".join(p for p in (copyright_line(edition), licence_line(edition)) if p)
