"""The real formats through one build: cached, warm and clean builds give byte-identical output,
and the manifest describes exactly the files on disk."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from compendium.output.build import build
from compendium.render import default_formats
from tests.helpers import copy_sample


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("sample"))


def test_cached_and_clean_builds_are_identical(sample, tmp_path):
    formats = default_formats()
    assert "html" in formats and "pdf" in formats
    # --clean: every text and picture converted afresh (the same path as a first build, which a
    # third build with --clean over a full cache used to repeat for 10 s)
    build(sample, formats, out_dir=tmp_path / "cold", clean=True)
    assert (sample / ".compendium-cache").is_dir()
    build(sample, formats, out_dir=tmp_path / "warm")  # reuses the cache of the first build
    cold = snapshot(tmp_path / "cold")
    assert cold == snapshot(tmp_path / "warm")
    manifest = json.loads((tmp_path / "cold/manifest.json").read_text())
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed == {k: v for k, v in cold.items() if k != "manifest.json"}
    assert set(manifest["formats"]) == set(formats)


def test_one_changed_entry_changes_only_what_depends_on_it(sample, tmp_path):
    build(sample, ["html"], out_dir=tmp_path / "out")
    before = snapshot(tmp_path / "out")
    entry = sample / "entries/service-delivery/es-060-network.yaml"
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("summary: |\n", "summary: |\n  A new first sentence.\n", 1), encoding="utf-8")
    try:
        build(sample, ["html"], out_dir=tmp_path / "out")
    finally:
        entry.write_text(text, encoding="utf-8")
    after = snapshot(tmp_path / "out")
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert "html/entries/2012-es-060-network.html" in changed
    assert "html/entries/2012-kr-integrity-assessment.html" not in changed
    assert not any(k.startswith("html/assets/img/") for k in changed)  # pictures are untouched
