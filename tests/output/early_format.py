"""A format for tests/output/test_build.py: where and when it was imported, and where it renders."""
from __future__ import annotations

import os
import time

IMPORTED = (os.getpid(), time.monotonic())


def render(book, ctx):  # noqa: ANN001, ANN201
    path = ctx.out_dir / "early.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{IMPORTED[0]} {IMPORTED[1]} {os.getpid()}")
    return [path]
