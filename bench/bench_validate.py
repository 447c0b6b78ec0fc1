"""Benchmark: time `compendium validate` on synthetic editions (target: 1,000 entries < 1.0 s).

    python bench/bench_validate.py [--sizes 100 1000] [--runs 5]

Generates the projects with bench/generate.py into a temporary folder (or reuses --workdir),
then runs the real command line and reports medians and peak memory.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _timing import ensure_project, measure, report, size_args  # noqa: E402

REPO = HERE.parent




def main() -> None:
    args = size_args(__doc__.splitlines()[0], runs=5)
    rows = []
    for n in args.sizes:
        project = ensure_project(n, args.workdir)
        cmd = [sys.executable, str(REPO / "cli.py"), "validate", "--project", str(project)]
        rows.append((f"validate {n} entries", measure(cmd, runs=args.runs)))
    report(rows)


if __name__ == "__main__":
    main()
