"""Shared fixtures: small projects written into tmp_path."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

EDITION = """\
title: Test Awards
edition: 2012
themes:
  - id: service-delivery
    name: Improving the Delivery of Public Services
  - id: knowledge-management
    name: Advancing Knowledge Management in Government
"""

ENTRY = """\
year: 2012
title: "One-stop shops"
country: KE
institution: Ministry of Public Service
category: service-delivery
place: 1st
summary: |
  A short **summary**.
sections:
  problem: |
    Queues.
  solution: |
    One window.
  impact: |
    Shorter queues.
  lessons: |
    Start small.
"""


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A valid project with one entry (entries/ke-one-stop.yaml)."""
    write(tmp_path, "compendium.yaml", EDITION)
    write(tmp_path, "entries/ke-one-stop.yaml", ENTRY)
    return tmp_path
