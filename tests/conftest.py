"""Shared fixtures: small projects written into tmp_path."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EDITION, EDITION_2012, EDITION_2013, ENTRY, SERIES, entry, write


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
