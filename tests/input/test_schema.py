"""JSON Schemas of the entry and edition formats: valid draft 2020-12, in step with the validator."""
import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from compendium.input.load import PROJECT_FILE, load_project, read_yaml
from compendium.input.schema import edition_schema, entry_schema, series_schema
from compendium.input.series import validate_series
from compendium.input.spec import ENTRY, ENTRY_KEYS, required_keys
from compendium.input.validate_edition import EDITION_KEYS, REQUIRED_EDITION_KEYS
from compendium.model import DEFAULT_REGIONS, PLACES, SECTIONS, Edition, Source, Theme
from compendium.render import PAGE_SIZES

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_ENTRY_KEYS = required_keys(ENTRY)

ENTRY = {
    "id": "2012-br-poupatempo",
    "year": 2012,
    "title": "Poupatempo: one roof for public services",
    "country": "BR",
    "region": "Latin America and the Caribbean",
    "institution": "Prodesp",
    "category": "service-delivery",
    "place": "1st",
    "language": "pt-BR",
    "summary": "Dozens of services under one roof.\n",
    "sections": {key: f"The {key}.\n" for key in SECTIONS},
    "partners": ["Federal Police"],
    "website": "https://www.poupatempo.sp.gov.br",
    "contact": {"name": "Ana", "email": "ana@example.org", "public": True},
    "images": [{"file": "images/chart.png", "alt": "A bar chart", "caption": "Waiting times", "credit": "Prodesp"}],
    "keywords": ["one-stop shop"],
}

EDITION = {
    "title": "United Nations Public Service Awards",
    "subtitle": "Compendium",
    "edition": 2012,
    "language": "en",
    "publisher": "UN DESA",
    "isbn": "978-92-1-123194-6",
    "license": "CC BY 4.0",
    "editors": ["DPADM"],
    "date": "2012-06-23",
    "introduction": "introduction.md",
    "cover": "cover.png",
    "group_by": ["region", "theme"],
    "themes": [{"id": "service-delivery", "name": "Improving the Delivery of Public Services", "description": "Better services."}],
    "regions": list(DEFAULT_REGIONS),
    "country_regions": {"MX": "Latin America and the Caribbean"},
    "pdf": {"page_size": "Letter"},
}


def given(prop):
    """The schema of an optional key's value (an optional key may also be given blank)."""
    return prop["anyOf"][0] if "anyOf" in prop else prop


def validator(schema):
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(schema, instance):
    return list(validator(schema).iter_errors(instance))


@pytest.fixture
def edition(tmp_path):
    return Edition(root=tmp_path, source=Source("compendium.yaml", 1, 1), title="T", edition=2012,
                   themes=(Theme("service-delivery", "Improving the Delivery of Public Services"),))


def entry(**changes):
    out = copy.deepcopy(ENTRY)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


@pytest.mark.parametrize("make", [entry_schema, edition_schema])
def test_schemas_are_valid_draft_2020_12(make):
    schema = make()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://") and schema["title"] and schema["description"]
    json.dumps(schema)  # plain JSON, ready to be written to a .json file


def test_schema_with_edition_is_valid(edition):
    Draft202012Validator.check_schema(entry_schema(edition))


def test_every_entry_key_has_a_description():
    schema = entry_schema()
    assert list(schema["properties"]) == list(ENTRY_KEYS)
    assert schema["required"] == list(REQUIRED_ENTRY_KEYS)
    assert schema["additionalProperties"] is False
    for key in ENTRY_KEYS:
        assert len(schema["properties"][key]["description"]) > 20, key


def test_every_edition_key_has_a_description():
    schema = edition_schema()
    assert list(schema["properties"]) == list(EDITION_KEYS)
    assert schema["required"] == list(REQUIRED_EDITION_KEYS)
    for key in EDITION_KEYS:
        assert len(schema["properties"][key]["description"]) > 20, key


def test_valid_entry_passes(edition):
    assert errors(entry_schema(), ENTRY) == []
    assert errors(entry_schema(edition), ENTRY) == []
    minimal = {key: ENTRY[key] for key in REQUIRED_ENTRY_KEYS}
    assert errors(entry_schema(), minimal) == []


@pytest.mark.parametrize("bad", [
    entry(extra="unknown key"),
    entry(place="first"),
    entry(website="javascript:alert(1)"),
    entry(website="ftp://example.org"),
    entry(images=[{"file": "images/chart.png"}]),
    entry(images=[{"file": "images/chart.png", "alt": ""}]),
    entry(images=[{"file": "/etc/passwd", "alt": "x"}]),
    entry(images=[{"file": "https://example.org/x.png", "alt": "x"}]),
    entry(images=[{"file": "C:\\x.png", "alt": "x"}]),
    entry(images=[{"file": "x.png", "alt": "x", "width": 600}]),
    entry(sections={key: "text" for key in SECTIONS[:-1]}),
    entry(sections={**{key: "text" for key in SECTIONS}, "background": "text"}),
    entry(sections={**{key: "text" for key in SECTIONS}, SECTIONS[0]: ""}),
    entry(summary=""),
    entry(title=None),
    entry(id="2012_BR"),
    entry(year="2012"),
    entry(language="english!"),
    entry(contact={"name": "Ana", "phone": "123"}),
    entry(contact={"email": "not-an-email"}),
    entry(contact={"public": "yes"}),
    entry(partners="Federal Police"),
    entry(keywords=[1]),
], ids=lambda e: next((f"{k}={e[k]!r}" for k in e if e[k] != ENTRY.get(k)), "missing key")[:60])
def test_invalid_entries_fail(bad):
    assert errors(entry_schema(), bad)


def test_place_enum_is_the_models():
    assert entry_schema()["properties"]["place"]["enum"] == list(PLACES)
    for place in PLACES:
        assert errors(entry_schema(), entry(place=place)) == []


def test_edition_pins_category_region_and_year(edition):
    schema = entry_schema(edition)
    props = schema["properties"]
    assert "service-delivery" in props["category"]["enum"]
    assert "Improving the Delivery of Public Services" in props["category"]["enum"]
    assert given(props["region"])["enum"] == list(edition.regions)
    assert props["year"]["const"] == 2012
    assert errors(schema, entry(category="Improving the Delivery of Public Services")) == []
    assert errors(schema, entry(category="participation"))
    assert errors(schema, entry(region="Atlantis"))
    assert errors(schema, entry(year=2013))
    plain = entry_schema()["properties"]
    assert "enum" not in plain["category"] and "enum" not in given(plain["region"]) and "const" not in plain["year"]
    assert errors(entry_schema(), entry(category="participation", region="Atlantis", year=2013)) == []


def test_valid_edition_passes():
    assert errors(edition_schema(), EDITION) == []
    minimal = {key: EDITION[key] for key in REQUIRED_EDITION_KEYS}
    assert errors(edition_schema(), minimal) == []


def edition_with(**changes):
    return {**copy.deepcopy(EDITION), **changes}


@pytest.mark.parametrize("bad", [
    edition_with(extra=1),
    edition_with(group_by=["theme", "theme"]),
    edition_with(group_by="theme"),
    edition_with(themes=[]),
    edition_with(themes=[{"id": "Service Delivery", "name": "x"}]),
    edition_with(themes=[{"id": "service-delivery"}]),
    edition_with(themes=[{"id": "a", "name": "A", "colour": "red"}]),
    edition_with(regions=["Africa", "Africa"]),
    edition_with(country_regions={"MX": 1}),
    edition_with(isbn="ISBN 978-92-1-123194-6"),
    edition_with(isbn=1234567890123),
    edition_with(date="23 June 2012"),
    edition_with(pdf={"page_size": "A5"}),
    edition_with(pdf={"margins": 2}),
    edition_with(edition="2012"),
    edition_with(cover="/tmp/cover.png"),
], ids=lambda e: next((f"{k}={e[k]!r}" for k in e if e[k] != EDITION.get(k)), "?")[:60])
def test_invalid_editions_fail(bad):
    assert errors(edition_schema(), bad)


def test_edition_enums_follow_the_constants():
    props = edition_schema()["properties"]
    assert given(props["pdf"])["properties"]["page_size"]["enum"] == list(PAGE_SIZES)
    assert sorted(map(tuple, given(props["group_by"])["enum"])) == [("region", "theme"), ("theme", "region")]
    assert errors(edition_schema(), edition_with(isbn="9789211231946")) == []


def _plain(value):
    """Raw YAML values as JSON would see them (YAML dates become ISO strings, as in an editor)."""
    return json.loads(json.dumps(value, default=str))


@pytest.mark.skipif(not (ROOT / PROJECT_FILE).is_file(), reason="no sample project in the checkout")
def test_sample_project_matches_the_schemas():
    """What the validator accepts, the schemas accept too: the sample series' file, each edition's
    file (its keys may come from the series) and every entry against its edition's form."""
    result = validate_series(ROOT)
    if result.errors:
        pytest.skip("the sample project does not validate at the moment")
    assert errors(series_schema(), _plain(read_yaml(ROOT / PROJECT_FILE, ROOT).data)) == []
    for edition in result.series.editions:
        edition_doc, docs = load_project(ROOT / edition.folder)
        assert errors(edition_schema(in_series=True), _plain(edition_doc.data)) == [], edition.folder
        assert errors(edition_schema(), _plain(edition_doc.data)), "an edition of a series alone lacks its title"
        schema = entry_schema(edition)
        assert docs
        for doc in docs:
            assert [e.message for e in errors(schema, _plain(doc.data))] == [], doc.rel
