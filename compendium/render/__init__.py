"""Render: the registry of output formats; each renderer turns the same Book into files."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from compendium.model import Book, Issue


@dataclass
class RenderContext:
    """What every renderer may use besides the Book: where to write, caches, templates, warnings."""

    out_dir: Path  # a staging folder: the renderer writes only below it
    cache_dir: Path  # content-addressed cache shared by builds (may be absent: create it)
    templates_dir: Path | None = None  # the project's template overrides, if any
    warnings: list[Issue] = field(default_factory=list)


Renderer = Callable[[Book, RenderContext], list[Path]]

RENDERERS: dict[str, Renderer] = {}
