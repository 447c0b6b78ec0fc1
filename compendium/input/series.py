"""Input: a series of editions — the series file, its editions (a folder each), validated in one pass.

A project of several editions keeps at its root a *series file*: a compendium.yaml with
`editions:` (spec.SERIES). It declares the settings its editions share (every key of an edition
but those that belong to one book: spec.PER_EDITION), lists one folder per edition, maps theme
ids of earlier years to the current ones (`theme_map:`) and declares `retrospectives:`. Each
edition folder holds its own compendium.yaml, where any key overrides the shared one, and its
entries/.

Validation reads the series file, then each edition with the shared settings merged in (a
problem in a shared setting points at the series file, and is told once), then the rules across
editions: one edition per year, entry ids unique in the whole series, `follows` naming an entry of
an earlier edition, theme_map and retrospectives naming themes and years the series has. Paths in
messages are relative to the series folder (`2013/entries/x.yaml:4:7`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compendium.errors import UsageError
from compendium.input import spec
from compendium.input.fields import Fields, suggest
from compendium.input.images import PathProblem, resolve_inside
from compendium.input.load import (
    ENTRIES_DIR,
    PROJECT_FILE,
    At,
    Document,
    RawList,
    RawMap,
    entry_files,
    expand_paths,
    read_yaml,
    relpath,
    skipped_files,
)
from compendium.input.validate import (
    Findings,
    Result,
    check_follows,
    declared_id,
    duplicate_ids,
    partly_checked,
    validate_entry,
)
from compendium.input.validate_edition import EDITION_KEYS, MAX_INTRODUCTION_BYTES, partial_edition, validate_edition
from compendium.model import Edition, Entry, Issue, Retrospective, Series, Source

SERIES_MARK = "editions"  # the key that makes a compendium.yaml a series file
# the keys an edition takes from the series file: the shared ones of the declaration, and each
# format's options block (`pdf: {page_size: Letter}`)
SHARED_KEYS: tuple[str, ...] = tuple(k for k in EDITION_KEYS if k not in spec.PER_EDITION)
SERIES_KEYS: tuple[str, ...] = (*SHARED_KEYS, *(f.key for f in spec.SERIES_OWN))
__all__ = ["SeriesResult", "edition_folder", "edition_result", "edition_settings", "enclosing_series", "is_series",
           "latest_folder", "locate", "validate_series"]


def _raw(path: Path) -> Any:
    """The raw mapping of a compendium.yaml, or None (unreadable files are validation's to report)."""
    if not path.is_file():
        return None
    return read_yaml(path, path.parent).data


def is_series(root: Path) -> bool:
    """Whether `root`'s compendium.yaml is a series file (it lists `editions:`)."""
    data = _raw(root / PROJECT_FILE)
    return isinstance(data, RawMap) and SERIES_MARK in data


def _folder_names(data: RawMap) -> list[str]:
    value = data.get(SERIES_MARK)
    items = value if isinstance(value, list) else []
    return [str(v).strip().strip("/") for v in items if isinstance(v, (str, int)) and not isinstance(v, bool)]


def edition_folders(root: Path) -> list[Path]:
    """The folders the series file at `root` lists under `editions:` that exist (none when `root`
    holds no series), as written: for watching files, before anything is validated."""
    data = _raw(root / PROJECT_FILE)
    if not isinstance(data, RawMap) or SERIES_MARK not in data:
        return []
    return [root / name for name in _folder_names(data) if name and (root / name).is_dir()]


def enclosing_series(folder: Path) -> tuple[Path, str] | None:
    """(series folder, edition folder relative to it) when `folder` is, or is inside, an edition
    folder of a series found above it; None otherwise."""
    folder = folder.resolve()
    for above in folder.parents:
        data = _raw(above / PROJECT_FILE)
        if isinstance(data, RawMap) and SERIES_MARK in data:
            for name in _folder_names(data):
                edition = (above / name).resolve()
                if folder == edition or edition in folder.parents:
                    return above, relpath(edition, above)
    return None


def locate(start: Path) -> tuple[Path, str]:
    """(project root, edition folder or "") for a folder found by walking up from `start` (or given
    as --project): an edition folder of a series leads to the series, and names the edition."""
    found = enclosing_series(start)
    if found is not None:
        return found
    return start.resolve(), ""


@dataclass(frozen=True)
class SeriesResult(Findings):
    """What validating a series found: the series (None when its file has errors), the valid
    entries of each valid edition checked (series.editions order), every issue, the files read."""

    series: Series | None
    entries: tuple[tuple[Entry, ...], ...]
    issues: tuple[Issue, ...]
    files: int

    def books(self) -> list[tuple[Edition, tuple[Entry, ...]]]:
        """Each edition with its entries, oldest first."""
        return list(zip(self.series.editions, self.entries)) if self.series else []


def _tag(value: Any, rel: str) -> None:
    """Give every position inside a series file's value that file's path (load.At), so that an
    edition reading a shared setting reports its problems at the series file."""
    if isinstance(value, RawMap):
        value.pos = At(*value.pos, rel)
        value.key_pos = {k: At(*p, rel) for k, p in value.key_pos.items()}
        value.val_pos = {k: At(*p, rel) for k, p in value.val_pos.items()}
        for item in value.values():
            _tag(item, rel)
    elif isinstance(value, RawList):
        value.pos = At(*value.pos, rel)
        value.item_pos = [At(*p, rel) for p in value.item_pos]
        for item in value:
            _tag(item, rel)


def _shared(series: RawMap, keys: tuple[str, ...], into: RawMap) -> RawMap:
    """`into` with the series' values of `keys` it does not give itself (a blank value given in the
    edition file counts as given: it unsets the shared one)."""
    out = RawMap(into.pos)
    for key in keys:
        if key in series and key not in into:
            out[key] = series[key]
            out.key_pos[key], out.val_pos[key] = series.key_pos[key], series.val_pos[key]
    for key, value in into.items():
        out[key] = value
        out.key_pos[key], out.val_pos[key] = into.key_pos[key], into.val_pos[key]
    return out


@dataclass
class _Edition:
    """One edition folder as read: its files, its year as written, and (when checked) its result."""

    folder: str
    doc: Document
    checked: bool
    docs: list[Document]  # the entry files checked
    others: list[Document]  # the rest, read for their ids only (the rules across editions need them)
    edition: Edition | None = None
    entries: tuple[Entry, ...] = ()

    @property
    def year(self) -> int | None:
        value = self.doc.data.get("edition") if isinstance(self.doc.data, RawMap) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None


def _folders(f: Fields, root: Path) -> list[str]:
    """The edition folders under `editions:` (relative to `root`) that exist and hold a compendium.yaml."""
    items = f.sequence(SERIES_MARK, "series.editions")
    if items is None:
        if SERIES_MARK in f.data and not f.present(SERIES_MARK):
            f.error(f.pos(SERIES_MARK), "series.editions", "'editions' must list at least one edition folder")
        return []
    out: list[str] = []
    for item, pos in zip(items, items.item_pos):
        name = str(item).strip().strip("/") if isinstance(item, (str, int)) and not isinstance(item, bool) else ""
        if not name:
            f.error(pos, "series.editions", "each item of 'editions' is the folder of an edition, such as 2012")
            continue
        try:
            folder = resolve_inside(root, root, f"{name}/{PROJECT_FILE}").parent
        except PathProblem as problem:
            if problem.code == "image.missing" and not (root / name).is_dir():
                here = sorted(p.name for p in root.iterdir() if p.is_dir() and (p / PROJECT_FILE).is_file())
                why = (f"there is no folder '{name}' beside {PROJECT_FILE}"
                       f" (edition folders here: {', '.join(here) or 'none'})")
            else:
                why = "it has no compendium.yaml" if problem.code == "image.missing" else str(problem)
            f.error(pos, "series.editions", f"edition folder '{name}': {why}")
            continue
        if folder == root.resolve():
            f.error(pos, "series.editions", f"'{name}' is the series folder itself; an edition has a folder of its own")
            continue
        rel = relpath(folder, root.resolve())
        if rel in out:
            f.error(pos, "series.editions", f"edition folder '{name}' is listed twice")
            continue
        out.append(rel)
    return out


def _read_editions(root: Path, folders: list[str], wanted: list[str] | None,
                   paths: list[Path] | None) -> list[_Edition]:
    """Read every edition folder; those not `wanted` (years or folders) nor holding one of `paths`
    are read for their ids and year only."""
    chosen = None if paths is None else {p.resolve() for p in expand_paths(paths, root)}
    chosen_files = chosen - {(root / PROJECT_FILE).resolve()} if chosen is not None else None
    out = []
    for folder in folders:
        home = (root / folder).resolve()
        doc = read_yaml(root / folder / PROJECT_FILE, root)
        every = entry_files(root, folder)
        if chosen_files is None:
            picked = [p.resolve() for p in every]
        else:
            picked = sorted(p for p in chosen_files if home in p.parents and p != home / PROJECT_FILE)
        e = _Edition(folder, doc, chosen_files is None or any(home in p.parents for p in chosen_files), [], [])
        if wanted is not None and folder not in wanted and str(e.year) not in wanted:
            e.checked = False
        if e.checked:
            e.docs = [read_yaml(p, root) for p in picked]
        taken = {d.path.resolve() for d in e.docs}
        e.others = [read_yaml(p, root) for p in every if p.resolve() not in taken]
        out.append(e)
    lost = sorted(p for p in chosen_files or () if not any((root / e.folder).resolve() in p.parents for e in out))
    if lost:
        raise UsageError(f"{lost[0]} is not inside an edition folder of the series "
                         f"({', '.join(e.folder for e in out) or 'none'})")
    if wanted is not None:
        known = {e.folder for e in out} | {str(e.year) for e in out if e.year}
        missing = [w for w in wanted if w not in known]
        if missing:
            listed = ", ".join(str(e.year or e.folder) for e in out) or "none"
            raise UsageError(f"{missing[0]} is not an edition of the series ({listed})"
                             f"{suggest(missing[0], sorted(known))}")
    return out


def _years(editions: list[_Edition], issues: list[Issue]) -> None:
    """One edition per year: a year given twice is an error at each later edition's `edition:`."""
    first: dict[int, _Edition] = {}
    for e in sorted(editions, key=lambda e: e.folder):
        if e.year is None:
            continue
        if e.year in first:
            if e.checked:
                line, col = e.doc.data.val_pos.get("edition", e.doc.data.pos)
                issues.append(Issue(Source(e.doc.rel, line, col), "error", "series.year",
                                    f"edition {e.year} is also the year of {first[e.year].doc.rel}; "
                                    "a series has one edition per year"))
        else:
            first[e.year] = e


def _settings(doc: Document, root: Path, year: int) -> tuple[Edition | None, list[Issue]]:
    """The series file's shared settings, validated as an edition's are (its year: the latest)."""
    shared = _shared(doc.data, SHARED_KEYS, RawMap(doc.data.pos))
    shared["edition"] = year
    shared.key_pos["edition"] = shared.val_pos["edition"] = doc.data.pos
    return validate_edition(Document(doc.path, doc.rel, shared), root)


def _theme_map(f: Fields, settings: Edition | None, editions: list[_Edition]) -> tuple[tuple[str, str], ...]:
    mapping = f.mapping("theme_map", "series.theme-map")
    if mapping is None:
        return ()
    ids = [t.id for t in settings.themes] if settings else []
    old = {t.id for e in editions if e.edition for t in e.edition.themes}
    out = []
    for key, value in mapping.items():
        if not isinstance(value, str) or (settings is not None and value.strip() not in ids):
            f.error(mapping.val_pos[key], "series.theme-map",
                    f"theme_map: '{value}' is not a theme of the series (its `themes`: {', '.join(ids)})"
                    f"{suggest(str(value), ids)}")
            continue
        if all(e.edition for e in editions) and str(key) not in old:
            # an error, not a warning: a misspelt old id would silently leave its winners in a category
            # of their own across the years
            f.error(mapping.key_pos[key], "series.theme-map",
                    f"theme_map: '{key}' is not a theme of any edition{suggest(str(key), sorted(old))}")
            continue
        out.append((str(key), value.strip()))
    return tuple(out)


def _span(r: Fields, years: tuple[int, ...], folders: dict[str, int]) -> tuple[int, ...]:
    """The years a retrospective covers: `years` (a range keeps the years the series has editions
    of; a year or list must name editions), `editions` (folders or years), else every edition."""
    listed = ", ".join(map(str, years))
    if r.present("years") and r.present("editions"):
        r.error(r.pos("editions"), "series.retrospectives", "give 'years' or 'editions', not both")
        return ()
    if r.present("editions"):
        items = r.sequence("editions", "series.retrospectives") or []
        span = []
        for name, at in zip(items, getattr(items, "item_pos", ())):
            name = str(name).strip().strip("/")
            year = folders.get(name) or (int(name) if name.isdigit() and int(name) in years else None)
            if year is None:
                r.error(at, "series.retrospectives", f"'{name}' is not an edition of the series ({listed})"
                                                     f"{suggest(name, [*folders, *map(str, years)])}")
            else:
                span.append(year)
        return tuple(sorted(set(span)))
    span = r.read(spec.RETROSPECTIVE.sub("years"))
    if span is None:
        return () if r.present("years") else years
    if isinstance(r.data["years"], str):  # a range: the editions the series has in it
        kept = tuple(y for y in span if y in years)
        if not kept:
            r.error(r.pos("years"), "series.retrospectives", f"no edition of the series ({listed}) is in "
                                                             f"{span[0]}-{span[-1]}")
        return kept
    missing = [y for y in span if y not in years]
    if missing:
        r.error(r.pos("years"), "series.retrospectives", f"{missing[0]} is not the year of an edition of the "
                                                         f"series ({listed})")
        return ()
    return span


def _retrospectives(f: Fields, root: Path, years: tuple[int, ...], folders: dict[str, int],
                    taken: set[str]) -> tuple[Retrospective, ...]:
    """The `retrospectives:` of the series: each a book across some of its editions. `taken`: the
    file names of the editions' books, which a retrospective's id may not repeat."""
    declared = spec.RETROSPECTIVE
    items = f.sequence("retrospectives", "series.retrospectives")
    out: list[Retrospective] = []
    for index, (item, pos) in enumerate(zip(items or (), getattr(items, "item_pos", ()))):
        if not isinstance(item, RawMap):
            f.error(pos, "series.retrospectives", f"item {index + 1} of 'retrospectives' must be a mapping with 'id' "
                                                  "and 'title'")
            continue
        r = f.child("retrospectives", item, prefix=f"retrospectives[{index}].")
        r.check_keys([x.key for x in declared.fields], [x.key for x in declared.fields if x.required],
                     "series.retrospectives", suffixed=False)
        values = {x.key: r.read(x) for x in declared.fields if x.key in ("id", "title", "subtitle", "group_by", "isbn",
                                                                          "date", "editors")}
        span = _span(r, years, folders)
        introduction = _retro_introduction(r, root)
        cover = r.image("cover", root, root, alt="Cover") if r.present("cover") else None
        rid = values["id"]
        if rid is not None and rid in taken:
            r.error(r.pos("id"), "series.retrospectives", f"id '{rid}' is already the name of another book's files")
            continue
        if rid is None or values["title"] is None or not span:
            continue
        taken.add(rid)
        out.append(Retrospective(rid, values["title"], span, Source(f.rel, pos[0], pos[1]),
                                 values["group_by"] or ("theme", "year"), values["subtitle"] or "", introduction,
                                 values["isbn"] or "", values["date"], cover, values["editors"] or ()))
    return tuple(out)


def _retro_introduction(r: Fields, root: Path) -> str:
    value = r.line("introduction", "series.retrospectives")
    if value is None:
        return ""
    try:
        path = resolve_inside(root, root, value, folder="")
        raw = path.read_bytes()[: MAX_INTRODUCTION_BYTES + 1]
        if len(raw) > MAX_INTRODUCTION_BYTES or b"\x00" in raw:
            raise ValueError
        return raw.decode("utf-8-sig")
    except PathProblem as problem:
        r.error(r.pos("introduction"), "series.retrospectives", str(problem).replace("image", "file"))
    except (OSError, ValueError):
        r.error(r.pos("introduction"), "series.retrospectives", f"'{value}' must be a UTF-8 Markdown text under 1 MB")
    return ""


def validate_series(root: Path, editions: list[str] | None = None, paths: list[Path] | None = None) -> SeriesResult:
    """Validate the series at `root`: its file, every edition (or only those `editions`, by year or
    folder, or those holding `paths`), and the rules across editions. Never raises for bad content;
    raises UsageError for an edition or path that is not part of the series."""
    root = root.resolve()
    doc = read_yaml(root / PROJECT_FILE, root)
    issues: list[Issue] = list(doc.issues)
    if not isinstance(doc.data, RawMap):
        if doc.data is not None or not issues:
            issues.append(Issue(Source(doc.rel, 1, 1), "error", "edition.not-mapping",
                                "compendium.yaml must be a list of 'key: value' lines (editions: ..., themes: ...)"))
        return SeriesResult(None, (), tuple(issues), 1)
    f = Fields(doc.rel, doc.data, "", issues)
    f.check_keys((*SERIES_KEYS, *spec.PER_EDITION), (SERIES_MARK,), "series", aliases=spec.aliases(spec.SERIES))
    for key in spec.PER_EDITION:
        if key in doc.data:
            f.error(doc.data.key_pos[key], "series.per-edition",
                    f"'{key}' belongs to one book: give it in each edition's compendium.yaml (or a retrospective's)")
    folders = _folders(f, root)
    _tag(doc.data, doc.rel)
    read = _read_editions(root, folders, editions, paths)
    _years(read, issues)
    years_written = [e.year for e in read if e.year]
    settings, found = _settings(doc, root, max(years_written, default=2000))
    issues += found
    notes: list[Issue] = []  # what the entries of a broken edition were not checked for: last
    for e in read:
        merged = Document(e.doc.path, e.doc.rel, _shared(doc.data, SHARED_KEYS, e.doc.data)
                          if isinstance(e.doc.data, RawMap) else e.doc.data, e.doc.issues)
        if not e.checked:
            e.edition, _ = validate_edition(merged, root, e.folder)
            continue
        e.edition, found = validate_edition(merged, root, e.folder)
        issues += found
        if e.edition is None:  # its entries checked for all that does not depend on the broken parts
            if e.docs:
                partial, unknown = partial_edition(merged, root, e.folder)
                issues += [i for d in e.docs for i in validate_entry(d, partial, unknown)[1]]
                own = any(i.severity == "error" and i.source.path == e.doc.rel for i in found)
                notes.append(Issue(Source(e.doc.rel if own else doc.rel), "note", "edition.entries-partly-checked",
                                   partly_checked(unknown, not isinstance(merged.data, RawMap))))
            continue
        entries = []
        for d in e.docs:
            entry, found = validate_entry(d, e.edition)
            issues += found
            if entry is not None:
                entries.append(entry)
        e.entries = tuple(entries)
        if paths is None:
            issues += skipped_files(root, e.folder)
            if not e.docs:  # as for a project of one edition (validate.py), with the edition named
                issues.append(Issue(Source(f"{e.folder}/{ENTRIES_DIR}/"), "note", "entry.none",
                                    f"edition {e.year or e.folder} has no entries yet: its books will be empty; make "
                                    f"one with 'compendium new-entry --edition {e.year or e.folder} --title ... "
                                    "--country ... --category ...'"))
    everything = [d for e in read for d in (*e.docs, *e.others)]
    mine = {d.rel for e in read if e.checked for d in e.docs}
    issues += [i for i in duplicate_ids(everything) if i.source.path in mine]
    known: dict[str, int] = {}
    for e in read:
        for d in (*e.docs, *e.others):
            entry_id = declared_id(d)
            if entry_id and e.year:
                known.setdefault(entry_id, e.year)
    issues += check_follows((x for e in read if e.checked for x in e.entries), known)
    theme_map = _theme_map(f, settings, read)
    by_folder = {e.folder: e.year for e in read if e.year}
    taken = {e.edition.file_stem for e in read if e.edition}
    retrospectives = _retrospectives(f, root, tuple(sorted(set(years_written))), by_folder, taken)
    issues = list(dict.fromkeys(issues))  # a shared setting's problem is met by every edition: once
    issues.sort(key=lambda i: (i.source.path != doc.rel, i.source))
    issues += {(n.source, n.code): n for n in reversed(notes)}.values()  # one per file: the first edition's
    files = 1 + sum(1 + len(e.docs) for e in read if e.checked)
    series_ok = settings is not None and not any(i.severity == "error" and i.source.path == doc.rel for i in issues)
    valid = sorted((e for e in read if e.checked and e.edition is not None), key=lambda e: e.edition.edition)
    series = Series(root, Source(doc.rel, 1, 1), settings, tuple(e.edition for e in valid), theme_map,
                    retrospectives) if series_ok else None
    return SeriesResult(series, tuple(e.entries for e in valid) if series else (), tuple(issues), files)


def edition_result(root: Path, folder: str, paths: list[Path] | None = None) -> Result:
    """One edition of the series at `root` (its `folder`) validated as a project of its own would be,
    with the series' settings and rules across editions; paths relative to the series folder."""
    result = validate_series(root, [folder], paths)
    editions = result.series.editions if result.series else ()
    edition = editions[0] if editions and editions[0].folder == folder else None
    errors = any(i.severity == "error" for i in result.issues)
    return Result(None if errors else edition, result.entries[0] if edition and not errors else (),
                  result.issues, result.files)


def edition_folder(root: Path, wanted: str) -> str:
    """The folder of the edition `wanted` (its year, or its folder) of the series at `root`.

    Raises UsageError naming the editions when there is none."""
    data = _raw(root / PROJECT_FILE)
    found: dict[str, str] = {}
    for name in _folder_names(data) if isinstance(data, RawMap) else ():
        raw = _raw(root / name / PROJECT_FILE)
        year = raw.get("edition") if isinstance(raw, RawMap) else None
        found[name] = str(year) if isinstance(year, int) and not isinstance(year, bool) else ""
    wanted = str(wanted).strip().strip("/")
    for name, year in found.items():
        if wanted in (name, year):
            return name
    listed = ", ".join(year or name for name, year in found.items()) or "none"
    raise UsageError(f"{wanted} is not an edition of the series ({listed})"
                     f"{suggest(wanted, [*found, *filter(None, found.values())])}")


def latest_folder(root: Path) -> str:
    """The folder of the series' latest edition (the highest `edition:` year; the last listed when
    no year can be read). Raises UsageError when the series lists none."""
    data = _raw(root / PROJECT_FILE)
    names = _folder_names(data) if isinstance(data, RawMap) else []
    if not names:
        raise UsageError(f"the series in {root} lists no edition folder under 'editions:'")

    def year(name: str) -> int:
        raw = _raw(root / name / PROJECT_FILE)
        value = raw.get("edition") if isinstance(raw, RawMap) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else 0
    return max(reversed(names), key=year)


def edition_settings(root: Path, folder: str) -> tuple[Edition | None, list[Issue]]:
    """One edition of the series with the shared settings, its entries unread (new-entry, schema)."""
    result = validate_series(root, [folder], [root / folder / PROJECT_FILE])
    mine = [i for i in result.issues if i.source.path in (PROJECT_FILE, f"{folder}/{PROJECT_FILE}")]
    editions = result.series.editions if result.series else ()
    errors = any(i.severity == "error" for i in mine)
    return (editions[0] if editions and not errors else None), mine
