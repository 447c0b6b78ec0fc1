"""Render (EPUB): the Book laid out as pandoc blocks — front matter, part openers, entries, index.

Files (pandoc splits at headings of level 1 to 3): title page, imprint, contents, introduction,
overview; one opener per part, which lists its chapters (regions, or categories) as headings in
its own flow, each with its entries; one file per entry; the index. Chapters have no file of their
own: a reader never lands on a near-empty screen holding one heading.

Heading levels follow the book's outline: part 1, chapter 2 (inside the opener), entry 3, the
entry's sections 4, headings written inside entry text 5 and below. Every part, front and back
matter section carries its epub:type and the matching DPUB-ARIA role.

Fixed layout pieces (title page, imprint, overview, an entry's facts and links) come from jinja
templates (`epub/*.xhtml`, overridable in the project's templates/) as raw XHTML, fed with the
strings compendium.book.facts composes for every format; every piece of entry *text* is walked
from its parse() tree into AST nodes, so pandoc escapes it.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape

from compendium.book.facts import figure_numbers, imprint, overview_sentence, overview_table, roman, title_page
from compendium.book.group import by_country
from compendium.book.indexes import indexes
from compendium.book.labels import Labels, edition_labels
from compendium.book.stats import overview
from compendium.book.text import parse
from compendium.errors import InvalidInput
from compendium.model import Book, Entry, Issue, Part, Source
from compendium.render.common import vocabulary_index_anchor
from compendium.render.epub.nav import NavItem, chapter_anchor, contents, entry_anchor, foreign, part_anchor
from compendium.render.epub.runs import SPLIT, Run, cut
from compendium.render.pandoc import (
    BulletList,
    Div,
    Header,
    Json,
    LineBreak,
    Link,
    Para,
    Plain,
    RawHtml,
    Span,
    Str,
    TreeWriter,
    attr,
    lang_attrs,
    text_div,
)
from compendium.render.templating import render

EPUB_NS = "http://www.idpf.org/2007/ops"
# epub:type → the DPUB-ARIA role that says the same to assistive technology (Ace: epub-type-has-matching-role)
ROLES: dict[str, str] = {"part": "doc-part", "chapter": "doc-chapter", "introduction": "doc-introduction",
                         "index": "doc-index", "toc": "doc-toc", "foreword": "doc-foreword",
                         "acknowledgments": "doc-acknowledgments"}


def section(ident: str, classes: list[str], epub_type: str = "", **kv: str) -> list[Any]:
    """Header attributes of a section: its id, classes, epub:type and the matching role."""
    return attr(ident, classes, epub_type=epub_type, role=ROLES.get(epub_type, ""), **kv)


@dataclass
class Layout:
    book: Book
    env: jinja2.Environment
    cache_dir: Path  # normalised image copies (compendium.render.imageprep) live here

    @property
    def lang(self) -> str:
        return self.book.edition.language

    @cached_property
    def figure_numbers(self) -> dict[tuple[str, int], int]:
        """(entry id, picture index) → its number in the book (book.facts.figure_numbers, as the PDF numbers it)."""
        return figure_numbers(self.book)

    @cached_property
    def labels(self) -> Labels:
        """The words the renderer and the templates print, in the book's language, with the section
        titles the edition declares (compendium.book.labels.edition_labels)."""
        return edition_labels(self.book.edition)

    def raw(self, name: str, **context: Any) -> Json:
        """A template rendered to raw XHTML, refused (with its name) when it is not well-formed."""
        html = render(self.env, f"epub/{name}", edition=self.book.edition, labels=self.labels, **context)
        try:  # pandoc passes raw HTML through as is: ill-formed XHTML would break the EPUB
            ET.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="{EPUB_NS}" '
                          f'xmlns:svg="http://www.w3.org/2000/svg">{html}</div>')
        except ET.ParseError as exc:
            issue = Issue(Source(f"templates/epub/{name}"), "error", "template",
                          f"the template's output is not well-formed XHTML: {exc}")
            raise InvalidInput(f"{issue.source}: {issue.message}", (issue,)) from None
        return RawHtml(html)

    # ------------------------------------------------------------------ the whole book

    def blocks(self) -> list[Json]:
        """The whole book's blocks (runs(), joined)."""
        return [b for run in self.runs() for b in run.blocks]

    def runs(self) -> list[Run]:
        """The whole book as runs, one per file pandoc writes (runs.py). An entry's blocks are kept
        between builds (kept_entries.py) and read only when asked for: a warm build converts the
        changed entries alone (chapters.py)."""
        from compendium.render.epub.kept_entries import KeptEntries

        entries = KeptEntries(self)
        rtl = self.book.edition.dir == "rtl"

        def made(blocks: list[Json]) -> list[Run]:
            if rtl:
                _mark_rtl(blocks)
            return cut(blocks)

        def load(entry: Entry, key: str) -> list[Json]:
            blocks = entries.blocks(entry, key)
            if rtl:
                _mark_rtl(blocks)
            return blocks

        out = made(self.front_matter())
        for p, part in enumerate(self.book.parts, 1):
            out += made(self.part_opener(part, p))
            for chapter in part.chapters:
                for entry in chapter.entries:
                    key = entries.key(entry)
                    out.append(Run(f"entry:{key}", SPLIT, entry_anchor(entry), True,
                                   load=lambda entry=entry, key=key: load(entry, key)))
        entries.prune()
        out += made(self.vocabulary_indexes() + self.index())
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
            Header(1, [Str(title_page(ed).title)], section("title-page", ["unnumbered", "unlisted"], "titlepage")),
            self.raw("titlepage.xhtml", page=title_page(ed)),
            Header(1, [Str(words["imprint"])], section("imprint", ["unnumbered", "unlisted"], "copyright-page")),
            self.raw("imprint.xhtml", lines=imprint(ed)),
            Header(1, [Str(words["contents"])], section("contents", ["unnumbered", "unlisted"], "toc")),
            self.contents(),
        ]
        for key, text in (("foreword", ed.foreword), ("acknowledgements", ed.acknowledgements)):
            if text.strip():  # epub:type foreword and acknowledgments (EPUB 3 Structural Semantics)
                kind = {"foreword": "foreword", "acknowledgements": "acknowledgments"}[key]
                out.append(Header(1, [Str(words[key])], section(key, ["unnumbered"], kind)))
                out.append(text_div(TreeWriter(1, key).blocks(parse(text, ed.language)), f"{key}-text"))
        if ed.abbreviations:
            out.append(Header(1, [Str(words["abbreviations"])], section("abbreviations", ["unnumbered"])))
            out.append(self.raw("abbreviations.xhtml", pairs=ed.abbreviations))
        if ed.introduction.strip():
            out.append(Header(1, [Str(words["introduction"])], section("introduction", ["unnumbered"],
                                                                         "introduction")))
            out.append(text_div(TreeWriter(1, "intro").blocks(parse(ed.introduction, ed.language)), "introduction-text"))
        out.append(Header(1, [Str(words["overview"])], section("overview", ["unnumbered"])))
        out.append(self.overview())
        return out

    def overview(self) -> Json:
        from compendium.render.html.svg import chart

        ov = overview(self.book)
        table = overview_table(ov, self.lang)
        countries = len({e.country.alpha2 for e in self.book.entries})
        svg = chart(ov, "overview-chart", table.chart_title, table.chart_desc)
        return self.raw("overview.xhtml", table=table, chart=svg,
                        sentence=overview_sentence(ov, countries, self.lang))

    def contents(self) -> Json:
        """The contents page: the same tree as the navigation document (nav.contents), with each
        entry's country beside its title, and the gloss of a title in another language (translated_title)."""
        def item(node: NavItem) -> list[Json]:
            label: list[Json] = [Str(node.label)]
            if node.lang:
                label = [Span(label, attr(**lang_attrs(node.lang, node.dir)))]
            line: list[Json] = [Link(label, f"#{node.target}")]
            entry = node.entry
            if entry is not None and entry.translated_title and foreign(entry, self.book):
                # the gloss in the book's language after a title in another, as the PDF's contents give it
                line += [Str(" "), Span([Str(entry.translated_title)], attr("", ["gloss"]))]
            if entry is not None:
                line += [Str(" "), Span([Str(entry.country.name)], attr("", ["country"]))]
            return [Plain(line)] + ([BulletList([item(c) for c in node.children])] if node.children else [])

        return Div([BulletList([item(n) for n in contents(self.book)])], attr("", ["contents"]))

    # ------------------------------------------------------------------ parts

    def part_opener(self, part: Part, p: int) -> list[Json]:
        """The part's heading (with its number), description, and its chapters as headings in its flow,
        each listing its entries (title, then country and place)."""
        words = self.labels
        number = Span([Str(words.format("part", n=roman(p)))], attr("", ["part-number"]))
        out = [Header(1, [number, Str(" "), Str(part.title)], section(part_anchor(part.key), ["part"], "part"))]
        if part.description:
            out.append(Para([Str(part.description)]))
        for chapter in part.chapters:
            heading = RawHtml(f'<h2 class="chapter-title">{escape(chapter.title)}</h2>')
            items = []
            for entry in chapter.entries:
                detail = f"{entry.country.name} · {words.place(entry.place)}"
                items.append([Plain([*self.entry_link(entry), LineBreak(), Span([Str(detail)], attr("", ["detail"]))])])
            out.append(Div([heading, BulletList(items)], attr(chapter_anchor(part.key, chapter.key), ["chapter"])))
        return out

    # ------------------------------------------------------------------ back matter

    def entry_link(self, entry: Entry) -> list[Json]:
        """A link to the entry, its title marked with its own language when it is not the book's."""
        title: list[Json] = [Str(entry.title)]
        if entry.language and entry.language.lower() != self.lang.lower():
            title = [Span(title, attr(**lang_attrs(entry.language, entry.dir)))]
        return [Link(title, f"#{entry_anchor(entry)}")]

    def vocabulary_indexes(self) -> list[Json]:
        """An index per vocabulary field marked `index: true` (book.indexes): term → its entries."""
        out: list[Json] = []
        for index in indexes(self.book):
            items = [[Plain([Span([Str(t.title)], attr("", ["term"]))]),
                      BulletList([[Plain(self.entry_link(e))] for e in t.entries])] for t in index.terms]
            out += [Header(1, [Str(index.title)], section(vocabulary_index_anchor(index.id), ["unnumbered"], "index")),
                    Div([BulletList(items)], attr("", ["term-index"]))]
        return out

    def index(self) -> list[Json]:
        items = []
        for country, entries in by_country(self.book).items():
            links = [[Plain(self.entry_link(e))] for e in entries]
            items.append([Plain([Span([Str(country.name)], attr("", ["country"]))]), BulletList(links)])
        return [Header(1, [Str(self.labels["index_by_country"])], section("index", ["unnumbered"], "index")),
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


__all__ = ["Layout", "chapter_anchor", "entry_anchor", "part_anchor"]
