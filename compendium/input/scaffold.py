"""Scaffold: write a new project (`init`) or a new commented entry file (`new-entry`), never over a file."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from compendium.book.slug import is_slug, slugify
from compendium.errors import InvalidInput, UsageError
from compendium.input import countries
from compendium.input.fields import BCP47_RE, suggest
from compendium.input.load import ENTRIES_DIR, PROJECT_FILE
from compendium.model import PLACES, Edition, Theme

EDITION_TEMPLATE = """\
# The edition file: one per compendium project. See README.md for every key.
title: {title}
subtitle: Compendium of Innovative Practices in Public Governance and Administration
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
# regions default to the five UNPSA regions; country_regions overrides a country's default.
"""

INTRODUCTION = """\
This compendium presents the winners of the {year} awards: public institutions whose
initiatives made public services more effective, accountable and inclusive.
Each entry describes the problem, the solution, its impact and the lessons learned.
"""

ENTRY_TEMPLATE = """\
# One winning initiative. Check it with: compendium validate {path}
id: {id}
year: {year}
title: {title}
country: {country}            # ISO 3166 alpha-2/alpha-3 code or English short name
# region: Africa              # optional: defaults to the country's region
institution: {institution}
category: {category}          # a theme id of the edition: {themes}
place: {place}                # 1st | 2nd | 3rd | winner | finalist | special
{language}summary: |
  In two or three sentences (150 words at most): what the initiative does, for whom,
  and what changed. Markdown is allowed: **bold**, *italic*, [links](https://example.org).
sections:
  problem: |
    The situation before the initiative: who was affected, and how badly?
  solution: |
    What was done, by whom, with which tools and partners?
  impact: |
    What changed, with figures where possible?
  lessons: |
    What would others need to know to do the same?
# partners: [Ministry of Finance, UNDP]
# website: https://example.gov
# contact: {{name: Jane Doe, email: jane.doe@example.gov, public: false}}
# images:
#   - file: images/photo.jpg   # PNG or JPEG, at least 600 px wide, relative to this file
#     alt: What the picture shows, for readers who cannot see it
#     caption: A short caption
#     credit: Photo credit
# keywords: [e-government, transparency]
"""


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def init_project(folder: Path, title: str = "Public Service Awards", year: int = 2012) -> list[Path]:
    """Create a new project in `folder` with an edition file and one valid example entry."""
    rel = "entries/service-delivery/example.yaml"
    title = _one_line("title", title)
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
        _write_new(folder / PROJECT_FILE, EDITION_TEMPLATE.format(title=_q(title), year=year)),
        _write_new(folder / "introduction.md", INTRODUCTION.format(year=year)),
    ]
    if not (folder / ".gitignore").exists():  # an existing one (a git checkout) is left alone
        written.append(_write_new(folder / ".gitignore", "output/\n.compendium-cache/\n"))
    written.append(_write_new(folder / rel, ENTRY_TEMPLATE.format(
        path=rel, id=f"{year}-xx-example", year=year, title=_q("Example: one-stop service centres"),
        country="KE", institution=_q("Ministry of Public Service"), category="service-delivery",
        themes="service-delivery, ...", place="1st", language="")))
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
    country = countries.lookup(spec.country.strip())
    if country is None:
        raise UsageError(f"country '{spec.country}' is not a known ISO code or UN country name"
                              f"{suggest(spec.country, countries.names_and_codes())}")
    theme = _theme(edition, spec.category)
    place = spec.place.strip().lower()
    if place not in PLACES:
        raise UsageError(f"place '{spec.place}' is not one of {', '.join(PLACES)}{suggest(spec.place, PLACES)}")
    language = spec.language.strip()
    if language and not BCP47_RE.match(language):
        raise UsageError(f"language '{spec.language}' is not a BCP 47 language tag such as 'en', 'fr' or 'zh-Hans'")
    if spec.id and not is_slug(spec.id):
        raise UsageError(f"id '{spec.id}' must be a lowercase slug such as '2012-bh-zajel' (a-z, 0-9, hyphens)")
    # a title in a non-Latin script has no ASCII slug: a short digest keeps file names apart
    title_slug = slugify(title, 40) or "entry-" + hashlib.sha1(title.encode()).hexdigest()[:6]
    entry_id = spec.id or f"{edition.edition}-{country.alpha2.lower()}-{title_slug}"
    rel = f"{ENTRIES_DIR}/{theme.id}/{country.alpha2.lower()}-{title_slug}.yaml"
    text = ENTRY_TEMPLATE.format(
        path=rel, id=entry_id, year=edition.edition, title=_q(title), country=country.alpha2,
        institution=_q(institution), category=theme.id, themes=", ".join(t.id for t in edition.themes),
        place=place, language=f"language: {language}\n" if language else "",
    )
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
