"""Validate: raw entry documents → Entry values, or located Issues for every problem in every file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compendium.book.slug import is_slug
from compendium.book.text import parse
from compendium.input import countries
from compendium.input.fields import Fields, suggest, word_count
from compendium.input.load import Document, RawMap, entry_files, load_project, read_yaml
from compendium.input.validate_edition import validate_edition
from compendium.model import PLACES, SECTIONS, Contact, Edition, Entry, Image, Issue, Source

ENTRY_KEYS = (
    "id", "year", "title", "country", "region", "institution", "category", "place", "language",
    "summary", "sections", "partners", "website", "contact", "images", "keywords",
)
REQUIRED_ENTRY_KEYS = ("year", "title", "country", "institution", "category", "place", "summary", "sections")
SUMMARY_WORDS = 150
SECTION_WORDS = 600
MAX_ID_LENGTH = 100  # ids name output files (<id>.html, fact-sheets/<id>.pdf)


@dataclass(frozen=True)
class Result:
    """What validation found: the edition and entries when usable, and every issue."""

    edition: Edition | None
    entries: tuple[Entry, ...]
    issues: tuple[Issue, ...]
    files: int

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")


def _markdown(f: Fields, key: str, limit: int, label: str, code: str) -> str | None:
    value = f.text(key, "entry.type", required=True)
    if value is not None:
        words = word_count(value)
        if words > limit:
            f.warning(f.pos(key), code, f"{label} has {words} words; keep it to {limit} or fewer")
        if "](" in value or "<" in value or "]:" in value:  # only then can the text hold a link
            _links(f, key, value, label)
    return value


def _links(f: Fields, key: str, markdown: str, label: str) -> None:
    """Links the books will show as plain text: say so now, not after the build."""
    tree = parse(markdown)  # memoised: the renderers reuse this parse in the same process
    why = {"dropped": "is not a valid web address", "unsafe": "is not an http(s) or mailto address"}
    for kind, reason in why.items():
        for target in tree.attr(kind, ()):
            shown = target if len(target) <= 80 else target[:77] + "..."
            f.warning(f.pos(key), "entry.link", f"{label}: the link '{shown}' {reason}; it will be shown as text")


def _sections(f: Fields) -> tuple[tuple[str, str], ...]:
    mapping = f.mapping("sections", "entry.type")
    if mapping is None:
        return ()
    s = f.child("sections", mapping)
    s.check_keys(SECTIONS, SECTIONS, "entry.sections")
    out = []
    for key in SECTIONS:
        if key in mapping:
            text = _markdown(s, key, SECTION_WORDS, f"section '{key}'", "entry.section-length")
            if text is not None:
                out.append((key, text))
    return tuple(out) if len(out) == len(SECTIONS) else ()


def _contact(f: Fields) -> Contact | None:
    mapping = f.mapping("contact", "entry.type")
    if mapping is None:
        return None
    c = f.child("contact", mapping)
    c.check_keys(("name", "email", "public"), (), "entry.contact")
    return Contact(
        name=c.line("name", "entry.type") or "",
        email=c.email("email", "entry.email") or "",
        public=bool(c.boolean("public", "entry.type")),
    )


def _images(f: Fields, base: Path, root: Path) -> tuple[Image, ...]:
    items = f.sequence("images", "entry.type")
    if items is None:
        return ()
    out: list[Image] = []
    for index, (item, pos) in enumerate(zip(items, items.item_pos)):
        if not isinstance(item, RawMap):
            f.error(pos, "entry.type", f"images item {index + 1} must be a mapping with 'file' and 'alt'")
            continue
        i = f.child("images[].", item)
        i.prefix = f"images[{index}]."
        i.check_keys(("file", "alt", "caption", "credit"), ("file",), "image")
        alt = i.line("alt", "image.alt")
        if alt is None and "alt" not in item:
            i.error(item.pos, "image.alt", f"images item {index + 1} has no 'alt' text; describe the picture for readers who cannot see it")
        elif alt is None and item.get("alt") is None:
            i.error(i.pos("alt"), "image.alt", f"images item {index + 1} has empty 'alt' text")
        image = i.image("file", base, root, alt or "") if "file" in item else None
        if image is not None and alt is not None:
            out.append(Image(image.path, image.rel, alt, i.line("caption", "entry.type") or "",
                             i.line("credit", "entry.type") or "", image.width, image.height, image.format))
    return tuple(out)


def _country_and_region(f: Fields, edition: Edition) -> tuple[countries.Country | None, str | None]:
    country = None
    value = f.data.get("country")
    if isinstance(value, bool):
        f.error(f.pos("country"), "entry.country", "'country' must be a country code or name")
    elif isinstance(value, str) and value.strip():
        country = countries.lookup(value)
        if country is None:
            f.error(f.pos("country"), "entry.country",
                    f"country '{value}' is not a known ISO 3166 code or UN country name{suggest(value, countries.names_and_codes())}")
    elif "country" in f.data:
        f.text("country", "entry.country", required=True)
    default = None
    if country is not None:
        default = dict(edition.country_regions).get(country.alpha2, country.region)
    region = f.line("region", "entry.region") if f.present("region") else None
    if region is not None and region not in edition.regions:
        f.error(f.pos("region"), "entry.region",
                f"region '{region}' is not a region of the {edition.edition} edition{suggest(region, edition.regions)}")
        return country, None
    if region is not None and default is not None and region != default:
        f.warning(f.pos("region"), "entry.region-mismatch",
                  f"region '{region}' differs from {country.name}'s usual region '{default}'")
    region = region or default
    if region is not None and region not in edition.regions:
        f.error(f.pos("country"), "entry.region",
                f"{country.name} belongs to '{region}', which is not a region of this edition; set 'region' or 'country_regions'")
        return country, None
    return country, region


def _category(f: Fields, edition: Edition):
    value = f.line("category", "entry.category", required=True)
    if value is None:
        return None
    theme = edition.theme(value) or next((t for t in edition.themes if t.name == value), None)
    if theme is None:
        ids = [t.id for t in edition.themes]
        f.error(f.pos("category"), "entry.category",
                f"category '{value}' is not a theme of the {edition.edition} edition{suggest(value, ids) or suggest(value, [t.name for t in edition.themes])}")
    return theme


def default_id(doc: Document) -> str:
    """The file's stem; a draft's leading '_' is dropped ('_ke-huduma.yaml' checked by name is 'ke-huduma')."""
    return doc.path.stem.lstrip("_") or doc.path.stem


def validate_entry(doc: Document, edition: Edition) -> tuple[Entry | None, list[Issue]]:
    """One entry document → Entry (None when it has errors) and its issues."""
    issues = list(doc.issues)
    if doc.data is None and issues:
        return None, issues
    if not isinstance(doc.data, RawMap):  # a list, a scalar, or a document that is just `~`
        issues.append(Issue(Source(doc.rel, 1, 1), "error", "entry.not-mapping",
                            "an entry file must be a mapping of keys to values (title: ..., country: ...)"))
        return None, issues
    f = Fields(doc.rel, doc.data, "", issues)
    f.check_keys(ENTRY_KEYS, REQUIRED_ENTRY_KEYS, "entry")
    entry_id = f.line("id", "entry.id") if f.present("id") else default_id(doc)
    if entry_id is not None and not is_slug(entry_id):
        where = f.pos("id") if f.present("id") else doc.data.pos
        origin = "id" if f.present("id") else f"the file name '{doc.path.stem}' (used as id)"
        f.error(where, "entry.id", f"{origin} must be a lowercase slug such as '2012-bh-zajel' (a-z, 0-9, hyphens)")
    elif entry_id is not None and len(entry_id) > MAX_ID_LENGTH:  # it names output files (<id>.html, <id>.pdf)
        f.error(f.pos("id") if f.present("id") else doc.data.pos, "entry.id",
                f"the id has {len(entry_id)} characters; keep it to {MAX_ID_LENGTH} or fewer")
    year = f.integer("year", "entry.year")
    if year is not None and year != edition.edition:
        f.error(f.pos("year"), "entry.year", f"year {year} is not the edition's year {edition.edition}")
    country, region = _country_and_region(f, edition)
    theme = _category(f, edition)
    place = f.choice("place", "entry.place", PLACES, "place")
    summary = _markdown(f, "summary", SUMMARY_WORDS, "the summary", "entry.summary-length")
    fields = dict(
        title=f.line("title", "entry.type", required=True),
        institution=f.line("institution", "entry.type", required=True),
        language=f.language("language", "entry.language") or "",
        sections=_sections(f),
        partners=f.text_list("partners", "entry.type"),
        website=f.url("website", "entry.website") or "",
        contact=_contact(f),
        images=_images(f, doc.path.parent, edition.root),
        keywords=f.text_list("keywords", "entry.type"),
    )
    if any(i.severity == "error" for i in issues):
        return None, issues
    language = fields.pop("language")
    if language.lower() == edition.language.lower():
        language = ""
    entry = Entry(id=entry_id, year=year, country=country, region=region, theme=theme, place=place,
                  summary=summary, language=language, source=Source(doc.rel, 1, 1), **fields)
    return entry, issues


def declared_id(doc: Document) -> str | None:
    """The id a readable entry file claims (its 'id', else its file name), even when it has other errors."""
    if not isinstance(doc.data, RawMap):
        return None
    value = doc.data.get("id") if doc.data.get("id") is not None else default_id(doc)
    return value.strip() if isinstance(value, str) and is_slug(value.strip()) else None


def duplicate_ids(docs: list[Document]) -> list[Issue]:
    """Two files may not share an id; name both files."""
    first: dict[str, Document] = {}
    issues = []
    for doc in docs:
        entry_id = declared_id(doc)
        if entry_id is None:
            continue
        if entry_id in first:
            other = first[entry_id]
            pos = doc.data.val_pos.get("id", doc.data.pos)
            issues.append(Issue(Source(doc.rel, *pos), "error", "entry.duplicate-id",
                                f"id '{entry_id}' is already used by {other.rel}"))
        else:
            first[entry_id] = doc
    return issues


def validate_documents(edition_doc: Document, docs: list[Document], root: Path,
                       others: list[Document] = ()) -> Result:
    """Validate everything already read; pure apart from probing image files.

    `others` are the edition's remaining entry files when only some are validated: their ids
    count for the duplicate check, their own problems are not reported.
    """
    edition, issues = validate_edition(edition_doc, root)
    entries: list[tuple[Entry, Document]] = []
    if edition is not None:
        for doc in docs:
            entry, entry_issues = validate_entry(doc, edition)
            issues.extend(entry_issues)
            if entry is not None:
                entries.append((entry, doc))
        mine = {d.rel for d in docs}
        issues.extend(i for i in duplicate_ids([*others, *docs]) if i.source.path in mine)
    else:
        for doc in docs:  # file-level problems still show up when the edition file is broken
            issues.extend(doc.issues)
    issues.sort(key=lambda i: (i.source.path != edition_doc.rel, i.source))
    return Result(edition, tuple(e for e, _ in entries), tuple(issues), 1 + len(docs))


def validate_project(root: Path, paths: list[Path] | None = None) -> Result:
    """Load and validate the project at `root` (or only the entry files in `paths`).

    With `paths`, the ids of the project's other entries are still read, so a file that takes an
    id already used elsewhere in the edition is told so.
    """
    edition_doc, docs = load_project(root, paths)
    others: list[Document] = []
    if paths:
        chosen = {d.path.resolve() for d in docs}
        others = [read_yaml(p, root) for p in entry_files(root) if p.resolve() not in chosen]
    return validate_documents(edition_doc, docs, root, others)
