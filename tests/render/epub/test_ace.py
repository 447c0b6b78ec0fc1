"""Ace by DAISY, the publishing industry's EPUB accessibility checker, finds no violation in the sample
edition, the test editions (every Markdown feature, hostile fields, Arabic and Chinese entries), a
one-entry book and a book in Arabic, and reports the accessibility metadata as present; EpubCheck
finds nothing in the same books.

Ace runs on Chromium through puppeteer. Install it as .ci/run does:
    npm install --ignore-scripts --prefix .tools/ace @daisy/ace-cli
(its Electron download fails here and is not needed; Debian's chromium is used).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from compendium.output.build import load_book
from tests.helpers import CHROMIUM, REPO, SAMPLE, arabic_project, build_epub, epubcheck
from tests.render.epub.editions import make_project

pytestmark = pytest.mark.slow

ACE = REPO / ".tools" / "ace" / "node_modules" / ".bin" / "ace-cli"


def ace_command() -> list[str]:
    """The ace-cli command, or a skip naming the install command."""
    if ACE.is_file():
        return [str(ACE)]
    found = shutil.which("ace-cli") or shutil.which("ace")
    if found:
        return [found]
    if shutil.which("npm") is None:
        pytest.skip("Ace by DAISY needs Node.js and npm (apt-get install -y npm)")
    pytest.skip("Ace by DAISY is not installed: npm install --ignore-scripts --prefix .tools/ace @daisy/ace-cli")


def ace(epub: Path, out: Path) -> dict:
    """Run Ace on `epub` and return its JSON report (report.json)."""
    command = ace_command()
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"Ace needs Chromium at {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
    proc = subprocess.run([*command, "--force", "--silent", "--outdir", str(out), str(epub)], env=env,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    report = out / "report.json"
    assert report.is_file(), f"Ace wrote no report (exit {proc.returncode}): {proc.stderr[-2000:]}"
    return json.loads(report.read_text(encoding="utf-8"))


def violations(report: dict) -> list[str]:
    return [f"{a['earl:testSubject']['url']}: {x['earl:test']['dct:title']} ({x['earl:test']['earl:impact']}): "
            f"{x['earl:result'].get('html', '')[:200]}"
            for a in report["assertions"] for x in a["assertions"]]


def check(root: Path, tmp_path: Path) -> dict:
    book, _ = load_book(root)
    path, _ = build_epub(book, tmp_path / "out", tmp_path / "cache")
    assert epubcheck(path) == []  # and EpubCheck stays clean on the same book
    report = ace(path, tmp_path / "ace")
    assert violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    meta = report["a11y-metadata"]
    assert meta["empty"] == []
    assert {"schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
            "schema:accessibilitySummary", "schema:accessModeSufficient"} <= set(meta["present"])
    # no conformance claim without an outside body that checked it (`accessibility_certifier`)
    assert ("dcterms:conformsTo" in meta["present"]) == bool(book.edition.accessibility_certifier)
    return report


def test_sample_edition(tmp_path):
    check(SAMPLE, tmp_path)


def test_edition_with_every_feature_and_hostile_fields(tmp_path):
    check(make_project(tmp_path / "project"), tmp_path)


def test_one_entry_edition(project, tmp_path):
    check(project, tmp_path)


def test_edition_in_arabic(tmp_path):
    report = check(arabic_project(tmp_path / "project"), tmp_path)
    assert report["earl:testSubject"]["metadata"]["dc:language"] == "ar"
