"""Render (HTML): the site's view model — pages, links and indexes computed once from the Book.

Templates receive these plain values and never compute URLs themselves. Every href here is
relative to the site root; a page prefixes it with `root` ("" or "../").
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from compendium.book.group import by_country, entry_sort_key
from compendium.book.indexes import shown_fields
from compendium.book.labels import Labels, edition_labels
from compendium.book.slug import region_slugs, slugify
from compendium.book.text import clean_url
from compendium.input.countries import fold
from compendium.model import PLACES, Book, Entry, Issue, text_dir
from compendium.render.common import chapter_anchor, entry_anchor, part_anchor, unique_anchor
from compendium.render.html.markdown import MarkdownCache


def lang_attrs(language: str, page_language: str) -> Markup:
    """` lang=".." dir=".."` for text in another language than the page's, else nothing."""
    if not language or language == page_language:
        return Markup("")
    attrs = f' lang="{escape(language)}"'
    if text_dir(language) != text_dir(page_language):
        attrs += f' dir="{text_dir(language)}"'
    return Markup(attrs)


@dataclass
class ImageView:
    src: str  # relative to the site root
    width: int
    height: int
    alt: str
    caption: str
    credit: str


@dataclass
class Neighbours:
    """Entries near one entry in its theme or its region (book order), for the entry page's aside."""

    kind: str  # "theme" or "region"
    title: str  # the theme's name, or the region's
    href: str  # the theme's or region's page
    count: int  # how many entries the theme or region has in all
    entries: list["EntryView"]


@dataclass
class KeywordView:
    text: str
    href: str


@dataclass(eq=False)  # compared by identity: field-by-field equality of views is never meant (and slow)
class EntryView:
    """One entry as every page shows it."""

    entry: Entry
    href: str
    lang: Markup  # lang/dir attributes for the entry's own text
    back: Markup  # lang/dir attributes that return to the page's language inside the entry's text
    summary: str  # relative-heading HTML (see html_markdown.shift_headings)
    sections: list[tuple[str, str, str]]  # (key, title, relative-heading HTML)
    images: list[ImageView]
    theme_href: str
    region_href: str
    country_href: str
    website: str
    gloss: str = ""  # the title in the site's language, for an entry written in another
    abstract: str = ""  # the abstract in the site's language (translated_summary), as HTML, for such an entry
    teaser: str = ""  # the start of the summary as plain text (cards, search, feed, Open Graph)
    keywords: list[KeywordView] = field(default_factory=list)
    prev: "EntryView | None" = None
    next: "EntryView | None" = None
    neighbours: list[Neighbours] = field(default_factory=list)  # in its theme, then in its region

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def anchor(self) -> str:
        """The entry's id on the book page (book.html#entry-<id>)."""
        return entry_anchor(self.entry.id)

    @property
    def thumb(self) -> ImageView | None:
        """The entry's first picture (cards and search results show it), or None."""
        return self.images[0] if self.images else None

    @property
    def website_label(self) -> str:
        """The website without its scheme and trailing slash: shorter, and wraps better."""
        label = self.website.split("://", 1)[-1]
        return label[:-1] if label.endswith("/") and label.count("/") == 1 else label

    @property
    def has_more(self) -> bool:
        """Whether the entry has a "Partners and contact" section (partners, public contact or keywords)."""
        return bool(self.entry.partners or self.entry.public_contact or self.keywords)

    @property
    def mailto(self) -> str:
        contact = self.entry.public_contact
        return (clean_url(f"mailto:{contact.email}") or "") if contact and contact.email else ""


@dataclass
class Group:
    """A titled list of entries (a chapter, a country, a place, a keyword)."""

    key: str  # anchor id, unique in its page
    title: str
    entries: list[EntryView]
    href: str = ""  # the group's own page, when it has one
    description: str = ""
    lang: Markup = Markup("")
    subgroups: list["Group"] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.entries) if self.entries else sum(g.count for g in self.subgroups)


@dataclass
class Site:
    """Everything the templates need, computed once per build."""

    book: Book
    entries: list[EntryView]
    parts: list[Group]  # book order: parts → chapters (subgroups) → entries
    themes: list[Group]  # one page each, entries grouped by region
    regions: list[Group]  # one page each, entries grouped by theme
    countries: list[Group]  # A–Z letters → countries
    places: list[Group]
    keywords: list[Group]  # A–Z letters → keywords
    region_slugs: dict[str, str]
    assets: dict[str, str] = field(default_factory=dict)  # logical name → hashed path
    featured: list[Group] = field(default_factory=list)  # home: per part, its leading entries

    @property
    def country_count(self) -> int:
        return sum(len(letter.subgroups) for letter in self.countries)


def initial(text: str) -> str:
    """The A–Z index letter of a name ('Côte d'Ivoire' → 'C'); non-Latin names keep their first letter."""
    first = fold(text)[:1].upper()
    return first if first.isalpha() else "#"


TEASER_COLUMNS = 190  # about two lines of a card; a Chinese character counts two columns
FEATURED = 6  # entries per part on the home page


def _columns(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def teaser(text: str, columns: int = TEASER_COLUMNS) -> str:
    """The start of `text` (plain, whitespace collapsed), about `columns` columns long, cut between
    words where the script has spaces and ended with "…" when cut. Wide (CJK) characters count two."""
    text = " ".join(text.split())
    width, cut = 0, len(text)
    for i, c in enumerate(text):
        width += _columns(c)
        if width > columns:
            cut = i
            break
    if cut == len(text):
        return text
    space = text.rfind(" ", 0, cut + 1)
    if space > cut * 0.6:
        cut = space
    return text[:cut].rstrip(" ,;:.–—-") + "…"


def build_site(book: Book, md: MarkdownCache, image_src: Any, warnings: list[Issue] | None = None) -> Site:
    """The whole view model; `image_src(Image) -> str` copies a picture and returns its path.

    Links that are not valid web addresses are shown as text; validation reports them (entry.link).
    """
    edition = book.edition
    page_lang = edition.language
    words = edition_labels(edition)  # section titles and places in the book's language, whatever the entry's
    slugs = region_slugs(edition.regions)
    entries: list[EntryView] = []
    for e in book.entries:
        view = EntryView(
            entry=e,
            href=f"entries/{e.id}.html",
            lang=lang_attrs(e.language, page_lang),
            back=lang_attrs(page_lang, e.language) if e.language else Markup(""),
            summary=md.html(e.summary, e.language or page_lang),  # quotation marks of the entry's language
            sections=[(k, words.section(k), md.html(v, e.language or page_lang)) for k, v in e.sections]
            # then the extra fields shown there
            + [(f.id, f.label, md.html(f.text, e.language or page_lang) if f.markdown else f"<p>{escape(f.text)}</p>")
               for f in shown_fields(edition, e, "body")],
            images=[ImageView(image_src(i), i.width, i.height, i.alt, i.caption, i.credit) for i in e.images],
            theme_href=f"themes/{e.theme.id}.html",
            region_href=f"regions/{slugs.get(e.region, slugify(e.region))}.html",
            country_href=f"countries.html#c-{e.country.alpha2.lower()}",
            website=clean_url(e.website) or "" if e.website else "",
            gloss=e.translated_title.strip() if e.language and e.language != page_lang else "",
            abstract=md.html(e.translated_summary, page_lang) if e.language and e.language != page_lang
            and e.translated_summary else "",
            teaser=teaser(md.plain(e.summary, e.language or page_lang)),  # as the entry's page prints it
        )
        entries.append(view)  # links shown as text are reported once, by validation (entry.link)
    for prev, nxt in zip(entries, entries[1:]):
        prev.next, nxt.prev = nxt, prev
    by_id = {v.id: v for v in entries}

    parts = [
        Group(part_anchor(p.key), p.title, [], href=_group_href(p.kind, p.key), description=p.description,
              subgroups=[Group(chapter_anchor(p.key, c.key), c.title, [by_id[e.id] for e in c.entries],
                               href=_group_href(c.kind, c.key), description=c.description) for c in p.chapters])
        for p in book.parts
    ]
    themes = [
        Group(t.id, t.name, [], href=_group_href("theme", t.id), description=t.description,
              subgroups=_subgroups(entries, lambda v, t=t: v.entry.theme.id == t.id,
                                   [(slugs[r], r, lambda v, r=r: v.entry.region == r) for r in edition.regions], "region"))
        for t in edition.themes
    ]
    regions = [
        Group(slugs[r], r, [], href=_group_href("region", slugs[r]),
              subgroups=_subgroups(entries, lambda v, r=r: v.entry.region == r,
                                   [(t.id, t.name, lambda v, t=t: v.entry.theme.id == t.id) for t in edition.themes], "theme"))
        for r in edition.regions
    ]
    _neighbours(entries, themes, regions)
    featured = [Group(p.key, p.title, _leading([v for c in p.subgroups for v in c.entries]), href=p.href,
                      description=p.description, subgroups=p.subgroups) for p in parts]
    return Site(book, entries, parts, themes, regions, _countries(book, by_id), _places(entries, words),
                _keywords(entries, page_lang), slugs, featured=featured)


def _leading(entries: list[EntryView], n: int = FEATURED) -> list[EntryView]:
    """The first `n` of a part for the home page: the highest places first, then book order, so a
    large part shows its first-place winners from every region rather than one region's entries."""
    ranked = sorted(range(len(entries)), key=lambda i: (PLACES.index(entries[i].entry.place), i))
    return [entries[i] for i in sorted(ranked[:n])]


def _near(members: list[EntryView], at: int, n: int = 4) -> list[EntryView]:
    """Up to `n` entries of `members` around the one at `at` in book order (without it)."""
    v = members[at]
    start = max(0, min(at - n // 2, len(members) - n - 1))
    return [m for m in members[start:start + n + 1] if m is not v][:n]


def _neighbours(entries: list[EntryView], themes: list[Group], regions: list[Group]) -> None:
    """Each entry's neighbours in its theme and in its region (book order), for its page's aside."""
    theme_of = {g.key: g for g in themes}
    region_of = {g.href: g for g in regions}
    in_theme: dict[str, list[EntryView]] = {}
    in_region: dict[str, list[EntryView]] = {}
    at: dict[tuple[str, int], int] = {}  # (kind, id(view)) → position among its theme's or region's entries
    for v in entries:
        for kind, members in (("theme", in_theme.setdefault(v.entry.theme.id, [])),
                              ("region", in_region.setdefault(v.region_href, []))):
            at[(kind, id(v))] = len(members)
            members.append(v)
    for v in entries:
        v.neighbours = []
        for kind, group, members in (("theme", theme_of.get(v.entry.theme.id), in_theme[v.entry.theme.id]),
                                     ("region", region_of.get(v.region_href), in_region[v.region_href])):
            near = _near(members, at[(kind, id(v))])
            if group is not None and near:
                v.neighbours.append(Neighbours(kind, group.title, group.href, len(members), near))


def _group_href(kind: str, key: str) -> str:
    return f"themes/{key}.html" if kind == "theme" else f"regions/{key}.html"


def _subgroups(entries: list[EntryView], outer: Any, inner: list[tuple[str, str, Any]], kind: str) -> list[Group]:
    """Entries matching `outer`, split by `inner` (in the edition's order) and sorted as in the book."""
    chosen = [v for v in entries if outer(v)]
    groups = []
    for key, title, match in inner:
        members = sorted((v for v in chosen if match(v)), key=lambda v: entry_sort_key(v.entry))
        if members:
            groups.append(Group(f"{kind}-{key}", title, members, href=_group_href(kind, key)))
    return groups


def _by_name(entries: list[EntryView]) -> list[EntryView]:
    return sorted(entries, key=lambda v: (v.entry.title.casefold(), v.id))


def _letters(groups: list[Group]) -> list[Group]:
    """Groups already sorted by title → A–Z letter groups holding them."""
    letters: dict[str, list[Group]] = {}
    for g in groups:
        letters.setdefault(initial(g.title), []).append(g)
    return [Group(f"letter-{slugify(k) or hashlib.sha1(k.encode()).hexdigest()[:6]}", k, [], subgroups=v)
            for k, v in letters.items()]


def _countries(book: Book, views: dict[str, EntryView]) -> list[Group]:
    """Letters → countries (group.by_country: the order of every format's index) → entries in book order."""
    return _letters([Group(f"c-{country.alpha2.lower()}", country.name, [views[e.id] for e in entries])
                     for country, entries in by_country(book).items()])


def _places(entries: list[EntryView], words: Labels) -> list[Group]:
    groups = []
    for place in PLACES:
        members = [v for v in entries if v.entry.place == place]
        if members:
            groups.append(Group(f"place-{place}", words.place(place), members))
    return groups


def _keywords(entries: list[EntryView], page_lang: str) -> list[Group]:
    found: dict[str, list[EntryView]] = {}
    shown: dict[str, tuple[str, str]] = {}  # folded → (first spelling met, its entry's language)
    for v in entries:
        # an entry counts once per keyword even if it lists two spellings of it
        for folded, kw in {k.strip().casefold(): k.strip() for k in reversed(v.entry.keywords) if k.strip()}.items():
            found.setdefault(folded, []).append(v)
            shown.setdefault(folded, (kw, v.entry.language))
    taken: set[str] = set()
    groups: list[Group] = []
    anchors: dict[str, str] = {}
    for folded in sorted(found, key=lambda f: (initial(shown[f][0]), f)):
        text, language = shown[folded]
        anchors[folded] = unique_anchor("kw", text, taken)
        groups.append(Group(anchors[folded], text, _by_name(found[folded]), lang=lang_attrs(language, page_lang)))
    for v in entries:
        v.keywords = [KeywordView(k, f"keywords.html#{anchors[k.strip().casefold()]}")
                      for k in dict.fromkeys(k.strip() for k in v.entry.keywords if k.strip())]
    return _letters(groups)
