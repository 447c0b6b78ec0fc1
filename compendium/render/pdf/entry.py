"""PDF render, body: part openers, chapter headings and entries (units.py lays each out on pages of its own)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import FrameBG

from compendium.book.facts import credit_label, roman
from compendium.book.indexes import shown_fields
from compendium.book.text import clean_url
from compendium.book.voice import voice
from compendium.model import Chapter, Edition, Entry, Part
from compendium.model import Image as ImageFile
from compendium.render.common import chapter_number_anchor, entry_anchor, part_number_anchor
from compendium.render.imageprep import print_copy
from compendium.render.pdf.figure import Figure
from compendium.render.pdf.layout import Anchor, RectoBreak
from compendium.render.pdf.markdown import Markup, TextContext, markdown, paragraph
from compendium.render.pdf.styles import ACCENT, MUTED, RULE, TINT, Geometry


def part_opener(part: Part, p: int, tc: TextContext) -> list[Flowable]:
    """A part opens on a new page with no running head: number, title, description, its chapters."""
    words = tc.labels
    out: list[Flowable] = [RectoBreak(), Anchor(part_number_anchor(p), part.title, 0, running=(part.title, ""), no_header=True,
                                                body=p == 1),
                           Spacer(0, 90), paragraph(tc, "part-label", words.format("part", n=roman(p))),
                           HRFlowable(width=50, thickness=2.5, color=ACCENT, hAlign="LEFT", spaceAfter=16),
                           paragraph(tc, "part-title", part.title)]
    if part.description:
        out.append(paragraph(tc, "part-desc", part.description))
    for chapter in part.chapters:
        count = len(chapter.entries)
        m = Markup(tc, "part-toc")
        m.text(chapter.title)
        with m.styled(color=MUTED):
            m.text(" · " + words.count("initiatives", count))
        out.append(m.flowable())
    return out


def chapter_heading(chapter: Chapter, p: int, c: int, tc: TextContext) -> list[Flowable]:
    return [Anchor(chapter_number_anchor(p, c), chapter.title, 1, running=(None, chapter.title)),
            paragraph(tc, "chapter-title", chapter.title.upper() if chapter.title.isascii() else chapter.title)]


def entry_flowables(entry: Entry, ctx: TextContext, geom: Geometry, cache_dir: Path,
                    edition: Edition | None = None) -> list[Flowable]:
    """Kicker (place), title, details panel (with the edition's extra fields shown there), summary
    panel, the sections with images, the extra fields shown in the body, then the closing block.

    The opening follows the entry's direction (an Arabic entry's kicker sits right, over its
    title); the panel's labels are in the book's language.
    """
    meta = ctx.ltr()  # the panel is in the book's language and direction
    words = ctx.labels  # the book's labels, whatever the entry's language
    kicker = replace(ctx, lang="")  # the book's words, aligned like the title
    out: list[Flowable] = [Anchor(entry_anchor(entry.id), entry.title, 2),
                           paragraph(kicker, "entry-kicker", words.place(entry.place).upper()),
                           paragraph(ctx.at("title"), "entry-title", entry.title),
                           Spacer(0, 6), _panel(entry, meta, edition), Spacer(0, 14)]
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
    out += _closing(entry, ctx)
    return out


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that prints it as written (a field of type text in the body)."""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~" else c for c in text)


def _panel(entry: Entry, tc: TextContext, edition: Edition | None = None) -> Table:
    """Country, institution and category side by side (region and place are in the band, head and
    kicker), then a row across for each extra field the edition shows in the panel."""
    def cell(label: str, value: str, field: str) -> list[Flowable]:
        return [paragraph(tc, "meta-label", label.upper()), paragraph(tc.at(field), "meta-value", value)]

    words = tc.labels
    rows: list[list[object]] = [[cell(words["country"], entry.country.name, "country"),
                                 cell(words["institution"], entry.institution, "institution"),
                                 cell(words["category"], entry.theme.name, "category")]]
    extra = shown_fields(edition, entry, "meta") if edition else ()
    rows += [[cell(f.label, f.text, f.id), "", ""] for f in extra]
    t = Table(rows, colWidths=["22%", "42%", "36%"], hAlign="LEFT", splitInRow=1)  # shares of the width given
    t.setStyle(TableStyle([
        *(("SPAN", (0, r), (-1, r)) for r in range(1, len(rows))),
        ("FONT", (0, 0), (-1, -1), tc.styles.fonts.name("sans"), 8.5),  # else reportlab selects Helvetica
        ("BACKGROUND", (0, 0), (-1, -1), TINT),
        ("LINEABOVE", (0, 0), (-1, 0), 1.5, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, 0), 7), ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]))
    return t


def _summary(entry: Entry, ctx: TextContext) -> list[Flowable]:
    """The summary, set apart on a tinted panel with an accent rule (FrameBG follows it across pages)."""
    inner = markdown(ctx.at("summary"), entry.summary, "summary")
    return [FrameBG(color=TINT), Spacer(0, 10), *inner, Spacer(0, 5), FrameBG(start=False), Spacer(0, 8)]


def _figure(image: ImageFile, tc: TextContext, geom: Geometry, cache_dir: Path) -> Flowable:
    """The picture at print size (figure.py) with its caption and credit."""
    source, w, h = print_copy(image, cache_dir)  # decoded, so w and h are never 0
    m = Markup(tc, "caption")
    if image.caption:
        m.text(image.caption, f"{tc.field}.caption")
    if image.credit:
        if image.caption:
            m.text(" ")
        with m.styled(color=ACCENT):
            m.text(credit_label(tc.labels) + " ")  # the credit line of every format (book.facts)
        m.text(image.credit, f"{tc.field}.credit")

    def low_res(ppi: int) -> None:
        if tc.warn:
            tc.warn(tc.field, "pdf.image-resolution",
                    f"{image.rel}: prints at {ppi} ppi ({w}×{h} px); 300 ppi at this size needs "
                    f"{round(w * 300 / ppi)} px across")

    return Figure(source, (w, h), None if m.empty() else m.flowable(), geom.frame_height, rtl=tc.rtl, low_res=low_res)


def _closing(entry: Entry, ctx: TextContext) -> list[Flowable]:
    """Partners, website, public contact and keywords under a thin rule, each label run in before its value."""
    block: list[Flowable] = []
    words = ctx.labels
    sep = voice(entry.language or ctx.lang).separator  # keywords as every format separates them (book.voice)

    def line(label: str, field: str) -> Markup:
        m = Markup(ctx.at(field), "small")
        with m.styled(bold=True, color=ACCENT, family="sans"):
            m.text(label.upper() + "\u2002")
        return m

    if entry.partners:
        m = line(words["partners"], "partners")
        m.text(" · ".join(entry.partners))
        block.append(m.flowable())
    url = clean_url(entry.website) if entry.website else None
    if url:
        m = line(words["website"], "website")
        with m.styled(link=url, color=ACCENT):
            m.text(url)
        block.append(m.flowable())
    contact = entry.public_contact
    if contact and (contact.name or contact.email):
        m = line(words["contact"], "contact")
        if contact.name:
            m.text(contact.name)
        if contact.email:
            mail = clean_url("mailto:" + contact.email)
            if mail:
                m.text(" · " if contact.name else "")
                with m.styled(link=mail, color=ACCENT):
                    m.text(contact.email)
        block.append(m.flowable())
    if entry.keywords:
        m = line(words["keywords"], "keywords")
        m.text(sep.join(entry.keywords))
        block.append(m.flowable())
    if not block:
        return []
    rule = HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=10, spaceAfter=4)
    rule.keepWithNext = 1
    return [rule, *block]
