"""The command line from the outside: exit codes, output formats, project discovery, scaffolding, stats, build."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from compendium.model import Issue, Source
from compendium.output import report
from compendium.render import FORMATS, Format
from tests.helpers import EDITION, ENTRY, write

ANSI = re.compile(r"\x1b\[")


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def add(project: Path, rel: str, *replace: tuple[str, str], append: str = "") -> Path:
    text = ENTRY
    for old, new in replace:
        text = text.replace(old, new)
    return write(project, rel, text + append)


@pytest.fixture
def broken(project):
    """Problems in three files (and one ignored draft) at known places."""
    add(project, "entries/b/typo.yaml", ("category: service-delivery", "category: knowlege-management"))
    add(project, "entries/a/warn.yaml", append="region: Western Asia\n")
    add(project, "entries/a/bad.yaml", ("year: 2012", "year: 2013"), ("country: KE", "country: Keyna"))
    add(project, "entries/_draft.yaml", ("year: 2012", "year: oops"))
    add(project, "entries/.hidden/x.yaml", ("year: 2012", "year: oops"))
    return project


# --- validate ----------------------------------------------------------------------------------


def test_validate_valid_project(project):
    result = run("validate", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.output == "2 files checked: no problems found\n"


def test_validating_after_a_build_reads_only_what_changed_and_reports_the_same(broken, monkeypatch):
    """After a build, validating the whole project parses none of the files the build parsed cleanly
    (the cache builds keep), and reports the same, every problem in it (the checks of a file with
    problems always run); a few files named: read as they are, the cache kept for the rest."""
    import os
    import time

    from compendium.input import load

    past = time.time() - 60
    for path in broken.rglob("*.yaml"):
        os.utime(path, (past, past))  # a file written in the last 2 s is always read again
    parsed: list[str] = []
    real = load.parse_yaml
    monkeypatch.setattr(load, "parse_yaml", lambda text, rel, issues: parsed.append(rel) or real(text, rel, issues))

    from compendium.errors import InvalidInput
    from compendium.input.load import CACHE_DIR, PARSED
    from compendium.output.build import load_book

    first = run("validate", "-p", broken)
    assert not (broken / CACHE_DIR / PARSED).exists()  # a first validation starts no cache
    parsed.clear()
    with pytest.raises(InvalidInput):
        load_book(broken)  # a build (refused: the project has errors) keeps what it read cleanly
    entries = sorted(rel for rel in parsed if rel.startswith("entries/"))
    assert entries == ["entries/a/bad.yaml", "entries/a/warn.yaml", "entries/b/typo.yaml", "entries/ke-one-stop.yaml"]
    parsed.clear()
    again = run("validate", "-p", broken)
    assert (again.exit_code, again.output) == (first.exit_code, first.output) and "bad.yaml:1:7: error" in again.output
    assert [rel for rel in parsed if rel.startswith("entries/")] == []  # kept; their problems found anew by the checks

    parsed.clear()
    run("validate", "-p", broken, broken / "entries" / "b" / "typo.yaml")  # one file named
    parsed.clear()
    run("validate", "-p", broken)
    assert "entries/ke-one-stop.yaml" not in parsed  # still kept


def test_validate_reports_every_file_in_one_pass_sorted(broken):
    result = run("validate", "-p", broken)
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if ": note: " not in line] == [
        "entries/a/bad.yaml:1:7: error: year 2013 is not the edition's year 2012 [entry.year]",
        "entries/a/bad.yaml:3:10: error: country 'Keyna' is not a known ISO 3166 code or UN country name; "
        "did you mean 'Kenya'? [entry.country]",
        "entries/a/warn.yaml:18:9: warning: region 'Western Asia' differs from Kenya's usual region 'Africa' "
        "[entry.region-mismatch]",
        "entries/b/typo.yaml:5:11: error: category 'knowlege-management' is not a theme of the 2012 edition; "
        "did you mean 'knowledge-management'? [entry.category]",
        "5 files checked: 3 errors, 1 warning; 2 files skipped on purpose",
    ]


def test_edition_problems_come_first(broken):
    write(broken, "compendium.yaml", EDITION + "subtitel: x\n")
    result = run("validate", "-p", broken)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("compendium.yaml:8:1: error: unknown key 'subtitel'; did you mean 'subtitle'?")
    # the entries are still checked (nothing they depend on is broken), and the last line before the summary says so
    assert "entries/b/typo.yaml:5:11: error: category 'knowlege-management'" in result.stdout
    assert lines[-2] == ("compendium.yaml: note: compendium.yaml has errors; the entries were still checked in full "
                         "[edition.entries-partly-checked]")
    assert lines[-1] == "5 files checked: 4 errors, 1 warning; 2 files skipped on purpose"


def test_validate_only_given_paths(broken, monkeypatch):
    monkeypatch.chdir(broken)
    result = run("validate", "entries/b/typo.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "2 files checked: 1 error, 0 warnings"
    assert "entries/b/typo.yaml:5:11" in result.stdout and "bad.yaml" not in result.stdout
    result = run("validate", "entries/a/warn.yaml", broken / "entries/ke-one-stop.yaml")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "3 files checked: 0 errors, 1 warning"


def test_validate_paths_with_dot_dot(broken, monkeypatch):
    monkeypatch.chdir(broken / "entries" / "a")
    result = run("validate", "../b/typo.yaml", "../../entries/b/typo.yaml", "../b")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("entries/b/typo.yaml:5:11: error:")
    assert result.stdout.splitlines()[-1] == "2 files checked: 1 error, 0 warnings"


def test_validate_a_folder(broken, monkeypatch):
    monkeypatch.chdir(broken / "entries")
    result = run("validate", "a")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "3 files checked: 2 errors, 1 warning"


def test_validate_a_draft_explicitly(broken):
    result = run("validate", "-p", broken, broken / "entries/_draft.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "entries/_draft.yaml:1:7: error: 'year' must be a whole number, not 'oops' [entry.year]",
        "2 files checked: 1 error, 0 warnings"]


def test_validate_dot_and_the_edition_file(project, monkeypatch):
    monkeypatch.chdir(project)
    for args in (["."], ["compendium.yaml"], ["compendium.yaml", "entries"]):
        result = run("validate", *args)
        assert result.exit_code == 0, (args, result.output)
    write(project, "compendium.yaml", EDITION + "oops: 1\n")
    result = run("validate", "compendium.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["compendium.yaml:8:1: error: unknown key 'oops' [edition.unknown-key]",
                                          "1 file checked: 1 error, 0 warnings"]


def test_ignored_files_do_not_count(project):
    add(project, "entries/_draft.yaml", ("year: 2012", "year: oops"))
    write(project, "entries/.swap.yaml", "\x00")
    write(project, "entries/_old/x.yaml", "[")
    result = run("validate", "-p", project)
    assert result.exit_code == 0 and result.output.splitlines() == [
        "entries/.swap.yaml: note: skipped: a hidden file (its name starts with '.') [file.skipped]",
        "entries/_draft.yaml: note: skipped: its name starts with '_' (a draft); remove the '_' to include it "
        "[file.skipped]",
        "entries/_old/: note: skipped the folder and everything in it: its name starts with '_' (drafts) [file.skipped]",
        "2 files checked: no problems found; 3 files skipped on purpose"]
    assert run("validate", "-p", project, "--strict").exit_code == 0  # a note is not a problem


def test_strict_fails_on_warnings_only(project):
    add(project, "entries/ke-one-stop.yaml", append="region: Western Asia\n")
    result = run("validate", "-p", project)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "2 files checked: 0 errors, 1 warning"
    assert run("validate", "-p", project, "--strict").exit_code == 1


def test_json_format(broken):
    result = run("validate", "-p", broken, "--format", "json")
    assert result.exit_code == 1
    rows = [r for r in json.loads(result.stdout) if r["severity"] != "note"]
    assert isinstance(rows, list) and len(rows) == 4
    assert all(set(r) == {"file", "line", "column", "severity", "code", "message"} for r in rows)
    assert rows[0] == {"file": "entries/a/bad.yaml", "line": 1, "column": 7, "severity": "error",
                       "code": "entry.year", "message": "year 2013 is not the edition's year 2012"}
    assert [r["severity"] for r in rows] == ["error", "error", "warning", "error"]


def test_json_format_when_valid(project):
    result = run("validate", "-p", project, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_github_format(broken):
    result = run("validate", "-p", broken, "--format", "github")
    assert result.exit_code == 1
    notices = [line for line in result.stdout.splitlines() if line.startswith("::notice ")]
    assert notices[0] == ("::notice file=entries/.hidden/,title=file.skipped::skipped the folder and everything in it: "
                          "it is hidden (its name starts with '.')")
    lines = [line for line in result.stdout.splitlines() if not line.startswith("::notice ")]
    assert lines[0] == "::error file=entries/a/bad.yaml,line=1,col=7,title=entry.year::year 2013 is not the edition's year 2012"
    assert lines[2].startswith("::warning file=entries/a/warn.yaml,line=18,col=9,title=entry.region-mismatch::")
    assert sum(line.startswith("::error file=") for line in lines) == 3


def test_github_escapes():
    issue = Issue(Source("a,b:c.yaml", 1, 2), "error", "x.y", "50% done\nnext")
    assert report.github([issue], 1).splitlines()[0] == "::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=x.y::50%25 done%0Anext"


def test_no_ansi_when_not_a_terminal(broken):
    result = run("validate", "-p", broken)
    assert not ANSI.search(result.output)


def test_cli_colours_when_report_says_so(broken, monkeypatch):
    import cli

    monkeypatch.setattr(cli, "use_colour", lambda is_terminal: True)
    runner = CliRunner()
    result = runner.invoke(main, ["validate", "-p", str(broken)], color=True, catch_exceptions=False)
    assert "\x1b[1;31merror\x1b[0m" in result.stdout and "\x1b[1;33mwarning\x1b[0m" in result.stdout
    result = runner.invoke(main, ["validate", "-p", str(broken), "--format", "json"], color=True, catch_exceptions=False)
    assert not ANSI.search(result.stdout)


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert report.use_colour(True) is True
    assert report.use_colour(False) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert report.use_colour(True) is False
    monkeypatch.setenv("NO_COLOR", "")  # https://no-color.org: only a non-empty value counts
    assert report.use_colour(True) is True


def test_colour_codes_in_text():
    issues = [Issue(Source("e.yaml", 1, 2), "error", "c", "m"), Issue(Source("e.yaml", 3, 4), "warning", "w", "n")]
    coloured = report.text(issues, 1, colour=True)
    assert "\x1b[1;31merror\x1b[0m" in coloured and "\x1b[1;33mwarning\x1b[0m" in coloured
    assert report.text(issues, 1) == "e.yaml:1:2: error: m [c]\ne.yaml:3:4: warning: n [w]\n1 file checked: 1 error, 1 warning\n"


def test_bad_option_is_a_usage_error(project):
    result = run("validate", "-p", project, "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.output
    assert run("validate", "--bogus").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_missing_path_is_a_usage_error(project):
    result = run("validate", "-p", project, project / "entries/nope.yaml")
    assert result.exit_code == 2


def test_no_project_found(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 2
    assert "no compendium.yaml found" in result.stderr and "compendium init" in result.stderr


def test_project_option_without_edition_file(tmp_path):
    result = run("validate", "--project", tmp_path)
    assert result.exit_code == 2
    assert "is not a compendium project" in result.stderr


def test_project_found_by_walking_up(project, monkeypatch):
    deep = project / "entries" / "deeper"
    deep.mkdir()
    monkeypatch.chdir(deep)
    result = run("validate")
    assert result.exit_code == 0 and result.output == "2 files checked: no problems found\n"
    add(project, "entries/deeper/x.yaml", ("year: 2012", "year: 1999"))
    result = run("validate")
    assert result.exit_code == 1
    assert "entries/deeper/x.yaml:1:7: error: year 1999" in result.output


def test_project_option_relative(project, monkeypatch):
    monkeypatch.chdir(project.parent)
    assert run("validate", "-p", project.name).exit_code == 0


def test_version_and_help():
    from compendium import __version__

    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output
    result = run("--help")
    assert result.exit_code == 0
    for command in ("init", "new-entry", "validate", "schema", "stats", "build"):
        assert command in result.output
    assert run("validate", "-h").exit_code == 0


# --- init and new-entry ------------------------------------------------------------------------


def test_init_creates_a_valid_project(tmp_path):
    target = tmp_path / "awards"
    result = run("init", target, "--title", "Awards: 2014", "--year", "2014")
    assert result.exit_code == 0, result.output
    for rel in ("compendium.yaml", "introduction.md", ".gitignore", "entries/service-delivery/_example.yaml"):
        assert (target / rel).is_file()
        assert f"created {target / rel}" in result.output
    # the example is a draft that nothing publishes, and the command says so
    assert "entries/service-delivery/_example.yaml is an example entry, kept as a draft (skipped)" in result.output
    result = run("validate", "-p", target, "--strict")
    assert result.exit_code == 0, result.output
    assert "entries/service-delivery/_example.yaml: note: skipped: the example entry 'compendium init' wrote" \
        in result.output
    assert "entries/: note: no entries yet: make one with 'compendium new-entry" in result.output
    from compendium.input.validate import validate_project

    validated = validate_project(target)
    assert validated.edition.title == "Awards: 2014" and validated.edition.edition == 2014
    assert validated.edition.introduction.startswith("This compendium presents the winners of the 2014 awards")
    assert validated.entries == ()
    # renamed into an entry, it is not publishable as it is: every value of the template's is told
    (target / "entries/service-delivery/_example.yaml").rename(target / "entries/service-delivery/ke-x.yaml")
    result = run("validate", "-p", target)
    assert result.exit_code == 0 and result.stdout.count("[entry.placeholder]") == 6, result.output
    result = run("build", "-p", target, "--format", "html")
    assert result.exit_code == 1 and not (target / "output").exists()
    assert "entries that still hold the template's text are never published" in result.stderr


def test_init_refuses_to_overwrite(tmp_path):
    target = tmp_path / "awards"
    assert run("init", target).exit_code == 0
    (target / "compendium.yaml").write_text("mine\n")
    result = run("init", target)
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert (target / "compendium.yaml").read_text() == "mine\n"


def test_init_writes_nothing_when_any_file_exists(tmp_path):
    write(tmp_path, "introduction.md", "mine\n")
    result = run("init", tmp_path)
    assert result.exit_code == 2
    assert "introduction.md already exists" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["introduction.md"]


def test_init_keeps_an_existing_gitignore(tmp_path):
    write(tmp_path, ".gitignore", "*.pyc\n")
    assert run("init", tmp_path).exit_code == 0
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\n"
    assert run("validate", "-p", tmp_path).exit_code == 0


def test_init_bad_year_is_a_usage_error(tmp_path):
    assert run("init", tmp_path / "x", "--year", "99").exit_code == 2
    assert not (tmp_path / "x").exists()


def test_new_entry_writes_a_valid_template(project):
    result = run("new-entry", "-p", project, "--title", "Huduma Centres: one stop", "--country", "Kenya",
                 "--category", "service-delivery")
    assert result.exit_code == 0, result.output
    path = project / "entries/service-delivery/ke-huduma-centres-one-stop.yaml"
    assert result.output == (f"created {path}: a commented template to fill in\n"
                             f"next: replace its example text with the entry's own, then run: compendium validate {path}\n")
    text = path.read_text(encoding="utf-8")
    assert "id: 2012-ke-huduma-centres-one-stop" in text and 'title: "Huduma Centres: one stop"' in text
    result = run("validate", "-p", project, path)
    assert result.exit_code == 0, result.output
    assert run("validate", "-p", project).exit_code == 0

    # a second time: refused, file unchanged
    path.write_text(text + "# edited\n", encoding="utf-8")
    result = run("new-entry", "-p", project, "--title", "Huduma Centres: one stop", "--country", "KE",
                 "--category", "service-delivery")
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert path.read_text(encoding="utf-8") == text + "# edited\n"


def test_new_entry_with_options_and_project_discovery(project, monkeypatch):
    monkeypatch.chdir(project / "entries")
    result = run("new-entry", "--title", "Zajel", "--country", "bhr", "--category",
                 "Advancing Knowledge Management in Government", "--place", "2nd", "--language", "ar",
                 "--institution", 'eGovernment "Authority"', "--id", "2012-bh-zajel")
    assert result.exit_code == 0, result.output
    from compendium.input.validate import validate_project

    validated = validate_project(project)
    # what is left to write: the summary and the sections, the template's text still in them
    assert {(i.code, i.source.path) for i in validated.issues} == {
        ("entry.placeholder", "entries/knowledge-management/bh-zajel.yaml")}
    assert len(validated.issues) == 5
    e = next(e for e in validated.entries if e.id == "2012-bh-zajel")
    assert (e.country.alpha2, e.theme.id, e.place, e.language, e.institution) == (
        "BH", "knowledge-management", "2nd", "ar", 'eGovernment "Authority"')
    assert e.source.path == "entries/knowledge-management/bh-zajel.yaml"


def test_new_entry_unknown_category(project):
    result = run("new-entry", "-p", project, "--title", "X", "--country", "KE", "--category", "service-delivry")
    assert result.exit_code == 2
    assert "category 'service-delivry' is not a theme of the edition; did you mean 'service-delivery'?" in result.stderr
    assert "choose one of: service-delivery, knowledge-management" in result.stderr
    assert not (project / "entries/service-delivry").exists()


def test_new_entry_unknown_country_and_place(project):
    result = run("new-entry", "-p", project, "--title", "X", "--country", "Keyna", "--category", "service-delivery")
    assert result.exit_code == 2 and "did you mean 'Kenya'?" in result.stderr
    result = run("new-entry", "-p", project, "--title", "X", "--country", "KE", "--category", "service-delivery",
                 "--place", "frist")
    assert result.exit_code == 2 and "place 'frist'" in result.stderr


def test_new_entry_needs_a_valid_edition(project):
    write(project, "compendium.yaml", EDITION + "oops: 1\n")
    result = run("new-entry", "-p", project, "--title", "X", "--country", "KE", "--category", "service-delivery")
    assert result.exit_code == 1
    assert "compendium.yaml:8:1: error: unknown key 'oops'" in result.stdout
    assert "fix them first" in result.stderr


def test_new_entry_country_no_is_norway(project):
    result = run("new-entry", "-p", project, "--title", "Altinn", "--country", "NO", "--category", "service-delivery")
    assert result.exit_code == 0, result.output
    assert run("validate", "-p", project).exit_code == 0
    from compendium.input.validate import validate_project

    assert {e.country.name for e in validate_project(project).entries} == {"Kenya", "Norway"}


@pytest.mark.parametrize("option, value, shown", [("--language", "english", "--language 'english'"),
                                                   ("--id", "Bad Id", "--id 'Bad Id' becomes a web address: it must be "
                                                    "lowercase letters a-z, digits and hyphens")])
def test_new_entry_refuses_values_that_would_not_validate(project, option, value, shown):
    result = run("new-entry", "-p", project, "--title", "X", "--country", "KE", "--category", "service-delivery",
                 option, value)
    assert result.exit_code == 2
    assert shown in result.stderr
    assert not (project / "entries/service-delivery").exists()


def test_new_entry_requires_options(project):
    assert run("new-entry", "-p", project, "--title", "X").exit_code == 2


# --- schema ------------------------------------------------------------------------------------


def test_schema_inside_a_project_lists_its_themes(project):
    result = run("schema", "-p", project)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["$schema"].startswith("https://json-schema.org/draft/2020-12")
    assert "category" in data["properties"] and "service-delivery" in result.stdout


def test_schema_outside_a_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["type"] == "object"


def test_schema_edition(project):
    result = run("schema", "--edition", "-p", project)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert "themes" in data["properties"] and "title" in data["required"]


def test_schema_with_a_bad_project_option(tmp_path):
    result = run("schema", "-p", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "not a compendium project" in result.stderr


# --- stats -------------------------------------------------------------------------------------


@pytest.fixture
def several(project):
    add(project, "entries/eg.yaml", ("country: KE", "country: EG"), ("category: service-delivery", "category: knowledge-management"))
    add(project, "entries/br.yaml", ("country: KE", "country: BR"))
    add(project, "entries/bh.yaml", ("country: KE", "country: BH"), ("category: service-delivery", "category: knowledge-management"))
    add(project, "entries/ng.yaml", ("country: KE", "country: NG"))
    return project


def test_stats_text(several):
    result = run("stats", "-p", several)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Theme \\ Region") and lines[0].endswith("Total")
    assert "Latin America and the Caribbean" in lines[0]
    assert lines[2].split()[-6:] == ["2", "0", "0", "1", "0", "3"]
    assert lines[2].startswith("Improving the Delivery of Public Services")
    assert lines[3].split()[-6:] == ["1", "0", "0", "0", "1", "2"]
    assert lines[-1].split() == ["Total", "3", "0", "0", "1", "1", "5"]
    assert set(lines[1]) == {"-", " "} and set(lines[-2]) == {"-", " "}


def test_stats_csv(several):
    result = run("stats", "-p", several, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        ["theme", "Africa", "Asia and the Pacific", "Europe and North America", "Latin America and the Caribbean",
         "Western Asia", "total"],
        ["service-delivery", "2", "0", "0", "1", "0", "3"],
        ["knowledge-management", "1", "0", "0", "0", "1", "2"],
        ["total", "3", "0", "0", "1", "1", "5"],
    ]


def test_stats_json(several):
    result = run("stats", "-p", several, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["themes"] == ["service-delivery", "knowledge-management"]
    assert data["regions"][0] == "Africa" and len(data["regions"]) == 5
    assert data["counts"] == [[2, 0, 0, 1, 0], [1, 0, 0, 0, 1]]
    assert data["total"] == 5 == sum(map(sum, data["counts"]))


def test_stats_refuses_with_errors(several):
    add(several, "entries/ng.yaml", ("country: KE", "country: Nigria"))
    result = run("stats", "-p", several)
    assert result.exit_code == 1
    assert "entries/ng.yaml:3:10: error:" in result.stdout


# --- build -------------------------------------------------------------------------------------


@pytest.fixture
def fake_renderer(monkeypatch):
    """Only one renderer, which writes a small text file (the real ones are tested elsewhere)."""

    def fake(book, ctx):
        out = ctx.out_dir / "fake" / "book.txt"
        out.parent.mkdir(parents=True)
        out.write_text("\n".join(e.id for e in book.entries), encoding="utf-8")
        return [out]

    for name in list(FORMATS):
        monkeypatch.delitem(FORMATS, name)
    monkeypatch.setitem(FORMATS, "fake", Format("fake", function=fake, produces="folder"))


def test_build_refuses_with_errors(broken, fake_renderer):
    result = run("build", "-p", broken, "--format", "fake", "-j", "1")
    assert result.exit_code == 1
    assert "entries/a/bad.yaml:1:7: error: year 2013" in result.stdout
    assert "entries/b/typo.yaml:5:11: error:" in result.stdout
    assert "nothing was built" in result.stderr
    assert not (broken / "output" / "fake").exists()


def test_build_prints_the_parts(several, fake_renderer):
    result = run("build", "-p", several, "--format", "fake", "-j", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Test Awards 2012: 5 entries in 2 parts"
    assert lines[1] == "  Improving the Delivery of Public Services: Africa (2), Latin America and the Caribbean (1)"
    assert lines[2] == "  Advancing Knowledge Management in Government: Africa (1), Western Asia (1)"
    assert lines[3] == f"wrote {several / 'output'}"
    out = several / "output" / "fake" / "book.txt"
    assert out.read_text(encoding="utf-8").splitlines() == ["ke-one-stop", "ng", "br", "eg", "bh"]


def test_build_output_option_and_warnings(several, fake_renderer, tmp_path):
    add(several, "entries/br.yaml", ("country: KE", "country: BR"), append="region: Africa\n")
    result = run("build", "-p", several, "--format", "fake", "-j", "1", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "entries/br.yaml:18:9: warning:" in result.stderr
    assert (tmp_path / "out" / "fake" / "book.txt").is_file()
    result = run("build", "-p", several, "--format", "fake", "-j", "1", "--strict")
    assert result.exit_code == 1
    assert "entries/br.yaml:18:9: warning:" in result.stdout and "nothing was built" in result.stderr


def test_build_unknown_format(several, fake_renderer):
    result = run("build", "-p", several, "--format", "docx")
    assert result.exit_code == 2
    assert "unknown format(s): docx" in result.stderr


def test_validate_one_file_still_sees_ids_used_elsewhere(project):
    from tests.helpers import ENTRY, write

    write(project, "entries/b.yaml", "id: ke-one-stop\n" + ENTRY)
    result = CliRunner().invoke(main, ["validate", "--project", str(project), str(project / "entries/b.yaml")],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "entries/b.yaml:1:5: error: id 'ke-one-stop' is already used by entries/ke-one-stop.yaml [entry.duplicate-id]" in result.output
    assert "2 files checked: 1 error, 0 warnings" in result.output  # the edition file and b.yaml
