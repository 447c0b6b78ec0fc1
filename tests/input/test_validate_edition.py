"""Validation of compendium.yaml: every edition.* code, at the exact line:col."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image as PILImage

from compendium.input.load import read_yaml
from compendium.input.validate import validate_project
from compendium.input.validate_edition import isbn13, validate_edition
from compendium.model import DEFAULT_REGIONS
from compendium.render import option_value
from tests.helpers import EDITION, ENTRY, write

APPEND = EDITION.count("\n") + 1  # 8: the first line of appended keys


def edition(root: Path, text: str):
    """Validate an edition text alone: (Edition or None, sorted [(code, severity, line, col)], {code: message})."""
    doc = read_yaml(write(root, "compendium.yaml", text), root)
    ed, issues = validate_edition(doc, root)
    issues = sorted(issues, key=lambda i: i.source)
    return ed, [(i.code, i.severity, i.source.line, i.source.col) for i in issues], {i.code: i.message for i in issues}


def test_minimal_edition(tmp_path):
    ed, found, _ = edition(tmp_path, EDITION)
    assert found == []
    assert ed.title == "Test Awards" and ed.edition == 2012 and ed.language == "en"
    assert [t.id for t in ed.themes] == ["service-delivery", "knowledge-management"]
    assert ed.regions == DEFAULT_REGIONS and ed.group_by == ("theme", "region")
    assert option_value(ed, "pdf", "page_size") == "A4" and ed.isbn == "" and ed.introduction == "" and ed.cover is None
    assert ed.root == tmp_path


def test_full_edition(tmp_path):
    write(tmp_path, "intro.md", "\ufeffWelcome to the *awards*.\n")
    PILImage.new("RGB", (1200, 1600)).save(tmp_path / "cover.png")
    ed, found, _ = edition(tmp_path, EDITION + (
        "subtitle: A subtitle\nlanguage: fr\npublisher: UN DESA\nisbn: 978-92-1-123194-6\nlicense: CC BY 4.0\n"
        "editors: [Jane Doe, John Roe]\ndate: 2012-06-23\nintroduction: intro.md\ncover: cover.png\n"
        "group_by: [region, theme]\nregions: [Africa, Western Asia]\ncountry_regions: {EG: Western Asia}\n"
        "pdf: {page_size: Letter}\n"
    ))
    assert found == []
    assert ed.isbn == "9789211231946"
    assert ed.editors == ("Jane Doe", "John Roe") and ed.date == dt.date(2012, 6, 23)
    assert ed.introduction == "Welcome to the *awards*.\n"  # the BOM is dropped
    assert (ed.cover.rel, ed.cover.width, ed.cover.format) == ("cover.png", 1200, "png")
    assert ed.group_by == ("region", "theme") and ed.regions == ("Africa", "Western Asia")
    assert ed.country_regions == (("EG", "Western Asia"),) and option_value(ed, "pdf", "page_size") == "Letter"
    assert ed.language == "fr" and ed.dir == "ltr"


def test_not_a_mapping(tmp_path):
    ed, found, _ = edition(tmp_path, "- title: x\n")
    assert ed is None and found == [("edition.not-mapping", "error", 1, 1)]


def test_null_document_is_not_a_mapping(tmp_path):
    ed, found, _ = edition(tmp_path, "~\n")
    assert ed is None and found == [("edition.not-mapping", "error", 1, 1)]


def test_file_problems_come_first(tmp_path):
    ed, found, _ = edition(tmp_path, "title: [x\n")
    assert ed is None and [f[0] for f in found] == ["yaml.syntax"]


def test_unknown_key_with_suggestion(tmp_path):
    ed, found, msg = edition(tmp_path, EDITION + "subtitel: x\n")
    assert ed is None
    assert found == [("edition.unknown-key", "error", APPEND, 1)]
    assert msg["edition.unknown-key"] == "unknown key 'subtitel'; did you mean 'subtitle'?"


def test_missing_keys_at_the_mapping(tmp_path):
    ed, found, _ = edition(tmp_path, "# edition\nsubtitle: x\n")
    assert ed is None
    assert found == [("edition.missing", "error", 2, 1)] * 3


def test_missing_message(tmp_path):
    _, _, msg = edition(tmp_path, EDITION.replace("title: Test Awards\n", ""))
    assert msg == {"edition.missing": "missing required key 'title'"}


def test_wrong_types(tmp_path):
    ed, found, msg = edition(tmp_path, EDITION.replace("title: Test Awards", "title: 2012")
                             .replace("edition: 2012", "edition: '2012'") + "editors: Jane\n")
    assert ed is None
    assert found == [("edition.type", "error", 1, 8), ("edition.type", "error", 2, 10),
                     ("edition.type", "error", APPEND, 10)]


def test_title_as_number_hint(tmp_path):
    _, _, msg = edition(tmp_path, EDITION.replace("title: Test Awards", "title: 2012"))
    assert msg["edition.type"] == "'title' must be text, not the number 2012; put it in quotes"


@pytest.mark.parametrize("year", ["12", "1899", "2201", "-2012"])
def test_implausible_year(tmp_path, year):
    ed, found, msg = edition(tmp_path, EDITION.replace("edition: 2012", f"edition: {year}"))
    assert ed is None and found == [("edition.year", "error", 2, 10)]
    assert "must be the award year" in msg["edition.year"]


@pytest.mark.parametrize("isbn", ["978-92-1-123194-6", "9789211231946", "978 92 1 123194 6", "978-0-306-40615-7"])
def test_valid_isbn(tmp_path, isbn):
    ed, found, _ = edition(tmp_path, EDITION + f"isbn: '{isbn}'\n")
    assert found == []
    assert len(ed.isbn) == 13 and ed.isbn.isdigit()


@pytest.mark.parametrize("isbn", ["978-92-1-123194-5", "978-92-1-12319", "0-306-40615-2", "977-0-306-40615-7",
                                  "978-0-306-4061X-7"])
def test_invalid_isbn(tmp_path, isbn):
    ed, found, msg = edition(tmp_path, EDITION + f"isbn: '{isbn}'\n")
    assert ed is None and found == [("edition.isbn", "error", APPEND, 7)]
    assert f"'{isbn}' is not a valid ISBN-13" in msg["edition.isbn"]


def test_isbn13_checksum():
    assert isbn13("978-0-306-40615-7") == "9780306406157"
    assert isbn13("978-0-306-40615-8") is None
    assert isbn13("979-10-90636-07-1") == "9791090636071"


def test_unquoted_isbn_is_read_as_its_digits(tmp_path):
    ed, found, _ = edition(tmp_path, EDITION + "isbn: 9789211231946\n")
    assert found == [] and ed.isbn == "9789211231946"
    _, found, msg = edition(tmp_path, EDITION + "isbn: 9789211231947\n")
    assert found == [("edition.isbn", "error", APPEND, 7)]
    assert "checksum" in msg["edition.isbn"]


@pytest.mark.parametrize("tag", ["english", "en_GB", "x"])
def test_bad_language(tmp_path, tag):
    ed, found, msg = edition(tmp_path, EDITION + f"language: {tag}\n")
    assert ed is None and found == [("edition.language", "error", APPEND, 11)]
    assert "BCP 47" in msg["edition.language"]


@pytest.mark.parametrize("value", ["2012-13-01", "23/06/2012", "June 2012", "2012"])
def test_bad_date(tmp_path, value):
    ed, found, msg = edition(tmp_path, EDITION + f"date: {value}\n")
    assert ed is None and found == [("edition.date", "error", APPEND, 7)]
    assert "ISO date" in msg["edition.date"]


def test_quoted_iso_date_is_a_date(tmp_path):
    ed, found, _ = edition(tmp_path, EDITION + "date: '2012-06-23'\n")
    assert found == [] and ed.date == dt.date(2012, 6, 23)


def test_introduction_missing(tmp_path):
    ed, found, msg = edition(tmp_path, EDITION + "introduction: intro.md\n")
    assert ed is None and found == [("edition.introduction", "error", APPEND, 15)]
    assert msg["edition.introduction"].startswith("'intro.md' does not exist: looked for intro.md")


def test_introduction_outside(tmp_path):
    (tmp_path / "outside.md").write_text("x")
    project = tmp_path / "p"
    project.mkdir()
    ed, found, msg = edition(project, EDITION + "introduction: ../outside.md\n")
    assert found == [("edition.introduction", "error", APPEND, 15)]
    assert "outside the project" in msg["edition.introduction"]


def test_introduction_absolute(tmp_path):
    _, found, msg = edition(tmp_path, EDITION + f"introduction: {tmp_path / 'intro.md'}\n")
    assert found == [("edition.introduction", "error", APPEND, 15)]
    assert "absolute path" in msg["edition.introduction"]


@pytest.mark.parametrize("content", [b"caf\xe9\n", b"a\x00b", b"x" * 1_000_001])
def test_introduction_not_utf8_text(tmp_path, content):
    write(tmp_path, "intro.md", content)
    _, found, msg = edition(tmp_path, EDITION + "introduction: intro.md\n")
    assert found == [("edition.introduction", "error", APPEND, 15)]
    assert "UTF-8 Markdown text" in msg["edition.introduction"]


def test_cover_problems_use_image_codes(tmp_path):
    write(tmp_path, "cover.png", "not a picture")
    _, found, _ = edition(tmp_path, EDITION + "cover: cover.png\n")
    assert found == [("image.format", "error", APPEND, 8)]
    _, found, _ = edition(tmp_path, EDITION + "cover: ../cover.png\n")
    assert found == [("image.outside", "error", APPEND, 8)]


@pytest.mark.parametrize("value", ["[theme]", "[theme, theme]", "theme", "[theme, region, place]", "[country, region]"])
def test_group_by_wrong(tmp_path, value):
    ed, found, msg = edition(tmp_path, EDITION + f"group_by: {value}\n")
    assert ed is None and found == [("edition.group-by", "error", APPEND, 11)]
    assert msg["edition.group-by"] == "'group_by' must be [theme, region] or [region, theme]"


def test_themes_empty(tmp_path):
    ed, found, msg = edition(tmp_path, "title: T\nedition: 2012\nthemes: []\n")
    assert ed is None and found == [("edition.themes", "error", 3, 9)]
    assert "at least one theme" in msg["edition.themes"]


def test_themes_not_a_list(tmp_path):
    ed, found, _ = edition(tmp_path, "title: T\nedition: 2012\nthemes: service-delivery\n")
    assert ed is None and found == [("edition.themes", "error", 3, 9)]


def test_theme_not_a_mapping(tmp_path):
    ed, found, msg = edition(tmp_path, EDITION + "  - participation\n")
    assert ed is None and found == [("edition.themes", "error", APPEND, 5)]
    assert "each theme must give 'id:' and 'name:'" in msg["edition.themes"]


def test_theme_missing_name_and_unknown_key(tmp_path):
    ed, found, msg = edition(tmp_path, EDITION + "  - id: participation\n    nmae: Participation\n")
    assert ed is None  # told once: the misspelt key, not 'name' missing as well
    assert found == [("edition.themes", "error", APPEND + 1, 5)]
    assert msg["edition.themes"] == "unknown key 'themes[].nmae'; did you mean 'name'?"


@pytest.mark.parametrize("theme_id", ["Service Delivery", "service_delivery", "-x", "Ünïcode"])
def test_theme_id_not_a_slug(tmp_path, theme_id):
    ed, found, msg = edition(tmp_path, EDITION + f"  - id: {theme_id}\n    name: X\n")
    assert ed is None and found == [("edition.theme-id", "error", APPEND, 9)]
    assert f"theme id '{theme_id}' must be lowercase letters a-z, digits and hyphens, for example '" \
        in msg["edition.theme-id"]


def test_duplicate_theme(tmp_path):
    ed, found, msg = edition(tmp_path, EDITION + "  - id: service-delivery\n    name: Again\n")
    assert ed is None and found == [("edition.duplicate-theme", "error", APPEND, 9)]
    assert msg["edition.duplicate-theme"] == "theme id 'service-delivery' is listed twice"


def test_region_not_text(tmp_path):
    ed, found, _ = edition(tmp_path, EDITION + "regions:\n  - Africa\n  - [Asia]\n  - 3\n")
    assert ed is None
    assert found == [("edition.regions", "error", APPEND + 2, 5), ("edition.regions", "error", APPEND + 3, 5)]


def test_duplicate_region(tmp_path):
    ed, found, msg = edition(tmp_path, EDITION + "regions:\n  - Africa\n  - Europe\n  - Africa\n")
    assert ed is None and found == [("edition.duplicate-region", "error", APPEND + 3, 5)]
    assert msg["edition.duplicate-region"] == "region 'Africa' is listed twice"


def test_duplicate_region_after_a_bad_item_points_at_the_duplicate(tmp_path):
    _, found, _ = edition(tmp_path, EDITION + "regions:\n  - 1\n  - Africa\n  - Africa\n")
    assert found == [("edition.regions", "error", APPEND + 1, 5), ("edition.duplicate-region", "error", APPEND + 3, 5)]


def test_country_regions_unknown_country(tmp_path):
    ed, found, msg = edition(tmp_path, EDITION + "country_regions:\n  Egipt: Western Asia\n")
    assert ed is None and found == [("edition.country-regions", "error", APPEND + 1, 3)]
    assert msg["edition.country-regions"] == ("country 'Egipt' is not a known ISO 3166 code or UN country name; "
                                              "did you mean 'Egypt'?")


def test_country_regions_bad_region(tmp_path):
    ed, found, msg = edition(tmp_path, EDITION + "country_regions:\n  EG: Middle East\n")
    assert ed is None and found == [("edition.country-regions", "error", APPEND + 1, 7)]
    assert "region 'Middle East' for Egypt is not one of the edition's regions" in msg["edition.country-regions"]


def test_country_regions_region_must_be_in_custom_regions(tmp_path):
    _, found, msg = edition(tmp_path, EDITION + "regions: [Africa, Arab States]\ncountry_regions: {EG: Western Asia}\n")
    assert found == [("edition.country-regions", "error", APPEND + 1, 23)]


def test_country_regions_not_a_mapping(tmp_path):
    _, found, _ = edition(tmp_path, EDITION + "country_regions: [EG]\n")
    assert found == [("edition.country-regions", "error", APPEND, 18)]


def test_country_regions_accepts_names_and_alpha3(tmp_path):
    ed, found, _ = edition(tmp_path, EDITION + "country_regions: {Egypt: Western Asia, sdn: Western Asia, NO: Africa}\n")
    assert found == []
    assert ed.country_regions == (("EG", "Western Asia"), ("NO", "Africa"), ("SD", "Western Asia"))


def test_country_regions_override_changes_an_entrys_default_region(tmp_path):
    write(tmp_path, "compendium.yaml", EDITION + "country_regions: {EG: Western Asia}\n")
    write(tmp_path, "entries/eg.yaml", ENTRY.replace("country: KE", "country: EG"))
    write(tmp_path, "entries/ke.yaml", ENTRY)
    result = validate_project(tmp_path)
    assert result.issues == ()
    assert {e.id: e.region for e in result.entries} == {"eg": "Western Asia", "ke": "Africa"}
    # an explicit region that differs from the overridden default is a mismatch
    write(tmp_path, "entries/eg.yaml", ENTRY.replace("country: KE", "country: EG") + "region: Africa\n")
    result = validate_project(tmp_path)
    assert [(i.code, i.source.path) for i in result.issues] == [("entry.region-mismatch", "entries/eg.yaml")]
    assert "Egypt's usual region 'Western Asia'" in result.issues[0].message


def test_pdf_options(tmp_path):
    ed, found, msg = edition(tmp_path, EDITION + "pdf:\n  page_size: A5\n  margins: 2cm\n")
    assert ed is None
    assert found == [("edition.pdf.page-size", "error", APPEND + 1, 14), ("edition.pdf.unknown-key", "error", APPEND + 2, 3)]
    assert "page size 'A5' is not one of A4, Letter" in msg["edition.pdf.page-size"]


def test_pdf_not_a_mapping(tmp_path):
    _, found, _ = edition(tmp_path, EDITION + "pdf: A4\n")
    assert found == [("edition.type", "error", APPEND, 6)]


def test_broken_edition_still_checks_entries_for_what_does_not_depend_on_it(tmp_path):
    write(tmp_path, "compendium.yaml", "title: T\n")
    write(tmp_path, "entries/bad.yaml", b"\x00")
    write(tmp_path, "entries/typo.yaml", ENTRY.replace("country: KE", "country: Keyna"))
    result = validate_project(tmp_path)
    assert result.edition is None and result.entries == ()
    assert [(i.source.path, i.code) for i in result.issues] == [
        ("compendium.yaml", "edition.missing"), ("compendium.yaml", "edition.missing"),
        ("entries/bad.yaml", "file.binary"), ("entries/typo.yaml", "entry.country"),
        ("compendium.yaml", "edition.entries-partly-checked")]
    assert "not checked for their year and their category" in result.issues[-1].message
    assert result.files == 3
