"""The one declaration (compendium.input.spec): validator and exported schema agree; the edition's
own form (sections, fields, vocabularies, countries); no value slips through."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from compendium.input import spec
from compendium.input.load import load_project
from compendium.input.schema import edition_schema, entry_schema
from compendium.input.validate import validate_project
from compendium.input.validate_edition import EDITION_KEYS
from tests.helpers import EDITION, ENTRY, REPO, write

ENTRY_FILE = "entries/ke-one-stop.yaml"

SDG_EDITION = EDITION + """\
sections:
  - {id: objective, title: {en: Objective, fr: Objectif}}
  - {id: results, title: Results, words: 50}
  - {id: conclusions, title: Conclusions, required: false}
fields:
  - {id: sdgs, type: list, vocabulary: sdgs, required: true, index: true, title: Sustainable Development Goals}
  - {id: sector, type: choice, vocabulary: sectors}
  - {id: budget, type: number, title: Budget (USD)}
  - {id: started, type: date, show: body}
  - {id: report, type: url}
  - {id: notes, type: markdown, show: body}
  - {id: period, type: text}
  - {id: languages, type: list}
vocabularies:
  sectors:
    - {id: health, title: {en: Health, fr: Santé}}
    - {id: education, title: Education, colour: "#336699"}
"""

SDG_ENTRY = ENTRY.split("sections:")[0] + """\
sections:
  objective: |
    Shorter queues.
  results: |
    Half the waiting time.
sdgs: [5, "16", Gender Equality]
"""


def result_of(project: Path, edition: str, entry: str):
    write(project, "compendium.yaml", edition)
    write(project, ENTRY_FILE, entry)
    return validate_project(project)


def located(result, severity: str = "error"):
    return [(i.code, i.source.line, i.source.col, i.message) for i in result.issues if i.severity == severity]


# --- one table of inputs, two judges -------------------------------------------------------------

def _with(key: str, value: str) -> str:
    """ENTRY with `key: value` replaced (or appended when ENTRY has no such key)."""
    lines = ENTRY.splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            end = n + 1
            while end < len(lines) and lines[end].startswith(" "):
                end += 1
            return "".join(lines[:n]) + f"{key}: {value}\n" + "".join(lines[end:])
    return ENTRY + f"{key}: {value}\n"


def _sections(value: str) -> str:
    return ENTRY.split("sections:")[0] + f"sections:{value}\n"


# (entry text, accepted?) — every structural rule the schema can state
AGREEMENT = [
    (ENTRY, True),
    (_with("title", '""'), False), (_with("title", '"   "'), False), (_with("title", '"\\u200b"'), False),
    (_with("title", '"&nbsp;"'), False), (_with("title", '"---"'), False), (_with("title", "~"), False),
    (_with("title", "2012"), False), (_with("title", "[a]"), False), (_with("title", '"a\\nb"'), False),
    (_with("title", '"#1 in service"'), True), (_with("title", '"  padded  "'), True),
    (_with("translated_title", "Guichets uniques"), True), (_with("translated_title", '"\\u00a0"'), True),
    (_with("website", "~"), True), (_with("keywords", "[]"), True),
    (_with("institution", '"\\t"'), False),
    (_with("place", "winner"), True), (_with("place", "first"), False), (_with("place", "1"), False),
    (_with("place", "~"), False), (_with("year", '"2012"'), False), (_with("year", "~"), False),
    (_with("language", "fr"), True), (_with("language", "zh-Hans"), True), (_with("language", "en_US"), False),
    (_with("language", "english"), False),
    (_with("summary", '"---"'), False), (_with("summary", '"<br>"'), False), (_with("summary", '"*A* summary"'), True),
    (_with("website", "https://example.org/a?b=c"), True), (_with("website", "www.example.org"), False),
    (_with("website", "'javascript:alert(1)'"), False),
    (_with("partners", "[UNDP, '']"), False), (_with("partners", "[UNDP, 3]"), False), (_with("partners", "[UNDP]"), True),
    (_with("partners", "UNDP"), False), (_with("keywords", "[a, b]"), True), (_with("keywords", "[' ']"), False),
    (_with("contact", "{name: Jane, email: jane@example.org, public: true}"), True),
    (_with("contact", "{name: Jane, phone: 1}"), False), (_with("contact", "{public: 'yes'}"), False),
    (_with("contact", "{email: jane@@example}"), False),
    (_with("id", "2012-ke-one-stop"), True), (_with("id", "Bad_Id"), False), (_with("id", "a" * 101), False),
    (_sections("\n  problem: a\n  solution: b\n  impact: c\n"), False),
    (_sections("\n  problem: a\n  solution: b\n  impact: c\n  lessons: '---'"), False),
    (_sections("\n  problem: a\n  solution: b\n  impact: c\n  lessons: d\n  extra: e"), False),
    (_sections(" ~"), False), (_sections(" {}"), False),
    (ENTRY + "unknown: 1\n", False),
]


@pytest.mark.parametrize("text, accepted", AGREEMENT, ids=[f"{n}" for n in range(len(AGREEMENT))])
def test_validator_and_schema_agree(project, text, accepted):
    write(project, ENTRY_FILE, text)
    result = validate_project(project)
    assert (not result.errors) == accepted, [str(i) for i in result.errors]
    _, docs = load_project(project)
    data = json.loads(json.dumps(docs[0].data, default=str))
    schema = entry_schema(result.edition or validate_project(project).edition)
    found = list(Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(data))
    assert (not found) == accepted, [e.message for e in found]


EXTRA_AGREEMENT = [
    (SDG_ENTRY, True),
    (SDG_ENTRY.replace("sdgs: [5, \"16\", Gender Equality]", "sdgs: [5, 16]"), True),
    (SDG_ENTRY.replace("sdgs: [5, \"16\", Gender Equality]", "sdgs: [18]"), False),
    (SDG_ENTRY.replace("sdgs: [5, \"16\", Gender Equality]", "sdgs: []"), False),
    (SDG_ENTRY.replace("sdgs: [5, \"16\", Gender Equality]", "sdgs:"), False),
    (SDG_ENTRY + "sector: health\n", True), (SDG_ENTRY + "sector: farming\n", False),
    (SDG_ENTRY + "budget: 1500000\n", True), (SDG_ENTRY + "budget: lots\n", False),
    (SDG_ENTRY + "started: 2011-03-01\n", True), (SDG_ENTRY + "started: March 2011\n", False),
    (SDG_ENTRY + "report: https://example.org/r.pdf\n", True), (SDG_ENTRY + "report: example.org\n", False),
    (SDG_ENTRY + "period: 2010–2012\n", True), (SDG_ENTRY + "languages: [en, fr]\n", True),
    (SDG_ENTRY + "languages: en\n", False),
    (SDG_ENTRY.replace("  results: |\n    Half the waiting time.\n", ""), False),  # a required section
    (SDG_ENTRY + "  conclusions: Do it.\n".replace("  conclusions", "conclusions"), False),  # not indented
]


@pytest.mark.parametrize("text, accepted", EXTRA_AGREEMENT, ids=[f"{n}" for n in range(len(EXTRA_AGREEMENT))])
def test_validator_and_schema_agree_on_the_editions_own_form(tmp_path, text, accepted):
    if "sdgs: [5, \"16\", Gender Equality]" in text:  # a title is taken by the validator, not by the schema
        text = text.replace("sdgs: [5, \"16\", Gender Equality]", "sdgs: [5, \"16\"]")
    result = result_of(tmp_path, SDG_EDITION, text)
    assert (not result.errors) == accepted, [str(i) for i in result.errors]
    _, docs = load_project(tmp_path)
    data = json.loads(json.dumps(docs[0].data, default=str))
    edition = validate_project(tmp_path).edition or result.edition
    assert edition is not None
    found = list(Draft202012Validator(entry_schema(edition)).iter_errors(data))
    assert (not found) == accepted, [e.message for e in found]


EDITION_AGREEMENT = [
    (SDG_EDITION, True), (EDITION, True),
    (EDITION.replace("title: Test Awards", 'title: "   "'), False),
    (EDITION.replace("edition: 2012", 'edition: "2012"'), False), (EDITION.replace("edition: 2012", "edition: 1800"), False),
    (EDITION + "language: xx-Latn-ZZ9\n", False), (EDITION + "language: fr-CA\n", True),
    (EDITION + "isbn: 978-92-1-123194-6\n", True), (EDITION + "isbn: 12345\n", False),
    (EDITION + "url: example.org\n", False), (EDITION + "date: 2012-06-23\n", True), (EDITION + "date: June\n", False),
    (EDITION + "group_by: [region, theme]\n", True), (EDITION + "group_by: [theme, theme]\n", False),
    (EDITION + "regions: [Africa, Africa]\n", False), (EDITION + "editors: [a, '']\n", False),
    (EDITION + "subtitle: ~\n", True), (EDITION + "sections:\n  - {id: Objective}\n", False),
    (EDITION + "sections:\n  - {id: objective, title: {fr: Objectif, en: Objective}, words: 100}\n", True),
    (EDITION + "sections:\n  - {id: objective, colour: red}\n", False),
    (EDITION + "fields:\n  - {id: my_field, type: number, show: body}\n", True),
    (EDITION + "fields:\n  - {id: My-Field, type: number}\n", False),
    (EDITION + "fields:\n  - {id: x, type: number, show: sidebar}\n", False),
    (EDITION + "fields:\n  - {type: number}\n", False),
    (EDITION + "vocabularies:\n  sectors: [{id: 1, title: One, colour: '#AABBCC'}]\n", True),
    (EDITION + "vocabularies:\n  sectors: [{id: a, colour: red}]\n", False),
    (EDITION + "vocabularies:\n  sectors: [{title: A}]\n", False),
    (EDITION + "countries:\n  XK: {name: Kosovo, region: Europe and North America, alpha3: XKX}\n", True),
    (EDITION + "countries:\n  XK: {name: Kosovo, region: Europe and North America, flag: x}\n", False),
    (EDITION + "pdf: {page_size: Letter}\n", True), (EDITION + "pdf: {page_size: A5}\n", False),
]


@pytest.mark.parametrize("text, accepted", EDITION_AGREEMENT, ids=[f"{n}" for n in range(len(EDITION_AGREEMENT))])
def test_validator_and_schema_agree_on_the_edition(tmp_path, text, accepted):
    write(tmp_path, "compendium.yaml", text)
    result = validate_project(tmp_path)
    assert (not result.errors) == accepted, [str(i) for i in result.errors]
    edition_doc, _ = load_project(tmp_path)
    data = json.loads(json.dumps(edition_doc.data, default=str))
    found = list(Draft202012Validator(edition_schema()).iter_errors(data))
    assert (not found) == accepted, [e.message for e in found]


def test_edition_schema_knows_every_key_and_agrees_on_the_form():
    schema = edition_schema()
    assert list(schema["properties"]) == list(EDITION_KEYS)
    validator = Draft202012Validator(schema)
    import yaml

    assert list(validator.iter_errors(json.loads(json.dumps(yaml.safe_load(SDG_EDITION), default=str)))) == []
    bad = yaml.safe_load(SDG_EDITION)
    bad["fields"][0]["type"] = "colour"
    assert list(validator.iter_errors(bad))


# --- the edition's own form ----------------------------------------------------------------------

def test_sdg_form_reads_sections_in_order_and_extra_fields(tmp_path):
    result = result_of(tmp_path, SDG_EDITION, SDG_ENTRY + "sector: Santé\nbudget: 1500000\nstarted: 2011-03-01\n")
    assert not result.errors, [str(i) for i in result.issues]
    (e,) = result.entries
    assert [k for k, _ in e.sections] == ["objective", "results"]  # the optional one left out
    assert e.value("sdgs") == ("5", "16")  # "Gender Equality" is SDG 5: taken once
    assert e.value("sector") == "health" and e.value("budget") == 1500000
    assert str(e.value("started")) == "2011-03-01"
    edition = result.edition
    assert edition.section_title("objective") == "Objective"
    assert edition.section_title("objective", "fr-CA") == "Objectif"
    assert edition.section_title("results", "fr") == "Results"
    assert [v.id for v in edition.vocabularies] == ["sdgs", "sectors"]
    assert edition.vocabulary("sdgs").term("5").colour == "#FF3A21"
    assert e.where("sections.results").line == 12 and e.where("sdgs").line == 14


def test_default_form_titles_in_the_books_language(tmp_path):
    result = result_of(tmp_path, EDITION + "language: fr\n", ENTRY)
    assert result.edition.section_title("problem") == "Le problème"
    assert result.edition.section_title("lessons", "en") == "Lessons learned"


def test_section_word_limit_is_the_editions(tmp_path):
    entry = SDG_ENTRY.replace("Half the waiting time.", "word " * 51)
    result = result_of(tmp_path, SDG_EDITION, entry)
    assert [(i.code, i.severity) for i in result.issues] == [("entry.section-length", "warning")]
    assert "section 'results' has 51 words; keep it to 50 or fewer" in result.issues[0].message


def test_unknown_term_suggests_by_meaning_then_spelling(tmp_path):
    result = result_of(tmp_path, SDG_EDITION, SDG_ENTRY + "sector: helth\n")
    (issue,) = result.errors
    assert (issue.code, issue.source.line) == ("entry.field", 15)
    assert issue.message == "'sector': 'helth' is not one of health, education; did you mean 'health'?"


@pytest.mark.parametrize("declaration, message", [
    ("fields:\n  - {id: title, type: text}\n", "field id 'title' is a built-in key of entries"),
    ("fields:\n  - {id: x, type: colour}\n", "'type' in item 1 of 'fields': 'colour' is not one of text, markdown"),
    ("fields:\n  - {id: x, type: choice}\n", "field 'x' is a choice: give its 'vocabulary'"),
    ("fields:\n  - {id: x, type: list, vocabulary: sdg}\n", "vocabulary 'sdg' is neither built in nor declared"),
    ("fields:\n  - {id: x, type: number, index: true}\n", "only fields with a vocabulary can be indexed"),
    ("sections:\n  - {id: a}\n  - {id: a}\n", "section 'a' is declared twice"),
    ("sections:\n  - {title: A}\n", "missing required key 'id' in item 1 of 'sections'"),
    ("sections:\n  - {id: a, title: {english: A}}\n", "'title.english' in item 1 of 'sections' is not a BCP 47 language tag"),
    ("vocabularies:\n  sdgs: [{id: a}]\n", "vocabulary id 'sdgs' is built in"),
    ("vocabularies:\n  x: [{id: a, colour: red}]\n", "colour 'red' must be written #RRGGBB"),
    ("countries:\n  XK: {name: Kosovo, region: Balkans}\n", "region 'Balkans' is not one of the edition's regions"),
    ("countries:\n  XK: {name: Kosovo}\n", "missing required key 'countries.XK.region'"),
])
def test_bad_form_declarations_are_located(tmp_path, declaration, message):
    result = result_of(tmp_path, EDITION + declaration, ENTRY)
    assert any(message in i.message and i.source.path == "compendium.yaml" and i.source.line > 6
               for i in result.errors), [str(i) for i in result.issues]


# --- countries that are not UN members -----------------------------------------------------------

@pytest.mark.parametrize("value, named", [("HK", "'HK' (Hong Kong, China)"), ("Kosovo", "'Kosovo'"),
                                          ("TW", "'TW' (Taiwan)"), ('"Hong Kong"', "'Hong Kong' (Hong Kong, China)")])
def test_territory_without_declaration_says_how_to_declare_it(project, value, named):
    write(project, ENTRY_FILE, ENTRY.replace("country: KE", f"country: {value}"))
    (issue,) = validate_project(project).errors
    assert (issue.code, issue.source.line, issue.source.col) == ("entry.country", 3, 10)
    assert f"{named} is not a UN member or observer state" in issue.message
    # the lines to add, pasted into compendium.yaml as they are, declare it: the name is quoted where
    # YAML needs it ('Hong Kong, China' has a comma, which would end the name inside {...})
    lines = issue.message.split("its region: ")[1]
    write(project, "compendium.yaml", (project / "compendium.yaml").read_text(encoding="utf-8") + lines + "\n")
    assert validate_project(project).errors == ()


def test_declared_territory_is_a_country_of_the_edition(tmp_path):
    edition = EDITION + "countries:\n  XK: {name: Kosovo, region: Europe and North America}\n" \
                        "country_regions:\n  XK: Europe and North America\n"
    result = result_of(tmp_path, edition, ENTRY.replace("country: KE", "country: Kosovo"))
    assert not result.issues, [str(i) for i in result.issues]
    (e,) = result.entries
    assert (e.country.alpha2, e.country.name, e.region) == ("XK", "Kosovo", "Europe and North America")


# --- no value slips through ----------------------------------------------------------------------

BLANKS = ["", "~", '"   "', '"\\u200b"', '"\\u00a0\\u200d"', '"&nbsp;"', '"---"', '"\\ufeff"']
REQUIRED = [("year", 1, 7), ("title", 2, 8), ("country", 3, 10), ("institution", 4, 14), ("category", 5, 11),
            ("place", 6, 8), ("summary", 7, 10)]


@pytest.mark.parametrize("blank", BLANKS)
@pytest.mark.parametrize("key, line, col", REQUIRED)
def test_every_required_key_blank_counts_as_missing(project, key, line, col, blank):
    write(project, ENTRY_FILE, _with(key, blank))
    result = validate_project(project)
    assert result.entries == ()
    (issue,) = result.errors
    assert issue.source.line == line and f"'{key}' is empty" in issue.message, str(issue)


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_section_counts_as_missing(project, blank):
    write(project, ENTRY_FILE, ENTRY.replace("    Start small.\n", "").replace("lessons: |", f"lessons: {blank}"))
    (issue,) = validate_project(project).errors
    assert (issue.source.line, issue.message) == (16, "'sections.lessons' is empty")


def test_place_empty_says_what_to_give(project):
    write(project, ENTRY_FILE, _with("place", ""))
    (issue,) = validate_project(project).errors
    assert issue.message == "'place' is empty; give one of 1st, 2nd, 3rd, winner, finalist, special"


def test_blank_optional_value_is_absent(project):
    write(project, ENTRY_FILE, ENTRY + 'website: ""\npartners: []\nregion: "\\u200b"\n')
    result = validate_project(project)
    assert not result.issues and result.entries[0].website == "" and result.entries[0].region == "Africa"


def test_sections_not_indented_is_one_error_that_says_where_they_belong(project):
    write(project, ENTRY_FILE, re.sub(r"(?m)^  (problem|solution|impact|lessons):", r"\1:", ENTRY))
    result = validate_project(project)
    (issue,) = result.errors
    assert (issue.code, issue.source.line, issue.source.col) == ("entry.indent", 9, 1)
    assert issue.message == ("'sections' is empty and 'problem', 'solution', 'impact', 'lessons' below it are not "
                             "indented: they belong under 'sections:'; indent them by two spaces")


def test_one_section_not_indented(project):
    write(project, ENTRY_FILE, ENTRY.replace("  lessons:", "lessons:"))
    codes = [(i.code, i.source.line, i.message) for i in validate_project(project).errors]
    assert codes == [("entry.indent", 16, "'lessons' belongs under 'sections:'; indent it by two spaces")]


@pytest.mark.parametrize("value, meant", [
    ("First Place", "1st"), ("first", "1st"), ("1st place", "1st"), ("1", "1st"), ('"1"', "1st"), ("second", "2nd"),
    ("runner-up", "2nd"), ("Runner up", "2nd"), ("third", "3rd"), ("bronze", "3rd"), ("premier prix", "1st"),
    ("Première place", "1st"), ("primer lugar", "1st"), ("segundo", "2nd"), ("первое место", "1st"),
    ("Второе место", "2nd"), ("一等奖", "1st"), ("亚军", "2nd"), ("المركز الأول", "1st"), ("Lauréat", "winner"),
    ("ganadora", "winner"), ("Finaliste", "finalist"), ("honourable mention", "special"), ("mención especial", "special"),
    ("finalst", "finalist"),
])
def test_place_suggested_by_meaning_in_the_six_languages(project, value, meant):
    write(project, ENTRY_FILE, _with("place", value))
    (issue,) = validate_project(project).errors
    assert issue.code == "entry.place" and issue.message.endswith(f"; did you mean '{meant}'?"), issue.message
    assert "put it in quotes" not in issue.message


def test_nfd_file_names_match_composed_names_and_near_misses_say_what_differs(project):
    from PIL import Image

    folder = project / "entries" / "images"
    folder.mkdir(parents=True)
    for stem in ("Tiergestützte Begleitung", "Frühförderung"):
        Image.new("RGB", (800, 450)).save(folder / (unicodedata.normalize("NFD", stem) + ".png"))
    items = [("images/Frühförderung.png", None), (unicodedata.normalize("NFD", "images/Tiergestützte Begleitung.png"), None),
             ("images\\\\Frühförderung.png", "write '/' between folders: 'images/Frühförderung.png'"),
             ("images/frühförderung.PNG", "differ in letter case"), ("images/Fruhforderung.png", "did you mean")]
    text = ENTRY + "images:\n" + "".join(f'  - file: "{f}"\n    alt: A picture\n' for f, _ in items)
    write(project, ENTRY_FILE, text)
    result = validate_project(project)
    messages = [i.message for i in result.errors]
    assert len(messages) == 3, messages
    for (_, hint), message in zip(items[2:], messages):
        assert hint in message, message


# --- the README documents the declaration --------------------------------------------------------

def _readme_table(heading: str) -> dict[str, str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| (required)? ?\|", section, re.M)
    return {key: req for key, req in rows}


def test_readme_edition_table_is_the_declaration():
    table = _readme_table("## The edition file `compendium.yaml`")
    assert list(table) == list(EDITION_KEYS)
    assert {k for k, r in table.items() if r} == {f.key for f in spec.EDITION if f.required}


def test_readme_entry_example_is_the_declaration():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## The entry file", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    keys = re.findall(r"^([a-z_]+):", block, re.M)
    assert keys == list(spec.ENTRY_KEYS)
    for field in spec.ENTRY:
        line = next(ln for ln in block.splitlines() if ln.startswith(f"{field.key}:"))
        assert ("# required" in line) == field.required, line


# --- links are judged where they can be, with the renderers' verdict -----------------------------

@pytest.mark.parametrize("url", ["https://example.org", "http://a.b.example.org/x/y?q=1&r=2#top", "https://x.org/a_(b)",
                                 "https://example.org/%41", "https://example.org:8080/", "https://xn--bcher-kva.example/"])
def test_plain_urls_skipped_by_validation_are_links_the_books_keep(url):
    from compendium.book.text import clean_url
    from compendium.input.fields import _PLAIN_URL

    if _PLAIN_URL.fullmatch(url):
        assert clean_url(url) is not None


@pytest.mark.parametrize("markdown, target", [
    ("See <javascript:alert(1)>.", "javascript:alert(1)"),
    ("See [x][r].\n\n[r]: javascript:alert(2)\n", "javascript:alert(2)"),
    ("[x](<javascript:alert(3)>)", "javascript:alert(3)"),
    ("[x](  JAVASCRIPT:alert(4) )", "JAVASCRIPT:alert(4)"),
    ("[x](http://exa..mple.org)", "http://exa..mple.org"),
    ("[x](../relative.html)", "../relative.html"),
])
def test_every_kind_of_link_is_judged(markdown, target):
    from compendium.input.fields import link_problems

    assert [t for t, _ in link_problems(markdown)] == [target]


def test_a_link_is_reported_once_by_validation_and_not_again_by_the_site(project, tmp_path):
    write(project, ENTRY_FILE, ENTRY.replace("A short **summary**.", "See [it](http://exa..mple.org)."))
    result = validate_project(project)
    assert [(i.code, i.source.line, i.source.col) for i in result.issues] == [("entry.link", 7, 10)]
    from compendium.book.group import build_book
    from compendium.render import html
    from compendium.render.common import RenderContext

    ctx = RenderContext(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    html.render(build_book(result.edition, result.entries), ctx)
    assert [i for i in ctx.warnings if "link" in i.code] == []
