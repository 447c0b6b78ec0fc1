"""Render (EPUB): the book's blocks cut into runs — one per file pandoc writes — and what each run
holds that pandoc resolves across files (the ids links may point at, its links, its pictures).

pandoc splits the document at headings of level SPLIT or less (`--split-level`): a run is such a
heading and the blocks up to the next one. Each run is one XHTML file `chNNN.xhtml`, numbered in
order. Across files pandoc rewrites a link `#x` to `chNNN.xhtml#x`, NNN being the first file that
holds an element with id x (Text.Pandoc.Chunks, fixInternalReferences: the ids of Div, Header and
Table blocks, of Span, Link and Image inlines, and the `id` attributes of raw HTML), and it names
pictures `media/fileN.ext` in the order it meets them. `Info` gathers these per run, so a build that
converts only some runs (chapters.py) can give their links the files the whole book would.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, NamedTuple

from compendium.render.pandoc import Json

SPLIT = 3  # --split-level: one file per entry (and per part opener and front-matter section)
_HTML = frozenset({"html", "html4", "html5"})


def split_level(block: Json) -> int:
    """The level of a heading block, 99 for any other block."""
    return block["c"][0] if block.get("t") == "Header" else 99


def digest(blocks: Any) -> str:
    """A digest of pandoc JSON (its compact serialisation): same blocks, same digest."""
    text = json.dumps(blocks, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class Run:
    """One file's blocks: a heading of level ≤ SPLIT (or the blocks before the first) and what follows.

    `key` names the blocks (same key, same blocks): an entry's is its kept-blocks digest
    (kept_entries.py), so its blocks are read from the cache only when pandoc needs them.
    """

    key: str
    level: int  # the heading's level; 0 for blocks before any heading
    anchor: str  # the heading's id
    entry: bool  # an entry's file (class `entry`)
    load: Callable[[], list[Json]] | None = None
    _blocks: list[Json] | None = field(default=None, repr=False)

    @property
    def blocks(self) -> list[Json]:
        if self._blocks is None:
            assert self.load is not None
            self._blocks = self.load()
        return self._blocks


def cut(blocks: list[Json]) -> list[Run]:
    """`blocks` as runs, each keyed by the digest of its JSON."""
    runs: list[list[Json]] = []
    for block in blocks:
        if split_level(block) <= SPLIT or not runs:
            runs.append([])
        runs[-1].append(block)
    out = []
    for run in runs:
        head = run[0]
        level = split_level(head)
        heading = level <= SPLIT
        out.append(Run(digest(run), level if heading else 0, head["c"][1][0] if heading else "",
                       heading and "entry" in head["c"][1][1], _blocks=run))
    return out


class Info(NamedTuple):
    """What pandoc resolves across files, for one run (kept with the run's key between builds)."""

    ids: tuple[str, ...]  # ids a link may point at, in the order pandoc's refMap takes them
    targets: tuple[str, ...]  # x of every link `#x`, in order
    images: tuple[str, ...]  # every picture's path, in the order pandoc meets them
    figures: int  # pictures in top-level Figure blocks (a stand-in keeps those)
    notes: bool  # footnotes (numbered across the book: such a book is always converted whole)


class _RawIds(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v for k, v in attrs if k == "id" and v]

    handle_startendtag = handle_starttag


def _raw_ids(html: str) -> list[str]:
    if "id" not in html:
        return []
    parser = _RawIds()
    parser.feed(html)
    parser.close()
    return parser.ids


def info(blocks: list[Json]) -> Info:
    """The run's Info, from one walk of its JSON."""
    block_ids: list[str] = []
    inline_ids: list[str] = []
    targets: list[str] = []
    images: list[str] = []
    notes = False
    stack: list[Any] = [blocks]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        t, c = node.get("t"), node.get("c")
        if t in ("Div", "Table") and c[0][0]:
            block_ids.append(c[0][0])
        elif t == "Header" and c[1][0]:
            block_ids.append(c[1][0])
        elif t in ("Span", "Link", "Image") and c[0][0]:
            inline_ids.append(c[0][0])
        elif t == "RawBlock" and c[0] in _HTML:
            block_ids += _raw_ids(c[1])
        elif t == "RawInline" and c[0] in _HTML:
            inline_ids += _raw_ids(c[1])
        elif t == "Note":
            notes = True
        if t == "Link" and c[2][0].startswith("#"):
            targets.append(c[2][0][1:])
        elif t == "Image":
            images.append(c[2][0])
        if isinstance(c, list):
            stack.append(c)
    figures = sum(json.dumps(b).count('"t": "Image"') for b in blocks if b.get("t") == "Figure")
    return Info(tuple(block_ids + inline_ids), tuple(targets), tuple(images), figures, notes)


def ref_map(infos: list[Info]) -> dict[str, int]:
    """id → the index of the first run holding it (the file pandoc points a link `#id` at)."""
    found: dict[str, int] = {}
    for i, inf in enumerate(infos):
        for ident in inf.ids:
            found.setdefault(ident, i)
    return found


def resolved(inf: Info, refs: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """The run's link targets with the run each lands in (-1: none, the link stays `#x`)."""
    return tuple((x, refs.get(x, -1)) for x in inf.targets)


def with_files(blocks: list[Json], refs: dict[str, int], files: list[str]) -> list[Json]:
    """A copy of `blocks` whose links `#x` say the file x lands in (`chNNN.xhtml#x`), as pandoc
    writes them when it converts the whole book; links to no id stay `#x`."""
    out = json.loads(json.dumps(blocks))
    stack: list[Any] = [out]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            c = node.get("c")
            if node.get("t") == "Link" and c[2][0].startswith("#") and c[2][0][1:] in refs:
                c[2][0] = files[refs[c[2][0][1:]]] + c[2][0]
            if isinstance(c, list):
                stack.append(c)
    return out
