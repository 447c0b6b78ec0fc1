"""Validate: compendium.yaml → Edition, or located Issues for every problem in it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from compendium.book.slug import is_slug
from compendium.input import countries
from compendium.input.fields import Fields, suggest
from compendium.input.images import PathProblem, resolve_inside
from compendium.input.load import Document, RawMap, visible
from compendium.model import DEFAULT_REGIONS, GROUP_KEYS, Edition, Issue, Source, Theme
from compendium.render import FORMATS

EDITION_KEYS = (
    "title", "subtitle", "edition", "language", "publisher", "isbn", "license", "url", "editors", "date",
    "introduction", "cover", "group_by", "themes", "regions", "country_regions",
    *(f.name for f in FORMATS.values() if f.options),  # each format's options block (compendium.render)
)
REQUIRED_EDITION_KEYS = ("title", "edition", "themes")
MAX_INTRODUCTION_BYTES = 1_000_000


def isbn13(value: str) -> str | None:
    """The 13 digits of a valid ISBN-13 (hyphens and spaces allowed), or None."""
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) != 13 or not digits.isdigit() or not digits.startswith(("978", "979")):
        return None
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
    return digits if (10 - total % 10) % 10 == int(digits[12]) else None


def _themes(f: Fields) -> tuple[Theme, ...]:
    items = f.sequence("themes", "edition.themes")
    if items is None:
        return ()
    themes: list[Theme] = []
    for item, pos in zip(items, items.item_pos):
        if not isinstance(item, RawMap):
            f.error(pos, "edition.themes", "each theme must be a mapping with 'id' and 'name'")
            continue
        t = f.child("themes[].", item)
        t.prefix = "themes[]."
        t.check_keys(("id", "name", "description"), ("id", "name"), "edition.themes", suffixed=False)
        theme_id, name = t.line("id", "edition.themes"), t.line("name", "edition.themes")
        description = t.text("description", "edition.themes") or ""
        if theme_id is not None and not is_slug(theme_id):
            t.error(t.pos("id"), "edition.theme-id", f"theme id '{theme_id}' must be a lowercase slug such as 'service-delivery'")
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


def _country_regions(f: Fields, regions: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    mapping = f.mapping("country_regions", "edition.country-regions")
    if mapping is None:
        return ()
    out: list[tuple[str, str]] = []
    for key, value in mapping.items():
        country = countries.lookup(str(key))
        if country is None:
            f.error(mapping.key_pos[key], "edition.country-regions",
                    f"'{key}' is not a known country{suggest(str(key), countries.names_and_codes())}")
        elif not isinstance(value, str) or value not in regions:
            f.error(mapping.val_pos[key], "edition.country-regions",
                    f"region '{value}' for {country.name} is not one of the edition's regions{suggest(str(value), regions)}")
        else:
            out.append((country.alpha2, value))
    return tuple(sorted(out))


def _group_by(f: Fields) -> tuple[str, str]:
    if not f.present("group_by"):
        return ("theme", "region")
    value = f.data["group_by"]
    if isinstance(value, list) and sorted(map(str, value)) == sorted(GROUP_KEYS):
        return (str(value[0]), str(value[1]))
    f.error(f.pos("group_by"), "edition.group-by", "'group_by' must be [theme, region] or [region, theme]")
    return ("theme", "region")


def _date(f: Fields) -> dt.date | None:
    if not f.present("date"):
        return None
    value = f.data["date"]
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:  # a quoted ISO date is still a date
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    f.error(f.pos("date"), "edition.date", f"'date' must be an ISO date such as 2012-06-23, not {value!r}")
    return None


def _introduction(f: Fields, root: Path) -> str:
    value = f.line("introduction", "edition.introduction")
    if value is None:
        return ""
    try:
        path = resolve_inside(root, root, value)
    except PathProblem as problem:
        f.error(f.pos("introduction"), "edition.introduction", str(problem).replace("image", "file"))
        return ""
    try:
        raw = path.read_bytes()[: MAX_INTRODUCTION_BYTES + 1]
    except OSError as exc:
        f.error(f.pos("introduction"), "edition.introduction", f"cannot read '{value}': {exc.strerror or exc}")
        return ""
    try:
        if len(raw) > MAX_INTRODUCTION_BYTES or b"\x00" in raw:
            raise ValueError
        return visible(raw.decode("utf-8-sig"))
    except ValueError:
        f.error(f.pos("introduction"), "edition.introduction", f"'{value}' must be a UTF-8 Markdown text under 1 MB")
        return ""


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


def validate_edition(doc: Document, root: Path) -> tuple[Edition | None, list[Issue]]:
    """compendium.yaml → Edition; None when it has errors (then every error is in the list)."""
    issues = list(doc.issues)
    if doc.data is None and issues:
        return None, issues
    if not isinstance(doc.data, RawMap):  # a list, a scalar, or a document that is just `~`
        issues.append(Issue(Source(doc.rel, 1, 1), "error", "edition.not-mapping", "compendium.yaml must be a mapping of keys to values"))
        return None, issues
    f = Fields(doc.rel, doc.data, "", issues)
    f.check_keys(EDITION_KEYS, REQUIRED_EDITION_KEYS, "edition")
    title = f.line("title", "edition.type", required=True)
    year = f.integer("edition", "edition.type")
    if year is not None and not 1900 <= year <= 2200:
        f.error(f.pos("edition"), "edition.year", f"'edition' must be the award year, such as 2012, not {year}")
    isbn = ""
    if f.present("isbn"):
        raw_isbn = f.line("isbn", "edition.isbn")
        isbn = (isbn13(raw_isbn) or "") if raw_isbn else ""
        if raw_isbn and not isbn:
            f.error(f.pos("isbn"), "edition.isbn", f"'{raw_isbn}' is not a valid ISBN-13 (13 digits starting 978 or 979, checksum verified)")
    regions = _regions(f)
    cover = None
    if f.present("cover"):
        cover = f.image("cover", root, root, alt="Cover")
    edition = Edition(
        root=root,
        source=Source(doc.rel, 1, 1),
        title=title or "",
        edition=year or 0,
        themes=_themes(f),
        regions=regions,
        subtitle=f.line("subtitle", "edition.type") or "",
        language=f.language("language", "edition.language") or "en",
        publisher=f.line("publisher", "edition.type") or "",
        isbn=isbn,
        license=f.line("license", "edition.type") or "",
        url=(f.url("url", "edition.url") or "").rstrip("/"),
        editors=f.text_list("editors", "edition.type"),
        date=_date(f),
        introduction=_introduction(f, root),
        cover=cover,
        group_by=_group_by(f),
        country_regions=_country_regions(f, regions),
        options=_format_options(f),
    )
    ok = not any(i.severity == "error" for i in issues)
    return (edition if ok else None), issues
