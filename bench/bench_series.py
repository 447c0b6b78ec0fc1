"""Benchmark: a series of 10 editions × 100 entries, built cold and warm (one entry of one edition changed).

    python bench/bench_series.py [--runs 3] [--workdir DIR] [--format F]... [--no-retrospective]

The content is `../shared/corpus/gen_corpus.py 1000 DIR --years 2003-2012` (seed 1): entries of ten
award years, arranged here as a series (bench/series/compendium.yaml: the corpus's settings shared,
one folder per year holding `edition: <year>` and that year's entries) with a retrospective of
2003–2011, the book of the past years an editor publishes while the current edition is prepared.

Cold: no cache and no output. Warm: after a cold build, one entry's summary gets one more sentence
— in 2012, the edition being edited (outside the retrospective), and, as a second case, in 2005
(inside it: its edition and the 900-entry retrospective are rendered again). Wall time (median of
`--runs`), the CPU time of the whole process tree (user + system: on a machine others share, the
wall time grows with their load while the CPU time does not; divided by the cores it is the wall
time an idle machine would need at best) and its peak memory (PSS). Targets (2 cores): cold < 60 s,
warm < 15 s.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_build import run  # noqa: E402

REPO = HERE.parent
GENERATOR = REPO.parent / "shared" / "corpus" / "gen_corpus.py"
YEARS = range(2003, 2013)


def corpus(work: Path) -> Path:
    """The corpus of ten years (made once; the generator is deterministic)."""
    folder = work / "corpus"
    if not (folder / "compendium.yaml").is_file():
        subprocess.run([sys.executable, str(GENERATOR), "1000", str(folder), "--years", "2003-2012", "--no-peers"],
                       check=True, stdout=subprocess.DEVNULL)
    return folder


def arrange(source: Path, target: Path, retrospective: bool) -> Path:
    """The corpus as a series: its compendium.yaml shared (without `edition:`), a folder per year."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shared = "".join(line for line in (source / "compendium.yaml").read_text(encoding="utf-8").splitlines(True)
                     if not line.startswith("edition:"))
    shared += f"editions: [{', '.join(map(str, YEARS))}]\n"
    if retrospective:
        shared += ("retrospectives:\n  - id: winners-2003-2011\n    title: Winners 2003–2011\n"
                   "    years: 2003-2011\n    group_by: [theme, year]\n")
    (target / "compendium.yaml").write_text(shared, encoding="utf-8")
    for year in YEARS:
        (target / str(year)).mkdir()
        (target / str(year) / "compendium.yaml").write_text(f"edition: {year}\n", encoding="utf-8")
        shutil.copytree(source / "entries" / str(year), target / str(year) / "entries")
    return target


def touch(series: Path, year: int, run_no: int) -> None:
    """One more sentence in the summary of the first entry of `year`."""
    entry = sorted((series / str(year) / "entries").rglob("*.yaml"))[0]
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("summary: |\n", f"summary: |\n  Revision {run_no}.\n", 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/compendium-bench-series"))
    parser.add_argument("--format", action="append", default=[], help="formats to build (default: all)")
    parser.add_argument("--no-retrospective", action="store_true")
    args = parser.parse_args()
    series = arrange(corpus(args.workdir), args.workdir / "series", not args.no_retrospective)
    cmd = [sys.executable, str(REPO / "cli.py"), "build", "--project", str(series)]
    cmd += [f"--format={f}" for f in args.format]
    print(f"{'series build (10 × 100 entries)':<44}{'median s':>10}{'min s':>8}{'max s':>8}{'cpu s':>8}"
          f"{'peak MB':>10}", flush=True)
    cases = [("cold", None), ("warm, one 2012 entry changed", 2012), ("warm, one 2005 entry changed", 2005)]
    for label, year in cases:
        times, peaks, cpus = [], [], []
        for r in range(args.runs):
            if year is None:
                shutil.rmtree(series / ".compendium-cache", ignore_errors=True)
                shutil.rmtree(series / "output", ignore_errors=True)
            else:
                touch(series, year, r)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall, peak = run(cmd)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append(wall)
            peaks.append(peak)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        print(f"{label:<44}{statistics.median(times):>10.2f}{min(times):>8.2f}{max(times):>8.2f}"
              f"{statistics.median(cpus):>8.1f}{max(peaks):>10.0f}", flush=True)


if __name__ == "__main__":
    main()
