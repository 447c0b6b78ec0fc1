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
from compendium.book.scripts import main_scripts
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


def documents(v: EntryView, site: Site, words: Labels, plain: Callable[[str], str]) -> list[Document]:
    """The documents of one entry (see the module's docstring): its own, first; then, for an entry
    in another language than the site's, the one of what the site says of it. Every field escaped.

    The text goes in as plain text under one heading per section (`plain(markdown)` gives it):
    Pagefind needs the words and the headings' ids, not the markup.
    """
    e = v.entry
    site_lang = site.book.edition.language
    own, here = language_of(v, site_lang), primary(site_lang)
    sections = [("summary", words.summary, plain(e.summary)),
                *((key, title, plain(text)) for (key, text), (_, title, _) in zip(e.sections, v.sections))]
    facts = [e.country.name, e.region, e.theme.name]
    own_keywords = [k.text for k in v.keywords if k.lang != site_lang] if own != here else [k.text for k in v.keywords]
    site_keywords = [k.text for k in v.keywords if k.lang == site_lang]
    meta = {
        "title": e.title, "gloss": v.gloss, "country": e.country.name, "institution": e.institution,
        "place": words.place(e.place), "place_key": e.place, "theme": e.theme.name, "lang": e.language,
        "dir": e.dir if e.language else "", "teaser": v.teaser,
        "year": str(e.year) if site.book.edition.years else "",  # a site across editions shows each one's year
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


@dataclass
class Indexer:
    """Pagefind runs, one per language, started by `start` and awaited by `finish`."""

    scratch: Path
    out: Path  # the site's search/ folder
    languages: list[str]  # one bundle each (primary subtags), sorted
    scripts: dict[str, list[str]] = field(default_factory=dict)  # bundle → the main scripts of its letters
    runs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    thread: threading.Thread | None = None  # writes the documents and starts the runs
    error: BaseException | None = None  # what stopped that thread, re-raised by finish()
    stopped: bool = False
    ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (bundle, entry page) → result id, once indexed

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

    def finish(self) -> dict[tuple[str, str], str]:
        """Wait for the indexing (see `start`); returns (bundle, entry page) → Pagefind result id.

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


def start(site: Site, words: Labels, site_dir: Path, scratch_parent: Path, plain: Callable[[str], str]) -> Indexer:
    """Make the indexed documents, then, on a thread (the pages are written meanwhile), write them,
    run one Pagefind process per language and wait for them. Call `finish()` or `stop()` on the result."""
    binary = executable()
    scratch = Path(tempfile.mkdtemp(prefix="search-docs-", dir=scratch_parent))
    docs = [(doc, v.href) for v in site.entries for doc in documents(v, site, words, plain)]
    text: dict[str, list[str]] = {}
    for doc, _ in docs:
        text.setdefault(doc.language, []).append(doc.text)
    indexer = Indexer(scratch, site_dir / SEARCH_DIR, sorted(text),
                      {lang: main_scripts(" ".join(parts)) for lang, parts in sorted(text.items())})

    def launch() -> None:
        for doc, href in docs:
            path = scratch / doc.language / href
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(doc.html, encoding="utf-8")
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


def bundles(indexer: Indexer, page_language: str) -> Markup:
    """The search page's list of bundles (JSON in an attribute), the page's language first:
    [{"path": "search/en/", "lang": "en", "scripts": ["Latn"]}, ...]. search.js loads a bundle
    when a query has a letter of one of its scripts."""
    first = primary(page_language)
    ordered = sorted(indexer.languages, key=lambda lang: (lang != first, lang))
    return Markup(escape(json.dumps([{"path": f"{SEARCH_DIR}/{lang}/", "lang": lang, "scripts": indexer.scripts[lang]}
                                     for lang in ordered], ensure_ascii=False)))


def section_titles(site: Site, words: Labels) -> dict[str, str]:
    """The heading of every section id the documents have ('problem' → 'The problem', in the site's
    language): search.js labels a snippet with it (the documents' headings are empty, see _page)."""
    titles = {"summary": words.summary, "abstract": words.abstract}
    for v in site.entries:
        titles.update((key, title) for key, title, _ in v.sections)
    return titles
