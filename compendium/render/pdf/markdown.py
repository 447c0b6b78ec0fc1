"""PDF render, text: the parsed Markdown tree (compendium.book.text) and plain fields → flowables.

Every string becomes a list of Spans (textflow.Text): text is never parsed as markup, so what
an entry types prints as typed. Link targets are only the http(s)/mailto URLs the tree kept.
Each run of text gets the font of its script (pdf.fonts); right-to-left text, marks and joiners
are shaped and ordered by textflow.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from dataclasses import field as _field  # TextContext has a member named `field`

from reportlab.platypus import Flowable, HRFlowable, Indenter, Spacer
from reportlab.platypus.flowables import FrameBG

from compendium.book.labels import Labels, labels
from compendium.book.scripts import has_cjk
from compendium.book.text import Child, Node, parse
from compendium.render.fonts import FAMILIES
from compendium.render.pdf.styles import ACCENT, ACCENT_DARK, RULE, TINT, Styles
from compendium.render.pdf.tables import TableBlock
from compendium.render.pdf.textflow import Text
from compendium.render.pdf.words import Span

_STYLE = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bolditalic"}
LINK = ACCENT  # links: the accent blue, in process colours
ITALIC_FAMILIES = frozenset(f for f, src in FAMILIES.items() if src.italic)  # the others have no italic face


@dataclass
class TextContext:
    """What text is being laid out: direction, and where missing glyphs are reported."""

    styles: Styles
    rtl: bool = False  # the text's base direction (an entry in Arabic)
    field: str = ""  # e.g. "summary", "sections.problem", "title"
    report: Callable[[str, str], None] | None = None  # (field, char) for characters no font has
    lang: str = ""  # BCP 47 tag of the text, for hyphenation
    labels: Labels = _field(default_factory=lambda: labels("en"))  # the book's words (headings, labels)
    warn: Callable[[str, str, str], None] | None = None  # (field, code, message): other warnings

    def at(self, field_name: str) -> TextContext:
        return replace(self, field=field_name)

    def ltr(self) -> TextContext:
        """The same source, laid out in the book's direction and language (panels, the TOC)."""
        return replace(self, rtl=False, lang="")


@dataclass
class _State:
    bold: bool
    italic: bool
    color: object
    link: str = ""
    strike: bool = False
    family: str = ""
    emph: bool = False  # inside *emphasis*: bold where the script has no italic (Arabic, Chinese)


@dataclass
class Markup:
    """A paragraph under construction: Spans, and whether its text needs CJK line breaking."""

    ctx: TextContext
    style: str
    spans: list[Span] = field(default_factory=list)
    cjk: bool = False

    def __post_init__(self) -> None:
        self.family, bold, italic = self.ctx.styles.family_of(self.style)
        base = self.ctx.styles[self.style]
        self.size = base.fontSize
        self._state = [_State(bold, italic, base.textColor, family=self.family)]

    @contextmanager
    def styled(self, **changes: object) -> Iterator[None]:
        """Text added inside the block takes these changes (bold, italic, color, link, strike, family)."""
        self._state.append(replace(self._state[-1], **changes))
        try:
            yield
        finally:
            self._state.pop()

    def text(self, s: str, field: str | None = None) -> None:
        """Text as typed, each run in the font of its script; `field` names it in warnings."""
        fonts = self.ctx.styles.fonts
        st = self._state[-1]
        runs, missing = fonts.runs(s.replace("\n", " ") if "\n" in s else s, st.family)
        for ch in missing:
            if self.ctx.report:
                self.ctx.report(field or self.ctx.field, ch)
        style = _STYLE[(st.bold, st.italic)]
        for family, run in runs:
            if not run.isascii() and has_cjk(run):
                self.cjk = True
            # emphasis in a script without italics (Arabic, Chinese) is set bold, as the EPUB shows it
            name = fonts.name(family, "bold" if st.emph and family not in ITALIC_FAMILIES else style)
            self.spans.append(Span(run, name, self.size, st.color, st.link, st.strike, fonts.path(name)))

    def line_break(self) -> None:
        st = self._state[-1]
        self.spans.append(Span("\n", self.ctx.styles.fonts.name(st.family), self.size, st.color))

    def tag(self, children: tuple[Child, ...], **changes: object) -> None:
        with self.styled(**changes):
            for child in children:
                self.inline(child)

    def inline(self, node: Child) -> None:
        if isinstance(node, str):
            self.text(node)
            return
        k = node.kind
        if k == "strong":
            self.tag(node.children, bold=True)
        elif k == "em":
            self.tag(node.children, italic=True, emph=True)
        elif k == "strike":
            self.tag(node.children, strike=True)
        elif k == "code":
            self.tag(node.children, family="sans", color=ACCENT_DARK)
        elif k == "link":
            url = node.attr("url", "")
            self.tag(node.children, link=url, color=LINK)
            shown = _printed_address(url, "".join(_plain(node)))
            if shown:  # paper has no links: the address follows its text, as Chicago 14.9 prints it
                with self.styled(link=url, color=LINK):
                    self.text(f"\u00a0({shown})")
        elif k == "br":
            self.line_break()
        else:  # an unexpected block inside inline content: keep its text
            for child in node.children:
                self.inline(child)

    def empty(self) -> bool:
        return not "".join(s.text for s in self.spans).strip()

    def flowable(self) -> Text:
        style = self.ctx.styles.variant(self.style, rtl=self.ctx.rtl, cjk=self.cjk, lang=self.ctx.lang)
        return Text(self.spans, style, rtl=self.ctx.rtl, hyphenate=getattr(style, "hyphenationLang", "") or "")


def _plain(node: Node) -> list[str]:
    """The text of an inline node, markup left out."""
    out: list[str] = []
    for child in node.children:
        out.extend([child] if isinstance(child, str) else _plain(child))
    return out


def _printed_address(url: str, text: str) -> str:
    """The web address to print after a link's text ('medellin.gov.co' style, scheme kept), or "" when
    the text already shows it, or the link is not to the web (mailto:, a place in the book)."""
    if not url.startswith(("http://", "https://")):
        return ""
    bare = url.split("://", 1)[1].rstrip("/")
    if bare.removeprefix("www.") in text or url in text:
        return ""
    return url


def paragraph(ctx: TextContext, style: str, content: str | tuple[Child, ...] | Node) -> Text:
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
        made = _block(ctx, child, style, depth)
        if child.kind == "list" and out and isinstance(out[-1], Text) and made:
            # the text that leads into a list ("The main results were:") never ends a page without
            # it: it goes with the list's first lines (keep.KeepWithLines), through the list's indent
            out[-1].keepWithNext = 1
            made[0].keepWithNext = 1
        out.extend(made)
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
        return _list(ctx, node, depth)
    if k == "blockquote":
        # a tinted band exactly as wide as the text block, the quote inset within it
        inner = blocks(ctx, node.children, "quote", depth)
        return [Spacer(0, 2), FrameBG(color=TINT, left=0, right=0, strokeWidth=0), Indenter(left=QUOTE_INSET,
                right=QUOTE_INSET), Spacer(0, 6), *inner, Spacer(0, 2), Indenter(left=-QUOTE_INSET, right=-QUOTE_INSET),
                FrameBG(start=False), Spacer(0, 8)]
    if k == "codeblock":
        lines = "".join(c if isinstance(c, str) else "" for c in node.children).rstrip("\n").split("\n")
        m = Markup(ctx, "code")
        for n, line in enumerate(lines):
            if n:
                m.line_break()
            # keep indentation visible: spaces would collapse between words
            stripped = line.lstrip(" ")
            m.text("\u00a0" * (len(line) - len(stripped)) + stripped)
        return [Spacer(0, 2), m.flowable(), Spacer(0, 6)]
    if k == "table":
        return [_table(ctx, node)]
    if k == "hr":
        return [HRFlowable(width="40%", thickness=0.6, color=RULE, spaceBefore=4, spaceAfter=10, hAlign="CENTER")]
    if k == "item":
        return blocks(ctx, node.children, style, depth)
    return blocks(ctx, node.children, style, depth)


QUOTE_INSET = 12  # pt between the quote's band and its text
LIST_INDENT = 16  # pt from the text's edge to a list item's text; the marker hangs in it


def _list(ctx: TextContext, node: Node, depth: int) -> list[Flowable]:
    """A list as indented flowables, each item's first paragraph carrying its marker (see Text.bullet)."""
    start = node.attr("start")
    out: list[Flowable] = []
    side = {"right": LIST_INDENT} if ctx.rtl else {"left": LIST_INDENT}
    out.append(Indenter(**side))
    n = int(start) if start is not None else 1
    for item in node.children:
        if not isinstance(item, Node):
            continue
        content = blocks(ctx, item.children, "item", depth + 1) or [Spacer(0, 0)]
        marker = f"{n}." if start is not None else ("\u2022" if depth % 2 == 0 else "\u2013")
        first = next((f for f in content if isinstance(f, Text)), None)
        if first is not None:
            first.bullet = marker
            first.bullet_font = ctx.styles.fonts.name("sans", "bold" if start is not None else "regular")
            first.bullet_color = ACCENT
        out += content
        n += 1
    out.append(Indenter(**{k: -v for k, v in side.items()}))
    out.append(Spacer(0, 4))
    return out


def _table(ctx: TextContext, node: Node) -> Flowable:
    """A Markdown table: cells as Text, columns sized from their content when laid out (tables.py)."""
    rows: list[list[Text]] = []
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
    return TableBlock(rows, head, ctx.styles, ctx.rtl)
