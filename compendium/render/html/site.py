"""Render (HTML): the site's view model — pages, links and indexes computed once from the Book.

Templates receive these plain values and never compute URLs themselves. Every href here is
relative to the site root; a page prefixes it with `root` ("" or "../").
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from markupsafe import Markup, escape

from compendium.book.facts import credit_label
from compendium.book.group import by_country, entry_sort_key, follow_ups
from compendium.book.indexes import shown_fields
from compendium.book.labels import Labels, edition_labels, labels
from compendium.book.scripts import text_script, written_in
from compendium.book.slug import region_slugs, slugify
from compendium.book.text import clean_url
from compendium.book.voice import voice
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
    lang: str = ""  # the language it is written in: the site's when it is in the site's script, else the entry's
    attrs: Markup = Markup("")  # its lang/dir attributes on a page in the site's language


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
    abstract: str = ""  # relative-heading HTML of the abstract in the site's language (translated_summary), or ""
    abstract_text: str = ""  # the same as plain text (search)
    teaser: str = ""  # the start of the summary as plain text (cards, search, feed, Open Graph)
    keywords: list[KeywordView] = field(default_factory=list)
    prev: "EntryView | None" = None
    next: "EntryView | None" = None
    neighbours: list[Neighbours] = field(default_factory=list)  # in its theme, then in its region
    # in a site across editions: the earlier winners it follows up (`follows:`) and the later
    # entries that follow it up, oldest first
    follows: list["EntryView"] = field(default_factory=list)
    followed_by: list["EntryView"] = field(default_factory=list)
    site_language: str = "en"

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
    def more_label(self) -> str:
        """The label key of that section's heading, after what it holds: 'partners_contact' with both,
        'partners' or 'contact' with one, 'keywords' when it holds only keywords."""
        partners, contact = bool(self.entry.partners), bool(self.entry.public_contact)
        if partners and contact:
            return "partners_contact"
        return "partners" if partners else "contact" if contact else "keywords"

    @property
    def language(self) -> str:
        """The language the entry is written in (the site's when it names none)."""
        return self.entry.language or self.site_language

    @property
    def separator(self) -> str:
        """What separates the items of a list in the entry's language (book.voice): ', ', '، ', '、'."""
        return voice(self.language).separator

    @property
    def partners_line(self) -> str:
        """The partners, separated as the entry's language separates list items."""
        return self.separator.join(self.entry.partners)

    @property
    def keyword_separator(self) -> str:
        """What separates the keywords: the separator of the language they are written in."""
        return voice(self.keywords[0].lang if self.keywords else self.language).separator

    @property
    def credit_label(self) -> str:
        """'Credit:' in the entry's language, as its captions are (book.facts.credit_label): 'المصدر:'."""
        return credit_label(labels(self.language))

    @property
    def abstract_teaser(self) -> str:
        """The start of the abstract in the site's language, for cards."""
        return teaser(self.abstract_text) if self.abstract_text else ""

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
    kind: str = ""  # in the indexes: "letter" (A–Z) or "script" (keywords in another script, under its language's name)

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
    """The A–Z index letter of a name ('Côte d'Ivoire' → 'C', 'الشفافية' → 'ش': sort_key); non-Latin
    names keep their first letter."""
    first = sort_key(text)[:1].upper()
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


def translated_summary(e: Entry) -> str:
    """The entry's abstract in the edition's language (`translated_summary`), or ""."""
    return getattr(e, "translated_summary", "") or ""  # the key is new in the entry format: older models lack it


LEAD_COLUMNS = 380  # the home page's lead: two or three sentences of the introduction
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def lead(markdown: str, plain: Any, columns: int = LEAD_COLUMNS) -> str:
    """The opening sentences of the introduction for the home page: its first paragraph (`plain`
    turns Markdown into text), whole sentences up to about `columns` columns (at least one; teaser's
    cut when a sentence is longer). "" when there is no paragraph."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", markdown) if b.strip() and not b.lstrip().startswith("#")]
    if not blocks:
        return ""
    text = " ".join(plain(blocks[0]).split())
    out = ""
    for sentence in _SENTENCE_END.split(text):
        joined = f"{out} {sentence}".strip() if out and not out.endswith(("。", "！", "？")) else out + sentence
        if out and sum(map(_columns, joined)) > columns:
            break
        out = joined
    return out if sum(map(_columns, out)) <= columns else teaser(out, columns)


def build_site(book: Book, md: MarkdownCache, image_src: Any, warnings: list[Issue] | None = None,
               each: Callable[[EntryView], None] | None = None) -> Site:
    """The whole view model; `image_src(Image) -> str` copies a picture and returns its path;
    `each(view)` is called as soon as an entry's own view is made (its links to other entries and
    its keywords' links come later): the search index reads each entry while the next is converted.

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
            theme_href=f"themes/{edition.theme_of(e).id}.html",  # across years: the theme it is filed under
            region_href=f"regions/{slugs.get(e.region, slugify(e.region))}.html",
            country_href=f"countries.html#c-{e.country.alpha2.lower()}",
            website=clean_url(e.website) or "" if e.website else "",
            gloss=e.translated_title.strip() if e.language and e.language != page_lang else "",
            teaser=teaser(md.plain(e.summary, e.language or page_lang)),  # as the entry's page prints it
            site_language=page_lang,
        )
        abstract = translated_summary(e) if e.language and e.language != page_lang else ""
        if abstract.strip():
            view.abstract, view.abstract_text = md.html(abstract, page_lang), md.plain(abstract, page_lang)
        entries.append(view)  # links shown as text are reported once, by validation (entry.link)
        if each is not None:
            each(view)
    for prev, nxt in zip(entries, entries[1:]):
        prev.next, nxt.prev = nxt, prev
    by_id = {v.id: v for v in entries}
    for earlier, later in follow_ups(book.entries).items():  # both ways, when both are in the book
        if earlier in by_id:
            by_id[earlier].followed_by = [by_id[i] for i in later if i in by_id]
    for v in entries:
        v.follows = sorted((by_id[i] for i in v.entry.follows if i in by_id), key=lambda f: (f.entry.year, f.id))

    parts = [
        Group(part_anchor(p.key), p.title, [], href=_group_href(p.kind, p.key), description=p.description,
              subgroups=[Group(chapter_anchor(p.key, c.key), c.title, [by_id[e.id] for e in c.entries],
                               href=_group_href(c.kind, c.key), description=c.description) for c in p.chapters])
        for p in book.parts
    ]
    # a theme's page: its entries by region; in a site across editions (edition.years), by year
    by_year = [(str(y), str(y), lambda v, y=y: v.entry.year == y) for y in reversed(edition.years)]
    by_region = [(slugs[r], r, lambda v, r=r: v.entry.region == r) for r in edition.regions]
    themes = [
        Group(t.id, t.name, [], href=_group_href("theme", t.id), description=t.description,
              subgroups=_subgroups(entries, lambda v, t=t: edition.theme_of(v.entry).id == t.id,
                                   by_year or by_region, "year" if by_year else "region"))
        for t in edition.themes
    ]
    regions = [
        Group(slugs[r], r, [], href=_group_href("region", slugs[r]),
              subgroups=_subgroups(entries, lambda v, r=r: v.entry.region == r,
                                   [(t.id, t.name, lambda v, t=t: edition.theme_of(v.entry).id == t.id)
                                    for t in edition.themes], "theme"))
        for r in edition.regions
    ]
    for group in (*themes, *regions):  # one card grid per page: first places first (by_place)
        group.entries = by_place([v for sub in group.subgroups for v in sub.entries])
    say = voice(page_lang)
    for group in regions:  # a region's lead names its countries ("Initiatives from Bahrain, Egypt and Oman.")
        names = sorted({v.entry.country.name for v in group.entries}, key=fold)
        if names:
            group.description = words.format("region_lead", countries=say.join(names))
    _neighbours(entries, themes, regions)
    featured = [Group(p.key, p.title, _leading([v for c in p.subgroups for v in c.entries]), href=p.href,
                      description=p.description, subgroups=p.subgroups) for p in parts]
    return Site(book, entries, parts, themes, regions, _countries(book, by_id), _places(entries, words),
                _keywords(entries, page_lang), slugs, featured=featured)


def by_place(entries: list[EntryView]) -> list[EntryView]:
    """Cards in a list: first places first, then second, then third..., book order within a place
    (a theme's first-place winners from every region before its second places)."""
    return [v for _, v in sorted(enumerate(entries), key=lambda iv: (PLACES.index(iv[1].entry.place), iv[0]))]


def _leading(entries: list[EntryView], n: int = FEATURED) -> list[EntryView]:
    """The first `n` cards of a part for the home page (by_place)."""
    return by_place(entries)[:n]


def _near(members: list[EntryView], at: int, n: int = 4) -> list[EntryView]:
    """Up to `n` entries of `members` around the one at `at` in book order (without it)."""
    v = members[at]
    start = max(0, min(at - n // 2, len(members) - n - 1))
    return [m for m in members[start:start + n + 1] if m is not v][:n]


def _neighbours(entries: list[EntryView], themes: list[Group], regions: list[Group]) -> None:
    """Each entry's neighbours in its theme and in its region (book order), for its page's aside."""
    theme_of = {g.href: g for g in themes}
    region_of = {g.href: g for g in regions}
    in_theme: dict[str, list[EntryView]] = {}
    in_region: dict[str, list[EntryView]] = {}
    at: dict[tuple[str, int], int] = {}  # (kind, id(view)) → position among its theme's or region's entries
    for v in entries:
        for kind, members in (("theme", in_theme.setdefault(v.theme_href, [])),
                              ("region", in_region.setdefault(v.region_href, []))):
            at[(kind, id(v))] = len(members)
            members.append(v)
    for v in entries:
        v.neighbours = []
        for kind, group, members in (("theme", theme_of.get(v.theme_href), in_theme[v.theme_href]),
                                     ("region", region_of.get(v.region_href), in_region[v.region_href])):
            near = _near(members, at[(kind, id(v))])
            if group is not None and near:
                v.neighbours.append(Neighbours(kind, group.title, group.href, len(members), near))


def _group_href(kind: str, key: str) -> str:
    """A theme's or a region's page; a year's is its edition's page, known to a series (html/series.py)."""
    return {"theme": f"themes/{key}.html", "region": f"regions/{key}.html"}.get(kind, "")


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
    return [Group(f"letter-{slugify(k) or hashlib.sha1(k.encode()).hexdigest()[:6]}", k, [], subgroups=v, kind="letter")
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


ARABIC_ARTICLE = "\u0627\u0644"  # "ال", the definite article written onto the word it precedes


def sort_key(text: str) -> str:
    """An index's sort key: case- and accent-insensitive (countries.fold); an Arabic word is filed
    under its own first letter, not under the article "ال" (الشفافية under ش), as Arabic indexes do."""
    key = fold(text)
    if key.startswith(ARABIC_ARTICLE) and len(key.split(" ")[0]) > 3:
        key = key[len(ARABIC_ARTICLE):]
    return key


def _language_name(language: str, page_lang: str, script: str) -> str:
    """The heading of a keywords group in another script: the language's own name ('Русский', '中文',
    'العربية', from CLDR through Babel), else the script's name in the site's language ('Cyrillic')."""
    from babel import Locale, UnknownLocaleError

    from compendium.book.voice import locale

    own = locale(language) if language else None
    if own is not None:
        name = own.get_display_name(own) or ""
        return name[:1].upper() + name[1:]
    try:
        return (locale(page_lang) or Locale.parse("en")).scripts.get(script, script)
    except UnknownLocaleError:
        return script


def keyword_languages(entry: Entry, page_lang: str) -> list[tuple[str, str]]:
    """The entry's keywords (stripped, each once, in its order) with the language each is written in:
    the site's when written in its script (book.scripts.written_in), else the entry's."""
    return [(k, page_lang if written_in(k, page_lang) else entry.language or page_lang)
            for k in dict.fromkeys(k.strip() for k in entry.keywords if k.strip())]


def _keywords(entries: list[EntryView], page_lang: str) -> list[Group]:
    """Keywords A–Z in the site's script (by letter), then one group per other script, named after the
    language its keywords are written in ("Русский", "العربية", "中文"), each sorted by sort_key;
    every keyword with its entries by title. Keywords are told apart case-insensitively, and an
    entry's keyword is in the site's language when written in its script, else in the entry's."""
    found: dict[str, list[EntryView]] = {}
    shown: dict[str, tuple[str, str]] = {}  # folded → (first spelling met, its language)
    for v in entries:
        own = v.entry.language or page_lang
        # an entry counts once per keyword even if it lists two spellings of it
        for folded, kw in {k.strip().casefold(): k.strip() for k in reversed(v.entry.keywords) if k.strip()}.items():
            found.setdefault(folded, []).append(v)
            shown.setdefault(folded, (kw, page_lang if written_in(kw, page_lang) else own))
    taken: set[str] = set()
    anchors = {folded: unique_anchor("kw", shown[folded][0], taken) for folded in sorted(found)}
    home: list[Group] = []
    other: dict[str, list[Group]] = {}  # script → keyword groups
    for folded in sorted(found, key=lambda f: (sort_key(shown[f][0]), f)):
        text, language = shown[folded]
        group = Group(anchors[folded], text, _by_name(found[folded]), lang=lang_attrs(language, page_lang))
        if language == page_lang:
            home.append(group)
        else:
            other.setdefault(text_script(text) or "Zyyy", []).append(group)
    for v in entries:
        v.keywords = [KeywordView(k, f"keywords.html#{anchors[k.casefold()]}", language, lang_attrs(language, page_lang))
                      for k, language in keyword_languages(v.entry, page_lang)]
    scripts = []
    for script, groups in other.items():
        languages = [shown[g.title.casefold()][1] for g in groups]
        language = max(dict.fromkeys(languages), key=languages.count)  # the most frequent, the first met on a tie
        name = _language_name(language, page_lang, script)
        scripts.append(Group(f"script-{script.lower()}", name, [], lang=lang_attrs(language, page_lang), subgroups=groups,
                             kind="script"))
    return _letters(home) + sorted(scripts, key=lambda g: sort_key(g.title))
