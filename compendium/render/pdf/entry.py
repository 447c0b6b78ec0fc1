"""PDF render, body: part openers, chapter headings and one entry per page-opening section."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import FrameBG

from compendium.book.facts import credit_label, entry_facts, roman
from compendium.book.indexes import shown_fields
from compendium.book.text import clean_url
from compendium.model import Book, Chapter, Edition, Entry, Part
from compendium.model import Image as ImageFile
from compendium.render.imageprep import print_copy
from compendium.render.pdf.front import chapter_key, entry_key, part_key
from compendium.render.pdf.layout import Anchor
from compendium.render.pdf.markdown import Markup, TextContext, markdown, paragraph
from compendium.render.pdf.styles import ACCENT, RULE, TINT, Geometry


def body(book: Book, tc: TextContext, geom: Geometry, for_entry: Callable[[Entry], TextContext],
         cache_dir: Path) -> list[Flowable]:
    """Every part, chapter and entry in book order; `cache_dir` keeps the pictures' print copies."""
    out: list[Flowable] = []
    for p, part in enumerate(book.parts, 1):
        out += part_opener(part, p, tc)
        for c, chapter in enumerate(part.chapters, 1):
            for n, entry in enumerate(chapter.entries):
                out.append(PageBreak())
                if n == 0:
                    out += chapter_heading(chapter, p, c, tc)
                out += entry_flowables(entry, for_entry(entry), geom, cache_dir, book.edition)
    return out


def part_opener(part: Part, p: int, tc: TextContext) -> list[Flowable]:
    """A part opens on a new page with no running head: number, title, description, its chapters."""
    words = tc.labels
    out: list[Flowable] = [PageBreak(), Anchor(part_key(p), part.title, 0, running=(part.title, ""), no_header=True),
                           Spacer(0, 90), paragraph(tc, "part-label", words.format("part", n=roman(p))),
                           HRFlowable(width=50, thickness=2.5, color=ACCENT, hAlign="LEFT", spaceAfter=16),
                           paragraph(tc, "part-title", part.title)]
    if part.description:
        out.append(paragraph(tc, "part-desc", part.description))
    for chapter in part.chapters:
        count = len(chapter.entries)
        m = Markup(tc, "part-toc")
        m.text(chapter.title)
        m.parts.append(' <font color="#5B6670">· ')
        m.text(words.count("initiatives", count))
        m.parts.append("</font>")
        out.append(m.flowable())
    return out


def chapter_heading(chapter: Chapter, p: int, c: int, tc: TextContext) -> list[Flowable]:
    return [Anchor(chapter_key(p, c), chapter.title, 1, running=(None, chapter.title)),
            paragraph(tc, "chapter-title", chapter.title.upper() if chapter.title.isascii() else chapter.title)]


def entry_flowables(entry: Entry, ctx: TextContext, geom: Geometry, cache_dir: Path,
                    edition: Edition | None = None) -> list[Flowable]:
    """Title, metadata panel (with the edition's extra fields shown there), summary panel, the
    sections with images, the extra fields shown in the body, then partners and contact."""
    meta = ctx.ltr()  # the panel is in the book's language and direction
    words = ctx.labels  # the book's labels, whatever the entry's language
    out: list[Flowable] = [Anchor(entry_key(entry.id), entry.title, 2),
                           paragraph(meta, "entry-kicker", words.place(entry.place).upper()),
                           paragraph(ctx.at("title"), "entry-title", entry.title),
                           Spacer(0, 6), _panel(entry, meta, geom, edition), Spacer(0, 14)]
    out += _summary(entry, ctx)
    # the first picture leads, under the summary; the others follow the solution
    figures = [_figure(img, ctx.at(f"images[{n}]"), geom, cache_dir) for n, img in enumerate(entry.images)]
    out += figures[:1]
    for key, text in entry.sections:
        out.append(paragraph(ctx, "h-section", words.section(key)))
        out += markdown(ctx.at(f"sections.{key}"), text)
        if key == "solution":
            out += figures[1:]
    for shown in shown_fields(edition, entry, "body") if edition else ():
        out.append(paragraph(meta, "h-section", shown.label))
        out += markdown(ctx.at(shown.id), shown.text if shown.markdown else escape_markdown(shown.text))
    out += _closing(entry, ctx, meta)
    return out


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that prints it as written (a field of type text in the body)."""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~" else c for c in text)


def _panel(entry: Entry, tc: TextContext, geom: Geometry, edition: Edition | None = None) -> Table:
    def cell(label: str, value: str, field: str) -> list[Flowable]:
        return [paragraph(tc, "meta-label", label.upper()), paragraph(tc.at(field), "meta-value", value)]

    words = tc.labels
    rows = [
        [cell(words["country"], entry.country.name, "country"), cell(words["region"], entry.region, "region"),
         cell(words["award"], words.place(entry.place), "place")],
        [cell(words["institution"], entry.institution, "institution"), "", ""],
        [cell(words["category"], entry.theme.name, "category"), "", ""],
    ]
    extra = shown_fields(edition, entry, "meta") if edition else ()
    rows += [[cell(f.label, f.text, f.id), "", ""] for f in extra]
    w = geom.frame_width
    t = Table(rows, colWidths=[w * 0.36, w * 0.36, w * 0.28], hAlign="LEFT", splitInRow=1)
    t.setStyle(TableStyle([
        ("SPAN", (0, 1), (-1, 1)), ("SPAN", (0, 2), (-1, 2)), *(("SPAN", (0, r), (-1, r)) for r in range(3, len(rows))),
        ("FONT", (0, 0), (-1, -1), tc.styles.fonts.name("sans"), 8.5),  # else reportlab selects Helvetica
        ("BACKGROUND", (0, 0), (-1, -1), TINT),
        ("LINEABOVE", (0, 0), (-1, 0), 1.5, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, 0), 8), ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]))
    return t


def _summary(entry: Entry, ctx: TextContext) -> list[Flowable]:
    """The summary, set apart on a tinted panel with an accent rule (FrameBG follows it across pages)."""
    inner = markdown(ctx.at("summary"), entry.summary, "summary")
    return [FrameBG(color=TINT), Spacer(0, 10), *inner, Spacer(0, 5), FrameBG(start=False), Spacer(0, 8)]


def _figure(image: ImageFile, tc: TextContext, geom: Geometry, cache_dir: Path) -> Flowable:
    """The picture scaled to the measure (never taller than 45% of the text block), caption and credit."""
    source, w, h = print_copy(image, cache_dir)  # decoded, so w and h are never 0
    width = geom.frame_width
    height = width * h / w
    limit = geom.frame_height * 0.42
    if height > limit:
        width, height = width * limit / height, limit
    flow: list[Flowable] = [Spacer(0, 4), Image(str(source), width=width, height=height,
                                                hAlign="RIGHT" if tc.rtl else "LEFT")]
    m = Markup(tc, "caption")
    if image.caption:
        m.text(image.caption, f"{tc.field}.caption")
    if image.credit:
        if image.caption:
            m.parts.append(" ")
        m.parts.append('<font color="#1B5E8C">')
        m.text(credit_label(tc.labels) + " ")  # the credit line of every format (book.facts)
        m.parts.append("</font>")
        m.text(image.credit, f"{tc.field}.credit")
    flow.append(m.flowable() if not m.empty() else Spacer(0, 10))
    return KeepTogether(flow)


def _closing(entry: Entry, ctx: TextContext, meta: TextContext) -> list[Flowable]:
    """Partners, website, public contact and keywords, under a thin rule, kept together."""
    block: list[Flowable] = []
    if entry.partners:
        block.append(paragraph(meta, "small-label", meta.labels["partners"]))
        block.append(paragraph(ctx.at("partners"), "small", " · ".join(entry.partners)))
    url = clean_url(entry.website) if entry.website else None
    if url:
        block.append(paragraph(meta, "small-label", meta.labels["website"]))
        m = Markup(meta.at("website"), "small")
        m.parts.append(f'<a href="{_attr(url)}" color="#1B5E8C">')
        m.text(url)
        m.parts.append("</a>")
        block.append(m.flowable())
    contact = entry.public_contact
    if contact and (contact.name or contact.email):
        block.append(paragraph(meta, "small-label", meta.labels["contact"]))
        m = Markup(meta.at("contact"), "small")
        if contact.name:
            m.text(contact.name)
        if contact.email:
            mail = clean_url("mailto:" + contact.email)
            if mail:
                m.parts.append(" · " if contact.name else "")
                m.parts.append(f'<a href="{_attr(mail)}" color="#1B5E8C">')
                m.text(contact.email)
                m.parts.append("</a>")
        block.append(m.flowable())
    if entry.keywords:
        block.append(paragraph(meta, "small-label", meta.labels["keywords"]))
        keywords = next(value for key, _, value in entry_facts(entry, meta.labels) if key == "keywords")
        block.append(paragraph(ctx.at("keywords"), "small", keywords))
    if not block:
        return []
    return [Spacer(0, 10), KeepTogether([HRFlowable(width="100%", thickness=0.5, color=RULE, spaceAfter=2), *block])]


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})
