"""compendium.workers: parallel calls in worker processes, signals held back while they run."""
from __future__ import annotations

import os
import signal
import time

import pytest

from compendium.errors import BuildFailed
from compendium.workers import deferred_signals, run_parallel


def _square(n: int) -> int:
    time.sleep(0.01 * (3 - n % 3))  # finish out of order
    return n * n


def _fail_on(n: int) -> int:
    if n == 2:
        raise ValueError(f"bad {n}")
    time.sleep(30 if n > 2 else 0)
    return n


def _die(n: int) -> int:
    os._exit(1)


def test_results_come_in_the_order_of_the_calls():
    seen: list[tuple[str, int]] = []
    results = run_parallel(_square, [(n,) for n in range(7)], 3,
                           started=lambda i: seen.append(("start", i)), finished=lambda i, r: seen.append(("done", i)))
    assert results == [n * n for n in range(7)]
    assert sorted(i for what, i in seen if what == "done") == list(range(7))
    # never more calls handed out than workers
    running = 0
    for what, _ in seen:
        running += 1 if what == "start" else -1
        assert running <= 3


def test_the_first_failure_is_raised_and_the_other_workers_are_not_waited_for():
    started = time.monotonic()
    with pytest.raises(ValueError, match="bad 2"):
        run_parallel(_fail_on, [(n,) for n in (3, 2, 4)], 3)
    assert time.monotonic() - started < 10  # the 30 s calls were killed


def test_a_worker_that_dies_is_a_build_failure_naming_its_task():
    with pytest.raises(BuildFailed, match=r"worker process ended unexpectedly while running the pdf format"):
        run_parallel(_die, [(1,)], 1, label=lambda i: "the pdf format")


def test_a_signal_inside_the_block_takes_effect_when_it_ends():
    reached = False
    with pytest.raises(KeyboardInterrupt):
        with deferred_signals() as caught:
            signal.raise_signal(signal.SIGINT)
            time.sleep(0.01)  # a point where the signal would have been acted on
            reached = True
            assert caught == [signal.SIGINT]
    assert reached
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_ignored_signal_stays_ignored():
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        with deferred_signals() as caught:
            signal.raise_signal(signal.SIGTERM)
        assert caught == []
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous)
