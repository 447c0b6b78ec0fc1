"""PDF render, front matter: cover, title page, imprint, table of contents, introduction, overview."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, NextPageTemplate, PageBreak, Spacer, Table, TableStyle

from compendium.book.facts import imprint, overview_sentence, overview_table, roman, title_page
from compendium.book.indexes import indexes
from compendium.book.stats import Overview, overview
from compendium.model import Book, Entry
from compendium.render.common import entry_anchor, part_number_anchor, vocabulary_index_anchor
from compendium.render.cover import print_cover
from compendium.render.imageprep import print_copy
from compendium.render.pdf.chart import overview_chart
from compendium.render.pdf.layout import Anchor, BookDoc, RectoBreak, TocLine
from compendium.render.pdf.markdown import Markup, TextContext, markdown, paragraph
from compendium.render.pdf.pictures import ContentPath, draw_picture
from compendium.render.pdf.styles import ACCENT, ACCENT_DARK, MUTED, RULE, TINT, Geometry


class AtBottom(Flowable):
    """Flowables set at the foot of the frame (the imprint page)."""

    def __init__(self, flowables: list[Flowable]) -> None:
        super().__init__()
        self.flowables = flowables

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, availHeight
        self.sizes = [f.wrap(availWidth, availHeight) for f in self.flowables]
        return availWidth, availHeight

    def draw(self) -> None:
        y = 0.0
        below: Flowable | None = None
        for f, (_, h) in reversed(list(zip(self.flowables, self.sizes))):
            if below is not None:  # the flowables' own spacing: after this one, before the one under it
                y += f.getSpaceAfter() + below.getSpaceBefore()
            f.drawOn(self.canv, 0, y)
            y += h
            below = f


def cover_painter(book: Book, tc: TextContext, geom: Geometry, cache_dir: Path, warnings: list | None = None) -> Any:
    """The cover: the edition's image, else the generated cover every book shares (compendium.render.cover),
    drawn once at 300 dpi for this page size and placed full page."""
    edition = book.edition
    if edition.cover is not None:
        # decoded now, so a broken cover fails with its name, not from inside reportlab's page handler
        path, iw, ih = print_copy(edition.cover, cache_dir)
        fill = ACCENT_DARK
    else:
        path = print_cover(book, cache_dir, warnings if warnings is not None else [])
        iw, ih = ImageReader(str(path)).getSize()
        fill = None
    picture = ContentPath(Path(path))  # its XObject kept in the build cache, as the entries' pictures

    def paint(canv: Canvas, doc: BookDoc) -> None:
        w, h = geom.width, geom.height
        canv.saveState()
        if fill is not None:
            canv.setFillColor(fill)
            canv.rect(0, 0, w, h, stroke=0, fill=1)
        scale = min(w / iw, h / ih)  # contain: the whole cover shows, centred on the dark ground
        dw, dh = iw * scale, ih * scale
        draw_picture(canv, picture, (w - dw) / 2, (h - dh) / 2, dw, dh, None, getattr(doc, "picture_cache", None))
        canv.restoreState()

    return paint


def title_pages(book: Book, tc: TextContext, geom: Geometry, cover: bool = True) -> list[Flowable]:
    """Cover marker (unless the cover is a separate file), title page and imprint (no running heads).

    The title page (book.facts.title_page): title, subtitle, the issuing bodies, and at its foot
    'United Nations • New York, 2012'. The imprint (book.facts.imprint): the publisher's mission and
    the disclaimer at the head of the page, the symbol, sales number, ISBNs, © and printer at its foot.
    """
    e = book.edition
    page = title_page(e)
    out: list[Flowable] = [NextPageTemplate("plain")]
    if cover:
        out += [Anchor("cover", "Cover"), RectoBreak()]
    out += [Anchor("title", e.title, front=True), Spacer(0, geom.frame_height * 0.18),
            paragraph(tc, "title", page.title)]
    if page.subtitle:
        out.append(paragraph(tc, "subtitle", page.subtitle))
    if page.label:  # a retrospective's years
        out.append(paragraph(tc, "title-meta", page.label))
    out += [paragraph(tc, "title-body", body) for body in page.issued_by]
    out += [AtBottom([HRFlowable(width=50, thickness=2.5, color=ACCENT, hAlign="LEFT", spaceAfter=10),
                      paragraph(tc, "title-foot", page.foot)]), PageBreak()]
    lines = imprint(e)
    head = [paragraph(tc, "imprint", line.text) for line in lines if line.kind in IMPRINT_HEAD]
    foot = [paragraph(tc, "imprint", line.text) for line in lines if line.kind not in IMPRINT_HEAD]
    out += [*head, AtBottom(foot), NextPageTemplate("main"), RectoBreak()]
    return out


IMPRINT_HEAD = ("about", "disclaimer", "note")  # the imprint's lines set at the head of its page; the rest at its foot


def contents(book: Book, tc: TextContext, has_intro: bool, for_entry: Callable[[Entry], TextContext]) -> list[Flowable]:
    """The table of contents: a line per front section, part and entry, fitted to as few pages as it can:
    a chapter's title (a region) set beside its first entry, not on a line of its own (its page is its
    first entry's); entries with the gloss of a title in another language, the country bound to its separator."""
    words = tc.labels
    e = book.edition
    title = words["contents"]
    out: list[Flowable] = [Anchor("contents", title, 0, running=(title, title), no_header=True),
                           paragraph(tc, "h1", title)]
    for key, _text in front_sections(e, has_intro):
        out.append(TocLine(paragraph(tc, "toc-front", words[key]), key))
    for p, part in enumerate(book.parts, 1):
        out.append(TocLine(paragraph(tc, "toc-part", f"{roman(p)}. {part.title}"), part_number_anchor(p),
                           keep_with_next=True))
        for chapter in part.chapters:
            for n, entry in enumerate(chapter.entries):
                m = Markup(for_entry(entry).ltr().at("title"), "toc-entry")
                m.text(entry.title)
                if entry.translated_title and entry.language:
                    m.text("\u2002")
                    m.text(entry.translated_title, "translated_title")
                with m.styled(color=MUTED):
                    m.text("\u2002·\u00a0" + entry.country.name)  # the separator stays with the country
                side = paragraph(tc, "toc-chapter", chapter.title) if n == 0 else None  # the region, beside
                out.append(TocLine(m.flowable(), entry_anchor(entry.id), side=side))
    back = [(i.title, vocabulary_index_anchor(i.id)) for i in indexes(book)]
    back += [(words["index_of_titles"], "index-titles"), (words["index_of_countries"], "index")]
    for n, (text, key) in enumerate(back):
        out.append(TocLine(paragraph(tc, "toc-back" if n == 0 else "toc-front", text), key))
    return out


def front_sections(edition, has_intro: bool) -> list[tuple[str, str]]:  # edition: compendium.model.Edition
    """(label key, anchor) of the front matter's sections after the contents, in book order."""
    out = [(key, key) for key, text in (("foreword", edition.foreword), ("acknowledgements", edition.acknowledgements))
           if text.strip()]
    if edition.abbreviations:
        out.append(("abbreviations", "abbreviations"))
    if has_intro:
        out.append(("introduction", "introduction"))
    return out + [("overview", "overview")]


def front_texts(book: Book, tc: TextContext) -> list[Flowable]:
    """The foreword, the acknowledgements and the list of abbreviations, each opening on a recto."""
    e = book.edition
    words = tc.labels
    out: list[Flowable] = []
    for key, text in (("foreword", e.foreword), ("acknowledgements", e.acknowledgements)):
        if text.strip():
            title = words[key]
            out += [RectoBreak(), Anchor(key, title, 0, running=(title, title), no_header=True),
                    paragraph(tc, "h1", title), *markdown(tc.at(key), text)]
    if e.abbreviations:
        title = words["abbreviations"]
        out += [RectoBreak(), Anchor("abbreviations", title, 0, running=(title, title), no_header=True),
                paragraph(tc, "h1", title), _abbreviations(e.abbreviations, tc)]
    return out


def _abbreviations(pairs: tuple[tuple[str, str], ...], tc: TextContext) -> Table:
    """Abbreviation (bold sans) and what it stands for, in two aligned columns."""
    rows = [[paragraph(tc.at("abbreviations"), "abbr", short), paragraph(tc.at("abbreviations"), "abbr-long", long)]
            for short, long in pairs]
    t = Table(rows, colWidths=["24%", "76%"], hAlign="LEFT")
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), tc.styles.fonts.name("sans"), 9),  # else Helvetica
                           ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 0),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return t


def introduction(book: Book, tc: TextContext) -> list[Flowable]:
    title = tc.labels["introduction"]
    return [RectoBreak(), Anchor("introduction", title, 0, running=(title, title), no_header=True),
            paragraph(tc, "h1", title), *markdown(tc.at("introduction"), book.edition.introduction)]


def overview_pages(book: Book, tc: TextContext, geom: Geometry) -> list[Flowable]:
    """Counts by theme × region (× year in a retrospective): a sentence, a table with totals, the chart."""
    ov = overview(book)
    countries = len({e.country.alpha2 for e in book.entries})
    table = overview_table(ov, book.edition.language)  # the strings every format prints (book.facts)
    sentence = overview_sentence(ov, countries, book.edition.language)
    title = tc.labels["overview"]
    return [PageBreak(), Anchor("overview", title, 0, running=(title, title), no_header=True),
            paragraph(tc, "h1", title), paragraph(tc, "body-left", sentence), Spacer(0, 6),
            paragraph(tc, "table-title", table.caption), _overview_table(ov, tc, geom.frame_width),
            paragraph(tc, "imprint", table.note), Spacer(0, 12), paragraph(tc, "table-title", table.chart_title),
            overview_chart(ov, tc)]


def _overview_table(ov: Overview, tc: TextContext, width: float) -> Table:
    table = overview_table(ov, tc.lang or tc.labels.language)
    head = [paragraph(tc, "cell-head", table.corner),
            *[paragraph(tc, "cell-head-small", r) for r in table.short_regions],  # the legend below names them in full
            paragraph(tc, "cell-head-small", table.total_label)]
    rows = [head]
    for name, cells, total in table.rows:
        rows.append([paragraph(tc, "cell", name), *cells, total])
    rows.append([paragraph(tc, "cell-head", table.total_label), *table.column_totals, table.grand_total])
    first = width * 0.45  # the category names; the region columns hold a digit or two
    rest = (width - first) / (len(ov.regions) + 1)
    t = Table(rows, colWidths=[first] + [rest] * (len(ov.regions) + 1), repeatRows=1, hAlign="LEFT")
    font, bold = tc.styles.fonts.name("sans"), tc.styles.fonts.name("sans", "bold")
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 8.5),
        ("FONT", (-1, 1), (-1, -1), bold, 8.5),
        ("FONT", (1, -1), (-1, -1), bold, 8.5),
        ("ALIGN", (1, 1), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), TINT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -2), 0.4, RULE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (1, 0), (-1, -1), 2), ("RIGHTPADDING", (1, 0), (-1, -1), 2),
    ]))
    return t
