"""Render (EPUB): the package metadata — identifier, titles, creators, rights, dates, accessibility."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from compendium.book.labels import labels
from compendium.model import Book, Edition
from compendium.render.common import source_date_epoch
from compendium.render.pandoc import Json, meta_bool, meta_inlines, meta_list, meta_map, meta_str

# uuid5 namespace of compendium books: same title + edition → same identifier, on any machine
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://compendium.invalid/epub")


def identifier(edition: Edition) -> str:
    """`urn:isbn:<13 digits>` when the edition has an ISBN, else a uuid5 of title and edition."""
    if edition.isbn:
        return f"urn:isbn:{edition.isbn}"
    name = f"{edition.title}\n{edition.edition}"
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"


def publication_date(edition: Edition) -> date:
    """The edition's date, else 1 January of the award year (never today: builds are reproducible)."""
    return edition.date or date(edition.edition, 1, 1)


def book_date(edition: Edition) -> str:
    """dc:date: the day of SOURCE_DATE_EPOCH when it is set (so it agrees with dcterms:modified,
    which pandoc stamps from render.build_epoch), else the publication date, else the award year alone."""
    env = source_date_epoch()
    if env is not None:
        return datetime.fromtimestamp(env, timezone.utc).date().isoformat()
    return edition.date.isoformat() if edition.date else str(edition.edition)


def accessibility(book: Book) -> dict[str, Json]:
    """schema.org accessibility metadata that tells the truth about this book's content.

    Text is the whole content except pictures; every picture has alt text (validation requires
    it), so text alone suffices. No audio, video, animation or flashing: no hazards. The cover
    does not count (its words are on the title page), as accessibility metadata guidance advises.
    """
    has_images = any(e.images for e in book.entries)
    modes = ["textual", "visual"] if has_images else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if has_images:
        features.insert(0, "alternativeText")
    summary = ("Reflowable text with a navigable table of contents that mirrors the book's parts, "
               "chapters and entries; headings in order; the language of every entry is marked.")
    if has_images:
        summary += " Every image has a text alternative; captions are given where the editors provided them."
    summary += " No audio, video or flashing content."
    # a comma list is one sufficient *set*: all senses together, or text alone (alt text is there)
    sufficient = ["textual,visual", "textual"] if has_images else ["textual"]
    return {
        "accessModes": meta_list([meta_str(m) for m in modes]),
        "accessModeSufficient": meta_list([meta_str(m) for m in sufficient]),
        "accessibilityFeatures": meta_list([meta_str(f) for f in features]),
        "accessibilityHazards": meta_list([meta_str("none")]),
        "accessibilitySummary": meta_str(summary),
    }


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
    if ed.publisher:
        meta["publisher"] = meta_inlines(ed.publisher)
    rights = rights_statement(ed)
    if rights:
        meta["rights"] = meta_inlines(rights)
    meta["ibooks"] = meta_map(**{"specified-fonts": meta_bool(True)})
    return meta


def rights_statement(edition: Edition) -> str:
    """'© 2012 Publisher. Licensed under CC BY 4.0.' — whatever of it the edition gives."""
    parts = []
    if edition.publisher:
        parts.append(f"© {publication_date(edition).year} {edition.publisher}.")
    if edition.license:
        parts.append(f"Licensed under {edition.license}.")
    return " ".join(parts)
