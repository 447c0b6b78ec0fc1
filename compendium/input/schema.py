"""Schema: JSON Schema (draft 2020-12) of the entry and edition formats, derived from their
declaration (`spec.py`), for editors that check YAML as you type.

The schemas say what `validate` checks that can be said without reading other files
(countries, picture files and cross-entry rules stay with the validator); each key's
description is the hover help an editor such as VS Code shows. Patterns work both in Python
and in JavaScript. tests/input/test_spec.py feeds one table of inputs to this schema and to the
validator and checks that they agree.
"""
from __future__ import annotations

from typing import Any

from compendium.input import spec
from compendium.input.fields import BCP47_RE, INVISIBLE_CLASS, SPACE_ENTITY
from compendium.input.vocabularies import BUILT_IN
from compendium.model import DEFAULT_REGIONS, GROUP_KEYS, Edition
from compendium.render import FORMATS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_URI = "https://compendium.example/schema/"
# Text a reader can see: not only whitespace, invisible characters, space entities or a lone '---'.
VISIBLE = rf"^(?!(?:[{INVISIBLE_CLASS}]|{SPACE_ENTITY}|<[bB][rR]\s*/?>)*$)"
LINE_PATTERN = VISIBLE + r"\s*[^\n\r\x0b\x0c\x85\u2028\u2029]*\s*$"
URL_PATTERN = r"^\s*https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s<>\"]*)?\s*$"
ISBN_PATTERN = r"^\s*97[89](?:[- ]?[0-9]){10}\s*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# Relative to the YAML file: not absolute (/x, \x, C:\x), not a URL, data: or mailto: address.
RELATIVE_PATH_PATTERN = r"^(?![/\\])(?![A-Za-z]:)(?!(?:data|mailto):)(?!.*://)[^\x00]+$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"  # the shape; email-validator decides the rest
YEAR_RANGE_PATTERN = r"^\s*[0-9]{4}\s*[-\u2013]\s*[0-9]{4}\s*$"  # 2003-2011 (the reader checks the order)

Schema = dict[str, Any]


def _scalar(field: spec.Field, edition: Edition | None) -> Schema:
    kind = field.kind
    if kind in ("line", "country", "theme", "region") or (kind == "choice" and not field.vocabulary and not field.choices):
        return {"type": "string", "pattern": LINE_PATTERN}
    if kind == "text" or kind == "markdown":
        return {"type": "string", "pattern": VISIBLE}
    if kind == "integer":
        return {"type": "integer"}
    if kind == "number":
        return {"type": "number"}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    if kind == "url":
        return {"type": "string", "format": "uri", "pattern": URL_PATTERN}
    if kind == "email":
        return {"type": "string", "format": "email", "pattern": EMAIL_PATTERN}
    if kind == "language":
        return {"type": "string", "pattern": BCP47_RE.pattern}
    if kind == "slug":
        return {"type": "string", "pattern": spec.SLUG_PATTERN}
    if kind == "name":
        return {"type": "string", "pattern": spec.NAME_PATTERN}
    if kind == "colour":
        return {"type": "string", "pattern": spec.COLOUR_PATTERN}
    if kind == "term":
        return {"anyOf": [{"type": "string", "pattern": LINE_PATTERN}, {"type": "integer"}]}
    if kind == "path":
        return {"type": "string", "pattern": RELATIVE_PATH_PATTERN}
    if kind == "isbn":
        return {"oneOf": [{"type": "string", "pattern": ISBN_PATTERN},
                          {"type": "integer", "minimum": 9780000000000, "maximum": 9799999999999}]}
    if kind == "choice" and field.choices:
        return {"enum": list(field.choices)}
    if kind == "choice":
        terms = _terms(field.vocabulary, edition)
        return {"enum": terms} if terms is not None else {"type": ["string", "integer"]}
    if kind == "title":
        return {"oneOf": [{"type": "string", "pattern": LINE_PATTERN},
                          {"type": "object", "minProperties": 1, "propertyNames": {"pattern": BCP47_RE.pattern},
                           "additionalProperties": {"type": "string", "pattern": LINE_PATTERN}}]}
    if kind == "group_by" and field.choices:
        return {"enum": [c.split() for c in field.choices]}
    if kind == "group_by":
        return {"enum": [list(GROUP_KEYS), list(reversed(GROUP_KEYS))]}
    if kind == "ids":
        one = {"type": "string", "pattern": spec.SLUG_PATTERN}
        return {"oneOf": [one, {"type": "array", "items": one, "minItems": 1}]}
    if kind == "years":
        year = {"type": "integer", "minimum": spec.YEARS[0], "maximum": spec.YEARS[1]}
        return {"oneOf": [year, {"type": "string", "pattern": YEAR_RANGE_PATTERN},
                          {"type": "array", "items": year, "minItems": 1}]}
    raise ValueError(f"no schema for the kind {kind!r}")


def _terms(vocabulary: str, edition: Edition | None) -> list[Any] | None:
    """The values a choice of `vocabulary` accepts: ids (and numbers for numeric ids)."""
    found = None
    if edition is not None:
        found = edition.vocabulary(vocabulary)
    if found is None and vocabulary in BUILT_IN:
        found = BUILT_IN[vocabulary]()
    if found is None:
        return None
    out: list[Any] = []
    for term in found.terms:
        out.append(term.id)
        if term.id.isdigit():
            out.append(int(term.id))
    return out


def schema_of(field: spec.Field, edition: Edition | None = None) -> Schema:
    """The JSON Schema of one declared field (with its description)."""
    kind = field.kind
    if kind == "list":
        item = schema_of(field.item, edition) if field.item else {"type": "string", "pattern": LINE_PATTERN}
        item.pop("description", None)
        out: Schema = {"type": "array", "items": item}
        if field.required:
            out["minItems"] = 1
    elif kind == "mapping":
        out = _object(field.fields, edition)
    elif kind == "map":
        item = schema_of(field.item, edition) if field.item else {}
        item.pop("description", None)
        out = {"type": "object", "additionalProperties": item}
    elif kind == "sections":
        sections = edition.sections if edition is not None else Edition.__dataclass_fields__["sections"].default
        fields = tuple(spec.Field(s.id, "markdown", f"{edition.section_title(s.id) if edition else spec.default_section_title(s.id)}: "
                                  f"Markdown, at most {s.words} words.", required=s.required) for s in sections)
        out = _object(fields, edition)
    else:
        out = _scalar(field, edition)
    if field.max_length:
        out["maxLength"] = field.max_length
    out["description"] = field.description
    return out


# What counts as missing (fields.blank): an optional key given so is the same as no key.
BLANK: Schema = {"anyOf": [{"type": "null"}, {"type": "string", "pattern": VISIBLE.replace("(?!", "(?=", 1)},
                           {"type": "array", "maxItems": 0}, {"type": "object", "maxProperties": 0}]}


def optional(schema: Schema) -> Schema:
    """`schema`, or a blank value (null, whitespace, invisible characters, [], {}): the validator
    reads an optional key given blank as absent."""
    description = schema.pop("description", None)
    out: Schema = {"anyOf": [schema, BLANK]}
    if description:
        out = {"description": description, **out}
    return out


def _properties(fields: tuple[spec.Field, ...], edition: Edition | None, required: tuple[str, ...] | None = None) -> Schema:
    required = tuple(f.key for f in fields if f.required) if required is None else required
    return {f.key: schema_of(f, edition) if f.key in required else optional(schema_of(f, edition)) for f in fields}


def _object(fields: tuple[spec.Field, ...], edition: Edition | None) -> Schema:
    out: Schema = {"type": "object", "properties": _properties(fields, edition)}
    required = [f.key for f in fields if f.required]
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _document(name: str, title: str, description: str, properties: Schema, required: list[str]) -> Schema:
    return {"$schema": DRAFT, "$id": f"{BASE_URI}{name}.json", "title": title, "description": description,
            "type": "object", "properties": properties, "required": required, "additionalProperties": False}


def entry_schema(edition: Edition | None = None) -> Schema:
    """JSON Schema of one entry file; with `edition`, its form (sections, extra fields,
    vocabularies) and its category, region and year are pinned to it."""
    form = spec.entry_form(edition)
    required = spec.required_keys(form, edition)
    properties = {f.key: schema_of(f, edition) for f in form}
    places = ", ".join(f"{t.id} ({t.title('en')})" for t in BUILT_IN["places"]().terms)
    properties["place"]["description"] += f" One of {places}."
    properties["region"]["examples"] = list(DEFAULT_REGIONS)
    properties["country"]["examples"] = ["BR", "BRA", "Brazil"]
    properties["year"].update({"minimum": spec.YEARS[0], "maximum": spec.YEARS[1]})
    if edition is not None:
        category = properties["category"]
        category["enum"] = list(dict.fromkeys([t.id for t in edition.themes] + [t.name for t in edition.themes]))
        category["description"] += " One of: " + "; ".join(f"{t.id} ({t.name})" for t in edition.themes) + "."
        properties["region"] = {**properties["region"], "enum": list(edition.regions)}
        properties["region"].pop("examples")
        properties["year"] = {"type": "integer", "const": edition.edition,
                              "description": f"The award year: {edition.edition}."}
    properties = {k: v if k in required else optional(v) for k, v in properties.items()}
    what = f"the {edition.edition} edition of {edition.title}" if edition is not None else "a compendium"
    return _document("entry", "Compendium entry", f"One winning initiative in {what}: one YAML file under entries/.",
                     properties, list(required))


def edition_schema(in_series: bool = False) -> Schema:
    """JSON Schema of the edition file, compendium.yaml; `in_series`: of an edition's file in a
    series, where every key but `edition` may come from the series file instead."""
    properties = _edition_properties(spec.EDITION)
    required = ["edition"] if in_series else [f.key for f in spec.EDITION if f.required]
    properties = {k: v if k in required else optional(v) for k, v in properties.items()}
    what = " of an edition in a series (any key but edition may be shared by the series file)" if in_series else ""
    return _document("edition", f"Compendium edition (compendium.yaml{what})",
                     "The edition file of a compendium project: title, year, themes, regions, the entry form and "
                     "output options.", properties, required)


def series_schema() -> Schema:
    """JSON Schema of a series file: the compendium.yaml at the root of a series of editions (the
    settings its editions share, its editions, theme_map and retrospectives)."""
    properties = _edition_properties(spec.SERIES)
    required = [f.key for f in spec.SERIES if f.required]
    properties = {k: v if k in required else optional(v) for k, v in properties.items()}
    return _document("series", "Compendium series (compendium.yaml of a series of editions)",
                     "The settings shared by the editions of a series, its edition folders, the theme ids of earlier "
                     "years mapped to today's, and its retrospectives.", properties, required)


def _edition_properties(fields: tuple[spec.Field, ...]) -> Schema:
    """The properties of the edition keys among `fields`, with each format's options block."""
    properties = {f.key: schema_of(f) for f in fields}
    if "edition" in properties:
        properties["edition"].update({"minimum": spec.YEARS[0], "maximum": spec.YEARS[1]})
    properties["themes"]["minItems"] = 1
    properties["regions"]["uniqueItems"] = True
    properties["regions"]["description"] += " " + "; ".join(DEFAULT_REGIONS) + "."
    properties["country_regions"]["examples"] = [{"MX": "Latin America and the Caribbean"}]
    properties["sections"]["minItems"] = 1
    for fmt in FORMATS.values():
        if fmt.options:
            properties[fmt.name] = {"type": "object", "description": f"Options of the {fmt.name.upper()} output.",
                                    "properties": {o.key: {"enum": list(o.choices),
                                                           "description": f"{o.description} One of "
                                                                          f"{', '.join(o.choices)} (default {o.default})."}
                                                   for o in fmt.options},
                                    "additionalProperties": False}
    return properties
