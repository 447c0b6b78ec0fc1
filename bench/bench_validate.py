"""Benchmark: `compendium validate` against a bare C YAML parse of the same files, in one run.

    python bench/bench_validate.py [--sizes 100 1000] [--runs 5] [--corpus]

Times the real command line on synthetic editions and, alternating with it in the same run, a
bare `yaml.CSafeLoader` parse of the same entry files (a child process too, so both pay the
interpreter's start): the ratio holds on a noisy machine. Target: 1,000 entries of
`../shared/corpus` (`--corpus`) in at most 5.5× the bare parse. Without `--corpus` the projects
come from bench/generate.py.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _timing import ensure_project, measure, report, size_args  # noqa: E402

REPO = HERE.parent
# ../shared/corpus beside the checkout (or beside a folder above it, for a git worktree)
CORPUS = next((p / "shared" / "corpus" / "gen_corpus.py" for p in REPO.parents
               if (p / "shared" / "corpus" / "gen_corpus.py").is_file()), REPO.parent / "shared/corpus/gen_corpus.py")
TARGET = 5.5
BARE = """\
import os, sys, yaml
for folder, _, files in os.walk(os.path.join(sys.argv[1], "entries")):
    for name in files:
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(folder, name), "rb") as f:
                yaml.load(f, Loader=yaml.CSafeLoader)
"""


def corpus_project(n: int, work: Path) -> Path:
    """`n` entries of ../shared/corpus (seed 1, no peer inputs), generated once into work/corpus-<n>."""
    root = work / f"corpus-{n}"
    if not (root / "compendium.yaml").is_file():
        subprocess.run([sys.executable, str(CORPUS), str(n), str(root), "--seed", "1", "--no-peers"], check=True,
                       stdout=subprocess.DEVNULL)
    return root


def main() -> None:
    args = size_args(__doc__.splitlines()[0], runs=5, extra=[("--corpus", "1,000 entries of ../shared/corpus")])
    rows = []
    for n in args.sizes:
        project = corpus_project(n, args.workdir) if args.corpus else ensure_project(n, args.workdir)
        ours = [sys.executable, str(REPO / "cli.py"), "validate", "--project", str(project)]
        bare = [sys.executable, "-c", BARE, str(project)]
        mine, theirs = [], []
        for _ in range(args.runs):  # alternate, so both see the same machine
            mine.append(measure(ours, runs=1))
            theirs.append(measure(bare, runs=1))
        validate = _median(mine)
        parse = _median(theirs)
        rows.append((f"validate {n} entries", validate))
        rows.append((f"bare CSafeLoader parse, {n} entries", parse))
        ratio = validate["median_s"] / parse["median_s"]
        best = min(validate["runs_s"]) / min(parse["runs_s"])
        print(f"{n} entries: validate / bare parse = {ratio:.2f}x by medians, {best:.2f}x by best runs "
              f"(target <= {TARGET}x)")
    report(rows)


def _median(results: list[dict]) -> dict:
    times = sorted(r["median_s"] for r in results)
    peaks = [r["peak_mb"] for r in results if r["peak_mb"] is not None]
    return {"median_s": times[len(times) // 2], "runs_s": times, "peak_mb": max(peaks) if peaks else None}


if __name__ == "__main__":
    main()
