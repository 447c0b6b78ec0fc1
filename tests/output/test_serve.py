"""`compendium serve` (library part): serves the built site on localhost and rebuilds it when an
entry, the edition file or a template changes; a failed rebuild keeps the last good site."""
from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from compendium.output import serve
from tests.helpers import write


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.headers["Cache-Control"] == "no-store"
        return response.read().decode("utf-8")


def touch_later(path: Path, text: str) -> None:
    """Write `text` and move the mtime forward, so coarse file-system clocks still see a change."""
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_serve_rebuilds_when_an_entry_changes(project: Path) -> None:
    logs: list[str] = []
    stop = threading.Event()
    started: list[serve.PreviewServer] = []

    def run() -> None:
        server = serve.start(project, port=0, log=logs.append)
        started.append(server)
        try:
            while not stop.wait(0.05):
                server.check()
        finally:
            server.stop()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: bool(started)), logs
        server = started[0]
        assert server.url.startswith("http://127.0.0.1:")
        page = fetch(server.url + "entries/ke-one-stop.html")
        assert "One-stop shops" in page
        assert "Test Awards" in fetch(server.url)  # / serves index.html

        entry = project / "entries" / "ke-one-stop.yaml"
        touch_later(entry, entry.read_text(encoding="utf-8").replace("One-stop shops", "Single windows"))
        assert wait_for(lambda: "Single windows" in fetch(server.url + "entries/ke-one-stop.html")), logs

        # a broken entry: the build fails, the message is logged, the last good site stays up
        touch_later(entry, entry.read_text(encoding="utf-8").replace("place: 1st", "place: 9th"))
        assert wait_for(lambda: any("build failed" in line for line in logs)), logs
        assert "Single windows" in fetch(server.url + "entries/ke-one-stop.html")
        assert any("place" in line for line in logs)

        # templates are watched too
        write(project, "templates/html/entry.html", '{% extends "default/html/entry.html" %}'
                                                    '{% block pager %}<p id="x">preview-marker</p>{% endblock %}')
        touch_later(entry, entry.read_text(encoding="utf-8").replace("place: 9th", "place: 1st"))
        assert wait_for(lambda: "preview-marker" in fetch(server.url + "entries/ke-one-stop.html")), logs
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    try:
        fetch(started[0].url)
        raise AssertionError("the server still answers after stop()")
    except (urllib.error.URLError, ConnectionError, OSError):
        pass


def test_serve_returns_when_stopped(project: Path) -> None:
    stop = threading.Event()
    calls: list[int] = []

    def rebuild() -> None:
        calls.append(1)
        stop.set()  # stop right after the first build: serve() must return by itself

    done = threading.Event()
    thread = threading.Thread(target=lambda: (serve.serve(project, port=0, rebuild=rebuild, poll_interval=0.05,
                                                          stop=stop, log=lambda m: None), done.set()), daemon=True)
    thread.start()
    assert done.wait(10)
    assert calls == [1]


def test_snapshot_watches_sources_but_not_the_output(project: Path) -> None:
    write(project, "introduction.md", "Hello")
    write(project, "docs/intro.md", "Hello")
    write(project, "compendium.yaml", (project / "compendium.yaml").read_text() + "introduction: docs/intro.md  # here\n")
    write(project, "output/html/index.html", "x")
    write(project, "templates/html/base.html", "x")
    names = set(serve.snapshot(project))
    assert {"compendium.yaml", "introduction.md", "docs/intro.md", "entries/ke-one-stop.yaml", "templates/html/base.html"} <= names
    assert not any(n.startswith("output/") for n in names)


def test_serve_a_series_rebuilds_when_an_edition_changes(series: Path) -> None:
    """The site across editions is served; a change in an edition folder's entry is seen and rebuilt."""
    server = serve.start(series, port=0, log=lambda message: None)
    try:
        assert "editions/2013.html" in fetch(server.url)  # the home across editions
        entry = series / "2013" / "entries" / "ke.yaml"
        touch_later(entry, entry.read_text(encoding="utf-8").replace("One-stop shops", "Huduma one-stop shops"))
        assert wait_for(server.check)
        assert "Huduma one-stop shops" in fetch(server.url + "entries/2013-ke-one-stop.html")
    finally:
        server.stop()
