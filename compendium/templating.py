"""Templates: a jinja2 environment that looks in the project's templates/ first, then the defaults.

An override can extend the default it replaces: `{% extends "default/html/entry.html" %}`.
Undefined variables are errors, reported with the template's file and line.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2

from compendium.model import CompendiumError, Issue, Source

DEFAULT_PREFIX = "default/"


def default_templates_dir() -> Path:
    """The templates shipped in the wheel, or the checkout's templates/ folder."""
    here = Path(__file__).resolve().parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def environment(project_templates: Path | None, autoescape: bool = True) -> jinja2.Environment:
    """User folder first, built-in defaults as fallback, and `default/...` for the defaults alone."""
    defaults = jinja2.FileSystemLoader(str(default_templates_dir()))
    loaders: list[jinja2.BaseLoader] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(jinja2.PrefixLoader({"default": defaults}, delimiter="/"))
    loaders.append(defaults)
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _template_location(exc: BaseException, env: jinja2.Environment) -> Source:
    """The innermost template frame of a jinja2 error: (file, line)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Source(exc.filename or exc.name or "<template>", exc.lineno or 0, 1)
    for frame, lineno in reversed(list(traceback.walk_tb(exc.__traceback__))):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".xhtml", ".xml", ".css", ".js", ".j2", ".txt", ".opf")):
            return Source(filename, lineno, 1)
    return Source("<template>", 0, 0)


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; template mistakes become a located CompendiumError."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise CompendiumError(f"template '{exc.name}' not found (looked in templates/ and the defaults)") from None
    except (jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError) as exc:
        where = _template_location(exc, env)
        message = f"template error: {exc}"
        issue = Issue(where, "error", "template", message)
        raise CompendiumError(f"{where}: {message}", (issue,)) from None



def export_defaults(dest: Path, force: bool = False) -> list[Path]:
    """Copy the default templates into `dest` for editing; existing files are kept unless `force`."""
    source = default_templates_dir()
    files = sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    clashes = [dest / p.relative_to(source) for p in files if (dest / p.relative_to(source)).exists()]
    if clashes and not force:
        names = ", ".join(str(c) for c in clashes[:3]) + (" ..." if len(clashes) > 3 else "")
        raise CompendiumError(f"{len(clashes)} file(s) already exist ({names}); use --force to overwrite them")
    written = []
    for path in files:
        target = dest / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
        written.append(target)
    return written
