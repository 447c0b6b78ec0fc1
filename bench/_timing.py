"""Tiny timing helpers shared by the bench scripts.

    from _timing import measure, report
    rows = [("build 1000", measure(["python", "-m", "compendium", "build", "/tmp/c1000"]))]
    report(rows)

measure() runs the command as a child process and reaps it with os.wait4, which
returns that one child's resource usage (ru_maxrss covers the child and any
descendants it waited for) — unlike resource.getrusage(RUSAGE_CHILDREN), whose
ru_maxrss is the maximum over every child this process has ever reaped.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence


def _maxrss_mb(ru_maxrss: int) -> float:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def _run_once(cmd: Sequence[str], env: Mapping[str, str] | None, cwd: str | None) -> tuple[float, float | None]:
    """Run cmd once; return (wall seconds, peak RSS in MB or None). Raises on failure."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        if hasattr(os, "wait4"):
            _, status, rusage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen the child is reaped
            peak = _maxrss_mb(rusage.ru_maxrss)
        else:  # no wait4 (Windows): time only
            proc.wait()
            elapsed = time.perf_counter() - t0
            peak = None
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"command failed with exit code {proc.returncode}: {' '.join(cmd)}\n{tail}")
    return elapsed, peak


def measure(cmd: list[str], runs: int = 3, env=None, *, cwd: str | None = None) -> dict:
    """Run `cmd` `runs` times (stdout discarded, stderr shown if it fails).

    Returns {"median_s": float, "runs_s": [float, ...], "peak_mb": float | None},
    peak_mb being the largest peak resident set size of the child over the runs.
    `env`, if given, replaces the environment (pass {**os.environ, ...} to extend it).
    """
    if runs < 1:
        raise ValueError("runs must be >= 1")
    times: list[float] = []
    peaks: list[float] = []
    for _ in range(runs):
        elapsed, peak = _run_once(cmd, env, cwd)
        times.append(elapsed)
        if peak is not None:
            peaks.append(peak)
    return {
        "median_s": statistics.median(times),
        "runs_s": times,
        "peak_mb": max(peaks) if peaks else None,
    }


def report(rows: list[tuple[str, dict]]) -> None:
    """Print an aligned table: name, median, min, max, runs, peak memory."""
    header = ("benchmark", "median s", "min s", "max s", "runs", "peak MB")
    table = [header]
    for name, r in rows:
        runs = r["runs_s"]
        peak = r.get("peak_mb")
        table.append((
            name,
            f"{r['median_s']:.3f}",
            f"{min(runs):.3f}",
            f"{max(runs):.3f}",
            str(len(runs)),
            "-" if peak is None else f"{peak:.1f}",
        ))
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def ensure_project(n: int, work: "os.PathLike[str] | str") -> "Path":  # noqa: F821 (imported below)
    """A synthetic project of `n` entries in work/c<n>, generated once (seed 0) and then reused."""
    from pathlib import Path

    root = Path(work) / f"c{n}"
    if not (root / "compendium.yaml").is_file():
        subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "generate.py"), str(n), str(root),
                        "--force"], check=True, stdout=subprocess.DEVNULL)
    return root


def size_args(description: str, runs: int, extra: list[tuple[str, str]] = ()):
    """The options bench_validate.py and bench_build.py share: --sizes, --runs, --workdir
    (and `extra` flags: (name, help))."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "compendium-bench")
    for flag, text in extra:
        parser.add_argument(flag, action="store_true", help=text)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    return args


PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _pss(pid: str) -> int:
    """Proportional set size (bytes): pages shared after fork() are split between the processes,
    not counted twice (Linux /proc; resident size where smaps_rollup is missing)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(f"/proc/{pid}/statm", "rb") as f:
        return int(f.read().split()[1]) * PAGE


def tree_memory(root: int) -> int:
    """Memory (PSS, bytes) of process `root` and all its descendants (workers, pandoc...).

    Reads every process's parent from /proc/<pid>/stat (cheap) and the PSS of the tree's only:
    smaps_rollup walks a process's page tables, ~10 ms for a 400 MB build worker."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += _pss(str(pid))
        except OSError:  # it ended meanwhile
            pass
        stack.extend(children.get(pid, []))
    return total


def run_tree(cmd: Sequence[str], env: Mapping[str, str] | None = None, cwd: str | None = None,
             memory: bool = True) -> dict:
    """Run `cmd` once: {"wall_s", "cpu_s" (user + system of its whole process tree), "peak_mb" (the
    largest sum of the tree's PSS, sampled every 50 ms; None when `memory` is False)}. Raises
    RuntimeError when it fails.

    Sampling costs CPU (up to a third of a core for a build whose workers hold 400 MB): on a
    machine whose cores the command keeps busy it slows what it measures, and a command that uses
    every core (a build's workers) more than one that uses one (pandoc). Time with memory=False
    and take the memory from a run of its own (bench_speed.py does).
    """
    import resource
    import threading

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, tree_memory(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if memory:
        sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    if memory:
        sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err.decode(errors='replace')[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak / 1e6 if memory else None}
