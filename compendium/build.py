"""Build: the editor's job top to bottom — validate, group, render each format, swap the output in."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from compendium.group import build_book
from compendium.model import Book, CompendiumError, Issue
from compendium.render import RENDERERS, RenderContext
from compendium.validate import Result, validate_project

OUTPUT_DIR = "output"
CACHE_DIR = ".compendium-cache"


@dataclass(frozen=True)
class BuildResult:
    book: Book
    outputs: tuple[Path, ...]
    warnings: tuple[Issue, ...]


def load_book(root: Path, strict: bool = False) -> tuple[Book, Result]:
    """Validate the whole project and group it; raise with every issue when it has errors."""
    result = validate_project(root)
    failing = result.issues if strict else result.errors
    if failing or result.edition is None:
        raise CompendiumError("the project has errors; nothing was built", result.issues)
    return build_book(result.edition, result.entries), result


def build(root: Path, formats: list[str], out_dir: Path | None = None, strict: bool = False) -> BuildResult:
    """Render `formats` into a staging folder, then move each output into place.

    Nothing in the output folder changes unless every requested format succeeded.
    """
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        raise CompendiumError(f"unknown format(s): {', '.join(unknown)}; available: {', '.join(RENDERERS) or 'none'}")
    book, result = load_book(root, strict)
    out = (out_dir or root / OUTPUT_DIR).absolute()
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        ctx = RenderContext(out_dir=staging, cache_dir=root / CACHE_DIR,
                            templates_dir=(root / "templates") if (root / "templates").is_dir() else None)
        produced: list[Path] = []
        for name in formats:
            produced.extend(RENDERERS[name](book, ctx))
        final = [_swap_in(p, staging, out) for p in produced]
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(book, tuple(final), tuple(result.warnings) + tuple(ctx.warnings))


def _swap_in(path: Path, staging: Path, out: Path) -> Path:
    """Move one top-level output (file or folder) from staging into `out`, replacing the old one."""
    rel = path.relative_to(staging)
    top = staging / rel.parts[0]
    target = out / rel.parts[0]
    if top.is_dir() and target.exists():
        old = Path(tempfile.mkdtemp(prefix=".old-", dir=out))
        os.replace(target, old / "x")
        os.replace(top, target)
        shutil.rmtree(old, ignore_errors=True)
    elif top.exists():
        os.replace(top, target)
    return out / rel
