"""Load: find the project, read YAML files safely into raw values that remember line and column."""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.cyaml import CParser
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent, StreamEndEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver

from compendium.errors import UsageError
from compendium.input.yaml_advice import advice
from compendium.model import Issue, Severity, Source

PROJECT_FILE = "compendium.yaml"
ENTRIES_DIR = "entries"
CACHE_DIR = ".compendium-cache"  # beside compendium.yaml: what builds keep (git-ignored)
PARSED = "parsed.pickle"  # in CACHE_DIR: the entry files read and checked cleanly (ParsedFiles)
MAX_FILE_BYTES = 1_000_000
MAX_NODES = 20_000  # far above any real entry; stops alias bombs ("billion laughs")
MAX_DEPTH = 100  # lists and mappings nested deeper than this are refused (real entries nest 3 deep)
_PRESCAN_DEPTH = 500  # libyaml's composer recurses in C: deeper input must never reach it
YAML_SUFFIXES = (".yaml", ".yml")

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}

Pos = tuple[int, int]  # 1-based line and column


class At(tuple):
    """A position (line, column) in another file than the one being read: a setting that a series
    file shares with its editions keeps the series file's path, so its problems point there."""

    rel: str

    def __new__(cls, line: int, col: int, rel: str) -> "At":
        pos = super().__new__(cls, (line, col))
        pos.rel = rel
        return pos

    def __reduce__(self):  # tuple's pickling would drop `rel`
        return (At, (self[0], self[1], self.rel))


class RawMap(dict):
    """A YAML mapping with the position of the mapping, of each key and of each value.

    What YAML hides from the values, kept for advice: `comments` (key → ((line, column), text) of
    a '#' right after the key, which made its value empty: `title: #1 shop`), `folded` (key → (line,
    column) of a line that starts a Markdown list, heading or quote inside a plain value of
    several lines, whose line breaks YAML joined: the text needed `key: |`).
    """

    pos: Pos = (1, 1)

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}
        self.val_pos: dict[str, Pos] = {}
        self.comments: dict[str, tuple[Pos, str]] = {}
        self.folded: dict[str, Pos] = {}


class RawList(list):
    """A YAML sequence with the position of the sequence and of each item."""

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []


@dataclass
class Document:
    """One YAML file as read: its raw value (None when unreadable) and the problems found."""

    path: Path
    rel: str
    data: Any = None
    issues: list[Issue] = field(default_factory=list)


class _Composer(CParser, VersionedResolver):  # type: ignore[misc]
    """libyaml's C parser composing nodes (with marks) under YAML 1.2 resolution rules."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        self._parser = self._composer = self
        VersionedResolver.__init__(self, version=(1, 2), loadumper=self)
        self._first = frozenset(k for k in self.versioned_resolver if k)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """The YAML 1.2 tag of a node; the common cases (text, quoted text, collections) without
        the resolver's regex scan: a plain scalar can only be something else when its first
        character starts one of the implicit types (digits, signs, t/f/n, ~ ...)."""
        if kind is ScalarNode and implicit[0] and value and value[0] not in self._first:
            return _STD + "str"
        if kind is ScalarNode and not implicit[0]:
            return _STD + "str"
        return VersionedResolver.resolve(self, kind, value, implicit)


def find_project(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` holding compendium.yaml, like git finds its repo."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise UsageError(
        f"no {PROJECT_FILE} found in {here} or any folder above it: run compendium inside a project folder "
        "(submitters: your editor gives you that folder), pass --project DIR, or make a new project with "
        "'compendium init DIR'"
    )


def relpath(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def entry_files(root: Path, folder: str = "") -> list[Path]:
    """Every entry file under entries/ (of the edition `folder` of a series), any depth, skipping
    names that start with '_' or '.'."""
    return entry_files_under(root / folder / ENTRIES_DIR)


def _issue(rel: str, pos: Pos, code: str, message: str) -> Issue:
    return Issue(Source(rel, pos[0], pos[1]), "error", code, message)


def _decode(raw: bytes, rel: str) -> tuple[str | None, Issue | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 (or UTF-32) byte order mark
        return None, _issue(rel, (1, 1), "file.encoding", "the file is UTF-16, not UTF-8; save it as UTF-8")
    if b"\x00" in raw:
        order = _utf16_without_bom(raw)
        if order:
            return None, _issue(rel, (1, 1), "file.encoding",
                                f"the file is UTF-16 ({order}, without a byte order mark), not UTF-8; save it as UTF-8")
        return None, _issue(rel, (1, 1), "file.binary", "this is a binary file, not YAML text")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8")) + 1  # in characters
        return None, _issue(
            rel, (line, col), "file.encoding", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        )


def _utf16_without_bom(raw: bytes) -> str:
    """'little-endian' or 'big-endian' when `raw` reads as UTF-16 text (Notepad's "Unicode"), else ''."""
    if len(raw) < 4 or len(raw) % 2:
        return ""
    for order, zeros, codec in (("little-endian", raw[1::2], "utf-16-le"), ("big-endian", raw[0::2], "utf-16-be")):
        if zeros.count(0) >= 0.3 * len(zeros):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text and sum(c.isprintable() or c in "\r\n\t" for c in text) >= 0.95 * len(text):
                return order
    return ""


def read_yaml(path: Path, root: Path) -> Document:
    """Read one YAML file; never raises for bad content, records located issues instead."""
    doc = Document(path, relpath(path, root))
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            doc.issues.append(_issue(doc.rel, (1, 1), "file.unreadable", "cannot read the file: not a regular file"))
            return doc
        size = info.st_size
        if size > MAX_FILE_BYTES:
            doc.issues.append(
                _issue(doc.rel, (1, 1), "file.too-large", f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
            )
            return doc
        raw = path.read_bytes()
    except OSError as exc:
        doc.issues.append(_issue(doc.rel, (1, 1), "file.unreadable", f"cannot read the file: {exc.strerror}"))
        return doc
    text, problem = _decode(raw, doc.rel)
    if problem:
        doc.issues.append(problem)
        return doc
    doc.data = parse_yaml(text or "", doc.rel, doc.issues)
    return doc


def _nesting_bound(text: str) -> int:
    """A cheap upper bound of how deep the lists and mappings in `text` can nest.

    Flow collections and compact items each need a '[', '{', '-' or '?'; every other level needs
    one more column of indentation, and d indented levels take at least d*(d-1)/2 characters.
    """
    return sum(text.count(c) for c in "[{-?") + math.isqrt(2 * len(text)) + 2


def _too_deep(text: str) -> Pos | None:
    """Where the nesting first exceeds MAX_DEPTH (parsing events only, nothing is composed)."""
    parser = _Composer(text)
    depth = 0
    try:
        while True:
            event = parser.get_event()
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return (event.start_mark.line + 1, event.start_mark.column + 1)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            elif event is None or isinstance(event, StreamEndEvent):
                return None
    except YAMLError:
        return None  # composing stops at the same syntax error, before any deeper nesting
    finally:
        parser.dispose()


def parse_yaml(text: str, rel: str, issues: list[Issue]) -> Any:
    """YAML text → raw values; problems are appended to `issues` and give None."""
    if _nesting_bound(text) > _PRESCAN_DEPTH:
        deep = _too_deep(text)
        if deep:
            issues.append(_issue(rel, deep, "yaml.depth", f"lists and groups of keys nest more than {MAX_DEPTH} levels deep"))
            return None
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except MarkedYAMLError as exc:
        pos, message = advice(exc, text)
        issues.append(_issue(rel, pos, "yaml.syntax", message))
        return None
    except ReaderError as exc:  # a character YAML does not allow; `position` counts characters
        at = min(exc.position, len(text))
        pos = (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))
        character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
        issues.append(_issue(rel, pos, "yaml.syntax", f"character U+{character:04X} is not allowed in YAML ({exc.reason})"))
        return None
    except YAMLError as exc:
        issues.append(_issue(rel, (1, 1), "yaml.syntax", "malformed YAML: " + " ".join(str(exc).split())))
        return None
    finally:
        composer.dispose()
    if node is None or (isinstance(node, ScalarNode) and _tag(node) == _STD + "null" and not node.value):
        issues.append(_issue(rel, (1, 1), "file.empty", "the file is empty"))  # nothing, or only '---'/comments
        return None
    return _Converter(rel, issues, text).convert(node)


# Control characters (but tab and line breaks) and Unicode noncharacters: invisible, forbidden in
# HTML and (C0) in XML, yet typeable as "\x01" in a double-quoted YAML string. Dropped on reading.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
                        + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0x10000, 0x110000, 0x10000))
                        + "]")


def visible(text: str) -> str:
    """`text` without control characters (but tab and line breaks) and Unicode noncharacters."""
    return _INVISIBLE.sub("", text)


def _tag(node: Node) -> str | None:
    """node.tag without ruamel's per-node URI decoding (a third of the load time): a resolved tag
    (no handle, no %-escape) is its suffix as it is; anything else goes the long way."""
    ctag = getattr(node, "ctag", None)
    if ctag is not None and ctag.handle is None and isinstance(ctag.suffix, str) and "%" not in ctag.suffix:
        return ctag.suffix
    return node.tag


def _pos(node: Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


# A line inside a plain value that Markdown reads as a block of its own: YAML joins it to the line above
_MARKDOWN_BLOCK = re.compile(r"^[ \t]*(?:[-*+][ \t]|\d{1,3}[.)][ \t]|#{1,6}[ \t]|>|\|)")
_COMMENT_AFTER_KEY = re.compile(r"^[ \t]*:[ \t]+#")
_HEADING_COMMENT = re.compile(r"^[ \t]+#{1,6}[ \t]")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


class _Converter:
    """Nodes → RawMap / RawList / scalars, without ever constructing arbitrary Python objects."""

    def __init__(self, rel: str, issues: list[Issue], text: str = "") -> None:
        self.rel = rel
        self.issues = issues
        self.text = text
        self._lines: list[str] | None = None
        self.visited = 0
        self.stack: set[int] = set()
        self.bombed = False
        self.deep = False

    def error(self, node: Node, code: str, message: str) -> None:
        self.issues.append(_issue(self.rel, _pos(node), code, message))

    def line(self, index: int) -> str:
        """The 0-based line `index` of the text (split once, on first use: only advice needs it)."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines[index] if 0 <= index < len(self._lines) else ""

    def _hidden(self, out: RawMap, key: str, key_node: Node, value_node: Node) -> None:
        """Record what YAML hid from the value of `key` (RawMap.comments, RawMap.folded)."""
        if not isinstance(value_node, ScalarNode) or value_node.style:
            return
        if not value_node.value:  # empty: was a comment typed where the value should be?
            line = self.line(key_node.end_mark.line)
            rest = line[key_node.end_mark.column:]
            m = _COMMENT_AFTER_KEY.match(rest)
            if m:
                pos = (key_node.end_mark.line + 1, key_node.end_mark.column + m.end())
                out.comments[key] = (pos, rest[m.end() - 1:].strip())
            return
        last = value_node.end_mark.line
        if last > value_node.start_mark.line:  # a plain value of several lines: YAML joined them
            for n in range(value_node.start_mark.line + 1, last + 1):
                if _MARKDOWN_BLOCK.match(self.line(n)):
                    text = self.line(n)
                    out.folded[key] = (n + 1, len(text) - len(text.lstrip()) + 1)
                    return
        after = self.line(last + 1) if value_node.end_mark.column else self.line(last)
        if _HEADING_COMMENT.match(after) and _indent(after) > key_node.start_mark.column:
            # '## Heading' indented under a plain value: a YAML comment, dropped without a word
            n = last + (2 if value_node.end_mark.column else 1)
            out.folded[key] = (n, _indent(after) + 1)

    def convert(self, node: Node) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            if not self.bombed:
                self.bombed = True
                self.error(node, "yaml.alias-bomb", "the document expands to more than 20,000 values (aliases repeating aliases?); no entry needs that many")
            return None
        tag = _tag(node)
        if tag not in _ALLOWED_TAGS:
            self.error(node, "yaml.tag", f"YAML tag '{tag}' is not allowed; only plain values, lists and groups of keys")
            return None
        if id(node) in self.stack:
            self.error(node, "yaml.alias-recursive", "an alias refers to a node that contains it")
            return None
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if len(self.stack) >= MAX_DEPTH:
            if not self.deep:
                self.deep = True
                self.error(node, "yaml.depth", f"lists and groups of keys nest more than {MAX_DEPTH} levels deep")
            return None
        self.stack.add(id(node))
        try:
            return self.mapping(node) if isinstance(node, MappingNode) else self.sequence(node)
        finally:
            self.stack.discard(id(node))

    def mapping(self, node: MappingNode) -> RawMap | None:
        out = RawMap(_pos(node))
        for key_node, value_node in node.value:
            if _tag(key_node) == _STD + "merge":
                self.error(key_node, "yaml.merge", "merge keys ('<<') are not supported; write the keys out")
                continue
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, "yaml.key", "a key must be plain text, not a list or a group of keys")
                continue
            key = visible(key_node.value)  # keys reach messages on a terminal: no escape sequences
            if key in out:
                first = out.key_pos[key]
                self.error(key_node, "yaml.duplicate-key", f"duplicate key '{key}' (first given on line {first[0]})")
                continue
            out[key] = self.convert(value_node)
            out.key_pos[key] = _pos(key_node)
            out.val_pos[key] = _pos(value_node)
            if isinstance(value_node, ScalarNode) and not value_node.style:
                self._hidden(out, key, key_node, value_node)
            if self.bombed:
                return None
        return out

    def sequence(self, node: SequenceNode) -> RawList | None:
        out = RawList(_pos(node))
        for item in node.value:
            out.append(self.convert(item))
            out.item_pos.append(_pos(item))
            if self.bombed:
                return None
        return out

    def scalar(self, node: ScalarNode) -> Any:
        tag, value = _tag(node)[len(_STD):], node.value
        try:
            if tag == "null":
                return None
            if tag == "bool":
                return value.lower() == "true"
            if tag == "int":
                return int(value, 0) if value.lstrip("+-")[:2].lower() in ("0x", "0o") else int(value)
            if tag == "float":
                return float(value.lower().replace(".inf", "inf").replace(".nan", "nan"))
            if tag == "timestamp" and len(value) == 10:
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        # libyaml's reader refuses raw control characters, so only escapes in double-quoted
        # scalars, or non-ASCII noncharacters, can bring them in: skip the scan for the rest
        return visible(value) if node.style == '"' or not value.isascii() else value


def load_project(root: Path, paths: list[Path] | None = None,
                 parsed: ParsedFiles | None = None) -> tuple[Document, list[Document]]:
    """Read compendium.yaml and the entry files (all of them, or only `paths`).

    parsed: the entry files an earlier build read cleanly (ParsedFiles); an entry file whose
    identity (device, inode, size, modification time) is the one kept is not parsed again.
    """
    edition = read_yaml(root / PROJECT_FILE, root)
    files = entry_files(root) if not paths else expand_paths(paths, root)
    edition_file = (root / PROJECT_FILE).resolve()
    files = [p for p in files if p.resolve() != edition_file]  # `validate .` checks it as the edition only
    read = parsed.read if parsed is not None else read_yaml
    return edition, [read(p, root) for p in files]


class ParsedFiles:
    """Entry files read and checked cleanly by an earlier build, kept as Documents and Entries (a build
    of 1,000 entries parses ~0.4 s of YAML and checks entries ~0.35 s, the start of every build:
    most files have not changed since the last one).

    A kept Document is used only for the very file it was read from (same device, inode, size and
    modification time in nanoseconds) and only by the same loader (this module's source and
    ruamel.yaml's version are in the key); a file modified in the last 2 s is read again (a
    file system's clock may be coarser than an edit). A kept Entry (`checked`) is used only for such
    a Document, checked against the same edition by the same checks (the caller's key: the edition
    as validated and the code and data that check it), its pictures the very files they were. A
    file with problems is never kept, so its messages always come from the checks of today.
    """

    RECENT_S = 2.0

    def __init__(self, path: Path) -> None:
        from compendium import kept as store

        self.path, self.store = path, store
        found, key = store.load(path, dict) or {}, _loader_key()
        self.old: dict[str, Any] = found if found.get("") == key else {}
        self.new: dict[str, Any] = {"": key}
        self.names: dict[int, str] = {}  # id(Document) → its file, for the Documents kept or read cleanly
        self.changed = not self.old

    def read(self, path: Path, root: Path) -> Document:
        """The Document of `path` (as read_yaml(path, root) gives it), kept or read now."""
        try:
            info = path.stat()
        except OSError:
            return read_yaml(path, root)
        ident = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        name = str(path)
        found = self.old.get(name)
        recent = dt.datetime.now().timestamp() - info.st_mtime < self.RECENT_S
        if found is not None and found[0] == ident and not recent and found[1].rel == relpath(path, root):
            self.new[name] = found
            self.names[id(found[1])] = name
            return found[1]
        doc = read_yaml(path, root)
        if not doc.issues and not recent:
            self.new[name] = (ident, doc, None)
            self.names[id(doc)] = name
        self.changed = True
        return doc

    def checked(self, doc: Document, key: str) -> Any:
        """The Entry an earlier build made of `doc` under `key`, or None (see the class doc)."""
        record = self.new.get(self.names.get(id(doc), ""))
        if record is None or record[2] is None or record[2][0] != key:
            return None
        _, entry, pictures = record[2]
        return entry if all(_ident(Path(p)) == i for p, i in pictures) else None

    def remember(self, doc: Document, key: str, entry: Any) -> None:
        """Keep the Entry made of `doc` under `key` (only for a Document read cleanly)."""
        name = self.names.get(id(doc))
        if name is not None and name in self.new:
            pictures = tuple((str(img.path), _ident(img.path)) for img in entry.images)
            if all(i is not None for _, i in pictures):
                ident, document, _ = self.new[name]
                self.new[name] = (ident, document, (key, entry, pictures))
                self.changed = True

    def save(self) -> None:
        """Keep what this build read (only that: a file gone is forgotten)."""
        if self.changed or self.new.keys() != self.old.keys():
            try:
                self.store.store(self.path, self.new)
            except OSError:
                pass  # a cache that cannot be written costs time, not the build


def _ident(path: Path) -> tuple[int, ...] | None:
    """A file's identity: device, inode, size, modification time (ns); None when it cannot be read."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _loader_key() -> str:
    """What a Document depends on besides its file: this module and ruamel.yaml."""
    import hashlib

    from compendium.kept import library_versions

    return hashlib.sha256(Path(__file__).read_bytes() + library_versions(("ruamel.yaml",)).encode()).hexdigest()


def expand_paths(paths: list[Path], root: Path) -> list[Path]:
    """The entry files `paths` name (files, or folders searched like entries/), without duplicates;
    raises UsageError for a path that does not exist."""
    out: list[Path] = []
    for p in paths:
        p = Path(os.path.abspath(p))  # '..' removed, symlinks kept: 'entries/x/../y.yaml' is 'entries/y.yaml'
        if p.is_dir():
            out.extend(entry_files_under(p))
        elif p.exists():
            out.append(p)
        else:
            raise UsageError(f"{p}: no such file or folder")
    return sorted(dict.fromkeys(out))


def entry_files_under(folder: Path) -> list[Path]:
    """Entry files below `folder`: names ending in .yaml or .yml, not starting with '_' or '.'
    (in folders that do not either); Unicode names compared in NFC as macOS writes them NFD."""
    found: list[Path] = []
    for sub, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
        found.extend(Path(sub) / f for f in files if f.endswith(YAML_SUFFIXES) and not f.startswith(("_", ".")))
    return sorted(found)


# Files that are no entry and need no word: pictures (named by entries) and system litter.
_ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".tif", ".tiff", ".heic", ".bmp")
_LITTER = (".DS_Store", "Thumbs.db", "desktop.ini")
_BACKUP_SUFFIXES = ("~", ".bak", ".orig", ".swp", ".tmp")


def skipped_files(root: Path, folder: str = "") -> list[Issue]:
    """Every file under entries/ (of the edition `folder` of a series) that is not read as an
    entry, with the reason: a warning when it looks like a mistake (x.YAML, x.yaml.txt), a note
    when it is skipped on purpose (a draft '_x.yaml', a hidden file, a folder starting with '_' or
    '.', a file that is not YAML). Pictures are not listed: entries name them. Paths in the issues
    are relative to `root`."""
    out: list[Issue] = []
    for sub, dirs, files in os.walk(root / folder / ENTRIES_DIR):
        for d in sorted(dirs):
            if d.startswith(("_", ".")):
                why = "its name starts with '_' (drafts)" if d.startswith("_") else "it is hidden (its name starts with '.')"
                out.append(Issue(Source(relpath(Path(sub) / d, root) + "/"), "note", "file.skipped",
                                 f"skipped the folder and everything in it: {why}"))
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
        for name in sorted(files):
            reason = _skip_reason(name)
            if reason is not None:
                severity, message = reason
                out.append(Issue(Source(relpath(Path(sub) / name, root)), severity, "file.skipped", message))
    return out


def _skip_reason(name: str) -> tuple[Severity, str] | None:
    lower = name.lower()
    if name.endswith(YAML_SUFFIXES) and not name.startswith(("_", ".")):
        return None  # read
    if lower.endswith(_ASSET_SUFFIXES) or name in _LITTER:
        return None
    if name == "_example.yaml":
        return "note", ("skipped: the example entry 'compendium init' wrote, as a draft (its name starts with '_'); "
                        "copy it to a name of your own to start an entry, or make one with 'compendium new-entry'")
    if name.startswith("_"):
        return "note", "skipped: its name starts with '_' (a draft); remove the '_' to include it"
    if name.startswith("."):
        return "note", "skipped: a hidden file (its name starts with '.')"
    if lower.endswith(_BACKUP_SUFFIXES):
        return "note", "skipped: an editor's backup copy"
    stem, dot, suffix = name.rpartition(".")
    if lower.endswith(YAML_SUFFIXES):  # x.YAML, x.Yml
        return "warning", f"skipped: entry files end in lower-case '.yaml'; rename it to '{stem}.yaml'"
    for ending in (".yaml.", ".yml."):
        if ending in lower:
            base = name[: lower.rindex(ending)]
            return "warning", f"skipped: the name ends in '.{suffix}', not '.yaml'; rename it to '{base}.yaml' if it is an entry"
    return "note", f"skipped: not a YAML file ('{'.' + suffix if dot else name}'); entry files end in '.yaml'"
