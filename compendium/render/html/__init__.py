"""Render (HTML): the Book as a static website in <out>/html — pages, indexes, book.html, search.

Reads top to bottom: convert the Markdown (cached), build the view model, copy assets, write
every page from the jinja2 templates (project templates/ first, then the defaults).
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from compendium.book.facts import imprint, isbn, long_date, overview_table
from compendium.book.labels import edition_labels
from compendium.book.stats import overview
from compendium.errors import BuildFailed
from compendium.model import PLACES, Book
from compendium.output.report import human_size
from compendium.render import templating
from compendium.render.common import RenderContext
from compendium.render.html.assets import Assets
from compendium.render.html.markdown import MarkdownCache, shift_headings
from compendium.render.html.search import as_json, as_script, search_index
from compendium.render.html.site import Site, build_site, lang_attrs
from compendium.render.html.svg import chart

SITE_DIR = "html"
# Entry bodies are rendered once with this in place of the path to the site root, then reused
# on the entry's page ("../") and in book.html (""). It starts with "<", which escaped entry text
# can never contain, so only links written by the templates are rewritten.
ROOT_TOKEN = "<compendium-root>"
BOOK_ENTRY_LEVEL = 4  # book.html: h1 book, h2 part, h3 chapter, h4 entry


DOWNLOAD_LABELS = {"pdf": "PDF, for print", "epub": "EPUB, for e-readers"}


def render(book: Book, ctx: RenderContext) -> list[Path]:
    """Write the site into ctx.out_dir/html and return that folder."""
    out = ctx.out_dir / SITE_DIR
    out.mkdir(parents=True, exist_ok=True)
    md = MarkdownCache(ctx.cache_dir / "html")
    assets = Assets(out, ctx.templates_dir, ctx.cache_dir)
    with ThreadPoolExecutor(max_workers=2) as pool:
        assets.prefetch([img for e in book.entries for img in e.images], pool)
        site = build_site(book, md, assets.image, ctx.warnings)
    site.assets = {"css": assets.add_file("style.css"), "js": assets.add_file("search.js")}
    index_json = as_json(search_index(site, md))
    (out / "search-index.json").write_bytes(index_json.encode("utf-8"))
    site.assets["index"] = assets.add_bytes("search-index", as_script(index_json).encode("utf-8"), ".js")

    env = _environment(ctx)
    edition = book.edition
    words = edition_labels(edition)  # the book's language names every label, on every page
    common: dict[str, Any] = {
        "site": site,
        "edition": edition,
        "introduction": (md.markup(edition.introduction, 3, edition.language) if edition.introduction.strip()
                         else Markup("")),
        "cover": assets.image(edition.cover) if edition.cover else "",
        "overview": overview(book),
        # the words every format prints (book.facts): the imprint, the overview table, dates and the ISBN
        "imprint": imprint(edition),
        "table": overview_table(overview(book), edition.language),
        "long_date": long_date(edition),
        "isbn": isbn(edition),
        "labels": words,
        "place_labels": {place: words.place(place) for place in PLACES},
        "places": PLACES,
        "downloads": [
            {"label": DOWNLOAD_LABELS.get(fmt, fmt.upper()), "file": name, "size": human_size(size).replace(" ", "\u00a0")}  # never "438.2 / KB"
            for fmt, name, size in ctx.downloads
        ],
    }

    _write_pages(site, env, common, out)
    if edition.url:
        _write_sitemap(out, edition.url)
    md.save()
    ctx.summary = f"{sum(1 for _ in out.rglob('*.html'))} pages"
    return [out]


def _write_sitemap(out: Path, base: str) -> None:
    """sitemap.xml for search engines: every page under the edition's public address (no dates:
    the build stays reproducible)."""
    from xml.sax.saxutils import escape

    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    urls = "".join(f"  <url><loc>{escape(base + '/' + page)}</loc></url>\n" for page in pages)
    (out / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                                     '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                                     f"{urls}</urlset>\n", encoding="utf-8")


def _write_pages(site: Site, env: jinja2.Environment, common: dict[str, Any], out: Path) -> None:
    """Every page; each entry's body is rendered once and reused by its page and by book.html."""
    for folder in ("entries", "themes", "regions"):
        (out / folder).mkdir(exist_ok=True)
    pending: list[Future[int]] = []
    # Disk writes release the GIL: a writer thread overlaps them with the rendering.
    with ThreadPoolExecutor(max_workers=2) as writer:

        def write(rel: str, template: str, **extra: Any) -> None:
            html = templating.render(env, template, **common, **extra, root="../" * rel.count("/"), current=rel)
            pending.append(writer.submit((out / rel).write_bytes, html.encode("utf-8")))

        bodies: dict[str, Markup] = {}
        for v in site.entries:
            body = templating.render(env, "html/_entry_body.html", **common, e=v, root=Markup(ROOT_TOKEN), current=v.href)
            write(v.href, "html/entry.html", e=v, body=Markup(body.replace(ROOT_TOKEN, "../")))
            bodies[v.id] = Markup(shift_headings(body.replace(ROOT_TOKEN, ""), BOOK_ENTRY_LEVEL))
        write("book.html", "html/book.html", bodies=bodies)
        for name in ("index.html", "countries.html", "places.html", "keywords.html", "search.html"):
            write(name, f"html/{name}")
        for group in site.themes:
            write(group.href, "html/group.html", group=group, kind="theme")
        for group in site.regions:
            write(group.href, "html/group.html", group=group, kind="region")
    for done in pending:
        try:
            done.result()
        except OSError as exc:
            raise BuildFailed(f"cannot write the website into {out}: {exc.strerror or exc}") from None


def _environment(ctx: RenderContext) -> jinja2.Environment:
    """The shared template environment plus the helpers the HTML templates use."""
    env = templating.environment(ctx.templates_dir)
    env.auto_reload = False  # templates are compiled once per build; skip a stat per page
    env.filters["headings"] = lambda html, base: Markup(shift_headings(str(html), int(base)))
    env.globals.update(chart=chart, lang_attrs=lang_attrs, zip=zip)
    return env


__all__ = ["render"]
