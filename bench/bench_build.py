"""Benchmark: the whole `compendium build` (HTML, EPUB, PDF) cold and warm, with peak memory.

    python bench/bench_build.py [--sizes 100 1000] [--runs 3] [--workdir DIR]

Cold: no cache folder and no output. Warm: the previous build's cache and output are there and one
entry changed (its summary gets one more sentence). Times come from unsampled runs; peak memory (the
largest sum of the proportional set size, PSS, of the build's whole process tree, workers and pandoc
included, sampled every 50 ms) from one more run of each kind: sampling takes up to a third of a core.
Targets (2 cores): 100 entries cold < 6 s; 1,000 cold < 60 s and warm < 45 s; peak < 500 MB at 100
and < 2 GB at 1,000.
"""
from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _timing import ensure_project, run_tree, size_args  # noqa: E402

REPO = HERE.parent


def run(cmd: list[str], memory: bool) -> tuple[float, float | None]:
    """(wall seconds, peak MB of the process tree or None) of one run; raises when the command fails."""
    r = run_tree(cmd, memory=memory)
    return r["wall_s"], r["peak_mb"]


def touch_one_entry(project: Path, run_no: int) -> None:
    entry = sorted((project / "entries").rglob("*.yaml"))[0]
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("summary: |\n", f"summary: |\n  Revision {run_no}.\n", 1), encoding="utf-8")


def main() -> None:
    args = size_args(__doc__.splitlines()[0], runs=3)
    print(f"{'build':<28}{'median s':>10}{'min s':>8}{'max s':>8}{'peak MB':>10}")
    for n in args.sizes:
        project = ensure_project(n, args.workdir)
        cmd = [sys.executable, str(REPO / "cli.py"), "build", "--project", str(project)]
        for kind in ("cold", "warm"):
            times, peaks = [], []
            for r in range(args.runs + 1):  # the last run: memory only
                if kind == "cold":
                    shutil.rmtree(project / ".compendium-cache", ignore_errors=True)
                    shutil.rmtree(project / "output", ignore_errors=True)
                else:
                    touch_one_entry(project, r)
                wall, peak = run(cmd, memory=r == args.runs)
                if r < args.runs:
                    times.append(wall)
                else:
                    peaks.append(peak)
            label = f"{n} entries, {kind}"
            print(f"{label:<28}{statistics.median(times):>10.2f}{min(times):>8.2f}{max(times):>8.2f}{max(peaks):>10.0f}",
                  flush=True)


if __name__ == "__main__":
    main()
