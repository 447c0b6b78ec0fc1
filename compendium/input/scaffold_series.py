"""Scaffold (series): `compendium init --series` — start a series, turn a project of one edition
into one, or add the next edition; never over a file.

A series keeps its shared settings in the series file at its root and one folder per edition
(input/series.py). Turning a project into a series moves the edition's own files into a folder
named after its year and splits its compendium.yaml in two: the keys that belong to one book
(spec.PER_EDITION) stay in the edition's file, the others move up into the series file, each with
the comments above it (line by line: the text is kept as written). Adding an edition appends it to
the series file's `editions:` by ruamel.yaml's round trip, which keeps comments and key order.
Nothing is written when anything is in the way.
"""
from __future__ import annotations

import os
import re
from io import StringIO
from pathlib import Path, PurePosixPath

from compendium.errors import InvalidInput, UsageError
from compendium.input import spec
from compendium.input.load import ENTRIES_DIR, PROJECT_FILE, RawMap, read_yaml

SERIES_HEAD = """\
# The series file: settings shared by every edition of the series (an edition's own
# compendium.yaml overrides any of them), its edition folders and its retrospectives.
# README.md, "A series of editions", explains every key.
"""
EDITION_FILE = """\
# The {year} edition. Shared settings come from the series file, ../{project_file};
# a key written here overrides the shared one.
edition: {year}
introduction: introduction.md
"""
INTRODUCTION = """\
This compendium presents the winners of the {year} awards.
"""
RETROSPECTIVES_HINT = """\
# A book across editions, built as PDF and EPUB like an edition:
# retrospectives:
#   - id: winners-{first}-{last}
#     title: Winners {first}–{last}
#     years: {first}-{last}
#     group_by: [theme, year]      # or [region, country]
"""


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments, key order and flow style are kept
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dump(data: object) -> str:
    buf = StringIO()
    _yaml().dump(data, buf)
    return buf.getvalue()


def _inside(root: Path, value: object) -> str | None:
    """A relative path that stays inside `root` and names an existing file, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    rel = PurePosixPath(value.strip())
    if rel.is_absolute() or ".." in rel.parts:
        return None
    return rel.as_posix() if (root / rel).is_file() else None


def _year_of(root: Path) -> int:
    data = read_yaml(root / PROJECT_FILE, root).data
    year = data.get("edition") if isinstance(data, RawMap) else None
    if not isinstance(year, int) or isinstance(year, bool):
        raise UsageError(f"{root / PROJECT_FILE} has no valid 'edition:' year; fix it (compendium validate) first")
    return year


_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_COMMENTED_KEY = re.compile(r"^# ?([A-Za-z_][\w-]*):")


def _items(text: str) -> list[tuple[list[str], list[str]]]:
    """An edition file's lines → its items in order, each (its lines, the keys it is about): a
    top-level key with the comments just above it and the lines below it that belong to its value,
    or a paragraph of comments alone (about the keys it shows commented out, such as '# isbn: ...')."""
    items: list[tuple[list[str], list[str]]] = []
    pending: list[str] = []  # comments and blank lines not yet attached to a key
    current: list[str] | None = None  # the lines of the key being read

    def flush() -> None:
        if any(line.strip() for line in pending):
            items.append((pending[:], [m[1] for m in map(_COMMENTED_KEY.match, pending) if m]))
        pending.clear()

    for line in text.splitlines(keepends=True):
        key = _KEY.match(line)
        if key:
            current = [*pending, line]
            pending.clear()
            items.append((current, [key[1]]))
        elif current is not None and line.strip() and (line[0] in " \t-" or line.startswith("]")):
            current.append(line)  # the key's value goes on (indented, a list item, a closing bracket)
        elif not line.strip():  # a blank line closes the item above, or ends a paragraph of comments
            current = None
            if pending:
                pending.append(line)
                flush()
            elif items:
                items[-1][0].append(line)
        else:
            current = None
            pending.append(line)
    flush()
    return items


def _split(text: str, year: int) -> tuple[str, str]:
    """An edition file's text → (series file text, edition file text): the keys of one book
    (spec.PER_EDITION) stay with the edition, the others go up, each with the comments above it;
    a paragraph of comments goes where the keys it shows commented out belong. The header that
    `init` writes (presets.HEAD: "the edition file of this project") gives way to each file's own."""
    from compendium.input.presets import HEAD

    own = set(spec.PER_EDITION)
    series_lines: list[str] = []
    edition_lines: list[str] = []
    for lines, keys in _items(text):
        if "".join(lines).strip() == HEAD.strip():
            continue
        (edition_lines if keys and set(keys) <= own else series_lines).extend(lines)
    shared = "".join(series_lines).strip("\n") + "\n"
    hint = RETROSPECTIVES_HINT.format(first=year, last=year + 1)
    head = EDITION_FILE.split("edition:")[0].format(year=year, project_file=PROJECT_FILE)
    editions = f"\n# The editions of the series, one folder each (README.md, \"A series of editions\").\neditions: [{year}]\n"
    return (SERIES_HEAD + "\n" + shared + editions + "\n" + hint,
            head + "\n" + "".join(edition_lines).strip("\n") + "\n")


def convert(root: Path) -> list[Path]:
    """Turn the project of one edition at `root` into a series: its compendium.yaml, introduction,
    cover and entries/ move into `<year>/`, the shared keys move up into a new series file.

    Returns the paths written or moved. Raises UsageError when `<year>/` exists, and InvalidInput
    when the project does not validate (fix it first: a series of it would not either).
    """
    from compendium.input.validate import validate_project

    year = _year_of(root)
    folder = root / str(year)
    if folder.exists():
        raise UsageError(f"cannot make {root} a series: {folder} already exists")
    result = validate_project(root)
    if result.errors:
        raise InvalidInput(f"{root} has errors; fix them (compendium validate) before making it a series",
                           result.errors)
    series_text, edition_text = _split((root / PROJECT_FILE).read_text(encoding="utf-8-sig"), year)
    data = read_yaml(root / PROJECT_FILE, root).data
    moves = [ENTRIES_DIR] if (root / ENTRIES_DIR).is_dir() else []
    moves += [p for p in (_inside(root, data.get(k)) for k in ("introduction", "cover")) if p]
    written = [root / PROJECT_FILE, folder / PROJECT_FILE]
    folder.mkdir()
    for rel in dict.fromkeys(moves):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(root / rel, target)
        written.append(target)
    (folder / PROJECT_FILE).write_text(edition_text, encoding="utf-8")
    (root / PROJECT_FILE).write_text(series_text, encoding="utf-8")
    return written


def _flow(items: list) -> object:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def add_edition(root: Path, year: int) -> list[Path]:
    """Add the edition of `year` to the series at `root`: `<year>/compendium.yaml` (its year and
    introduction; everything else from the series file), `<year>/introduction.md` and an empty
    `<year>/entries/`, and the folder appended to the series file's `editions:`.

    Raises UsageError when the folder exists or the series already has that year.
    """
    from compendium.input.series import edition_folder

    folder = root / str(year)
    try:
        taken = edition_folder(root, str(year))
    except UsageError:
        taken = ""
    if taken:
        raise UsageError(f"the series already has the {year} edition, in {root / taken}")
    if folder.exists():
        raise UsageError(f"cannot add the {year} edition: {folder} already exists")
    yaml = _yaml()
    data = yaml.load((root / PROJECT_FILE).read_text(encoding="utf-8-sig"))
    editions = data.get("editions")
    if not isinstance(editions, list):
        raise UsageError(f"{root / PROJECT_FILE}: 'editions' must be a list of folders; fix it first")
    editions.append(year)
    (folder / ENTRIES_DIR).mkdir(parents=True)
    (folder / PROJECT_FILE).write_text(EDITION_FILE.format(year=year, project_file=PROJECT_FILE), encoding="utf-8")
    (folder / "introduction.md").write_text(INTRODUCTION.format(year=year), encoding="utf-8")
    (root / PROJECT_FILE).write_text(_dump(data), encoding="utf-8")
    return [folder / PROJECT_FILE, folder / "introduction.md", folder / ENTRIES_DIR]


def init_series(folder: Path, title: str | None = None, year: int | None = None,
                preset: str = "unpsa") -> list[Path]:
    """`compendium init --series`: in `folder`, start a series (its first edition `year`, default
    scaffold.default_year(), with the entry form of `preset`), or turn the project of one edition there into a series
    (and add the edition `year` when it is another), or add the edition `year` (default: the year
    after the latest) to the series there. Returns the paths written.

    Raises UsageError when something is in the way (nothing is written then) and InvalidInput
    when the project there has errors or the result would not validate.
    """
    from compendium.input.scaffold import default_year, init_project
    from compendium.input.series import is_series, latest_folder, validate_series

    if is_series(folder):
        written = add_edition(folder, year if year is not None else _year_of(folder / latest_folder(folder)) + 1)
    elif (folder / PROJECT_FILE).is_file():
        written = convert(folder)
        if year is not None and year != _year_of(written[1].parent):
            written += add_edition(folder, year)
    else:
        year = default_year() if year is None else year
        edition = folder / str(year)
        if edition.exists():
            raise UsageError(f"{edition} already exists; not touching it")
        written = init_project(edition, title, year, preset)
        ignore = edition / ".gitignore"  # output/ and the cache live beside the series file
        if ignore in written:
            written.remove(ignore)
            if (folder / ".gitignore").exists():  # an existing one (a git checkout) is left alone
                ignore.unlink()
            else:
                written.append(ignore.replace(folder / ".gitignore"))
        series_text, edition_text = _split((edition / PROJECT_FILE).read_text(encoding="utf-8"), year)
        (edition / PROJECT_FILE).write_text(edition_text, encoding="utf-8")
        (folder / PROJECT_FILE).write_text(series_text, encoding="utf-8")
        written = [folder / PROJECT_FILE, *written]
    result = validate_series(folder)
    if result.errors:
        raise InvalidInput("the series would not validate", result.errors)
    return list(dict.fromkeys(written))
