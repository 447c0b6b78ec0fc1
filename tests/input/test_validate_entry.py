"""Validation of entry files: every entry.* and image.* code, at the exact line:col."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image as PILImage

from compendium.input.validate import validate_project
from tests.helpers import EDITION, ENTRY, write

ENTRY_FILE = "entries/ke-one-stop.yaml"
LAST_LINE = ENTRY.count("\n")  # 17: appended keys start on line 18


def entry(project: Path, *replace: tuple[str, str], append: str = "", name: str = ENTRY_FILE) -> Path:
    text = ENTRY
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    return write(project, name, text + append)


def issues(project: Path, paths=None):
    """(code, severity, line, col) of every issue, and the messages by code."""
    result = validate_project(project, paths)
    return [(i.code, i.severity, i.source.line, i.source.col) for i in result.issues], result


def message(result, code: str) -> str:
    found = [i.message for i in result.issues if i.code == code]
    assert len(found) == 1, [str(i) for i in result.issues]
    return found[0]


def png(path: Path, width: int = 800, height: int = 500, fmt: str = "PNG") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(path, fmt)
    return path


def test_valid_entry(project):
    found, result = issues(project)
    assert found == []
    (e,) = result.entries
    assert e.id == "ke-one-stop" and e.country.name == "Kenya" and e.region == "Africa"
    assert e.theme.id == "service-delivery" and e.place == "1st" and e.title == "One-stop shops"
    assert [k for k, _ in e.sections] == ["problem", "solution", "impact", "lessons"]
    assert result.files == 2


def test_not_a_mapping(project):
    write(project, ENTRY_FILE, "- a\n- b\n")
    found, result = issues(project)
    assert found == [("entry.not-mapping", "error", 1, 1)]


@pytest.mark.parametrize("text", ["~\n", "just text\n", "2012\n"])
def test_scalar_document_is_not_a_mapping(project, text):
    write(project, ENTRY_FILE, text)
    found, _ = issues(project)
    assert found == [("entry.not-mapping", "error", 1, 1)]


# --- keys --------------------------------------------------------------------------------------


def test_unknown_key_with_suggestion(project):
    entry(project, ("summary:", "summery:"))
    found, result = issues(project)
    assert ("entry.unknown-key", "error", 7, 1) in found
    assert "unknown key 'summery'; did you mean 'summary'?" in message(result, "entry.unknown-key")
    assert not any(code == "entry.missing" for code, *_ in found)  # told once, as the misspelt key


def test_missing_keys_reported_at_the_mapping(project):
    write(project, ENTRY_FILE, "# a comment\n\n" + ENTRY.replace("year: 2012\n", "").replace('title: "One-stop shops"\n', ""))
    found, result = issues(project)
    assert found == [("entry.missing", "error", 3, 1), ("entry.missing", "error", 3, 1)]
    messages = sorted(i.message for i in result.issues)
    assert messages == ["missing required key 'title'", "missing required key 'year'"]


def test_every_required_key_missing(project):
    write(project, ENTRY_FILE, "keywords: [a]\n")
    found, result = issues(project)
    missing = sorted(i.message.split("'")[1] for i in result.issues if i.code == "entry.missing")
    assert missing == sorted(["year", "title", "country", "institution", "category", "place", "summary", "sections"])
    assert {f[2:] for f in found} == {(1, 1)}


def test_title_as_number_hints_to_quote(project):
    entry(project, ('title: "One-stop shops"', "title: 2012"))
    found, result = issues(project)
    assert found == [("entry.type", "error", 2, 8)]
    assert message(result, "entry.type") == "'title' must be text, not the number 2012; put it in quotes"


def test_date_title_hints_to_quote(project):
    entry(project, ('title: "One-stop shops"', "title: 2012-06-23"))
    found, result = issues(project)
    assert found == [("entry.type", "error", 2, 8)]
    assert message(result, "entry.type") == "'title' must be text, not the date 2012-06-23; put it in quotes"


def test_boolean_institution_hints_to_quote(project):
    entry(project, ("institution: Ministry of Public Service", "institution: yes"))
    found, _ = issues(project)
    assert found == []  # YAML 1.2: yes is text
    entry(project, ("institution: Ministry of Public Service", "institution: true"))
    found, result = issues(project)
    assert found == [("entry.type", "error", 4, 14)]
    assert "the boolean true; put it in quotes" in message(result, "entry.type")


def test_empty_required_value(project):
    entry(project, ('title: "One-stop shops"', "title:"))
    found, result = issues(project)
    assert found == [("entry.type", "error", 2, 7)]
    assert message(result, "entry.type") == "'title' is empty"


def test_blank_title(project):
    entry(project, ('title: "One-stop shops"', 'title: "   "'))
    found, result = issues(project)
    assert found == [("entry.type", "error", 2, 8)]
    assert "is empty" in message(result, "entry.type")


def test_multiline_title(project):
    entry(project, ('title: "One-stop shops"', "title: |\n  One\n  two"))
    found, result = issues(project)
    assert found == [("entry.type", "error", 2, 8)]
    assert "single line" in message(result, "entry.type")


def test_list_where_text_expected(project):
    entry(project, ("institution: Ministry of Public Service", "institution: [a, b]"))
    found, result = issues(project)
    assert found == [("entry.type", "error", 4, 14)]
    assert "not a list" in message(result, "entry.type")


def test_partners_and_keywords_items(project):
    entry(project, append="partners: [UNDP, 3, '']\nkeywords: e-government\n")
    found, result = issues(project)
    assert found == [("entry.type", "error", 18, 18), ("entry.type", "error", 18, 21), ("entry.type", "error", 19, 11)]
    texts = [i.message for i in result.issues]
    assert "item 2 of 'partners' must be a line of text, not the number 3" in texts[0]
    assert "'keywords' must be a list" in texts[2]


# --- id ----------------------------------------------------------------------------------------


def test_id_not_a_slug(project):
    entry(project, append="id: Bad_Id\n")
    found, result = issues(project)
    assert found == [("entry.id", "error", 18, 5)]
    assert message(result, "entry.id").startswith("the id becomes a web address: it must be lowercase letters")


def test_file_name_not_a_slug(project):
    (project / ENTRY_FILE).unlink()
    entry(project, name="entries/Bad Name.yaml")
    found, result = issues(project)
    assert found == [("entry.id", "error", 1, 1)]
    assert "the file name 'Bad Name' is used as the entry's id" in message(result, "entry.id")
    assert "for example 'bad-name'" in message(result, "entry.id")


def test_explicit_id_overrides_file_name(project):
    (project / ENTRY_FILE).unlink()
    entry(project, append="id: 2012-ke-one-stop\n", name="entries/Bad Name.yaml")
    found, result = issues(project)
    assert found == []
    assert result.entries[0].id == "2012-ke-one-stop"


def test_duplicate_ids_name_both_files(project):
    entry(project, name="entries/other/ke-one-stop.yaml")
    found, result = issues(project)
    assert found == [("entry.duplicate-id", "error", 1, 1)]
    (dup,) = result.issues
    assert dup.source.path == "entries/other/ke-one-stop.yaml"
    assert dup.message == "id 'ke-one-stop' is already used by entries/ke-one-stop.yaml"


def test_duplicate_explicit_id_points_at_the_id(project):
    entry(project, append="id: same\n")
    entry(project, append="id: same\n", name="entries/z.yaml")
    found, result = issues(project)
    assert found == [("entry.duplicate-id", "error", 18, 5)]
    assert result.issues[0].source.path == "entries/z.yaml"
    assert "entries/ke-one-stop.yaml" in result.issues[0].message


def test_duplicate_id_reported_even_when_a_file_has_other_errors(project):
    entry(project, ("place: 1st", "place: 4th"), name="entries/z/ke-one-stop.yaml")
    found, result = issues(project)
    assert [f[0] for f in found] == ["entry.duplicate-id", "entry.place"]
    assert result.issues[0].source.path == "entries/z/ke-one-stop.yaml"


# --- year, country, region ---------------------------------------------------------------------


def test_wrong_year(project):
    entry(project, ("year: 2012", "year: 2013"))
    found, result = issues(project)
    assert found == [("entry.year", "error", 1, 7)]
    assert message(result, "entry.year") == "year 2013 is not the edition's year 2012"


def test_year_as_text(project):
    entry(project, ("year: 2012", "year: '2012'"))
    found, result = issues(project)
    assert found == [("entry.year", "error", 1, 7)]
    assert "must be a whole number" in message(result, "entry.year")


def test_unknown_country_with_suggestion(project):
    entry(project, ("country: KE", "country: Keyna"))
    found, result = issues(project)
    assert found == [("entry.country", "error", 3, 10)]
    assert "country 'Keyna' is not a known ISO 3166 code or UN country name; did you mean 'Kenya'?" in message(
        result, "entry.country")


def test_country_no_is_norway(project):
    entry(project, ("country: KE", "country: NO"))
    found, result = issues(project)
    assert found == []
    assert result.entries[0].country.name == "Norway"
    assert result.entries[0].region == "Europe and North America"


@pytest.mark.parametrize("value", ["KE", "ke", "KEN", "ken", "Kenya", "KENYA", "kenya"])
def test_country_codes_names_any_case(project, value):
    entry(project, ("country: KE", f"country: {value}"))
    found, result = issues(project)
    assert found == []
    assert result.entries[0].country.alpha2 == "KE"


@pytest.mark.parametrize("value, alpha2", [("Vietnam", "VN"), ("Ivory Coast", "CI"), ("Côte d'Ivoire", "CI"),
                                           ("cote d’ivoire", "CI"), ("Holy See", "VA")])
def test_country_aliases(project, value, alpha2):
    entry(project, ("country: KE", f'country: "{value}"'))
    found, result = issues(project)
    assert [f for f in found if f[0] != "entry.region-mismatch"] == []
    assert result.entries[0].country.alpha2 == alpha2


@pytest.mark.parametrize("value, shown", [("true", "must be a country code or name"), ("254", "not the number 254"),
                                          ("", "is empty")])
def test_country_of_wrong_type(project, value, shown):
    entry(project, ("country: KE", f"country: {value}".rstrip()))
    found, result = issues(project)
    assert [f[:2] for f in found] == [("entry.country", "error")]
    assert shown in message(result, "entry.country")


def test_region_not_in_edition_with_suggestion(project):
    entry(project, append="region: Afirca\n")
    found, result = issues(project)
    assert found == [("entry.region", "error", 18, 9)]
    assert "region 'Afirca' is not a region of the 2012 edition; did you mean 'Africa'?" in message(result, "entry.region")


def test_region_mismatch_is_a_warning(project):
    entry(project, append="region: Western Asia\n")
    found, result = issues(project)
    assert found == [("entry.region-mismatch", "warning", 18, 9)]
    assert "differs from Kenya's usual region 'Africa'" in message(result, "entry.region-mismatch")
    assert result.errors == () and len(result.entries) == 1
    assert result.entries[0].region == "Western Asia"


def test_region_matching_the_default_is_fine(project):
    entry(project, append="region: Africa\n")
    assert issues(project)[0] == []


def test_country_region_not_in_a_custom_region_list(project):
    write(project, "compendium.yaml", EDITION + "regions: [Asia and the Pacific, Western Asia]\n")
    found, result = issues(project)
    assert found == [("entry.region", "error", 3, 10)]
    assert "Kenya belongs to 'Africa', which is not a region of this edition" in message(result, "entry.region")


# --- category, place, language -----------------------------------------------------------------


def test_category_typo_with_suggestion(project):
    entry(project, ("category: service-delivery", "category: knowlege-management"))
    found, result = issues(project)
    assert found == [("entry.category", "error", 5, 11)]
    assert message(result, "entry.category") == (
        "category 'knowlege-management' is not a theme of the 2012 edition; did you mean 'knowledge-management'?")


def test_category_by_exact_theme_name(project):
    entry(project, ("category: service-delivery", "category: Advancing Knowledge Management in Government"))
    found, result = issues(project)
    assert found == []
    assert result.entries[0].theme.id == "knowledge-management"


def test_category_unknown_without_suggestion(project):
    entry(project, ("category: service-delivery", "category: zzz"))
    found, result = issues(project)
    assert found == [("entry.category", "error", 5, 11)]
    assert message(result, "entry.category") == "category 'zzz' is not a theme of the 2012 edition"


def test_place_with_suggestion(project):
    entry(project, ("place: 1st", "place: finalst"))
    found, result = issues(project)
    assert found == [("entry.place", "error", 6, 8)]
    assert "place 'finalst' is not one of 1st, 2nd, 3rd, winner, finalist, special; did you mean 'finalist'?" in message(
        result, "entry.place")


def test_place_as_number(project):
    entry(project, ("place: 1st", "place: 1"))
    found, result = issues(project)
    assert found == [("entry.place", "error", 6, 8)]


@pytest.mark.parametrize("tag", ["ar", "zh-Hans", "pt-BR", "es-419", "sr-Latn-RS"])
def test_language_tags(project, tag):
    entry(project, append=f"language: {tag}\n")
    found, result = issues(project)
    assert found == []
    assert result.entries[0].language == tag


def test_language_same_as_edition_is_dropped(project):
    entry(project, append="language: EN\n")
    assert issues(project)[1].entries[0].language == ""


@pytest.mark.parametrize("tag", ["english", "e", "en_US", "fr-"])
def test_bad_language_tag(project, tag):
    entry(project, append=f"language: {tag}\n")
    found, result = issues(project)
    assert found == [("entry.language", "error", 18, 11)]
    assert "must be a language code such as 'en', 'fr', 'ar' or 'zh-Hans' (a BCP 47 tag)" in message(result, "entry.language")


# --- summary and sections ----------------------------------------------------------------------


def test_long_summary_is_a_warning(project):
    entry(project, ("A short **summary**.", "word " * 151))
    found, result = issues(project)
    assert found == [("entry.summary-length", "warning", 7, 10)]
    assert "151 words" in message(result, "entry.summary-length") and "150" in message(result, "entry.summary-length")
    assert len(result.entries) == 1


def test_summary_of_150_words_is_fine(project):
    entry(project, ("A short **summary**.", "word " * 150))
    assert issues(project)[0] == []


def test_long_section_is_a_warning(project):
    entry(project, ("One window.", "word " * 601))
    found, result = issues(project)
    assert found == [("entry.section-length", "warning", 12, 13)]
    assert "section 'solution' has 601 words" in message(result, "entry.section-length")


def test_sections_unknown_and_missing_keys(project):
    entry(project, ("  lessons: |\n    Start small.\n", "  lesons: |\n    Start small.\n"))
    found, result = issues(project)
    assert found == [("entry.sections.unknown-key", "error", 16, 3)]  # told once, as the misspelt key
    assert "unknown key 'sections.lesons'; did you mean 'lessons'?" in message(result, "entry.sections.unknown-key")
    entry(project, ("  lessons: |\n    Start small.\n", ""))
    found, result = issues(project)
    assert found == [("entry.sections.missing", "error", 10, 3)]
    assert "missing required key 'sections.lessons'" in message(result, "entry.sections.missing")


def test_sections_not_a_mapping(project):
    write(project, ENTRY_FILE, ENTRY.split("sections:")[0] + "sections: Everything in one go.\n")
    found, result = issues(project)
    assert found == [("entry.type", "error", 9, 11)]
    assert "'sections' must be a group of 'key: value' lines indented under it" in message(result, "entry.type")


def test_empty_section(project):
    entry(project, ("  impact: |\n    Shorter queues.\n", "  impact:\n"))
    found, result = issues(project)
    assert found == [("entry.type", "error", 14, 10)]
    assert message(result, "entry.type") == "'sections.impact' is empty"


# --- website and contact -----------------------------------------------------------------------


@pytest.mark.parametrize("url, why", [("javascript:alert(1)", "the 'javascript:' scheme is not allowed"),
                                      ("ftp://example.org/x", "the 'ftp:' scheme is not allowed"),
                                      ("www.example.org", "not a valid address"),
                                      ("https://exa mple.org", "not a valid address")])
def test_bad_website(project, url, why):
    entry(project, append=f"website: '{url}'\n")
    found, result = issues(project)
    assert found == [("entry.website", "error", 18, 10)]
    assert message(result, "entry.website") == f"'website' must be an http:// or https:// web address ({why})"


@pytest.mark.parametrize("url", ["https://example.org", "http://example.org:8080/a/b?c=d#e", "HTTPS://EXAMPLE.ORG/"])
def test_good_website(project, url):
    entry(project, append=f"website: {url}\n")
    found, result = issues(project)
    assert found == []
    assert result.entries[0].website == url


def test_invalid_email(project):
    entry(project, append="contact:\n  name: Jane\n  email: jane@@example\n")
    found, result = issues(project)
    assert found == [("entry.email", "error", 20, 10)]
    assert "'contact.email' is not a valid email address: 'jane@@example'" in message(result, "entry.email")


def test_contact_unknown_key_and_public_type(project):
    entry(project, append="contact:\n  name: Jane\n  phone: 123\n  public: 'yes'\n")
    found, result = issues(project)
    assert found == [("entry.contact.unknown-key", "error", 20, 3), ("entry.type", "error", 21, 11)]
    assert "'contact.public' must be true or false" in message(result, "entry.type")


def test_valid_contact(project):
    entry(project, append="contact: {name: Amina Odhiambo, email: amina@huduma.go.ke, public: true}\n")
    found, result = issues(project)
    assert found == []
    assert result.entries[0].public_contact.email == "amina@huduma.go.ke"


# --- images ------------------------------------------------------------------------------------


def image_entry(project: Path, file: str, alt: str | None = "A photo", extra: str = "") -> None:
    item = f"  - file: {file}\n" + (f"    alt: {alt}\n" if alt is not None else "") + extra
    entry(project, append="images:\n" + item)


def test_real_png_accepted(project):
    png(project / "entries/images/photo.png", 1200, 800)
    image_entry(project, "images/photo.png", extra="    caption: A caption\n    credit: Someone\n")
    found, result = issues(project)
    assert found == []
    (img,) = result.entries[0].images
    assert (img.rel, img.format, img.width, img.height) == ("entries/images/photo.png", "png", 1200, 800)
    assert (img.alt, img.caption, img.credit) == ("A photo", "A caption", "Someone")
    assert img.path == (project / "entries/images/photo.png").resolve()


def test_real_jpeg_accepted(project):
    png(project / "entries/images/photo.jpg", 900, 600, "JPEG")
    image_entry(project, "images/photo.jpg")
    found, result = issues(project)
    assert found == []
    img = result.entries[0].images[0]
    assert (img.format, img.width, img.height) == ("jpeg", 900, 600)


def test_progressive_jpeg_with_exif_accepted(project):
    path = project / "entries/images/p.jpeg"
    path.parent.mkdir(parents=True)
    exif = PILImage.Exif()
    exif[0x010E] = "a description"
    PILImage.new("RGB", (640, 480)).save(path, "JPEG", progressive=True, exif=exif)
    image_entry(project, "images/p.jpeg")
    found, result = issues(project)
    assert found == []
    assert result.entries[0].images[0].width == 640


def test_image_path_relative_to_the_entry_may_go_up_inside_the_project(project):
    png(project / "shared/photo.png")
    image_entry(project, "../shared/photo.png")
    found, result = issues(project)
    assert found == []
    assert result.entries[0].images[0].rel == "shared/photo.png"


def test_missing_image_file(project):
    image_entry(project, "images/nope.png")
    found, result = issues(project)
    assert found == [("image.missing", "error", 19, 11)]
    assert "'images/nope.png' does not exist" in message(result, "image.missing")


def test_image_outside_project(project):
    image_entry(project, "../../etc/passwd")
    found, result = issues(project)
    assert found == [("image.outside", "error", 19, 11)]
    assert "points outside the project folder" in message(result, "image.outside")


@pytest.mark.parametrize("value", ["/etc/passwd", "'C:\\Windows\\x.png'", "'\\\\server\\share\\x.png'"])
def test_absolute_image_path(project, value):
    image_entry(project, value)
    found, result = issues(project)
    assert found == [("image.outside", "error", 19, 11)]
    assert "absolute path" in message(result, "image.outside")


@pytest.mark.parametrize("value", ["https://example.org/x.png", "'data:image/png;base64,AAAA'", "''"])
def test_image_path_not_a_path(project, value):
    image_entry(project, value)
    found, result = issues(project)
    assert found == [("image.path", "error", 19, 11)]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_leaving_the_project(project, tmp_path_factory):
    outside = png(tmp_path_factory.mktemp("elsewhere") / "secret.png")
    (project / "entries/images").mkdir(parents=True)
    try:
        os.symlink(outside, project / "entries/images/link.png")
    except OSError:
        pytest.skip("cannot create symlinks here")
    image_entry(project, "images/link.png")
    found, result = issues(project)
    assert found == [("image.outside", "error", 19, 11)]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_inside_the_project_is_fine(project):
    png(project / "pictures/real.png")
    (project / "entries/images").mkdir(parents=True)
    try:
        os.symlink(project / "pictures/real.png", project / "entries/images/link.png")
    except OSError:
        pytest.skip("cannot create symlinks here")
    image_entry(project, "images/link.png")
    found, result = issues(project)
    assert found == []
    assert result.entries[0].images[0].rel == "pictures/real.png"


def test_png_that_is_really_text(project):
    write(project, "entries/images/fake.png", "this is not a picture\n")
    image_entry(project, "images/fake.png")
    found, result = issues(project)
    assert found == [("image.format", "error", 19, 11)]
    assert "'images/fake.png' is not a PNG or JPEG image" == message(result, "image.format")


def test_gif_named_png_is_refused(project):
    path = project / "entries/images/anim.png"
    path.parent.mkdir(parents=True)
    PILImage.new("RGB", (800, 600)).save(path, "GIF")
    image_entry(project, "images/anim.png")
    assert issues(project)[0] == [("image.format", "error", 19, 11)]


def test_jpeg_named_png_is_accepted_by_its_bytes(project):
    png(project / "entries/images/photo.png", 800, 600, "JPEG")
    image_entry(project, "images/photo.png")
    found, result = issues(project)
    assert found == []
    assert result.entries[0].images[0].format == "jpeg"


def test_jpeg_with_fill_bytes_before_a_marker(project):
    path = png(project / "entries/images/fill.jpg", 700, 500, "JPEG")
    data = path.read_bytes()
    sof = data.index(b"\xff\xc0")
    path.write_bytes(data[:sof] + b"\xff\xff" + data[sof:])  # fill bytes are allowed before any marker
    image_entry(project, "images/fill.jpg")
    found, result = issues(project)
    assert found == []
    assert result.entries[0].images[0].width == 700


def test_truncated_jpeg(project):
    write(project, "entries/images/cut.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF")
    image_entry(project, "images/cut.jpg")
    assert issues(project)[0] == [("image.format", "error", 19, 11)]


def test_image_too_large(project):
    path = project / "entries/images/huge.png"
    path.parent.mkdir(parents=True)
    with path.open("wb") as f:
        f.truncate(20_000_001)
    image_entry(project, "images/huge.png")
    found, result = issues(project)
    assert found == [("image.too-large", "error", 19, 11)]
    assert "20,000,001 bytes" in message(result, "image.too-large")


def test_small_image_is_a_warning(project):
    png(project / "entries/images/tiny.png", 599, 400)
    image_entry(project, "images/tiny.png")
    found, result = issues(project)
    assert found == [("image.small", "warning", 19, 11)]
    assert "599 px wide" in message(result, "image.small")
    assert result.errors == () and len(result.entries[0].images) == 1


def test_image_600_px_is_fine(project):
    png(project / "entries/images/ok.png", 600, 400)
    image_entry(project, "images/ok.png")
    assert issues(project)[0] == []


def test_missing_alt(project):
    png(project / "entries/images/photo.png")
    image_entry(project, "images/photo.png", alt=None)
    found, result = issues(project)
    assert found == [("image.alt", "error", 19, 5)]
    assert "has no 'alt' text" in message(result, "image.alt")


@pytest.mark.parametrize("alt", ["", "''", "'  '"])
def test_empty_alt(project, alt):
    png(project / "entries/images/photo.png")
    image_entry(project, "images/photo.png", alt=alt)
    found, _ = issues(project)
    assert [f[:3] for f in found] == [("image.alt", "error", 20)]


def test_image_item_unknown_and_missing_keys(project):
    entry(project, append="images:\n  - alt: A photo\n    captoin: x\n")
    found, result = issues(project)
    assert found == [("image.missing-key", "error", 19, 5), ("image.unknown-key", "error", 20, 5)]
    assert "missing required key 'file' in item 1 of 'images'" in message(result, "image.missing-key")
    assert "unknown key 'captoin' in item 1 of 'images'; did you mean 'caption'?" in message(result, "image.unknown-key")


def test_image_item_not_a_mapping(project):
    entry(project, append="images:\n  - images/photo.png\n")
    found, result = issues(project)
    assert found == [("entry.type", "error", 19, 5)]
    assert "item 1 of 'images' must give 'file:' and 'alt:'" in message(result, "entry.type")


def test_images_not_a_list(project):
    entry(project, append="images: images/photo.png\n")
    assert issues(project)[0] == [("entry.type", "error", 18, 9)]


def test_second_image_reports_its_own_index(project):
    png(project / "entries/images/a.png")
    entry(project, append="images:\n  - file: images/a.png\n    alt: A\n  - file: images/b.png\n    alt: B\n")
    found, result = issues(project)
    assert found == [("image.missing", "error", 21, 11)]


# --- several problems in one pass --------------------------------------------------------------


def test_every_problem_of_a_file_in_one_pass(project):
    entry(project, ("year: 2012", "year: 2011"), ("country: KE", "country: Keyna"),
          ("category: service-delivery", "category: knowlege-management"), ("place: 1st", "place: 9th"),
          append="website: ftp://x.org\n")
    found, _ = issues(project)
    assert [f[0] for f in found] == ["entry.year", "entry.country", "entry.category", "entry.place", "entry.website"]
    assert [f[2] for f in found] == [1, 3, 5, 6, 18]


# --- the README documents every code -----------------------------------------------------------

VALIDATION_MODULES = ("load.py", "fields.py", "validate.py", "validate_edition.py", "images.py", "spec.py",
                      "yaml_advice.py", "hints.py", "unfinished.py", "series.py")
NOT_YET_IN_README: set[str] = set()


def _declared_codes() -> set[str]:
    """Every code the declaration (spec.py) names, with the unknown/missing-key codes its mappings give."""
    from compendium.input import spec

    out: set[str] = set()

    def visit(field, top: bool) -> None:
        if field.code:
            out.add(field.code)
        if field.kind in ("mapping", "sections") and field.unknown_code:
            if field.unknown_code.startswith(("edition.", "series.")):
                out.add(field.unknown_code)  # lists of the edition: one code for their items' keys
            else:
                out.add(f"{field.unknown_code}.unknown-key")
                if any(sub.required for sub in field.fields) or field.kind == "sections":
                    out.add(f"{field.unknown_code}.missing")
        for sub in (*field.fields, *([field.item] if field.item else [])):
            visit(sub, False)

    for field in (*spec.ENTRY, *spec.EDITION, *spec.SERIES_OWN):
        visit(field, True)
    return out | {"entry.unknown-key", "entry.missing", "edition.unknown-key", "edition.missing", "series.unknown-key"}


def test_every_code_is_documented_and_every_documented_code_exists():
    import re

    from tests.helpers import REPO

    source = "".join((REPO / "compendium" / "input" / m).read_text(encoding="utf-8") for m in VALIDATION_MODULES
                     if (REPO / "compendium" / "input" / m).exists())
    literals = set(re.findall(r'"((?:file|yaml|edition|entry|image|series)\.[a-z.-]+)"', source))
    # each format's options block is checked from its declaration in the format registry
    from compendium.render import FORMATS

    bases = {f"edition.{f.name}" for f in FORMATS.values() if f.options}
    emitted = (literals - {"entry.sections", "entry.contact"}) | _declared_codes() | {o.code for f in FORMATS.values()
                                                                                      for o in f.options}
    emitted |= {f"{b}.unknown-key" for b in bases}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Validation and error codes")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `([a-z.-]+)`", table, re.M)) | set(re.findall(r", `([a-z.-]+)` \|", table))
    assert documented - emitted == set()
    assert emitted - documented - NOT_YET_IN_README == set()


def test_links_the_books_will_not_link_are_warned_at_validation(project):
    from compendium.input.validate import validate_project

    text = (project / "entries/ke-one-stop.yaml").read_text(encoding="utf-8")
    text = text.replace("  A short **summary**.", "  See [this](javascript:alert(1)), [that](http://exa..mple.org)\n"
                                                  "  and [ok](https://example.org).")
    (project / "entries/ke-one-stop.yaml").write_text(text, encoding="utf-8")
    result = validate_project(project)
    links = [i for i in result.issues if i.code == "entry.link"]
    assert [i.severity for i in links] == ["warning", "warning"]
    assert [(i.source.line, i.source.col) for i in links] == [(7, 10), (7, 10)]  # the summary's value (its "|")
    assert "'http://exa..mple.org' is not a valid web address" in links[0].message
    assert "'javascript:alert(1)' is not an http(s) or mailto address" in links[1].message
    assert not result.errors
