"""SUBMITTING.md and the command line agree: its steps run as written, its filled-in entry
validates without a word, and every common mistake it shows makes `compendium validate` print
the very line it quotes (so the page is a transcript, kept true by this test)."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from tests.helpers import REPO

PAGE = (REPO / "SUBMITTING.md").read_text(encoding="utf-8")
ENTRY = "entries/service-delivery/ke-huduma-centres.yaml"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def section(title: str) -> str:
    return PAGE.split(f"\n## {title}")[1].split("\n## ")[0]


def example() -> str:
    return re.search(r"```yaml\n(.*?)```", section("A filled-in entry"), re.DOTALL).group(1)


def mistakes() -> list[tuple[str, str]]:
    """(what was typed, the line validate prints) for every mistake the page shows."""
    found = re.findall(r"```yaml\n(.*?)```\s*```text\n(.*?)\n```", section("Common mistakes, and what `validate` says"),
                       re.DOTALL)
    assert len(found) >= 18
    return found


def typed_into(entry: str, snippet: str) -> str:
    """The entry with the key the snippet starts with (at any indentation) replaced by the snippet,
    its whole block (the lines indented under it) too; a snippet starting with '---' follows it."""
    if snippet.startswith("---"):
        return entry + snippet
    key = re.match(r"^[\s\u00a0]*([^:\s\u00a0]+)[\s\u00a0]*:", snippet).group(1)
    lines = entry.splitlines(keepends=True)
    for i, line in enumerate(lines):
        m = re.match(rf"^( *){re.escape(key)}:", line)
        if m:
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip(" ")) > len(m[1])):
                j += 1
            return "".join(lines[:i]) + snippet + "".join(lines[j:])
    return entry + snippet


@pytest.fixture(scope="module")
def awards(tmp_path_factory) -> Path:
    """The project an editor made (`init --year 2014`), with the page's picture in place."""
    from PIL import Image

    root = tmp_path_factory.mktemp("submitting") / "awards"
    assert run("init", root, "--year", "2014").exit_code == 0
    (root / "entries/service-delivery/images").mkdir(parents=True)
    Image.new("RGB", (1200, 800), (40, 90, 140)).save(root / "entries/service-delivery/images/huduma-centre.jpg")
    return root


def test_the_steps_run_as_written(awards, monkeypatch):
    block = re.search(r"```sh\n(.*?)```", section("Steps"), re.DOTALL).group(1)
    lines = [line for line in block.splitlines() if line.strip()]
    monkeypatch.chdir(awards)
    command = next(line for line in lines if line.startswith("compendium new-entry"))
    result = run(*shlex.split(command)[1:])
    assert result.exit_code == 0, result.output
    shown = next(line for line in lines if "created " in line).split("#", 1)[1].strip()
    assert result.stdout.splitlines()[0] == shown
    validated = run("validate", ENTRY)
    assert validated.exit_code == 0, validated.output
    assert "[entry.placeholder]" in validated.stdout  # the template's text is still to be replaced
    (awards / ENTRY).unlink()


def test_the_filled_in_entry_validates_without_a_word(awards, monkeypatch):
    monkeypatch.chdir(awards)
    (awards / ENTRY).write_text(example(), encoding="utf-8")
    result = run("validate", "--strict", ENTRY)
    assert result.exit_code == 0 and result.stdout == "2 files checked: no problems found\n", result.output


@pytest.mark.parametrize("typed, said", mistakes(), ids=lambda v: v.split(":")[0][:30])
def test_each_common_mistake_prints_the_line_the_page_quotes(awards, monkeypatch, typed, said):
    monkeypatch.chdir(awards)
    (awards / ENTRY).write_text(typed_into(example(), typed), encoding="utf-8")
    result = run("validate", ENTRY)
    assert "Traceback" not in result.output
    assert result.stdout.splitlines()[0] == said
    assert result.exit_code == (0 if ": warning: " in said else 1)
