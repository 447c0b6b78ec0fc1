"""PDF render, body: part openers, chapter headings and entries (units.py lays each out on pages of its own)."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
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

from compendium.book.facts import (
    FollowUp,
    award_line,
    category_line,
    category_shown,
    credit_label,
    figure_label,
    keywords_line,
    partners_line,
    roman,
    running_head,
)
from compendium.book.indexes import shown_fields
from compendium.book.labels import Labels, labels
from compendium.book.text import clean_url
from compendium.model import Chapter, Edition, Entry, Part, text_dir
from compendium.model import Image as ImageFile
from compendium.render.common import chapter_number_anchor, entry_anchor, part_number_anchor
from compendium.render.imageprep import print_copy
from compendium.render.pdf.figure import Figure
from compendium.render.pdf.layout import Anchor, RectoBreak
from compendium.render.pdf.markdown import Markup, TextContext, markdown, paragraph
from compendium.render.pdf.styles import ACCENT, MUTED, RULE, TINT, Geometry
from compendium.render.pdf.textflow import Text


def part_opener(part: Part, p: int, tc: TextContext, for_entry: Callable[[Entry], TextContext] | None = None
                ) -> list[Flowable]:
    """A part opens on a new page with no running head: number, title, description, then its chapters,
    each with its initiatives (title, its gloss, country and award), as the EPUB's openers list them."""
    words = tc.labels
    out: list[Flowable] = [RectoBreak(), Anchor(part_number_anchor(p), part.title, 0, running=(part.title, ""),
                                                no_header=True, body=p == 1),
                           Spacer(0, 60), paragraph(tc, "part-label", words.format("part", n=roman(p))),
                           HRFlowable(width=50, thickness=2.5, color=ACCENT, hAlign="LEFT", spaceAfter=16),
                           paragraph(tc, "part-title", part.title)]
    if part.description:
        out.append(paragraph(tc, "part-desc", part.description))
    for chapter in part.chapters:
        out.append(paragraph(tc, "part-chapter", chapter.title))
        for entry in chapter.entries:
            ctx = for_entry(entry).ltr().at("title") if for_entry else tc
            m = Markup(ctx, "part-entry")
            m.text(entry.title)
            if entry.language and entry.translated_title:
                with m.styled(color=MUTED, bold=False):
                    m.text("\u2002" + entry.translated_title, "translated_title")
            out.append(m.flowable())
            detail = Markup(tc, "part-entry-detail")
            detail.text(f"{entry.country.name} · {words.place(entry.place)}")
            out.append(detail.flowable())
    return out


def chapter_heading(chapter: Chapter, p: int, c: int, tc: TextContext) -> list[Flowable]:
    return [Anchor(chapter_number_anchor(p, c), chapter.title, 1, running=(None, chapter.title)),
            paragraph(tc, "chapter-title", chapter.title.upper() if chapter.title.isascii() else chapter.title)]


def entry_flowables(entry: Entry, ctx: TextContext, geom: Geometry, cache_dir: Path,
                    edition: Edition | None = None, numbers: list[int] | None = None,
                    follows: tuple[FollowUp, ...] = ()) -> list[Flowable]:
    """Kicker (place), title and its gloss in the book's language, details (with the edition's extra
    fields shown there), summary panel and abstract, the sections with the figures, the extra fields
    shown in the body, then the closing block.

    The opening follows the entry's direction (an Arabic entry's kicker sits right, over its title);
    the details' labels are in the book's language; the section headings in the entry's, followed by
    the book's in a lighter weight when the two differ. `numbers`: the book's numbers of the entry's
    figures (book.facts.figure_numbers), 1, 2, 3... when not given. `follows`: its follow-ups across
    editions (book.facts.follow_ups), listed in the details, linked when the other entry is in the book.
    """
    meta = ctx.ltr()  # the panel is in the book's language and direction
    words = ctx.labels  # the book's labels, whatever the entry's language
    own = labels(entry.language) if entry.language else words  # the entry's language: headings, captions
    kicker = replace(ctx, lang="")  # the book's words, aligned like the title
    out: list[Flowable] = [Anchor(entry_anchor(entry.id), entry.title, 2, running=(None, running_head(entry)),
                                  no_header=True),
                           paragraph(kicker, "entry-kicker", words.place(entry.place).upper()),
                           paragraph(ctx.at("title"), "entry-title", entry.title)]
    if entry.language and entry.translated_title:  # the gloss, on the title's side
        out.append(paragraph(replace(ctx, lang="").at("translated_title"), "entry-sub", entry.translated_title))
    out += [Spacer(0, 4), _panel(entry, meta, ctx, edition, follows), Spacer(0, 12)]
    out += _summary(entry, ctx)
    if entry.language and entry.translated_summary:
        out += _abstract(entry, meta)
    numbers = numbers or list(range(1, len(entry.images) + 1))
    # the first picture leads, under the summary; the others follow the solution
    figures = [_figure(img, ctx.at(f"images[{n}]"), own, numbers[n], geom, cache_dir)
               for n, img in enumerate(entry.images)]
    out += figures[:1]
    for key, text in entry.sections:
        out.append(_section_heading(entry, key, ctx, edition))
        out += markdown(ctx.at(f"sections.{key}"), text)
        if key == "solution":
            out += figures[1:]
    for shown in shown_fields(edition, entry, "body") if edition else ():
        out.append(paragraph(meta, "h-section", shown.label))
        out += markdown(ctx.at(shown.id), shown.text if shown.markdown else escape_markdown(shown.text))
    out += _closing(entry, ctx)
    return out


def _section_heading(entry: Entry, key: str, ctx: TextContext, edition: Edition | None) -> Text:
    """A section's heading in the entry's language ('Проблема'), then the book's ('The problem') in a
    lighter weight when they differ; the book's alone for an entry in the book's language."""
    book_heading = ctx.labels.section(key)
    own = edition.section_title(key, entry.language) if (edition is not None and entry.language) else book_heading
    m = Markup(ctx.at(f"sections.{key}"), "h-section")
    m.text(own)
    if own != book_heading:
        with m.styled(bold=False, color=MUTED):
            m.text("\u2003" + book_heading)
    return m.flowable()


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that prints it as written (a field of type text in the body)."""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~" else c for c in text)


def _panel(entry: Entry, tc: TextContext, own: TextContext, edition: Edition | None = None,
           follows: tuple[FollowUp, ...] = ()) -> Table:
    """Country, institution and award side by side (the part title and the running head name the category),
    then a row across for the category when they do not (book.facts.category_shown: a category since
    renamed, in a retrospective), for each extra field the edition shows in the panel, and for each
    follow-up ('FOLLOWS UP  Zajel… (2012)', linked to the entry when the book holds it); an untinted
    table between hairlines (the tint is the summary's). A value in a right-to-left language (an Arabic
    institution) is set right to left, flush right in its cell."""
    def cell(label: str, value: str, field: str, ctx: TextContext = tc) -> list[Flowable]:
        return [paragraph(tc, "meta-label", label.upper()), paragraph(ctx.at(field), "meta-value", value)]

    def follow_up(f: FollowUp) -> list[Flowable]:
        m = Markup(tc.at("follows"), "meta-value")
        with m.styled(link="#" + entry_anchor(f.target), color=ACCENT) if f.linked else nullcontext():
            # a title in a right-to-left script ends with a left-to-right mark: the year after it stays after it
            m.text(f.title + ("\u200e" if text_dir(f.language) == "rtl" else ""))
        if f.gloss:
            with m.styled(color=MUTED):
                m.text("\u2002" + f.gloss)
        m.text(f.after)
        return [paragraph(tc, "meta-label", f.term.upper()), m.flowable()]

    words = tc.labels
    institution_ctx = replace(own, lang="") if own.rtl else tc
    rows: list[list[object]] = [[cell(words["country"], entry.country.name, "country"),
                                 cell(words["institution"], entry.institution, "institution", institution_ctx),
                                 cell(words["award"], award_line(entry, words, edition), "place")]]
    if edition is not None and category_shown(entry, edition):
        rows.append([cell(words["category"], category_line(entry, edition, words), "category"), "", ""])
    extra = shown_fields(edition, entry, "meta") if edition else ()
    rows += [[cell(f.label, f.text, f.id), "", ""] for f in extra]
    rows += [[follow_up(f), "", ""] for f in follows]
    t = Table(rows, colWidths=["22%", "44%", "34%"], hAlign="LEFT", splitInRow=1)  # shares of the width given
    t.setStyle(TableStyle([
        *(("SPAN", (0, r), (-1, r)) for r in range(1, len(rows))),
        ("FONT", (0, 0), (-1, -1), tc.styles.fonts.name("sans"), 8.5),  # else reportlab selects Helvetica
        ("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, -1), 0), ("LEFTPADDING", (1, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return t


def _summary(entry: Entry, ctx: TextContext) -> list[Flowable]:
    """The summary, set apart on a tinted panel with an accent rule (FrameBG follows it across pages)."""
    inner = markdown(ctx.at("summary"), entry.summary, "summary")
    return [FrameBG(color=TINT), Spacer(0, 10), *inner, Spacer(0, 5), FrameBG(start=False), Spacer(0, 8)]


def _abstract(entry: Entry, meta: TextContext) -> list[Flowable]:
    """The abstract in the book's language of an entry written in another (`translated_summary`)."""
    label = paragraph(meta, "small-label", meta.labels["abstract"].upper())
    label.keepWithNext = 1
    return [label, *markdown(replace(meta, lang=meta.labels.language).at("translated_summary"),
                             entry.translated_summary, "abstract"), Spacer(0, 4)]


def _figure(image: ImageFile, tc: TextContext, own: Labels, number: int, geom: Geometry, cache_dir: Path) -> Flowable:
    """The picture at print size (figure.py): 'Figure 3. Its caption' above it, 'Source: its credit'
    under it, both in the caption's language (the entry's)."""
    source, w, h = print_copy(image, cache_dir)  # decoded, so w and h are never 0
    title = Markup(tc, "figure-title")
    with title.styled(bold=True, color=ACCENT):
        title.text(figure_label(number, own) + (". " if image.caption else ""))
    if image.caption:
        title.text(image.caption, f"{tc.field}.caption")
    credit = None
    if image.credit:
        m = Markup(tc, "figure-source")
        with m.styled(bold=True):
            m.text(credit_label(own) + " ")  # the credit line of every format (book.facts)
        m.text(image.credit, f"{tc.field}.credit")
        credit = m.flowable()

    def low_res(ppi: int) -> None:
        if tc.warn:
            tc.warn(tc.field, "pdf.image-resolution",
                    f"{image.rel}: prints at {ppi} ppi ({w}×{h} px); 300 ppi at this size needs "
                    f"{round(w * 300 / ppi)} px across")

    return Figure(source, (w, h), credit, geom.frame_height, rtl=tc.rtl, low_res=low_res, title=title.flowable())


def _closing(entry: Entry, ctx: TextContext) -> list[Flowable]:
    """Partners, website, public contact and keywords under a thin rule, each label run in before its value."""
    block: list[Flowable] = []
    words = ctx.labels

    def line(label: str, field: str, c: TextContext = ctx) -> Markup:
        m = Markup(c.at(field), "small")
        with m.styled(bold=True, color=ACCENT, family="sans"):
            m.text(label.upper() + "\u2002")
        return m

    if entry.partners:
        m = line(words["partners"], "partners")
        m.text(partners_line(entry, words.language))  # as every format separates them (book.facts)
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
                m.text(", " if contact.name else "")
                with m.styled(link=mail, color=ACCENT):
                    m.text(contact.email)
        block.append(m.flowable())
    if entry.keywords:  # in the book's language: its own line, direction and separator
        m = line(words["keywords"], "keywords", ctx.ltr())
        m.text(keywords_line(entry, words.language))
        block.append(m.flowable())
    if not block:
        return []
    rule = HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=10, spaceAfter=4)
    rule.keepWithNext = 1
    return [rule, *block]
