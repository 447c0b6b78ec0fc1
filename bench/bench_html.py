#!/usr/bin/env python3
"""Benchmark the HTML renderer on synthetic editions (100 and 1,000 entries by default).

    python bench/bench_html.py [--sizes 100 1000] [--runs 3]

For each size it generates a project (bench/generate.py) and reports, as medians with the peak
memory of the child process:

- render only:  the HTML renderer alone (the Book already loaded), with an empty Markdown cache;
- build, cold:  `python cli.py build --format html --project DIR` after deleting the build cache;
- build, warm:  the same command again, with the cache of the previous build;
- build, one entry changed: the same, after a sentence more in one entry's summary (each run
  another sentence): the entry pages that do not show it are kept, not rendered (html/kept.py).

Validation of the output (Nu checker, axe) is not included: it is what the tests do.

    python bench/bench_html.py --corpus /tmp/c1000h [--runs 3]

times the same build side by side with MkDocs on the corpus's own peer input (`pip install mkdocs`;
the corpus comes from `python ../shared/corpus/gen_corpus.py 1000 /tmp/c1000h --seed 1`), in
alternation so that both meet the same machine load, and prints the ratio of the medians (target:
under 0.35x). "Cold" deletes the project's build cache; the web fonts come from the user's font
cache (cut once per set of characters, like the PDF's font instances), and one more run with an
empty font cache shows what a first build on a machine costs.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from _timing import measure, report  # noqa: E402


def render_only(project: Path) -> None:
    """Child process: load the Book, then time the HTML renderer alone; print the seconds as JSON."""
    from compendium.output.build import load_book
    from compendium.render.common import RenderContext
    from compendium.render.html import render

    book, _ = load_book(project)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = RenderContext(out_dir=Path(tmp) / "out", cache_dir=Path(tmp) / "cache")
        start = time.perf_counter()
        render(book, ctx)
        elapsed = time.perf_counter() - start
    import resource

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    print(json.dumps({"render_s": elapsed, "peak_mb": peak_mb, "entries": len(book.entries)}))


def edit_then_build(project: Path) -> None:
    """Child process: one entry's summary gets one sentence more (another each time), then this process
    becomes `cli.py build --format html` (so the timing is that of the build, plus a file write)."""
    import os

    entry = sorted((project / "entries").rglob("*.yaml"))[0]
    text = entry.read_text(encoding="utf-8")
    runs = text.count("Revised (")
    entry.write_text(text.replace("summary: |\n", f"summary: |\n  Revised ({runs}).\n", 1), encoding="utf-8")
    os.execv(sys.executable, [sys.executable, str(REPO / "cli.py"), "build", "--format", "html",
                              "--project", str(project)])


def _render_runs(project: Path, runs: int) -> dict:
    """The render time and peak memory each child measured itself (the whole child's peak)."""
    results = [json.loads(subprocess.run([sys.executable, __file__, "--render-only", str(project)],
                                         capture_output=True, text=True, check=True).stdout) for _ in range(runs)]
    times = [r["render_s"] for r in results]
    return {"median_s": statistics.median(times), "runs_s": times, "peak_mb": max(r["peak_mb"] for r in results)}


def side_by_side(corpus: Path, runs: int) -> None:
    """`build --format html` (cold project cache) against `mkdocs build` on the corpus, alternating."""
    import os

    mkdocs = corpus / "peers" / "mkdocs" / "mkdocs.yml"
    if not mkdocs.is_file() or shutil.which("mkdocs") is None:
        sys.exit(f"needs {mkdocs} (gen_corpus.py) and mkdocs on PATH (pip install mkdocs)")
    with tempfile.TemporaryDirectory(prefix="bench-html-") as tmp:
        out, site = Path(tmp) / "out", Path(tmp) / "mkdocs-site"
        cache = corpus / ".compendium-cache"
        ours = ["sh", "-c", f'rm -rf "{cache}" && exec "$0" "$@"', sys.executable, str(REPO / "cli.py"), "build",
                "--format", "html", "--project", str(corpus), "--output", str(out)]
        theirs = ["mkdocs", "build", "-q", "-f", str(mkdocs), "-d", str(site)]
        measure(ours, runs=1)  # fills the user's font cache, as any earlier build of this edition did
        mine, peer = {"runs_s": [], "peak_mb": 0.0}, {"runs_s": [], "peak_mb": 0.0}
        for _ in range(runs):
            for cmd, into in ((ours, mine), (theirs, peer)):
                r = measure(cmd, runs=1)
                into["runs_s"] += r["runs_s"]
                into["peak_mb"] = max(into["peak_mb"], r["peak_mb"] or 0.0)
        fonts_cold = measure(ours, runs=1, env={**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "xdg")})
    for r in (mine, peer):
        r["median_s"] = statistics.median(r["runs_s"])
    report([(f"compendium build --format html, {corpus.name}, cold build cache", mine),
            (f"mkdocs build, {corpus.name}", peer),
            ("compendium, first build on a machine (empty font cache)", fonts_cold)])
    print(f"\nratio compendium / mkdocs (medians): {mine['median_s'] / peer['median_s']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="a gen_corpus.py edition: time against MkDocs on it")
    parser.add_argument("--render-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--edit-then-build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render_only:
        render_only(args.render_only)
        return
    if args.edit_then_build:
        edit_then_build(args.edit_then_build)
        return
    if args.corpus:
        side_by_side(args.corpus.resolve(), args.runs)
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-html-") as tmp:
        for n in args.sizes:
            project = Path(tmp) / f"c{n}"
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(project)],
                           check=True, stdout=subprocess.DEVNULL)
            rows.append((f"html render only, {n} entries", _render_runs(project, args.runs)))
            build = [sys.executable, str(REPO / "cli.py"), "build", "--format", "html", "--project", str(project)]
            cache = project / ".compendium-cache"
            cold = ["sh", "-c", f'rm -rf "{cache}" && exec "$0" "$@"', *build]
            rows.append((f"cli build --format html, {n} entries, cold cache", measure(cold, runs=args.runs)))
            rows.append((f"cli build --format html, {n} entries, warm cache", measure(build, runs=args.runs)))
            edit = [sys.executable, __file__, "--edit-then-build", str(project)]
            rows.append((f"cli build --format html, {n} entries, one entry changed", measure(edit, runs=args.runs)))
            shutil.rmtree(project, ignore_errors=True)
    report(rows)


if __name__ == "__main__":
    main()
