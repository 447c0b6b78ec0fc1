"""Render (EPUB): one entry as pandoc blocks — its title (the page's strongest heading), the title in
the book's language when the entry is written in another, its facts, the summary set apart, the
pictures with caption and credit, the four sections, partners and contacts.

An entry written in another language than the book carries that language on its section (pandoc
copies the header's lang/dir there); the pieces in the book's language (facts, section headings,
the credit's label) are marked back, so each word is read in its own language.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from compendium.book.facts import FollowUp, credit_label, entry_facts, figure_label, follow_ups, partners_line
from compendium.book.indexes import shown_fields
from compendium.book.labels import labels
from compendium.book.text import clean_url, parse
from compendium.model import Entry, text_dir
from compendium.render.common import epub_entry_anchor
from compendium.render.epub.nav import entry_anchor, foreign
from compendium.render.imageprep import prepare
from compendium.render.pandoc import (
    DefinitionList,
    Div,
    Figure,
    Header,
    Image,
    Json,
    LineBreak,
    Link,
    Para,
    Plain,
    Span,
    Str,
    TreeWriter,
    attr,
    lang_attrs,
    text_div,
)

if TYPE_CHECKING:
    from compendium.render.epub.book import Layout


def safe_link(url: str) -> str:
    """An href for a template: the link every format writes (text.clean_url), or "" for none."""
    return (clean_url(url) or "") if url else ""


def _follow_up(f: FollowUp) -> tuple[list[Json], list[Json]]:
    """'Follows up' → 'Zajel… Its gloss (2012)': the title marked with its own language when it is not
    the book's (then its gloss in the book's), a link to the entry when the book holds it."""
    title: list[Json] = [Span([Str(f.title)], attr(**lang_attrs(f.language, text_dir(f.language))))] if f.language \
        else [Str(f.title)]
    if f.linked:
        title = [Link(title, f"#{epub_entry_anchor(f.target)}")]
    if f.gloss:
        title += [Str(" "), Span([Str(f.gloss)], attr("", ["gloss"]))]
    return [Str(f.term)], [Plain([*title, Str(f.after)] if f.after else title)]


def entry_blocks(layout: Layout, entry: Entry) -> list[Json]:
    """The blocks of one entry, its heading first (level 3: one file per entry)."""
    ed = layout.book.edition
    words = layout.labels
    other = foreign(entry, layout.book)
    own = lang_attrs(entry.language, entry.dir) if other else {}
    book_lang = lang_attrs(ed.language, ed.dir) if other else {}
    text_lang = entry.language or ed.language  # the language of the entry's text: its quotation marks
    ea = entry_anchor(entry)
    # lang/dir on the entry header: pandoc copies them onto the <section> holding the whole entry
    title = [Span([Str(entry.title)], attr(**own))] if other else [Str(entry.title)]
    out = [Header(3, title, attr(ea, ["entry"], **own))]
    out.append(layout.raw("entry_meta.xhtml", entry=entry, facts=entry_facts(entry, words, ed), foreign=other,
                          book_lang=ed.language, book_dir=ed.dir, translated_title=entry.translated_title))
    follows = follow_ups(entry, layout.book, words)
    if follows:  # blocks, not the template's raw XHTML: pandoc points a link at the file its entry lands in
        out.append(Div([DefinitionList([_follow_up(f) for f in follows])],
                       attr("", ["follow-ups"], **book_lang)))
    # headings written in the summary come under the title (level 3), those in a section under its heading (4)
    out.append(text_div(TreeWriter(3, f"{ea}-summary").blocks(parse(entry.summary, text_lang)), "summary"))
    if other and entry.translated_summary:  # the abstract in the book's language
        label = Para([Span([Str(words["abstract"])], attr("", ["abstract-label"]))])
        body = TreeWriter(3, f"{ea}-abstract").blocks(parse(entry.translated_summary, ed.language))
        out.append(Div([label, *body], attr("", ["abstract"], **book_lang)))
    own_words = labels(text_lang)  # the captions' words are in the caption's language (the entry's)
    for n, image in enumerate(entry.images, 1):
        number = layout.figure_numbers.get((entry.id, n - 1), n)
        caption: list[Json] = [Span([Str(figure_label(number, own_words) + ("." if image.caption else ""))],
                                    attr("", ["figure-number"]))]
        if image.caption:
            caption += [Str(" "), Span([Str(image.caption)], attr("", ["caption"]))]
        if image.credit:
            credit = [Span([Str(credit_label(own_words))], attr("", ["credit-label"])), Str(" "), Str(image.credit)]
            caption += [LineBreak(), Span(credit, attr("", ["credit"]))]
        # the normalised copy: width capped, camera metadata stripped, same bytes every build
        src = prepare(image, layout.cache_dir)
        out.append(Figure(Image(image.alt, str(src)), caption, attr(f"{ea}-img{n}")))
    for key, text in entry.sections:
        book_heading = words.section(key)
        own_heading = ed.section_title(key, entry.language) if other else book_heading
        heading: list[Json] = [Str(own_heading)]
        if own_heading != book_heading:  # the entry's language, then the book's in a lighter weight
            heading += [Str(" "), Span([Str(book_heading)], attr("", ["heading-gloss"], **book_lang))]
        elif other:  # the heading is in the book's language, the text below in the entry's
            heading = [Span(heading, attr(**book_lang))]
        out.append(Header(4, heading, attr(f"{ea}-{key}", ["unnumbered", "section-title"])))
        out.extend(TreeWriter(4, f"{ea}-{key}").blocks(parse(text, text_lang)))
    for shown in shown_fields(ed, entry, "body"):  # the edition's extra fields printed after the sections
        out.append(Header(4, [Str(shown.label)], attr(f"{ea}-{shown.id}", ["unnumbered", "section-title"])))
        out.extend(TreeWriter(4, f"{ea}-{shown.id}").blocks(parse(shown.text, text_lang)) if shown.markdown
                   else [Para([Str(shown.text)])])
    contact = entry.public_contact
    if entry.partners or entry.website or contact:
        email = safe_link(f"mailto:{contact.email}") if contact and contact.email else ""
        out.append(layout.raw("entry_links.xhtml", entry=entry, contact=contact, foreign=other,
                              book_lang=ed.language, book_dir=ed.dir, website_href=safe_link(entry.website),
                              email_href=email, partners=partners_line(entry, ed.language)))
    return out
