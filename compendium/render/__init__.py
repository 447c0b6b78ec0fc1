"""Render: the registry of output formats; each renderer turns the same Book into files.

One word names a format everywhere: registry key, module (compendium/render/<name>.py),
CLI value (`--format <name>`) and file suffix.
"""
from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Callable

from compendium.model import Book
from compendium.render.common import RenderContext

FORMATS = ("html", "epub", "pdf")  # what `compendium build` makes by default
EXTRAS = {"fact-sheets": "pdf.factsheets"}  # made on request (`--fact-sheets`): name → module


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
