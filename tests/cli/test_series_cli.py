"""A series from the command line: validate and stats across editions, --edition, new-entry, init --series."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from compendium.input.series import validate_series
from tests.helpers import entry, write


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_line_error(result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    return line


def test_validate_every_edition_and_one(series):
    write(series, "2012/entries/bad.yaml", entry(2012, "2012-bad", title="Bad", place="first"))
    result = run("validate", "-p", series)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2012/entries/bad.yaml:7:8: error: place 'first' is not one of 1st, 2nd, 3rd, winner, finalist, special; "
        "did you mean '1st'? [entry.place]",
        "6 files checked: 1 error, 0 warnings"]
    result = run("validate", "-p", series, "--edition", "2013")
    assert result.exit_code == 0 and result.stdout == "3 files checked: no problems found\n"
    result = run("validate", "-p", series / "2013")  # an edition folder leads to its series: every edition
    assert result.exit_code == 1 and "2012/entries/bad.yaml" in result.stdout
    line = one_line_error(run("validate", "-p", series, "--edition", "2031"), 2)
    assert line == "error: 2031 is not an edition of the series (2012, 2013); did you mean '2013'?"


def test_validate_json_names_files_relative_to_the_series(series):
    write(series, "2013/entries/ke.yaml", entry(2013, "2013-ke-one-stop", follows="2011-gone"))
    result = run("validate", "-p", series, "--format", "json")
    (issue,) = json.loads(result.stdout)
    assert (issue["file"], issue["code"]) == ("2013/entries/ke.yaml", "entry.follows")


def test_edition_option_in_a_project_of_one_edition(project):
    assert run("validate", "-p", project, "--edition", "2012").exit_code == 0
    line = one_line_error(run("validate", "-p", project, "--edition", "2013"), 2)
    assert "this project has one edition (2012)" in line


def test_validate_files_of_an_edition_named_from_outside_the_series(series, tmp_path_factory, monkeypatch):
    """A path into an edition leads to its series, wherever the command runs: the edition's entry
    is checked with the series' settings and rules (its follow-up of 2012 is found)."""
    write(series, "2013/entries/bad.yaml", entry(2013, "2013-bad", title="Bad", follows="2012-nowhere"))
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    result = run("validate", series / "2013/entries/ke.yaml", series / "2013/entries/bad.yaml")
    assert result.exit_code == 1, result.output
    (problem, summary) = result.stdout.splitlines()
    assert problem.startswith("2013/entries/bad.yaml:") and "[entry.follows]" in problem
    assert "2012-nowhere" in problem and summary.endswith("1 error, 0 warnings")


def test_stats_across_years_and_of_one_edition(series):
    result = run("stats", "-p", series, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["theme,2012,2013,total", "service-delivery,0,1,1", "whole-of-government,1,0,1",
                                          "total,1,1,2"]
    result = run("stats", "-p", series, "--edition", "2012", "--format", "json")
    data = json.loads(result.stdout)
    assert data["themes"] == ["service-delivery", "knowledge-management"] and "regions" in data and data["total"] == 1


def test_new_entry_goes_into_the_edition_meant(series, monkeypatch):
    result = run("new-entry", "-p", series, "--title", "Huduma", "--country", "KE", "--category", "whole-of-government")
    assert result.exit_code == 0, result.output
    assert (series / "2013/entries/whole-of-government/ke-huduma.yaml").is_file()  # the latest edition
    monkeypatch.chdir(series / "2012" / "entries")
    result = run("new-entry", "--title", "Huduma", "--country", "KE", "--category", "knowledge-management")
    assert result.exit_code == 0, result.output
    path = series / "2012/entries/knowledge-management/ke-huduma.yaml"
    assert "id: 2012-ke-huduma" in path.read_text() and "compendium validate 2012/entries/" in path.read_text()
    result = run("new-entry", "--edition", "2013", "--title", "Other", "--country", "KE", "--category", "service-delivery")
    assert result.exit_code == 0 and (series / "2013/entries/service-delivery/ke-other.yaml").is_file()
    issues = validate_series(series).issues  # templates to fill in: only their example texts are told
    assert issues and {i.code for i in issues} == {"entry.placeholder"}


def test_schema_in_a_series_lists_the_editions_themes(series, monkeypatch):
    themes = json.loads(run("schema", "-p", series).stdout)["properties"]["category"]["enum"]
    assert "whole-of-government" in themes and "knowledge-management" not in themes
    monkeypatch.chdir(series / "2012")
    themes = json.loads(run("schema").stdout)["properties"]["category"]["enum"]
    assert "knowledge-management" in themes
    data = json.loads(run("schema", "--series").stdout)
    assert data["required"] == ["title", "themes", "editions"] and "retrospectives" in data["properties"]
    assert json.loads(run("schema", "--edition").stdout)["required"] == ["edition"]


def test_init_series_starts_one(tmp_path):
    result = run("init", "--series", tmp_path / "awards", "--year", "2014", "--preset", "minimal")
    assert result.exit_code == 0, result.output
    root = tmp_path / "awards"
    assert "editions: [2014]" in (root / "compendium.yaml").read_text()
    assert (root / "2014/compendium.yaml").read_text().count("\nedition: 2014\n") == 1
    assert (root / ".gitignore").is_file() and not (root / "2014/.gitignore").exists()
    result = validate_series(root)
    assert result.errors == () and result.warnings == () and result.series.settings.sections[0].id == "description"
    # the draft, skipped, and a note that the new edition has no entries yet
    assert [i.source.path for i in result.issues] == ["2014/entries/", "2014/entries/general/_example.yaml"]


def test_init_series_turns_a_project_into_one_and_adds_the_next_edition(tmp_path):
    root = tmp_path / "awards"
    assert run("init", root, "--year", "2012").exit_code == 0
    write(root, "compendium.yaml", (root / "compendium.yaml").read_text().replace(
        "# publisher: United Nations",
        "# Who publishes it:\npublisher: UN DESA\nisbn: 978-92-1-123194-6"))
    write(root, "templates/html/README.txt", "kept")
    result = run("init", "--series", root)
    assert result.exit_code == 0, result.output
    series_file, edition_file = (root / "compendium.yaml").read_text(), (root / "2012/compendium.yaml").read_text()
    assert "# Who publishes it:\npublisher: UN DESA\n" in series_file and "isbn" not in series_file
    assert "isbn: 978-92-1-123194-6" in edition_file and "publisher" not in edition_file
    # each key's explanation travels with it; init's header for a file of one edition is gone
    assert "# The award year of this edition" in edition_file and "# ISBN-13 of the publication" in edition_file
    assert "award year" not in series_file and "ISBN-13" not in series_file and "edition file of" not in series_file
    assert "# Licence of the publication" in series_file and "# date: 2012-" in edition_file
    assert (root / "2012/introduction.md").is_file() and (root / "2012/entries/service-delivery/_example.yaml").is_file()
    assert not (root / "entries").exists() and (root / "templates/html/README.txt").is_file()
    assert {i.code for i in validate_series(root).issues} == {"file.skipped", "entry.none"}  # the example, a draft
    result = run("init", "--series", root)  # the next year
    assert result.exit_code == 0, result.output
    assert "editions: [2012, 2013]" in (root / "compendium.yaml").read_text()
    assert "# Who publishes it:" in (root / "compendium.yaml").read_text()  # comments kept
    series = validate_series(root)
    assert {i.code for i in series.issues} == {"file.skipped", "entry.none"} and series.series.years == (2012, 2013)
    assert series.series.editions[1].publisher == "UN DESA"
    line = one_line_error(run("init", "--series", root, "--year", "2012"), 2)
    assert "the series already has the 2012 edition" in line


def test_init_series_refuses_a_project_with_errors_and_touches_nothing(project):
    write(project, "entries/ke-one-stop.yaml", entry(2012, "2012-ke", place="first"))
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    result = run("init", "--series", project)
    assert result.exit_code == 1 and "fix them (compendium validate) before making it a series" in result.stderr
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before


@pytest.mark.parametrize("blocker", ["2012/notes.txt"])
def test_init_series_never_overwrites(project, blocker):
    write(project, blocker, "mine")
    line = one_line_error(run("init", "--series", project), 2)
    assert "2012 already exists" in line and (project / "entries").is_dir()


def test_build_from_an_edition_folder_builds_the_series(series, monkeypatch):
    from compendium import render
    from tests.helpers import book_renderer

    monkeypatch.setitem(render.FORMATS, "epub", render.Format("epub", function=book_renderer("epub")))
    monkeypatch.chdir(series / "2013" / "entries")
    result = run("build", "--format", "epub", "-j", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == ["Test Awards: 2 editions, 2 entries, 0 retrospectives",
                         "  2012: 1 entry in 1 part; epub built", "  2013: 1 entry in 1 part; epub built"]
    assert lines[3] == f"wrote {series.resolve() / 'output'}"
    assert "test-awards-2013.epub" in result.stdout and (series / "output/test-awards-2012.epub").is_file()
    assert not (series / "2013" / "output").exists()
    again = run("build", "--format", "epub", "-j", "1")
    assert "  2013: 1 entry in 1 part; epub unchanged" in again.stdout and "unchanged" in again.stdout
