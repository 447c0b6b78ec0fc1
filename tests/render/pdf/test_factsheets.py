"""Fact sheets: `build --fact-sheets` writes one short PDF per entry, read back with pypdf."""
from __future__ import annotations

import pypdf
from click.testing import CliRunner

from cli import main
from tests.helpers import ENTRY, write


def test_fact_sheet_per_entry(project):
    write(project, "entries/ke-second.yaml", ENTRY.replace("One-stop shops", "Mobile courts <b>x</b>")
          .replace("place: 1st", "place: 2nd"))
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--format", "html", "--fact-sheets"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    sheets = sorted((project / "output/fact-sheets").glob("*.pdf"))
    assert [p.name for p in sheets] == ["ke-one-stop.pdf", "ke-second.pdf"]
    reader = pypdf.PdfReader(sheets[1])
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Mobile courts <b>x</b>" in text  # markup typed into a field is printed as text
    assert "Fact sheet" in text and "Kenya" in text and "Start small" in text
    assert "One-stop shops" not in text  # only its own entry
    assert reader.metadata.title.startswith("Mobile courts")
    assert len(reader.pages) <= 4
    assert reader.page_labels == [str(n) for n in range(1, len(reader.pages) + 1)]  # a handout: folios from 1
    assert "fact-sheets" in result.output and "2 PDFs" in result.output
    # the site is still there beside them, and the manifest lists both
    assert (project / "output/html/index.html").exists()


def test_fact_sheets_are_reproducible(project, tmp_path):
    from compendium.output.build import build

    build(project, ["fact-sheets"], out_dir=tmp_path / "a")
    build(project, ["fact-sheets"], out_dir=tmp_path / "b")
    a = (tmp_path / "a/fact-sheets/ke-one-stop.pdf").read_bytes()
    assert a == (tmp_path / "b/fact-sheets/ke-one-stop.pdf").read_bytes()
