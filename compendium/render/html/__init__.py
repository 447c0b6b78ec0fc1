"""Render (HTML): the Book as a static website in <out>/html — a knowledge base of the initiatives.

Reads top to bottom: convert the Markdown (cached), build the view model, start the search index
(Pagefind, per language) and the web fonts (cut in another process) so they run while the pages
are written, copy the books and write the data files, write every page from the jinja2 templates
(project templates/ first, then the defaults), then wait for the index and the fonts. The folder
is self-contained: upload it alone and every link, book, font and index still works.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from compendium.book.facts import imprint, isbn, long_date, overview_table
from compendium.book.labels import Labels, edition_labels
from compendium.book.stats import overview
from compendium.errors import BuildFailed
from compendium.model import PLACES, Book, Issue
from compendium.output.report import human_size
from compendium.render import templating
from compendium.render.common import SITE_FOLDER, RenderContext, keep_or_write
from compendium.render.html import data, linked, search, webfonts
from compendium.render.html import kept as kept_pages
from compendium.render.html.assets import ASSET_DIR, Assets
from compendium.render.html.facets import facets
from compendium.render.html.kept import KeptPages
from compendium.render.html.markdown import MarkdownCache, shift_headings
from compendium.render.html.site import EntryView, Site, build_site, lang_attrs, lead
from compendium.render.html.svg import chart
from compendium.render.templating import default_templates_dir

DOWNLOAD_DIR = "downloads"
# Entry bodies are rendered once with these in place of the path to the site root and of the
# prefix of the body's ids, then reused on the entry's page ("../", "") and in book.html ("",
# "<id>-"). They start with "<", which escaped entry text can never contain, so only what the
# templates wrote is rewritten.
ROOT_TOKEN = "<compendium-root>"
ID_TOKEN = "<compendium-id>"
BOOK_ENTRY_LEVEL = 4  # book.html: h1 book, h2 part, h3 chapter, h4 entry


DOWNLOAD_LABELS = {"pdf": "PDF, for print", "epub": "EPUB, for e-readers"}


def render(book: Book, ctx: RenderContext) -> list[Path]:
    """Write the website into ctx.out_dir/html and return [that folder].

    Pages from the jinja2 templates (the project's templates/ first, then the defaults), assets
    with content hashes, pictures resized once (cached in ctx.cache_dir), the search index.
    ctx.downloads (the books built beside it) become download links; links that are not valid web
    addresses are shown as text and reported in ctx.warnings; ctx.summary says how many pages.
    Raises BuildFailed when Pagefind is missing or fails, or a file cannot be written;
    InvalidInput for a template mistake (located: file and line) or an unreadable picture.
    """
    out = ctx.out_dir / SITE_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    kept = ctx.previous / SITE_FOLDER if ctx.previous is not None else None  # the pages last built
    md = MarkdownCache(ctx.cache_dir / "html")
    assets = Assets(out, ctx.templates_dir, ctx.cache_dir)
    edition = book.edition
    words = edition_labels(edition)  # the book's language (and the edition's section titles) name every label
    fonts = webfonts.start(book, [*words.values(), *_template_text(ctx.templates_dir)])
    indexer = search.Indexer(edition, words, out / search.SEARCH_DIR, md.plain)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            assets.prefetch([img for e in book.entries for img in e.images], pool)
            site = build_site(book, md, assets.image, ctx.warnings, each=indexer.add)
        indexer.close()  # Pagefind writes the index while the pages are written
        facet_list = facets(book, words)
        style = fonts.css("fonts/") + assets.find("style.css").read_text(encoding="utf-8")
        site.assets = {"css": assets.add_bytes("style", style.encode("utf-8"), ".css"),
                       "js": assets.add_file("search.js"), "toc": assets.add_file("toc.js"),
                       "icon": assets.add_file("favicon.svg")}
        downloads = _Later(lambda: _downloads(ctx, out, words))  # the books may still be in the making
        series = None
        if ctx.series is not None:  # a site across the editions of a series: its own pages (html/series.py)
            from compendium.render.html.series import series_view

            # a series' site renders after its books (output/series.py): its downloads are known
            series = series_view(site, ctx.series, list(downloads), lambda text: md.markup(text, 3))
        common: dict[str, Any] = {
            "site": site,
            "series": series,
            "edition": edition,
            "introduction": (md.markup(edition.introduction, 3, edition.language) if edition.introduction.strip()
                             else Markup("")),
            "intro_lead": lead(edition.introduction, lambda text: md.plain(text, edition.language)),
            "cover": assets.image(edition.cover) if edition.cover else "",
            "overview": overview(book),
            # the words every format prints (book.facts): the imprint, the overview table, dates and the ISBN
            "imprint": imprint(edition),
            "table": overview_table(overview(book), edition.language, numbered=False),  # the site numbers no figures
            "long_date": long_date(edition),
            "isbn": isbn(edition),
            "labels": words,
            "places": PLACES,
            "facets": [f for f in facet_list if f.useful],
            "downloads": downloads,
            "data_files": _write_data(site, words, facet_list, md, out, kept),
            "search_bundles": search.bundles(indexer, edition.language),
            "section_titles": search.section_titles(site, words),
        }
        env = _environment(ctx)
        record = _kept_pages(ctx, site, common) if series is None else None
        _write_pages(site, env, common, words, out, series, kept, record)
        md.save()  # while Pagefind writes the index
        if record is not None:
            record.save()
        ids = indexer.finish()
        if site.entries:
            (out / search.SEARCH_DIR / search.FACETS_NAME).write_bytes(
                search.facet_map(site, facet_list, ids, indexer.languages))
        fonts.finish(out / ASSET_DIR / "fonts")
    except BaseException:
        indexer.stop()
        raise
    ctx.warnings.extend(fonts.warnings(book))
    if edition.url:
        _write_sitemap(out, edition.url)
    elif site.entries:  # a note, not a warning: a site previewed before it has an address is fine
        ctx.warnings.append(Issue(edition.source, "note", "html.no-url",
                                  "the edition has no url: citations end without an address, and the data files "
                                  "and the feed link relative to the site folder; set url: to the published address"))
    ctx.summary = f"{sum(1 for _ in out.rglob('*.html'))} pages"
    return [out]


class _Later(Sequence):
    """A list made when a template first uses it: the site's download links wait for the books
    (RenderContext.downloads may be a BooksLater), the pages that do not list them do not."""

    def __init__(self, make: Callable[[], list]) -> None:
        self._make, self._items = make, None

    def _get(self) -> list:
        if self._items is None:
            self._items = self._make()
        return self._items

    def __getitem__(self, i):  # noqa: ANN001, ANN204 - Sequence's
        return self._get()[i]

    def __len__(self) -> int:
        return len(self._get())


def _template_text(project_templates: Path | None) -> list[str]:
    """The text of the HTML templates (defaults and overrides): the characters they print need fonts."""
    folders = [default_templates_dir() / "html"]
    if project_templates is not None:
        folders.append(project_templates / "html")
    return [p.read_text(encoding="utf-8", errors="replace") for folder in folders if folder.is_dir()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in (".html", ".js")]


def _downloads(ctx: RenderContext, out: Path, words: Labels) -> list[dict[str, str]]:
    """Copy the books (EPUB, PDF) into the site, so that the folder uploaded alone still offers them;
    a hard link when the file system allows it (no second copy on disk)."""
    found = []
    for d in ctx.downloads:
        name = Path(d.file).name
        target = out / DOWNLOAD_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            try:
                os.link(d.path, target)
            except OSError:
                shutil.copyfile(d.path, target)
        except OSError as exc:
            raise BuildFailed(f"cannot copy {d.file} into the website: {exc.strerror or exc}") from None
        found.append({"label": words.get(f"download.{d.format}", DOWNLOAD_LABELS.get(d.format, d.format.upper())),
                      "href": f"{DOWNLOAD_DIR}/{name}", "format": d.format,
                      "size": human_size(d.size).replace(" ", "\u00a0")})  # never "438.2 / KB"
    return found


def _write_data(site: Site, words: Labels, facet_list: list, md: MarkdownCache, out: Path,
                kept: Path | None = None) -> list[dict[str, str]]:
    """entries.json (+ its JSON Schema), entries.csv and the Atom feed; returns their links for the home page.
    `kept`: the last build's site, whose files are linked when unchanged (common.keep_or_write)."""
    files = {
        data.JSON_NAME: data.entries_json(site, words, facet_list).encode("utf-8"),
        data.SCHEMA_NAME: (json.dumps(data.schema(), ensure_ascii=False, indent=1) + "\n").encode("utf-8"),  # small: readable
        data.CSV_NAME: data.entries_csv(site, words, md),
        data.FEED_NAME: data.atom_feed(site, words).encode("utf-8"),
    }
    for name, content in files.items():
        keep_or_write(out / name, content, kept / name if kept else None)
    return [{"href": name, "label": words[key], "size": human_size(len(files[name])).replace(" ", "\u00a0"),
             "type": kind, "hint": words[hint] if hint else ""}
            for name, key, kind, hint in ((data.JSON_NAME, "data_json", "application/json", ""),
                                          (data.CSV_NAME, "data_csv", "text/csv", ""),
                                          (data.SCHEMA_NAME, "data_schema", "application/schema+json", ""),
                                          (data.FEED_NAME, "data_feed", "application/atom+xml", "data_feed_hint"))]


def _write_sitemap(out: Path, base: str) -> None:
    """sitemap.xml for search engines: every page under the edition's public address (no dates:
    the build stays reproducible)."""
    from xml.sax.saxutils import escape

    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    urls = "".join(f"  <url><loc>{escape(base + '/' + page)}</loc></url>\n" for page in pages)
    (out / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                                     '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                                     f"{urls}</urlset>\n", encoding="utf-8")


def _kept_pages(ctx: RenderContext, site: Site, common: dict[str, Any]) -> KeptPages | None:
    """The record of the entry pages last built (html/kept.py), or None when every page must be
    rendered: a project whose templates override the HTML pages (they may show any entry anywhere)."""
    overrides = ctx.templates_dir / "html" if ctx.templates_dir is not None else None
    if overrides is not None and overrides.is_dir() and any(p.suffix == ".html" for p in overrides.rglob("*")):
        return None
    frame = kept_pages.frame_digest([
        kept_pages.code_digest([default_templates_dir() / "html"]), repr(common["edition"]),
        common["labels"].language, common["labels"].strings, site.assets, bool(site.entries), bool(site.keywords),
        repr(common["imprint"]), common["long_date"], common["cover"], common["isbn"],
    ])
    return KeptPages(ctx.cache_dir / "html", frame, site.entries)


def _write_pages(site: Site, env: jinja2.Environment, common: dict[str, Any], words: Labels, out: Path,
                 series: Any = None, kept: Path | None = None, record: KeptPages | None = None) -> None:
    """Every page; each entry's body is rendered once and reused by its page and by book.html.
    A page with nothing to show is not made (keywords.html when no entry has keywords). A site
    across editions (`series`, html/series.SeriesView) has its own home and adds its pages. A page
    whose bytes are those of the same page in `kept` (the last build's site) is that file,
    hard-linked (common.keep_or_write): after one entry changed, a few pages are written. With
    `record` (html/kept.py), an entry page whose inputs are those of the last build's is not even
    rendered: the last build's file is linked."""
    from compendium.render.html.series import COUNTRIES_DIR, EDITIONS_DIR, pages

    for folder in ("entries", "themes", "regions", *((EDITIONS_DIR, COUNTRIES_DIR) if series else ())):
        (out / folder).mkdir(exist_ok=True)
    pending: list[Future[int]] = []
    # Disk writes release the GIL: a writer thread overlaps them with the rendering.
    with ThreadPoolExecutor(max_workers=2) as writer:

        def write(rel: str, template: str, **extra: Any) -> None:
            html = templating.render(env, template, **common, **extra, root="../" * rel.count("/"), current=rel)
            pending.append(writer.submit(keep_or_write, out / rel, html.encode("utf-8"), kept / rel if kept else None))

        def link(rel: str, v: EntryView, last: Path) -> None:
            os.link(last, out / rel)
            record.record(rel, v, out / rel)  # type: ignore[union-attr]

        def put(rel: str, v: EntryView, html: str) -> None:
            keep_or_write(out / rel, html.encode("utf-8"), kept / rel if kept else None)
            if record is not None:
                record.record(rel, v, out / rel)

        bodies: dict[str, Markup] = {}
        for v in site.entries:
            body = record.body(v) if record is not None else None
            if body is None:
                body = templating.render(env, "html/_entry_body.html", **common, e=v, root=Markup(ROOT_TOKEN),
                                         ids=Markup(ID_TOKEN), current=v.href)
            if record is not None:
                record.keep_body(v, body)
            if record is not None and kept is not None and record.kept(v.href, v, kept / v.href):
                pending.append(writer.submit(link, v.href, v, kept / v.href))
            else:
                page = templating.render(env, "html/entry.html", **common, e=v, root="../", current=v.href,
                                         body=Markup(body.replace(ROOT_TOKEN, "../").replace(ID_TOKEN, "")),
                                         jsonld=linked.script(linked.entry_jsonld(v, site, words)),
                                         og=linked.open_graph(v, site))
                pending.append(writer.submit(put, v.href, v, page))
            bodies[v.id] = Markup(shift_headings(body.replace(ROOT_TOKEN, "").replace(ID_TOKEN, f"{v.id}-"),
                                                 BOOK_ENTRY_LEVEL))
        write("book.html", "html/book.html", bodies=bodies)
        names = ["index.html"]
        if site.entries:  # no index and nothing to search in an edition without entries
            names += ["countries.html", "places.html", "search.html"]
        if site.keywords:
            names.append("keywords.html")
        for name in names:
            write(name, "html/series.html" if series and name == "index.html" else f"html/{name}")
        for rel, template, values in pages(series) if series else ():
            write(rel, template, **values)
        for kind, groups in (("theme", site.themes), ("region", site.regions)):
            if site.entries:  # the menu's Themes and Regions: every theme (region) with its initiatives
                write(f"{kind}s/index.html", "html/groups.html", groups=[g for g in groups if g.count], kind=kind)
            for group in groups:
                if group.count:  # a theme or region without entries gets no page (and no link)
                    write(group.href, "html/group.html", group=group, kind=kind)
    for done in pending:
        try:
            done.result()
        except OSError as exc:
            raise BuildFailed(f"cannot write the website into {out}: {exc.strerror or exc}") from None


def _environment(ctx: RenderContext) -> jinja2.Environment:
    """The shared template environment plus the helpers the HTML templates use."""
    env = templating.environment(ctx.templates_dir, cache_dir=ctx.cache_dir)
    env.auto_reload = False  # templates are compiled once per build; skip a stat per page
    env.filters["headings"] = lambda html, base: Markup(shift_headings(str(html), int(base)))
    env.filters["url_breaks"] = url_breaks
    env.filters["email_breaks"] = email_breaks
    env.globals.update(chart=chart, lang_attrs=lang_attrs, zip=zip)
    return env


_URL_PARTS = re.compile(r"([/.\-_?&=@#])")


def url_breaks(text: str) -> Markup:
    """A web or e-mail address with a line-break opportunity (<wbr>) after each / . - _ ? & = @ #,
    so that a phone breaks it between its parts, never mid-word."""
    parts = _URL_PARTS.split(str(text))  # text, separator, text, separator, ...
    return Markup("".join(str(escape(p)) + ("<wbr>" if i % 2 else "") for i, p in enumerate(parts)))


def email_breaks(address: str) -> Markup:
    """An e-mail address that may break after its "@" only (<wbr>): its two halves stay whole words."""
    local, at, domain = str(address).partition("@")
    return Markup(f"{escape(local)}{at}<wbr>{escape(domain)}" if at else escape(local))


__all__ = ["render"]
