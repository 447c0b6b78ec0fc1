"""Render (HTML): the site's search index, made by Pagefind (a static search library: stemming for
the six UN languages and many more, Chinese and Japanese word segmentation in its extended build).

Pagefind stems a page by its language and loads, in the browser, the index of one language; an
edition mixes languages (an English book with entries in Russian, Arabic and Chinese). So each
language gets its own bundle, `search/<lang>/`, indexed with that language's stemmer, and
search.js queries the bundles a query needs and merges the results by entry.

An entry is indexed as one document in its own language (title, institution, partners, keywords
and sections, under the ids the entry page gives them) and, when that is not the site's language,
a second one in the site's bundle with what the site says of it in its own language (the gloss,
the English abstract, country, region, theme, keywords written in the site's script). Each bundle
then holds the scripts of its languages (`Indexer.scripts`: those of a tenth of its letters or
more, book.scripts.main_scripts), and the search page loads a bundle only when a query has a
letter of its scripts: a query in English loads the English bundle (and those of other languages
written in Latin letters), not the Arabic or the Chinese one (a bundle costs ~70 KB of
WebAssembly). The price: a Latin name inside Chinese text is found through the entry's second
document only when the site says it too (its keywords, gloss). A query matches an entry when each of its words is in one
of the entry's documents.

The facets (theme, region, country, place, year...) are not Pagefind filters: Pagefind writes its
filter indexes in a different order on every run (its fragments, the bulk of the index, are stable),
and the build must be reproducible. So `search/facets.json` maps each Pagefind result id (its
fragment) to its entry and bundle, and gives each entry's first document and facet values in book
order; search.js filters, counts and orders with it, and lists the entries (no query) from their
fragments without loading any bundle.

Browsers do not let a page opened from disk (file://) fetch the index: the search page says so and
offers the indexes instead; `compendium serve` previews the site over http.
"""
from __future__ import annotations

import base64
import gzip
import json
import os
import queue
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from markupsafe import Markup, escape

from compendium.book.labels import Labels, primary
from compendium.book.scripts import main_scripts
from compendium.errors import BuildFailed
from compendium.model import Edition
from compendium.render.html.facets import Facet
from compendium.render.html.site import EntryView, Site, keyword_languages

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


@dataclass(frozen=True)
class Document:
    """One page for Pagefind: the bundle (language) it goes to, its HTML, and its indexed text."""

    language: str  # primary subtag: the bundle
    html: str
    text: str  # what Pagefind indexes of it (its scripts decide when the bundle is loaded)


def _page(lang: str, title: str, head: str, sections: list[tuple[str, str, str]],
          meta: dict[str, str], thumb: tuple[str, str] | None) -> tuple[str, str]:
    """(HTML, indexed text) of one document: an h1, a paragraph (the facts), then one h2 and its text
    per section (id, heading, text); `meta` and `thumb` (src, alt) as Pagefind metadata."""
    body = [f"<h1>{escape(title)}</h1>"] if title else []
    body += [f"<p>{escape(head)}</p>"] if head else []
    # a section's heading is an empty anchor: its words (in the site's language, "The problem") would
    # match every entry and put the site's script in every bundle; search.js names sections itself
    body += [f'<h2 id="{key}"></h2><p>{escape(text)}</p>\n' for key, _, text in sections]
    hidden = [f'<span data-pagefind-meta="{k}">{escape(val)}</span>' for k, val in meta.items() if val]
    if thumb is not None:
        hidden.append(f'<img data-pagefind-meta="image[src], image_alt[alt]" src="{escape(thumb[0])}" '
                      f'alt="{escape(thumb[1])}">')
    html = (f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'</head><body><main data-pagefind-body>{"".join(body)}</main>'
            f'<div hidden>{"".join(hidden)}</div></body></html>\n')
    text = " ".join([title, head, *(t for _, _, t in sections)])
    return html, text


def documents(v: EntryView, edition: Edition, words: Labels, plain: Callable[[str], str]) -> list[Document]:
    """The documents of one entry (see the module's docstring): its own, first; then, for an entry
    in another language than the site's, the one of what the site says of it. Every field escaped.

    The text goes in as plain text under one heading per section (`plain(markdown)` gives it):
    Pagefind needs the words and the headings' ids, not the markup. Needs only the entry's own view
    (not its keywords' links): the site indexes each entry as soon as it is converted.
    """
    e = v.entry
    site_lang = edition.language
    own, here = language_of(v, site_lang), primary(site_lang)
    keywords = keyword_languages(e, site_lang)  # (text, language), as v.keywords will hold them
    sections = [("summary", words.summary, plain(e.summary)),
                *((key, title, plain(text)) for (key, text), (_, title, _) in zip(e.sections, v.sections))]
    facts = [e.country.name, e.region, e.theme.name]
    own_keywords = [k for k, lang in keywords if lang != site_lang] if own != here else [k for k, _ in keywords]
    site_keywords = [k for k, lang in keywords if lang == site_lang]
    meta = {
        "title": e.title, "gloss": v.gloss, "country": e.country.name, "institution": e.institution,
        "place": words.place(e.place), "place_key": e.place, "theme": e.theme.name, "lang": e.language,
        "dir": e.dir if e.language else "", "teaser": v.teaser,
        "year": str(e.year) if edition.years else "",  # a site across editions shows each one's year
    }
    thumb = (v.thumb.src, v.thumb.alt) if v.thumb is not None else None
    if own == here:  # one document holds it all
        line = " · ".join(x for x in (e.institution, *facts, *e.partners, *own_keywords) if x)
        return [Document(own, *_page(e.language or site_lang, e.title, line, sections, meta, thumb))]
    line = " · ".join(x for x in (e.institution, *e.partners, *own_keywords) if x)
    first = Document(own, *_page(e.language, e.title, line, sections, meta, thumb))
    abstract = v.abstract_text
    gloss_sections = [("abstract", words.abstract, abstract)] if abstract else []
    second = Document(here, *_page(site_lang, v.gloss, " · ".join([*facts, *site_keywords]), gloss_sections,
                                   {"title": v.gloss or e.title}, None))
    return [first, second]


WRITE_TIMEOUT = 60  # s: the longest wait for Pagefind's files to have their bytes, once it said they were written


def _empty_files(folder: Path) -> bool:
    """Whether a file under `folder` is empty (Pagefind still writing it)."""
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            if _empty_files(Path(entry.path)):
                return True
        elif entry.stat(follow_symlinks=False).st_size == 0:
            return True
    return False


class _Service:
    """One `pagefind --service` process: the index of one bundle (language), fed pages from memory.

    Pagefind's service reads base64-encoded JSON messages, each ended by a comma, on its stdin and
    answers the same way on its stdout (the protocol of its Node and Python wrappers; the Python
    wrapper polls every 0.1 s per answer, 100 s for 1,000 pages, hence this client). It handles
    messages one at a time, in the order sent, so the index does not depend on timing. A thread
    reads the answers as they come, so that the service never blocks on a full pipe.
    """

    def __init__(self, binary: Path, language: str) -> None:
        self.language = language
        self.errors = tempfile.TemporaryFile()  # what Pagefind says on stderr, read if it fails
        self.proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.errors)
        self.sent = 0
        self.bundle: Path | None = None
        self.failure = ""  # the first error Pagefind answered
        self.written = False  # Pagefind said the index is written
        self.answered = threading.Event()  # set when it did, or when the service ended
        self.reader = threading.Thread(target=self._read, name=f"search-{language}", daemon=True)
        self.reader.start()
        self.send({"type": "NewIndex", "config": {"force_language": language}})  # its index is number 0

    def send(self, payload: dict) -> None:
        """Send one message (blocks only while the service is a pipe's worth behind); a service that
        ended is told by `wait`, with what it said."""
        if self.proc.stdin is None or self.proc.stdin.closed:
            return
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}, ensure_ascii=False)
        try:
            self.proc.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
        except OSError:  # it ended (a broken pipe): stop sending
            self._close_input()

    def _close_input(self) -> None:
        try:
            self.proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass  # the buffered rest could not be flushed: the service is gone

    def add(self, url: str, html: str) -> None:
        """Index one page under `url` ("/entries/<id>.html": its result's address)."""
        self.send({"type": "AddFile", "index_id": 0, "url": url, "file_path": None, "file_contents": html})

    def write(self, bundle: Path) -> None:
        """Ask for the index to be written into `bundle` (`wait` for it)."""
        self.bundle = bundle
        self.send({"type": "WriteFiles", "index_id": 0, "output_path": str(bundle)})
        try:
            self.proc.stdin.flush()  # type: ignore[union-attr]
        except (OSError, ValueError):  # gone, or already closed
            self._close_input()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        pending = b""
        try:
            while chunk := self.proc.stdout.read1(1 << 16):
                *answers, pending = (pending + chunk).split(b",")
                for answer in answers:
                    payload = json.loads(base64.b64decode(answer)).get("payload") or {}
                    if payload.get("type") == "Error" and not self.failure:
                        self.failure = str(payload.get("message") or "an error")
                    elif payload.get("type") == "WriteFiles":
                        self.written = True
                        self.answered.set()
        except (OSError, ValueError) as exc:
            self.failure = self.failure or f"an unreadable answer ({exc})"
        finally:
            self.answered.set()

    def wait(self) -> None:
        """Wait for the bundle, then end the service; raises BuildFailed with Pagefind's message when it failed.

        The service exits as soon as its input ends, and it answers WriteFiles once it has created
        every file and handed its bytes to a background write (tokio's files: pagefind/src/output):
        its input is closed only when no file of the bundle is empty any more (every file Pagefind
        writes has bytes), or a file would be cut short.
        """
        self.answered.wait()
        if self.written:
            deadline = time.monotonic() + WRITE_TIMEOUT
            while _empty_files(self.bundle) and time.monotonic() < deadline:
                time.sleep(0.005)
            if _empty_files(self.bundle):
                self.failure = f"its files were not all written in {WRITE_TIMEOUT} s"
        self._close_input()
        self.reader.join()
        code = self.proc.wait()
        if self.failure or code != 0 or not self.written:
            self.errors.seek(0)
            said = self.errors.read().decode("utf-8", "replace").strip()[-500:]
            raise BuildFailed(f"Pagefind could not index the {self.language} entries: "
                              f"{self.failure or said or f'exit status {code}'}")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join()
        self.errors.close()


class Indexer:
    """The search index, made while the site is: `add(view)` as each entry is ready (its documents
    go to one Pagefind service per bundle, from a thread: Pagefind reads them while the next entries
    are converted), `close()` after the last (the bundles are written while the pages are), then
    `finish()`, or `stop()` when the build fails."""

    def __init__(self, edition: Edition, words: Labels, out: Path, plain: Callable[[str], str]) -> None:
        self.binary = executable()
        self.edition, self.words, self.plain = edition, words, plain
        self.out = out  # the site's search/ folder
        self.text: dict[str, list[str]] = {}  # bundle → its documents' text (its scripts)
        self.services: dict[str, _Service] = {}
        self.queue: queue.SimpleQueue[tuple[str, str, str] | None] = queue.SimpleQueue()  # None: the end
        self.error: BaseException | None = None  # what stopped the feeding thread, re-raised by finish()
        self.closed = False
        self.thread = threading.Thread(target=self._feed, name="search-feed", daemon=True)
        self.thread.start()

    @property
    def languages(self) -> list[str]:
        """One bundle per language (primary subtags), sorted."""
        return sorted(self.text)

    @property
    def scripts(self) -> dict[str, list[str]]:
        """Bundle → the main scripts of its letters (book.scripts.main_scripts), once every entry is in."""
        return {lang: main_scripts(" ".join(parts)) for lang, parts in sorted(self.text.items())}

    def add(self, v: EntryView) -> None:
        """Index one entry: its documents (see `documents`) go to their bundles."""
        for doc in documents(v, self.edition, self.words, self.plain):
            self.text.setdefault(doc.language, []).append(doc.text)
            self.queue.put((doc.language, "/" + v.href, doc.html))

    def close(self) -> None:
        """No more entries: the services write their bundles (meanwhile the pages are written)."""
        if not self.closed:
            self.closed = True
            self.queue.put(None)

    def _feed(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                language, url, html = item
                if language not in self.services:
                    self.services[language] = _Service(self.binary, language)
                self.services[language].add(url, html)
            for language, service in sorted(self.services.items()):
                service.write(self.out / language)
        except BaseException as exc:  # noqa: BLE001 (re-raised by finish)
            self.error = exc

    def finish(self) -> dict[tuple[str, str], str]:
        """Wait for the bundles and drop the UI files the site does not use; returns (bundle, entry
        page) → Pagefind result id. Raises BuildFailed with Pagefind's own message when a run fails."""
        self.close()
        self.thread.join()
        try:
            if isinstance(self.error, OSError):
                raise BuildFailed(f"cannot index the entries for the search: {self.error.strerror or self.error}")
            if self.error is not None:
                raise self.error
            for service in self.services.values():
                service.wait()
        except BaseException:
            self.stop()
            raise
        for lang in self.services:
            bundle = self.out / lang
            for name in UNUSED:
                (bundle / name).unlink(missing_ok=True)
            if any(p.name != "wasm.unknown.pagefind" for p in bundle.glob("wasm.*.pagefind")):
                (bundle / "wasm.unknown.pagefind").unlink(missing_ok=True)
            for service in self.services.values():
                service.errors.close()
        return result_ids(self.out)

    def stop(self) -> None:
        """End the services (a build that fails before the index is needed)."""
        self.close()
        self.thread.join()
        for service in self.services.values():
            service.kill()


def result_ids(search_dir: Path) -> dict[tuple[str, str], str]:
    """(bundle, entry page) → the id Pagefind gives the page's result in that bundle (its fragment's name).

    An entry in another language than the site's has a page in two bundles (see the module's docstring).
    """
    found = {}
    for fragment in sorted(search_dir.glob("*/fragment/*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        record = json.loads(raw[len(FRAGMENT_SIGNATURE):] if raw.startswith(FRAGMENT_SIGNATURE) else raw)
        found[(fragment.parent.parent.name, record["url"].lstrip("/"))] = fragment.stem
    return found


def facet_map(site: Site, facets: list[Facet], ids: dict[tuple[str, str], str], languages: list[str]) -> bytes:
    """search/facets.json, what search.js filters, counts and lists with (see the module's docstring)::

        {"facets": [key, ...], "bundles": [bundle, ...],
         "entries": [[first document's result id, [values of facet 1], ...], ...],   (book order)
         "ids": {result id: [entry's place in "entries", bundle's place in "bundles"], ...}}

    Raises BuildFailed when an entry has no result id (Pagefind's fragment format changed).
    """
    page_language = site.book.edition.language
    missing = [v.href for v in site.entries if (language_of(v, page_language), v.href) not in ids]
    if missing:
        raise BuildFailed(f"the search index lacks {len(missing)} entries (e.g. {missing[0]}): "
                          "this Pagefind version writes its index differently; install pagefind[extended] 1.x")
    order = {v.href: n for n, v in enumerate(site.entries)}
    data = {
        "facets": [f.key for f in facets],
        "bundles": languages,
        "entries": [[ids[(language_of(v, page_language), v.href)], *(list(f.values.get(v.id, ())) for f in facets)]
                    for v in site.entries],
        "ids": {rid: [order[href], languages.index(lang)] for (lang, href), rid in sorted(ids.items(), key=lambda x: x[1])
                if href in order and lang in languages},
    }
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def bundles(indexer: Indexer, page_language: str) -> Markup:
    """The search page's list of bundles (JSON in an attribute), the page's language first:
    [{"path": "search/en/", "lang": "en", "scripts": ["Latn"]}, ...]. search.js loads a bundle
    when a query has a letter of one of its scripts."""
    first = primary(page_language)
    ordered = sorted(indexer.languages, key=lambda lang: (lang != first, lang))
    scripts = indexer.scripts
    return Markup(escape(json.dumps([{"path": f"{SEARCH_DIR}/{lang}/", "lang": lang, "scripts": scripts[lang]}
                                     for lang in ordered], ensure_ascii=False)))


def section_titles(site: Site, words: Labels) -> dict[str, str]:
    """The heading of every section id the documents have ('problem' → 'The problem', in the site's
    language): search.js labels a snippet with it (the documents' headings are empty, see _page)."""
    titles = {"summary": words.summary, "abstract": words.abstract}
    for v in site.entries:
        titles.update((key, title) for key, title, _ in v.sections)
    return titles
