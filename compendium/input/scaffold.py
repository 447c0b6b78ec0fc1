"""Scaffold: write a new project (`init`) or a new commented entry file (`new-entry`), never over a file."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from compendium.book.slug import is_slug, slugify
from compendium.errors import InvalidInput, UsageError
from compendium.input import countries
from compendium.input import spec as declaration
from compendium.input.fields import suggest, valid_language
from compendium.input.load import ENTRIES_DIR, PROJECT_FILE
from compendium.input.vocabularies import meaning, places
from compendium.model import PLACES, Edition, FieldSpec, Theme

UNPSA_THEMES = """\
themes:
  - id: service-delivery
    name: Improving the Delivery of Public Services
  - id: preventing-corruption
    name: Preventing and Combating Corruption in the Public Service
  - id: participation
    name: Fostering Participation in Policy-Making Decisions through Innovative Mechanisms
  - id: knowledge-management
    name: Advancing Knowledge Management in Government
  - id: gender-responsive
    name: Promoting Gender Responsive Delivery of Public Services
"""

EDITION_HEAD = """\
# The edition file: one per compendium project. See README.md for every key.
title: {title}
subtitle: {subtitle}
edition: {year}
language: en
# publisher: United Nations Department of Economic and Social Affairs
# isbn: 978-92-1-123194-6
# license: CC BY 4.0
# editors: [Jane Doe]
# date: {year}-06-23
introduction: introduction.md
# cover: cover.png
group_by: [theme, region]
"""

SDG_FORM = """\
# The entry form of UN DESA's call for SDG good practices: seven sections, the SDGs addressed
# (an index in the books, a filter on the site) and two fields of the programme's own.
sections:
  - {id: objective, title: Objective of the practice}
  - {id: stakeholders, title: Key stakeholders and partners}
  - {id: implementation, title: Implementation and methodology}
  - {id: results, title: "Results, outputs and impacts"}
  - {id: enabling-factors, title: Enabling factors and constraints}
  - {id: sustainability, title: Sustainability and replicability}
  - {id: conclusions, title: Conclusions and lessons learned}
fields:
  - id: sdgs
    type: list
    vocabulary: sdgs
    title: {en: Sustainable Development Goals, fr: Objectifs de développement durable}
    required: true
    index: true
  - id: period
    type: text
    title: Implementation period
  - id: budget
    type: number
    title: Budget (USD)
"""

MINIMAL_FORM = """\
# A short entry form: one section. Add sections and fields as the programme needs (README.md).
sections:
  - {id: description, title: Description}
"""


@dataclass(frozen=True)
class Preset:
    """A starting form for `compendium init --preset NAME`."""

    name: str
    summary: str
    subtitle: str
    themes: str
    form: str
    theme: str  # the example entry's category


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("unpsa", "the UN Public Service Awards: problem, solution, impact, lessons learned",
           "Compendium of Innovative Practices in Public Governance and Administration", UNPSA_THEMES,
           "# regions default to the five UNPSA regions; country_regions overrides a country's default.\n",
           "service-delivery"),
    Preset("sdg-good-practices", "UN DESA's SDG good practices: seven sections, the SDGs addressed, budget and period",
           "Good Practices, Success Stories and Lessons Learned in SDG Implementation",
           "themes:\n" + "".join(f"  - id: {k}\n    name: {v}\n" for k, v in (
               ("people", "People"), ("planet", "Planet"), ("prosperity", "Prosperity"), ("peace", "Peace"),
               ("partnership", "Partnership"))), SDG_FORM, "people"),
    Preset("minimal", "one theme and one section, to grow from", "", "themes:\n  - id: general\n    name: General\n",
           MINIMAL_FORM, "general"),
)}

INTRODUCTION = """\
This compendium presents the winners of the {year} awards: public institutions whose
initiatives made public services more effective, accountable and inclusive.
"""

# What each built-in section asks for, as the new-entry template's prompt.
SECTION_PROMPTS = {
    "problem": "The situation before the initiative: who was affected, and how badly?",
    "solution": "What was done, by whom, with which tools and partners?",
    "impact": "What changed, with figures where possible?",
    "lessons": "What would others need to know to do the same?",
}


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
    return {"text": "To fill in", "markdown": "To fill in.", "number": 0, "url": "https://example.org",
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
                prompt = SECTION_PROMPTS.get(section.id) or f"{edition.section_title(section.id)}."
                prompt += f" (Markdown, at most {section.words} words)"
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


def init_project(folder: Path, title: str = "Public Service Awards", year: int = 2012,
                 preset: str = "unpsa") -> list[Path]:
    """Create a new project in `folder` with an edition file (the entry form of `preset`, see
    PRESETS), an introduction and one valid example entry; writes nothing if any of them exists.

    Raises UsageError (a file in the way, an unknown preset) or InvalidInput (a title the
    validator refuses).
    """
    if preset not in PRESETS:
        raise UsageError(f"preset '{preset}' is not one of {', '.join(PRESETS)}{suggest(preset, PRESETS)}")
    chosen = PRESETS[preset]
    title = _one_line("title", title)
    theme = chosen.theme
    rel = f"{ENTRIES_DIR}/{theme}/example.yaml"
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"cannot make a project in {folder}: it is a file, not a folder")
    for name in (PROJECT_FILE, "introduction.md", rel):  # all or nothing: check before writing
        if (folder / name).exists():
            raise UsageError(f"{folder / name} already exists; not touching it")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the folder {folder}: {exc.strerror or exc}") from None
    head = EDITION_HEAD.format(title=_q(title), year=year, subtitle=_q(chosen.subtitle) if chosen.subtitle else "")
    if not chosen.subtitle:
        head = head.replace("subtitle: \n", "")
    written = [
        _write_new(folder / PROJECT_FILE, head + chosen.themes + chosen.form),
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
    text = entry_template(edition, values, rel)
    _check_valid(edition, folder / rel, rel, text)
    written.append(_write_new(folder / rel, text))
    return written


@dataclass(frozen=True)
class NewEntry:
    title: str
    country: str
    category: str
    institution: str = "Name of the institution"
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


def _theme(edition: Edition, category: str) -> Theme:
    """The theme named by its id or its name, ignoring case and surrounding spaces."""
    wanted = category.strip().casefold()
    for theme in edition.themes:
        if wanted in (theme.id.casefold(), theme.name.casefold()):
            return theme
    ids = [t.id for t in edition.themes]
    hint = suggest(category, ids)
    raise UsageError(f"category '{category}' is not a theme of the edition"
                          f"{hint}{' (' if hint else '; '}choose one of: {', '.join(ids)}{')' if hint else ''}")


def new_entry(edition: Edition, spec: NewEntry) -> Path:
    """Write a commented entry template under entries/<category>/, refusing to overwrite."""
    title = _one_line("title", spec.title)
    institution = _one_line("institution", spec.institution)
    if not spec.country.strip():
        raise UsageError("the country must not be empty: give an ISO 3166 code (KE, KEN) or an English name (Kenya)")
    country = countries.lookup(spec.country.strip(), edition.countries)
    if country is None:
        raise UsageError(f"country '{spec.country}' is not a known ISO code or UN country name"
                              f"{suggest(spec.country, countries.names_and_codes())}")
    theme = _theme(edition, spec.category)
    place = spec.place.strip().lower()
    if place not in PLACES:
        meant = meaning(places(), spec.place)
        hint = f"; did you mean '{meant.id}'?" if meant else suggest(spec.place, PLACES)
        raise UsageError(f"place '{spec.place}' is not one of {', '.join(PLACES)}{hint}")
    language = spec.language.strip()
    if language and not valid_language(language):
        raise UsageError(f"language '{spec.language}' is not a BCP 47 language tag such as 'en', 'fr' or 'zh-Hans'")
    if spec.id and not is_slug(spec.id):
        raise UsageError(f"id '{spec.id}' must be a lowercase slug such as '2012-bh-zajel' (a-z, 0-9, hyphens)")
    # a title in a non-Latin script has no ASCII slug: a short digest keeps file names apart
    title_slug = slugify(title, 40) or "entry-" + hashlib.sha1(title.encode()).hexdigest()[:6]
    entry_id = spec.id or f"{edition.edition}-{country.alpha2.lower()}-{title_slug}"
    rel = f"{ENTRIES_DIR}/{theme.id}/{country.alpha2.lower()}-{title_slug}.yaml"
    values = {"id": entry_id, "year": edition.edition, "title": title, "country": country.alpha2,
              "institution": institution, "category": theme.id, "place": place}
    if language:
        values["language"] = language
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
