"""The README and the command line agree: every documented command, option and format value
exists, the submitters' quick start runs as written, and every error is one line, never a traceback."""
from __future__ import annotations

import itertools
import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import main
from compendium.render import FORMATS, Format
from tests.helpers import EDITION, ENTRY, REPO, copy_series, write

README = (REPO / "README.md").read_text(encoding="utf-8")


def run(*args: object, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def assert_one_line_error(result, code: int, *fragments: str) -> str:
    """Exit `code`, exactly one line on stderr starting with 'error:', no traceback anywhere."""
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    # a build's plain progress lines: "<format>: started", "<format>: <what it does now>", "<format>: done in ..."
    progress = re.compile(rf"^({'|'.join(map(re.escape, FORMATS))}): ")
    lines = [line for line in result.stderr.splitlines() if not progress.match(line)]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


# --- the README's commands, options and format values ------------------------------------------


def section(title: str) -> str:
    return README.split(f"\n## {title}")[1].split("\n## ")[0]


def command_table() -> list[str]:
    """The first column of the table in "Commands", e.g. 'compendium init DIR [--title T] [--year Y]'."""
    rows = re.findall(r"^\| `(compendium [^`]+)` \|", section("Commands"), re.MULTILINE)
    return [row.replace("\\|", "|") for row in rows]


def command_lines() -> list[str]:
    """Every command line the README shows: inline code and lines of sh code blocks."""
    inline = [s.replace("\\|", "|") for s in re.findall(r"`(compendium [^`]+)`", README)]
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    in_blocks = [line.split(" #")[0].strip() for block in blocks for line in block.splitlines()]
    return inline + [line for line in in_blocks if line.startswith("compendium ")]


def tokens(line: str) -> list[str]:
    line = line.split(" > ")[0]  # a redirect is not part of the command
    line = line.replace("[", " ").replace("]", " ").replace("...", " ")
    return shlex.split(line)


def resolve(words: list[str]) -> tuple[click.Command, list[str]]:
    """The command named by the leading words ('templates', 'export'), and the words left over."""
    command: click.Command = main
    words = list(words)
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        assert words[0] in command.commands, f"the README names a command that does not exist: {words[0]!r}"
        command = command.commands[words.pop(0)]
    return command, words


def option_names(command: click.Command) -> set[str]:
    names = {"--help", "-h"}
    for param in command.params:
        if isinstance(param, click.Option):
            names.update(param.opts)
            names.update(param.secondary_opts)
    return names


def help_text(*path: str) -> str:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    return result.stdout


def all_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
        else:
            found.append((*prefix, name))
    return found


def format_values(command: click.Command) -> set[str]:
    """The values `--format` accepts: a Choice, or for `build` the registered renderers."""
    param = next(p for p in command.params if p.name in ("fmt", "formats"))
    if isinstance(param.type, click.Choice):
        return set(param.type.choices)
    return set(FORMATS)


def test_the_command_table_lists_every_command_with_its_real_options():
    rows = command_table()
    documented = set()
    for row in rows:
        command, rest = resolve(tokens(row)[1:])
        assert not isinstance(command, click.Group), row
        path = tuple(tokens(row)[1 : len(tokens(row)) - len(rest)])
        documented.add(path)
        shown = help_text(*path)
        for option in (t for t in rest if t.startswith("-")):
            assert option in option_names(command), f"{row}: {option} is not an option of the command"
            assert option in shown, f"{row}: {option} is missing from --help"
        # the positional arguments of the row (DIR, PATHS) are the command's, in its usage line
        usage = shown.splitlines()[0]
        for i, word in enumerate(rest):
            if word.isupper() and (i == 0 or not rest[i - 1].startswith("-")):
                assert word in usage, f"{row}: argument {word} is not in {usage!r}"
    assert documented == set(all_commands()), "the table and the commands differ"


def test_every_command_line_in_the_readme_names_real_options():
    lines = command_lines()
    assert len(lines) >= 15
    for line in lines:
        words = tokens(line)[1:]
        command, rest = resolve(words)
        allowed = option_names(command) | ({"--version"} if command is main else set())
        for word in rest:
            if word.startswith("-"):
                assert word.split("=")[0] in allowed, f"{line!r}: {word} is not an option of the command"


def test_every_command_but_init_takes_the_project_option():
    for path in all_commands():
        command, _ = resolve(list(path))
        has = {"--project", "-p"} <= option_names(command)
        assert has == (path != ("init",)), path


def test_every_documented_format_value_exists():
    checked = 0
    for line in command_lines():
        words = tokens(line)
        command, rest = resolve(words[1:])
        for option, value in itertools.pairwise(rest):
            if option != "--format" or value.isupper():  # F, FORMAT: placeholders
                continue
            for name in re.split(r"[|,]", value):
                assert name in format_values(command), f"{line!r}: --format {name} does not exist"
                checked += 1
    # the values listed in prose: `--format json`, and the build's formats in the command table
    everything = set().union(*(format_values(resolve(list(p))[0]) for p in all_commands()
                               if any(q.name in ("fmt", "formats") for q in resolve(list(p))[0].params)))
    for value in re.findall(r"`--format ([a-z,-]+)`", README):
        assert set(value.split(",")) <= everything, value
        checked += 1
    build_row = next(r for r in command_table() if r.startswith("compendium build"))
    row_text = next(line for line in section("Commands").splitlines() if build_row.replace("|", "\\|") in line)
    listed = set(re.findall(r"`([a-z-]+)`", row_text.split("`F` is ")[1].split(" (")[0]))
    assert listed == set(FORMATS), listed
    assert checked >= 8


def test_validate_and_build_help_give_the_exit_status():
    for command in ("validate", "build"):
        shown = " ".join(help_text(command).split())
        assert "Exit status: 0" in shown and " 1 " in shown and " 2 usage error" in shown, shown
    shown = " ".join(help_text().split())
    assert "Exit status: 0 success; 1 invalid input" in shown and "2 usage error" in shown


def test_help_shows_the_defaults():
    assert "[default: text]" in help_text("validate")
    assert "[default: text]" in help_text("stats")
    assert "[default: 127.0.0.1]" in help_text("serve") and "[default: 8000" in help_text("serve")
    shown = " ".join(help_text("build").split())
    assert "Default: html, epub, pdf." in shown and "[default: output/ in the project]" in shown
    assert "[default: the number of cores]" in shown
    shown = " ".join(help_text("init").split())
    assert "[default: the preset's: Public Service Awards (unpsa); SDG Good Practices (sdg-good-practices)" in shown
    assert "[default: this year (SOURCE_DATE_EPOCH's when set)]" in shown
    shown = " ".join(help_text("new-entry").split())
    assert "[default: winner]" in shown and "[default: <year>-<country>-<title slug>]" in shown


def test_the_commands_are_listed_in_the_order_of_the_work():
    shown = help_text()
    listed = re.findall(r"^  ([a-z-]+)  ", shown.split("Commands:")[1], re.MULTILINE)
    assert listed == ["init", "new-entry", "validate", "schema", "stats", "templates", "build", "serve"]


def test_python_cli_py_calls_itself_compendium():
    result = subprocess.run([sys.executable, str(REPO / "cli.py"), "--help"], capture_output=True, text=True,
                            cwd=REPO, timeout=60, check=False)
    assert result.returncode == 0 and result.stdout.startswith("Usage: compendium [OPTIONS]")


def subsection(title: str) -> str:
    return README.split(f"\n### {title}")[1].split("\n### ")[0].split("\n## ")[0]


def run_block(block: str, monkeypatch) -> list[str]:
    """Run the compendium commands of a README sh block as written (cd too); check the files its
    comments say were created; return the commands run. pip and build are run elsewhere."""
    ran = []
    for line in block.splitlines():
        command, _, comment = line.partition(" #")
        command = command.strip()
        if command.startswith("cd "):
            monkeypatch.chdir(Path.cwd() / command[3:])
            continue
        if not command.startswith("compendium ") or command.startswith("compendium build"):
            if "created" in comment:
                shown = comment.split("created ")[1].split(":")[0]
                assert (Path.cwd() / shown).is_file(), shown  # the file the README says new-entry writes
            continue
        words = tokens(command)[1:]
        result = run(*words)
        assert result.exit_code == 0, (command, result.output)
        ran.append(words[0])
        if " > " in command:
            (Path.cwd() / command.split(" > ")[1].strip()).write_text(result.stdout, encoding="utf-8")
        if words[0] == "new-entry":  # what the command prints is what the README shows
            assert f"#   created {result.stdout.split('created ')[1].splitlines()[0]}" in block
    return ran


def test_the_quick_start_runs_as_written(tmp_path, monkeypatch):
    """The editor's block makes the project; the submitter's runs in the folder the editor shared."""
    monkeypatch.chdir(tmp_path)
    editors = re.search(r"```sh\n(.*?)```", subsection("For editors"), re.DOTALL).group(1)
    assert run_block(editors, monkeypatch) == ["init", "validate"]
    assert "compendium build" in editors and (Path.cwd() / "entries/service-delivery/_example.yaml").is_file()
    monkeypatch.chdir(tmp_path)
    submitters = re.search(r"```sh\n(.*?)```", subsection("For submitters"), re.DOTALL).group(1)
    assert run_block(submitters, monkeypatch) == ["new-entry", "validate", "schema"]
    assert "service-delivery" in (Path.cwd() / "entry.schema.json").read_text(encoding="utf-8")
    assert "init" not in submitters  # a submitter's project comes from the editor


def test_the_validation_example_is_what_validate_prints(tmp_path):
    """The example in "Validation and error codes" is the sample series with one typo."""
    example = re.search(r"```\n(2012/entries/.*?)```", section("Validation and error codes"), re.DOTALL).group(1)
    copy_series(tmp_path)
    zajel = tmp_path / "2012/entries/knowledge-management/bh-zajel.yaml"
    zajel.write_text(zajel.read_text(encoding="utf-8").replace("category: knowledge-management",
                                                               "category: knowlege-management"), encoding="utf-8")
    result = run("validate", "-p", tmp_path)
    assert result.exit_code == 1
    assert result.stdout == example


# --- errors: one line on stderr, the documented exit status ------------------------------------


def test_usage_errors_are_one_line(project):
    assert_one_line_error(run("validate", "-p", project, "--bogus"), 2,
                          "no such option '--bogus'", "see 'compendium validate --help'")
    assert_one_line_error(run("validate", "-p", project, "--format", "xml"), 2,
                          "invalid value for '--format'", "'xml' is not one of")
    assert_one_line_error(run("frobnicate"), 2, "no such command 'frobnicate'", "see 'compendium --help'")
    assert_one_line_error(run("templates", "frobnicate"), 2, "see 'compendium templates --help'")
    assert_one_line_error(run("new-entry", "-p", project, "--title", "X"), 2, "missing option '--country'")
    assert_one_line_error(run("build", "-p", project, "-j", "0"), 2, "'--jobs'")
    assert_one_line_error(run("init", project / "x", "--year", "99"), 2, "'--year'")
    assert_one_line_error(run("--bogus"), 2, "no such option")


def test_missing_project_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["validate"], ["build"], ["stats"], ["serve"], ["new-entry", "--title", "X", "--country", "KE",
                                                                     "--category", "x"]):
        assert_one_line_error(run(*command), 2, "no compendium.yaml found", "compendium init")


@pytest.mark.parametrize("command", [["validate"], ["stats"], ["build"], ["schema"], ["serve"],
                                     ["templates", "export"],
                                     ["new-entry", "--title", "X", "--country", "KE", "--category", "x"]])
def test_project_option_pointing_at_a_file_or_nowhere(project, command):
    line = assert_one_line_error(run(*command, "--project", project / "compendium.yaml"), 2,
                                 "is not a compendium project: it is a file")
    assert "--project takes the folder that holds compendium.yaml" in line
    assert_one_line_error(run(*command, "-p", project / "nowhere"), 2, "is not a compendium project",
                          "no such folder")


def test_an_edition_file_that_is_a_folder(project):
    (project / "compendium.yaml").unlink()
    (project / "compendium.yaml").mkdir()  # exists, but cannot be read as a file
    assert_one_line_error(run("validate", "-p", project), 2, "is not a compendium project")


def test_unreadable_entry_is_reported_not_raised(project):
    (project / "entries/dangling.yaml").symlink_to(project / "nowhere.yaml")
    result = run("validate", "-p", project)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "entries/dangling.yaml:1:1: error: cannot read the file" in result.stdout


# init


def test_init_into_a_file_or_below_one(tmp_path):
    write(tmp_path, "afile", "x\n")
    assert_one_line_error(run("init", tmp_path / "afile"), 2, "it is a file, not a folder")
    assert_one_line_error(run("init", tmp_path / "afile" / "sub"), 2, "cannot make the folder", "Not a directory")
    assert (tmp_path / "afile").read_text() == "x\n"


def test_init_into_a_folder_with_other_files(tmp_path):
    write(tmp_path, "notes.txt", "mine\n")
    assert run("init", tmp_path).exit_code == 0
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
    assert run("validate", "-p", tmp_path, "--strict").exit_code == 0
    assert_one_line_error(run("init", tmp_path), 2, "compendium.yaml already exists; not touching it")


@pytest.mark.parametrize("title, shown", [("  ", "the title must not be empty"),
                                          ("a\nb", "the title must be a single line")])
def test_init_with_a_title_that_would_not_validate(tmp_path, title, shown):
    assert_one_line_error(run("init", tmp_path / "x", "--title", title), 2, shown)
    assert not (tmp_path / "x").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_init_and_export_into_a_read_only_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        assert_one_line_error(run("init", locked / "x"), 2, "Permission denied")
        assert_one_line_error(run("templates", "export", locked / "t"), 2, "Permission denied")
    finally:
        locked.chmod(0o755)


# new-entry


def new_entry(project: Path, *args: str, title: str = "X", country: str = "KE", category: str = "service-delivery"):
    return run("new-entry", "-p", project, "--title", title, "--country", country, "--category", category, *args)


@pytest.mark.parametrize("title, shown", [("", "the title must not be empty"), ("   ", "the title must not be empty"),
                                          ("two\nlines", "the title must be a single line"),
                                          ("a\u2028b", "the title must be a single line")])
def test_new_entry_refuses_titles_that_would_not_validate(project, title, shown):
    assert_one_line_error(new_entry(project, title=title), 2, shown)
    assert not (project / "entries/service-delivery").exists()


def test_new_entry_refuses_an_empty_institution(project):
    assert_one_line_error(new_entry(project, "--institution", " "), 2, "the institution must not be empty")


@pytest.mark.parametrize("title, rel", [
    ("../../etc/passwd", "entries/service-delivery/ke-etc-passwd.yaml"),
    ("  Huduma  Centres  ", "entries/service-delivery/ke-huduma-centres.yaml"),
    ("a" * 300, f"entries/service-delivery/ke-{'a' * 40}.yaml"),
])
def test_new_entry_odd_titles_stay_inside_the_theme_folder_and_validate(project, title, rel):
    result = new_entry(project, title=title)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"created {project / rel}: a commented template to fill in\n")
    validated = run("validate", "-p", project)
    assert validated.exit_code == 0 and " 0 errors, " in validated.stdout, validated.output


@pytest.mark.parametrize("title, country, rel", [
    ("زاجل", "BH", "bh-zjl"), ("Ҳудума", "UZ", "uz-huduma"), ("電子政府", "CN", "cn-dian-zi-zheng-fu"),
    ("Søndergaard Łódź", "DK", "dk-sondergaard-lodz"), ("🏛️", "KE", "ke-classical-building"),
])
def test_new_entry_title_in_any_script_gets_a_readable_id(project, title, country, rel):
    """The id becomes the entry page's web address: transliterated, never an opaque digest."""
    result = new_entry(project, "--language", "ar", title=title, country=country)
    assert result.exit_code == 0, result.output
    (written,) = (project / "entries/service-delivery").glob(f"{rel}*.yaml")
    text = written.read_text(encoding="utf-8")
    assert f"title: \"{title}\"" in text and f"id: 2012-{written.stem}" in text
    validated = run("validate", "-p", project)
    assert validated.exit_code == 0 and " 0 errors, " in validated.stdout, validated.output


@pytest.mark.parametrize("country, shown", [("", "--country must not be empty"),
                                            ("  ", "--country must not be empty"),
                                            ("Keyna", "did you mean 'Kenya'?"),
                                            ("XX", "country 'XX' is not a known ISO 3166 code or UN country name"),
                                            ("Korea", "'Korea' may be Republic of Korea (KR) or Democratic People's "
                                                      "Republic of Korea (KP): write the code of the one you mean"),
                                            ("Congo", "(CG) or Democratic Republic of the Congo (CD)"),
                                            ("Hong Kong", "countries: {HK: {name: 'Hong Kong, China'")])
def test_new_entry_odd_countries(project, country, shown):
    assert_one_line_error(new_entry(project, country=country), 2, shown)


def test_new_entry_tells_every_bad_value_at_once(project):
    result = new_entry(project, "--place", "First Place", "--language", "English", country="Kenia",
                       category="service-delivry")
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert [line.split(" ")[1] for line in lines] == ["--country:", "--category", "--place", "--language"], lines
    assert all(line.startswith("error: ") for line in lines)
    assert "did you mean 'Kenya'?" in lines[0] and "did you mean 'service-delivery'?" in lines[1]
    assert "did you mean '1st'?" in lines[2] and "did you mean 'en'?" in lines[3]
    assert not (project / "entries/service-delivery").exists()


def test_new_entry_country_and_category_in_any_case(project):
    result = new_entry(project, "--place", "1ST", title="Y", country=" kenya ", category="SERVICE-DELIVERY")
    assert result.exit_code == 0, result.output
    text = (project / "entries/service-delivery/ke-y.yaml").read_text(encoding="utf-8")
    assert "category: service-delivery " in text and "place: 1st " in text and "country: KE " in text
    result = new_entry(project, title="Z", category="advancing knowledge management in government")
    assert result.exit_code == 0, result.output
    assert (project / "entries/knowledge-management/ke-z.yaml").is_file()
    validated = run("validate", "-p", project)
    assert validated.exit_code == 0 and " 0 errors, " in validated.stdout, validated.output


@pytest.mark.parametrize("category", ["", "../x", "service-delivry"])
def test_new_entry_odd_categories(project, category):
    line = assert_one_line_error(new_entry(project, category=category), 2,
                                 f"category '{category}' is not a theme of the edition",
                                 "choose one of: service-delivery, knowledge-management")
    assert "?;" not in line  # a suggestion and the list read as one sentence
    assert not (project / "entries/x").exists() and not (project.parent / "x").exists()


def test_new_entry_below_a_file(project):
    write(project, "entries/service-delivery", "not a folder\n")
    assert_one_line_error(new_entry(project), 2, "cannot write", "entries/service-delivery is a file, not a folder")


# templates export


def test_templates_export_makes_a_reference_copy_the_build_does_not_read(project, monkeypatch):
    monkeypatch.chdir(project / "entries")
    result = run("templates", "export")
    assert result.exit_code == 0, result.output
    assert (project / "templates-default/html/entry.html").is_file() and not (project / "templates").exists()
    assert "a copy that builds do not read" in result.stdout
    assert "next: to change a template, copy it into the project's templates/" in result.stdout
    assert "compendium templates export --only html/entry.html" in result.stdout
    readme = (project / "templates-default/README.md").read_text(encoding="utf-8")
    assert "Keep in `templates/` only the files you change" in readme
    assert_one_line_error(run("templates", "export"), 2, "already exist", "use --force")
    assert run("templates", "export", "--force").exit_code == 0
    assert run("validate").exit_code == 0


def test_templates_export_only_what_is_asked_into_the_live_overrides(project, monkeypatch):
    monkeypatch.chdir(project / "entries")
    result = run("templates", "export", "--only", "html/entry.html", "--only", "templates/epub/epub.css")
    assert result.exit_code == 0, result.output
    copied = sorted(p.relative_to(project).as_posix() for p in (project / "templates").rglob("*") if p.is_file())
    assert copied == ["templates/epub/epub.css", "templates/html/entry.html"]
    assert "where they override the defaults: epub/epub.css, html/entry.html" in result.stdout
    assert "delete each copy you do not change" in result.stdout
    assert_one_line_error(run("templates", "export", "--only", "html/entri.html"), 2,
                          "'html/entri.html' is not a default template; did you mean 'html/entry.html'?")


def test_templates_export_outside_a_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("templates", "export").exit_code == 0
    assert (tmp_path / "templates-default/epub/epub.css").is_file()


def test_templates_export_into_a_file_path(tmp_path):
    write(tmp_path, "afile", "x\n")
    assert_one_line_error(run("templates", "export", tmp_path / "afile"), 2, "it is a file, not a folder")
    assert_one_line_error(run("templates", "export", tmp_path / "afile" / "sub"), 2, "cannot write",
                          "Not a directory")
    assert (tmp_path / "afile").read_text() == "x\n"


# schema and stats


def test_schema_of_a_broken_edition_says_so(project):
    write(project, "compendium.yaml", EDITION + "oops: 1\n")
    result = run("schema", "-p", project)
    assert result.exit_code == 0 and result.stdout.startswith("{")
    assert result.stderr.startswith("warning: compendium.yaml has errors")
    assert "service-delivery" not in result.stdout


def test_stats_of_an_invalid_project_does_not_speak_of_building(project):
    write(project, "entries/bad.yaml", ENTRY.replace("year: 2012", "year: 1999"))
    result = run("stats", "-p", project)
    assert result.exit_code == 1
    assert "entries/bad.yaml:1:7: error:" in result.stdout
    assert result.stderr == "error: the project has errors; fix them to count the entries\n"


# build


@pytest.fixture
def fake_renderers(monkeypatch):
    """Two renderers that write small files, and one that fails (the real ones are tested elsewhere)."""

    def writer(name):
        def render(book, ctx):
            out = ctx.out_dir / f"{name}.txt"
            out.write_text(str(len(book.entries)), encoding="utf-8")
            return [out]
        return render

    def broken(book, ctx):
        raise RuntimeError("disk on fire")

    for name in list(FORMATS):
        monkeypatch.delitem(FORMATS, name)
    for name, function in {"one": writer("one"), "two": writer("two"), "broken": broken}.items():
        monkeypatch.setitem(FORMATS, name, Format(name, function=function))


def test_build_formats_separated_by_commas(project, fake_renderers):
    result = run("build", "-p", project, "--format", "one,two", "-j", "1")
    assert result.exit_code == 0, result.output
    assert (project / "output/one.txt").is_file() and (project / "output/two.txt").is_file()
    assert result.stdout.splitlines()[0] == "Test Awards 2012: 1 entry in 1 part"


def test_build_unknown_format_is_a_usage_error(project, fake_renderers):
    assert_one_line_error(run("build", "-p", project, "--format", "one,docx"), 2, "unknown format(s): docx")
    assert not (project / "output").exists()


def test_a_format_that_fails_to_render_is_a_failed_build(project, fake_renderers):
    result = run("build", "-p", project, "--format", "broken", "-j", "1")
    line = assert_one_line_error(result, 1, "the broken build failed: RuntimeError: disk on fire")
    assert "COMPENDIUM_DEBUG=1" in line


def test_build_into_a_file(project, fake_renderers):
    write(project, "out.txt", "x\n")
    assert_one_line_error(run("build", "-p", project, "--format", "one", "-o", project / "out.txt"), 2,
                          "'--output'", "is a file")


def test_template_error_names_the_file_relative_to_the_project(project):
    write(project, "templates/html/entry.html", '{% extends "default/html/entry.html" %}\n'
                                                "{% block pager %}<p>{{ misspelt }}</p>{{ super() }}{% endblock %}\n")
    result = run("build", "-p", project, "--format", "html", "-j", "1")
    line = assert_one_line_error(result, 1)
    assert line == "error: templates/html/entry.html:2:1: template error: 'misspelt' is undefined"
    assert str(project) not in result.output
    assert result.stdout == ""  # the one issue is the message: not printed twice
    assert not (project / "output").exists()


def test_template_syntax_error_is_relative_too(project):
    write(project, "templates/html/places.html", "{% block x %}\n{{ oops }\n")
    result = run("build", "-p", project, "--format", "html", "-j", "1")
    line = assert_one_line_error(result, 1, "templates/html/places.html:2:1: template error:")
    assert str(project) not in line


# serve


def test_serve_on_a_busy_port(project):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert_one_line_error(run("serve", "-p", project, "--port", port), 2,
                              f"cannot serve on 127.0.0.1:{port}", "--port")


def test_an_error_inside_a_default_template_is_named_as_extends_names_it(project):
    write(project, "templates/html/places.html", '{% extends "default/html/places.html" %}\n'
                                                 '{% block heading %}{% include "default/html/_entry_body.html" %}'
                                                 "{% endblock %}\n")
    result = run("build", "-p", project, "--format", "html", "-j", "1")
    line = assert_one_line_error(result, 1, "error: default/html/", "template error:")
    assert "site-packages" not in line and str(REPO) not in line
