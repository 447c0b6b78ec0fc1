"""Shared fixtures: small projects written into tmp_path, and the sample edition read, validated,
grouped and rendered once per session for the tests that only read it."""
from __future__ import annotations

from pathlib import Path

import pytest

from compendium.model import Book
from compendium.output.build import load_book
from compendium.render import pdf
from compendium.render.common import RenderContext
from tests.helpers import (
    EDITION,
    EDITION_2012,
    EDITION_2013,
    ENTRY,
    SERIES,
    Epub,
    Site,
    build_epub,
    copy_sample,
    entry,
    render_site,
    write,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A valid project with one entry (entries/ke-one-stop.yaml)."""
    write(tmp_path, "compendium.yaml", EDITION)
    write(tmp_path, "entries/ke-one-stop.yaml", ENTRY)
    return tmp_path


@pytest.fixture
def series(tmp_path: Path) -> Path:
    """Two editions: 2012 (its own themes, one of them renamed in 2013) and 2013, one entry each."""
    write(tmp_path, "compendium.yaml", SERIES)
    write(tmp_path, "2012/compendium.yaml", EDITION_2012)
    write(tmp_path, "2013/compendium.yaml", EDITION_2013)
    write(tmp_path, "2012/entries/ke.yaml", entry(2012, "2012-ke-one-stop", category="knowledge-management"))
    write(tmp_path, "2013/entries/ke.yaml", entry(2013, "2013-ke-one-stop", follows="2012-ke-one-stop"))
    return tmp_path


# The sample edition (17 entries, six languages): one copy per session. Tests read these; a test
# that changes a project or an output makes its own (helpers.copy_sample).


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checkout's sample edition, copied once."""
    return copy_sample(tmp_path_factory.mktemp("sample") / "project")


@pytest.fixture(scope="session")
def sample_book(sample_project: Path) -> Book:
    """The sample edition validated and grouped once."""
    book, _ = load_book(sample_project)
    return book


@pytest.fixture(scope="session")
def sample_site(sample_book: Book, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The sample's website, rendered once (html/ in a session folder)."""
    return render_site(sample_book, tmp_path_factory.mktemp("sample-site"))


@pytest.fixture(scope="session")
def sample_epub(sample_book: Book, tmp_path_factory: pytest.TempPathFactory) -> tuple[Epub, RenderContext]:
    """The sample's EPUB, rendered once, read back; with the context (warnings) of its render."""
    path, ctx = build_epub(sample_book, tmp_path_factory.mktemp("sample-epub"), tmp_path_factory.mktemp("epub-cache"))
    return Epub(path), ctx


@pytest.fixture(scope="session")
def sample_pdf(sample_book: Book, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RenderContext]:
    """The sample's PDF book, rendered once; with the context (warnings, summary) of its render."""
    ctx = RenderContext(out_dir=tmp_path_factory.mktemp("sample-pdf"), cache_dir=tmp_path_factory.mktemp("pdf-cache"))
    return pdf.render(sample_book, ctx)[0], ctx
