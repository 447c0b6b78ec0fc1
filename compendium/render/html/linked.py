"""Render (HTML): linked data in the pages — schema.org JSON-LD and Open Graph.

Each entry page describes itself as an Article (the case study, part of the edition's Book, under
its licence) about a Project (schema.org: "an enterprise planned to achieve a particular aim": the
initiative), carried out by a GovernmentOrganization (the institution) in a Country, with its award.
Open Graph gives link previews the title, the start of the summary and the first picture.

Addresses are absolute under the edition's `url`; without one they are relative to the page
(JSON-LD resolves them against the page's address; Open Graph's url and image need an absolute
address, so they are left out).
"""
from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from compendium.book.labels import Labels
from compendium.render.html.site import EntryView, Site


def _href(site: Site, href: str, root: str) -> str:
    base = site.book.edition.url
    return f"{base}/{href}" if base else root + href


def entry_jsonld(v: EntryView, site: Site, words: Labels, root: str = "../") -> dict[str, Any]:
    """The JSON-LD of one entry page (see the module's docstring); empty fields are left out."""
    ed = site.book.edition
    e = v.entry
    lang = e.language or ed.language
    country = {"@type": "Country", "name": e.country.name, "identifier": e.country.alpha2}
    award = f"{words.place(e.place)}, {ed.title} {e.year} ({e.theme.name})"
    image = [{"@type": "ImageObject", "contentUrl": _href(site, img.src, root), "description": img.alt,
              **({"caption": img.caption} if img.caption else {}), **({"creditText": img.credit} if img.credit else {}),
              **({"width": img.width, "height": img.height} if img.width else {})} for img in v.images]
    project: dict[str, Any] = {
        "@type": "Project",
        "name": e.title,
        "alternateName": v.gloss or None,
        "description": v.teaser,
        "inLanguage": lang,
        "award": award,
        "location": country,
        "areaServed": country,
        "parentOrganization": {"@type": "GovernmentOrganization", "name": e.institution,
                               "address": {"@type": "PostalAddress", "addressCountry": e.country.alpha2}},
        "url": v.website or None,
        "image": image[0]["contentUrl"] if image else None,
        "keywords": ", ".join(k.text for k in v.keywords) or None,
        "member": [{"@type": "Organization", "name": p} for p in e.partners] or None,
    }
    # in a site across editions (ed.years) the entry is part of its own year's edition
    book: dict[str, Any] = {"@type": "Book", "name": ed.title, "bookEdition": str(e.year if ed.years else ed.edition),
                            "isbn": None if ed.years else ed.isbn or None, "url": ed.url or None,
                            "inLanguage": ed.language}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": _href(site, v.href, root) + "#article",
        "url": _href(site, v.href, root),
        "headline": e.title,
        "name": e.title,
        "alternativeHeadline": v.gloss or None,
        "inLanguage": lang,
        "description": v.teaser,
        "about": _clean(project),
        "contentLocation": country,
        "isPartOf": _clean(book),
        "image": image or None,
        "license": ed.license or None,
        "datePublished": ed.date.isoformat() if ed.date and not ed.years else str(e.year),
        "publisher": {"@type": "Organization", "name": ed.publisher} if ed.publisher else None,
        "keywords": project["keywords"],
    }
    return _clean(data)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def script(data: dict[str, Any]) -> Markup:
    """JSON-LD as the content of a <script type="application/ld+json"> element: "<" is escaped
    (\\u003c) so that no entry text can close the element; the JSON stays the same data."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # the C encoder (not with indent)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def open_graph(v: EntryView, site: Site) -> list[tuple[str, str]]:
    """(property, content) pairs of an entry page's Open Graph tags."""
    ed = site.book.edition
    e = v.entry
    tags = [("og:type", "article"), ("og:site_name", f"{ed.title} {ed.label}"), ("og:title", e.title),
            ("og:description", v.teaser), ("og:locale", (e.language or ed.language).replace("-", "_"))]
    if ed.url:
        tags.append(("og:url", f"{ed.url}/{v.href}"))
        if v.thumb is not None:
            tags += [("og:image", f"{ed.url}/{v.thumb.src}"), ("og:image:alt", v.thumb.alt)]
            if v.thumb.width:
                tags += [("og:image:width", str(v.thumb.width)), ("og:image:height", str(v.thumb.height))]
    return tags
