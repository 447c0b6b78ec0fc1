"""A series of editions, read and validated: shared settings, editions, rules across editions, located errors."""
from __future__ import annotations

import pytest

from compendium.errors import UsageError
from compendium.input.series import edition_folder, enclosing_series, is_series, latest_folder, validate_series
from compendium.input.validate import validate_project
from compendium.output.build import load_book
from tests.helpers import EDITION_2012, SERIES, entry, write


def found(result) -> list[tuple[str, int, int, str]]:
    return [(i.source.path, i.source.line, i.source.col, i.code) for i in result.issues]


def test_a_series_reads_its_editions_with_the_shared_settings(series):
    result = validate_series(series)
    assert result.issues == () and result.files == 5
    s = result.series
    assert s.years == (2012, 2013) and [e.folder for e in s.editions] == ["2012", "2013"]
    e2012, e2013 = s.editions
    assert e2012.title == e2013.title == "Test Awards" and e2013.publisher == "Test Publisher"
    assert e2013.subtitle == "Shared subtitle" and e2012.subtitle == ""  # `subtitle: ~` unsets the shared one
    assert [t.name for t in e2012.themes] == ["Delivery in 2012", "Knowledge Management"]  # its own list, whole
    assert [t.id for t in e2013.themes] == ["service-delivery", "whole-of-government"]
    assert e2012.root == e2013.root == series.resolve() and s.theme_map == (("knowledge-management", "whole-of-government"),)
    (first,), (second,) = result.entries
    assert first.source.path == "2012/entries/ke.yaml" and second.follows == ("2012-ke-one-stop",)


def test_an_edition_folder_is_found_inside_its_series(series):
    assert is_series(series) and not is_series(series / "2012")
    assert enclosing_series(series / "2013" / "entries") == (series.resolve(), "2013")
    assert enclosing_series(series) is None
    assert edition_folder(series, "2013") == "2013" and latest_folder(series) == "2013"
    with pytest.raises(UsageError, match=r"2014 is not an edition of the series \(2012, 2013\); did you mean"):
        edition_folder(series, "2014")


def test_load_book_of_an_edition_folder_is_that_edition_with_the_series_settings(series):
    book, result = load_book(series / "2013")
    assert book.edition.edition == 2013 and book.edition.title == "Test Awards" and book.edition.folder == "2013"
    assert [e.id for e in book.entries] == ["2013-ke-one-stop"] and result.issues == ()
    with pytest.raises(UsageError, match="holds a series of editions"):
        validate_project(series)


def test_ids_are_unique_across_the_series(series):
    write(series, "2013/entries/again.yaml", entry(2013, "2012-ke-one-stop"))
    result = validate_series(series)
    assert ("2013/entries/again.yaml", 1, 5, "entry.duplicate-id") in found(result)
    message = next(i.message for i in result.issues if i.code == "entry.duplicate-id")
    assert message == "id '2012-ke-one-stop' is already used by 2012/entries/ke.yaml"


@pytest.mark.parametrize("follows, message", [
    ("2012-ke-one-stp", "follows: no entry of the series has the id '2012-ke-one-stp'; did you mean '2012-ke-one-stop'?"),
    ("2013-ke-one-stop", "follows: '2013-ke-one-stop' is this entry; an entry follows up a winner of an earlier edition"),
    ("2013-ke-later", "follows: '2013-ke-later' won in 2013, not before 2013; an entry follows up a winner of an "
                      "earlier edition"),
    ("[2012-ke-one-stop, Not An Id]", "'follows' must name an entry by its id, a lowercase slug such as "
                                      "'2012-bh-zajel' (or a list of ids), not 'Not An Id'"),
])
def test_follows_must_name_an_entry_of_an_earlier_edition(series, follows, message):
    write(series, "2013/entries/later.yaml", entry(2013, "2013-ke-later", title="Later"))
    write(series, "2013/entries/ke.yaml", entry(2013, "2013-ke-one-stop", follows=follows))
    result = validate_series(series)
    issues = [i for i in result.issues if i.code == "entry.follows"]
    assert [i.message for i in issues] == [message]
    last = (series / "2013/entries/ke.yaml").read_text().count("\n")  # `follows:` is the last line
    assert issues[0].source.path == "2013/entries/ke.yaml" and issues[0].source.line == last


def test_follows_a_list_of_earlier_entries(series):
    write(series, "2012/entries/other.yaml", entry(2012, "2012-other", title="Other", category="service-delivery"))
    write(series, "2013/entries/ke.yaml", entry(2013, "2013-ke-one-stop", follows="[2012-ke-one-stop, 2012-other]"))
    result = validate_series(series)
    assert result.issues == ()
    assert result.entries[1][0].follows == ("2012-ke-one-stop", "2012-other")


def test_follows_in_a_project_of_one_edition_says_to_make_a_series(project):
    write(project, "entries/ke-one-stop.yaml", entry(2012, "2012-ke", follows="2011-ke-earlier"))
    result = validate_project(project)
    (issue,) = result.errors
    assert (issue.source.path, issue.code) == ("entries/ke-one-stop.yaml", "entry.follows")
    assert "make it a series (compendium init --series)" in issue.message


def test_errors_are_located_in_their_edition_relative_to_the_series(series):
    write(series, "2013/entries/ke.yaml", entry(2013, "2013-ke-one-stop", category="service-delivry"))
    write(series, "2012/compendium.yaml", EDITION_2012 + "url: ftp://example.org\n")
    result = validate_series(series)
    assert found(result) == [("2012/compendium.yaml", 6, 6, "edition.url"),
                             ("2013/entries/ke.yaml", 6, 11, "entry.category"),
                             ("2012/compendium.yaml", 0, 0, "edition.entries-partly-checked")]
    assert "not a theme of the 2013 edition; did you mean 'service-delivery'?" in result.issues[1].message


def test_the_entries_of_an_edition_with_errors_are_still_checked(series):
    write(series, "2012/compendium.yaml", EDITION_2012 + "url: ftp://example.org\n")
    write(series, "2012/entries/bad.yaml", entry(2012, "2012-bad", place="first"))
    result = validate_series(series)
    assert ("2012/entries/bad.yaml", "entry.place") in [(i.source.path, i.code) for i in result.errors]
    (note,) = [i for i in result.issues if i.severity == "note"]
    assert note.source.path == "2012/compendium.yaml" and note.code == "edition.entries-partly-checked"
    assert result.issues[-1] == note  # last, just above the summary


def test_a_shared_setting_is_reported_once_at_the_series_file(series):
    write(series, "compendium.yaml", SERIES.replace("publisher: Test Publisher", "url: ftp://example.org\n"
                                                    "regions: [Africa, Africa]"))
    result = validate_series(series)
    assert found(result) == [("compendium.yaml", 2, 6, "edition.url"), ("compendium.yaml", 3, 19, "edition.duplicate-region"),
                             ("compendium.yaml", 0, 0, "edition.entries-partly-checked")]
    assert result.series is None


def test_validate_one_edition_still_checks_the_rules_across_editions(series):
    write(series, "2012/entries/bad.yaml", entry(2012, "2012-bad", place="first"))
    write(series, "2013/entries/dup.yaml", entry(2013, "2012-ke-one-stop", title="Twice"))
    result = validate_series(series, ["2013"])
    assert [i.code for i in result.issues] == ["entry.duplicate-id"]  # 2012's own problems are not checked
    assert result.files == 4  # the series file, 2013's file and its two entries
    assert [e.folder for e in result.series.editions] == ["2013"]
    with pytest.raises(UsageError, match="1999 is not an edition of the series"):
        validate_series(series, ["1999"])


def test_validate_paths_inside_a_series(series):
    write(series, "2012/entries/bad.yaml", entry(2012, "2012-bad", place="first"))
    result = validate_series(series, paths=[series / "2013" / "entries"])
    assert result.issues == () and result.files == 3
    result = validate_series(series, paths=[series / "2012" / "entries" / "bad.yaml"])
    assert [i.code for i in result.issues] == ["entry.place"]
    write(series, "elsewhere/x.yaml", "x: 1\n")
    with pytest.raises(UsageError, match="is not inside an edition folder of the series"):
        validate_series(series, paths=[series / "elsewhere" / "x.yaml"])


@pytest.mark.parametrize("text, where, code, message", [
    (SERIES + "isbn: 978-92-1-123194-6\n", (12, 1), "series.per-edition",
     "'isbn' belongs to one book: give it in each edition's compendium.yaml (or a retrospective's)"),
    (SERIES + "edtions: [2012]\n", (12, 1), "series.unknown-key", "unknown key 'edtions'; did you mean 'editions'?"),
    (SERIES.replace('editions: [2012, "2013"]', 'editions: [2012, "2013", 2014]'), (9, 26), "series.editions",
     "edition folder '2014': there is no folder '2014' beside compendium.yaml (edition folders here: 2012, 2013)"),
    (SERIES.replace('editions: [2012, "2013"]', 'editions: [2012, "2013", 2012]'), (9, 26), "series.editions",
     "edition folder '2012' is listed twice"),
    (SERIES.replace('editions: [2012, "2013"]', "editions: [..]"), (9, 12), "series.editions",
     "edition folder '..': '../compendium.yaml' points outside the project folder"),
    (SERIES.replace('editions: [2012, "2013"]', "editions: []"), (9, 11), "series.editions",
     "'editions' must list at least one edition folder"),
    (SERIES.replace("knowledge-management: whole-of-government", "knowledge-management: whole-of-governmnt"),
     (11, 25), "series.theme-map", "theme_map: 'whole-of-governmnt' is not a theme of the series (its `themes`: "
                                   "service-delivery, whole-of-government); did you mean 'whole-of-government'?"),
    (SERIES.replace("knowledge-management:", "knowledge-managment:"), (11, 3), "series.theme-map",
     "theme_map: 'knowledge-managment' is not a theme of any edition; did you mean 'knowledge-management'?"),
    (SERIES.replace("title: Test Awards\n", ""), (1, 1), "edition.missing", "missing required key 'title'"),
])
def test_series_file_problems_are_located(series, text, where, code, message):
    write(series, "compendium.yaml", text)
    result = validate_series(series)
    issues = [i for i in result.issues if i.code == code and i.source.path == "compendium.yaml"]
    assert [(i.source.line, i.source.col, i.message) for i in issues] == [(*where, message)]
    # every problem of the series file stops the build (a misspelt theme_map id would regroup winners silently)
    assert [i.severity for i in issues] == ["error"]


def test_an_edition_folder_without_its_file(series):
    (series / "2014").mkdir()
    write(series, "compendium.yaml", SERIES.replace('editions: [2012, "2013"]', 'editions: [2012, "2013", 2014]'))
    assert [i.message for i in validate_series(series).errors] == ["edition folder '2014': it has no compendium.yaml"]


def test_two_editions_of_one_year(series):
    write(series, "2013/compendium.yaml", "edition: 2012\n")
    write(series, "2013/entries/ke.yaml", entry(2012, "2012-ke-again"))
    result = validate_series(series)
    assert ("2013/compendium.yaml", 1, 10, "series.year") in found(result)


@pytest.mark.parametrize("retro, message", [
    ("{id: r, title: R, years: 2010-2011}", "no edition of the series (2012, 2013) is in 2010-2011"),
    ("{id: r, title: R, years: [2012, 2014]}", "2014 is not the year of an edition of the series (2012, 2013)"),
    ("{id: r, title: R, years: 2012-2013, editions: [2012]}", "give 'years' or 'editions', not both"),
    ("{id: r, title: R, editions: [2012, '2031']}", "'2031' is not an edition of the series (2012, 2013); did you mean '2013'?"),
    ("{id: r, title: R, group_by: [theme, region]}", "'retrospectives[0].group_by' must be [theme, year] or "
                                                    "[region, country], not a list"),
    ("{id: test-awards-2012, title: R}", "id 'test-awards-2012' is already the name of another book's files"),
    ("{title: R}", "missing required key 'id' in item 1 of 'retrospectives'"),
    ("{id: r, title: R, introduction: nowhere.md}", "'nowhere.md' does not exist: looked for nowhere.md (a path is "
                                                    "relative to the folder of the file that names it)"),
])
def test_retrospective_problems_are_located(series, retro, message):
    write(series, "compendium.yaml", SERIES + f"retrospectives:\n  - {retro}\n")
    result = validate_series(series)
    assert [i.message for i in result.errors] == [message]
    assert result.errors[0].source.path == "compendium.yaml" and result.errors[0].source.line == 13


def test_retrospectives_read(series):
    write(series, "retro.md", "Two *years*.\n")
    write(series, "compendium.yaml", SERIES + "retrospectives:\n"
          "  - {id: all, title: All the winners}\n"
          "  - {id: range, title: R, years: 2000-2012, group_by: [region, country], introduction: retro.md}\n"
          "  - {id: listed, title: L, editions: ['2013/'], editors: [A. Editor], date: 2014-01-02}\n")
    result = validate_series(series)
    assert result.issues == ()
    every, ranged, listed = result.series.retrospectives
    assert every.years == (2012, 2013) and every.group_by == ("theme", "year")
    assert ranged.years == (2012,) and ranged.group_by == ("region", "country") and ranged.introduction == "Two *years*.\n"
    assert listed.years == (2013,) and listed.editors == ("A. Editor",) and str(listed.date) == "2014-01-02"


def test_readme_documents_the_series_declaration():
    """The README's table of the series file's own keys and its retrospective example are spec.py's."""
    import re

    from compendium.input import spec
    from tests.helpers import REPO

    section = (REPO / "README.md").read_text(encoding="utf-8").split("## A series of editions", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| (required)? ?\|", section, re.M)
    assert [k for k, _ in rows] == [f.key for f in spec.SERIES_OWN]
    assert {k for k, r in rows if r} == {f.key for f in spec.SERIES_OWN if f.required}
    block = section.split("```yaml", 1)[1].split("```", 1)[0]
    shown = re.findall(r"^\s+(?:- |# )?([a-z_]+):", block, re.M)
    declared = [f.key for f in spec.RETROSPECTIVE.fields]
    assert set(shown) - {"retrospectives"} == set(declared) - {"isbn", "date", "editors"}  # those three in a comment
    for line in block.splitlines():
        key = re.match(r"^\s+(?:- )?([a-z_]+):", line)
        if key and key[1] != "retrospectives":
            assert ("# required" in line) == spec.RETROSPECTIVE.sub(key[1]).required, line
    assert set(re.findall(r"`([a-z_]+)`", section.split("except those that belong to one book", 1)[1][:400])) \
        >= set(spec.PER_EDITION)


def test_a_series_is_not_built_while_an_entry_holds_the_templates_text(series):
    from compendium.errors import InvalidInput
    from compendium.output.series import load_series

    write(series, "2013/entries/ke.yaml", entry(2013, "2013-ke-one-stop", institution="Name of the institution"))
    assert [i.severity for i in validate_series(series).issues if i.code == "entry.placeholder"] == ["warning"]
    with pytest.raises(InvalidInput, match="never published") as caught:
        load_series(series)
    assert [(i.source.path, i.severity) for i in caught.value.issues if i.code == "entry.placeholder"] == [
        ("2013/entries/ke.yaml", "error")]
    load_series(series, publishing=False)  # stats only counts


def test_an_edition_without_entries_is_named(series):
    write(series, "compendium.yaml", SERIES.replace('editions: [2012, "2013"]', 'editions: [2012, "2013", 2014]'))
    write(series, "2014/compendium.yaml", "edition: 2014\n")
    notes = [i for i in validate_series(series).issues if i.code == "entry.none"]
    assert [(i.source.path, i.severity) for i in notes] == [("2014/entries/", "note")]
    assert "edition 2014 has no entries yet: its books will be empty" in notes[0].message
    assert "new-entry --edition 2014" in notes[0].message
