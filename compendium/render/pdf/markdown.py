"""PDF render, text: the parsed Markdown tree (compendium.book.text) and plain fields → reportlab flowables.

reportlab's Paragraph reads a small XML-like markup (<b>, <font>, <a>, <img>, ...). We build
that markup ourselves from the tree, and every string that comes from an entry is escaped
(&, <, >) before it is placed in it: markup typed into a field prints as text. Link targets
are only the http(s)/mailto URLs that the tree kept. Each text run gets the font of its script
(see pdf_fonts); Arabic is reshaped and handed to BidiParagraph; Chinese breaks between characters.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from dataclasses import field as _field  # TextContext has a member named `field`
from xml.sax.saxutils import escape

from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Indenter,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import FrameBG

from compendium.book.labels import Labels, labels
from compendium.book.scripts import has_cjk, has_rtl
from compendium.book.text import Child, Node, parse
from compendium.render.pdf.bidi import BidiParagraph, reshape
from compendium.render.pdf.styles import ACCENT, RULE, TINT, Styles

_STYLE = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bolditalic"}


@dataclass
class TextContext:
    """What text is being laid out: direction, and where missing glyphs are reported."""

    styles: Styles
    rtl: bool = False  # the text's base direction (an entry in Arabic)
    field: str = ""  # e.g. "summary", "sections.problem", "title"
    report: Callable[[str, str], None] | None = None  # (field, char) for characters no font has
    lang: str = ""  # BCP 47 tag of the text, for hyphenation
    labels: Labels = _field(default_factory=lambda: labels("en"))  # the book's words (headings, labels)

    def at(self, field_name: str) -> TextContext:
        return replace(self, field=field_name)

    def ltr(self) -> TextContext:
        """The same source, laid out in the book's direction and language (panels, the TOC)."""
        return replace(self, rtl=False, lang="")


@dataclass
class Markup:
    """Paragraph markup under construction, with what the text needs (bidi, CJK breaking)."""

    ctx: TextContext
    style: str
    parts: list[str] = field(default_factory=list)
    rtl: bool = False
    cjk: bool = False

    def __post_init__(self) -> None:
        self.family, bold, italic = self.ctx.styles.family_of(self.style)
        self._state = [(bold, italic)]

    def text(self, s: str, field: str | None = None) -> None:
        """Escaped text, each run in the font of its script; `field` names it in warnings."""
        fonts = self.ctx.styles.fonts
        bold, italic = self._state[-1]
        runs, missing = fonts.runs(s, self.family)
        for ch in missing:
            if self.ctx.report:
                self.ctx.report(field or self.ctx.field, ch)
        for family, run in runs:
            if not run.isascii():
                if has_rtl(run):
                    self.rtl = True
                    run = reshape(run)
                if has_cjk(run):
                    self.cjk = True
            if family == self.family:
                self.parts.append(escape(run))
            else:
                self.parts.append(f'<font face="{fonts.name(family, _STYLE[(bold, italic)])}">{escape(run)}</font>')

    def tag(self, open_: str, close: str, children: tuple[Child, ...], bold: bool | None = None,
            italic: bool | None = None) -> None:
        b, i = self._state[-1]
        self._state.append((b if bold is None else bold, i if italic is None else italic))
        self.parts.append(open_)
        for child in children:
            self.inline(child)
        self.parts.append(close)
        self._state.pop()

    def inline(self, node: Child) -> None:
        if isinstance(node, str):
            self.text(node)
            return
        k = node.kind
        if k == "strong":
            self.tag("<b>", "</b>", node.children, bold=True)
        elif k == "em":
            self.tag("<i>", "</i>", node.children, italic=True)
        elif k == "strike":
            self.tag("<strike>", "</strike>", node.children)
        elif k == "code":
            b, i = self._state[-1]
            face = self.ctx.styles.fonts.name("sans", _STYLE[(b, i)])
            self.tag(f'<font face="{face}" color="#123F5F">', "</font>", node.children)
        elif k == "link":
            url = escape(node.attr("url", ""), {'"': "&quot;"})
            self.tag(f'<a href="{url}" color="#1B5E8C">', "</a>", node.children)
        elif k == "br":
            self.parts.append("<br/>")
        else:  # an unexpected block inside inline content: keep its text
            for child in node.children:
                self.inline(child)

    def empty(self) -> bool:
        return not "".join(self.parts).strip()

    def flowable(self) -> Paragraph:
        style = self.ctx.styles.variant(self.style, rtl=self.ctx.rtl, cjk=self.cjk, lang=self.ctx.lang)
        markup = "".join(self.parts)
        if self.rtl or self.ctx.rtl:
            para = BidiParagraph(markup, style)
            para.base_dir = "R" if self.ctx.rtl else "L"
            return para
        return Paragraph(markup, style)


def paragraph(ctx: TextContext, style: str, content: str | tuple[Child, ...] | Node) -> Paragraph:
    """One paragraph from plain text (escaped) or inline nodes."""
    m = Markup(ctx, style)
    if isinstance(content, (str, Node)):
        m.inline(content)
    else:
        for child in content:
            m.inline(child)
    return m.flowable()


def markdown(ctx: TextContext, source: str, style: str = "body") -> list[Flowable]:
    """A Markdown field → flowables, with the quotation marks of the text's language (book.typography)."""
    return blocks(ctx, parse(source, ctx.lang or ctx.labels.language).children, style)


def blocks(ctx: TextContext, children: tuple[Child, ...], style: str, depth: int = 0) -> list[Flowable]:
    out: list[Flowable] = []
    loose: list[Child] = []  # inline content directly inside an item of a tight list

    def flush() -> None:
        if loose:
            m = Markup(ctx, style)
            for child in loose:
                m.inline(child)
            if not m.empty():
                out.append(m.flowable())
            loose.clear()

    for child in children:
        if isinstance(child, str) or child.kind in ("em", "strong", "strike", "code", "link", "br"):
            loose.append(child)
            continue
        flush()
        out.extend(_block(ctx, child, style, depth))
    flush()
    return out


def _block(ctx: TextContext, node: Node, style: str, depth: int) -> list[Flowable]:
    k = node.kind
    if k == "para":
        m = Markup(ctx, style)
        for child in node.children:
            m.inline(child)
        return [] if m.empty() else [m.flowable()]
    if k == "heading":
        return [paragraph(ctx, "h-md", node.children)]
    if k == "list":
        return [_list(ctx, node, depth)]
    if k == "blockquote":
        inner = blocks(ctx, node.children, "quote", depth)
        return [Indenter(left=10), FrameBG(color=TINT, left=-10, right=0, strokeWidth=0), Spacer(0, 4), *inner,
                Spacer(0, 2), FrameBG(start=False), Indenter(left=-10), Spacer(0, 6)]
    if k == "codeblock":
        lines = "".join(c if isinstance(c, str) else "" for c in node.children).rstrip("\n").split("\n")
        m = Markup(ctx, "code")
        for n, line in enumerate(lines):
            if n:
                m.parts.append("<br/>")
            # keep indentation visible: spaces would collapse in a Paragraph
            stripped = line.lstrip(" ")
            m.parts.append("&nbsp;" * (len(line) - len(stripped)))
            m.text(stripped)
        return [Spacer(0, 2), m.flowable(), Spacer(0, 6)]
    if k == "table":
        return [_table(ctx, node)]
    if k == "hr":
        return [HRFlowable(width="40%", thickness=0.6, color=RULE, spaceBefore=4, spaceAfter=10, hAlign="CENTER")]
    if k == "item":
        return blocks(ctx, node.children, style, depth)
    return blocks(ctx, node.children, style, depth)


def _list(ctx: TextContext, node: Node, depth: int) -> ListFlowable:
    start = node.attr("start")
    items = []
    for item in node.children:
        if not isinstance(item, Node):
            continue
        content = blocks(ctx, item.children, "item", depth + 1) or [Spacer(0, 0)]
        items.append(ListItem(content))
    fonts = ctx.styles.fonts
    common: dict[str, object] = {"bulletFontName": fonts.name("sans"), "bulletFontSize": 8.5, "bulletColor": ACCENT,
                                 "spaceAfter": 4}
    if ctx.rtl:
        common.update(leftIndent=0, rightIndent=16, bulletDir="rtl")
    else:
        common.update(leftIndent=16)
    if start is not None:
        return ListFlowable(items, bulletType="1", start=int(start), bulletFormat="%s.", **common)
    return ListFlowable(items, bulletType="bullet", start="\u2022" if depth % 2 == 0 else "\u2013", **common)


def _table(ctx: TextContext, node: Node) -> Table:
    rows: list[list[Flowable]] = []
    head = 0
    aligns = node.attr("aligns") or ()

    def style(base: str, col: int) -> str:
        align = aligns[col] if col < len(aligns) else ""
        return f"{base}-{align}" if align in ("center", "right") else base

    for part in node.children:
        if not isinstance(part, Node):
            continue
        cells = [c for c in part.children if isinstance(c, Node)]
        if part.kind == "thead":
            head = 1
            rows.append([paragraph(ctx, style("cell-head", i), c.children) for i, c in enumerate(cells)])
        elif part.kind == "row":
            rows.append([paragraph(ctx, style("cell", i), c.children) for i, c in enumerate(cells)])
    width = max((len(r) for r in rows), default=1)
    rows = [r + [Spacer(0, 0)] * (width - len(r)) for r in rows]
    # equal columns across the measure: cells hold Paragraphs, which need a width to wrap in
    table = Table(rows or [[Spacer(0, 0)]], colWidths=[f"{100 / width:.3f}%"] * width, repeatRows=head,
                  hAlign="LEFT", splitByRow=1, splitInRow=1)
    commands = [
        ("FONT", (0, 0), (-1, -1), ctx.styles.fonts.name("sans"), 8.5),  # else reportlab selects Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if head:
        commands += [("BACKGROUND", (0, 0), (-1, 0), TINT), ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT)]
    table.setStyle(TableStyle(commands))
    table.spaceBefore, table.spaceAfter = 2, 10
    return table

