#!/usr/bin/env python3
"""Time `compendium build --format pdf` against a naive reportlab writer on the same content, in one run.

    python bench/bench_pdf.py                      # 100 entries ×3 runs, 1,000 entries ×1 run
    python bench/bench_pdf.py --sizes 100 --runs 5
    python bench/bench_pdf.py --corpus ../shared/corpus --work /tmp/bench-pdf

The content is the shared synthetic corpus (`gen_corpus.py N DIR --seed 1 --no-peers`); the peer
is that folder's `rl_floor.py`, the minimal reportlab PDF with a table of contents resolved by
multiBuild (shared/DESIGN.md: ~122 s for 1,000 entries). Both run on the same machine in the
same session, so the ratio holds whatever the load. One warm-up build per size comes first: it
fills the user font cache (static Noto cuts, made once per machine); `--cold` also times a
build with an empty font cache (XDG_CACHE_HOME pointing at a fresh folder).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from _timing import measure, report  # noqa: E402


def find_corpus() -> Path | None:
    """The shared corpus folder (shared/corpus) beside the checkout or one of its parents."""
    for folder in REPO.parents:
        if (folder / "shared" / "corpus" / "gen_corpus.py").is_file():
            return folder / "shared" / "corpus"
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--runs", type=int, default=3, help="runs per size (1,000 entries and more: one run)")
    ap.add_argument("--corpus", type=Path, default=find_corpus(), help="the folder with gen_corpus.py and rl_floor.py")
    ap.add_argument("--work", type=Path, default=Path("/tmp/compendium-bench-pdf"))
    ap.add_argument("--cold", action="store_true", help="also time one build with an empty font cache")
    args = ap.parse_args()
    if args.corpus is None:
        sys.exit("no shared/corpus found: pass --corpus DIR")
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.sizes:
        root = args.work / f"c{n}"
        if not (root / "compendium.yaml").is_file():
            subprocess.run([sys.executable, str(args.corpus / "gen_corpus.py"), str(n), str(root), "--seed", "1",
                            "--no-peers"], check=True, capture_output=True)
        out = args.work / f"out{n}"
        ours = [sys.executable, str(REPO / "cli.py"), "build", "--format", "pdf", "--project", str(root), "-o", str(out)]
        peer = [sys.executable, str(args.corpus / "rl_floor.py"), str(root), str(args.work / f"floor{n}.pdf")]
        subprocess.run(ours, check=True, capture_output=True)  # warm-up: font cache
        runs = args.runs if n < 1000 else 1
        if args.cold:
            with tempfile.TemporaryDirectory() as empty:
                rows.append((f"compendium, empty font cache ({n} entries)",
                             measure(ours, 1, env={**os.environ, "XDG_CACHE_HOME": empty})))
            print(*rows[-1], sep="\n  ", flush=True)
        rows.append((f"compendium build --format pdf ({n} entries)", measure(ours, runs)))
        print(*rows[-1], sep="\n  ", flush=True)
        mine = rows[-1][1]["median_s"]
        rows.append((f"naive reportlab writer, rl_floor.py ({n} entries)", measure(peer, runs)))
        print(*rows[-1], sep="\n  ", flush=True)
        print(f"  ratio compendium / naive: {mine / rows[-1][1]['median_s']:.2f}", flush=True)
        pdf = next(out.glob("*.pdf"))
        print(f"  {pdf.name}: {pdf.stat().st_size / 1e6:.1f} MB", flush=True)
    print()
    report(rows)


if __name__ == "__main__":
    main()
