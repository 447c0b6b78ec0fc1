"""Render (HTML): the edition as data for the knowledge bases that take these cases in.

- `entries.json`: the edition and every entry (facts, Markdown text, pictures, public contact),
  described by `entries.schema.json` (JSON Schema 2020-12);
- `entries.csv`: one row per entry, for spreadsheets (UTF-8 with a byte-order mark);
- `feed.xml`: an Atom feed (RFC 4287) of the entries in book order.

Addresses are absolute under the edition's `url` when it has one, else relative to the site
folder. Dates come from the build date (build_epoch), never the clock: the files are reproducible.
"""
from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

from compendium.book.labels import Labels
from compendium.model import Book
from compendium.render.common import build_epoch
from compendium.render.html.facets import Facet
from compendium.render.html.markdown import MarkdownCache
from compendium.render.html.site import EntryView, Site

SCHEMA_VERSION = 1
JSON_NAME, SCHEMA_NAME, CSV_NAME, FEED_NAME = "entries.json", "entries.schema.json", "entries.csv", "feed.xml"
CSV_COLUMNS = ("id", "url", "year", "title", "translated_title", "language", "country_code", "country", "region",
               "theme_id", "theme", "place", "place_label", "institution", "partners", "website", "keywords",
               "summary", "image", "image_alt")
# A cell a spreadsheet would run as a formula (CWE-1236): its text is kept after a quote mark.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def address(site: Site, href: str) -> str:
    """A site path as the data files give it: absolute under the edition's url, else relative."""
    base = site.book.edition.url
    return f"{base}/{href}" if base else href


def _entry(v: EntryView, site: Site, words: Labels, facets: list[Facet]) -> dict:
    e = v.entry
    contact = e.public_contact
    record = {
        "id": e.id,
        "url": address(site, v.href),
        "year": e.year,
        "title": e.title,
        "translated_title": e.translated_title,
        "language": e.language or site.book.edition.language,
        "country": {"code": e.country.alpha2, "code3": e.country.alpha3, "name": e.country.name},
        "region": e.region,
        "theme": {"id": e.theme.id, "name": e.theme.name},
        "place": {"key": e.place, "label": words.place(e.place)},
        "institution": e.institution,
        "partners": list(e.partners),
        "website": v.website,
        "keywords": list(dict.fromkeys(k.strip() for k in e.keywords if k.strip())),
        "summary": e.summary,
        "sections": [{"key": key, "title": title, "text": text} for (key, text), (_, title, _) in zip(e.sections, v.sections)],
        "images": [{"url": address(site, img.src), "alt": img.alt, "caption": img.caption, "credit": img.credit,
                    "width": img.width, "height": img.height} for img in v.images],
        "contact": {"name": contact.name, "email": contact.email} if contact else None,
        "facets": {f.key: list(f.values.get(e.id, ())) for f in facets},
    }
    return record


def entries_json(site: Site, words: Labels, facets: list[Facet]) -> str:
    """entries.json: {"edition": {...}, "facets": [...], "entries": [...]} in book order."""
    ed = site.book.edition
    data = {
        "$schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "edition": {"title": ed.title, "subtitle": ed.subtitle, "edition": ed.edition, "language": ed.language,
                    "publisher": ed.publisher, "isbn": ed.isbn, "license": ed.license, "url": ed.url,
                    "date": ed.date.isoformat() if ed.date else ""},
        "facets": [{"key": f.key, "label": f.label, "options": [{"value": v, "title": t} for v, t in f.options]}
                   for f in facets],
        "entries": [_entry(v, site, words, facets) for v in site.entries],
    }
    # compact: json's C encoder is not used with indent (5x slower on 1,000 entries)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _text(description: str) -> dict:
    return {"type": "string", "description": description}


def schema() -> dict:
    """The JSON Schema (2020-12) of entries.json; every entry field is described for importers."""
    strings = {"type": "array", "items": {"type": "string"}}
    entry = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "url", "year", "title", "language", "country", "region", "theme", "place", "institution",
                     "summary", "sections", "images", "facets"],
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "description": "Stable identifier of the entry."},
            "url": _text("The entry's page: absolute under the edition's url, else relative to the site folder."),
            "year": {"type": "integer", "description": "Year of the award."},
            "title": _text("Title in the entry's own language."),
            "translated_title": _text("Title in the edition's language, when the entry is written in another; else empty."),
            "language": _text("BCP 47 tag of the entry's text."),
            "country": {"type": "object", "additionalProperties": False, "required": ["code", "code3", "name"],
                        "properties": {"code": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2."},
                                       "code3": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 3166-1 alpha-3."},
                                       "name": _text("Country name as the book prints it.")}},
            "region": _text("Region as the edition names it."),
            "theme": {"type": "object", "additionalProperties": False, "required": ["id", "name"],
                      "properties": {"id": _text("Theme (award category) identifier."), "name": _text("Theme name.")}},
            "place": {"type": "object", "additionalProperties": False, "required": ["key", "label"],
                      "properties": {"key": {"enum": ["1st", "2nd", "3rd", "winner", "finalist", "special"]},
                                     "label": _text("The place in the edition's language.")}},
            "institution": _text("The institution that carried out the initiative."),
            "partners": {**strings, "description": "Partner organisations."},
            "website": _text("The initiative's web address (http or https), or empty."),
            "keywords": {**strings, "description": "Keywords, each once."},
            "summary": _text("Summary, in Markdown."),
            "sections": {"type": "array", "description": "The sections in book order.",
                         "items": {"type": "object", "additionalProperties": False, "required": ["key", "title", "text"],
                                   "properties": {"key": _text("Section key (problem, solution, impact, lessons...)."),
                                                  "title": _text("Section heading in the edition's language."),
                                                  "text": _text("Section text, in Markdown.")}}},
            "images": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["url", "alt", "width", "height"],
                "properties": {"url": _text("The picture as the site stores it."), "alt": _text("Text alternative."),
                               "caption": _text("Caption."), "credit": _text("Credit line."),
                               "width": {"type": "integer", "minimum": 0}, "height": {"type": "integer", "minimum": 0}}}},
            "contact": {"description": "The public contact, or null when the entry gives none for publication.",
                        "oneOf": [{"type": "null"}, {"type": "object", "additionalProperties": False,
                                                     "required": ["name", "email"],
                                                     "properties": {"name": {"type": "string"}, "email": {"type": "string"}}}]},
            "facets": {"type": "object", "description": "Facet key → the entry's values (see the top-level facets).",
                       "additionalProperties": strings},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_NAME,
        "title": "An awards compendium's entries",
        "description": "entries.json of a site made by compendium: the edition and its winning initiatives in book order.",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "edition", "facets", "entries"],
        "properties": {
            "$schema": {"type": "string"},
            "version": {"const": SCHEMA_VERSION},
            "edition": {"type": "object", "required": ["title", "edition", "language"],
                        "properties": {"title": {"type": "string"}, "edition": {"type": "integer"},
                                       "language": {"type": "string"}}},
            "facets": {"type": "array", "items": {
                "type": "object", "required": ["key", "label", "options"],
                "properties": {"key": {"type": "string"}, "label": {"type": "string"},
                               "options": {"type": "array", "items": {
                                   "type": "object", "required": ["value", "title"],
                                   "properties": {"value": {"type": "string"}, "title": {"type": "string"}}}}}}},
            "entries": {"type": "array", "items": entry},
        },
    }


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def entries_csv(site: Site, words: Labels, md: MarkdownCache) -> bytes:
    """entries.csv: a header row, then one row per entry in book order (UTF-8 with BOM, CRLF)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for v in site.entries:
        e = v.entry
        row = (e.id, address(site, v.href), e.year, e.title, e.translated_title, e.language or site.book.edition.language,
               e.country.alpha2, e.country.name, e.region, e.theme.id, e.theme.name, e.place, words.place(e.place),
               e.institution, "; ".join(e.partners), v.website, "; ".join(k.strip() for k in e.keywords if k.strip()),
               " ".join(md.plain(e.summary).split()), address(site, v.thumb.src) if v.thumb else "",
               v.thumb.alt if v.thumb else "")
        writer.writerow([_cell(x) for x in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _stamp(book: Book) -> str:
    return datetime.fromtimestamp(build_epoch(book.edition), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _id(site: Site, href: str) -> str:
    """An Atom id: the permanent address when the edition has a url, else a name-based UUID (stable)."""
    ed = site.book.edition
    if ed.url:
        return f"{ed.url}/{href}"
    return uuid.uuid5(uuid.NAMESPACE_URL, f"compendium:{ed.title}:{ed.edition}:{href}").urn


def atom_feed(site: Site, words: Labels) -> str:
    """feed.xml (RFC 4287): the edition's entries, each with its title, page, theme, region, country
    and the start of its summary; relative links resolve against the feed's own address."""
    ed = site.book.edition
    updated = _stamp(site.book)
    lang = quoteattr(ed.language)
    base = f" xml:base={quoteattr(ed.url + '/')}" if ed.url else ""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={lang}{base}>\n',
           f"  <title>{escape(f'{ed.title} {ed.edition}')}</title>\n"]
    if ed.subtitle:
        out.append(f"  <subtitle>{escape(ed.subtitle)}</subtitle>\n")
    out += [f"  <id>{escape(_id(site, ''))}</id>\n", f"  <updated>{updated}</updated>\n",
            f"  <author><name>{escape(ed.publisher or ed.title)}</name></author>\n",
            f'  <link rel="self" type="application/atom+xml" href="{FEED_NAME}"/>\n',
            '  <link rel="alternate" type="text/html" href="index.html"/>\n',
            '  <generator>compendium</generator>\n']
    if ed.license:
        out.append(f"  <rights>{escape(ed.license)}</rights>\n")
    for v in site.entries:
        e = v.entry
        own = quoteattr(e.language) if e.language else lang
        out += ["  <entry>\n", f"    <id>{escape(_id(site, v.href))}</id>\n",
                f"    <title xml:lang={own}>{escape(e.title)}</title>\n",
                f'    <link rel="alternate" type="text/html" href={quoteattr(v.href)}/>\n',
                f"    <updated>{updated}</updated>\n",
                f"    <author><name xml:lang={own}>{escape(e.institution)}</name></author>\n"]
        for scheme, term, label in (("theme", e.theme.id, e.theme.name), ("region", e.region, e.region),
                                    ("country", e.country.alpha2, e.country.name)):
            out.append(f"    <category scheme={quoteattr(scheme)} term={quoteattr(term)} label={quoteattr(label)}/>\n")
        out += [f"    <summary xml:lang={own}>{escape(v.teaser)}</summary>\n", "  </entry>\n"]
    out.append("</feed>\n")
    return "".join(out)
