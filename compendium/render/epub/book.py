"""Render (EPUB): the Book laid out as pandoc blocks — front matter, parts, chapters, entries, index.

Fixed layout pieces (title page, imprint, overview table, an entry's metadata block and its
links) come from jinja templates (`epub/*.xhtml`, overridable in the project's templates/) as
raw XHTML; every piece of entry *text* is walked from its parse() tree into AST nodes, so
pandoc escapes it. Headers carry the structure pandoc splits files and builds the nav from:
front and back matter and parts at level 1, chapters at 2, entries at 3.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from compendium.book.group import by_country
from compendium.book.indexes import indexes, shown_fields
from compendium.book.labels import Labels, edition_labels
from compendium.book.stats import overview
from compendium.book.text import clean_url, parse
from compendium.errors import InvalidInput
from compendium.model import Book, Entry, Issue, Source
from compendium.render.common import chapter_anchor, epub_entry_anchor, part_anchor, vocabulary_index_anchor
from compendium.render.epub.meta import identifier, publication_date, rights_statement
from compendium.render.imageprep import prepare
from compendium.render.pandoc import (
    BulletList,
    Div,
    Figure,
    Header,
    Image,
    Json,
    Link,
    Para,
    Plain,
    RawHtml,
    Span,
    Str,
    TreeWriter,
    attr,
    lang_attrs,
)
from compendium.render.templating import render

EPUB_NS = "http://www.idpf.org/2007/ops"


def safe_link(url: str) -> str:
    """An href for a template: the link every format writes (text.clean_url), or "" for none."""
    return (clean_url(url) or "") if url else ""


@dataclass
class Layout:
    book: Book
    env: jinja2.Environment
    cache_dir: Path  # normalised image copies (compendium.render.imageprep) live here

    @property
    def lang(self) -> str:
        return self.book.edition.language

    @property
    def labels(self) -> Labels:
        """The words the renderer and the templates print, in the book's language (compendium.book.labels)."""
        return edition_labels(self.book.edition)

    def foreign(self, entry: Entry) -> bool:
        return bool(entry.language) and entry.language.lower() != self.lang.lower()

    def raw(self, name: str, **context: Any) -> Json:
        """A template rendered to raw XHTML, refused (with its name) when it is not well-formed."""
        html = render(self.env, f"epub/{name}", edition=self.book.edition, labels=self.labels, **context)
        try:  # pandoc passes raw HTML through as is: ill-formed XHTML would break the EPUB
            ET.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="{EPUB_NS}">{html}</div>')
        except ET.ParseError as exc:
            issue = Issue(Source(f"templates/epub/{name}"), "error", "template",
                          f"the template's output is not well-formed XHTML: {exc}")
            raise InvalidInput(f"{issue.source}: {issue.message}", (issue,)) from None
        return RawHtml(html)

    # ------------------------------------------------------------------ the whole book

    def blocks(self) -> list[Json]:
        out = self.front_matter()
        for part in self.book.parts:
            pa = part_anchor(part.key)
            out.append(Header(1, [Str(part.title)], attr(pa, ["part"], epub_type="part")))
            if part.description:
                out.append(Para([Str(part.description)]))
            for chapter in part.chapters:
                ca = chapter_anchor(part.key, chapter.key)
                out.append(Header(2, [Str(chapter.title)], attr(ca, ["chapter"], epub_type="chapter")))
                if chapter.description:
                    out.append(Para([Str(chapter.description)]))
                out.append(BulletList([[Plain(self.entry_link(e))] for e in chapter.entries]))
                for entry in chapter.entries:
                    out.extend(self.entry(entry))
        out.extend(self.vocabulary_indexes())
        out.extend(self.index())
        if self.book.edition.dir == "rtl":
            _mark_rtl(out)
        return out

    def landmarks(self) -> list[tuple[str, str, str]]:
        """(epub:type, id, label) of the nav's landmarks: contents page, start of the book, index."""
        words = self.labels
        first = ([("bodymatter", part_anchor(self.book.parts[0].key), words["start_of_content"])]
                 if self.book.parts else [])
        return [("toc", "contents", words["contents"]), *first, ("index", "index", words["index_by_country"])]

    # ------------------------------------------------------------------ front matter

    def front_matter(self) -> list[Json]:
        ed = self.book.edition
        words = self.labels
        out = [
            Header(1, [Str(ed.title)], attr("title-page", ["unnumbered", "unlisted"], epub_type="titlepage")),
            self.raw("titlepage.xhtml", year=ed.edition),
            Header(1, [Str(words["imprint"])],
                   attr("imprint", ["unnumbered", "unlisted"], epub_type="copyright-page")),
            self.raw("imprint.xhtml", identifier=identifier(ed), rights=rights_statement(ed),
                     date=publication_date(ed).isoformat() if ed.date else "", isbn=ed.isbn),
            Header(1, [Str(words["contents"])], attr("contents", ["unnumbered", "unlisted"])),
            self.contents(),
        ]
        if ed.introduction.strip():
            out.append(Header(1, [Str(words["introduction"])], attr("introduction", ["unnumbered"],
                                                                       epub_type="introduction")))
            out.extend(TreeWriter(2, "intro").blocks(parse(ed.introduction)))
        out.append(Header(1, [Str(words["overview"])], attr("overview", ["unnumbered"])))
        ov = overview(self.book)
        rows = [(name, cells, total) for (_, name), cells, total in zip(ov.themes, ov.cells, ov.row_totals)]
        out.append(self.raw("overview.xhtml", ov=ov, rows=rows))
        return out

    def contents(self) -> Json:
        """A printed-book contents page: front matter, parts and chapters, index (links rewritten by pandoc)."""
        def item(text: str, target: str, sub: list[list[Json]] | None = None) -> list[Json]:
            blocks = [Plain([Link([Str(text)], f"#{target}")])]
            return blocks + ([BulletList(sub)] if sub else [])

        words = self.labels
        items = []
        if self.book.edition.introduction.strip():
            items.append(item(words["introduction"], "introduction"))
        items.append(item(words["overview"], "overview"))
        for part in self.book.parts:
            chapters = [item(c.title, chapter_anchor(part.key, c.key)) for c in part.chapters]
            items.append(item(part.title, part_anchor(part.key), chapters))
        items += [item(i.title, vocabulary_index_anchor(i.id)) for i in indexes(self.book)]
        items.append(item(words["index_by_country"], "index"))
        return Div([BulletList(items)], attr("", ["contents"]))

    # ------------------------------------------------------------------ one entry

    def entry_link(self, entry: Entry) -> list[Json]:
        """'Country — title' linking to the entry; the title in the entry's own language."""
        title = [Str(entry.title)]
        if self.foreign(entry):
            title = [Span(title, attr(**lang_attrs(entry.language, entry.dir)))]
        return [Str(f"{entry.country.name} — "), Link(title, f"#{epub_entry_anchor(entry.id)}")]

    def entry(self, entry: Entry) -> list[Json]:
        ed = self.book.edition
        foreign = self.foreign(entry)
        own = lang_attrs(entry.language, entry.dir) if foreign else {}
        book_lang = lang_attrs(ed.language, ed.dir) if foreign else {}
        ea = epub_entry_anchor(entry.id)
        # lang/dir on the entry header: pandoc copies them onto the <section> holding the whole entry
        title = [Span([Str(entry.title)], attr(**own))] if foreign else [Str(entry.title)]  # the nav keeps the span
        out = [Header(3, title, attr(ea, ["entry"], **own))]
        out.append(self.raw("entry_meta.xhtml", entry=entry, foreign=foreign, book_lang=ed.language, book_dir=ed.dir))
        out.append(Div(TreeWriter(4, f"{ea}-summary").blocks(parse(entry.summary)), attr("", ["summary"])))
        for n, image in enumerate(entry.images, 1):
            caption = [Str(image.caption)] if image.caption else []
            if image.credit:
                caption += ([Str(" ")] if caption else []) + [Span([Str(image.credit)], attr("", ["credit"]))]
            # the normalised copy: width capped, camera metadata stripped, same bytes every build
            src = prepare(image, self.cache_dir)
            out.append(Figure(Image(image.alt, str(src)), caption, attr(f"{ea}-img{n}")))
        for key, text in entry.sections:
            heading = [Str(self.labels.section(key))]
            if foreign:  # the heading is in the book's language, the text below in the entry's
                heading = [Span(heading, attr(**book_lang))]
            out.append(Header(4, heading, attr(f"{ea}-{key}", ["unnumbered", "section-title"])))
            out.extend(TreeWriter(4, f"{ea}-{key}").blocks(parse(text)))
        for shown in shown_fields(ed, entry, "body"):  # the edition's extra fields printed after the sections
            out.append(Header(4, [Str(shown.label)], attr(f"{ea}-{shown.id}", ["unnumbered", "section-title"])))
            out.extend(TreeWriter(4, f"{ea}-{shown.id}").blocks(parse(shown.text)) if shown.markdown
                       else [Para([Str(shown.text)])])
        contact = entry.public_contact
        if entry.partners or entry.website or contact:
            out.append(self.raw("entry_links.xhtml", entry=entry, contact=contact, foreign=foreign,
                                book_lang=ed.language, book_dir=ed.dir, website_href=safe_link(entry.website),
                                email_href=safe_link(f"mailto:{contact.email}") if contact and contact.email else ""))
        return out

    # ------------------------------------------------------------------ back matter

    def vocabulary_indexes(self) -> list[Json]:
        """An index per vocabulary field marked `index: true` (book.indexes): term → its entries."""
        out: list[Json] = []
        for index in indexes(self.book):
            items = [[Plain([Span([Str(t.title)], attr("", ["term"]))]),
                      BulletList([[Plain(self.entry_link(e))] for e in t.entries])] for t in index.terms]
            out += [Header(1, [Str(index.title)], attr(vocabulary_index_anchor(index.id), ["unnumbered"], epub_type="index")),
                    Div([BulletList(items)], attr("", ["term-index"]))]
        return out

    def index(self) -> list[Json]:
        items = [[Plain([Span([Str(country.name)], attr("", ["country"]))]),
                  BulletList([[Plain(self.entry_link(e)[1:])] for e in entries])]
                 for country, entries in by_country(self.book).items()]
        return [Header(1, [Str(self.labels["index_by_country"])], attr("index", ["unnumbered"], epub_type="index")),
                Div([BulletList(items)], attr("", ["country-index"]))]


def _mark_rtl(blocks: list[Json]) -> None:
    """A right-to-left book: every file's outer section reads right to left unless it says otherwise.

    (pandoc's EPUB template puts `lang` but no `dir` on <html>; header attributes reach the <section>.)
    """
    for block in blocks:
        if block["t"] == "Header" and block["c"][0] <= 3:
            kvs = block["c"][1][2]
            if not any(k == "dir" for k, _ in kvs):
                kvs.append(["dir", "rtl"])
