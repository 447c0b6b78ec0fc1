"""Book (shared by every format): typographic quotation marks and apostrophes in text trees.

Straight quotes typed by submitters (`"`, `'`) become the marks of the text's language
(CLDR delimiters, compendium.book.voice.quotes): “…” in English, « … » in French, „…“ in German,
「…」 in traditional Chinese; a single quote inside a word is an apostrophe (’). Applied once, by
text.parse(markdown, language), so that the PDF, the EPUB and the website print the same marks.

Never touched: a double quote inside a word (Hebrew acronyms such as צה"ל) and a single quote
after a Hebrew letter that closes nothing (a geresh), code spans and code blocks, link targets and titles (attributes), a link whose
text is its own address, web addresses and e-mail addresses written in the text, and tag-like
text (raw HTML, which compendium shows as typed).

The rules (after SmartyPants, made language-neutral): a quote opens at the start of a block or
after a space or an opening bracket or dash (or, in Chinese and Japanese, after an ideograph when
none is open), when something other than a space follows; otherwise it closes. A single quote between two letters is an apostrophe; elsewhere it opens only when the
block holds a quote to close it, else it is an apostrophe (’90s, the members’).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING, Iterator

from compendium.book.scripts import is_cjk
from compendium.book.voice import Quotes
from compendium.model import Entry, Theme

if TYPE_CHECKING:
    from compendium.book.text import Child, Node

APOSTROPHE = "\u2019"
OPENERS = "([{<\u2014\u2013-/\u00ab\u201c\u2018\u201e\u201a\u300c\u300e"  # after these, a quote opens
# spans that keep their straight quotes: addresses, e-mail addresses and tag-like text
_UNTOUCHED = re.compile(r"(?:https?://|ftp://|mailto:|www\.)[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|<[^<>\n]*>")
_BLOCK_KINDS = frozenset({"para", "heading", "item", "cell", "blockquote", "doc", "list", "table", "thead", "row"})
_SKIP_KINDS = frozenset({"code", "codeblock"})


def _hebrew(ch: str | None) -> bool:
    return ch is not None and "\u05d0" <= ch <= "\u05f4"


def _wordy(ch: str | None) -> bool:
    """A letter, digit or combining mark (a quote next to one belongs to a word)."""
    return ch is not None and unicodedata.category(ch)[0] in "LNM"


def _is_autolink(node: Node) -> bool:
    """A link whose text is its own address (<https://…>): its text is the address, kept as typed."""
    url = node.attr("url", "") or ""
    text = "".join(c for c in node.children if isinstance(c, str)).strip()
    return bool(text) and text in (url, url.removeprefix("mailto:"))


def _segments(children: tuple[Child, ...], out: list[tuple[str, bool]]) -> None:
    """(text, editable) of one block's inline content in reading order; nested blocks are left out."""
    for child in children:
        if isinstance(child, str):
            out.append((child, True))
        elif child.kind in _SKIP_KINDS:
            out.append(("x", False))  # stands for the code: a word, so a quote after it closes
        elif child.kind == "br":
            out.append((" ", False))
        elif child.kind == "link" and _is_autolink(child):
            out.append(("".join(c for c in child.children if isinstance(c, str)), False))
        elif child.kind not in _BLOCK_KINDS:
            _segments(child.children, out)


def educate(text: str, marks: Quotes) -> str:
    """A plain string with its straight quotes made typographic (the rules of this module)."""
    if "'" not in text and '"' not in text:
        return text
    return _apply(text, 0, _replacements(text, bytearray(len(text)), marks))


_QUOTE = re.compile("[\"']")


def _apply(text: str, start: int, changes: dict[int, str]) -> str:
    """`text`, which starts at `start` in the block, with the marks of `changes` (block position → mark)."""
    out, last = [], 0
    for i in sorted(changes):
        j = i - start
        if 0 <= j < len(text):
            out.append(text[last:j])
            out.append(changes[i])
            last = j + 1
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _replacements(text: str, keep: bytearray, marks: Quotes) -> dict[int, str]:
    """What the quotes of `text` become: position → a mark with its inner space (a quote left as typed
    is not listed). `keep` (one byte per character, non-zero: never touched) is marked further with
    the addresses and tag-like text. Only the quotes are visited: the rest of the text is never a mark."""
    changes: dict[int, str] = {}
    for m in _UNTOUCHED.finditer(text):
        keep[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    singles = doubles = 0  # quotes opened and not yet closed
    for q in _QUOTE.finditer(text):
        i = q.start()
        if keep[i]:
            continue
        ch = text[i]
        prev = text[i - 1] if i else None
        nxt = text[i + 1] if i + 1 < len(text) else None
        opening = (prev is None or prev.isspace() or prev in OPENERS) and nxt is not None and not nxt.isspace()
        if ch == '"' and _wordy(prev) and _wordy(nxt) and not (is_cjk(prev) or is_cjk(nxt)):
            continue  # inside a word (a Hebrew acronym: צה"ל) or between digits: not a quotation mark
        if ch == "'" and _hebrew(prev) and not _wordy(nxt) and not singles:
            continue  # a Hebrew geresh (ג'): kept as typed
        if ch == '"':
            # Chinese and Japanese put no space before a quotation: after an ideograph, a quote opens
            # unless one is open
            if opening or (not doubles and prev is not None and is_cjk(prev) and nxt is not None and not nxt.isspace()):
                changes[i] = marks.open + marks.inner_space
                doubles += 1
            elif prev is not None and not prev.isspace():
                changes[i] = marks.inner_space + marks.close
                doubles = max(0, doubles - 1)
        elif _wordy(prev) and _wordy(nxt):  # inside a word: it's, l'État
            changes[i] = APOSTROPHE
        elif opening and _closes_later(text, i + 1, keep):
            changes[i] = marks.alt_open
            singles += 1
        elif singles and prev is not None and not prev.isspace():
            changes[i] = marks.alt_close
            singles -= 1
        else:
            changes[i] = APOSTROPHE
    return changes


def _closes_later(text: str, start: int, keep: bytearray) -> bool:
    """Whether a single quote after `start` can close one: it follows a non-space and no letter follows it."""
    j = text.find("'", start)
    while j != -1:
        if not keep[j] and not text[j - 1].isspace() and not _wordy(text[j + 1] if j + 1 < len(text) else None):
            return True
        j = text.find("'", j + 1)
    return False


def typeset(tree: Node, marks: Quotes) -> Node:
    """A copy of a text.parse() tree whose text has typographic quotes, block by block."""
    if tree.kind in _SKIP_KINDS:
        return tree
    segments: list[tuple[str, bool]] = []
    _segments(tree.children, segments)
    texts: list[str] = [text for text, editable in segments if editable]
    if any("'" in t or '"' in t for t in texts):
        joined = "".join(text for text, _ in segments)
        keep = bytearray()
        for text, editable in segments:
            keep += (b"\x00" if editable else b"\x01") * len(text)
        changes = _replacements(joined, keep, marks)
        texts, pos = [], 0
        for text, editable in segments:
            if editable:
                texts.append(_apply(text, pos, changes) if changes else text)
            pos += len(text)
    return _rebuild(tree, iter(texts), marks)


def _rebuild(node: Node, texts: Iterator[str], marks: Quotes) -> Node:
    children: list[Child] = []
    for child in node.children:
        if isinstance(child, str):
            children.append(next(texts))
        elif child.kind in _BLOCK_KINDS:
            children.append(typeset(child, marks))
        elif child.kind in _SKIP_KINDS or child.kind == "br" or child.kind == "link" and _is_autolink(child):
            children.append(child)
        else:
            children.append(_rebuild(child, texts, marks))
    if all(new is old for new, old in zip(children, node.children)):
        return node  # nothing in it changed: the tree shares it
    return type(node)(node.kind, tuple(children), node.attrs)


def typeset_entry(entry: Entry, book_language: str) -> Entry:
    """The entry with typographic quotes and apostrophes in its one-line fields, as its Markdown gets
    them (text.parse): title, institution, partners, keywords, country, pictures' alt text, captions
    and credits in the entry's language; translated title and keywords in the book's.

    The shared voice of every format: the PDF, the EPUB and the website print "the people’s portal",
    never a typewriter apostrophe in a title. Ids, addresses and the Markdown fields are left as typed.
    """
    from compendium.book.voice import quotes

    own, book = quotes(entry.language or book_language), quotes(book_language)
    images = tuple(replace(img, alt=educate(img.alt, own), caption=educate(img.caption, own),
                           credit=educate(img.credit, own)) for img in entry.images)
    return replace(entry, title=educate(entry.title, own), translated_title=educate(entry.translated_title, book),
                   institution=educate(entry.institution, own), partners=tuple(educate(p, own) for p in entry.partners),
                   keywords=tuple(educate(k, book) for k in entry.keywords),
                   country=replace(entry.country, name=educate(entry.country.name, book)), images=images)


def typeset_theme(theme: Theme, language: str) -> Theme:
    """A theme (award category) with typographic quotes in its name and description."""
    from compendium.book.voice import quotes

    marks = quotes(language)
    return replace(theme, name=educate(theme.name, marks), description=educate(theme.description, marks))
