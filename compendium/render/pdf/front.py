"""PDF render, front matter: cover, title page, imprint, table of contents, introduction, overview."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer, Table, TableStyle

from compendium.book.indexes import indexes
from compendium.book.stats import Overview, overview
from compendium.model import Book, Edition, Entry
from compendium.render.common import chapter_number_anchor, entry_anchor, part_number_anchor, vocabulary_index_anchor
from compendium.render.imageprep import print_copy
from compendium.render.pdf.chart import overview_chart
from compendium.render.pdf.layout import Anchor, BookDoc, RectoBreak, TocLine
from compendium.render.pdf.layout import roman as lower_roman
from compendium.render.pdf.markdown import Markup, TextContext, markdown, paragraph
from compendium.render.pdf.styles import ACCENT, ACCENT_DARK, MUTED, RULE, SERIES, TINT, Geometry


def roman(n: int) -> str:
    """Upper-case roman numeral (part numbers: Part IV)."""
    return lower_roman(n).upper()


def long_date(edition: Edition) -> str:
    d = edition.date
    return f"{d.day} {d.strftime('%B')} {d.year}" if d else str(edition.edition)


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
        for f, (_, h) in reversed(list(zip(self.flowables, self.sizes))):
            f.drawOn(self.canv, 0, y)
            y += h + f.getSpaceAfter()  # the flowables' own spacing, counted from the foot up


def cover_painter(book: Book, tc: TextContext, geom: Geometry, cache_dir: Path) -> Any:
    """The cover: the edition's image, or a typographic cover with a band of region colours."""
    edition = book.edition
    ov = overview(book)

    # decoded now, so a broken cover fails with its name, not from inside reportlab's page handler
    img = ImageReader(str(print_copy(edition.cover, cache_dir)[0])) if edition.cover is not None else None

    def paint(canv: Canvas, doc: BookDoc) -> None:
        w, h = geom.width, geom.height
        canv.saveState()
        canv.setFillColor(ACCENT_DARK)
        canv.rect(0, 0, w, h, stroke=0, fill=1)
        if img is not None:
            iw, ih = img.getSize()
            scale = min(w / iw, h / ih)  # contain: the whole cover shows, centred on the dark ground
            dw, dh = iw * scale, ih * scale
            canv.drawImage(img, (w - dw) / 2, (h - dh) / 2, dw, dh)
            canv.restoreState()
            return
        canv.setFillColor(ACCENT)
        canv.rect(0, h * 0.42, w, h * 0.58, stroke=0, fill=1)
        # the band: one colour per region, as wide as its share of the entries
        total = ov.total or 1
        x = 0.0
        for i, count in enumerate(ov.column_totals if ov.total else [1] * len(ov.regions)):
            share = w * count / (total if ov.total else len(ov.regions))
            canv.setFillColor(SERIES[i % len(SERIES)])
            canv.rect(x, h * 0.42 - 10, share, 10, stroke=0, fill=1)
            x += share
        left, measure = geom.left(1), geom.frame_width
        countries = len({e.country.alpha2 for e in book.entries})
        kicker = paragraph(tc, "cover-meta", f"{tc.labels.count('initiatives', ov.total)} · "
                                             f"{tc.labels.count('countries', countries)}")
        kicker.wrap(measure, 40)
        kicker.drawOn(canv, left, h - geom.top - 10)
        # the edition year, large, under the band
        year = paragraph(tc, "cover-year", str(edition.edition))
        _, yh = year.wrap(measure, 200)
        year.drawOn(canv, left, h * 0.42 - 24 - yh)
        band = h * 0.42
        # built bottom-up from the band: subtitle, then the title above it
        y = band + 34
        if edition.subtitle:
            sub = paragraph(tc, "cover-sub", edition.subtitle)
            _, sh = sub.wrap(measure, h)
            sub.drawOn(canv, left, y)
            y += sh + 16
        title = paragraph(tc, "cover-title", edition.title)
        _, th = title.wrap(measure, h)
        title.drawOn(canv, left, y)
        title_top = y + th
        canv.setStrokeColor(SERIES[1])
        canv.setLineWidth(3)
        canv.line(left, title_top + 18, left + 60, title_top + 18)
        if edition.publisher:
            pub = paragraph(tc, "cover-meta", edition.publisher)
            pub.wrap(measure, 60)
            pub.drawOn(canv, left, geom.bottom)
        canv.restoreState()

    return paint


def title_pages(book: Book, tc: TextContext, geom: Geometry) -> list[Flowable]:
    """Cover marker, title page and imprint (no running heads)."""
    e = book.edition
    words = tc.labels
    out: list[Flowable] = [NextPageTemplate("plain"), Anchor("cover", "Cover"), RectoBreak(),
                           Anchor("title", e.title, front=True)]
    out += [Spacer(0, geom.frame_height * 0.22), paragraph(tc, "title", e.title)]
    if e.subtitle:
        out.append(paragraph(tc, "subtitle", e.subtitle))
    out.append(paragraph(tc, "title-meta", words.format("edition", n=e.edition)))
    if e.publisher:
        out.append(paragraph(tc, "title-meta", e.publisher))
    out.append(PageBreak())
    lines: list[Flowable] = []
    if e.publisher:
        lines.append(paragraph(tc, "imprint", words.format("published_by", publisher=e.publisher)))
    if e.editors:
        lines.append(paragraph(tc, "imprint", words.format("edited_by", names="; ".join(e.editors))))
    lines.append(paragraph(tc, "imprint", words.format("publication_date", date=long_date(e))))
    if e.isbn:
        lines.append(paragraph(tc, "imprint", f"ISBN {e.isbn}"))
    if e.license:
        lines.append(paragraph(tc, "imprint", words.format("licence", license=e.license)))
    lines.append(paragraph(tc, "imprint", f"{e.title} · {e.edition}. {words['set_in']}"))
    out += [AtBottom(lines), NextPageTemplate("main"), RectoBreak()]
    return out


def contents(book: Book, tc: TextContext, has_intro: bool, for_entry: Callable[[Entry], TextContext]) -> list[Flowable]:
    """The table of contents: a line per front section, part, chapter and entry."""
    words = tc.labels
    title = words["contents"]
    out: list[Flowable] = [Anchor("contents", title, 0, running=(title, title), no_header=True),
                           paragraph(tc, "h1", title)]
    if has_intro:
        out.append(TocLine(paragraph(tc, "toc-front", words["introduction"]), "introduction"))
    out.append(TocLine(paragraph(tc, "toc-front", words["overview"]), "overview"))
    for p, part in enumerate(book.parts, 1):
        out.append(TocLine(paragraph(tc, "toc-part", f"{roman(p)}. {part.title}"), part_number_anchor(p), keep_with_next=True))
        for c, chapter in enumerate(part.chapters, 1):
            out.append(TocLine(paragraph(tc, "toc-chapter", chapter.title), chapter_number_anchor(p, c), keep_with_next=True))
            for entry in chapter.entries:
                m = Markup(for_entry(entry).ltr().at("title"), "toc-entry")
                m.text(entry.title)
                with m.styled(color=MUTED):
                    m.text(" · " + entry.country.name)
                out.append(TocLine(m.flowable(), entry_anchor(entry.id)))
    out += [TocLine(paragraph(tc, "toc-front", i.title), vocabulary_index_anchor(i.id)) for i in indexes(book)]
    out.append(TocLine(paragraph(tc, "toc-front", words["index_of_countries"]), "index"))
    return out


def introduction(book: Book, tc: TextContext) -> list[Flowable]:
    title = tc.labels["introduction"]
    return [RectoBreak(), Anchor("introduction", title, 0, running=(title, title), no_header=True),
            paragraph(tc, "h1", title), *markdown(tc.at("introduction"), book.edition.introduction)]


def overview_pages(book: Book, tc: TextContext, geom: Geometry) -> list[Flowable]:
    """Counts by theme × region: a sentence, a table with totals, and the chart."""
    ov = overview(book)
    countries = len({e.country.alpha2 for e in book.entries})
    n = ov.total
    words = tc.labels
    t, r = len(ov.themes), len(ov.regions)
    sentence = words.format("overview_sentence", n=n, c=countries, t=t, r=r,
                            initiatives=words.count("initiatives", n), countries=words.count("countries", countries),
                            categories=words.count("categories", t), regions=words.count("regions", r))
    title = words["overview"]
    return [PageBreak(), Anchor("overview", title, 0, running=(title, title), no_header=True),
            paragraph(tc, "h1", title), paragraph(tc, "body-left", sentence), Spacer(0, 6),
            _overview_table(ov, tc, geom.frame_width), Spacer(0, 18),
            paragraph(tc, "h2", words["initiatives_by_category_region"]),
            overview_chart(ov, tc)]


def _overview_table(ov: Overview, tc: TextContext, width: float) -> Table:
    words = tc.labels
    head = [paragraph(tc, "cell-head", words["category"]),
            *[paragraph(tc, "cell-head-small", r) for r in ov.regions],
            paragraph(tc, "cell-head-small", words["total"])]
    rows = [head]
    for (_, name), cells, total in zip(ov.themes, ov.cells, ov.row_totals):
        rows.append([paragraph(tc, "cell", name), *[str(c) if c else "–" for c in cells], str(total)])
    rows.append([paragraph(tc, "cell-head", words["total"]), *map(str, ov.column_totals), str(ov.total)])
    first = width * 0.27
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
