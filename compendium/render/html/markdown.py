"""Render (HTML): the Markdown tree of compendium.book.text → escaped HTML fragments, cached by content hash.

Every string from the tree is escaped; the only tags written are the ones this module names, and
the only URLs written are the links the tree kept (text.clean_url: already valid, only escaped
here). Headings are stored relative (the highest heading of a field is level 1) and shifted to
the page's outline when used, so one conversion serves every page.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import NamedTuple

import pyromark
from markupsafe import Markup

from compendium import kept
from compendium.book import text as _text
from compendium.book.text import Child, Node, digest, parse, plain

# The cache is valid only for the code that filled it: this module, the parser's tree (text.py)
# and the parser itself. Any change to them changes the version and old entries are ignored.
WRITER_VERSION = hashlib.sha256(b"".join([
    Path(__file__).read_bytes(), Path(_text.__file__).read_bytes(), getattr(pyromark, "__version__", "?").encode(),
])).hexdigest()[:16]

_SIMPLE_TAGS = {
    "para": "p", "em": "em", "strong": "strong", "strike": "del", "code": "code",
    "item": "li", "blockquote": "blockquote",
}
_BLOCK_KINDS = frozenset({"para", "item", "blockquote"})


def _escape(text: str) -> str:
    """markupsafe.escape's entities (&amp; &lt; &gt; &#34; &#39;) as a plain str: the writer escapes
    some 200,000 strings at 1,000 entries, and a Markup object for each costs twice the time."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")


class _Writer:
    """Accumulates HTML for one tree; `min_level` makes the field's top heading level 1."""

    def __init__(self, min_level: int) -> None:
        self.out: list[str] = []
        self.shift = 1 - min_level

    def node(self, node: Child) -> None:
        out = self.out
        if isinstance(node, str):
            out.append(_escape(node))
            return
        kind = node.kind
        tag = _SIMPLE_TAGS.get(kind)
        if tag is not None:
            out.append(f"<{tag}>")
            self.children(node)
            # a newline after each block keeps the page source readable; inline tags stay tight
            out.append(f"</{tag}>\n" if kind in _BLOCK_KINDS else f"</{tag}>")
        elif kind == "heading":
            level = max(1, min(6, node.attr("level", 1) + self.shift))
            out.append(f"<h{level}>")
            self.children(node)
            out.append(f"</h{level}>\n")
        elif kind == "list":
            start = node.attr("start")
            if start is None:
                out.append("<ul>")
                self.children(node)
                out.append("</ul>\n")
            else:
                out.append("<ol>" if start == 1 else f'<ol start="{int(start)}">')
                self.children(node)
                out.append("</ol>\n")
        elif kind == "link":
            url = node.attr("url") or ""
            title = node.attr("title") or ""
            title_attr = f' title="{_escape(title)}"' if title else ""
            out.append(f'<a href="{_escape(url)}"{title_attr}>')
            self.children(node)
            out.append("</a>")
        elif kind == "codeblock":
            out.append("<pre><code>")
            self.children(node)
            out.append("</code></pre>\n")
        elif kind == "br":
            out.append("<br>")
        elif kind == "hr":
            out.append("<hr>\n")
        elif kind == "table":
            self.table(node)
        elif kind == "doc":
            self.children(node)
        else:  # an unknown kind from a newer text.py: keep its text, never guess its markup
            self.children(node)

    def children(self, node: Node) -> None:
        for child in node.children:
            self.node(child)

    def table(self, node: Node) -> None:
        aligns: tuple[str, ...] = node.attr("aligns", ())
        out = self.out
        out.append('<table class="md-table">')
        body_open = False
        for part in node.children:
            if not isinstance(part, Node):
                continue
            if part.kind == "thead":
                out.append("<thead>")
                # pulldown-cmark puts the header cells straight under TableHead (no row)
                rows = [part] if all(isinstance(c, Node) and c.kind == "cell" for c in part.children) else part.children
                for row in rows:
                    if isinstance(row, Node):
                        self.row(row, aligns, "th")
                out.append("</thead>")
            elif part.kind == "row":
                if not body_open:
                    out.append("<tbody>")
                    body_open = True
                self.row(part, aligns, "td")
        if body_open:
            out.append("</tbody>")
        out.append("</table>\n")

    def row(self, row: Node, aligns: tuple[str, ...], cell_tag: str) -> None:
        out = self.out
        out.append("<tr>")
        for i, cell in enumerate(c for c in row.children if isinstance(c, Node)):
            align = aligns[i] if i < len(aligns) else ""
            attrs = ' scope="col"' if cell_tag == "th" else ""
            if align:
                attrs += f' class="align-{align}"'
            out.append(f"<{cell_tag}{attrs}>")
            self.children(cell)
            out.append(f"</{cell_tag}>")
        out.append("</tr>")


def _min_heading(node: Node) -> int:
    levels = [c.attr("level", 1) for c in node.children if isinstance(c, Node) and c.kind == "heading"]
    if not levels:  # headings nest only at top level, in lists or in quotes: look deeper, rarely needed
        stack = [c for c in node.children if isinstance(c, Node)]
        while stack:
            n = stack.pop()
            if n.kind == "heading":
                levels.append(n.attr("level", 1))
            stack.extend(c for c in n.children if isinstance(c, Node))
    return min(levels) if levels else 1


def convert(tree: Node) -> tuple[str, list[str]]:
    """A parsed field → (HTML with relative heading levels, link targets dropped as invalid)."""
    writer = _Writer(_min_heading(tree))
    writer.node(tree)
    return "".join(writer.out), list(tree.attr("dropped", ()))


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def shift_headings(html: str, base: int) -> str:
    """Move relative headings (1 = top) to start at `base`, never past h6."""
    if "<h" not in html or base == 1:
        return html
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + base - 1)}>", html)


class Converted(NamedTuple):
    """One field, converted: what the pages, the cards' teasers and the warnings need."""

    html: str | None  # relative headings (see shift_headings); None until a page needs it
    plain: str
    dropped: list[str]

    @classmethod
    def load(cls, value: object) -> "Converted | None":
        """From the cache file, or None when the record has another shape."""
        if isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], (str, type(None))) \
                and isinstance(value[1], str) and isinstance(value[2], list):
            return cls(*value)
        return None


class MarkdownCache:
    """Converted fields by content hash — HTML and plain text — kept in one file per cache folder
    across builds (a pickle, compendium.kept: 21 MB of fields at 1,000 entries load and save in
    0.05 s, where JSON took 0.3 s), so a rebuild converts only the fields that changed.

    Only the fields used by the latest build are written back, so the file never grows stale.
    """

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / "fields.pickle" if folder is not None else None
        self.old: dict[str, object] = {}
        self.used: dict[str, Converted] = {}
        self.converted = 0  # how many fields were converted (not found in the cache) this build
        data = kept.load(self.path, dict) if self.path is not None else None
        if data is not None and data.get("version") == WRITER_VERSION and isinstance(data.get("fields"), dict):
            self.old = data["fields"]  # a missing or damaged cache is only a slower build

    def _get(self, markdown: str, language: str = "", html: bool = True) -> Converted:
        """The field converted; with `language`, its HTML and plain text have that language's
        quotation marks (book.typography), as every format prints them. Without `html` its HTML
        may be left unmade (the search index reads only the text)."""
        key = digest(f"{language}\0{markdown}" if language else markdown)
        found = self.used.get(key) or Converted.load(self.old.get(key))
        if found is None or (html and found.html is None):
            tree = parse(markdown, language)
            if found is None:
                found = Converted(convert(tree)[0] if html else None, plain(tree), list(tree.attr("dropped", ())))
            else:
                found = found._replace(html=convert(tree)[0])
            self.converted += 1
        self.used[key] = found
        return found

    def html(self, markdown: str, language: str = "") -> str:
        """The relative-heading HTML of one Markdown field (in `language`: its quotation marks)."""
        return self._get(markdown, language).html or ""

    def plain(self, markdown: str, language: str = "") -> str:
        """The text of one Markdown field without markup (teasers, the data files; in `language`:
        with its quotation marks, as the page shows them)."""
        return self._get(markdown, language, html=False).plain

    def dropped(self, markdown: str) -> list[str]:
        """Link targets of the field that were not valid web addresses (their text is kept)."""
        return self._get(markdown, html=False).dropped

    def markup(self, markdown: str, base: int, language: str = "") -> Markup:
        """HTML of one field for a page whose field headings start at `base`."""
        return Markup(shift_headings(self.html(markdown, language), base))

    def save(self) -> None:
        if self.path is None or (self.converted == 0 and len(self.used) == len(self.old)):
            return  # every field came from the cache, and the cache holds nothing else
        try:
            kept.store(self.path, {"version": WRITER_VERSION, "fields": {k: tuple(v) for k, v in self.used.items()}})
        except OSError:
            pass  # the cache is an optimisation: an unwritable cache folder must not fail the build
