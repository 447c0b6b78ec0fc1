"""Load: project discovery, entry discovery and safe YAML reading with positions (file.* and yaml.*)."""
from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from compendium.errors import CompendiumError
from compendium.input import load
from compendium.input.load import (
    RawList,
    RawMap,
    entry_files,
    find_project,
    parse_yaml,
    read_yaml,
)
from compendium.input.validate import validate_project
from tests.helpers import ENTRY, write


def parse(text: str):
    issues: list = []
    data = parse_yaml(text, "f.yaml", issues)
    return data, [(i.code, i.severity, i.source.line, i.source.col, i.message) for i in issues]


def read(tmp_path: Path, content: str | bytes, name: str = "entries/x.yaml"):
    path = write(tmp_path, name, content)
    doc = read_yaml(path, tmp_path)
    return doc, [(i.code, i.severity, i.source.line, i.source.col, i.message) for i in doc.issues]


# --- project and entry discovery -------------------------------------------------------------


def test_find_project_walks_up(project):
    deep = project / "entries" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_project(deep) == project.resolve()
    assert find_project(project) == project.resolve()


def test_find_project_uses_cwd(project, monkeypatch):
    monkeypatch.chdir(project / "entries")
    assert find_project() == project.resolve()


def test_find_project_fails_without_edition_file(tmp_path):
    with pytest.raises(CompendiumError, match=r"no compendium\.yaml found.*compendium init"):
        find_project(tmp_path)


def test_entry_files_any_depth_skipping_underscore_and_dot(project):
    for rel in ("entries/a/b/deep.yaml", "entries/other.yml", "entries/_draft.yaml", "entries/.hidden.yaml",
                "entries/_drafts/x.yaml", "entries/.git/y.yaml", "entries/notes.txt", "entries/a/README.md"):
        write(project, rel, "x: 1\n")
    found = [p.relative_to(project).as_posix() for p in entry_files(project)]
    assert found == ["entries/a/b/deep.yaml", "entries/ke-one-stop.yaml", "entries/other.yml"]


def test_no_entries_folder_means_no_entries(tmp_path):
    assert entry_files(tmp_path) == []


# --- positions and YAML 1.2 values -----------------------------------------------------------


def test_positions_of_mapping_keys_values_and_items():
    data, issues = parse("a: 1\nb:\n  - x\n  - {c: d}\nlong_key:   v\n")
    assert issues == []
    assert isinstance(data, RawMap) and data.pos == (1, 1)
    assert data.key_pos == {"a": (1, 1), "b": (2, 1), "long_key": (5, 1)}
    assert data.val_pos["a"] == (1, 4)
    assert data.val_pos["long_key"] == (5, 13)
    items = data["b"]
    assert isinstance(items, RawList) and items.pos == (3, 3)
    assert items.item_pos == [(3, 5), (4, 5)]
    assert items[1].pos == (4, 5) and items[1].val_pos["c"] == (4, 9)


def test_yaml_1_2_values():
    data, issues = parse(
        "country: NO\nb: yes\nc: off\nd: true\ne: False\nf: 2012-06-23\ng: 0x1F\nh: 0o17\ni: 1.5e3\n"
        "j: .inf\nk: -.Inf\nl: .NaN\nm: .INF\nn: ~\no: 2012-06-23T10:00:00\np: 2012-02-30\nq: '2012'\nr: 012\n"
    )
    assert issues == []
    assert data["country"] == "NO"
    assert data["b"] == "yes" and data["c"] == "off"
    assert data["d"] is True and data["e"] is False
    assert data["f"] == dt.date(2012, 6, 23)
    assert data["g"] == 31 and data["h"] == 15
    assert data["i"] == 1500.0
    assert data["j"] == float("inf") and data["k"] == float("-inf") and data["m"] == float("inf")
    assert data["l"] != data["l"]  # NaN
    assert data["n"] is None
    assert data["o"] == "2012-06-23T10:00:00"  # not a date: stays text
    assert data["p"] == "2012-02-30"  # impossible date: stays text
    assert data["q"] == "2012"
    assert data["r"] == 12


def test_standard_tags_allowed():
    data, issues = parse("a: !!str 2012\nb: !!int '7'\n")
    assert issues == []
    assert data == {"a": "2012", "b": 7}


def test_small_aliases_are_fine():
    data, issues = parse("a: &x [1, 2]\nb: *x\n")
    assert issues == []
    assert data["a"] == data["b"] == [1, 2]


# --- yaml.* ----------------------------------------------------------------------------------


def test_malformed_yaml_at_parser_position():
    data, issues = parse("a: 1\nb: [1, 2\nc: 3\n")
    assert data is None
    assert [i[:4] for i in issues] == [("yaml.syntax", "error", 2, 4)]  # where the '[' opens
    assert issues[0][4].startswith("the '[' here is not closed")


def test_malformed_yaml_bad_indentation():
    data, issues = parse("title: x\n  country: KE\n")
    assert data is None
    assert [i[:4] for i in issues] == [("yaml.syntax", "error", 2, 3)]
    assert "indented more than the key above" in issues[0][4]


def test_tab_indentation_is_a_syntax_error():
    _, issues = parse("a:\n\tb: 1\n")
    assert [i[:4] for i in issues] == [("yaml.syntax", "error", 2, 1)]


def test_second_document_is_a_syntax_error():
    data, issues = parse("a: 1\n---\nb: 2\n")
    assert data is None
    assert [i[:4] for i in issues] == [("yaml.syntax", "error", 2, 1)]


@pytest.mark.parametrize("text, pos", [("a: 1\nb: x\x07y\n", (2, 5)), ("\x1b[31m: x\n", (1, 1)), ("a: |\n  ok\n  \x00\n", (3, 3))])
def test_control_character_is_located_on_one_line(text, pos):
    data, issues = parse(text)
    assert data is None
    assert [i[:4] for i in issues] == [("yaml.syntax", "error", *pos)]
    assert "\n" not in issues[0][4] and "is not allowed in YAML" in issues[0][4]


def test_duplicate_key_names_first_line():
    data, issues = parse("a: 1\nb: 2\na: 3\n")
    assert [i[:4] for i in issues] == [("yaml.duplicate-key", "error", 3, 1)]
    assert "duplicate key 'a'" in issues[0][4] and "line 1" in issues[0][4]
    assert data["a"] == 1  # the first value is kept


def test_duplicate_key_in_nested_mapping():
    _, issues = parse("sections:\n  problem: a\n  problem: b\n")
    assert [i[:4] for i in issues] == [("yaml.duplicate-key", "error", 3, 3)]


def test_python_tag_is_refused_and_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\n"
    data, issues = parse(text)
    assert [i[:4] for i in issues] == [("yaml.tag", "error", 1, 8)]
    assert "python/object/apply:os.system" in issues[0][4]
    assert data == {"title": None}
    assert not marker.exists()


def test_python_object_tag_on_a_mapping(tmp_path):
    data, issues = parse("!!python/object:os.system {a: 1}\n")
    assert data is None
    assert [i[:4] for i in issues] == [("yaml.tag", "error", 1, 1)]


def test_custom_tag_is_refused():
    data, issues = parse("a: 1\nb: !foo bar\n")
    assert [i[:4] for i in issues] == [("yaml.tag", "error", 2, 4)]
    assert "'!foo'" in issues[0][4]


def test_binary_tag_is_refused():
    _, issues = parse("a: !!binary aGVsbG8=\n")
    assert [i[0] for i in issues] == ["yaml.tag"]


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")
)


def test_billion_laughs_stops_fast():
    start = time.perf_counter()
    data, issues = parse(BILLION_LAUGHS)
    assert time.perf_counter() - start < 2
    assert data is None
    assert [i[:3] for i in issues] == [("yaml.alias-bomb", "error", 1)]


def test_billion_laughs_in_a_file_through_validation(project):
    write(project, "entries/lol.yaml", BILLION_LAUGHS)
    start = time.perf_counter()
    result = validate_project(project)
    assert time.perf_counter() - start < 2
    assert [(i.source.path, i.code) for i in result.issues] == [("entries/lol.yaml", "yaml.alias-bomb")]


def test_recursive_alias():
    _, issues = parse("a: &x [1, *x]\n")
    assert [i[:4] for i in issues] == [("yaml.alias-recursive", "error", 1, 4)]


def test_merge_key_is_refused():
    data, issues = parse("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert [i[:4] for i in issues] == [("yaml.merge", "error", 3, 3)]
    assert data["other"] == {"y": 2}


def test_key_that_is_a_list():
    _, issues = parse("? [a, b]\n: 1\nc: 2\n")
    assert [i[:4] for i in issues] == [("yaml.key", "error", 1, 3)]


@pytest.mark.parametrize("text", ["[" * 150 + "]" * 150, "- " * 150 + "x\n",
                                  "".join(" " * i + "a:\n" for i in range(150)) + " " * 150 + "x\n"])
def test_deep_nesting_is_refused(text):
    _, issues = parse(text)
    assert [i[:2] for i in issues] == [("yaml.depth", "error")]


@pytest.mark.parametrize("text", ["[" * 200_000 + "]" * 200_000, "- " * 200_000 + "x\n", "{a: " * 100_000])
def test_very_deep_nesting_never_reaches_the_c_composer(text):
    # libyaml's composer recurses in C: 50,000 levels used to crash the interpreter (segfault)
    start = time.perf_counter()
    data, issues = parse(text)
    assert time.perf_counter() - start < 2
    assert data is None
    assert [i[:4] for i in issues][0][:2] == ("yaml.depth", "error")


@pytest.mark.parametrize("depth", [5, 120, 700, 1400])
def test_nesting_bound_is_an_upper_bound(depth):
    # the tightest block nesting: one more space per level, no '-', '?', '[' or '{' at all
    text = "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "x\n"
    assert load._nesting_bound(text) >= depth
    _, issues = parse(text)
    assert [i[0] for i in issues] == ([] if depth <= load.MAX_DEPTH else ["yaml.depth"])


def test_nesting_of_a_real_entry_is_fine():
    data, issues = parse("a:\n  b:\n    - c: [1, {d: [e]}]\n")
    assert issues == []
    assert data["a"]["b"][0]["c"][1]["d"] == ["e"]


# --- file.* ----------------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(tmp_path, content):
    doc, issues = read(tmp_path, content)
    assert doc.data is None
    assert [i[:4] for i in issues] == [("file.empty", "error", 1, 1)]


def test_non_utf8_points_at_first_bad_byte(tmp_path):
    doc, issues = read(tmp_path, "year: 2012\ntitle: Caf\xe9\n".encode("latin-1"))
    assert doc.data is None
    assert [i[:4] for i in issues] == [("file.encoding", "error", 2, 11)]
    assert "0xe9" in issues[0][4] and "UTF-8" in issues[0][4]


def test_non_utf8_column_counts_characters_not_bytes(tmp_path):
    _, issues = read(tmp_path, "title: Zürich \xff\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    assert [i[:4] for i in issues] == [("file.encoding", "error", 1, 15)]


def test_utf8_bom_is_fine(tmp_path):
    doc, issues = read(tmp_path, b"\xef\xbb\xbftitle: Caf\xc3\xa9\n")
    assert issues == []
    assert doc.data == {"title": "Café"}
    assert doc.data.val_pos["title"] == (1, 8)


def test_utf8_bom_then_bad_byte(tmp_path):
    _, issues = read(tmp_path, b"\xef\xbb\xbfa: \xff\n")
    assert [i[:4] for i in issues] == [("file.encoding", "error", 1, 4)]


def test_nul_bytes_mean_binary(tmp_path):
    doc, issues = read(tmp_path, b"title: x\n\x00\x01\x02")
    assert doc.data is None
    assert [i[:4] for i in issues] == [("file.binary", "error", 1, 1)]


def test_png_named_yaml_is_binary(tmp_path):
    _, issues = read(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert [i[0] for i in issues] == ["file.binary"]


def test_file_over_one_megabyte(tmp_path):
    doc, issues = read(tmp_path, "a: " + "x" * 1_000_000 + "\n")
    assert doc.data is None
    assert [i[:4] for i in issues] == [("file.too-large", "error", 1, 1)]
    assert "1,000,004 bytes" in issues[0][4]


def test_file_of_exactly_one_megabyte_is_read(tmp_path):
    content = "a: " + "x" * (1_000_000 - 4) + "\n"
    assert len(content) == 1_000_000
    doc, issues = read(tmp_path, content)
    assert issues == [] and len(doc.data["a"]) == 1_000_000 - 4


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, "entries/x.yaml", "a: 1\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    doc = read_yaml(path, tmp_path)
    assert [(i.code, i.source.line, i.source.col) for i in doc.issues] == [("file.unreadable", 1, 1)]
    assert "Permission denied" in doc.issues[0].message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_dangling_symlink_is_unreadable(project):
    try:
        os.symlink(project / "nowhere.yaml", project / "entries" / "gone.yaml")
    except OSError:
        pytest.skip("cannot create symlinks here")
    result = validate_project(project)
    assert [(i.source.path, i.code) for i in result.issues] == [("entries/gone.yaml", "file.unreadable")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_is_unreadable_and_never_blocks(project):
    os.mkfifo(project / "entries" / "pipe.yaml")
    result = validate_project(project)
    assert [(i.source.path, i.code, i.message) for i in result.issues] == [
        ("entries/pipe.yaml", "file.unreadable", "cannot read the file: not a regular file")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_is_an_encoding_problem_not_binary(tmp_path, encoding):
    content = "title: x\n".encode(encoding)
    if encoding == "utf-16-be":
        content = b"\xfe\xff" + content
    _, issues = read(tmp_path, content)
    assert [i[:4] for i in issues] == [("file.encoding", "error", 1, 1)]
    assert "UTF-16" in issues[0][4]


def test_missing_edition_file_is_unreadable(tmp_path):
    doc = read_yaml(tmp_path / "compendium.yaml", tmp_path)
    assert [i.code for i in doc.issues] == ["file.unreadable"]


def test_relative_paths_in_documents(project):
    doc = read_yaml(project / "entries" / "ke-one-stop.yaml", project)
    assert doc.rel == "entries/ke-one-stop.yaml"
    assert doc.issues == [] and doc.data["country"] == "KE"


def test_load_project_only_given_paths(project):
    other = write(project, "entries/b/other.yaml", ENTRY)
    edition, docs = load.load_project(project, [other])
    assert edition.rel == "compendium.yaml"
    assert [d.rel for d in docs] == ["entries/b/other.yaml"]
    _, docs = load.load_project(project, [project / "entries" / "b"])
    assert [d.rel for d in docs] == ["entries/b/other.yaml"]
    with pytest.raises(CompendiumError, match="no such file"):
        load.load_project(project, [project / "entries" / "missing.yaml"])


def test_edition_file_is_never_read_as_an_entry(project):
    _, docs = load.load_project(project, [project])
    assert [d.rel for d in docs] == ["entries/ke-one-stop.yaml"]
    _, docs = load.load_project(project, [project / "compendium.yaml"])
    assert docs == []


def test_control_characters_in_keys_never_reach_the_terminal(tmp_path):
    from compendium.input.load import read_yaml

    path = tmp_path / "x.yaml"
    path.write_text('"\\e[2Jtitle\\x07": 1\n', encoding="utf-8")
    doc = read_yaml(path, tmp_path)
    assert list(doc.data) == ["[2Jtitle"]
