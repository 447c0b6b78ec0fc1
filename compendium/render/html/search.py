"""Render (HTML): the client-side search index (JSON, and the same data as a script for file://).

Matching in the browser is by substring on folded text, so Chinese (no spaces between words),
Arabic and Russian work without a word splitter. `fold` (html_markdown.fold, cached with each
field) and `fold` in search.js must agree.

The result snippets show the entry's own text around the match, so the index also carries that
text — not a second copy of it, but the few places where it differs from the folded `b`
(capitals, accents, hamza forms...): `p` = [gap, length, original, ...], where `gap` UTF-16 units
of `b` are kept, then `length` units of `b` are replaced by `original`. search.js rebuilds the text
from `b` and `p`. When that would not give the text back exactly, `t` holds the text itself.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from compendium.book.indexes import indexes
from compendium.render.html.markdown import MarkdownCache, fold
from compendium.render.html.site import Site

INDEX_VERSION = 2
_SPACE = re.compile(r"\s+")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")  # a regex scan: max() over a long str is slow

__all__ = ["apply_patches", "as_json", "as_script", "fold", "search_index", "text_patches"]


@lru_cache(maxsize=4096)
def _folded_char(c: str) -> str:
    return fold(c) if c != " " else " "


def _u16(text: str) -> int:
    """Length in UTF-16 code units, as JavaScript counts it."""
    return len(text) if text.isascii() or not _ASTRAL.search(text) else len(text.encode("utf-16-le")) // 2


def apply_patches(folded: str, patches: list) -> str:
    """The text back from its folded form and `patches` (UTF-16 counts), as search.js does it."""
    if _ASTRAL.search(folded):  # astral characters: count in UTF-16 units, as JS does
        units, width, decode = folded.encode("utf-16-le"), 2, (lambda b: b.decode("utf-16-le"))
    else:  # the usual case: code points and UTF-16 units coincide, slice the string itself
        units, width, decode = folded, 1, (lambda x: x)
    out, i = [], 0
    for k in range(0, len(patches), 3):
        gap, length, original = patches[k:k + 3]
        out.append(decode(units[width * i:width * (i + gap)]))
        out.append(original)
        i += gap + length
    out.append(decode(units[width * i:]))
    return "".join(out)


def text_patches(text: str, folded: str) -> list | None:
    """What turns `folded` back into `text` (see the module's docstring), or None if that fails."""
    unstable = [c for c in set(text) if _folded_char(c) != c]
    patches: list = []
    if unstable:
        runs = re.compile("[" + "".join(re.escape(c) for c in sorted(unstable)) + "]+")
        u16 = _u16 if _ASTRAL.search(folded) else len
        t = b = 0  # positions (code points) in text and in folded
        for m in runs.finditer(text):
            run = m.group()
            gap = m.start() - t
            length = len("".join(map(_folded_char, run)))
            patches += [u16(folded[b:b + gap]), u16(folded[b + gap:b + gap + length]), run]
            t, b = m.end(), b + gap + length
    try:
        ok = apply_patches(folded, patches) == text
    except UnicodeDecodeError:  # a count fell inside a surrogate pair
        ok = False
    return patches if ok else None


def search_index(site: Site, md: MarkdownCache) -> dict:
    """One record per entry in book order; `h` (head) and `b` (body) are folded for matching, `p`
    or `t` give the body's text for the snippets."""
    docs = []
    vocab = [f for f in site.book.edition.fields if f.index and f.vocabulary]  # the site filters by these
    for v in site.entries:
        e = v.entry
        fields = (e.summary, *(t for _, t in e.sections))
        body = " ".join(md.folded(text) for text in fields)
        text = " ".join(_SPACE.sub(" ", md.plain(field)).strip() for field in fields)
        patches = text_patches(text, body)
        original = {"t": text} if patches is None else {"p": patches} if patches else {}  # {}: text == body
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
            **({"v": terms} if (terms := {i.id: list(_term_ids(e.value(i.id))) for i in vocab if e.value(i.id)}) else {}),
            "h": fold(head),
            "b": body,
            **original,
        })
    return {
        "version": INDEX_VERSION,
        "edition": site.book.edition.edition,
        "themes": {t.id: t.name for t in site.book.edition.themes},
        "regions": {slug: name for name, slug in site.region_slugs.items()},
        "countries": {v.entry.country.alpha2: v.entry.country.name for v in site.entries},
        "places": {p.key.removeprefix("place-"): p.title for p in site.places},
        **({"vocabularies": {i.id: {"title": i.title, "terms": {t.term.id: t.title for t in i.terms}}
                             for i in indexes(site.book)}} if vocab else {}),
        "docs": docs,
    }


def _term_ids(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple) else (str(value),)


def as_json(index: dict) -> str:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def as_script(index_json: str) -> str:
    """The index as a script that file:// pages can load (fetch() of local files is blocked).

    JSON is valid JavaScript except that "</script" could close a tag when inlined; escaping "<"
    keeps it inert wherever it is put.
    """
    return "window.COMPENDIUM_SEARCH=" + index_json.replace("<", "\\u003c") + ";\n"
