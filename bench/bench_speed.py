#!/usr/bin/env python3
"""Issue 12's table: each build of the shared corpus side by side with its peer, ratios of medians.

    python bench/bench_speed.py                      # every row, 3 runs each
    python bench/bench_speed.py --only pdf100 first100 --runs 5
    python bench/bench_speed.py --work /tmp/speed --corpus ../shared/corpus

The content is `gen_corpus.py N DIR --seed 1` (100 and 1,000 entries, with the peers' inputs).
In each row ours and the peer run in alternation, run by run, so both meet the same load on a
shared machine; the ratio of their medians is what holds. Every command is a child process
(interpreter start included); CPU is user + system of the tree. Memory is the largest sum of the
PSS of the whole process tree (workers, pandoc), sampled every 50 ms in one more run of each
command: sampling takes up to a third of a core, which a build that keeps both cores busy would
lose and pandoc, on one core, would not, so the timed runs are not sampled.

rows (target):
  build100      whole `build --clean`, 100 entries   vs pandoc making the EPUB alone   (<= 1.5x, < 500 MB)
  pdf100        `build --format pdf --clean`, 100    vs rl_floor.py, a naive reportlab writer (<= 0.4x)
  first100      whole build with an empty font cache vs the same build with the cache (<= 2x)
  validate1000  `validate`, 1,000                    vs a bare yaml.CSafeLoader parse  (<= 5.5x)
  html1000      `build --format html --clean`, 1,000 vs `mkdocs build`                 (<= 0.2x)
  epub1000      `build --format epub --clean`, 1,000 vs pandoc making the EPUB alone
  pdf1000       `build --format pdf --clean`, 1,000  vs rl_floor.py
  build1000     whole `build --clean`, 1,000 (< 30 s, < 1 GB), then warm: one entry changed
                (< 25 % of cold)
"--clean" drops the project's build cache (display lists, pictures, chapters); the user's font
cache stays, as on any machine that built once (first100 measures the first build).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from _timing import run_tree  # noqa: E402
from bench_validate import BARE as BARE_PARSE  # noqa: E402

ROWS = ("build100", "pdf100", "first100", "validate1000", "html1000", "epub1000", "pdf1000", "build1000")


def find_corpus() -> Path | None:
    """shared/corpus beside the checkout or one of its parents (a worktree)."""
    return next((p / "shared" / "corpus" for p in REPO.parents if (p / "shared" / "corpus" / "gen_corpus.py").is_file()),
                None)


def pandoc() -> str:
    import pypandoc  # the pandoc the EPUB uses (pypandoc_binary ships it)

    return pypandoc.get_pandoc_path()


class Bench:
    def __init__(self, corpus: Path, work: Path, runs: int) -> None:
        self.corpus, self.work, self.runs = corpus, work, runs
        self.lines: list[str] = []

    def project(self, n: int) -> Path:
        root = self.work / f"c{n}"
        if not (root / "compendium.yaml").is_file():
            subprocess.run([sys.executable, str(self.corpus / "gen_corpus.py"), str(n), str(root), "--seed", "1"],
                           check=True, capture_output=True)
        return root

    def ours(self, *args: str) -> list[str]:
        return [sys.executable, str(REPO / "cli.py"), *args]

    def pair(self, name: str, mine: list[str], peer: list[str], peer_name: str, target: float | None = None,
             env: dict[str, str] | None = None, peer_cwd: str | None = None, runs: int | None = None,
             before: Callable[[], None] = lambda: None) -> float:
        """Time `mine` and `peer` in alternation; print both and the ratio of the medians.
        `before()` runs before each run of `mine` (to make it cold)."""
        a, b = [], []
        for _ in range(runs or self.runs):
            before()
            a.append(run_tree(mine, env=env, memory=False))
            b.append(run_tree(peer, cwd=peer_cwd, memory=False))
        before()
        a.append(_memory_run(mine, env=env))
        b.append(_memory_run(peer, cwd=peer_cwd))
        ratio = _median(a, "wall_s") / _median(b, "wall_s")
        goal = f" (target <= {target}x)" if target else ""
        self.say(f"{name}: {_fmt(a)}")
        self.say(f"  {peer_name}: {_fmt(b)}")
        cpu = _median(a, "cpu_s") / _median(b, "cpu_s")
        self.say(f"  ratio {ratio:.2f}x{goal}; CPU ratio {cpu:.2f}x (steadier than wall time on a loaded machine)")
        return ratio

    def say(self, line: str) -> None:
        print(line, flush=True)
        self.lines.append(line)

    # -- the rows ------------------------------------------------------------------------------

    def build100(self) -> None:
        root = self.project(100)
        self.pair("build --clean, 100 entries, all formats",
                  self.ours("build", "--clean", "--project", str(root), "-o", str(self.work / "o100")),
                  [pandoc(), "book.md", "-o", str(self.work / "pandoc100.epub"), "--toc"],
                  "pandoc peers/book.md -> EPUB", 1.5, peer_cwd=str(root / "peers"))

    def pdf100(self) -> None:
        root = self.project(100)
        self.pair("build --format pdf --clean, 100 entries",
                  self.ours("build", "--format", "pdf", "--clean", "--project", str(root), "-o", str(self.work / "p100")),
                  [sys.executable, str(self.corpus / "rl_floor.py"), str(root), str(self.work / "floor100.pdf")],
                  "rl_floor.py (naive reportlab writer, TOC by multiBuild)", 0.4)

    def first100(self) -> None:
        root = self.project(100)
        build = self.ours("build", "--clean", "--project", str(root), "-o", str(self.work / "f100"))
        cold, warm = [], []
        for _ in range(self.runs):
            with tempfile.TemporaryDirectory(prefix="empty-font-cache-") as empty:
                cold.append(run_tree(build, env={**os.environ, "XDG_CACHE_HOME": empty}, memory=False))
            warm.append(run_tree(build, memory=False))
        ratio = _median(cold, "wall_s") / _median(warm, "wall_s")
        self.say(f"first build (empty font cache), 100 entries, all formats: {_fmt(cold)}")
        self.say(f"  the same build with the font cache: {_fmt(warm)}")
        cpu = _median(cold, "cpu_s") / _median(warm, "cpu_s")
        self.say(f"  ratio {ratio:.2f}x (target <= 2x); CPU ratio {cpu:.2f}x")

    def validate1000(self) -> None:
        root = self.project(1000)
        validate = self.ours("validate", "--project", str(root))
        kept = root / ".compendium-cache" / "parsed.pickle"  # what the last validation or build read cleanly
        self.pair("validate, 1,000 entries (cold: no entry file kept)", validate,
                  [sys.executable, "-c", BARE_PARSE, str(root)], "bare yaml.CSafeLoader parse", 5.5,
                  before=lambda: kept.unlink(missing_ok=True))
        # what a build keeps of the entry files it read (load_book), which validate then uses
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
                        "from compendium.output.build import load_book; load_book(Path(sys.argv[2]))",
                        str(REPO), str(root)], check=True, capture_output=True)
        warm = [run_tree(validate, memory=False) for _ in range(self.runs)]
        self.say(f"  validate after a build, nothing changed since: {_fmt(warm)}")

    def html1000(self) -> None:
        root = self.project(1000)
        self.pair("build --format html --clean, 1,000 entries",
                  self.ours("build", "--format", "html", "--clean", "--project", str(root), "-o", str(self.work / "h1000")),
                  ["mkdocs", "build", "-q", "-f", str(root / "peers" / "mkdocs" / "mkdocs.yml"),
                   "-d", str(self.work / "mkdocs-site")], "mkdocs build", 0.2)

    def epub1000(self) -> None:
        root = self.project(1000)
        self.pair("build --format epub --clean, 1,000 entries",
                  self.ours("build", "--format", "epub", "--clean", "--project", str(root), "-o", str(self.work / "e1000")),
                  [pandoc(), "book.md", "-o", str(self.work / "pandoc1000.epub"), "--toc"],
                  "pandoc peers/book.md -> EPUB", peer_cwd=str(root / "peers"))

    def pdf1000(self) -> None:
        root = self.project(1000)
        self.pair("build --format pdf --clean, 1,000 entries",
                  self.ours("build", "--format", "pdf", "--clean", "--project", str(root), "-o", str(self.work / "p1000")),
                  [sys.executable, str(self.corpus / "rl_floor.py"), str(root), str(self.work / "floor1000.pdf")],
                  "rl_floor.py (naive reportlab writer, TOC by multiBuild)")

    def build1000(self) -> None:
        root = self.project(1000)
        entry = sorted((root / "entries").rglob("*.yaml"))[0]
        original = entry.read_text(encoding="utf-8")
        out = str(self.work / "o1000")
        cold, warm = [], []
        try:
            for r in range(self.runs + 1):  # the last run of each: memory (_memory_run)
                run = (lambda cmd: run_tree(cmd, memory=False)) if r < self.runs else _memory_run
                entry.write_text(original, encoding="utf-8")
                cold.append(run(self.ours("build", "--clean", "--project", str(root), "-o", out)))
                # one entry changed: a sentence more in its summary
                entry.write_text(original.replace("summary: |\n", f"summary: |\n  Revised ({r}).\n", 1), "utf-8")
                warm.append(run(self.ours("build", "--project", str(root), "-o", out)))
        finally:
            entry.write_text(original, encoding="utf-8")
        self.say(f"build --clean, 1,000 entries, all formats: {_fmt(cold)} (target < 30 s, < 1,000 MB)")
        self.say(f"  warm, one entry changed: {_fmt(warm)}")
        self.say(f"  warm / cold {_median(warm, 'wall_s') / _median(cold, 'wall_s'):.1%} (target < 25 %); "
                 f"CPU {_median(warm, 'cpu_s') / _median(cold, 'cpu_s'):.1%}")


def _memory_run(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> dict:
    """One more run of `cmd`, sampled for memory (run_tree's note): {"peak_mb"}, no time."""
    return {"peak_mb": run_tree(cmd, env=env, cwd=cwd, memory=True)["peak_mb"]}


def _timed(results: list[dict]) -> list[dict]:
    return [r for r in results if "wall_s" in r]


def _median(results: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in _timed(results))


def _fmt(results: list[dict]) -> str:
    walls = sorted(r["wall_s"] for r in _timed(results))
    peaks = [r["peak_mb"] for r in results if r.get("peak_mb") is not None]
    memory = f", peak {max(peaks):.0f} MB" if peaks else ""
    return (f"{_median(results, 'wall_s'):.2f} s (runs {', '.join(f'{w:.2f}' for w in walls)}), "
            f"CPU {_median(results, 'cpu_s'):.1f} s{memory}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", choices=ROWS, default=list(ROWS))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--corpus", type=Path, default=find_corpus(), help="the folder of gen_corpus.py and rl_floor.py")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "compendium-speed")
    args = ap.parse_args()
    if args.corpus is None:
        sys.exit("no shared/corpus found: pass --corpus DIR")
    args.work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args.corpus.resolve(), args.work.resolve(), args.runs)
    for row in args.only:
        getattr(bench, row)()
    print("\n" + "\n".join(bench.lines))


if __name__ == "__main__":
    main()
