"""Serve: preview the HTML site on localhost and rebuild it when the project's sources change.

For editors who preview as they edit: http.server serves output/html on a thread; the calling
thread polls the modification times of compendium.yaml, the introduction, entries/** and
templates/** and calls `rebuild` when any of them changes. A failed rebuild is reported and
the last good site stays online.
"""
from __future__ import annotations

import functools
import re
import sys
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from compendium.errors import CompendiumError, UsageError
from compendium.output.manifest import input_files

Snapshot = dict[str, tuple[int, int]]


def _default_log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build_html(root: Path) -> None:
    from compendium.output.build import build

    build(root, ["html"])


def _named_files(root: Path) -> list[Path]:
    """The introduction, foreword, acknowledgements and cover that compendium.yaml names (wherever they are in the project)."""
    try:
        text = (root / "compendium.yaml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    found = re.findall(r"^(?:introduction|foreword|acknowledgements|cover):\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", text, re.M)
    return [root / name for name in found]


def snapshot(root: Path) -> Snapshot:
    """(mtime_ns, size) of every watched file: the edition file and the files it names, Markdown
    beside it, entries/** and templates/**. The output and cache folders are never watched."""
    # the build's own inputs (as the manifest digests them), plus what a broken edition file
    # may still name: the watcher must notice the fix of a project that does not validate;
    # in a series, the same in every edition folder
    from compendium.input.series import edition_folders

    files: list[Path] = []
    for folder in (root, *edition_folders(root)):
        files += [*input_files(folder), *folder.glob("*.md"), *_named_files(folder)]
    state: Snapshot = {}
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue  # deleted between listing and stat: the next poll sees it gone
        try:
            name = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue  # a path outside the project: not ours to watch
        state[name] = (st.st_mtime_ns, st.st_size)
    return state


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files from the site folder, never cached by the browser, without a log line per request."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        pass


@dataclass
class PreviewServer:
    """A running preview: `url`, `check()` to poll once, `stop()` to shut it down."""

    root: Path
    site_dir: Path
    httpd: ThreadingHTTPServer
    rebuild: Callable[[], None]
    log: Callable[[str], None]
    state: Snapshot = field(default_factory=dict)
    rebuilds: int = 0
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def check(self) -> bool:
        """Rebuild when a watched file changed since the last check; True when a rebuild ran."""
        current = snapshot(self.root)
        if current == self.state:
            return False
        changed = sorted(set(current.items()) ^ set(self.state.items()))
        self.state = current
        names = sorted({name for name, _ in changed})
        self.log(f"changed: {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}; rebuilding")
        self._rebuild()
        # files written while the build ran are picked up by the next poll
        return True

    def _rebuild(self) -> None:
        try:
            self.rebuild()
            self.rebuilds += 1
            self.log(f"rebuilt; serving {self.url}")
        except CompendiumError as exc:
            details = "".join(f"\n  {issue}" for issue in exc.issues[:20])
            self.log(f"build failed, still serving the last good site: {exc}{details}")

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)


def start(root: Path, host: str = "127.0.0.1", port: int = 8000,
          rebuild: Callable[[], None] | None = None, log: Callable[[str], None] = _default_log,
          site_dir: Path | None = None) -> PreviewServer:
    """Build once, then serve the site on a background thread (port 0 picks a free port)."""
    from compendium.output.build import OUTPUT_DIR
    from compendium.render.common import SITE_FOLDER

    root = root.resolve()
    rebuild = rebuild or functools.partial(_build_html, root)
    site = site_dir or root / OUTPUT_DIR / SITE_FOLDER
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        httpd = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:  # only the bind is a port problem; later OS errors are the build's
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}; "
                              "pick another address or --port") from None
    httpd.daemon_threads = True
    server = PreviewServer(root, site, httpd, rebuild, log, snapshot(root))
    server._rebuild()
    server.thread = threading.Thread(target=httpd.serve_forever, name="compendium-serve", daemon=True)
    server.thread.start()
    log(f"serving {site} at {server.url} (Ctrl+C to stop)")
    return server


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000,
          rebuild: Callable[[], None] | None = None, poll_interval: float = 0.5,
          stop: threading.Event | None = None, log: Callable[[str], None] = _default_log) -> None:
    """Serve until `stop` is set (then return), rebuilding when the sources change.

    Ctrl+C (KeyboardInterrupt, or the CLI's Terminated on SIGTERM) shuts the server down and
    propagates, so that the command exits with the status of the signal (130, 143). Raises
    UsageError when the address cannot be bound.
    """
    server = start(root, host, port, rebuild, log)
    stop = stop or threading.Event()
    try:
        while not stop.wait(poll_interval):
            server.check()
    finally:
        server.stop()
