"""What a new user got wrong following the README, each mistake by kind and from the command line
down: the message names the cause a person can see (a pasted non-breaking space, a moved key, a
comment where the value was meant), at the line where it is, in plain words, items counted from 1;
the same tolerance everywhere (letter case, other names of keys, ambiguous countries asked back);
and an entry nobody finished never reaches a book."""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from tests.helpers import EDITION, ENTRY, REPO, write

ENTRY_FILE = "entries/ke-one-stop.yaml"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def problems(project: Path, text: str, edition: str | None = None) -> list[str]:
    """validate's lines for `text` written as the project's entry (the summary line left out)."""
    if edition is not None:
        write(project, "compendium.yaml", edition)
    write(project, ENTRY_FILE, text)
    result = run("validate", "-p", project)
    assert "Traceback" not in result.output
    return result.stdout.splitlines()[:-1]


def one(project: Path, text: str, edition: str | None = None) -> str:
    (line,) = problems(project, text, edition)
    return line


# --- characters that look like a space ----------------------------------------------------------

SPACES = {"\u00a0": "a non-breaking space (U+00A0)", "\u202f": "a narrow non-breaking space (U+202F)",
          "\u3000": "an ideographic space (U+3000)", "\u200b": "a zero-width space (U+200B)"}


@pytest.mark.parametrize("char", SPACES)
@pytest.mark.parametrize("where, typed, at, place", [
    ("after the key", ('title: "One', 'title:{c}"One'), "2:7", "next to the ':' after the key"),
    ("in the indentation", ("  solution: |", "{c} solution: |"), "12:1", "in the indentation"),
    ("in the indentation, second", ("  solution: |", " {c}solution: |"), "12:2", "in the indentation"),
])
def test_a_pasted_space_is_named_where_it_is(project, char, where, typed, at, place):
    line = one(project, ENTRY.replace(typed[0], typed[1].format(c=char)))
    assert line == (f"{ENTRY_FILE}:{at}: error: {SPACES[char]}, as Word or Outlook paste it, is {place}: YAML does "
                    "not read it as a space; delete it and type an ordinary space [yaml.syntax]")


def test_a_pasted_space_inside_a_key_is_named_and_not_also_reported_missing(project):
    line = one(project, ENTRY.replace("  solution: |", "  solution\u00a0: |"))
    assert line == (f"{ENTRY_FILE}:12:3: error: the key 'solution' (a key of this format) has a non-breaking space "
                    "(U+00A0) in it, as Word or Outlook paste it: delete it and type ordinary spaces "
                    "[entry.sections.unknown-key]")


# --- keys and text at the wrong indentation ---------------------------------------------------------

@pytest.mark.parametrize("moved, line, before, after", [
    ("solution", 12, ("problem", 10), ("impact", 14)),
    ("impact", 14, ("solution", 12), ("lessons", 16)),
])
def test_a_section_moved_out_of_its_group_is_told_where_it_was_moved(project, moved, line, before, after):
    text = ENTRY.replace(f"  {moved}: |", f"{moved}: |")
    assert one(project, text) == (
        f"{ENTRY_FILE}:{line}:1: error: '{moved}:' starts in column 1, but the keys around it ('{before[0]}:' on line "
        f"{before[1]}, '{after[0]}:' on line {after[1]}) start in column 3: indent it like them [yaml.syntax]")


def test_a_contact_key_moved_out_of_its_group_is_told_where_it_was_moved(project):
    text = ENTRY + "contact:\n  name: Jane Roe\nemail: jane@example.net\n  public: true\n"
    assert one(project, text) == (
        f"{ENTRY_FILE}:20:1: error: 'email:' starts in column 1, but the keys around it ('name:' on line 19, "
        "'public:' on line 21) start in column 3: indent it like them [yaml.syntax]")


@pytest.mark.parametrize("key, line", [("problem", 10), ("solution", 12), ("lessons", 16)])
def test_text_not_indented_under_its_bar_is_told_at_the_text(project, key, line):
    start = ENTRY.index(f"  {key}: |\n") + len(f"  {key}: |\n")
    end = ENTRY.index("\n", start) + 1
    without_colon = ENTRY[:start] + "  It was slow and costly.\n" + ENTRY[end:]
    assert one(project, without_colon) == (
        f"{ENTRY_FILE}:{line + 1}:3: error: the text under '{key}: |' (line {line}) must be indented more than "
        f"'{key}:'; add two spaces before each of its lines [yaml.syntax]")
    with_colon = ENTRY[:start] + "  Queues: long ones, every day.\n" + ENTRY[end:]  # YAML reads a key here
    assert one(project, with_colon) == (
        f"{ENTRY_FILE}:{line + 1}:3: error: this line is the text of 'sections.{key}' (line {line}) but is not "
        f"indented under it, so YAML reads 'Queues' as a key: indent every line of the text more than '{key}:' "
        "[entry.indent]")


@pytest.mark.parametrize("item", ["- one", "* one", "1. one", "## A heading", "> quoted"])
def test_a_text_of_several_lines_without_a_bar(project, item):
    """Not indented, the next line breaks the file; indented, YAML joins the lines and the list
    (heading, quote) is lost without a word: both are told."""
    if not item.startswith("#"):  # (in column 1, '## A heading' is a YAML comment)
        text = ENTRY.replace("summary: |\n  A short **summary**.", f"summary: A short summary.\n{item}\n{item}")
        line = one(project, text)
        assert line.startswith(f"{ENTRY_FILE}:8:1: error: ") and line.endswith("[yaml.syntax]"), line
        assert "a text of several lines starts with 'summary: |'" in line or "is not indented under 'summary:'" in line
    text = ENTRY.replace("summary: |\n  A short **summary**.", f"summary: A short summary.\n  {item}\n  {item}")
    assert one(project, text) == (
        f"{ENTRY_FILE}:8:3: warning: the summary runs over several lines without '|', so YAML joins its lines into "
        "one and this list, heading or quote is lost: write 'summary: |' and indent the text under it "
        "[entry.multiline]")


def test_a_plain_paragraph_wrapped_over_lines_is_fine(project):
    text = ENTRY.replace("summary: |\n  A short **summary**.", "summary: A short summary\n  wrapped over two lines.")
    assert problems(project, text) == []


def test_a_line_of_text_read_as_a_key(project):
    text = ENTRY.replace("summary: |\n  A short **summary**.", "summary: It works.\nIt works: every day, for all.")
    assert one(project, text) == (
        f"{ENTRY_FILE}:8:1: error: 'It works' is a line of text, not a key: YAML read it as one because of the ': ' "
        "after it; text continued from the key above must be indented under it (a text of several lines starts "
        "with 'key: |') [entry.unknown-key]")


# --- a comment where the value was meant ---------------------------------------------------------

def test_a_value_that_starts_with_a_hash_is_a_comment(project):
    assert one(project, ENTRY.replace('title: "One-stop shops"', "title: #1 one-stop shop")) == (
        f"{ENTRY_FILE}:2:8: error: 'title' is empty: ' #' starts a comment, so YAML ignores everything after it; "
        "put the value in quotes, for example title: '#1 one-stop shop' [entry.type]")
    assert one(project, ENTRY + "website: #hashtag\n") == (
        f"{ENTRY_FILE}:18:10: warning: 'website' is empty: ' #' starts a comment, so YAML ignores everything after "
        "it; put the value in quotes, for example website: '#hashtag' [entry.website]")
    assert problems(project, ENTRY + "region:  # set later\n") == []  # a comment, as people write them


# --- quotes --------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, meant", [
    ("“One-stop shops: for all”", "One-stop shops: for all"),
    ("‘One-stop shops: for all’", "One-stop shops: for all"),
    ("«One-stop shops: for all»", "One-stop shops: for all"),
    ('"One-stop" shops for all', '"One-stop" shops for all'),
    ("One-stop shops: for all", "One-stop shops: for all"),
    ("It's a shop: for all", "It's a shop: for all"),
    ("@home: services", "@home: services"),
])
def test_every_suggested_line_pastes_back_as_meant(project, typed, meant):
    """The corrected line a message suggests is written by the YAML emitter: pasted into the
    file, it validates and gives the title the person meant."""
    line = one(project, ENTRY.replace('title: "One-stop shops"', f"title: {typed}"))
    suggested = re.search(r"for example (title: .*) \[yaml\.syntax\]$", line).group(1)
    assert "“" not in suggested and "«" not in suggested
    write(project, ENTRY_FILE, ENTRY.replace('title: "One-stop shops"', suggested))
    from compendium.input.validate import validate_project

    result = validate_project(project)
    assert result.errors == () and result.entries[0].title == meant


@pytest.mark.parametrize("name", ["Hong Kong", "HK", "Macao", "Taiwan", "Kosovo", "Puerto Rico"])
def test_the_lines_that_declare_a_territory_paste_back_as_meant(project, name):
    line = one(project, ENTRY.replace("country: KE", f"country: {name}"))
    declaration = line.split("with the name it prints and its region: ")[1].removesuffix(" [entry.country]")
    write(project, "compendium.yaml", EDITION + declaration + "\n")
    assert problems(project, ENTRY.replace("country: KE", f"country: {name}")) == []


@pytest.mark.parametrize("typed, advice", [
    ('"C:\\Users\\jane\\huduma.jpg"', "'\\' inside double quotes starts an escape"),
    ("C:\\Users\\jane\\huduma.jpg", "is an absolute path, on one computer and not in the project: copy the file "
                                    "into entries/images/ and write images/huduma.jpg"),
    ("'C:\\Users\\jane\\huduma.jpg'", "is an absolute path, on one computer and not in the project"),
    ("\\\\server\\share\\huduma.jpg", "is an absolute path, on one computer and not in the project"),
    ("/home/jane/huduma.jpg", "copy the file into entries/images/ and write images/huduma.jpg"),
])
def test_a_picture_on_ones_own_computer(project, typed, advice):
    line = one(project, ENTRY + f"images:\n  - file: {typed}\n    alt: A counter\n")
    assert line.startswith(f"{ENTRY_FILE}:19:") and advice in line, line


def test_a_missing_picture_names_the_path_looked_at_and_the_file_of_that_name(project):
    from PIL import Image

    (project / "images").mkdir()
    Image.new("RGB", (800, 600)).save(project / "images" / "huduma.jpg")
    text = ENTRY + "images:\n  - file: images/huduma.jpg\n    alt: A counter\n"
    assert one(project, text) == (
        f"{ENTRY_FILE}:19:11: error: 'images/huduma.jpg' does not exist: looked for entries/images/huduma.jpg "
        "(a path is relative to the folder of the file that names it); a file of that name is at images/huduma.jpg: "
        "write '../images/huduma.jpg' [image.missing]")
    assert problems(project, text.replace("file: images/", "file: ../images/")) == []  # the advice works


# --- plain words, items counted from 1 -------------------------------------------------------------

SDG_EDITION = EDITION + """\
fields:
  - {id: sdgs, type: list, vocabulary: sdgs, required: true}
  - {id: budget, type: number}
"""


def test_messages_use_plain_words_and_count_items_from_one(project):
    text = ENTRY + """\
sdgs: [5, 18, SDG 99]
budget: 1,200,000
partners: [UNDP, [a, b]]
contact: Jane
images:
  - just a file name
  - alt: no file
  - {file: images/nope.png, alt: y, captoin: z}
"""
    lines = problems(project, text, SDG_EDITION)
    joined = "\n".join(lines)
    for word in ("mapping", "slug", "scalar", "[0]", "[1]", "[2]", "None", "sequence"):
        assert word not in joined, (word, joined)
    assert "item 2 of 'sdgs': '18' is not one of 1…17; they are numbered 1 to 17" in joined
    assert "item 3 of 'sdgs': 'SDG 99' is not one of 1…17" in joined
    assert "item 2 of 'partners' must be a line of text, not a list" in joined
    assert "item 1 of 'images' must give 'file:' and 'alt:'" in joined
    assert "missing required key 'file' in item 2 of 'images' [image.missing-key]" in joined
    assert "unknown key 'captoin' in item 3 of 'images'; did you mean 'caption'?" in joined
    assert "'contact' must be a group of 'key: value' lines indented under it, not 'Jane'" in joined
    assert "'budget' must be a number, not '1,200,000'; write digits only, without separators, spaces or a " \
           "currency: budget: 1200000" in joined


@pytest.mark.parametrize("typed, example", [("SDG 5", "sdgs: [5]"), ("5, 16", "sdgs: [5, 16]"),
                                            ("Gender Equality", "sdgs: [5]"), ("5", "sdgs: [5]")])
def test_one_value_where_a_list_is_expected_gets_the_list_to_write(project, typed, example):
    line = one(project, ENTRY + f"sdgs: '{typed}'\n", SDG_EDITION)
    assert line.endswith(f"write it as a list, even of one item: {example} [entry.field]"), line


def test_a_quoted_year_is_told_to_lose_its_quotes(project):
    assert one(project, ENTRY.replace("year: 2012", 'year: "2012"')) == (
        f"{ENTRY_FILE}:1:7: error: 'year' must be a whole number, not '2012'; remove the quotes: year: 2012 [entry.year]")


@pytest.mark.parametrize("typed, meant", [("English", "en"), ("français", "fr"), ("Spanish", "es"),
                                          ("Arabic", "ar"), ("Simplified Chinese", "zh-Hans")])
def test_a_language_written_as_its_name_gets_its_code(project, typed, meant):
    line = one(project, ENTRY + f"language: {typed}\n")
    assert line.endswith(f"not '{typed}'; did you mean '{meant}'? [entry.language]"), line
    edition = EDITION + f"language: {typed}\n"
    assert f"did you mean '{meant}'? [edition.language]" in problems(project, ENTRY, edition)[0]


# --- other names of keys, letter case ---------------------------------------------------------------

@pytest.mark.parametrize("typed, meant", [("theme", "category"), ("award", "place"), ("organisation", "institution"),
                                          ("abstract", "summary"), ("tags", "keywords"), ("url", "website")])
def test_another_name_of_a_key_points_to_it_once(project, typed, meant):
    start = ENTRY.find(f"{meant}:")
    text = (ENTRY[:start] + f"{typed}:" + ENTRY[start + len(meant) + 1:]) if start >= 0 else ENTRY + f"{typed}: x\n"
    lines = problems(project, text)
    assert any(line.endswith(f"unknown key '{typed}'; did you mean '{meant}'? [entry.unknown-key]") for line in lines)
    assert not any(f"missing required key '{meant}'" in line for line in lines), lines  # told once


def test_the_editions_year_key_is_pointed_to(project):
    lines = problems(project, ENTRY, EDITION.replace("edition: 2012", "year: 2012"))
    assert "compendium.yaml:2:1: error: unknown key 'year'; did you mean 'edition'? [edition.unknown-key]" in lines


@pytest.mark.parametrize("typed", ["Winner", "WINNER", "Finalist", "1ST", " special "])
def test_a_place_in_any_case_is_taken(project, typed):
    assert problems(project, ENTRY.replace("place: 1st", f"place: '{typed}'")) == []


@pytest.mark.parametrize("typed", ["improving the delivery of public services", "IMPROVING THE DELIVERY OF PUBLIC "
                                   "SERVICES", "Improving  the Delivery of Public Services"])
def test_a_theme_name_in_any_case_is_taken(project, typed):
    assert problems(project, ENTRY.replace("category: service-delivery", f"category: {typed}")) == []


@pytest.mark.parametrize("typed, codes", [("Korea", ("KR", "KP")), ("korea", ("KR", "KP")),
                                          ("Congo", ("CG", "CD")), ("the Congo", ("CG", "CD"))])
def test_a_name_of_two_states_is_asked_back_never_guessed(project, typed, codes):
    line = one(project, ENTRY.replace("country: KE", f"country: {typed}"))
    assert f"'{typed}' may be " in line and all(f"({c})" in line for c in codes), line
    assert "write the code of the one you mean [entry.country]" in line
    lines = problems(project, ENTRY, EDITION + f"country_regions:\n  {typed}: Africa\n")
    assert any(f"'{typed}' may be " in line and "[edition.country-regions]" in line for line in lines), lines


@pytest.mark.parametrize("typed", ["South Korea", "KR", "DR Congo", "Republic of the Congo", "COG"])
def test_a_name_of_one_state_is_taken(project, typed):
    assert problems(project, ENTRY.replace("country: KE", f"country: {typed}")) == []


# --- a broken compendium.yaml does not hide the entries' own errors ---------------------------------

@pytest.mark.parametrize("edition, unchecked", [
    ("title: T\nedition: 2012\nthemes:\n  - id: Bad Id\n    name: X\n", "their category"),
    (EDITION + "sections: nonsense\n", "their sections"),
    (EDITION + "language: English\n", ""),
    (EDITION + "fields: [{id: x, type: colour}]\n", "the edition's own fields and unknown keys"),
    ("title: T\nedition: [2012\n", "their year, their category"),
])
@pytest.mark.parametrize("one_file", [False, True])
def test_a_broken_edition_file_still_lets_the_entries_be_checked(project, edition, unchecked, one_file):
    write(project, "compendium.yaml", edition)
    write(project, ENTRY_FILE, ENTRY.replace("place: 1st", "place: First Place"))
    result = run("validate", "-p", project, *([project / ENTRY_FILE] if one_file else []))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{ENTRY_FILE}:6:8: error: place 'First Place' is not one of 1st, 2nd, 3rd, winner, finalist, special; " \
           "did you mean '1st'? [entry.place]" in lines
    note = lines[-2]
    assert note.startswith("compendium.yaml: note: ") and note.endswith("[edition.entries-partly-checked]"), lines
    assert (unchecked in note) if unchecked else "the entries were still checked in full" in note


# --- where a file is, where a project is ------------------------------------------------------------

def test_a_file_outside_entries_is_told_it_will_not_be_in_the_book(project, monkeypatch, tmp_path_factory):
    write(project, "draft.yaml", ENTRY.replace("year: 2012", "id: 2012-ke-draft\nyear: 2012"))
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(project)
    result = run("validate", "draft.yaml")
    assert result.exit_code == 0
    assert ("draft.yaml: note: this file is not under entries/, so it will not be in the book: move it into "
            "entries/<theme>/ when it is ready [file.outside-entries]") in result.stdout
    monkeypatch.chdir(elsewhere)  # a file named from outside its project is checked in its project
    result = run("validate", project / ENTRY_FILE)
    assert result.exit_code == 0 and result.stdout == "2 files checked: no problems found\n", result.output


def test_no_project_tells_a_submitter_to_ask_the_editor(tmp_path, monkeypatch):
    write(tmp_path, "my-entry.yaml", ENTRY)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "my-entry.yaml")
    assert result.exit_code == 2
    assert "submitters: your editor gives you that folder" in result.stderr


# --- an entry nobody finished ------------------------------------------------------------------------

def test_template_text_left_in_is_told_per_value_and_never_built(project):
    assert run("new-entry", "-p", project, "--title", "Huduma Centres", "--country", "Kenya", "--category",
               "service-delivery").exit_code == 0
    result = run("validate", "-p", project)
    assert result.exit_code == 0  # a warning while the entry is written
    told = [line for line in result.stdout.splitlines() if "[entry.placeholder]" in line]
    assert [line.split(": warning: ")[1].split(" still")[0] for line in told] == [
        "'institution'", "'summary'", "'sections.problem'", "'sections.solution'", "'sections.impact'",
        "'sections.lessons'"]
    assert all(line.startswith("entries/service-delivery/ke-huduma-centres.yaml:") for line in told)
    assert run("validate", "-p", project, "--strict").exit_code == 1
    assert run("stats", "-p", project).exit_code == 0  # counting is fine
    result = run("build", "-p", project, "--format", "html")  # publishing is not
    assert result.exit_code == 1 and not (project / "output").exists()
    assert "entries/service-delivery/ke-huduma-centres.yaml:8:14: error: 'institution' still holds the " \
           "template's text ('Name of the institution')" in result.stdout


def test_a_prompt_left_above_ones_own_text_is_told(project):
    text = ENTRY.replace("    Queues.", "    The situation before the initiative: who was affected, and how badly?\n"
                                       "    Queues everywhere.")
    assert one(project, text) == (
        f"{ENTRY_FILE}:11:5: warning: 'sections.problem' still contains the template's prompt 'The situation before "
        "the initiative: who was…': delete it and keep the entry's own text [entry.placeholder]")


# --- serve stops with the status the README gives ---------------------------------------------------

@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_serve_exits_with_the_status_of_the_signal(project, signum, status):
    proc = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "serve", "-p", str(project), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not any("serving " in line for line in lines) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert any("serving " in line for line in lines), lines
        proc.send_signal(signum)
        assert proc.wait(timeout=20) == status
        reader.join(timeout=5)
        assert lines[-1].strip() == "stopped" and not any("Traceback" in line for line in lines), lines
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --- init: this year, the preset's title, a compendium.yaml that explains itself -----------------------

def test_init_gives_this_year_and_the_presets_title(tmp_path, monkeypatch):
    import datetime as dt

    from compendium.input.validate import validate_project

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert run("init", tmp_path / "a").exit_code == 0
    edition = validate_project(tmp_path / "a").edition
    assert (edition.title, edition.edition) == ("Public Service Awards", dt.date.today().year)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2031, 5, 1, tzinfo=dt.timezone.utc).timestamp())))
    assert run("init", tmp_path / "b", "--preset", "sdg-good-practices").exit_code == 0
    edition = validate_project(tmp_path / "b").edition
    assert (edition.title, edition.edition) == ("SDG Good Practices", 2031)
    assert edition.subtitle == "A Compilation of Success Stories and Lessons Learned in SDG Implementation"


@pytest.mark.parametrize("preset", ["unpsa", "sdg-good-practices", "minimal"])
def test_inits_edition_file_explains_every_key_and_its_examples_work(tmp_path, preset):
    from compendium.input import spec
    from compendium.input.validate import validate_project

    assert run("init", tmp_path, "--preset", preset, "--year", "2014").exit_code == 0
    text = (tmp_path / "compendium.yaml").read_text(encoding="utf-8")
    assert "README" not in text and "compendium schema --edition" in text
    comments = " ".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    for declared in spec.EDITION:
        if declared.key in ("sections", "fields", "vocabularies"):
            continue  # the preset's own form, explained in its own comment
        assert " ".join(declared.description.split()) in comments, declared.key
    # every example commented out is valid as it stands: delete the '# ' and it validates
    lines = [line[2:] if re.match(r"# [a-z_]+: ", line) and not line.startswith("# cover:") else line
             for line in text.splitlines()]
    (tmp_path / "compendium.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = validate_project(tmp_path)
    assert result.errors == (), [str(i) for i in result.errors]
    assert result.edition.publisher and result.edition.isbn and result.edition.options == (
        ("pdf", (("page_size", "A4"), ("sides", "two-sided"), ("cover", "included"))),)
