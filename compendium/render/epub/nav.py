"""Render (EPUB): the book's contents as one tree — front matter, parts, their chapters (regions or
categories), every entry, the index — written three times from it: the contents page inside the
book, the EPUB 3 navigation document and the NCX of older reading systems. They cannot disagree.

pandoc splits files and rewrites links by headings; chapters are headings inside their part's
flow (a part opener lists its chapters and entries), not files of their own, so pandoc's own nav
would skip them. repack replaces its lists with these, each link resolved to the file that holds
the target id.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

from compendium.book.facts import roman
from compendium.book.indexes import indexes
from compendium.book.labels import labels
from compendium.model import Book, Entry
from compendium.render.common import chapter_anchor, epub_entry_anchor, part_anchor, vocabulary_index_anchor


@dataclass(frozen=True)
class NavItem:
    """One line of the contents: its label, the id it links to, its children."""

    label: str
    target: str  # the element id in the book
    lang: str = ""  # set when the label is in another language than the book
    dir: str = ""
    children: tuple[NavItem, ...] = ()
    entry: Entry | None = None  # the entry this line names, if any (the contents page adds its country)
    # a chapter: its heading sits on the part's opener, before the entries of the previous chapter in
    # reading order, so the navigation document shows it as an unlinked heading over its entries
    # (and the NCX, which links every line, points at its first entry); the contents page links it
    group: bool = False


def entry_anchor(entry: Entry) -> str:
    """The entry's id in the EPUB (render.common.epub_entry_anchor: NCX ids may not start with a digit)."""
    return epub_entry_anchor(entry.id)


def foreign(entry: Entry, book: Book) -> bool:
    """Whether the entry is written in another language than the book."""
    return bool(entry.language) and entry.language.lower() != book.edition.language.lower()


def contents(book: Book) -> list[NavItem]:
    """The contents tree: introduction, overview, parts > chapters > entries, the vocabulary indexes
    (book.indexes), the index by country."""
    words = labels(book.edition.language)
    ed = book.edition
    items: list[NavItem] = [NavItem(words[key], key) for key, text in (("foreword", ed.foreword),
                                                                      ("acknowledgements", ed.acknowledgements))
                            if text.strip()]
    if ed.abbreviations:
        items.append(NavItem(words["abbreviations"], "abbreviations"))
    if book.edition.introduction.strip():
        items.append(NavItem(words["introduction"], "introduction"))
    items.append(NavItem(words["overview"], "overview"))
    for p, part in enumerate(book.parts, 1):
        chapters = []
        for chapter in part.chapters:
            entries = tuple(NavItem(e.title, entry_anchor(e), e.language if foreign(e, book) else "",
                                    e.dir if foreign(e, book) else "", entry=e) for e in chapter.entries)
            chapters.append(NavItem(chapter.title, chapter_anchor(part.key, chapter.key), children=entries,
                                    group=True))
        # numbered as the PDF's contents and the part's own heading number them
        items.append(NavItem(f"{roman(p)}. {part.title}", part_anchor(part.key), children=tuple(chapters)))
    items += [NavItem(index.title, vocabulary_index_anchor(index.id)) for index in indexes(book)]
    items.append(NavItem(words["index_by_country"], "index"))
    return items


def locate(files: Mapping[str, bytes]) -> dict[str, str]:
    """id → the zip member that holds it (the first, in the order of `files`)."""
    found: dict[str, str] = {}
    for name, data in files.items():
        for ident in re.findall(rb'\sid="([^"]+)"', data):
            found.setdefault(ident.decode("utf-8"), name)
    return found


def _href(item: NavItem, where: dict[str, str], from_name: str) -> str:
    target = where.get(item.target)
    if target is None:
        raise KeyError(f"no element with id {item.target!r} in the EPUB")
    return f"{posixpath.relpath(target, posixpath.dirname(from_name))}#{item.target}"


def nav_list(items: list[NavItem], files: Mapping[str, bytes], nav_name: str,
             where: dict[str, str] | None = None) -> bytes:
    """The <ol> of the navigation document's toc nav; `where`: locate(files), when already made."""
    where = locate(files) if where is None else where

    def ol(nodes: tuple[NavItem, ...] | list[NavItem]) -> str:
        lines = []
        for item in nodes:
            label = escape(item.label)
            if item.lang:
                label = (f'<span lang="{escape(item.lang)}" xml:lang="{escape(item.lang)}" '
                         f'dir="{escape(item.dir)}">{label}</span>')
            sub = ol(item.children) if item.children else ""
            if item.group and item.children:
                lines.append(f"<li><span>{label}</span>{sub}</li>")
            else:
                lines.append(f'<li><a href="{escape(_href(item, where, nav_name))}">{label}</a>{sub}</li>')
        return '<ol class="toc">' + "".join(lines) + "</ol>"

    return ol(items).encode("utf-8")


def ncx_map(items: list[NavItem], files: Mapping[str, bytes], ncx_name: str,
            where: dict[str, str] | None = None) -> bytes:
    """The NCX <navMap>: navPoints in reading order; points to the same target share a playOrder.
    `where`: locate(files), when already made."""
    where = locate(files) if where is None else where
    orders: dict[str, int] = {}
    count = 0

    def points(nodes: tuple[NavItem, ...] | list[NavItem]) -> str:
        nonlocal count
        out = []
        for item in nodes:
            link = item.children[0] if item.group and item.children else item
            href = _href(link, where, ncx_name)
            if href not in orders:
                orders[href] = len(orders) + 1
            count += 1
            ident = count
            sub = points(item.children)
            out.append(f'<navPoint id="navPoint-{ident}" playOrder="{orders[href]}"><navLabel><text>'
                       f'{escape(item.label)}</text></navLabel><content src="{escape(href)}" />{sub}</navPoint>')
        return "".join(out)

    return ("<navMap>" + points(items) + "</navMap>").encode("utf-8")


def replace_toc(nav: bytes, new_list: bytes) -> bytes:
    """The navigation document with the toc nav's list replaced (its heading kept)."""
    start = nav.find(b'epub:type="toc"')
    open_at = nav.find(b"<ol", start)
    end = nav.find(b"</nav>", start)
    close_at = nav.rfind(b"</ol>", open_at, end)
    if min(start, open_at, end, close_at) < 0:
        return nav
    return nav[:open_at] + new_list + nav[close_at + len(b"</ol>"):]


def depth(items: list[NavItem] | tuple[NavItem, ...]) -> int:
    """Levels of the tree (the NCX's dtb:depth)."""
    return 1 + max((depth(i.children) for i in items if i.children), default=0) if items else 0


def replace_navmap(ncx: bytes, new_map: bytes, levels: int) -> bytes:
    """The NCX with its navMap replaced and its dtb:depth set to `levels`."""
    start, end = ncx.find(b"<navMap>"), ncx.find(b"</navMap>")
    if start < 0 or end < 0:
        return ncx
    ncx = ncx[:start] + new_map + ncx[end + len(b"</navMap>"):]
    return re.sub(rb'(<meta name="dtb:depth" content=")\d+(")', lambda m: m.group(1) + str(levels).encode() + m.group(2),
                  ncx, count=1)
