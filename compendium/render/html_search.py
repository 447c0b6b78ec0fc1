"""Render (HTML): the client-side search index (JSON, and the same data as a script for file://).

Matching in the browser is by substring on folded text, so Chinese (no spaces between words),
Arabic and Russian work without a word splitter. `fold` (html_markdown.fold, cached with each
field) and `fold` in search.js must agree.
"""
from __future__ import annotations

import json

from compendium.render.html_markdown import MarkdownCache, fold
from compendium.render.html_site import Site

INDEX_VERSION = 1
SNIPPET_CHARS = 240

__all__ = ["fold", "search_index", "as_json", "as_script"]


def _snippet(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return (cut if len(cut) > SNIPPET_CHARS // 2 else text[:SNIPPET_CHARS]) + "…"


def search_index(site: Site, md: MarkdownCache) -> dict:
    """One record per entry in book order; `h` (head) and `b` (body) are folded for matching."""
    docs = []
    for v in site.entries:
        e = v.entry
        summary = md.plain(e.summary)
        body = " ".join(md.folded(text) for text in (e.summary, *(t for _, t in e.sections)))
        head = " ".join([e.title, e.institution, e.country.name, *e.keywords, *e.partners])
        docs.append({
            "id": e.id,
            "url": v.href,
            "title": e.title,
            "lang": e.language,
            "dir": e.dir if e.language else "",
            "institution": e.institution,
            "country": e.country.alpha2,
            "region": site.region_slugs.get(e.region, ""),
            "theme": e.theme.id,
            "place": e.place,
            "snippet": _snippet(summary),
            "h": fold(head),
            "b": body,
        })
    return {
        "version": INDEX_VERSION,
        "edition": site.book.edition.edition,
        "themes": {t.id: t.name for t in site.book.edition.themes},
        "regions": {slug: name for name, slug in site.region_slugs.items()},
        "countries": {v.entry.country.alpha2: v.entry.country.name for v in site.entries},
        "places": {p.key.removeprefix("place-"): p.title for p in site.places},
        "docs": docs,
    }


def as_json(index: dict) -> str:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def as_script(index_json: str) -> str:
    """The index as a script that file:// pages can load (fetch() of local files is blocked).

    JSON is valid JavaScript except that "</script" could close a tag when inlined; escaping "<"
    keeps it inert wherever it is put.
    """
    return "window.COMPENDIUM_SEARCH=" + index_json.replace("<", "\\u003c") + ";\n"
