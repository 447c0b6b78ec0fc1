"""No value slips through, from the command line down: each kind of input a new user tried that
passed `validate` and then broke the build is now a located error (or note), the same in
`validate`, `build` and `stats`, never a traceback."""
from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.helpers import ENTRY, REPO, write

ENTRY_FILE = "entries/ke-one-stop.yaml"


def cli(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "cli.py"), *map(str, args)], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("replace, where, message", [
    (("place: 1st", "place:"), "6:7", "'place' is empty; give one of 1st, 2nd, 3rd, winner, finalist, special"),
    (("place: 1st", "place: ~"), "6:8", "'place' is empty"),
    (("year: 2012", "year:"), "1:6", "'year' is empty"),
    (("year: 2012", 'year: "\\u200b"'), "1:7", "'year' is empty"),
    (('title: "One-stop shops"', 'title: "&nbsp;"'), "2:8", "'title' is empty"),
    (("    Start small.\n", "    ---\n"), "16:12", "'sections.lessons' is empty"),
])
@pytest.mark.parametrize("command", ["validate", "build", "stats"])
def test_blank_values_stop_every_command_with_a_located_error(project, replace, where, message, command):
    write(project, ENTRY_FILE, ENTRY.replace(*replace))
    result = cli(command, "-p", project, *(["--format", "html"] if command == "build" else []))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"entries/ke-one-stop.yaml:{where}: error: {message}" in result.stdout
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert not (project / "output").exists()


def test_empty_sections_with_keys_not_indented(project):
    write(project, ENTRY_FILE, re.sub(r"(?m)^  (problem|solution|impact|lessons):", r"\1:", ENTRY))
    result = cli("validate", "-p", project)
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and len(lines) == 2, lines
    assert lines[0].startswith("entries/ke-one-stop.yaml:9:1: error: 'sections' is empty and 'problem', 'solution', "
                               "'impact', 'lessons' below it are not indented")


@pytest.mark.parametrize("typed, meant", [("First Place", "1st"), ("second", "2nd"), ("1st place", "1st"),
                                          ("runner-up", "2nd"), ("first", "1st"), ("1", "1st"), ('"1"', "1st")])
def test_places_as_people_write_them(project, typed, meant):
    write(project, ENTRY_FILE, ENTRY.replace("place: 1st", f"place: {typed}"))
    result = cli("validate", "-p", project)
    assert result.returncode == 1
    assert f"; did you mean '{meant}'? [entry.place]" in result.stdout and "quotes" not in result.stdout


def test_title_with_a_colon_and_an_unclosed_quote_are_plain_advice(project):
    write(project, ENTRY_FILE, ENTRY.replace('title: "One-stop shops"', "title: Huduma: one-stop shops"))
    write(project, "entries/b.yaml", ENTRY.replace('title: "One-stop shops"', 'title: "One-stop shops'))
    result = cli("validate", "-p", project)
    assert "entries/ke-one-stop.yaml:2:8: error: a value that contains ': ' must be in quotes, for example " \
           "title: 'Huduma: one-stop shops' [yaml.syntax]" in result.stdout
    assert "entries/b.yaml:2:8: error: this \" quote is never closed" in result.stdout  # where it opens


def test_files_that_are_not_read_are_named_with_the_reason(project):
    write(project, "entries/x.YAML", ENTRY)
    write(project, "entries/y.yaml.txt", ENTRY)
    write(project, "entries/u16.yaml", ENTRY.encode("utf-16-le"))
    write(project, "entries/_draft.yaml", ENTRY)
    result = cli("validate", "-p", project)
    out = result.stdout
    assert "entries/x.YAML: warning: skipped: entry files end in lower-case '.yaml'; rename it to 'x.yaml'" in out
    assert "entries/y.yaml.txt: warning: skipped: the name ends in '.txt', not '.yaml'; rename it to 'y.yaml'" in out
    assert "entries/u16.yaml:1:1: error: the file is UTF-16 (little-endian, without a byte order mark)" in out
    assert "entries/_draft.yaml: note: skipped: its name starts with '_' (a draft)" in out
    assert out.splitlines()[-1] == "3 files checked: 1 error, 2 warnings; 1 file skipped on purpose"


def test_decomposed_picture_names_are_found(project):
    from PIL import Image

    folder = project / "entries" / "images"
    folder.mkdir(parents=True)
    Image.new("RGB", (800, 450)).save(folder / unicodedata.normalize("NFD", "Frühförderung.png"))
    write(project, ENTRY_FILE, ENTRY + 'images:\n  - file: "images/Frühförderung.png"\n    alt: A picture\n')
    result = cli("validate", "-p", project)
    assert result.returncode == 0 and result.stdout == "2 files checked: no problems found\n", result.stdout


def test_a_bad_link_is_reported_once_by_the_build(project):
    write(project, ENTRY_FILE, ENTRY.replace("A short **summary**.", "See [it](http://exa..mple.org)."))
    result = cli("build", "-p", project, "--format", "html")
    assert result.returncode == 0, result.stderr
    assert "entries/ke-one-stop.yaml:7:10: warning: the summary: the link 'http://exa..mple.org' is not a valid web " \
           "address; it will be shown as text [entry.link]" in result.stderr
    assert result.stderr.count("exa..mple.org") == 1


def test_a_territory_says_how_to_declare_it(project):
    write(project, ENTRY_FILE, ENTRY.replace("country: KE", "country: Kosovo"))
    result = cli("validate", "-p", project)
    assert "entries/ke-one-stop.yaml:3:10: error: 'Kosovo' is not a UN member or observer state; " \
           "a programme that lists it declares it in compendium.yaml" in result.stdout
    write(project, "compendium.yaml", (project / "compendium.yaml").read_text(encoding="utf-8")
          + "countries:\n  XK: {name: Kosovo, region: Europe and North America}\n")
    assert cli("validate", "-p", project).returncode == 0


@pytest.mark.parametrize("preset, sections", [("unpsa", 4), ("sdg-good-practices", 7), ("minimal", 1)])
def test_every_preset_makes_a_project_that_validates_and_takes_new_entries(tmp_path: Path, preset, sections):
    root = tmp_path / preset
    assert cli("init", root, "--preset", preset).returncode == 0
    assert cli("validate", "-p", root).stdout.endswith("1 file checked: no problems found; 1 file skipped on purpose\n")
    theme = next((root / "entries").iterdir()).name
    made = cli("new-entry", "-p", root, "--title", "Huduma Centres", "--country", "Kenya", "--category", theme,
               "--institution", "Huduma Kenya Secretariat")
    assert made.returncode == 0, made.stderr
    path = root / made.stdout.split("created ", 1)[1].split(":")[0]
    text = path.read_text(encoding="utf-8")
    assert len(re.findall(r"(?m)^  [a-z-]+: \|$", text)) == sections
    validated = cli("validate", "-p", root).stdout
    # what is left to fill in: the summary, each section and each extra text field, nothing else
    assert validated.count("[entry.placeholder]") == 1 + sections
    assert validated.endswith(f"2 files checked: 0 errors, {1 + sections} warnings; 1 file skipped on purpose\n")
    schema = cli("schema", "-p", root)
    assert schema.returncode == 0 and '"sections"' in schema.stdout
