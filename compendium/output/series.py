"""Build (a series of editions): each edition's books, the retrospectives, one site across years.

`output/build.py` hands a project whose compendium.yaml is a series file to `build_series`.
"""
from __future__ import annotations

from pathlib import Path

from compendium.errors import InvalidInput
from compendium.input.series import SeriesResult, validate_series
from compendium.model import Series


def load_series(root: Path, strict: bool = False) -> tuple[Series, SeriesResult]:
    """Validate the whole series at `root`; raise InvalidInput with every issue when it has errors
    (or warnings, with `strict`)."""
    result = validate_series(root)
    failing = result.errors + result.warnings if strict else result.errors  # notes never fail a build
    if failing or result.series is None:
        raise InvalidInput("the project has errors; nothing was built", result.issues)
    return result.series, result
