"""The `compendium` command line: parses options, calls the library, maps errors to exit codes."""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import click

from compendium import __version__
from compendium.load import find_project
from compendium.model import CompendiumError
from compendium.report import REPORTERS, use_colour

EXIT_INVALID = 1
EXIT_USAGE = 2

project_option = click.option(
    "--project", "-p", "project", type=click.Path(file_okay=False, path_type=Path),
    help="Project folder (the one with compendium.yaml). Default: found by walking up from the current folder.",
)


def _root(project: Path | None) -> Path:
    if project is not None:
        if not (project / "compendium.yaml").is_file():
            raise CompendiumError(f"{project} is not a compendium project: it has no compendium.yaml")
        return project.resolve()
    return find_project()


def _fail(exc: CompendiumError, fmt: str = "text") -> None:
    """Print every issue a CompendiumError carries (or its message) and exit non-zero."""
    if exc.issues:
        reporter = REPORTERS[fmt]
        click.echo(reporter(list(exc.issues), 0, colour=use_colour(sys.stdout.isatty())), nl=False)
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="compendium")
def main() -> None:
    """Publish an awards compendium as PDF, EPUB and HTML from one YAML file per winning entry.

    Submitters run `compendium validate`; editors run `compendium build`.
    """


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Public Service Awards", show_default=True, help="Title of the edition.")
@click.option("--year", type=click.IntRange(1900, 2200), default=2012, show_default=True, help="Award year of the edition.")
def init(directory: Path, title: str, year: int) -> None:
    """Create a new project in DIRECTORY: an edition file and one valid example entry."""
    from compendium.scaffold import init_project

    try:
        written = init_project(directory, title, year)
    except CompendiumError as exc:
        _fail(exc)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: cd {directory} && compendium validate")


@main.command("new-entry")
@click.option("--title", required=True, help="Title of the initiative.")
@click.option("--country", required=True, help="ISO 3166 code or English short name of the country.")
@click.option("--category", required=True, help="Theme id (award category) of the edition.")
@click.option("--institution", default="Name of the institution", help="Institution that runs the initiative.")
@click.option("--place", default="winner", show_default=True, help="1st, 2nd, 3rd, winner, finalist or special.")
@click.option("--language", default="", help="BCP 47 tag when the entry is not in the edition's language.")
@click.option("--id", "entry_id", default="", help="Entry id (default: <year>-<country>-<title slug>).")
@project_option
def new_entry(title: str, country: str, category: str, institution: str, place: str, language: str,
              entry_id: str, project: Path | None) -> None:
    """Write a commented entry template into entries/<category>/, never over an existing file."""
    from compendium.load import read_yaml
    from compendium.scaffold import NewEntry, new_entry as write_entry
    from compendium.validate_edition import validate_edition

    try:
        root = _root(project)
        edition, issues = validate_edition(read_yaml(root / "compendium.yaml", root), root)
        if edition is None:
            raise CompendiumError("compendium.yaml has errors; fix them first", tuple(issues))
        path = write_entry(edition, NewEntry(title, country, category, institution, place, language, entry_id))
    except CompendiumError as exc:
        _fail(exc)
    click.echo(f"created {path}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(list(REPORTERS)), default="text", show_default=True,
              help="text for people, json for tools, github for workflow annotations.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 when there are any).")
@project_option
def validate(paths: tuple[Path, ...], fmt: str, strict: bool, project: Path | None) -> None:
    """Check the edition file and every entry (or only PATHS), reporting every problem in one pass.

    Exit status: 0 valid, 1 invalid, 2 usage error.
    """
    from compendium.validate import validate_project

    try:
        root = _root(project)
        result = validate_project(root, list(paths) or None)
    except CompendiumError as exc:
        _fail(exc, fmt)
    click.echo(REPORTERS[fmt](result.issues, result.files, colour=use_colour(sys.stdout.isatty())), nl=False)
    if result.errors or (strict and result.warnings):
        sys.exit(EXIT_INVALID)


@main.command()
@click.option("--edition", "edition_schema", is_flag=True, help="Schema of compendium.yaml instead of an entry file.")
@project_option
def schema(edition_schema: bool, project: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of the entry format, for editors that check YAML as you type.

    Inside a project, the schema also lists that edition's themes and regions.
    """
    from compendium import schema as schemas

    if edition_schema:
        data = schemas.edition_schema()
    else:
        edition = None
        try:
            from compendium.load import read_yaml
            from compendium.validate_edition import validate_edition

            root = _root(project)
            edition, _ = validate_edition(read_yaml(root / "compendium.yaml", root), root)
        except CompendiumError as exc:
            if project is not None:
                _fail(exc)
        data = schemas.entry_schema(edition)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@project_option
def stats(fmt: str, project: Path | None) -> None:
    """Show a table of entries per theme × region, with totals."""
    from compendium.build import load_book
    from compendium.stats import as_csv, as_text, overview

    try:
        book, _ = load_book(_root(project))
    except CompendiumError as exc:
        _fail(exc)
    ov = overview(book)
    if fmt == "json":
        click.echo(json.dumps({"themes": [t for t, _ in ov.themes], "regions": list(ov.regions),
                               "counts": [list(r) for r in ov.cells], "total": ov.total}, indent=2))
    else:
        click.echo(as_csv(ov) if fmt == "csv" else as_text(ov), nl=False)


@main.group()
def templates() -> None:
    """Work with the templates that shape the HTML site and the EPUB.

    A project's templates/ folder overrides the defaults file by file; an override can extend
    the default it replaces with {% extends "default/html/entry.html" %}.
    """


@templates.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default="templates")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def templates_export(directory: Path, force: bool) -> None:
    """Copy the default templates into DIRECTORY (default: ./templates) for editing."""
    from compendium.templating import export_defaults

    try:
        written = export_defaults(directory, force)
    except CompendiumError as exc:
        _fail(exc)
    click.echo(f"copied {len(written)} template files into {directory}")


class _Progress:
    """Build progress: a live status line (elapsed time, each format's state) on a terminal,
    plain lines elsewhere."""

    def __init__(self, live: bool) -> None:
        self.live = live
        self.states: dict[str, str] = {}
        self.started = time.monotonic()
        self.stop = threading.Event()
        self.ticker: threading.Thread | None = None

    def __call__(self, name: str, state: str) -> None:
        self.states[name] = state
        if not self.live:
            click.echo(f"{name}: {state}", err=True)
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
        line = "  ".join(f"{n} {'done ' + s[8:] if s.startswith('done in ') else spin}" for n, s in self.states.items())
        click.echo(f"\r\x1b[2K[{elapsed:5.1f} s] {line}", nl=False, err=True)

    def close(self) -> None:
        self.stop.set()
        if self.ticker is not None:
            self.ticker.join()
            self._draw()
            click.echo("", err=True)


@main.command()
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help="Format to build: html, epub or pdf (repeatable). Default: all of them.")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder. Default: output/.")
@click.option("--strict", is_flag=True, help="Refuse to build when there are warnings too.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="Formats built in parallel. Default: the number of cores.")
@click.option("--clean", is_flag=True, help="Ignore the cache of converted text and prepared images.")
@click.option("--fact-sheets", is_flag=True, help="Also write one short PDF per entry into fact-sheets/<id>.pdf.")
@project_option
def build(formats: tuple[str, ...], output: Path | None, strict: bool, jobs: int | None, clean: bool,
          fact_sheets: bool, project: Path | None) -> None:
    """Validate, group the entries into the book, and render every format; refuses to build with errors.

    The previous output is replaced only when every requested format succeeded.
    """
    from compendium.build import build as run_build
    from compendium.report import build_table

    progress = _Progress(sys.stderr.isatty() and not os.environ.get("CI"))
    try:
        result = run_build(_root(project), list(formats), output, strict, jobs=jobs, clean=clean,
                           fact_sheets=fact_sheets, progress=progress)
    except CompendiumError as exc:
        progress.close()
        _fail(exc)
    progress.close()
    for issue in result.warnings:
        click.echo(str(issue), err=True)
    book = result.book
    click.echo(f"{book.edition.title} {book.edition.edition}: {len(book.entries)} entries in {len(book.parts)} parts")
    for part in book.parts:
        click.echo(f"  {part.title}: " + ", ".join(f"{c.title} ({len(c.entries)})" for c in part.chapters))
    if result.formats:
        click.echo(f"wrote {result.out}")
        click.echo(build_table(result.table_rows()), nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (localhost only by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0 picks a free one).")
@project_option
def serve(host: str, port: int, project: Path | None) -> None:
    """Preview the HTML site on localhost, rebuilding it when an entry, the edition file or a template changes.

    A failed rebuild is reported and the last good site stays online. Stop with Ctrl+C.
    """
    from compendium.serve import serve as run_server

    try:
        run_server(_root(project), host, port)
    except CompendiumError as exc:
        _fail(exc)
    except OSError as exc:
        click.echo(f"error: cannot serve on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    main()
