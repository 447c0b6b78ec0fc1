"""Worker processes (build support): children that never outlive the build and stop at once on a signal.

Why this module exists: a build renders its formats in child processes. Three things went wrong
with a bare ProcessPoolExecutor, each one measured:

- `kill -9` of the build left its workers alive (parent id 1), and with them the project locked.
  Every child we start now dies with its parent: Linux `prctl(PR_SET_PDEATHSIG, SIGKILL)` in the
  child, plus a check that the parent is still the one that started it (the parent may die before
  the prctl takes effect); elsewhere a watchdog thread polls the parent id.
- Ctrl-C was sometimes missed: Python raises KeyboardInterrupt at whatever line the main thread is
  on, and inside `os.fork()`'s after-fork hooks (logging's lock release), finalizers or the
  executor's own bookkeeping the exception is printed as "Exception ignored" and dropped, or leaves
  a lock held; the build then waited for the workers to finish. A probe interrupting a build at
  random instants of its first 80 ms hung 20 times in 150 (`bench/` has no timing for it; see the
  test `test_a_signal_at_any_instant_stops_the_build`). So while workers run, SIGINT and SIGTERM
  only *record* that they came; the waiting loop (which wakes every POLL_S) kills the workers at a
  point where no lock is held, and then re-delivers the signal, so the caller sees exactly what it
  would have seen without us: KeyboardInterrupt, the CLI's Terminated, or the default action.
- Workers ignored SIGINT (so that Ctrl-C, which reaches the whole process group, prints one message
  instead of a traceback per worker) and the pool joined them on shutdown: an interrupted build
  waited for every format to finish. Workers are now killed, not waited for.

Workers are forked on Linux (cheap, and formats registered at run time, e.g. by tests, are seen by
them); other platforms use their default start method.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

from compendium.errors import BuildFailed, Interrupted

R = TypeVar("R")

POLL_S = 0.1  # how long a signal may wait before the build acts on it, at most (s)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _find_prctl() -> Any:
    """libc's prctl, resolved once in the parent (a forked child must not dlopen), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # the running program's libc
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


_PRCTL = _find_prctl()
_CONTEXT = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else multiprocessing.get_context()


def die_with_parent(parent: int) -> None:
    """Make the calling process end when its parent process `parent` (a pid) ends, whatever the signal.

    Call it first thing in a child. Linux: the kernel sends SIGKILL when the parent dies
    (PR_SET_PDEATHSIG, see prctl(2); kept across exec, so it also covers programs started with
    `run_child`). Elsewhere: a daemon thread checks the parent id every second. Either way, a
    parent that is already gone ends the child at once (os._exit(1)). Never raises.
    """
    if _PRCTL is not None and _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
        if os.getppid() != parent:
            os._exit(1)
        return
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="compendium-parent-watch", daemon=True).start()


def run_child(args: Sequence[str], **kwargs: Any) -> subprocess.CompletedProcess:
    """subprocess.run(args, **kwargs) for a program that must not outlive this process (pandoc).

    On Linux the child gets PR_SET_PDEATHSIG before it execs, so a build killed with SIGKILL does
    not leave it running. Returns and raises what subprocess.run does.
    """
    if _PRCTL is not None:
        kwargs.setdefault("preexec_fn", partial(_exec_guard, os.getpid()))
    return subprocess.run(args, **kwargs)


def _exec_guard(parent: int) -> None:
    """Between fork and exec (no threads, no locks: only the prctl call and getppid)."""
    _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


_TOLD: Any = None  # in a worker of run_parallel: the queue that carries `tell` to the parent
_CALL = -1  # in a worker of run_parallel: the index of the call it is running


def _start_worker(parent: int, told: Any = None) -> None:
    """A pool worker's first steps: leave Ctrl-C to the parent (it stops the workers and reports
    once), take SIGTERM's default action (not the parent's recording handler, inherited through
    fork), and die with the parent. `told`: the queue of run_parallel's `told` (see `tell`)."""
    global _TOLD
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    _TOLD = told


def tell(message: str) -> None:
    """In a worker of run_parallel: pass `message` (what the call is doing now, for a progress
    line) to the parent, whose `told(i, message)` hears it while it waits. Elsewhere: nothing."""
    if _TOLD is not None:
        _TOLD.put((_CALL, message))


def _start_pool_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    _start_worker(parent)
    if initializer is not None:
        initializer(*initargs)


def pool(workers: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> ProcessPoolExecutor:
    """A process pool for work the caller takes as it comes (futures), whose workers start as
    run_parallel's do: forked on Linux, Ctrl-C left to this process, SIGTERM's default action,
    dying with this process; then `initializer(*initargs)` runs in each.

    The caller shuts it down, after `kill_workers` when it gives up (an error, a signal).
    """
    return ProcessPoolExecutor(max_workers=max(1, workers), mp_context=_CONTEXT, initializer=_start_pool_worker,
                               initargs=(os.getpid(), initializer, initargs))


def _call(i: int, fn: Callable[..., R], args: tuple) -> R:
    """In a worker: call i of run_parallel (it remembers i for `tell`)."""
    global _CALL
    _CALL = i
    return fn(*args)


def _relay(told: Any, hear: Callable[[int, str], None]) -> None:
    """Hand what the workers told (see `tell`) to `hear`, in the calling thread."""
    while True:
        try:
            i, message = told.get_nowait()
        except queue.Empty:
            return
        hear(i, message)


@contextmanager
def deferred_signals() -> Iterator[list[int]]:
    """Within the block, SIGINT and SIGTERM are recorded (in the list yielded), not acted on.

    On leaving the block the previous handlers come back and the first signal recorded is raised
    again (signal.raise_signal), so its usual effect happens then: KeyboardInterrupt for SIGINT,
    the CLI's Terminated for SIGTERM, or the default action (the process ends). Outside the main
    thread, or for a signal that is ignored, nothing is changed. The block must poll the list when
    it waits (`run_parallel` does, every POLL_S).
    """
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous: dict[int, Any] = {}
    for sig in STOP_SIGNALS:
        handler = signal.getsignal(sig)
        if handler is None or handler == signal.SIG_IGN:  # set outside Python, or ignored: leave it
            continue
        previous[sig] = signal.signal(sig, lambda signum, frame: caught.append(signum))
    try:
        yield caught
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if caught:
            signal.raise_signal(caught[0])


class Ready:
    """Workers started before their work is known (see `started_early`): run_parallel's pool and queue."""

    def __init__(self) -> None:
        self.heard: Any = None
        self.pool: ProcessPoolExecutor | None = None

    def start(self, workers: int, warm: Callable[[], None] | None) -> None:
        """Fork the workers (with Ctrl-C and SIGTERM held back, as run_parallel does: a signal inside
        fork's after-fork hooks would be printed and lost)."""
        with deferred_signals():
            self.heard = _CONTEXT.Queue()
            self.pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=_CONTEXT,
                                            initializer=_start_warm_worker, initargs=(os.getpid(), self.heard, warm))
            self.pool.submit(_nothing)  # forks the workers now (a fork pool starts them all at its first task)

    def take(self) -> tuple[ProcessPoolExecutor, Any] | None:
        """The pool and its queue, once: the caller shuts the pool down."""
        if self.pool is None:
            return None
        taken, self.pool = self.pool, None
        return taken, self.heard


@contextmanager
def started_early(workers: int, warm: Callable[[], None] | None = None) -> Iterator[Ready]:
    """`workers` workers forked now, each running `warm()` first (a build imports its renderers
    while this process validates the project: ~0.3 s of imports off the critical path). Give the
    Ready to run_parallel, which uses them; whatever happens before, they are killed on leaving."""
    ready = Ready()
    try:
        ready.start(workers, warm)
        yield ready
    finally:
        left = ready.take()
        if left is not None:
            kill_workers(left[0])
            left[0].shutdown(wait=True, cancel_futures=True)


def _nothing() -> None:
    """A task that starts a pool's workers."""


def _start_warm_worker(parent: int, told: Any, warm: Callable[[], None] | None) -> None:
    _start_worker(parent, told)
    if warm is not None:
        try:
            warm()
        except Exception:  # noqa: BLE001 - a head start only: the work itself reports what is wrong
            pass


def run_parallel(fn: Callable[..., R], calls: Sequence[tuple], jobs: int,
                 started: Callable[[int], None] = lambda i: None,
                 finished: Callable[[int, R], None] = lambda i, result: None,
                 label: Callable[[int], str] = lambda i: f"task {i + 1}",
                 told: Callable[[int, str], None] | None = None, ready: Ready | None = None) -> list[R]:
    """Run fn(*calls[i]) for every i in worker processes, at most `jobs` at a time.

    Returns the results in the order of `calls`. `started(i)` is called (in the calling thread)
    when call i is handed to a worker, `finished(i, result)` when it returned, `told(i, message)`
    when call i said what it is doing (`tell`, at most POLL_S late). `fn` and its arguments cross
    to the worker by fork (Linux) or pickle, the result back by pickle.

    Raises the first exception a call raised, after killing the workers still running (they are
    not waited for); BuildFailed naming the running calls (`label(i)`) when a worker died (out of
    memory, killed by someone else). On SIGINT or SIGTERM the workers are killed at once and the signal then takes
    its usual effect (see `deferred_signals`); if its handler returns instead of raising,
    Interrupted is raised. Workers die with this process even when it is killed with SIGKILL.
    `ready`: workers started earlier (started_early) to use instead of starting new ones.
    """
    results: dict[int, R] = {}
    with deferred_signals() as caught:
        taken = ready.take() if ready is not None else None
        if taken is not None:
            pool, heard = taken
        else:
            heard = _CONTEXT.Queue() if told is not None else None
            pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(calls))), mp_context=_CONTEXT,
                                       initializer=_start_worker, initargs=(os.getpid(), heard))
        complete = False
        try:
            waiting = list(range(len(calls)))
            running: dict[Future, int] = {}
            while (waiting or running) and not caught:
                # hand out no more calls than there are workers: a call queued behind a busy worker
                # would sit in the pool's pipe, where killing the workers can wedge the pool
                while waiting and len(running) < jobs and not caught:
                    i = waiting.pop(0)
                    started(i)
                    running[pool.submit(_call, i, fn, calls[i])] = i
                if caught:
                    break
                # woken by any call that ends (not only by one that fails): the next call starts at once
                done, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
                if heard is not None and told is not None:
                    _relay(heard, told)
                for future in sorted(done, key=running.__getitem__):
                    if caught:
                        break
                    i = running.pop(future)
                    try:
                        results[i] = future.result()  # re-raises the worker's exception
                    except BrokenProcessPool:
                        busy = ", ".join(label(j) for j in sorted([i, *running.values()]))
                        raise BuildFailed(f"a worker process ended unexpectedly while running {busy} (killed, "
                                          "or out of memory?); nothing was changed") from None
                    finished(i, results[i])
            complete = len(results) == len(calls)
        finally:
            if not complete:
                kill_workers(pool)
            pool.shutdown(wait=True, cancel_futures=True)
    if len(results) < len(calls):  # a signal whose handler did not raise
        raise Interrupted("interrupted; nothing was changed")
    return [results[i] for i in range(len(calls))]


def kill_workers(pool: ProcessPoolExecutor) -> None:
    """SIGKILL every worker of `pool`: nothing of theirs needs cleaning (they write only into
    staging folders), and SIGKILL works even before a worker has reset its signal handlers."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError):  # already gone
            pass
