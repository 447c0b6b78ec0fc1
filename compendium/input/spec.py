"""Input: the one declaration of the entry and edition formats.

Everything else is derived from the tables below: the validator's loop (`validate.py`,
`validate_edition.py`), the JSON Schemas (`schema.py`), the `new-entry` template
(`scaffold.py`) and the key tables of the README (checked by tests/input/test_spec.py).
An edition changes the entry form with `sections:` and `fields:` (see `entry_form`).

Why our own declaration and not pydantic or a JSON Schema run through jsonschema: every rule
needs a located message (file:line:col of the value, kept by `load.py`) and many need advice
no schema library gives (a title with ': ' to quote, a place meant as "first", a section key
left unindented); the checks against the edition (themes, regions, vocabularies, picture
files) are code anyway; and reading 1,000 entries must stay within a few times a bare YAML
parse. The declaration is plain data, so the schema exported from it is checked against the
validator on a table of inputs (tests/input/test_spec.py).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from compendium.book.slug import SLUG_RE
from compendium.model import DEFAULT_REGIONS, GROUP_KEYS, PLACES, SECTION_TITLES, Edition, FieldSpec

SUMMARY_WORDS = 150
MAX_ID_LENGTH = 100  # ids name output files (<id>.html, fact-sheets/<id>.pdf)
YEARS = (1900, 2200)

# Kinds of value. Scalars: line (one line of text), text (several lines), markdown, integer,
# number, boolean, date, url, email, language (a BCP 47 tag), slug, path (a file inside the
# project), isbn, name (a lowercase key), term (a vocabulary term's id: text or number), colour
# (#RRGGBB), choice (a term of `vocabulary`), ids (a slug or a list of slugs), years (a year, a
# range "2003-2011" or a list of years). Containers: list (of `item`), mapping (of `fields`), map
# (any keys → `item`). Edition-checked: country, theme, region, sections.
NAME_PATTERN = r"^[a-z][a-z0-9_-]*$"  # an extra field's id (it becomes an entry key)
COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"


@dataclass(frozen=True)
class Field:
    """One key of a format: what it holds, whether it is required, its limits and its help.

    code:        the stable code of a bad value (README, "Validation and error codes").
    words:       Markdown only: a warning (`words_code`) above this many words.
    max_length:  characters at most (ids).
    vocabulary:  choice, or list of choices: the vocabulary id ("places", "sdgs", the edition's own).
    item:        list and map: the declaration of each item.
    fields:      mapping (and list of mappings): the keys inside.
    example:     the value the new-entry template and the README show; `note` the comment beside it.
    aliases:     other names people give the key ('year' for the edition's `edition`): suggested.
    """

    key: str
    kind: str
    description: str
    required: bool = False
    code: str = ""
    words: int = 0
    words_code: str = ""
    max_length: int = 0
    vocabulary: str = ""
    choices: tuple[str, ...] = ()  # choice: a short closed list of words instead of a vocabulary
    item: "Field | None" = None
    fields: tuple["Field", ...] = ()
    unknown_code: str = ""  # mapping: the code of a key it does not know ("" = <code>.unknown-key)
    example: Any = None
    note: str = ""
    aliases: tuple[str, ...] = ()

    def sub(self, key: str) -> "Field | None":
        return next((f for f in self.fields if f.key == key), None)


def _line(key: str, description: str, **kw: Any) -> Field:
    return Field(key, "line", description, **kw)


_IMAGE = Field("images[]", "mapping", "A picture printed with the entry.", code="entry.type",
               unknown_code="image", fields=(
                   Field("file", "path", "PNG or JPEG file, at least 600 px wide, as a path relative to this entry "
                         "file (for example images/photo.jpg); it must stay inside the project folder.",
                         required=True, code="image.path", example="images/photo.jpg"),
                   _line("alt", "What the picture shows, for readers who cannot see it (required).", required=True,
                         code="image.alt", example="What the picture shows"),
                   _line("caption", "A short caption printed under the picture.", code="entry.type"),
                   _line("credit", "Who made the picture (photographer, organisation).", code="entry.type"),
               ))

ENTRY: tuple[Field, ...] = (
    Field("id", "slug", "Unique identifier of the entry, used in its web address: lowercase letters a-z, digits and "
          "hyphens, such as 2012-br-poupatempo. Optional; defaults to the file name without .yaml.",
          code="entry.id", max_length=MAX_ID_LENGTH, example="2012-xx-example",
          note="optional; default: the file name; unique in the edition"),
    Field("year", "integer", "The award year; must be the edition's year.", required=True, code="entry.year",
          example=2012, note="must equal the edition's year", aliases=("edition", "award year")),
    _line("title", "Title of the initiative, on one line.", required=True, code="entry.type",
          example="Example: one-stop service centres", aliases=("name", "initiative", "project", "titre", "título")),
    _line("translated_title", "The title in the edition's language, when the entry is written in another "
          "language: shown under the title as a gloss for readers.", code="entry.type",
          note="optional: the title in the book's language when `language` differs"),
    Field("country", "country", "The country of the institution: ISO 3166 alpha-2 or alpha-3 code, its English "
          "short name, or a country the edition declares under `countries`.", required=True,
          code="entry.country", example="KE", note="ISO 3166 code or English short name",
          aliases=("nation", "member state", "pays", "país")),
    Field("region", "region", "The UN region the entry is listed under; optional, defaults to the country's "
          "usual region.", code="entry.region", note="optional: defaults to the country's region"),
    _line("institution", "The public institution that received the award, on one line.", required=True,
          code="entry.type", example="Ministry of Public Service",
          aliases=("organisation", "organization", "agency", "ministry", "institución")),
    Field("category", "theme", "The theme (award category) of the entry: a theme id of the edition, or its "
          "full name.", required=True, code="entry.category", example="service-delivery",
          note="a theme id of the edition", aliases=("theme", "categories", "award category", "catégorie")),
    Field("place", "choice", "The award received.", required=True, code="entry.place", vocabulary="places",
          example="1st", note=" | ".join(PLACES), aliases=("award", "prize", "rank", "level", "prix", "premio")),
    Field("language", "language", "Code of the language the entry is written in (a BCP 47 tag), such as en, fr "
          "or zh-Hans; optional, defaults to the edition's language.", code="entry.language",
          note="optional: when the entry is not in the edition's language", aliases=("lang", "langue", "idioma")),
    Field("summary", "markdown", f"Short summary in Markdown: what the initiative does, for whom and what "
          f"changed; at most {SUMMARY_WORDS} words.", required=True, code="entry.type", words=SUMMARY_WORDS,
          words_code="entry.summary-length",
          example="In two or three sentences: what the initiative does, for whom, and what changed.\n"
                  "Markdown is allowed: **bold**, *italic*, [links](https://example.org).\n",
          aliases=("abstract", "description", "overview", "résumé", "resumen")),
    Field("translated_summary", "markdown", "A short abstract in the edition's language, when the entry is written "
          "in another language: printed under the summary, so that readers of the book's language (and the "
          "site's search) find the entry.", code="entry.type", words=80, words_code="entry.summary-length",
          note="optional: a few sentences in the book's language when `language` differs",
          example="Two or three sentences in the book's language, for its readers.\n"),
    Field("sections", "sections", "The sections of the entry, in the edition's order.", required=True,
          code="entry.type", words_code="entry.section-length", unknown_code="entry.sections", aliases=("section",)),
    Field("partners", "list", "Partner organisations, one per item.", code="entry.type",
          item=_line("partners[]", "A partner organisation."), example=["Ministry of Finance", "UNDP"],
          aliases=("partner", "partenaires", "socios")),
    Field("website", "url", "Web address of the initiative; must start with http:// or https://.",
          code="entry.website", example="https://example.gov", aliases=("url", "web", "site", "link", "homepage")),
    Field("contact", "mapping", "Contact person for the initiative; printed only when public is true.",
          code="entry.type", unknown_code="entry.contact", fields=(
              _line("name", "Full name of the contact person.", code="entry.type"),
              Field("email", "email", "Email address of the contact person.", code="entry.email"),
              Field("public", "boolean", "Print the contact in the compendium (default false).", code="entry.type"),
          ), example={"name": "Jane Doe", "email": "jane.doe@example.gov", "public": False}, aliases=("contacts",)),
    Field("images", "list", "Pictures printed with the entry.", code="entry.type", item=_IMAGE,
          example=[{"file": "images/photo.jpg", "alt": "What the picture shows, for readers who cannot see it",
                    "caption": "A short caption", "credit": "Photo credit"}],
          aliases=("image", "pictures", "picture", "photos", "photo", "figures")),
    Field("keywords", "list", "Keywords for the index, one per item.", code="entry.type",
          item=_line("keywords[]", "A keyword."), example=["e-government", "transparency"],
          aliases=("keyword", "tags", "tag", "mots-clés")),
    Field("follows", "ids", "In a series of editions: the id of an entry of an earlier edition that this one "
          "follows up (the same initiative, awarded again or grown), or a list of them; the website links "
          "both ways.", code="entry.follows", example="2011-xx-earlier-entry",
          note="optional: id(s) of earlier winners this follows up"),
)

_LOCALISED = "text, or one text per language code ({en: Objective, fr: Objectif})"

EDITION_SECTION = Field("sections[]", "mapping", "One section of the entry form.", code="edition.sections",
                        unknown_code="edition.sections", fields=(
                            Field("id", "slug", "The key of the section in entry files: lowercase letters a-z, digits and hyphens.",
                                  required=True, code="edition.sections"),
                            Field("title", "title", f"The heading printed in the books: {_LOCALISED}; "
                                  "default: the built-in title of problem, solution, impact and lessons.",
                                  code="edition.sections"),
                            Field("required", "boolean", "Whether every entry must have it (default true).",
                                  code="edition.sections"),
                            Field("words", "integer", "A warning above this many words (default 600).",
                                  code="edition.sections"),
                        ))
FIELD_TYPES: tuple[str, ...] = ("text", "markdown", "list", "number", "url", "date", "choice")
SHOW: tuple[str, ...] = ("meta", "body", "none")
EDITION_FIELD = Field("fields[]", "mapping", "One extra entry field.", code="edition.fields",
                      unknown_code="edition.fields", fields=(
                          Field("id", "name", "The key in entry files: a lowercase name (a-z, 0-9, _ and -), "
                                "not one of the built-in keys.", required=True, code="edition.fields"),
                          Field("type", "choice", "What it holds: " + ", ".join(FIELD_TYPES) + ".", required=True,
                                code="edition.fields", choices=FIELD_TYPES),
                          Field("title", "title", f"Its label in the books: {_LOCALISED}.", code="edition.fields"),
                          Field("required", "boolean", "Whether every entry must give it (default false).",
                                code="edition.fields"),
                          Field("vocabulary", "slug", "For choice and list: the vocabulary of its terms (sdgs, "
                                "or one the edition declares).", code="edition.fields"),
                          Field("show", "choice", "Where it is printed: meta (the entry's details panel, "
                                "default), body (after the sections) or none.", code="edition.fields",
                                choices=SHOW),
                          Field("index", "boolean", "For vocabulary fields: the books get an index of its terms "
                                "and the site a filter (default false).", code="edition.fields"),
                          _line("description", "Help for submitters (the schema's hover text).", code="edition.fields"),
                      ))
TERM = Field("terms[]", "mapping", "One term.", code="edition.vocabularies", unknown_code="edition.vocabularies",
             fields=(Field("id", "term", "The value entries give: a short text or a number.", required=True,
                           code="edition.vocabularies"),
                     Field("title", "title", f"Its label: {_LOCALISED}.", code="edition.vocabularies"),
                     Field("colour", "colour", "An #RRGGBB colour.", code="edition.vocabularies")))
COUNTRY = Field("countries{}", "mapping", "A country or territory the edition lists besides the UN member "
                "states.", code="edition.countries", unknown_code="edition.countries", fields=(
                    _line("name", "The name printed in the books.", required=True, code="edition.countries"),
                    Field("region", "region", "Its region: one of the edition's regions.", required=True,
                          code="edition.countries"),
                    _line("alpha3", "Its three-letter code, if it has one.", code="edition.countries"),
                ))

EDITION: tuple[Field, ...] = (
    _line("title", "Title of the compendium, on one line.", required=True, code="edition.type", aliases=("name",)),
    _line("subtitle", "Subtitle printed under the title.", code="edition.type",
          example="Compendium of Innovative Practices in Public Governance and Administration"),
    Field("edition", "integer", "The award year of this edition, such as 2012 (entries give the same year as "
          "`year:`).", required=True, code="edition.type", aliases=("year", "award year")),
    Field("language", "language", "The compendium's language, as a code (a BCP 47 tag) such as en, fr, ar or "
          "zh-Hans (default en).", code="edition.language", aliases=("lang",)),
    _line("publisher", "The publishing organisation, printed at the foot of the title page (with the place and "
          "year) and in the copyright line, such as United Nations.", code="edition.type", example="United Nations"),
    _line("place", "Place of publication, printed at the foot of the title page, such as New York.",
          code="edition.type", example="New York"),
    Field("issued_by", "list", "The bodies that issue the publication, one per item, printed under the subtitle on "
          "the title page (the Department of Economic and Social Affairs, then its division).", code="edition.type",
          item=_line("issued_by[]", "A department, division or office."),
          example=["Department of Economic and Social Affairs"]),
    Field("isbn", "isbn", "ISBN-13 of the publication (978 or 979, hyphens allowed); the checksum is verified "
          "by compendium validate. Quote it if written without hyphens.", code="edition.isbn",
          example="978-92-1-123194-6"),
    Field("eisbn", "isbn", "ISBN-13 of the electronic edition: the EPUB's identifier, printed in the imprint beside "
          "the print ISBN.", code="edition.isbn", example="978-92-1-055411-4"),
    _line("symbol", "The document symbol of the publication, such as ST/ESA/PAD/SER.E/180.", code="edition.type",
          example="ST/ESA/PAD/SER.E/180"),
    _line("sales_number", "The United Nations sales number, such as E.12.II.H.2: printed as 'United Nations "
          "publication, Sales No. ...' in the imprint and on the back cover.", code="edition.type",
          example="E.12.II.H.2"),
    _line("copyright_holder", "Who holds the copyright, as the © line names it (default: the publisher).",
          code="edition.type"),
    _line("license", "Licence of the publication, such as CC BY 3.0 IGO; 'All rights reserved' is printed after "
          "the © line.", code="edition.type", aliases=("licence",), example="CC BY 3.0 IGO"),
    Field("disclaimer", "choice", "The disclaimer of the imprint: publisher (the designations imply no opinion "
          "of the publisher, the default), united-nations (the standard wording of the United Nations Secretariat, "
          "in the book's language) or none.", code="edition.type", choices=("publisher", "united-nations", "none"),
          example="united-nations"),
    Field("about_publisher", "text", "A paragraph about the publisher (its mission), first on the imprint page.",
          code="edition.type"),
    _line("printer", "The printer's line at the foot of the imprint, such as Printed at the United Nations, "
          "New York.", code="edition.type", example="Printed at the United Nations, New York"),
    Field("blurb", "text", "The text of the back cover, when the PDF's cover is made separately for the press "
          "(the pdf option cover set to separate).", code="edition.type"),
    _line("accessibility_certifier", "Who checked the EPUB's accessibility (an outside body): the EPUB then names "
          "it as the certifier of its conformance claim; without it the EPUB makes no certified claim.",
          code="edition.type"),
    Field("url", "url", "Public address of the published website (http or https), such as "
          "https://publicadministration.un.org/unpsa/2012: used for permalinks, canonical links and sitemap.xml.",
          code="edition.url", aliases=("website",), example="https://publicadministration.un.org/unpsa/2012"),
    Field("editors", "list", "Editors of the compendium, one per item.", code="edition.type",
          item=_line("editors[]", "An editor."), aliases=("editor",), example=["Jane Doe", "John Smith"]),
    Field("date", "date", "Publication date, as an ISO date such as 2012-06-23.", code="edition.date",
          example="2012-06-23"),
    Field("foreword", "path", "Markdown file with the foreword, relative to the project folder: printed after the "
          "contents, before the acknowledgements and the introduction.", code="edition.introduction",
          aliases=("preface",)),
    Field("acknowledgements", "path", "Markdown file with the acknowledgements, relative to the project folder.",
          code="edition.introduction", aliases=("acknowledgments",)),
    Field("abbreviations", "map", "The abbreviations the text uses and what they stand for, such as "
          "{ACRC: Anti-Corruption and Civil Rights Commission}: a list printed in the front matter, in "
          "alphabetical order.", code="edition.abbreviations",
          item=_line("abbreviations{}", "What the abbreviation stands for."), aliases=("acronyms",)),
    Field("introduction", "path", "Markdown file with the introduction, relative to the project folder.",
          code="edition.introduction", aliases=("intro",), example="introduction.md"),
    Field("cover", "path", "PNG or JPEG cover picture, relative to the project folder (default: a cover drawn "
          "from the title and the entries).", code="image.path", example="cover.png"),
    Field("group_by", "group_by", "Order of the book's parts and chapters: "
          f"[{', '.join(GROUP_KEYS)}] or [{', '.join(reversed(GROUP_KEYS))}] (default [{', '.join(GROUP_KEYS)}]).",
          code="edition.group-by", example=list(GROUP_KEYS)),
    Field("themes", "list", "The themes (award categories) of the edition, in book order; ids must be unique.",
          required=True, code="edition.themes", item=Field(
              "themes[]", "mapping", "One theme (award category).", code="edition.themes",
              unknown_code="edition.themes", fields=(
                  Field("id", "slug", "Short identifier used as an entry's category: lowercase letters a-z, "
                        "digits and hyphens, such as service-delivery.", required=True, code="edition.theme-id"),
                  _line("name", "Full name of the theme, as printed.", required=True, code="edition.themes"),
                  Field("description", "text", "One or two sentences introducing the theme (Markdown).",
                        code="edition.themes"),
              )), aliases=("categories", "theme", "category")),
    Field("regions", "list", "The regions of the edition, in book order (default: the five UNPSA regions).",
          code="edition.regions", item=_line("regions[]", "A region."), aliases=("region",),
          example=list(DEFAULT_REGIONS)),
    Field("country_regions", "map", "Overrides of a country's default region: country code or name → one of "
          "the edition's regions.", code="edition.country-regions", item=Field("country_regions{}", "region", ""),
          example={"EG": "Western Asia"}),
    Field("countries", "map", "Countries and territories that are not UN member states (Kosovo, Hong Kong, "
          "Taiwan...), as the programme names them: code → {name, region}.", code="edition.countries",
          item=COUNTRY, aliases=("territories",),
          example={"XK": {"name": "Kosovo", "region": "Europe and North America"}}),
    Field("sections", "list", "The sections of an entry, in order (default: problem, solution, impact, lessons).",
          code="edition.sections", item=EDITION_SECTION),
    Field("fields", "list", "Extra entry fields, in the order they are printed.", code="edition.fields",
          item=EDITION_FIELD),
    Field("vocabularies", "map", "The edition's own vocabularies: id → list of terms {id, title, colour}.",
          code="edition.vocabularies", item=Field("vocabularies{}", "list", "", item=TERM)),
)

# A series of editions (compendium/input/series.py): the series file at the project's root holds
# the settings its editions share (every edition key but those that belong to one book) and the
# series' own keys; each edition's compendium.yaml may override any shared key.
PER_EDITION: tuple[str, ...] = ("edition", "isbn", "eisbn", "symbol", "sales_number", "date", "introduction", "foreword",
                                 "acknowledgements", "abbreviations", "blurb", "cover")  # one publication each
RETROSPECTIVE_GROUPINGS: tuple[str, ...] = ("theme year", "region country")
RETROSPECTIVE = Field("retrospectives[]", "mapping", "A book across editions.", code="series.retrospectives",
                      unknown_code="series.retrospectives", fields=(
                          Field("id", "slug", "Its identifier and the name of its files (<id>.pdf, <id>.epub): "
                                "a lowercase slug.", required=True, code="series.retrospectives"),
                          _line("title", "Its title, on one line.", required=True, code="series.retrospectives"),
                          _line("subtitle", "Its subtitle.", code="series.retrospectives"),
                          Field("years", "years", "The award years it covers: a range such as 2003-2011, or a list "
                                "of years (default: every edition).", code="series.retrospectives"),
                          Field("editions", "list", "Or the editions it covers, by folder as under `editions`.",
                                code="series.retrospectives",
                                item=Field("editions[]", "term", "An edition's folder, such as 2012.")),
                          Field("group_by", "group_by", "[theme, year] (default: parts by theme, chapters by "
                                "year) or [region, country].", code="series.retrospectives",
                                choices=RETROSPECTIVE_GROUPINGS),
                          Field("introduction", "path", "Markdown file with its introduction, relative to the "
                                "series folder.", code="series.retrospectives"),
                          Field("cover", "path", "PNG or JPEG cover picture, relative to the series folder.",
                                code="image.path"),
                          Field("isbn", "isbn", "Its ISBN-13.", code="series.retrospectives"),
                          Field("date", "date", "Its publication date (ISO).", code="series.retrospectives"),
                          Field("editors", "list", "Its editors.", code="series.retrospectives",
                                item=_line("editors[]", "An editor.")),
                      ))
SERIES_OWN: tuple[Field, ...] = (
    Field("editions", "list", "The editions of the series: one folder each, holding its compendium.yaml and "
          "entries/, relative to this file.", required=True, code="series.editions",
          item=Field("editions[]", "term", "An edition's folder, such as 2012.")),
    Field("theme_map", "map", "Theme ids of earlier editions → the theme of the series (under `themes`) they "
          "are grouped with across years.", code="series.theme-map",
          item=Field("theme_map{}", "slug", "A theme id of the series.")),
    Field("retrospectives", "list", "Books across editions, built as PDF and EPUB like an edition.",
          code="series.retrospectives", item=RETROSPECTIVE),
)
SERIES: tuple[Field, ...] = tuple(f for f in EDITION if f.key not in PER_EDITION) + SERIES_OWN

# Other names people give the four built-in sections ('lessons learned' for `lessons`): suggested.
SECTION_ALIASES: dict[str, str] = {
    "challenge": "problem", "challenges": "problem", "problems": "problem", "situation": "problem",
    "solutions": "solution", "approach": "solution", "implementation": "solution",
    "results": "impact", "outcomes": "impact", "impacts": "impact",
    "lessons learned": "lessons", "lessons_learned": "lessons", "lessons-learned": "lessons", "lesson": "lessons",
}


def aliases(form: tuple[Field, ...]) -> dict[str, str]:
    """{other name (casefolded): key} of the keys of `form` (Field.aliases)."""
    return {alias.casefold(): f.key for f in form for alias in f.aliases}


# What the entry template (`new-entry`, `init`) writes for a value to replace: a value still equal
# to it, or a Markdown text still holding one of its prompt lines, was never filled in
# (input/unfinished.py warns: entry.placeholder).
SECTION_PROMPTS: dict[str, str] = {
    "problem": "The situation before the initiative: who was affected, and how badly?",
    "solution": "What was done, by whom, with which tools and partners?",
    "impact": "What changed, with figures where possible?",
    "lessons": "What would others need to know to do the same?",
}
NEW_ENTRY_INSTITUTION = "Name of the institution"  # new-entry's --institution when none is given
TO_FILL_IN = ("To fill in", "To fill in.")  # an extra field's example


def section_prompt(section_id: str, title: str, words: int) -> str:
    """What the template writes under a section: its question, and the word limit."""
    return f"{SECTION_PROMPTS.get(section_id) or title + '.'} (Markdown, at most {words} words)"


# Built-in keys of an entry: an extra field may not take them.
ENTRY_KEYS: tuple[str, ...] = tuple(f.key for f in ENTRY)


def default_section_title(key: str) -> str:
    """The English heading of a section declared without a title."""
    return SECTION_TITLES.get(key) or key.replace("-", " ").replace("_", " ").capitalize()


_EXTRA_KINDS = {"text": "line", "markdown": "markdown", "number": "number", "url": "url", "date": "date",
                "choice": "choice", "list": "list"}


def extra_field(spec: FieldSpec) -> Field:
    """The declaration of an edition's extra field, in the terms of the tables above."""
    kind = _EXTRA_KINDS[spec.type]
    description = spec.description or spec.title("en")
    item = None
    if kind == "list":
        item = (Field(f"{spec.id}[]", "choice", "A term.", vocabulary=spec.vocabulary) if spec.vocabulary
                else _line(f"{spec.id}[]", "An item."))
    return Field(spec.id, kind, description, required=spec.required, code="entry.field",
                 vocabulary=spec.vocabulary if kind == "choice" else "", item=item,
                 words=0)


def entry_form(edition: Edition | None) -> tuple[Field, ...]:
    """The entry format of `edition` (the built-in keys, then its extra fields); without an
    edition, the built-in keys only."""
    if edition is None:
        return ENTRY
    return ENTRY + tuple(extra_field(f) for f in edition.fields)


def required_keys(form: tuple[Field, ...], edition: Edition | None = None) -> tuple[str, ...]:
    """The keys an entry must give; `sections` only when the edition requires one."""
    out = []
    for f in form:
        if f.key == "sections" and edition is not None and not any(s.required for s in edition.sections):
            continue
        if f.required:
            out.append(f.key)
    return tuple(out)


def field(key: str, form: tuple[Field, ...] = ENTRY) -> Field:
    return next(f for f in form if f.key == key)


def with_required(f: Field, required: bool) -> Field:
    return replace(f, required=required)


SLUG_PATTERN = SLUG_RE.pattern
__all__ = ["COUNTRY", "EDITION", "EDITION_FIELD", "EDITION_SECTION", "ENTRY", "ENTRY_KEYS", "FIELD_TYPES", "Field",
           "MAX_ID_LENGTH", "PER_EDITION", "RETROSPECTIVE", "SERIES", "SERIES_OWN", "SHOW", "SLUG_PATTERN",
           "SUMMARY_WORDS", "TERM", "default_section_title", "entry_form", "extra_field", "required_keys", "aliases",
           "SECTION_ALIASES", "SECTION_PROMPTS", "section_prompt"]
