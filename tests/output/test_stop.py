"""A build stopped by Ctrl-C, SIGTERM or SIGKILL: output unchanged, no worker left, the next build runs at once.

Real builds in subprocesses, with slow formats registered through the public FORMATS registry;
each worker writes its pid into a flag file so that the test can check, by pid, that it is gone.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from compendium import render
from compendium.errors import CompendiumError
from compendium.output.build import build
from compendium.output.swap import wait_discarded
from tests.helpers import REPO, snapshot

# The build in a subprocess: `slowa` and `slowb` render in two workers; each writes
# FLAG<name> = "<its pid> <pid of a `sleep` it started the way the EPUB starts pandoc>" and sleeps.
# With LINGER, a renderer also forks a process that outlives the build on purpose (a plug-in
# that leaves a daemon behind): it must not keep the project locked.
SLOW_BUILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from compendium import render
    from compendium.workers import run_child

    FLAG, LINGER = {flag!r}, {linger!r}

    def slow(book, ctx):
        name = ctx.out_dir.name
        if LINGER and name == "slowa" and os.fork() == 0:
            os.setsid()
            Path(FLAG + "linger").write_text(str(os.getpid()))
            time.sleep(60)
            os._exit(0)
        child = Path(FLAG + name + ".child")
        import threading
        threading.Thread(target=run_child, args=(["sh", "-c", f"echo $$ > {{child}}; exec sleep 60"],),
                         daemon=True).start()
        while not child.exists() or not child.read_text().strip():
            time.sleep(0.01)
        Path(FLAG + name).write_text(f"{{os.getpid()}} {{child.read_text().strip()}}")
        time.sleep(60)
        return []

    render.FORMATS["slowa"] = render.Format("slowa", function=slow)
    render.FORMATS["slowb"] = render.Format("slowb", function=slow)
    if {cli!r}:
        from cli import main
        main(["build", "--project", {project!r}, "--format", "slowa,slowb", "--jobs", "2"])
    else:
        from compendium.output.build import build
        build(Path({project!r}), ["slowa", "slowb"], jobs=2)
""")


def _start(project: Path, flag: str, cli: bool, linger: bool = False) -> tuple[subprocess.Popen, list[int]]:
    """Start a slow build; return it once both workers render, with the pids of the workers and their children."""
    code = SLOW_BUILD.format(repo=str(REPO), flag=flag, project=str(project), cli=cli, linger=linger)
    # its own process group, so that a SIGINT to the group reaches parent and workers at once, as Ctrl-C does
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 30
    while not all(Path(flag + name).exists() for name in ("slowa", "slowb")):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.05)
    time.sleep(0.05)  # the flag is written in one call, but let it land
    return proc, [int(pid) for name in ("slowa", "slowb") for pid in Path(flag + name).read_text().split()]


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting for its new parent to reap it counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _left_alive(pids: list[int], within: float = 5.0) -> list[int]:
    """The processes of `pids` still running after `within` seconds; they are killed (no test leaves one)."""
    deadline = time.monotonic() + within
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [p for p in pids if _alive(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


@pytest.fixture
def notes(monkeypatch):
    monkeypatch.setitem(render.FORMATS, "notes", render.Format("notes", function=_notes))


def _notes(book, ctx):
    path = ctx.out_dir / "notes.txt"
    path.write_text("\n".join(e.id for e in book.entries) + "\n", encoding="utf-8")
    return [path]


@pytest.mark.parametrize(("how", "cli", "signum", "code", "message"), [
    ("kill -9 of a library build", False, signal.SIGKILL, -signal.SIGKILL, ""),
    ("kill of a library build", False, signal.SIGTERM, -signal.SIGTERM, ""),
    ("kill of compendium build", True, signal.SIGTERM, 143, "error: terminated; nothing was changed"),
    ("Ctrl-C in compendium build", True, signal.SIGINT, 130, "error: interrupted; nothing was changed"),
])
def test_a_stopped_build_leaves_no_process_and_no_lock(project, notes, tmp_path, how, cli, signum, code, message):
    build(project, ["notes"])
    before = snapshot(project / "output")
    proc, pids = _start(project, str(tmp_path / "flag-"), cli)
    started = time.monotonic()
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)  # Ctrl-C signals the terminal's whole process group
    else:
        os.kill(proc.pid, signum)  # kill PID signals the build process alone
    try:
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
        left = _left_alive(pids)
    assert time.monotonic() - started < 10, f"{how}: the workers were waited for, not stopped"
    assert proc.returncode == code, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    if message:
        assert err.strip().splitlines()[-1] == message
    assert not left, f"the workers, or the programs they ran (like pandoc), outlived the build: {left}"
    assert snapshot(project / "output") == before
    build(project, ["notes"])  # at once: no lock left behind, stale staging cleared
    wait_discarded()  # the old output and the staging folder are deleted in the background
    assert not list((project / ".compendium-cache").glob(".staging-*"))


def test_a_process_left_behind_by_a_renderer_does_not_lock_the_project(project, notes, tmp_path):
    proc, pids = _start(project, str(tmp_path / "flag-"), cli=False, linger=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    lingering = int((tmp_path / "flag-linger").read_text())
    try:
        assert _alive(lingering)
        build(project, ["notes"])  # the lock was the dead build's alone
    finally:
        os.kill(lingering, signal.SIGKILL)
        _left_alive(pids)


def test_second_concurrent_build_is_refused(project, notes, tmp_path):
    proc, pids = _start(project, str(tmp_path / "flag-"), cli=False)
    try:
        with pytest.raises(CompendiumError, match=rf"another build of this project is running \(pid {proc.pid}\)"):
            build(project, ["notes"])
    finally:
        proc.kill()
        proc.wait(timeout=10)
        _left_alive(pids)
    assert not (project / "output" / "notes.txt").exists()


# Signals at every instant of a build's start: the build in a child process, a signal sent to it
# (a) from inside os.fork()'s after-fork hook, as each worker is forked (where Python drops a
# KeyboardInterrupt as "Exception ignored"), and (b) from outside after 0, 10, ... 50 ms. Every run
# must end within 10 s with the signal's exit status, and leave no worker.
PROBE = textwrap.dedent("""
    import json, os, signal, sys, time
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from compendium import render
    from compendium.output.build import build

    def slow(book, ctx):
        time.sleep(30)
        return []

    render.FORMATS["slowa"] = render.Format("slowa", function=slow)
    render.FORMATS["slowb"] = render.Format("slowb", function=slow)
    results = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        for moment in ["fork", *range(0, 60, 10)]:
            ready, go = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.setpgid(0, 0)
                if signum == signal.SIGTERM:  # as the CLI does
                    def terminated(s, f):
                        raise KeyboardInterrupt
                    signal.signal(signal.SIGTERM, terminated)
                if moment == "fork":
                    os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signum))
                try:
                    os.write(go, b"x")
                    build(Path({project!r}), ["slowa", "slowb"], jobs=2)
                except KeyboardInterrupt:
                    os._exit(130)
                except BaseException as exc:
                    print(type(exc).__name__, exc, file=sys.stderr)
                    os._exit(3)
                os._exit(0)
            os.read(ready, 1)
            os.close(ready), os.close(go)
            if moment != "fork":
                time.sleep(moment / 1000)
                os.kill(pid, signum)
            deadline, code = time.monotonic() + 10, None
            while time.monotonic() < deadline:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    code = os.waitstatus_to_exitcode(status)
                    break
                time.sleep(0.01)
            time.sleep(0.05)
            left = os.popen(f"ps -o pid=,stat= -g {{pid}}").read().split()
            alive = [p for p, s in zip(left[::2], left[1::2]) if not s.startswith("Z")]
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            if code is None:
                os.waitpid(pid, 0)
            results.append([signal.Signals(signum).name, moment, code, alive])
    print(json.dumps(results))
""")


def test_a_signal_at_any_instant_stops_the_build(project):
    proc = subprocess.run([sys.executable, "-c", PROBE.format(repo=str(REPO), project=str(project))],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    wrong = [r for r in results if r[2] != 130 or r[3]]
    assert not wrong, f"(signal, ms or moment, exit status, workers left): {wrong}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr


def _wait_for_go(book, ctx):
    """Renders once the file `go` beside the output folder exists (a worker of the thread's build)."""
    go = ctx.out_dir.parents[2] / "go"
    while not go.exists():
        time.sleep(0.02)
    return []


def test_a_second_build_in_the_same_process_is_refused(project, notes, monkeypatch):
    import threading

    monkeypatch.setitem(render.FORMATS, "waits", render.Format("waits", function=_wait_for_go))
    first = threading.Thread(target=build, args=(project, ["waits"]))
    first.start()
    try:
        deadline = time.monotonic() + 20
        while not list((project / ".compendium-cache").glob(".staging-*/waits")):
            assert time.monotonic() < deadline, "the first build never started"
            time.sleep(0.02)
        with pytest.raises(CompendiumError, match=rf"another build .* running \(pid {os.getpid()}, this process\)"):
            build(project, ["notes"])
    finally:
        (project / "go").write_text("")
        first.join(timeout=20)
    build(project, ["notes"])  # the first one released the lock
