"""The sample edition and a fresh project validate cleanly through the real CLI."""
from __future__ import annotations

from click.testing import CliRunner

from cli import main
from tests.helpers import REPO


def test_sample_series_validates():
    result = CliRunner().invoke(main, ["validate", "--project", str(REPO)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_init_output_validates(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(tmp_path / "new")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["validate", "--project", str(tmp_path / "new")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
