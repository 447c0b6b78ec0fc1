#!/usr/bin/env python3
"""Benchmark the EPUB renderer against pandoc alone, side by side in one run.

    python bench/bench_epub.py [--sizes 100 1000] [--runs 3] [--work /tmp/bench-epub] [--corpus DIR]

For each size N it generates a synthetic project (bench/generate.py N; with --corpus, the shared
corpus: DIR/gen_corpus.py N --seed 1), then times:

  ours cold            `python cli.py build --format epub` (validate, group, layout, pandoc, re-pack)
                       with the EPUB's own caches emptied before each run (the kept entries and
                       pandoc output); one warm-up build first, so the font subsets and image
                       copies are cached
  ours warm, 1 edit    the same build after one entry's summary changed (pandoc converts that entry)
  ours warm, no edit   the same build again, nothing changed
  pandoc md→epub       pandoc alone, converting the same content from one Markdown file (generated
                       here from the same Book: parts, chapters, entries, metadata lines, images)
  pandoc ourjson→epub  pandoc alone on the JSON AST our renderer hands it (text runs as long Str)
  pandoc wordjson→epub the same AST with every Str split into words (pandoc's own shape), to show
                       what feeding long text runs saves

Medians over --runs runs and the peak resident memory of each command (its largest process).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from _timing import ensure_project, measure, report  # noqa: E402

from compendium.model import SECTION_TITLES, Book  # noqa: E402
from compendium.output.build import load_book  # noqa: E402
from compendium.render import epub  # noqa: E402
from compendium.render.common import RenderContext  # noqa: E402
from compendium.render.epub.chapters import FOLDER as CHAPTERS  # noqa: E402
from compendium.render.epub.kept_entries import FOLDER as ENTRIES  # noqa: E402


def measured(cmd: list[str], runs: int, before) -> dict:
    """measure(cmd) one run at a time, calling before() ahead of each (not timed)."""
    results = []
    for _ in range(runs):
        before()
        results.append(measure(cmd, 1))
    times = [r["runs_s"][0] for r in results]
    peaks = [r["peak_mb"] for r in results if r["peak_mb"] is not None]
    return {"median_s": sorted(times)[len(times) // 2], "runs_s": times, "peak_mb": max(peaks) if peaks else None}


def forget_epub(root: Path) -> None:
    """Empty the EPUB's own caches (kept entries, kept pandoc output): the next build is cold for pandoc."""
    for folder in (root / ".compendium-cache").rglob("*"):
        if folder.name in (CHAPTERS, ENTRIES) and folder.is_dir():
            shutil.rmtree(folder)


def edit_one(root: Path) -> None:
    """One entry's summary gains a sentence (another each time)."""
    path = sorted((root / "entries").rglob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("summary: |\n", f"summary: |\n  Edited {os.urandom(4).hex()}.\n", 1), encoding="utf-8")


def book_markdown(book: Book) -> str:
    """The book as one pandoc Markdown file (trusted synthetic content: pasting is fine here)."""
    ed = book.edition
    out = ["---", f"title: {json.dumps(ed.title)}", f"lang: {ed.language}", "---", ""]
    for part in book.parts:
        out += [f"# {part.title}", "", part.description, ""]
        for chapter in part.chapters:
            out += [f"## {chapter.title}", ""]
            for e in chapter.entries:
                lang = f" lang={e.language} dir={e.dir}" if e.language else ""
                out += [f"### {e.title} {{#e-{e.id}{lang}}}", "",
                        f"**Country:** {e.country.name}  ", f"**Region:** {e.region}  ",
                        f"**Institution:** {e.institution}  ", f"**Category:** {e.theme.name}  ",
                        f"**Award:** {e.place_label}", "", e.summary, ""]
                out += [f"![{i.caption or i.alt}]({i.path})" for i in e.images] + [""]
                for key, text in e.sections:
                    out += [f"#### {SECTION_TITLES[key]}", "", text, ""]
                if e.partners:
                    out += ["**Partners:** " + "; ".join(e.partners), ""]
                if e.website:
                    out += [f"**Website:** <{e.website}>", ""]
    return "\n".join(out)


def split_words(node):
    """pandoc's own shape: one Str per word, Space between (recursively, in every inline list)."""
    if isinstance(node, list):
        out = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Str" and " " in item["c"]:
                words = item["c"].split(" ")
                for i, w in enumerate(words):
                    if i:
                        out.append({"t": "Space"})
                    if w:
                        out.append({"t": "Str", "c": w})
            else:
                out.append(split_words(item))
        return out
    if isinstance(node, dict):
        return {k: split_words(v) for k, v in node.items()}
    return node


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-epub")
    ap.add_argument("--skip-variants", action="store_true", help="time only ours and pandoc md→epub")
    ap.add_argument("--corpus", type=Path, help="the folder of gen_corpus.py (../shared/corpus): its projects")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1325376000"}
    rows = []
    for n in args.sizes:
        if args.corpus:
            root = args.work / f"corpus{n}"
            if not (root / "compendium.yaml").is_file():
                subprocess.run([sys.executable, str(args.corpus / "gen_corpus.py"), str(n), str(root), "--seed", "1"],
                               check=True, stdout=subprocess.DEVNULL)
        else:
            root = ensure_project(n, args.work)
        out = args.work / f"out{n}"
        cli = [sys.executable, str(REPO / "cli.py"), "build", "--format", "epub",
               "--project", str(root), "-o", str(out)]
        subprocess.run(cli, check=True, capture_output=True)  # warm-up: fills the font and image caches
        cold = measured(cli, args.runs, lambda root=root: forget_epub(root))
        rows.append((f"ours cold: compendium build --format epub ({n})", cold))
        print(*rows[-1], sep="\n  ", flush=True)
        subprocess.run(cli, check=True, capture_output=True)
        rows.append((f"ours warm, one entry changed ({n})", measured(cli, args.runs, lambda root=root: edit_one(root))))
        print(*rows[-1], sep="\n  ", flush=True)
        rows.append((f"ours warm, nothing changed ({n})", measure(cli, args.runs)))
        print(*rows[-1], sep="\n  ", flush=True)

        book, _ = load_book(root)
        md = args.work / f"book{n}.md"
        md.write_text(book_markdown(book), encoding="utf-8")
        pandoc = epub.pandoc_binary()
        base = ["--split-level=3", "--toc-depth=3", "--wrap=none", f"--resource-path={root}"]
        cmd = [pandoc, str(md), "--from=markdown", "--to=epub3", f"--output={args.work / 'md.epub'}", *base]
        rows.append((f"pandoc alone: one Markdown file → epub ({n})", measure(cmd, args.runs, env=env)))
        print(*rows[-1], sep="\n  ", flush=True)

        if args.skip_variants:
            continue
        work = args.work / f"json{n}"
        work.mkdir(exist_ok=True)
        ctx = RenderContext(out_dir=work, cache_dir=root / ".compendium-cache")
        pandoc_args, _ = epub.prepare(book, ctx, work)
        cmd = [*pandoc_args, f"--output={work / 'ours.epub'}"]
        rows.append((f"pandoc alone: our JSON AST → epub ({n})", measure(cmd, args.runs, env=env)))
        print(*rows[-1], sep="\n  ", flush=True)
        source = work / "book.json"
        words = work / "words.json"
        words.write_text(json.dumps(split_words(json.loads(source.read_text("utf-8"))), ensure_ascii=False), "utf-8")
        cmd = [re.sub(r"book\.json$", "words.json", a) for a in pandoc_args] + [f"--output={work / 'words.epub'}"]
        rows.append((f"pandoc alone: word-per-Str JSON → epub ({n})", measure(cmd, args.runs, env=env)))
        print(*rows[-1], sep="\n  ", flush=True)
    print()
    report(rows)


if __name__ == "__main__":
    main()
