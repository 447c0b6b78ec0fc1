"""The `compendium` command line: parses options, calls the library, maps errors to exit codes."""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from compendium import __version__
from compendium.book.stats import STATS_FORMATS
from compendium.errors import BuildFailed, CompendiumError, Interrupted, InvalidInput, Terminated, UsageError
from compendium.input.load import CACHE_DIR, PARSED, find_project
from compendium.input.scaffold import PRESETS
from compendium.output.report import REPORTERS, use_colour
from compendium.render import FORMATS

EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130: the shell's code for a command stopped by Ctrl-C
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143: the shell's code for a command stopped by SIGTERM
# The one place where the library's error classes (and the two signals) become exit codes: the
# first class in an error's MRO that is listed wins.
EXIT_CODES: dict[type[BaseException], int] = {
    InvalidInput: EXIT_INVALID, BuildFailed: EXIT_INVALID, UsageError: EXIT_USAGE, Interrupted: EXIT_INTERRUPTED,
    KeyboardInterrupt: EXIT_INTERRUPTED, Terminated: EXIT_TERMINATED,
}


def exit_code(exc: BaseException) -> int:
    """The exit status for a library error or a signal: by its class, else 1 when it carries issues, else 2."""
    for cls in type(exc).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return EXIT_INVALID if getattr(exc, "issues", ()) else EXIT_USAGE


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


@contextmanager
def _sigterm_like_ctrl_c() -> Iterator[None]:
    """SIGTERM (`kill PID`, a service manager stopping us) raises Terminated where Ctrl-C would raise
    KeyboardInterrupt: builds swap nothing in, stop their workers, and say so in one line."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

project_option = click.option(
    "--project", "-p", "project", type=click.Path(path_type=Path), metavar="DIR",
    help="Project folder (the one with compendium.yaml). Default: found by walking up from the current folder.",
)


def _root(project: Path | None) -> Path:
    if project is not None:
        if not project.exists():
            raise UsageError(f"{project} is not a compendium project: there is no such folder")
        if not project.is_dir():
            raise UsageError(f"{project} is not a compendium project: it is a file; "
                                  "--project takes the folder that holds compendium.yaml")
        if not (project / "compendium.yaml").is_file():
            raise UsageError(f"{project} is not a compendium project: it has no compendium.yaml")
        return project.resolve()
    return find_project()


def _project(project: Path | None) -> tuple[Path, str]:
    """(project root, edition folder or ""): an edition folder of a series, given as --project or
    found by walking up, leads to its series and names the edition."""
    from compendium.input.series import locate

    return locate(_root(project))


edition_option = click.option(
    "--edition", "editions", multiple=True, metavar="YEAR",
    help="In a series of editions: only this edition (its year or folder); repeat for several. "
         "Default: every edition.")


def _edition_folder(root: Path, here: str, editions: tuple[str, ...]) -> str:
    """The one edition a command works on in a series: --edition, else the edition folder the
    command runs in, else the latest edition."""
    from compendium.input.series import edition_folder, latest_folder

    if len(editions) > 1:
        raise UsageError("this command works on one edition: give --edition once")
    if editions:
        return edition_folder(root, editions[0])
    return here or latest_folder(root)


def _one_edition(root: Path, editions: tuple[str, ...]) -> None:
    """--edition in a project of one edition: only its own year (or nothing) makes sense."""
    if not editions:
        return
    from compendium.input.load import read_yaml

    data = read_yaml(root / "compendium.yaml", root).data
    year = str(data.get("edition")) if isinstance(data, dict) else ""
    wrong = [e for e in editions if e.strip() != year]
    if wrong:
        raise UsageError(f"--edition {wrong[0]}: this project has one edition ({year or 'no year'}); "
                         "--edition chooses among the editions of a series")


def _shown(path: Path) -> str:
    """`path` relative to the current folder when it is below it, else as it is."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _die(message: str, code: int) -> None:
    """One line on stderr, then exit with `code`."""
    click.echo(f"error: {' '.join(message.split())}", err=True)
    sys.exit(code)


def _fail(exc: CompendiumError, fmt: str = "text") -> None:
    """Print every issue a library error carries (or its message) and exit with its class's code."""
    if exc.issues:
        issues = list(exc.issues)
        if not (len(issues) == 1 and str(issues[0].source) in str(exc)):  # else the message says it all
            reporter = REPORTERS[fmt]
            click.echo(reporter(issues, 0, colour=use_colour(sys.stdout.isatty())), nl=False)
    click.echo(f"error: {exc}", err=True)
    sys.exit(exit_code(exc))


_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Click's usage errors, and failures nobody foresaw, as one line on stderr instead of a
    usage block or a traceback (COMPENDIUM_DEBUG=1 shows the traceback)."""
    try:
        yield
    except _NO_ARGS_IS_HELP:  # `compendium` alone: click prints the help
        raise
    except click.UsageError as exc:
        message = exc.format_message().rstrip(".")
        where = f"; see '{exc.ctx.command_path} --help'" if exc.ctx is not None else ""
        _die(message[:1].lower() + message[1:] + where, EXIT_USAGE)
    except click.ClickException as exc:
        _die(exc.format_message(), exc.exit_code)
    except (click.exceptions.Exit, click.exceptions.Abort):
        raise
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: a build swaps nothing in, so say so
        what = "terminated" if isinstance(exc, Terminated) else "interrupted"
        _die(f"{what}; {str(exc) or 'nothing was changed'}", exit_code(exc))
    except CompendiumError as exc:
        _fail(exc)
    except OSError as exc:
        if os.environ.get("COMPENDIUM_DEBUG") or exc.errno == errno.EPIPE:  # click handles a closed pipe
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        _die(f"{where}{exc.strerror or exc}", EXIT_INVALID)
    except Exception as exc:
        if os.environ.get("COMPENDIUM_DEBUG"):
            raise
        _die(f"unexpected {type(exc).__name__}: {exc} (set COMPENDIUM_DEBUG=1 to see the traceback)", EXIT_INVALID)


class _Group(click.Group):
    """A command group whose errors are one line on stderr, never a usage block or a traceback."""

    group_class = type  # subgroups (templates) behave the same

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order of the work, not alphabetical

    def make_context(self, info_name, args, parent=None, **extra):  # type: ignore[no-untyped-def]
        with _one_line_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        with _one_line_errors(), _sigterm_like_ctrl_c():
            return super().invoke(ctx)


@click.group(name="compendium", cls=_Group,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog="Exit status: 0 success; 1 invalid input or a failed build (validation errors, warnings "
                    "with --strict, a template error, a format that failed to render); 2 usage error (bad option "
                    "or value, no project found, a file in the way, another build running); 130 interrupted "
                    "(Ctrl-C); 143 terminated (SIGTERM). "
                    "Run 'compendium COMMAND --help' for a command's options.")
@click.version_option(__version__, prog_name="compendium")
def main() -> None:
    """Publish an awards compendium as PDF, EPUB and HTML from one YAML file per winning entry.

    \b
    Editors:     compendium init DIR · validate · build · serve · stats · templates export
    Submitters:  compendium new-entry · validate · schema, in the project folder the editor shares

    Commands that work on a project find it by walking up from the current folder to the
    nearest compendium.yaml (like git), or take --project DIR.
    """


@main.command(short_help="Start a new project (the editor's job): edition file, introduction, an example.")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--title", default=None, help="Title of the edition.  [default: the preset's: " +
              "; ".join(f"{p.title} ({p.name})" for p in PRESETS.values()) + "]")
@click.option("--year", type=click.IntRange(1900, 2200), default=None,
              help="Award year of the edition (with --series in a series: default the year after the latest).  "
                   "[default: this year (SOURCE_DATE_EPOCH's when set)]")
@click.option("--preset", type=click.Choice(list(PRESETS)), default="unpsa", show_default=True,
              help="The entry form: " + "; ".join(f"{p.name}: {p.summary}" for p in PRESETS.values()) + ".")
@click.option("--series", is_flag=True, help="A series of editions: start one in DIR, turn the project of one "
              "edition in DIR into one, or add the edition --year to the series in DIR.")
def init(directory: Path, title: str | None, year: int | None, preset: str, series: bool) -> None:
    """Create a new project in DIR: compendium.yaml (the edition, with its themes and the entry
    form of the preset, every key explained in a comment), introduction.md, .gitignore and an
    example entry kept as a draft (entries/<theme>/_example.yaml: validate and build skip it).

    With --series, DIR holds a series of editions (one folder per edition, the shared settings
    in DIR/compendium.yaml): a new series with its first edition in DIR/<year>/; or, when DIR
    holds a project of one edition, that project turned into a series (its compendium.yaml,
    introduction and entries/ move into DIR/<year>/, its shared keys into the series file); or,
    when DIR holds a series, its next edition DIR/<year>/ added.

    DIR is created if needed and may already hold other files (a git checkout, say), but nothing is
    ever overwritten: when compendium.yaml, introduction.md or the example entry exists, nothing
    is written at all (exit 2). Submitters do not run init: they get the project folder from
    their editor.
    """
    try:
        if series:
            from compendium.input.scaffold_series import init_series

            written = init_series(directory, title, year, preset)
        else:
            from compendium.input.scaffold import init_project

            written = init_project(directory, title, year, preset)
    except CompendiumError as exc:
        _fail(exc)
    for path in written:
        click.echo(f"created {path}")
    drafts = [p for p in written if p.name.startswith("_") and p.suffix == ".yaml"]
    if not drafts:  # a project turned into a series, or the series' next edition
        click.echo(f"next: cd {directory} && compendium validate")
        return
    example = drafts[0].relative_to(directory).as_posix()
    theme = PRESETS[preset].theme
    click.echo(f"next: cd {directory} && compendium validate\n"
               f"      {example} is an example entry, kept as a draft (skipped): read it, then delete it\n"
               f"      make an entry: compendium new-entry --title \"...\" --country ... --category {theme}\n"
               "      submitters: share this folder with them (git, or a zip); they run new-entry and validate in it")


@main.command("new-entry", short_help="Write a commented entry file to fill in.")
@click.option("--title", required=True, help="Title of the initiative (one line).")
@click.option("--country", required=True, help="ISO 3166 code (KE, KEN) or English short name (Kenya) of the country.")
@click.option("--category", required=True, help="Theme id or name (award category) of the edition.")
@click.option("--institution", default="Name of the institution", show_default=True,
              help="Institution that runs the initiative.")
@click.option("--place", default="winner", show_default=True, help="1st, 2nd, 3rd, winner, finalist or special.")
@click.option("--language", default="", help="BCP 47 tag (ar, fr, zh-Hans) when the entry is not in the edition's language.")
@click.option("--id", "entry_id", default="", help="Entry id, a lowercase slug.  [default: <year>-<country>-<title slug>]")
@edition_option
@project_option
def new_entry(title: str, country: str, category: str, institution: str, place: str, language: str,
              entry_id: str, editions: tuple[str, ...], project: Path | None) -> None:
    """Write a commented entry template to entries/<theme id>/<country code>-<title slug>.yaml,
    with every key of the entry format, ready to fill in and check with `compendium validate`.

    In a series of editions: into the edition named by --edition, else the edition folder you
    are in, else the latest edition (<edition folder>/entries/...).

    The values given are checked first (the country, the theme, the place...), and every problem
    is told at once, one line each (exit 2). The title slug is the title transliterated to
    lowercase ASCII (Ҳудума → huduma, 電子政府 → dian-zi-zheng-fu): the id becomes the entry's web
    address; --id sets it yourself. An existing file is never overwritten (exit 2).
    """
    from compendium.input.load import read_yaml
    from compendium.input.scaffold import BadValues, NewEntry
    from compendium.input.scaffold import new_entry as write_entry
    from compendium.input.series import edition_settings, is_series
    from compendium.input.validate_edition import validate_edition

    try:
        root, here = _project(project)
        if is_series(root):
            edition, issues = edition_settings(root, _edition_folder(root, here, editions))
        else:
            _one_edition(root, editions)
            edition, issues = validate_edition(read_yaml(root / "compendium.yaml", root), root)
        if edition is None:
            raise InvalidInput("compendium.yaml has errors; fix them first", tuple(issues))
        path = write_entry(edition, NewEntry(title, country, category, institution, place, language, entry_id))
    except BadValues as exc:  # every bad value at once, one line each
        for problem in exc.problems:
            click.echo(f"error: {' '.join(problem.split())}", err=True)
        sys.exit(exit_code(exc))
    except CompendiumError as exc:
        _fail(exc)
    shown = _shown(path)
    click.echo(f"created {shown}: a commented template to fill in")
    click.echo(f"next: replace its example text with the entry's own, then run: compendium validate {shown}")


@main.command(short_help="Check the edition file and the entries; report every problem.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(list(REPORTERS)), default="text", show_default=True,
              help="text for people, json for tools, github for GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 when there are any).")
@edition_option
@project_option
def validate(paths: tuple[Path, ...], fmt: str, strict: bool, editions: tuple[str, ...], project: Path | None) -> None:
    """Check the edition file and every entry (or only PATHS: files or folders), reporting every
    problem in one pass as `file:line:column: severity: message [code]`, then a summary.

    In a series of editions: the series file and every edition (or those named by --edition),
    with the rules across editions (ids unique in the series, follow-ups of earlier winners).

    Exit status: 0 valid (warnings allowed unless --strict), 1 invalid, 2 usage error
    (bad option, a PATH that does not exist, no project found, an edition the series lacks).
    """
    from compendium.input.series import is_series, locate, validate_series
    from compendium.input.validate import validate_project

    try:
        start = None
        if project is None and paths:  # the project of the files named, wherever the command runs
            first = paths[0].resolve()
            try:
                start = find_project(first if first.is_dir() else first.parent)
            except UsageError:  # a draft kept outside any project: checked against the current one
                pass
        root, _ = locate(start) if start is not None else _project(project)
        if is_series(root):
            result = validate_series(root, list(editions) or None, list(paths) or None)
        else:
            _one_edition(root, editions)
            # the whole project of a build: the entry files unchanged since the build (or the last
            # validation) read them cleanly are not parsed again (the cache builds keep, refreshed
            # here; never started here: a first validation does not pay for writing it)
            kept = root / CACHE_DIR / PARSED
            kept = kept if not paths and kept.is_file() else None
            result = validate_project(root, list(paths) or None, kept=kept)
    except CompendiumError as exc:
        _fail(exc, fmt)
    click.echo(REPORTERS[fmt](result.issues, result.files, colour=use_colour(sys.stdout.isatty())), nl=False)
    if result.errors or (strict and result.warnings):
        sys.exit(EXIT_INVALID)


@main.command(short_help="Print the JSON Schema of the entry format, for checking while typing.")
@click.option("--edition", "edition_schema", is_flag=True, help="Schema of compendium.yaml instead of an entry file "
              "(in a series: of an edition's compendium.yaml, whose keys all may come from the series file).")
@click.option("--series", "series_schema", is_flag=True, help="Schema of a series file (the compendium.yaml of a "
              "series of editions).")
@project_option
def schema(edition_schema: bool, series_schema: bool, project: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of the entry format on stdout, for editors that check
    YAML as you type: compendium schema > entry.schema.json

    Inside a project, the schema also lists that edition's themes and regions (in a series: the
    edition you are in, else the latest); outside one it accepts any theme id and region.
    """
    from compendium.input import schema as schemas
    from compendium.input.series import is_series
    try:
        root, here = _project(project)
    except CompendiumError as exc:
        if project is not None:  # a --project that is not one is a mistake; no project found is fine
            _fail(exc)
        root, here = None, ""
    in_series = root is not None and is_series(root)
    if series_schema:
        data = schemas.series_schema()
    elif edition_schema:
        data = schemas.edition_schema(in_series=in_series)
    else:
        edition = None
        if in_series:
            from compendium.input.series import edition_settings

            try:
                edition, _ = edition_settings(root, _edition_folder(root, here, ()))
            except CompendiumError as exc:
                _fail(exc)
            if edition is None:
                click.echo("warning: compendium.yaml has errors (see 'compendium validate'); "
                           "the schema lists no themes or regions", err=True)
        elif root is not None:
            from compendium.input.load import read_yaml
            from compendium.input.validate_edition import validate_edition

            edition, _ = validate_edition(read_yaml(root / "compendium.yaml", root), root)
            if edition is None:
                click.echo("warning: compendium.yaml has errors (see 'compendium validate'); "
                           "the schema lists no themes or regions", err=True)
        data = schemas.entry_schema(edition)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@main.command(short_help="Count the entries per theme × region (× year in a series), with totals.")
@click.option("--format", "fmt", type=click.Choice(list(STATS_FORMATS)), default="text", show_default=True,
              help="text for people, csv for spreadsheets, json for tools.")
@edition_option
@project_option
def stats(fmt: str, editions: tuple[str, ...], project: Path | None) -> None:
    """Show a table of entries per theme × region, with totals.

    In a series of editions: winners per theme × year across the series (themes of earlier years
    under today's, per theme_map), or with --edition that edition's table.

    The project must validate; exit 1 (with the problems) when it does not.
    """
    from compendium.book.stats import overview
    from compendium.input.series import is_series
    from compendium.output.build import load_book
    from compendium.output.series import load_series

    try:
        root, _ = _project(project)
        if is_series(root) and not editions:
            from compendium.book.group import series_book

            series, result = load_series(root, publishing=False)
            book = series_book(series, result.books())
        else:
            if is_series(root):
                root = root / _edition_folder(root, "", editions)
            else:
                _one_edition(root, editions)
            book, _ = load_book(root, publishing=False)
    except CompendiumError as exc:
        if exc.issues:  # load_book speaks of building; here nothing was meant to be built
            exc = InvalidInput("the project has errors; fix them to count the entries", exc.issues)
        _fail(exc)
    click.echo(STATS_FORMATS[fmt](overview(book)), nl=False)


@main.group(short_help="Copy out the templates of the HTML site and the EPUB to customise them.")
def templates() -> None:
    """Work with the templates that shape the HTML site and the EPUB's own pages.

    A project's templates/ folder overrides the defaults file by file; an override can extend
    the default it replaces with {% extends "default/html/entry.html" %}.
    """


@templates.command("export", short_help="Copy default templates out: all for reference, or --only those to change.")
@click.argument("directory", metavar="[DIR]", type=click.Path(path_type=Path), required=False)
@click.option("--only", "only", multiple=True, metavar="NAME",
              help="Copy only this template (html/entry.html); repeat it for several.  [default: all of them]")
@click.option("--force", is_flag=True, help="Overwrite files that already exist (otherwise nothing is copied "
              "when one exists, and the command exits with 2).")
@project_option
def templates_export(directory: Path | None, only: tuple[str, ...], force: bool, project: Path | None) -> None:
    """Copy the default templates into DIR for editing.

    Without --only, every template goes to a reference copy, templates-default/ in the project
    (or in the current folder outside one), which builds do not read. With --only NAME, that
    template goes to the project's templates/ folder, where it overrides the default. A file
    there hides the default for good (later versions of compendium cannot improve it), so copy
    there only what you change.
    """
    from compendium.render.templating import export_defaults

    try:
        try:
            root: Path | None = _project(project)[0]  # a series: its templates serve every book
        except CompendiumError:
            if project is not None:
                raise
            root = None
        live = (root or Path.cwd()) / "templates"
        if directory is None:
            directory = live if only else (root or Path.cwd()) / "templates-default"
        written = export_defaults(directory, force, only)
    except CompendiumError as exc:
        _fail(exc)
    shown = _shown(directory)
    overriding = root is not None and directory.resolve() == live.resolve()
    if overriding:
        names = ", ".join(p.relative_to(directory).as_posix() for p in written[:6]) + (" ..." if len(written) > 6 else "")
        click.echo(f"copied {len(written)} template file{'s' if len(written) != 1 else ''} into {shown}/, where "
                   f"{'it overrides its default' if len(written) == 1 else 'they override the defaults'}: {names}\n"
                   "next: edit, then compendium build; delete each copy you do not change, so that later versions "
                   "of compendium can improve it")
    else:
        first = written[0].relative_to(directory).as_posix() if only and written else "html/entry.html"
        click.echo(f"copied {len(written)} template file{'s' if len(written) != 1 else ''} into {shown}/ "
                   f"(a copy that builds do not read; see its README.md)\n"
                   f"next: to change a template, copy it into the project's templates/ at the same path "
                   f"(templates/{first}), or run: compendium templates export --only {first}")


class _Progress:
    """Build progress: a live status line (elapsed time, each format's state) on a terminal,
    plain lines elsewhere."""

    def __init__(self, live: bool) -> None:
        self.live = live
        self.states: dict[str, float | str | None] = {}
        self.started = time.monotonic()
        self.stop = threading.Event()
        self.ticker: threading.Thread | None = None

    def __call__(self, name: str, state: float | str | None) -> None:
        """state: None when the format starts, what it is doing (text) as it goes, seconds when done."""
        if isinstance(state, str) and isinstance(self.states.get(name), float):
            return  # a step that arrived after the format finished
        self.states[name] = state
        if not self.live:
            said = "started" if state is None else state if isinstance(state, str) else f"done in {state:.1f} s"
            click.echo(f"{name}: {said}", err=True)
            return
        if self.ticker is None:
            self.ticker = threading.Thread(target=self._tick, daemon=True)
            self.ticker.start()
        self._draw()

    def _tick(self) -> None:
        while not self.stop.wait(0.25):
            self._draw()

    def _draw(self) -> None:
        elapsed = time.monotonic() - self.started
        spin = "|/-\\"[int(elapsed * 4) % 4]
        shown = self.states
        parts = []
        if len(shown) > 4:  # a series renders many books: those running, and how many are done
            done = sum(isinstance(s, float) for s in shown.values())
            shown = {n: s for n, s in shown.items() if not isinstance(s, float)}
            parts.append(f"{done} of {len(self.states)} done")
        parts += [f"{n} {spin if s is None else f'{s} {spin}' if isinstance(s, str) else f'done {s:.1f} s'}"
                  for n, s in shown.items()]
        line = "  ".join(parts)
        line = f"[{elapsed:5.1f} s] {line}"[:shutil.get_terminal_size().columns - 1]  # one line, or \r can't redraw it
        click.echo(f"\r\x1b[2K{line}", nl=False, err=True)

    def close(self) -> None:
        self.stop.set()
        if self.ticker is not None:
            self.ticker.join()
            self._draw()
            click.echo("", err=True)


@main.command(short_help="Validate and render the book: website, EPUB and PDF.")
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help=f"{', '.join(FORMATS)}; repeat it, or separate with commas (--format html,pdf). "
                   f"Default: {', '.join(f.name for f in FORMATS.values() if f.default)}. "
                   "The formats not named are kept from the last build.")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Output folder.  [default: output/ in the project]")
@click.option("--strict", is_flag=True, help="Refuse to build when there are warnings too.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), metavar="N",
              help="Formats rendered in parallel.  [default: the number of cores]")
@click.option("--clean", is_flag=True, help="Ignore the cache of converted text and prepared images.")
@click.option("--fact-sheets", is_flag=True, help=f"Also make {FORMATS['fact-sheets'].summary}.")
@project_option
def build(formats: tuple[str, ...], output: Path | None, strict: bool, jobs: int | None, clean: bool,
          fact_sheets: bool, project: Path | None) -> None:
    """Validate the project, group the entries into the book (parts and chapters per the edition's
    group_by) and render each format into output/; refuses to build when there are errors.

    The previous output is replaced, in one atomic step, only when every requested format
    succeeded. Converted text and pictures are cached in .compendium-cache/.

    Exit status: 0 built, 1 invalid project (every problem is listed) or a format failed to
    render, 2 usage error (unknown format, no project found, an output folder that cannot be used,
    another build of the project running).
    """
    from compendium.output.build import build as run_build
    from compendium.output.report import build_table

    names = [name.strip() for value in formats for name in value.split(",") if name.strip()]
    progress = _Progress(sys.stderr.isatty() and not os.environ.get("CI"))
    try:
        result = run_build(_project(project)[0], names, output, strict, jobs=jobs, clean=clean,
                           fact_sheets=fact_sheets, progress=progress)
    except CompendiumError as exc:
        progress.close()
        _fail(exc)
    progress.close()
    for issue in result.warnings:
        click.echo(str(issue), err=True)
    if hasattr(result, "outline"):  # a series of editions (output/series.py)
        click.echo("\n".join(result.outline()))
        click.echo(f"wrote {result.out}")
        click.echo(build_table(result.table_rows()), nl=False)
        return
    book = result.book
    parts = len(book.parts)
    click.echo(f"{book.edition.title} {book.edition.edition}: {_count(len(book.entries), 'entry', 'entries')} "
               f"in {_count(parts, 'part', 'parts')}")
    for part in book.parts:
        click.echo(f"  {part.title}: " + ", ".join(f"{c.title} ({len(c.entries)})" for c in part.chapters))
    if result.formats:
        click.echo(f"wrote {result.out}")
        click.echo(build_table(result.table_rows()), nl=False)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@main.command(short_help="Preview the website on localhost, rebuilding it on every change.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (localhost only by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0 picks a free one).")
@project_option
def serve(host: str, port: int, project: Path | None) -> None:
    """Build the HTML site into output/html/ and serve it on http://HOST:PORT/, rebuilding it when
    compendium.yaml, the introduction, an entry or a template changes.

    A failed rebuild is reported and the last good site stays online. Stop with Ctrl+C (exit 130;
    143 when stopped with SIGTERM). A port that is already in use is an error (exit 2): pick
    another with --port.
    """
    from compendium.output.serve import serve as run_server

    try:
        run_server(_project(project)[0], host, port)
    except CompendiumError as exc:
        _fail(exc)
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: the documented 130 or 143, after saying so
        click.echo("stopped", err=True)
        sys.exit(exit_code(exc))



if __name__ == "__main__":
    main(prog_name="compendium")
