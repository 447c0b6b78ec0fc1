"""Render: the registry of output formats; each renderer turns the same Book into files.

One word names a format everywhere: registry key, module (compendium/render/<name>.py),
CLI value (`--format <name>`) and file suffix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Callable

from compendium.model import Book, Issue

FORMATS = ("html", "epub", "pdf")  # what `compendium build` makes by default
EXTRAS = {"fact-sheets": "factsheets"}  # made on request (`--fact-sheets`): name → module


@dataclass
class RenderContext:
    """What every renderer may use besides the Book: where to write, caches, templates, warnings."""

    out_dir: Path  # a staging folder: the renderer writes only below it
    cache_dir: Path  # content-addressed cache shared by builds (may be absent: create it)
    templates_dir: Path | None = None  # the project's template overrides, if any
    warnings: list[Issue] = field(default_factory=list)
    # the book files beside the site, for download links: (format, file name relative to the
    # output folder, size in bytes); filled by the build before the HTML renders
    downloads: tuple[tuple[str, str, int], ...] = ()


Renderer = Callable[[Book, RenderContext], list[Path]]


def _lazy(name: str, module: str) -> Renderer:
    """Import a renderer only when it is used: a PDF-only build never loads pandoc or jinja2."""

    def call(book: Book, ctx: RenderContext) -> list[Path]:
        return import_module(f"compendium.render.{module}").render(book, ctx)

    call.__name__ = f"render_{name}"
    return call


RENDERERS: dict[str, Renderer] = {
    name: _lazy(name, module)
    for name, module in [*((f, f) for f in FORMATS), *EXTRAS.items()]
    if find_spec(f"compendium.render.{module}") is not None
}
