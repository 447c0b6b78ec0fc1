"""The layout's two rules that a linter cannot hold: the library never imports Click (every
compendium.* module imports without it), and no test file imports another test file."""
from __future__ import annotations

import ast
import json
import subprocess
import sys

from tests.helpers import REPO

IMPORT_ALL = """
import importlib, json, pkgutil, sys
import compendium
names = sorted(m.name for m in pkgutil.walk_packages(compendium.__path__, "compendium.")
               if m.name not in ("compendium.__main__", "compendium.cli"))  # the command line itself
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "click": sorted(m for m in sys.modules if m.split(".")[0] == "click")}))
"""


def test_no_module_of_the_library_imports_click():
    proc = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr  # every module imports
    found = json.loads(proc.stdout)
    assert {"compendium.output.build", "compendium.render.pdf", "compendium.workers"} <= set(found["modules"])
    assert found["click"] == [], "a compendium.* module imports click: only cli.py may"


def test_test_files_import_no_other_test_file():
    tests = REPO / "tests"
    found = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):  # `from .x import` counts as tests.x
                names = ["tests." + (node.module or "") if node.level else node.module or ""]
            else:
                continue
            found += [(path.relative_to(REPO).as_posix(), name) for name in names
                      if name.split(".")[0] == "tests" and name.split(".")[-1].startswith(("test_", "conftest"))]
    assert found == [], "share fixtures in tests/conftest.py and code in tests/helpers.py, not in test files"
