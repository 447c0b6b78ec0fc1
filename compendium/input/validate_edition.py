"""Validate: compendium.yaml → Edition, or located Issues for every problem in it."""
from __future__ import annotations

import re
from pathlib import Path

from compendium.book.slug import is_slug
from compendium.input import countries, spec
from compendium.input.fields import Fields, blank, isbn13, slug_hint, suggest, valid_language
from compendium.input.images import PathProblem, resolve_inside
from compendium.input.load import Document, RawMap, visible
from compendium.input.vocabularies import BUILT_IN
from compendium.model import (
    DEFAULT_REGIONS,
    GROUP_KEYS,
    Country,
    Edition,
    FieldSpec,
    Issue,
    SectionSpec,
    Source,
    Term,
    Theme,
    Titles,
    Vocabulary,
)
from compendium.render import FORMATS

# the edition's keys: the declaration's, then each format's options block (compendium.render)
EDITION_KEYS: tuple[str, ...] = (*(f.key for f in spec.EDITION), *(f.name for f in FORMATS.values() if f.options))
REQUIRED_EDITION_KEYS: tuple[str, ...] = tuple(f.key for f in spec.EDITION if f.required)
MAX_INTRODUCTION_BYTES = 1_000_000
__all__ = ["ALL_KEYS", "EDITION_KEYS", "REQUIRED_EDITION_KEYS", "isbn13", "partial_edition", "validate_edition"]


def _themes(f: Fields) -> tuple[Theme, ...]:
    items = f.sequence("themes", "edition.themes")
    if items is None:
        if "themes" in f.data and not f.present("themes"):
            f.error(f.pos("themes"), "edition.themes", "'themes' must list at least one theme")
        return ()
    themes: list[Theme] = []
    for item, pos in zip(items, items.item_pos):
        if not isinstance(item, RawMap):
            f.error(pos, "edition.themes", "each theme must give 'id:' and 'name:' (- id: service-delivery, then name: ... under it)")
            continue
        t = f.child("themes[].", item)
        t.prefix = "themes[]."
        t.check_keys(("id", "name", "description"), ("id", "name"), "edition.themes", suffixed=False)
        theme_id, name = t.line("id", "edition.themes"), t.line("name", "edition.themes")
        description = t.text("description", "edition.themes") or ""
        if theme_id is not None and not is_slug(theme_id):
            t.error(t.pos("id"), "edition.theme-id", f"theme id '{theme_id}' must be lowercase letters a-z, digits and hyphens"
                                                        f"{slug_hint(theme_id, 'service-delivery')}")
            continue
        if theme_id and any(x.id == theme_id for x in themes):
            t.error(t.pos("id"), "edition.duplicate-theme", f"theme id '{theme_id}' is listed twice")
            continue
        if theme_id and name:
            themes.append(Theme(theme_id, name, description))
    if not items:
        f.error(f.pos("themes"), "edition.themes", "'themes' must list at least one theme")
    return tuple(themes)


def _regions(f: Fields) -> tuple[str, ...]:
    if not f.present("regions"):
        return DEFAULT_REGIONS
    names = f.text_list("regions", "edition.regions")
    items = f.data["regions"]
    seen: set[str] = set()
    for item, pos in zip(items, getattr(items, "item_pos", [])):  # every item, so positions line up
        name = item.strip() if isinstance(item, str) else None
        if name and name in seen:
            f.error(pos, "edition.duplicate-region", f"region '{name}' is listed twice")
        seen.add(name or "")
    return tuple(dict.fromkeys(names)) or DEFAULT_REGIONS


def _country_regions(f: Fields, regions: tuple[str, ...], own: tuple[Country, ...]) -> tuple[tuple[str, str], ...]:
    mapping = f.mapping("country_regions", "edition.country-regions")
    if mapping is None:
        return ()
    out: list[tuple[str, str]] = []
    for key, value in mapping.items():
        country = countries.lookup(str(key), own)
        if country is None:
            f.error(mapping.key_pos[key], "edition.country-regions", countries.unknown_message(str(key), own, regions))
        elif not isinstance(value, str) or value not in regions:
            f.error(mapping.val_pos[key], "edition.country-regions",
                    f"region '{value}' for {country.name} is not one of the edition's regions{suggest(str(value), regions)}")
        else:
            out.append((country.alpha2, value))
    return tuple(sorted(out))


def _titles(f: Fields, key: str, code: str) -> Titles:
    """A title given once (text) or per language ({en: Objective, fr: Objectif}) → Titles."""
    if not f.present(key):
        return ()
    value = f.data[key]
    if isinstance(value, str):
        text = f.line(key, code)
        return (("", text),) if text else ()
    mapping = f.mapping(key, code)
    if mapping is None:
        return ()
    t = f.child(key, mapping)
    out = []
    for tag in mapping:
        if not valid_language(str(tag)):
            t.error(mapping.key_pos[tag], code, f"{t.name(str(tag))} is not a BCP 47 language tag such as en, fr or zh-Hans")
            continue
        text = t.line(tag, code, required=True)
        if text:
            out.append((str(tag), text))
    return tuple(out)


def _items(f: Fields, key: str, code: str, declared: spec.Field) -> list[tuple[Fields, RawMap]]:
    """The mappings of the list `key`, each with a reader (an item that is not a mapping is an error)."""
    items = f.sequence(key, code)
    out = []
    for index, (item, pos) in enumerate(zip(items or (), getattr(items, "item_pos", ()))):
        if not isinstance(item, RawMap):
            f.error(pos, code, f"item {index + 1} of '{key}' must give "
                               + " and ".join(f"'{x.key}:'" for x in declared.fields if x.required))
            continue
        sub = f.child(key, item, prefix=f"{key}[{index}].")
        sub.check_keys([x.key for x in declared.fields], [x.key for x in declared.fields if x.required], code,
                       suffixed=False)
        out.append((sub, item))
    return out


def _sections(f: Fields) -> tuple[SectionSpec, ...]:
    """The entry form's sections (`sections:`), or today's four when the edition declares none."""
    default = Edition.__dataclass_fields__["sections"].default
    if not f.present("sections"):
        return default
    out: list[SectionSpec] = []
    for s, _ in _items(f, "sections", "edition.sections", spec.EDITION_SECTION):
        declared = spec.EDITION_SECTION
        section_id = s.read(declared.sub("id"))
        titles = _titles(s, "title", "edition.sections")
        required = s.read(declared.sub("required"))
        words = s.read(declared.sub("words"))
        if section_id is None:
            continue
        if any(x.id == section_id for x in out):
            s.error(s.pos("id"), "edition.sections", f"section '{section_id}' is declared twice")
            continue
        if words is not None and words < 1:
            s.error(s.pos("words"), "edition.sections", f"'words' must be a positive number of words, not {words}")
        out.append(SectionSpec(section_id, titles or ((("", spec.default_section_title(section_id)),)
                                                       if section_id not in default_ids() else ()),
                               required is not False, words or default[0].words))
    if not out:
        f.error(f.pos("sections"), "edition.sections", "'sections' must list at least one section {id, title}")
        return default
    return tuple(out)


def default_ids() -> tuple[str, ...]:
    return tuple(s.id for s in Edition.__dataclass_fields__["sections"].default)


def _vocabularies(f: Fields) -> dict[str, Vocabulary]:
    """The edition's own vocabularies (`vocabularies: {sectors: [{id, title}, ...]}`)."""
    out: dict[str, Vocabulary] = {}
    mapping = f.mapping("vocabularies", "edition.vocabularies")
    for name in mapping or ():
        v = f.child("vocabularies", mapping)
        if not is_slug(str(name)) or name in BUILT_IN:
            why = "is built in" if name in BUILT_IN else "must be lowercase letters a-z, digits and hyphens"
            v.error(mapping.key_pos[name], "edition.vocabularies", f"vocabulary id '{name}' {why}")
            continue
        terms: list[Term] = []
        for t, _ in _items(v, name, "edition.vocabularies", spec.TERM) if v.sequence(name, "edition.vocabularies") else ():
            term_id = t.read(spec.TERM.sub("id"))
            colour = t.read(spec.TERM.sub("colour")) or ""
            if not term_id:
                continue
            if any(x.id == term_id for x in terms):
                t.error(t.pos("id"), "edition.vocabularies", f"term '{term_id}' is listed twice")
                continue
            terms.append(Term(term_id, _titles(t, "title", "edition.vocabularies") or (("", term_id),), colour))
        out[name] = Vocabulary(name, (("", name.replace("-", " ").capitalize()),), tuple(terms))
    return out


def _fields(f: Fields, sections: tuple[SectionSpec, ...], own: dict[str, Vocabulary]) -> tuple[FieldSpec, ...]:
    """The edition's extra entry fields (`fields:`), with the vocabularies they name resolved."""
    out: list[FieldSpec] = []
    known = {**{k: make() for k, make in BUILT_IN.items()}, **own}
    declared = spec.EDITION_FIELD
    taken = set(spec.ENTRY_KEYS) | {x.id for x in sections}
    for x, _ in _items(f, "fields", "edition.fields", spec.EDITION_FIELD) if f.present("fields") else ():
        field_id = x.read(declared.sub("id"))
        kind = x.read(declared.sub("type"))
        vocabulary = x.read(declared.sub("vocabulary")) or ""
        show = x.read(declared.sub("show")) or "meta"
        index = bool(x.read(declared.sub("index")))
        required = bool(x.read(declared.sub("required")))
        description = x.read(declared.sub("description")) or ""
        titles = _titles(x, "title", "edition.fields")
        if field_id is None or kind is None:
            continue
        if field_id in taken:
            why = ("is a built-in key of entries" if field_id in spec.ENTRY_KEYS else
                   "is a section id" if field_id in {s.id for s in sections} else "is declared twice")
            x.error(x.pos("id"), "edition.fields", f"field id '{field_id}' {why}")
            continue
        taken.add(field_id)
        if kind in ("choice",) and not vocabulary:
            x.error(x.data.pos, "edition.fields", f"field '{field_id}' is a choice: give its 'vocabulary' "
                                                  f"({', '.join(known)})")
            continue
        if vocabulary and vocabulary not in known:
            x.error(x.pos("vocabulary"), "edition.fields", f"vocabulary '{vocabulary}' is neither built in nor declared "
                                                           f"under 'vocabularies'{suggest(vocabulary, known)}")
            continue
        if vocabulary and kind not in ("choice", "list"):
            x.error(x.pos("vocabulary"), "edition.fields", f"only choice and list fields take a vocabulary, not {kind}")
            continue
        if index and not vocabulary:
            x.error(x.pos("index"), "edition.fields", "only fields with a vocabulary can be indexed")
            continue
        out.append(FieldSpec(field_id, kind, titles, required, vocabulary, "" if show == "none" else show, index,
                             description))
    return tuple(out)


def _countries(f: Fields, regions: tuple[str, ...]) -> tuple[Country, ...]:
    """The edition's own countries and territories (`countries: {XK: {name: Kosovo, region: ...}}`)."""
    mapping = f.mapping("countries", "edition.countries")
    out: list[Country] = []
    for code in mapping or ():
        c = f.child("countries", mapping)
        code_text = str(code).strip()
        if not re.fullmatch(r"[A-Za-z]{2}", code_text):
            c.error(mapping.key_pos[code], "edition.countries", f"'{code}' must be a two-letter code such as XK")
            continue
        entry = c.mapping(code, "edition.countries")
        if entry is None:
            if not c.present(code):
                c.error(c.pos(code), "edition.countries", f"'countries.{code}' needs a name and a region")
            continue
        x = c.child(code, entry)
        x.check_keys([k.key for k in spec.COUNTRY.fields], [k.key for k in spec.COUNTRY.fields if k.required],
                     "edition.countries", suffixed=False)
        name = x.line("name", "edition.countries")
        region = x.line("region", "edition.countries")
        alpha3 = x.line("alpha3", "edition.countries") or ""
        if region is not None and region not in regions:
            x.error(x.pos("region"), "edition.countries",
                    f"region '{region}' is not one of the edition's regions{suggest(region, regions)}")
            continue
        if name and region:
            out.append(Country(code_text.upper(), alpha3.upper(), name, region))
    return tuple(out)


def _group_by(f: Fields) -> tuple[str, str]:
    if not f.present("group_by"):
        return ("theme", "region")
    value = f.data["group_by"]
    if isinstance(value, list) and sorted(map(str, value)) == sorted(GROUP_KEYS):
        return (str(value[0]), str(value[1]))
    f.error(f.pos("group_by"), "edition.group-by", "'group_by' must be [theme, region] or [region, theme]")
    return ("theme", "region")


def _markdown_file(f: Fields, root: Path, base: Path, key: str = "introduction") -> str:
    """The text of a Markdown file the edition names under `key` (introduction, foreword, acknowledgements),
    a path relative to `base` (the folder of the file that names it) inside `root`."""
    value = f.line(key, "edition.introduction")
    if value is None:
        return ""
    try:
        path = resolve_inside(root, base, value, folder="")
    except PathProblem as problem:
        f.error(f.pos(key), "edition.introduction", str(problem))
        return ""
    try:
        raw = path.read_bytes()[: MAX_INTRODUCTION_BYTES + 1]
    except OSError as exc:
        f.error(f.pos(key), "edition.introduction", f"cannot read '{value}': {exc.strerror or exc}")
        return ""
    try:
        if len(raw) > MAX_INTRODUCTION_BYTES or b"\x00" in raw:
            raise ValueError
        return visible(raw.decode("utf-8-sig"))
    except ValueError:
        f.error(f.pos(key), "edition.introduction", f"'{value}' must be a UTF-8 Markdown text under 1 MB")
        return ""


def _abbreviations(f: Fields) -> tuple[tuple[str, str], ...]:
    """`abbreviations: {ACRC: Anti-Corruption ...}` → (abbreviation, expansion) pairs in alphabetical order."""
    mapping = f.mapping("abbreviations", "edition.abbreviations")
    if mapping is None:
        return ()
    out: list[tuple[str, str]] = []
    for key, value in mapping.items():
        short = str(key).strip()
        if not isinstance(value, str) or not value.strip() or any(c in value for c in "\n\r"):
            f.error(mapping.val_pos[key], "edition.abbreviations",
                    f"'abbreviations.{short}' must say on one line what {short} stands for")
            continue
        out.append((short, value.strip()))
    return tuple(sorted(out, key=lambda pair: (countries.fold(pair[0]).casefold(), pair[0])))


def _format_options(f: Fields) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Each format's options block (`pdf: {page_size: Letter}`), checked against its declaration."""
    out = []
    for fmt in FORMATS.values():
        if not fmt.options or not f.present(fmt.name):
            continue
        mapping = f.mapping(fmt.name, "edition.type")
        if mapping is None:
            continue
        p = f.child(fmt.name, mapping)
        p.check_keys(tuple(o.key for o in fmt.options), (), f"edition.{fmt.name}")
        values = tuple((o.key, value) for o in fmt.options if p.present(o.key)
                       for value in [p.choice(o.key, o.code, o.choices, o.key.replace("_", " "))] if value)
        out.append((fmt.name, values))
    return tuple(out)


def validate_edition(doc: Document, root: Path, folder: str = "") -> tuple[Edition | None, list[Issue]]:
    """compendium.yaml → Edition; None when it has errors (then every error is in the list).

    doc: compendium.yaml as loaded (input.load.read_yaml: values with their line and column);
    root: the project folder, against which the paths it names (introduction, cover) are read.
    Returns (Edition or None, every Issue of the file, warnings included). Raises nothing for bad
    input: each problem is an Issue.

    The plain keys are read by the declaration's loop (spec.EDITION, Fields.read); themes,
    regions, countries, the entry form (sections, fields, vocabularies), paths and the format
    options have their own readers here. `folder`: in a series, the edition's folder relative to
    `root` (the series folder), where its introduction and cover paths start.
    """
    edition, issues = _read(doc, root, folder)
    ok = edition is not None and not any(i.severity == "error" for i in issues)
    return (edition if ok else None), issues


def partial_edition(doc: Document, root: Path, folder: str = "") -> tuple[Edition, frozenset[str]]:
    """What can be known of an edition whose compendium.yaml has errors, for checking its entries
    anyway: the Edition read as far as it goes, and the keys of compendium.yaml that could not be
    read (`ALL_KEYS` when the file itself could not be), whose checks on entries are skipped.
    """
    edition, issues = _read(doc, root, folder)
    errors = [i for i in issues if i.severity == "error"]
    if edition is None or not isinstance(doc.data, RawMap):
        return Edition(root=root, source=Source(doc.rel, 1, 1), title="", edition=0, themes=(), folder=folder), ALL_KEYS
    lines = sorted((pos[0], key) for key, pos in doc.data.key_pos.items())
    broken = set()
    for issue in errors:
        before = [key for line, key in lines if line <= issue.source.line]
        if issue.code == "edition.missing" or not before:  # reported at the top of the file
            broken.update(k for k in REQUIRED_EDITION_KEYS if k not in doc.data or blank(doc.data[k]))
        else:
            broken.add(before[-1])
    if not edition.themes:
        broken.add("themes")
    if not spec.YEARS[0] <= edition.edition <= spec.YEARS[1]:
        broken.add("edition")
    return edition, frozenset(broken)


# every key whose checks on entries depend on it (all of them, when compendium.yaml cannot be read)
ALL_KEYS = frozenset(EDITION_KEYS)


def _read(doc: Document, root: Path, folder: str = "") -> tuple[Edition | None, list[Issue]]:
    """compendium.yaml → the Edition as far as it can be read (None when it is no mapping) and every issue."""
    base = root / folder
    issues = list(doc.issues)
    if doc.data is None and issues:
        return None, issues
    if not isinstance(doc.data, RawMap):  # a list, a scalar, or a document that is just `~`
        issues.append(Issue(Source(doc.rel, 1, 1), "error", "edition.not-mapping",
                            "compendium.yaml must be a list of 'key: value' lines (title: ..., edition: ...)"))
        return None, issues
    f = Fields(doc.rel, doc.data, "", issues)
    f.check_keys(EDITION_KEYS, REQUIRED_EDITION_KEYS, "edition", aliases=spec.aliases(spec.EDITION))
    plain = {d.key: f.read(d) for d in spec.EDITION if d.key in _PLAIN}
    year = plain["edition"]
    if year is not None and not spec.YEARS[0] <= year <= spec.YEARS[1]:
        f.error(f.pos("edition"), "edition.year", f"'edition' must be the award year, such as 2012, not {year}")
    regions = _regions(f)
    own_countries = _countries(f, regions)
    cover = f.image("cover", base, root, alt="Cover") if f.present("cover") else None
    sections = _sections(f)
    own_vocabularies = _vocabularies(f)
    fields = _fields(f, sections, own_vocabularies)
    used = {x.vocabulary for x in fields if x.vocabulary}
    vocabularies = tuple((own_vocabularies[v] if v in own_vocabularies else BUILT_IN[v]()) for v in sorted(used))
    edition = Edition(
        root=root,
        source=Source(doc.rel, 1, 1),
        title=plain["title"] or "",
        edition=year or 0,
        themes=_themes(f),
        regions=regions,
        subtitle=plain["subtitle"] or "",
        language=plain["language"] or "en",
        publisher=plain["publisher"] or "",
        isbn=plain["isbn"] or "",
        license=plain["license"] or "",
        url=(plain["url"] or "").rstrip("/"),
        editors=plain["editors"] or (),
        date=plain["date"],
        introduction=_markdown_file(f, root, base),
        foreword=_markdown_file(f, root, base, "foreword"),
        acknowledgements=_markdown_file(f, root, base, "acknowledgements"),
        abbreviations=_abbreviations(f),
        place=plain["place"] or "",
        issued_by=plain["issued_by"] or (),
        eisbn=plain["eisbn"] or "",
        symbol=plain["symbol"] or "",
        sales_number=plain["sales_number"] or "",
        copyright_holder=plain["copyright_holder"] or "",
        disclaimer=plain["disclaimer"] or "publisher",
        about_publisher=plain["about_publisher"] or "",
        printer=plain["printer"] or "",
        blurb=plain["blurb"] or "",
        accessibility_certifier=plain["accessibility_certifier"] or "",
        cover=cover,
        group_by=_group_by(f),
        country_regions=_country_regions(f, regions, own_countries),
        options=_format_options(f),
        sections=sections,
        fields=fields,
        vocabularies=vocabularies,
        countries=own_countries,
        folder=folder,
    )
    return edition, issues


# keys the declaration's loop reads as they are; the others have their own reader above
_PLAIN = frozenset(d.key for d in spec.EDITION if d.kind in ("line", "text", "integer", "language", "isbn", "url", "date")
                   or (d.kind == "choice" and d.choices)
                   or (d.kind == "list" and d.item is not None and d.item.kind == "line" and d.key != "regions"))
