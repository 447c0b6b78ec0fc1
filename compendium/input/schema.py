"""Schema: JSON Schema (draft 2020-12) of the entry and edition formats, for editors' YAML checking.

The schemas mirror what `validate` checks that can be said without reading other files (countries,
image files and cross-entry rules stay with the validator); their descriptions are the hover help
an editor such as VS Code shows. Patterns are written to work both in Python and in JavaScript.
"""
from __future__ import annotations

from typing import Any

from compendium.book.slug import SLUG_RE
from compendium.input.fields import BCP47_RE, EMAIL_RE
from compendium.input.validate import ENTRY_KEYS, MAX_ID_LENGTH, REQUIRED_ENTRY_KEYS, SECTION_WORDS, SUMMARY_WORDS
from compendium.input.validate_edition import EDITION_KEYS, REQUIRED_EDITION_KEYS
from compendium.model import DEFAULT_REGIONS, GROUP_KEYS, PLACE_LABELS, PLACES, SECTION_TITLES, SECTIONS, Edition
from compendium.render import FORMATS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_URI = "https://compendium.example/schema/"
URL_PATTERN = r"^https?://\S+$"
ISBN_PATTERN = r"^97[89](?:[- ]?[0-9]){10}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# Relative to the YAML file: not absolute (/x, \x, C:\x), not a URL, data: or mailto: address.
RELATIVE_PATH_PATTERN = r"^(?![/\\])(?![A-Za-z]:)(?!(?:data|mailto):)(?!.*://)[^\x00]+$"
# JavaScript's Unicode mode rejects the needless escape of '"' that Python accepts.
EMAIL_PATTERN = EMAIL_RE.pattern.replace('\\"', '"')
YEARS = {"minimum": 1900, "maximum": 2200}

Schema = dict[str, Any]


def _text(description: str, **extra: Any) -> Schema:
    return {"type": "string", "minLength": 1, "description": description, **extra}


def _texts(description: str, **extra: Any) -> Schema:
    return {"type": "array", "items": {"type": "string", "minLength": 1}, "description": description, **extra}


def _object(description: str, properties: Schema, required: tuple[str, ...] = ()) -> Schema:
    out: Schema = {"type": "object", "description": description, "properties": properties}
    if required:
        out["required"] = list(required)
    out["additionalProperties"] = False
    return out


def _document(name: str, title: str, description: str, properties: Schema,
              keys: tuple[str, ...], required: tuple[str, ...]) -> Schema:
    """A top-level schema whose properties are exactly `keys`, in that order."""
    if set(properties) != set(keys):
        raise AssertionError(f"{name} schema keys differ from the validator's: {sorted(set(properties) ^ set(keys))}")
    return {
        "$schema": DRAFT,
        "$id": f"{BASE_URI}{name}.json",
        "title": title,
        "description": description,
        "type": "object",
        "properties": {key: properties[key] for key in keys},
        "required": list(required),
        "additionalProperties": False,
    }


def _image() -> Schema:
    return _object("A picture printed with the entry.", {
        "file": _text("PNG or JPEG file, at least 600 px wide, as a path relative to this entry file "
                      "(for example images/photo.jpg); it must stay inside the project folder.",
                      pattern=RELATIVE_PATH_PATTERN),
        "alt": _text("What the picture shows, for readers who cannot see it (required)."),
        "caption": _text("A short caption printed under the picture."),
        "credit": _text("Who made the picture (photographer, organisation)."),
    }, ("file", "alt"))


def entry_schema(edition: Edition | None = None) -> Schema:
    """JSON Schema of one entry file; with `edition`, category, region and year are pinned to it."""
    places = ", ".join(f"{p} ({PLACE_LABELS[p]})" for p in PLACES)
    category = _text("The theme (award category) of the entry: a theme id of the edition, or its full name.")
    region = _text("The UN region the entry is listed under; optional, defaults to the country's usual region.",
                   examples=list(DEFAULT_REGIONS))
    year = {"type": "integer", **YEARS, "description": "The award year; must be the edition's year."}
    if edition is not None:
        category["enum"] = list(dict.fromkeys([t.id for t in edition.themes] + [t.name for t in edition.themes]))
        category["description"] += " One of: " + "; ".join(f"{t.id} ({t.name})" for t in edition.themes) + "."
        region = {**region, "enum": list(edition.regions)}
        region.pop("examples")
        year = {"type": "integer", "const": edition.edition, "description": f"The award year: {edition.edition}."}
    sections = {
        key: _text(f"{SECTION_TITLES[key]}: Markdown, at most {SECTION_WORDS} words.") for key in SECTIONS
    }
    properties = {
        "id": _text("Unique identifier of the entry: a lowercase slug such as 2012-br-poupatempo "
                    "(a-z, 0-9, hyphens). Optional; defaults to the file name without .yaml.",
                    pattern=SLUG_RE.pattern, maxLength=MAX_ID_LENGTH),
        "year": year,
        "title": _text("Title of the initiative, on one line."),
        "country": _text("The country of the institution: ISO 3166 alpha-2 or alpha-3 code, or its English short name.",
                         examples=["BR", "BRA", "Brazil"]),
        "region": region,
        "institution": _text("The public institution that received the award, on one line."),
        "category": category,
        "place": {"enum": list(PLACES), "description": f"The award received: {places}."},
        "language": _text("BCP 47 tag of the language the entry is written in, such as en, fr or zh-Hans; "
                          "optional, defaults to the edition's language.", pattern=BCP47_RE.pattern),
        "summary": _text(f"Short summary in Markdown: what the initiative does, for whom and what changed; "
                         f"at most {SUMMARY_WORDS} words."),
        "sections": _object("The four sections of the entry, all required: "
                            + ", ".join(SECTIONS) + ".", sections, SECTIONS),
        "partners": _texts("Partner organisations, one per item."),
        "website": _text("Web address of the initiative; must start with http:// or https://.",
                         pattern=URL_PATTERN, format="uri"),
        "contact": _object("Contact person for the initiative; printed only when public is true.", {
            "name": _text("Full name of the contact person."),
            "email": _text("Email address of the contact person.", format="email", pattern=EMAIL_PATTERN),
            "public": {"type": "boolean", "description": "Print the contact in the compendium (default false)."},
        }),
        "images": {"type": "array", "items": _image(), "description": "Pictures printed with the entry."},
        "keywords": _texts("Keywords for the index, one per item."),
    }
    what = f"the {edition.edition} edition of {edition.title}" if edition is not None else "a compendium"
    return _document("entry", "Compendium entry", f"One winning initiative in {what}: one YAML file under entries/.",
                     properties, ENTRY_KEYS, REQUIRED_ENTRY_KEYS)


def edition_schema() -> Schema:
    """JSON Schema of the edition file, compendium.yaml."""
    orders = [list(GROUP_KEYS), list(reversed(GROUP_KEYS))]
    theme = _object("One theme (award category).", {
        "id": _text("Short identifier used as an entry's category: a lowercase slug such as service-delivery.",
                    pattern=SLUG_RE.pattern),
        "name": _text("Full name of the theme, as printed."),
        "description": _text("One or two sentences introducing the theme (Markdown)."),
    }, ("id", "name"))
    properties = {
        "title": _text("Title of the compendium, on one line."),
        "subtitle": _text("Subtitle printed under the title."),
        "edition": {"type": "integer", **YEARS, "description": "The award year of this edition, such as 2012."},
        "language": _text("BCP 47 tag of the compendium's language, such as en, fr or zh-Hans (default en).",
                          pattern=BCP47_RE.pattern),
        "publisher": _text("The publishing organisation."),
        "isbn": _text("ISBN-13 of the publication (978 or 979, hyphens allowed); the checksum is verified "
                      "by compendium validate. Quote it if written without hyphens.", pattern=ISBN_PATTERN),
        "license": _text("Licence of the publication, such as CC BY 4.0."),
        "url": _text("Public address of the published website (http or https), such as "
                     "https://publicadministration.un.org/unpsa/2012: used for permalinks, canonical links "
                     "and sitemap.xml.", pattern=r"^https?://\S+$", format="uri"),
        "editors": _texts("Editors of the compendium, one per item."),
        "date": _text("Publication date, as an ISO date such as 2012-06-23.", format="date", pattern=DATE_PATTERN),
        "introduction": _text("Markdown file with the introduction, relative to the project folder.",
                              pattern=RELATIVE_PATH_PATTERN),
        "cover": _text("PNG or JPEG cover picture, relative to the project folder.", pattern=RELATIVE_PATH_PATTERN),
        "group_by": {"enum": orders, "description": "Order of the book's parts and chapters: "
                     + " or ".join(f"[{', '.join(o)}]" for o in orders) + f" (default [{', '.join(GROUP_KEYS)}])."},
        "themes": {"type": "array", "minItems": 1, "items": theme,
                   "description": "The themes (award categories) of the edition, in book order; ids must be unique."},
        "regions": _texts("The regions of the edition, in book order (default: "
                          + "; ".join(DEFAULT_REGIONS) + ").", uniqueItems=True),
        "country_regions": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1},
                            "description": "Overrides of a country's default region: country code or name → "
                                           "one of the edition's regions.", "examples": [{"MX": "Latin America and the Caribbean"}]},
    }
    for fmt in FORMATS.values():
        if fmt.options:
            properties[fmt.name] = _object(f"Options of the {fmt.name.upper()} output.", {
                o.key: {"enum": list(o.choices), "description": f"{o.description} One of {', '.join(o.choices)} "
                                                               f"(default {o.default})."}
                for o in fmt.options})
    return _document("edition", "Compendium edition (compendium.yaml)",
                     "The edition file of a compendium project: title, year, themes, regions and output options.",
                     properties, EDITION_KEYS, REQUIRED_EDITION_KEYS)
