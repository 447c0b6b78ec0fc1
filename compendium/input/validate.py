"""Validate: raw entry documents → Entry values, or located Issues for every problem in every file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from compendium.book.slug import is_slug
from compendium.errors import UsageError
from compendium.input import countries, spec
from compendium.input.fields import Fields, blank, slug_hint, suggest
from compendium.input.hints import meant_key, unknown_key_message
from compendium.input.load import (
    ENTRIES_DIR,
    Document,
    ParsedFiles,
    RawMap,
    entry_files,
    load_project,
    read_yaml,
    skipped_files,
)
from compendium.input.unfinished import placeholder_issues
from compendium.input.validate_edition import partial_edition, validate_edition
from compendium.input.vocabularies import BUILT_IN
from compendium.model import Contact, Edition, Entry, Image, Issue, Source, Theme, Vocabulary

SUMMARY_WORDS = spec.SUMMARY_WORDS
MAX_ID_LENGTH = spec.MAX_ID_LENGTH
# keys handled below, after the declaration's loop, because they are checked against the edition
_CHECKED_HERE = frozenset({"id", "country", "region", "category", "sections", "images", "contact"})


class Findings:
    """The errors and warnings among a validation result's `issues` (notes never fail anything)."""

    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")


@dataclass(frozen=True)
class Result(Findings):
    """What validation found: the edition and entries when usable, and every issue."""

    edition: Edition | None
    entries: tuple[Entry, ...]
    issues: tuple[Issue, ...]
    files: int


def _misplaced(f: Fields, form: tuple[spec.Field, ...], edition: Edition) -> dict[str, list[str]]:
    """Keys of a mapping written at the top level (not indented under `sections:` or `contact:`):
    one error that says where they belong. Returns {parent: [keys]} of what it reported."""
    allowed = {fd.key for fd in form}
    nested = {s.id: "sections" for s in edition.sections}
    nested.update({sub.key: "contact" for sub in spec.field("contact").fields})
    stray: dict[str, list[str]] = {}
    for key in f.data.key_pos:
        if key not in allowed and key in nested:
            stray.setdefault(nested[key], []).append(key)
    for parent, keys in stray.items():
        one = len(keys) == 1
        listed = ", ".join(f"'{k}'" for k in keys)
        if parent in f.data and blank(f.data[parent]):
            f.error(f.data.key_pos[parent], "entry.indent",
                    f"'{parent}' is empty and {listed} below it {'is' if one else 'are'} not indented: "
                    f"{'it belongs' if one else 'they belong'} under '{parent}:'; indent {'it' if one else 'them'} "
                    "by two spaces")
        else:
            where = f"under '{parent}:'" if parent in f.data else f"under a line '{parent}:'"
            for key in keys:
                f.error(f.data.key_pos[key], "entry.indent", f"'{key}' belongs {where}; indent it by two spaces")
    return stray


def _check_keys(f: Fields, form: tuple[spec.Field, ...], edition: Edition, any_key: bool = False) -> dict[str, list[str]]:
    """Unknown (unless `any_key`), misplaced and missing top-level keys; returns {parent: [keys]} of
    the misplaced ones."""
    stray = _misplaced(f, form, edition)
    told = {k for keys in stray.values() for k in keys}
    allowed = [fd.key for fd in form]
    told |= f.unindented_text(allowed, "entry.indent")
    other_names = spec.aliases(form)
    meant = set()
    for key, pos in f.data.key_pos.items():
        if key not in allowed and key not in told and not any_key:
            f.error(pos, "entry.unknown-key", unknown_key_message(f.name(key), str(key), allowed, other_names,
                                                                  f.data.get(key)))
            meant.add(meant_key(str(key), allowed, other_names))
    for key in spec.required_keys(form, edition):
        if key not in f.data and key not in stray and key not in meant:  # 'theme:' is told once, as unknown
            f.error(f.data.pos, "entry.missing", f"missing required key '{key}'")
    return stray


def _sections(f: Fields, edition: Edition, told: set[str]) -> tuple[tuple[str, str], ...]:
    """The sections in the edition's order; `told`: keys already reported as not indented."""
    required = any(s.required for s in edition.sections)
    if f.read(spec.with_required(spec.field("sections"), required)) is None:
        return ()
    s = f.child("sections", f.data["sections"])
    s.check_keys([x.id for x in edition.sections], [x.id for x in edition.sections if x.required and x.id not in told],
                 "entry.sections", aliases=spec.SECTION_ALIASES, indent_code="entry.indent")
    out = []
    for section in edition.sections:
        text = s.read(spec.Field(section.id, "markdown", "", required=section.required, code="entry.type",
                                 words=section.words, words_code="entry.section-length"))
        if text is not None:
            out.append((section.id, text))
    return tuple(out)


def _contact(f: Fields) -> Contact | None:
    values = f.read(spec.field("contact"))
    if values is None:
        return None
    return Contact(name=values["name"] or "", email=values["email"] or "", public=bool(values["public"]))


def _images(f: Fields, base: Path, root: Path) -> tuple[Image, ...]:
    declared = spec.field("images")
    items = f.read(declared)
    if items is None:
        return ()
    item = declared.item
    out: list[Image] = []
    for index, (value, pos) in enumerate(zip(items, f.data["images"].item_pos)):
        if not isinstance(value, RawMap):
            f.error(pos, "entry.type", f"item {index + 1} of 'images' must give 'file:' and 'alt:' on lines of their "
                                       "own, the first starting with '- ' (- file: images/photo.jpg)")
            continue
        i = f.child("images", value, prefix=f"images[{index}].")
        i.check_keys([x.key for x in item.fields], ("file",), "image", missing_code="image.missing-key")
        if "alt" not in value:
            i.error(value.pos, "image.alt", f"item {index + 1} of 'images' has no 'alt' text; describe the picture "
                                            "for readers who cannot see it")
        if "file" in value and blank(value["file"]):
            i.error(i.pos("file"), "image.path", f"item {index + 1} of 'images': the path in 'file' is empty")
        alt = i.read(item.sub("alt"))
        caption, credit = i.read(item.sub("caption")), i.read(item.sub("credit"))
        image = i.image("file", base, root, alt or "") if i.present("file") else None
        if image is not None and alt is not None:
            out.append(Image(image.path, image.rel, alt, caption or "", credit or "", image.width, image.height,
                             image.format))
    return tuple(out)


def _country(f: Fields, edition: Edition, unknown: frozenset[str] = frozenset()) -> countries.Country | None:
    value = f.data.get("country")
    if isinstance(value, bool):
        f.error(f.pos("country"), "entry.country", "'country' must be a country code or name")
        return None
    name = f.read(spec.field("country"))
    if name is None:
        return None
    country = countries.lookup(name, edition.countries)
    if country is not None or "countries" in unknown:  # it may be one that compendium.yaml declares
        return country
    f.error(f.pos("country"), "entry.country", countries.unknown_message(name, edition.countries, edition.regions))
    return None


def _region(f: Fields, edition: Edition, country: countries.Country | None) -> str | None:
    default = None
    if country is not None:
        default = dict(edition.country_regions).get(country.alpha2, country.region)
    region = f.read(spec.field("region"))
    if region is not None and region not in edition.regions:
        f.error(f.pos("region"), "entry.region",
                f"region '{region}' is not a region of the {edition.edition} edition{suggest(region, edition.regions)}")
        return None
    if region is not None and default is not None and region != default:
        f.warning(f.pos("region"), "entry.region-mismatch",
                  f"region '{region}' differs from {country.name}'s usual region '{default}'")
    region = region or default
    if region is not None and region not in edition.regions:
        f.error(f.pos("country"), "entry.region",
                f"{country.name} belongs to '{region}', which is not a region of this edition; set 'region' or "
                "'country_regions'")
        return None
    return region


def _category(f: Fields, edition: Edition) -> Theme | None:
    value = f.read(spec.field("category"))
    if value is None:
        return None
    wanted = " ".join(value.split()).casefold()  # a theme's name in any case and spacing
    theme = edition.theme(value) or next((t for t in edition.themes if " ".join(t.name.split()).casefold() == wanted
                                          or t.id == wanted), None)
    if theme is None:
        ids = [t.id for t in edition.themes]
        f.error(f.pos("category"), "entry.category",
                f"category '{value}' is not a theme of the {edition.edition} edition"
                f"{suggest(value, ids) or suggest(value, [t.name for t in edition.themes])}")
    return theme


def _id(f: Fields, doc: Document) -> str | None:
    if not f.present("id"):
        entry_id: str | None = default_id(doc)
        if not is_slug(entry_id):
            f.error(doc.data.pos, "entry.id", f"the file name '{doc.path.stem}' is used as the entry's id, which "
                                              "becomes a web address: it must be lowercase letters a-z, digits and "
                                              f"hyphens{slug_hint(entry_id, '2012-bh-zajel')} (rename the "
                                              "file, or give 'id:')")
            return None
    else:
        entry_id = f.line("id", "entry.id")
        if entry_id is not None and not is_slug(entry_id):
            f.error(f.pos("id"), "entry.id", "the id becomes a web address: it must be lowercase letters a-z, digits "
                                             f"and hyphens{slug_hint(entry_id, '2012-bh-zajel')}")
            return None
    if entry_id is not None and len(entry_id) > MAX_ID_LENGTH:  # it names output files (<id>.html, <id>.pdf)
        f.error(f.pos("id") if f.present("id") else doc.data.pos, "entry.id",
                f"the id has {len(entry_id)} characters; keep it to {MAX_ID_LENGTH} or fewer")
    return entry_id


def vocabularies(edition: Edition) -> dict[str, Vocabulary]:
    """Every vocabulary an entry of `edition` may use, by id: the built-in ones and the edition's."""
    out = {name: make() for name, make in BUILT_IN.items()}
    out.update({v.id: v for v in edition.vocabularies})
    return out


def default_id(doc: Document) -> str:
    """The file's stem; a draft's leading '_' is dropped ('_ke-huduma.yaml' checked by name is 'ke-huduma')."""
    return doc.path.stem.lstrip("_") or doc.path.stem


def validate_entry(doc: Document, edition: Edition,
                   unknown: frozenset[str] = frozenset()) -> tuple[Entry | None, list[Issue]]:
    """One entry document → Entry (None when it has errors) and its issues.

    The keys come from the declaration (spec.entry_form: the built-in keys and the edition's
    extra fields), read in its order by Fields.read; the keys checked against the edition
    (country, region, category, sections, images) have their own readers here.
    `unknown`: keys of compendium.yaml that could not be read (validate_edition.partial_edition);
    the checks that depend on them are skipped, the others made.
    """
    issues = list(doc.issues)
    if doc.data is None and issues:
        return None, issues
    if not isinstance(doc.data, RawMap):  # a list, a scalar, or a document that is just `~`
        issues.append(Issue(Source(doc.rel, 1, 1), "error", "entry.not-mapping",
                            "an entry file must be a list of 'key: value' lines (title: ..., country: ...)"))
        return None, issues
    form = spec.entry_form(edition)
    f = Fields(doc.rel, doc.data, "", issues, vocabularies(edition))
    any_key = bool(unknown & {"fields", "vocabularies"})  # any key may be an extra field: read the built-in ones
    if any_key:
        form = spec.ENTRY
    told = _check_keys(f, form, edition, any_key) if "sections" not in unknown else {}
    values = {fd.key: f.read(fd) for fd in form if fd.key not in _CHECKED_HERE}
    if values["year"] is not None and values["year"] != edition.edition and "edition" not in unknown:
        f.error(f.pos("year"), "entry.year", f"year {values['year']} is not the edition's year {edition.edition}")
    entry_id = _id(f, doc)
    country = _country(f, edition, unknown)
    region = _region(f, edition, country) if not unknown & {"regions", "countries", "country_regions"} else None
    theme = _category(f, edition) if "themes" not in unknown else None
    parent_blank = {p for p in told if blank(f.data.get(p))}  # told once, at the parent
    sections = () if "sections" in parent_blank | unknown else _sections(f, edition, set(told.get("sections", ())))
    contact = None if "contact" in parent_blank else _contact(f)
    images = _images(f, doc.path.parent, edition.root)
    issues.extend(placeholder_issues(doc.rel, doc.data, edition, doc.path))
    if any(i.severity == "error" for i in issues):
        return None, issues
    language = values["language"] or ""
    if language.lower() == edition.language.lower():
        language = ""
    extras = tuple((x.id, values[x.id]) for x in edition.fields if values.get(x.id) is not None)
    entry = Entry(id=entry_id, year=values["year"], title=values["title"], country=country, region=region,
                  institution=values["institution"], theme=theme, place=values["place"], language=language,
                  summary=values["summary"], sections=sections, source=Source(doc.rel, 1, 1),
                  partners=values["partners"] or (), website=values["website"] or "", contact=contact,
                  images=images, keywords=values["keywords"] or (), translated_title=values["translated_title"] or "",
                  translated_summary=values["translated_summary"] or "",
                  fields=extras, positions=tuple(f.positions), follows=values["follows"] or ())
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


def check_follows(entries: Iterable[Entry], known: dict[str, int], series: bool = True) -> list[Issue]:
    """Each id an entry `follows` names an entry of an earlier edition; `known` maps every entry id
    of the project (the whole series, also the editions not being checked) to its year.

    `series` False: a project of one edition, where no earlier edition can be named.
    """
    issues = []
    for entry in entries:
        for other in entry.follows:
            where = entry.where("follows")
            if other not in known:
                if series:
                    why = f"no entry of the series has the id '{other}'{suggest(other, known)}"
                else:
                    why = (f"no entry of this project has the id '{other}': a project of one edition has no "
                           "earlier edition to follow up; make it a series (compendium init --series)")
                issues.append(Issue(where, "error", "entry.follows", f"follows: {why}"))
            elif known[other] >= entry.year:
                what = "is this entry" if other == entry.id else f"won in {known[other]}, not before {entry.year}"
                issues.append(Issue(where, "error", "entry.follows",
                                    f"follows: '{other}' {what}; an entry follows up a winner of an earlier edition"))
    return issues


def validate_documents(edition_doc: Document, docs: list[Document], root: Path,
                       others: list[Document] = (), parsed: ParsedFiles | None = None) -> Result:
    """Validate everything already read; pure apart from probing image files.

    `others` are the edition's remaining entry files when only some are validated: their ids
    count for the duplicate check, their own problems are not reported. `parsed`: the entries an
    earlier build checked cleanly (load.ParsedFiles), taken as they were when nothing they depend
    on changed; the checks across entries (ids, follow-ups) are always made.
    """
    edition, issues = validate_edition(edition_doc, root)
    entries: list[tuple[Entry, Document]] = []
    if edition is not None:
        key = _checks_key(edition) if parsed is not None else ""
        for doc in docs:
            kept = parsed.checked(doc, key) if parsed is not None else None
            if kept is not None:
                entries.append((kept, doc))
                continue
            entry, entry_issues = validate_entry(doc, edition)
            issues.extend(entry_issues)
            if entry is not None:
                entries.append((entry, doc))
                if parsed is not None and not entry_issues:
                    parsed.remember(doc, key, entry)
        known = {e.id: e.year for e, _ in entries}  # a series checks `follows` across editions (input/series.py)
        known.update({i: edition.edition for i in map(declared_id, others) if i})
        issues.extend(check_follows((e for e, _ in entries), known, series=False))
    elif docs:  # check the entries for all that does not depend on the broken parts, and say what was not
        partial, unknown = partial_edition(edition_doc, root)
        for doc in docs:
            issues.extend(validate_entry(doc, partial, unknown)[1])
    mine = {d.rel for d in docs}
    issues.extend(i for i in duplicate_ids([*others, *docs]) if i.source.path in mine)
    issues.sort(key=lambda i: (i.source.path != edition_doc.rel, i.source))
    if edition is None and docs:  # last, just above the summary: what the entries were not checked for
        issues.append(Issue(Source(edition_doc.rel), "note", "edition.entries-partly-checked",
                            partly_checked(unknown, not isinstance(edition_doc.data, RawMap))))
    return Result(edition, tuple(e for e, _ in entries), tuple(issues), 1 + len(docs))


def _checks_key(edition: Edition) -> str:
    """What checking an entry depends on besides its file and pictures: the edition as validated, and
    the code and data that check it (compendium/input, compendium/book, the data tables, the model)
    with the libraries that validate fields. Hex SHA-256."""
    import hashlib

    from compendium.kept import library_versions

    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(repr(edition).encode())
    files = [package / "model.py", package / "errors.py"]
    for folder in ("input", "book", "data"):
        files += sorted(p for p in (package / folder).iterdir() if p.is_file() and p.suffix in (".py", ".tsv"))
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(library_versions(("langcodes", "python-stdnum", "email-validator", "anyascii", "babel", "pyromark")).encode())
    return h.hexdigest()


# the keys of compendium.yaml that checks of entries depend on, and what they check
_DEPENDS = (("edition", "their year"), ("themes", "their category"), ("regions", "their region"),
            ("countries", "their country"), ("country_regions", "their region"), ("sections", "their sections"),
            ("fields", "the edition's own fields and unknown keys"),
            ("vocabularies", "the edition's own fields and unknown keys"))


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]


def partly_checked(unknown: frozenset[str], unreadable: bool) -> str:
    """The note that says which checks of the entries waited for compendium.yaml to be fixed."""
    skipped = list(dict.fromkeys(what for key, what in _DEPENDS if key in unknown))
    if unreadable:
        return ("compendium.yaml could not be read, so the entries were checked only for what does not depend on it: "
                f"fix it and validate again to check {_and(skipped)}")
    if not skipped:
        return "compendium.yaml has errors; the entries were still checked in full"
    broken = _and([f"'{k}'" for k, _ in _DEPENDS if k in unknown])
    return (f"compendium.yaml has errors in {broken}, so the entries were not checked for {_and(skipped)}: fix it "
            "and validate again")


def validate_project(root: Path, paths: list[Path] | None = None, kept: Path | None = None) -> Result:
    """Load and validate the project at `root` (or only the entry files in `paths`).

    root: the project folder (holds compendium.yaml); paths: entry files or folders to check
    instead of all of entries/ (None: the whole project).
    Returns a Result: the Edition (None when compendium.yaml has errors), the valid Entry values,
    every Issue found in one pass (located file:line:col, sorted by file) and the number of files read.
    Problems in the input are issues, never exceptions. Raises UsageError when a path in `paths`
    does not exist; OSError only when the disk fails under it.

    With `paths`, the ids of the project's other entries are still read, so a file that takes an
    id already used elsewhere in the edition is told so. `root` may be an edition folder of a
    series (input/series.py): the edition is validated with the series' settings and rules.
    Raises UsageError when `root` is a series' own folder (validate_series checks a series).
    `kept`: where a build keeps the entry files it read cleanly (load.ParsedFiles; not for a series).
    """
    from compendium.input import series  # built on this module

    found = series.enclosing_series(root)
    if found is not None:
        return series.edition_result(*found, paths)
    if series.is_series(root):
        raise UsageError(f"{root} holds a series of editions: name one edition's folder, or validate them all "
                         "with compendium.input.series.validate_series")
    parsed = ParsedFiles(kept) if kept is not None else None
    edition_doc, docs = load_project(root, paths, parsed)
    others: list[Document] = []
    if paths:
        chosen = {d.path.resolve() for d in docs}
        others = [read_yaml(p, root) for p in entry_files(root) if p.resolve() not in chosen]
    result = validate_documents(edition_doc, docs, root, others, parsed)
    if parsed is not None:
        parsed.save()
    if paths:  # a file the build will not read: say so, whatever else is wrong with it
        entries = (root / ENTRIES_DIR).resolve()
        outside = tuple(Issue(Source(d.rel), "note", "file.outside-entries",
                              f"this file is not under {ENTRIES_DIR}/, so it will not be in the book: move it into "
                              f"{ENTRIES_DIR}/<theme>/ when it is ready")
                        for d in docs if not d.path.resolve().is_relative_to(entries))
        result = Result(result.edition, result.entries, result.issues + outside, result.files)
    if not paths:  # the whole project: name every file under entries/ that was not read, and why
        none = () if docs else (Issue(Source(f"{ENTRIES_DIR}/"), "note", "entry.none",
                                      "no entries yet: make one with 'compendium new-entry --title ... --country ... "
                                      "--category ...'"),)
        issues = sorted(result.issues + tuple(skipped_files(root)) + none,
                        key=lambda i: (i.code == "edition.entries-partly-checked", i.source.path != edition_doc.rel, i.source))
        result = Result(result.edition, result.entries, tuple(issues), result.files)
    return result
