"""Shared fixtures: small projects written into tmp_path."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EDITION, ENTRY, write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A valid project with one entry (entries/ke-one-stop.yaml)."""
    write(tmp_path, "compendium.yaml", EDITION)
    write(tmp_path, "entries/ke-one-stop.yaml", ENTRY)
    return tmp_path
