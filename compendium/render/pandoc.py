"""Render (EPUB): pandoc JSON AST constructors, and compendium.book.text trees walked into AST blocks.

The AST carries text, never markup: pandoc escapes every Str itself, so nothing here escapes
by hand. A run of text stays one Str (spaces included) instead of pandoc's word-per-Str form:
the HTML writer prints it the same, and pandoc reads a far smaller document.
"""
from __future__ import annotations

from typing import Any, Iterable

from compendium.book.text import Child, Node
from compendium.input.load import visible

API_VERSION = [1, 23, 1, 1]

Json = dict[str, Any]
Attr = list[Any]

# Characters XML 1.0 forbids are dropped when files are read (load.visible); applied again to every
# string of the AST, so that no path around the loader (a template's output) can make the XHTML
# ill-formed. (Lone surrogates cannot get in: the YAML parser refuses them.)
clean = visible


def attr(ident: str = "", classes: Iterable[str] = (), **kv: str) -> Attr:
    """Pandoc Attr; keyword `epub_type` becomes `epub:type`; empty values are dropped."""
    pairs = [[{"epub_type": "epub:type"}.get(k, k), v] for k, v in kv.items() if v]
    return [ident, list(classes), pairs]


def lang_attrs(language: str, direction: str) -> dict[str, str]:
    """lang (and xml:lang, which older EPUB 2 era readers read) plus the text direction."""
    return {"lang": language, "xml:lang": language, "dir": direction} if language else {}


# ---------------------------------------------------------------------------- inlines

def Str(text: str) -> Json:
    return {"t": "Str", "c": clean(text)}


def Span(inlines: list[Json], a: Attr | None = None) -> Json:
    return {"t": "Span", "c": [a or attr(), inlines]}


def LineBreak() -> Json:
    return {"t": "LineBreak"}


def Link(inlines: list[Json], url: str, title: str = "", a: Attr | None = None) -> Json:
    """A link to `url`: an anchor of the book, or a target already made valid by text.clean_url."""
    return {"t": "Link", "c": [a or attr(), inlines, [clean(url), clean(title)]]}


def Image(alt: str, url: str, a: Attr | None = None) -> Json:
    return {"t": "Image", "c": [a or attr(), [Str(alt)], [url, ""]]}


# ---------------------------------------------------------------------------- blocks

def Para(inlines: list[Json]) -> Json:
    return {"t": "Para", "c": inlines}


def Plain(inlines: list[Json]) -> Json:
    return {"t": "Plain", "c": inlines}


def Header(level: int, inlines: list[Json], a: Attr | None = None) -> Json:
    return {"t": "Header", "c": [level, a or attr(), inlines]}


def Div(blocks: list[Json], a: Attr | None = None) -> Json:
    return {"t": "Div", "c": [a or attr(), blocks]}


def RawHtml(html: str) -> Json:
    """Raw XHTML, passed through by the EPUB writer (which also collects its <img> files)."""
    return {"t": "RawBlock", "c": ["html", clean(html)]}


def text_div(blocks: list[Json], cls: str) -> Json:
    """Blocks of written text in a Div that pandoc keeps inside the current file.

    pandoc turns a Div that opens with a heading into a section of its own, and a section of
    level 3 or less into a file of its own: an introduction that opens with `# Welcome` would
    split off. An empty raw block first keeps the Div a plain <div>; the headings inside it stay
    in the flow and out of the navigation (TreeWriter marks them unlisted).
    """
    return Div([RawHtml(""), *blocks], attr("", [cls]))


def BulletList(items: list[list[Json]]) -> Json:
    return {"t": "BulletList", "c": items}


def DefinitionList(items: list[tuple[list[Json], list[Json]]]) -> Json:
    """A <dl>: (term inlines, its definition's blocks) per item."""
    return {"t": "DefinitionList", "c": [[term, [blocks]] for term, blocks in items]}


def Figure(image: Json, caption: list[Json], a: Attr | None = None) -> Json:
    cap = [None, [Plain(caption)]] if caption else [None, []]
    return {"t": "Figure", "c": [a or attr(), cap, [Plain([image])]]}


def document(meta: Json, blocks: list[Json]) -> Json:
    return {"pandoc-api-version": API_VERSION, "meta": meta, "blocks": blocks}


# ---------------------------------------------------------------------------- meta values

def meta_str(text: str) -> Json:
    return {"t": "MetaString", "c": clean(text)}


def meta_inlines(text: str) -> Json:
    return {"t": "MetaInlines", "c": [Str(text)]}


def meta_list(values: list[Json]) -> Json:
    return {"t": "MetaList", "c": values}


def meta_map(**values: Json) -> Json:
    return {"t": "MetaMap", "c": values}


def meta_bool(value: bool) -> Json:
    return {"t": "MetaBool", "c": value}


# ---------------------------------------------------------------------------- tree → AST

_ALIGN = {"left": "AlignLeft", "center": "AlignCenter", "right": "AlignRight"}
_INLINE_KINDS = frozenset({"em", "strong", "strike", "code", "link", "br"})
_SIMPLE_INLINE = {"em": "Emph", "strong": "Strong", "strike": "Strikeout"}


class TreeWriter:
    """Walks parse() trees into pandoc blocks; headings inside text sit below `heading_floor`.

    Headings written by submitters must never open a part, chapter or entry (nor reach the
    navigation): level 1 becomes `heading_floor + 1`, capped at 6, and unlisted. A heading is
    never more than one level below the one before it (a text that opens with `###`, or jumps
    from `#` to `###`, would skip levels: screen readers and Ace's heading-order rule object).
    `id_prefix` keeps their anchors unique across the book.
    """

    def __init__(self, heading_floor: int, id_prefix: str) -> None:
        self.floor = heading_floor
        self.prefix = id_prefix
        self.count = 0
        self.last = heading_floor  # the level of the heading before

    def blocks(self, node: Node) -> list[Json]:
        return self._blocks(node.children)

    def _blocks(self, children: Iterable[Child]) -> list[Json]:
        """Block children; runs of inline children (tight list items, cells) become Plain."""
        out: list[Json] = []
        run: list[Child] = []
        for child in children:
            if isinstance(child, str) or child.kind in _INLINE_KINDS:
                run.append(child)
                continue
            if run:
                out.extend(self._plain(run))
                run = []
            out.extend(self._block(child))
        if run:
            out.extend(self._plain(run))
        return out

    def _plain(self, run: list[Child]) -> list[Json]:
        inl = inlines(run)
        return [Plain(inl)] if inl else []

    def _block(self, node: Node) -> list[Json]:
        kind = node.kind
        if kind == "para":
            inl = inlines(node.children)
            return [Para(inl)] if inl else []
        if kind == "heading":
            level = min(6, self.floor + node.attr("level", 1), self.last + 1)
            self.last = level
            self.count += 1
            a = attr(f"{self.prefix}-h{self.count}", ["unnumbered", "unlisted"])
            return [Header(level, inlines(node.children), a)]
        if kind == "list":
            items = [self._blocks(item.children) for item in node.children if isinstance(item, Node)]
            start = node.attr("start")
            if start is None:
                return [BulletList(items)]
            return [{"t": "OrderedList", "c": [[int(start), {"t": "Decimal"}, {"t": "Period"}], items]}]
        if kind == "blockquote":
            return [{"t": "BlockQuote", "c": self._blocks(node.children)}]
        if kind == "codeblock":
            text = "".join(c for c in node.children if isinstance(c, str)).rstrip("\n")
            return [{"t": "CodeBlock", "c": [attr(), clean(text)]}]
        if kind == "hr":
            return [{"t": "HorizontalRule"}]
        if kind == "table":  # in a box that scrolls where a reading system allows it: a wide table stays whole
            return [Div([self._table(node)], attr("", ["table-wrap"]))]
        if kind == "item":  # an item outside a list cannot happen; keep its text
            return self._blocks(node.children)
        return self._blocks(node.children)

    def _table(self, node: Node) -> Json:
        aligns = list(node.attr("aligns", ()))
        head_cells: list[Node] = []
        rows: list[list[Node]] = []
        for child in node.children:
            if not isinstance(child, Node):
                continue
            if child.kind == "thead":
                # pulldown-cmark puts cells straight under the head (no row); accept a row too
                for c in child.children:
                    if isinstance(c, Node) and c.kind == "row":
                        head_cells.extend(x for x in c.children if isinstance(x, Node))
                    elif isinstance(c, Node):
                        head_cells.append(c)
            elif child.kind == "row":
                rows.append([c for c in child.children if isinstance(c, Node)])
        width = max([len(head_cells), *map(len, rows), len(aligns), 1])
        aligns += [""] * (width - len(aligns))
        colspecs = [[{"t": _ALIGN.get(a, "AlignDefault")}, {"t": "ColWidthDefault"}] for a in aligns]

        def row(cells: list[Node]) -> Json:
            padded: list[Node | None] = [*cells, *([None] * (width - len(cells)))]
            return [attr(), [[attr(), {"t": "AlignDefault"}, 1, 1, self._blocks(c.children) if c else []]
                             for c in padded[:width]]]

        head = [attr(), [row(head_cells)] if head_cells else []]
        body = [attr(), 0, [], [row(r) for r in rows]]
        return {"t": "Table", "c": [attr(), [None, []], colspecs, head, [body], [attr(), []]]}


def inlines(children: Iterable[Child]) -> list[Json]:
    """Inline children → pandoc inlines (text stays in few, long Str nodes)."""
    out: list[Json] = []
    for child in children:
        if isinstance(child, str):
            if child:
                out.append(Str(child))
            continue
        kind = child.kind
        if kind in _SIMPLE_INLINE:
            out.append({"t": _SIMPLE_INLINE[kind], "c": inlines(child.children)})
        elif kind == "code":
            out.append({"t": "Code", "c": [attr(), clean("".join(c for c in child.children if isinstance(c, str)))]})
        elif kind == "link":
            url = child.attr("url")
            inner = inlines(child.children)
            # text.parse() keeps only valid http(s)/mailto targets (clean_url); others arrive as plain text
            out.append(Link(inner, url, child.attr("title", "") or "") if url else Span(inner))
        elif kind == "br":
            out.append({"t": "LineBreak"})
        else:  # a block where an inline was expected: keep its text
            out.extend(inlines(child.children))
    return out
