"""Render (HTML): the site's search index, made by Pagefind (a static search library: stemming for
the six UN languages and many more, Chinese and Japanese word segmentation in its extended build).

Pagefind stems a page by its language and loads, in the browser, the index of the page's language;
an edition mixes languages (an English book with entries in Russian, Arabic and Chinese). So each
language of the entries gets its own bundle, `search/<lang>/`, indexed with that language's
stemmer, and search.js queries every bundle (each with its own language module) and merges the
results. The indexed documents are written for Pagefind alone, into a scratch folder outside the
site: each holds the entry's title, gloss, facts and text under its own `lang`, the sections under
the ids the entry page gives them (so a result can point into the page), and what a result shows
as Pagefind metadata.

The facets (theme, region, country, place, year...) are not Pagefind filters: Pagefind writes its
filter indexes in a different order on every run (its fragments, the bulk of the index, are stable),
and the build must be reproducible. So `search/facets.json` maps each Pagefind result id (its
fragment) to the entry's book order and facet values; search.js filters and orders with it, and
lists the entries of a filter without a query from `search(null)`.

Browsers do not let a page opened from disk (file://) fetch the index: the search page says so and
offers the indexes instead; `compendium serve` previews the site over http.
"""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from markupsafe import Markup, escape

from compendium.book.labels import Labels, primary
from compendium.errors import BuildFailed
from compendium.render.html.facets import Facet
from compendium.render.html.site import EntryView, Site

SEARCH_DIR = "search"
FACETS_NAME = "facets.json"
FRAGMENT_SIGNATURE = b"pagefind_dcd"  # Pagefind's fragments: gzip of this signature + JSON
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def executable() -> Path:
    """The Pagefind binary of the `pagefind[extended]` package (the extended build segments Chinese).

    Raises BuildFailed naming the pip command when it is not installed.
    """
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None  # type: ignore[assignment]
    path = get_executable() if get_executable is not None else None
    if path is None or not Path(path).is_file():
        raise BuildFailed("the website's search needs Pagefind: run `pip install 'pagefind[extended]'`")
    return Path(path)


def language_of(v: EntryView, page_language: str) -> str:
    """The index an entry goes to: the primary subtag of its language ('zh' for 'zh-Hans')."""
    return primary(v.entry.language or page_language)


def document(v: EntryView, order: int, site: Site, words: Labels, plain: Callable[[str], str]) -> str:
    """The HTML Pagefind indexes for one entry (see the module's docstring); every field escaped.

    The text goes in as plain text under one heading per section (`plain(markdown)` gives it):
    Pagefind needs the words and the headings' ids, not the markup (a fifth less work for it).
    """
    e = v.entry
    lang = e.language or site.book.edition.language
    sections = [("summary", words.summary, e.summary), *((key, title, text) for (key, text), (_, title, _) in
                                                         zip(e.sections, v.sections))]
    body = "".join(f'<h2 id="{key}">{escape(title)}</h2><p>{escape(plain(text))}</p>\n' for key, title, text in sections)
    facts = " · ".join(escape(x) for x in (e.institution, e.country.name, e.region, e.theme.name, *e.partners, *e.keywords)
                       if x)
    meta = {
        "title": e.title, "gloss": v.gloss, "country": e.country.name, "institution": e.institution,
        "place": words.place(e.place), "place_key": e.place, "theme": e.theme.name, "lang": e.language,
        "dir": e.dir if e.language else "", "order": f"{order:06d}", "teaser": v.teaser,
    }
    hidden = [f'<span data-pagefind-meta="{k}">{escape(val)}</span>' for k, val in meta.items() if val]
    if v.thumb is not None:
        hidden.append(f'<img data-pagefind-meta="image[src], image_alt[alt]" src="{escape(v.thumb.src)}" '
                      f'alt="{escape(v.thumb.alt)}">')
    gloss = f'<p lang="{escape(site.book.edition.language)}">{escape(v.gloss)}</p>' if v.gloss else ""
    return (f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{escape(e.title)}</title>'
            f'</head><body><main data-pagefind-body><h1>{escape(e.title)}</h1>{gloss}<p>{facts}</p>\n{body}</main>'
            f'<div hidden>{"".join(hidden)}</div></body></html>\n')


@dataclass
class Indexer:
    """Pagefind runs, one per language, started by `start` and awaited by `finish`."""

    scratch: Path
    out: Path  # the site's search/ folder
    languages: list[str]  # one bundle each (primary subtags)
    runs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    thread: threading.Thread | None = None  # writes the documents and starts the runs
    error: BaseException | None = None  # what stopped that thread, re-raised by finish()
    stopped: bool = False
    ids: dict[str, str] = field(default_factory=dict)  # entry page → result id, once indexed

    def guard(self, work: Callable[[], None]) -> Callable[[], None]:
        """`work`, keeping the error it raises for finish() (a thread cannot raise into the build)."""
        def run() -> None:
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 (re-raised by finish)
                self.error = exc
        return run

    def _join(self) -> None:
        if self.thread is not None:
            self.thread.join()

    def finish(self) -> dict[str, str]:
        """Wait for the indexing (see `start`); returns entry page → Pagefind result id.

        Raises BuildFailed with Pagefind's own message when a run fails.
        """
        self._join()
        if self.error is not None:
            self.stop()
            if isinstance(self.error, OSError):
                raise BuildFailed(f"cannot write the search index: {self.error.strerror or self.error}") from None
            raise self.error
        return self.ids

    def _wait(self) -> None:
        """Wait for every run, drop the scratch folder and the UI files the site does not use, and
        read the result ids (on the indexing thread: the pages are written meanwhile)."""
        try:
            for lang, proc in self.runs.items():
                _, err = proc.communicate()
                if proc.returncode != 0:
                    raise BuildFailed(f"Pagefind could not index the {lang} entries: "
                                      f"{err.decode('utf-8', 'replace').strip()[-500:]}")
        finally:
            for proc in self.runs.values():
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            shutil.rmtree(self.scratch, ignore_errors=True)
        for lang in self.runs:
            bundle = self.out / lang
            for name in UNUSED:
                (bundle / name).unlink(missing_ok=True)
            if any(p.name != "wasm.unknown.pagefind" for p in bundle.glob("wasm.*.pagefind")):
                (bundle / "wasm.unknown.pagefind").unlink(missing_ok=True)
        self.ids = result_ids(self.out)

    def stop(self) -> None:
        """Stop the runs and drop the scratch folder (a build that fails before the index is needed)."""
        self.stopped = True
        for proc in list(self.runs.values()):
            if proc.poll() is None:
                proc.kill()
        self._join()
        for proc in self.runs.values():
            proc.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)


def result_ids(search_dir: Path) -> dict[str, str]:
    """Entry page (`entries/<id>.html`) → the id Pagefind gives its result (its fragment's name)."""
    found = {}
    for fragment in sorted(search_dir.glob("*/fragment/*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        record = json.loads(raw[len(FRAGMENT_SIGNATURE):] if raw.startswith(FRAGMENT_SIGNATURE) else raw)
        found[record["url"].lstrip("/")] = fragment.stem
    return found


def facet_map(site: Site, facets: list[Facet], ids: dict[str, str]) -> bytes:
    """search/facets.json: {"facets": [key, ...], "entries": {result id: [book order, [values], ...]}}.

    Raises BuildFailed when an entry has no result id (Pagefind's fragment format changed).
    """
    missing = [v.href for v in site.entries if v.href not in ids]
    if missing:
        raise BuildFailed(f"the search index lacks {len(missing)} entries (e.g. {missing[0]}): "
                          "this Pagefind version writes its index differently; install pagefind[extended] 1.x")
    entries = {ids[v.href]: [order, *(list(f.values.get(v.id, ())) for f in facets)]
               for order, v in enumerate(site.entries)}
    data = {"facets": [f.key for f in facets], "entries": dict(sorted(entries.items()))}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def start(site: Site, words: Labels, site_dir: Path, scratch_parent: Path, plain: Callable[[str], str]) -> Indexer:
    """Make the indexed documents, then, on a thread (the pages are written meanwhile), write them,
    run one Pagefind process per language and wait for them. Call `finish()` or `stop()` on the result."""
    binary = executable()
    scratch = Path(tempfile.mkdtemp(prefix="search-docs-", dir=scratch_parent))
    page_language = site.book.edition.language
    docs = [(language_of(v, page_language), v.href, document(v, order, site, words, plain))
            for order, v in enumerate(site.entries)]
    indexer = Indexer(scratch, site_dir / SEARCH_DIR, sorted({lang for lang, _, _ in docs}))

    def launch() -> None:
        for lang, href, html in docs:
            path = scratch / lang / href
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        for lang in indexer.languages:
            if indexer.stopped:
                return
            indexer.runs[lang] = subprocess.Popen(
                [str(binary), "--site", str(scratch / lang), "--output-path", str(indexer.out / lang),
                 "--force-language", lang, "--silent"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        indexer._wait()

    indexer.thread = threading.Thread(target=indexer.guard(launch), name="search-index", daemon=True)
    indexer.thread.start()
    return indexer


def bundles(languages: list[str], page_language: str) -> Markup:
    """The search page's list of bundles (JSON in an attribute): the page's language first."""
    import json

    first = primary(page_language)
    ordered = sorted(languages, key=lambda lang: (lang != first, lang))
    return Markup(escape(json.dumps([f"{SEARCH_DIR}/{lang}/" for lang in ordered])))
