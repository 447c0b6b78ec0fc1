"""Scaffold: write a new project (`init`) or a new commented entry file (`new-entry`), never over a file."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from compendium.book.slug import is_slug, readable_slug
from compendium.errors import InvalidInput, UsageError
from compendium.input import countries
from compendium.input import spec as declaration
from compendium.input.fields import language_code, slug_hint, suggest, valid_language
from compendium.input.load import ENTRIES_DIR, PROJECT_FILE
from compendium.input.presets import PRESETS, Preset, edition_file

__all__ = ["PRESETS", "Preset", "init_project", "new_entry", "NewEntry", "entry_template", "default_year"]
from compendium.input.vocabularies import meaning, places
from compendium.model import PLACES, Edition, FieldSpec, Theme


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _yaml(value: object) -> str:
    """A value as flow YAML (JSON is valid YAML; keys and words left bare where that is safe)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if (isinstance(value, str) and re.fullmatch(r"\w[\w .@/-]*", value) and not re.fullmatch(r"[\d.]+|[\d-]+", value)
            and value.lower() not in ("null", "true", "false")):
        return value
    return _q(str(value)) if isinstance(value, str) else str(value)


def _block(key: str, text: str, indent: str) -> str:
    body = "".join(f"{indent}  {line}\n" for line in text.rstrip("\n").split("\n"))
    return f"{indent}{key}: |\n{body}"


def _extra_example(edition: Edition, x: FieldSpec) -> object:
    vocabulary = edition.vocabulary(x.vocabulary) if x.vocabulary else None
    first = vocabulary.terms[0].id if vocabulary and vocabulary.terms else "term"
    term = int(first) if first.isdigit() else first
    return {"text": declaration.TO_FILL_IN[0], "markdown": declaration.TO_FILL_IN[1], "number": 0, "url": "https://example.org",
            "date": f"{edition.edition}-01-01", "choice": term,
            "list": [term] if vocabulary else ["To fill in"]}[x.type]


def _extra_note(edition: Edition, x: FieldSpec) -> str:
    vocabulary = edition.vocabulary(x.vocabulary) if x.vocabulary else None
    what = x.title(edition.language)
    if vocabulary:
        terms = ", ".join(f"{t.id} {t.title(edition.language)}" for t in vocabulary.terms[:6])
        more = ", ..." if len(vocabulary.terms) > 6 else ""
        what += f": {'one' if x.type == 'choice' else 'a list'} of {terms}{more}"
    return what + ("" if x.required else " (optional)")


def entry_template(edition: Edition, values: dict[str, str], path: str) -> str:
    """The commented entry file `new-entry` and `init` write: every key of the edition's entry
    form (spec.entry_form) in its order, required ones filled with `values` or an example,
    optional ones commented out; each with the declaration's note."""
    lines = [f"# One winning initiative. Check it with: compendium validate {path}\n"]
    for field in declaration.entry_form(edition):
        key = field.key
        extra = edition.field(key)
        note = field.note
        if key == "category":
            note = "a theme id of the edition: " + ", ".join(t.id for t in edition.themes)
        if extra is not None:
            note = _extra_note(edition, extra)
        if key == "sections":
            lines.append("sections:\n")
            for section in edition.sections:
                prompt = declaration.section_prompt(section.id, edition.section_title(section.id), section.words)
                block = _block(section.id, prompt, "  ")
                lines.append(block if section.required else "".join(f"  # {ln[2:]}\n" for ln in block.splitlines()))
            continue
        given = values.get(key)
        required = field.required or key == "id"
        example = given if given is not None else (_extra_example(edition, extra) if extra else field.example)
        if example is None:
            example = {"region": edition.regions[0], "language": "fr", "translated_title": "The title in the book's language"}.get(key, "")
        if field.kind == "markdown" or (extra is not None and extra.type == "markdown"):
            text = _block(key, str(example), "")
        elif isinstance(example, list) and example and isinstance(example[0], dict):  # images: one key a line
            text = f"{key}:\n" + "".join(
                "".join(f"{'  - ' if n == 0 else '    '}{k}: {_yaml(v)}\n" for n, (k, v) in enumerate(item.items()))
                for item in example)
        else:
            shown = _q(example) if field.kind == "line" and isinstance(example, str) else _yaml(example)
            text = f"{key}: {shown}"
            if note:
                text = f"{text:<29} # {note}"
            text += "\n"
        lines.append(text if given is not None or (required and example != "") else "".join(f"# {ln}\n" for ln in text.splitlines()))
    return "".join(lines)


INTRODUCTION = """\
This compendium presents the winners of the {year} awards: public institutions whose
initiatives made public services more effective, accountable and inclusive.
"""
EXAMPLE = "_example.yaml"  # a draft: its name starts with '_', so validate and build skip it


def default_year() -> int:
    """The year `init` gives a new edition: SOURCE_DATE_EPOCH's when it is set (a scripted,
    reproducible set-up), else this year's."""
    import datetime as dt
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).year
    return dt.date.today().year


def init_project(folder: Path, title: str | None = None, year: int | None = None,
                 preset: str = "unpsa") -> list[Path]:
    """Create a new project in `folder`: an edition file (the entry form of `preset`, see
    PRESETS; every key explained in a comment), an introduction, a .gitignore and an example
    entry written as a draft (entries/<theme>/_example.yaml: skipped by validate and build until
    renamed). Writes nothing if any of them exists. `title` defaults to the preset's, `year` to
    default_year(). Returns the paths written.

    Raises UsageError (a file in the way, an unknown preset) or InvalidInput (a title the
    validator refuses).
    """
    if preset not in PRESETS:
        raise UsageError(f"preset '{preset}' is not one of {', '.join(PRESETS)}{suggest(preset, PRESETS)}")
    chosen = PRESETS[preset]
    title = _one_line("title", chosen.title if title is None else title)
    year = default_year() if year is None else year
    theme = chosen.theme
    rel = f"{ENTRIES_DIR}/{theme}/{EXAMPLE}"
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"cannot make a project in {folder}: it is a file, not a folder")
    for name in (PROJECT_FILE, "introduction.md", rel):  # all or nothing: check before writing
        if (folder / name).exists():
            raise UsageError(f"{folder / name} already exists; not touching it")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the folder {folder}: {exc.strerror or exc}") from None
    written = [
        _write_new(folder / PROJECT_FILE, edition_file(title, year, preset)),
        _write_new(folder / "introduction.md", INTRODUCTION.format(year=year)),
    ]
    if not (folder / ".gitignore").exists():  # an existing one (a git checkout) is left alone
        written.append(_write_new(folder / ".gitignore", "output/\n.compendium-cache/\n"))
    from compendium.input.load import read_yaml
    from compendium.input.validate_edition import validate_edition

    edition, issues = validate_edition(read_yaml(folder / PROJECT_FILE, folder.resolve()), folder.resolve())
    if edition is None:
        raise InvalidInput("the new compendium.yaml would not validate", tuple(issues))
    values = {"id": f"{year}-xx-example", "year": year, "title": "Example: one-stop service centres", "country": "KE",
              "institution": "Ministry of Public Service", "category": theme, "place": "1st"}
    head = ("# An example entry, as a draft: its name starts with '_', so validate and build skip it.\n"
            "# Copy it to a name of your own (ke-huduma-centres.yaml) and fill it in, or make each entry\n"
            "# with: compendium new-entry --title ... --country ... --category ...\n")
    text = head + entry_template(edition, values, rel)
    _check_valid(edition, folder / rel, rel, text)
    written.append(_write_new(folder / rel, text))
    return written


@dataclass(frozen=True)
class NewEntry:
    title: str
    country: str
    category: str
    institution: str = declaration.NEW_ENTRY_INSTITUTION
    place: str = "winner"
    language: str = ""
    id: str = ""


def _one_line(name: str, value: str) -> str:
    """A title or institution as the validator will accept it: one line of text, not empty."""
    value = value.strip()
    if not value:
        raise UsageError(f"the {name} must not be empty")
    if any(c in value for c in "\r\n\x85\u2028\u2029"):
        raise UsageError(f"the {name} must be a single line of text")
    return value


class BadValues(UsageError):
    """new-entry's options have problems: `problems` lists every one (one line each)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)

    def __reduce__(self):
        return (self.__class__, (self.problems,))


def _theme(edition: Edition, category: str) -> Theme | str:
    """The theme named by its id or its name, ignoring case and surrounding spaces; else the problem."""
    wanted = " ".join(category.split()).casefold()
    for theme in edition.themes:
        if wanted in (theme.id.casefold(), " ".join(theme.name.split()).casefold()):
            return theme
    ids = [t.id for t in edition.themes]
    hint = suggest(category, ids)
    return (f"--category '{category}' is not a theme of the edition"
            f"{hint}{' (' if hint else '; '}choose one of: {', '.join(ids)}{')' if hint else ''}")


def _checked(edition: Edition, spec: NewEntry) -> tuple[dict[str, str], list[str]]:
    """new-entry's values as the entry will hold them, and every problem with them (all at once)."""
    problems: list[str] = []
    values: dict[str, str] = {}
    for name in ("title", "institution"):
        try:
            values[name] = _one_line(name, getattr(spec, name))
        except UsageError as exc:
            problems.append(f"--{name}: {exc}")
    country = countries.lookup(spec.country.strip(), edition.countries) if spec.country.strip() else None
    if not spec.country.strip():
        problems.append("--country must not be empty: give an ISO 3166 code (KE, KEN) or an English name (Kenya)")
    elif country is None:
        problems.append("--country: " + countries.unknown_message(spec.country.strip(), edition.countries,
                                                                   edition.regions))
    else:
        values["country"] = country.alpha2
    theme = _theme(edition, spec.category)
    if isinstance(theme, str):
        problems.append(theme)
    else:
        values["category"] = theme.id
    place = spec.place.strip().lower()
    if place not in PLACES:
        meant = meaning(places(), spec.place)
        hint = f"; did you mean '{meant.id}'?" if meant else suggest(spec.place, PLACES)
        problems.append(f"--place '{spec.place}' is not one of {', '.join(PLACES)}{hint}")
    values["place"] = place
    language = spec.language.strip()
    if language and not valid_language(language):
        meant_language = language_code(language)
        hint = f"; did you mean '{meant_language}'?" if meant_language else ""
        problems.append(f"--language '{spec.language}' is not a language code such as 'en', 'fr' or 'zh-Hans' "
                        f"(a BCP 47 tag){hint}")
    elif language:
        values["language"] = language
    if spec.id and not is_slug(spec.id):
        problems.append(f"--id '{spec.id}' becomes a web address: it must be lowercase letters a-z, digits and "
                        f"hyphens{slug_hint(spec.id, '2012-bh-zajel')}")
    return values, problems


def new_entry(edition: Edition, spec: NewEntry) -> Path:
    """Write a commented entry template under entries/<theme id>/<country code>-<title slug>.yaml.

    The title slug is transliterated to ASCII (book.slug.readable_slug: 'Ҳудума' → 'huduma'), as
    the id becomes the entry's web address. Returns the path written. Raises BadValues with every
    problem of the options at once, UsageError when the file exists (never overwritten).
    """
    values, problems = _checked(edition, spec)
    if problems:
        raise BadValues(problems)
    title_slug = readable_slug(values["title"], 40)
    if not title_slug:  # a title of emoji or symbols only: a short digest keeps file names apart
        title_slug = "entry-" + hashlib.sha1(values["title"].encode()).hexdigest()[:6]
    code = values["country"].lower()
    entry_id = spec.id or f"{edition.edition}-{code}-{title_slug}"
    # in a series, inside the edition's folder (Edition.folder); paths are relative to the project
    rel = "/".join(filter(None, (edition.folder, ENTRIES_DIR, values["category"], f"{code}-{title_slug}.yaml")))
    values = {"id": entry_id, "year": edition.edition, **values}
    text = entry_template(edition, values, rel)
    _check_valid(edition, edition.root / rel, rel, text)
    return _write_new(edition.root / rel, text)


def _check_valid(edition: Edition, path: Path, rel: str, text: str) -> None:
    """The template must pass the validator itself: the options' checks above give friendlier
    messages, this makes sure a new entry never starts out invalid if the two ever drift apart."""
    from compendium.input.load import Document, parse_yaml
    from compendium.input.validate import validate_entry

    doc = Document(path, rel)
    doc.data = parse_yaml(text, rel, doc.issues)
    _, issues = validate_entry(doc, edition)
    errors = tuple(i for i in issues if i.severity == "error")
    if errors:
        raise InvalidInput(f"the new entry would not validate: {errors[0].message}", errors)


def _write_new(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where a folder should be, or no permission
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        why = f"{blocker} is a file, not a folder" if blocker else exc.strerror or str(exc)
        raise UsageError(f"cannot write {path}: {why}") from None
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise UsageError(f"{path} already exists; not overwriting it") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
