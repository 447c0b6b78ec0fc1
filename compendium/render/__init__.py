"""Render: the registry of output formats — each format declared once, here.

One word names a format everywhere: registry key, package (`compendium/render/<name>/`), CLI value
(`--format <name>`), the edition's options block (`<name>:` in compendium.yaml) and file suffix.
`output/build.py` and the CLI read this registry and nothing else about a format: adding a format
is one package exposing `render(book, ctx) -> list[Path]` plus one `Format(...)` line below.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Callable, Literal

from compendium.model import Book, Edition
from compendium.render.common import RenderContext

Renderer = Callable[[Book, RenderContext], list[Path]]


@dataclass(frozen=True)
class Option:
    """One key of a format's options block in compendium.yaml (`pdf: {page_size: Letter}`)."""

    key: str
    choices: tuple[str, ...]  # the allowed values; the first is the default
    description: str
    code: str  # the stable code of its validation error (README, "Validation and error codes")

    @property
    def default(self) -> str:
        return self.choices[0]


@dataclass(frozen=True)
class Format:
    """A format of the build, declared once.

    name:     registry key, CLI value, options block name.
    module:   the package whose `render(book, ctx)` writes the format (imported only when used,
              so a PDF-only build never loads pandoc or jinja2).
    summary:  one line for `--help` and the README.
    default:  made by a plain `compendium build`; otherwise only when asked (`--format`, or `flag`).
    produces: "file" (one file beside the others, offered for download by the site) or "folder".
    after:    formats rendered before this one when they are built too; "books" stands for every
              format that produces a file (the site links the books for download).
    options:  the keys of the edition's `<name>:` block, validated by compendium.input.
    flag:     a `build` flag that adds this format (`--fact-sheets`), "" for none.
    function: a renderer given directly instead of `module` (plug-ins and tests).
    """

    name: str
    module: str = ""
    summary: str = ""
    default: bool = True
    produces: Literal["file", "folder"] = "file"
    after: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    flag: str = ""
    function: Renderer | None = None

    @property
    def installed(self) -> bool:
        """False when the format's package (or a dependency it needs at import) is not installed."""
        return self.function is not None or find_spec(self.module) is not None

    def render(self, book: Book, ctx: RenderContext) -> list[Path]:
        """Write the format below `ctx.out_dir`; returns the top-level paths written (files or folders)."""
        if self.function is not None:
            return self.function(book, ctx)
        return import_module(self.module).render(book, ctx)

    def option(self, key: str) -> Option:
        return next(o for o in self.options if o.key == key)


PAGE_SIZES: tuple[str, ...] = ("A4", "Letter")
SIDES: tuple[str, ...] = ("two-sided", "single-sided")
COVERS: tuple[str, ...] = ("included", "separate")

FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("html", "compendium.render.html", "the website: a knowledge base with search and indexes",
           produces="folder", after=("books",)),
    Format("epub", "compendium.render.epub", "the EPUB 3 book (pandoc)"),
    Format("pdf", "compendium.render.pdf", "the print-ready PDF book (reportlab)",
           options=(Option("page_size", PAGE_SIZES, "Paper size of the PDF book and fact sheets.",
                           "edition.pdf.page-size"),
                    Option("sides", SIDES, "two-sided: for print (mirrored margins, openers on right-hand pages, "
                           "blank left-hand pages where needed, an even number of pages); single-sided: for reading "
                           "on screen.", "edition.pdf.sides"),
                    Option("cover", COVERS, "included: the cover is the book's first page (for reading on screen); "
                           "separate: the book starts with its title page and <name>-cover.pdf beside it holds the "
                           "cover spread for the press (back cover, spine, front cover, 3 mm bleed).",
                           "edition.pdf.cover"))),
    Format("fact-sheets", "compendium.render.pdf.factsheets", "one short PDF per entry in fact-sheets/<id>.pdf",
           default=False, produces="folder", flag="--fact-sheets"),
)}


def default_formats() -> list[str]:
    """The formats a plain `compendium build` makes, in registry order (installed ones only)."""
    return [f.name for f in FORMATS.values() if f.default and f.installed]


def render_order(names: list[str]) -> list[list[str]]:
    """`names` in waves: each wave renders in parallel after the previous waves (per `after`).

    Raises ValueError on a cycle in the `after` declarations.
    """
    def waits_for(name: str) -> set[str]:
        wanted = set(FORMATS[name].after)
        if "books" in wanted:
            wanted |= {n for n in names if FORMATS[n].produces == "file"}
        return wanted - {name}

    left, waves = list(names), []
    while left:
        ready = [n for n in left if not waits_for(n) & set(left)]
        if not ready:
            raise ValueError(f"the formats {', '.join(left)} wait for each other (see Format.after)")
        waves.append(ready)
        left = [n for n in left if n not in ready]
    return waves


def option_value(edition: Edition, fmt: str, key: str) -> str:
    """The edition's value of a format option (`pdf: {page_size: Letter}`), else the declared default."""
    for name, values in edition.options:
        if name == fmt:
            for k, v in values:
                if k == key:
                    return v
    return FORMATS[fmt].option(key).default
