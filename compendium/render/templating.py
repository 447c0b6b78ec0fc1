"""Templates: a jinja2 environment that looks in the project's templates/ first, then the defaults.

An override can extend the default it replaces: `{% extends "default/html/entry.html" %}`.
Undefined variables are errors, reported with the template's file and line, and so is printing
anything but text or a number (`{{ labels.place }}` without its argument would print a method's
repr; `{{ entry.contact }}` could print None): a reader must never see Python.
"""
from __future__ import annotations

import difflib
import hashlib
import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from compendium.errors import InvalidInput, UsageError
from compendium.model import Issue, Source

DEFAULT_PREFIX = "default/"


def default_templates_dir() -> Path:
    """The templates shipped in the wheel, or the checkout's templates/ folder."""
    package = Path(__file__).resolve().parents[1]  # compendium/
    packaged = package / "templates"
    return packaged if packaged.is_dir() else package.parent / "templates"


class PrintedValueError(TypeError):
    """A template printed a value that is not text or a number (None, a method, a list, an object)."""


def printable(value: Any) -> Any:
    """The `finalize` of every template: lets text, Markup and numbers through, raises otherwise.

    Booleans are refused too (a template that prints True/False shows a reader a Python word).
    Raises PrintedValueError, which `render` reports with the template's file and line.
    """
    if isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises, naming the variable
    shown = repr(value)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    kind = "None" if value is None else f"a {type(value).__name__}"
    raise PrintedValueError(f"a {{{{ ... }}}} prints {kind} ({shown}); a template may print only text and numbers "
                            "(did you forget a call's arguments, an attribute, or an `if`?)")


class _Environment(jinja2.Environment):
    """A jinja2 environment that knows the project's templates/ folder, to name files in errors."""

    project_templates: Path | None = None


_SETTINGS = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


def environment(project_templates: Path | None, autoescape: bool = True,
                cache_dir: Path | None = None) -> jinja2.Environment:
    """User folder first, built-in defaults as fallback, and `default/...` for the defaults alone.

    cache_dir: where the project's own templates (its templates/ folder) are kept compiled between
    builds; None: compiled every time. The default templates are kept compiled in the user's cache
    (`compiled_defaults_dir`), like Python's own bytecode: a `build --clean` compiles them again no
    more than it recompiles the toolkit's modules. jinja2's bytecode cache checks each template's
    source before it uses its code.
    """
    defaults = jinja2.FileSystemLoader(str(default_templates_dir()))
    loaders: list[jinja2.BaseLoader] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(jinja2.PrefixLoader({"default": defaults}, delimiter="/"))
    loaders.append(defaults)
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        finalize=printable,
        bytecode_cache=_CompiledTemplates(cache_dir, autoescape),
        **_SETTINGS,
    )
    if project_templates is not None and project_templates.is_dir():
        env.project_templates = project_templates.resolve()
    from compendium.book.indexes import indexes, shown_fields

    env.globals["shown_fields"] = shown_fields  # the edition's extra fields of an entry, as printed
    env.globals["indexes"] = indexes  # the edition's indexed vocabulary fields: term → entries
    return env


def compiled_defaults_dir() -> Path:
    """The user's cache of the default templates' compiled code (kept.user_cache:
    $XDG_CACHE_HOME/compendium/templates), beside the font cache."""
    from compendium.kept import user_cache

    return user_cache("templates")


class _CompiledTemplates(jinja2.BytecodeCache):
    """jinja2's bytecode cache in two places: the default templates' code in the user's cache, the
    project's own templates' code in the project's build cache (`project`, None: not kept).

    One folder per autoescape setting, jinja2 version and environment settings (they change the
    code a template compiles to; jinja2 checks only the source). Files are written by jinja2's
    FileSystemBytecodeCache (a temporary file renamed: formats compiling at once never read half
    a file). A folder that cannot be made means compiling every time: slower, never wrong.
    """

    def __init__(self, project: Path | None, autoescape: bool) -> None:
        flavour = hashlib.sha256(repr((autoescape, jinja2.__version__, sorted(_SETTINGS.items()))).encode())
        name = f"{'escaped' if autoescape else 'plain'}-{flavour.hexdigest()[:12]}"
        self.defaults = default_templates_dir().resolve()
        self.caches = {True: _folder_cache(compiled_defaults_dir() / name),
                       False: _folder_cache(project / "jinja" / name) if project is not None else None}

    def _cache(self, filename: str | None) -> jinja2.FileSystemBytecodeCache | None:
        shipped = filename is not None and Path(filename).resolve().is_relative_to(self.defaults)
        return self.caches[shipped]

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        bucket = Bucket(environment, self.get_cache_key(name, filename), self.get_source_checksum(source))
        cache = self._cache(filename)
        bucket.cache = cache  # type: ignore[attr-defined]  # where set_bucket writes it
        if cache is not None:
            cache.load_bytecode(bucket)
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        cache = getattr(bucket, "cache", None)
        if cache is not None:
            try:
                cache.dump_bytecode(bucket)
            except OSError:
                pass  # not kept: compiled again next time

    def load_bytecode(self, bucket: Bucket) -> None:  # get_bucket does it, knowing the file
        raise NotImplementedError

    def dump_bytecode(self, bucket: Bucket) -> None:  # set_bucket does it
        raise NotImplementedError


def _folder_cache(folder: Path) -> jinja2.FileSystemBytecodeCache | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def _display_path(filename: str, env: jinja2.Environment) -> str:
    """A template file as the rest of the tool names files: `templates/html/entry.html` (relative to
    the project) for an override, `default/html/entry.html` (as `{% extends %}` names it) for a default."""
    path = Path(filename).resolve()
    project_templates = getattr(env, "project_templates", None)
    if project_templates is not None and path.is_relative_to(project_templates):
        return path.relative_to(project_templates.parent).as_posix()
    defaults = default_templates_dir().resolve()
    if path.is_relative_to(defaults):
        return DEFAULT_PREFIX + path.relative_to(defaults).as_posix()
    return filename


def _template_location(exc: BaseException, env: jinja2.Environment) -> Source:
    """The innermost template frame of a jinja2 error: (file, line)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        if exc.filename:
            return Source(_display_path(exc.filename, env), exc.lineno or 0, 1)
        return Source(exc.name or "<template>", exc.lineno or 0, 1)
    for frame, lineno in reversed(list(traceback.walk_tb(exc.__traceback__))):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".xhtml", ".xml", ".css", ".js", ".j2", ".txt", ".opf")):
            return Source(_display_path(filename, env), lineno, 1)
    return Source("<template>", 0, 0)


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; template mistakes become a located CompendiumError."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise InvalidInput(f"template '{exc.name}' not found (looked in templates/ and the defaults)") from None
    except (jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError) as exc:
        where = _template_location(exc, env)
        message = f"template error: {exc}"
        issue = Issue(where, "error", "template", message)
        raise InvalidInput(f"{where}: {message}", (issue,)) from None


def default_template_names() -> list[str]:
    """Every default template (and asset) as a path relative to the defaults folder: 'html/entry.html'."""
    source = default_templates_dir()
    return sorted(p.relative_to(source).as_posix() for p in source.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


def export_defaults(dest: Path, force: bool = False, only: tuple[str, ...] = ()) -> list[Path]:
    """Copy the default templates (or only the ones named in `only`, as 'html/entry.html') into
    `dest` for editing; existing files are kept unless `force`. Returns the paths written.

    Raises UsageError for a name that is no default template (with the nearest one), a `dest`
    that is a file or the defaults folder itself, files that exist (without `force`), or a file
    that cannot be written.
    """
    source = default_templates_dir()
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"cannot export the templates into {dest}: it is a file, not a folder")
    if dest.resolve() == source.resolve():
        raise UsageError(f"{dest} is the default templates folder itself; nothing to copy")
    names = default_template_names()
    # 'templates/html/entry.html', 'default/html/entry.html' and 'html\\entry.html' name it too
    wanted = {name: name.replace("\\", "/").removeprefix("templates/").removeprefix("default/") for name in only}
    for name, key in wanted.items():
        if key not in names:
            close = difflib.get_close_matches(key, names, n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise UsageError(f"'{name}' is not a default template; {hint}the templates are: {', '.join(names)}")
    files = [source / n for n in names if not wanted or n in wanted.values()]
    clashes = [dest / p.relative_to(source) for p in files if (dest / p.relative_to(source)).exists()]
    if clashes and not force:
        shown = ", ".join(str(c) for c in clashes[:3]) + (" ..." if len(clashes) > 3 else "")
        raise UsageError(f"{len(clashes)} file(s) already exist ({shown}); use --force to overwrite them")
    written = []
    for path in files:
        target = dest / path.relative_to(source)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
        except OSError as exc:
            where = exc.filename or target
            raise UsageError(f"cannot write {where}: {exc.strerror or exc}") from None
        written.append(target)
    return written
