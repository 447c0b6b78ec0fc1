#!/usr/bin/env python3
"""Time `compendium build --format pdf` on synthetic editions (medians and peak memory).

    python bench/bench_pdf.py                      # 100 entries ×3 runs, 1,000 entries ×1 run
    python bench/bench_pdf.py --sizes 100 --runs 5
    python bench/bench_pdf.py --work /tmp/bench-pdf

Projects are generated with bench/generate.py (seed 0) into --work and reused. One warm-up
build per size comes first: it fills the user font cache (static Noto instances, made once per
machine) so that the timed runs measure the PDF build itself. Targets (issue 5): 100 entries
under 5 s, 1,000 under 40 s wall on 2 cores, peak memory under 1 GB.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from _timing import ensure_project, measure, report  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--runs", type=int, default=3, help="runs per size (1,000 entries and more: one run)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/compendium-bench-pdf"))
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.sizes:
        root = ensure_project(n, args.work)
        out = args.work / f"out{n}"
        cli = [sys.executable, str(REPO / "cli.py"), "build", "--format", "pdf", "--project", str(root), "-o", str(out)]
        subprocess.run(cli, check=True, capture_output=True)  # warm-up: font cache
        runs = args.runs if n < 1000 else 1
        rows.append((f"compendium build --format pdf ({n} entries)", measure(cli, runs)))
        print(*rows[-1], sep="\n  ", flush=True)
        pdf = next(out.glob("*.pdf"))
        print(f"  {pdf.name}: {pdf.stat().st_size / 1e6:.1f} MB", flush=True)
    print()
    report(rows)


if __name__ == "__main__":
    main()
