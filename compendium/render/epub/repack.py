"""Render (EPUB): re-pack pandoc's zip so that the same book always gives the same bytes.

The OCF rules: `mimetype` first, stored (uncompressed), no extra field. After it, the other
entries keep pandoc's order (container first), with one fixed timestamp and fixed permissions,
so the result depends on the content alone, whichever zip library pandoc was built with.
"""
from __future__ import annotations

import os
import posixpath
import re
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from compendium.kept import Deflated
from compendium.render.epub.nav import NavItem, depth, locate, nav_list, ncx_map, replace_navmap, replace_toc

MIMETYPE = b"application/epub+zip"
ZIP_EPOCH = 315532800  # 1980-01-01: the earliest time a zip entry can carry
ZIP_LEVEL = 6  # deflate level of the members (zlib's default)


def _info(name: str, stamp: tuple[int, int, int, int, int, int], compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = compress
    info.create_system = 3  # unix, so the permissions below mean the same everywhere
    info.external_attr = 0o100644 << 16
    return info


_TITLE = re.compile(rb"<title>[^<]*</title>")
_HEADING = re.compile(rb"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)
_TAG = re.compile(rb"<[^>]+>")


def titled(data: bytes) -> bytes:
    """An XHTML file whose <title> is its first heading (pandoc writes the file name, e.g. 'ch012.xhtml').

    The heading's inner XHTML is already escaped; only its tags are dropped.
    """
    heading = _HEADING.search(data)
    if heading is None:
        return data
    text = b" ".join(_TAG.sub(b"", heading.group(1)).split())
    return _TITLE.sub(lambda _: b"<title>" + text + b"</title>", data, count=1) if text else data


_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")


def labelled_cover(data: bytes, label_text: str = "") -> bytes:
    """pandoc's cover page wraps the image in SVG with no text alternative: name it for screen readers
    (`label_text`, in the book's language; else 'Cover: ' and the page's title)."""
    title = re.search(rb"<title>([^<]*)</title>", data)
    opening = _SVG_OPEN.search(data)
    if title is None or opening is None:
        return data
    label = escape(label_text, quote=False).encode("utf-8") if label_text else b"Cover: " + title.group(1)
    tag = opening.group(0)[:-1] + b' role="img" aria-label="' + label.replace(b'"', b"&quot;") + b'">'
    return data[:opening.start()] + tag + b"<title>" + label + b"</title>" + data[opening.end():]


def with_landmarks(nav: bytes, nav_name: str, files: dict[str, bytes],
                   landmarks: Sequence[tuple[str, str, str]]) -> bytes:
    """Add (epub:type, element id, label) landmarks to the nav (pandoc lists only the cover).

    Each id is looked up in the XHTML files, so the link points into whichever file pandoc put it in.
    """
    end = nav.find(b"</ol>", max(nav.find(b'id="landmarks"'), 0))
    if end < 0:
        return nav
    items = b""
    for kind, ident, label in landmarks:
        marker = f'id="{ident}"'.encode()
        found = next((n for n, data in files.items() if marker in data), None)
        if found is not None:
            rel = posixpath.relpath(found, posixpath.dirname(nav_name))
            items += (f'<li><a href="{rel}#{ident}" epub:type="{kind}">{escape(label)}</a></li>\n').encode()
    return nav[:end] + items + nav[end:]


@dataclass(frozen=True)
class Finish:
    """What repack adds to pandoc's EPUB."""

    landmarks: Sequence[tuple[str, str, str]] = ()  # (epub:type, id, label) for the nav's landmarks
    contents: Sequence[NavItem] = ()  # the contents tree written into the nav and the NCX (nav.contents)
    package_meta: Sequence[str] = field(default_factory=list)  # <meta> elements added to the package
    cover_label: str = ""  # the cover's text alternative
    direction: str = "ltr"  # the book's: "rtl" is written on every document's <html> (pandoc writes lang only)


A11Y_PREFIX = b"a11y: http://www.idpf.org/epub/vocab/package/a11y/#"


def with_package_meta(opf: bytes, metas: Sequence[str]) -> bytes:
    """The package document with `metas` before </metadata>, and the a11y: prefix declared when used."""
    end = opf.find(b"</metadata>")
    if not metas or end < 0:
        return opf
    opf = opf[:end] + "".join(f"{m}\n" for m in metas).encode("utf-8") + opf[end:]
    if any("a11y:" in m for m in metas):
        package = re.search(rb"<package\b[^>]*>", opf)
        if package is not None and b"a11y:" not in package.group(0):
            tag = package.group(0)
            if b' prefix="' in tag:
                tag = tag.replace(b' prefix="', b' prefix="' + A11Y_PREFIX + b" ", 1)
            else:
                tag = tag[:-1] + b' prefix="' + A11Y_PREFIX + b'">'
            opf = opf[:package.start()] + tag + opf[package.end():]
    return opf


_HTML_OPEN = re.compile(rb"<html\b[^>]*>")


def with_direction(data: bytes, direction: str) -> bytes:
    """An XHTML document whose <html> says the book's direction (the nav and the cover page included)."""
    opening = _HTML_OPEN.search(data)
    if direction != "rtl" or opening is None or b" dir=" in opening.group(0):
        return data
    tag = opening.group(0)[:-1] + b' dir="rtl">'
    return data[:opening.start()] + tag + data[opening.end():]


def repack(source: Path | Mapping[str, bytes], target: Path, epoch: int, finish: Finish = Finish(),
           deflated: Deflated | None = None) -> None:
    """Copy the EPUB at `source` (a zip, or its members: name → bytes in the zip's order) to `target`
    deterministically (written atomically). `deflated`: the last build's deflated members, by
    content (compendium.kept.Deflated, raw deflate at level ZIP_LEVEL): a member with the same bytes
    is not deflated again (the same zip either way); the caller saves it.

    On the way, XHTML files get meaningful titles (screen readers announce them), the cover a
    text alternative, the nav and the NCX the book's contents tree and the landmarks, the package
    the accessibility claims.
    """
    if not isinstance(source, Mapping):
        with zipfile.ZipFile(source) as zin:
            source = {n: zin.read(n) for n in zin.namelist() if not n.endswith("/")}
    stamp = time.gmtime(max(epoch, ZIP_EPOCH))[:6]  # zip dates start in 1980
    names = [n for n in source if n != "mimetype" and not n.endswith("/")]
    names.sort(key=lambda n: not n.startswith("META-INF/"))  # stable: pandoc's order otherwise
    texts = {n: source[n] for n in names if n.endswith(".xhtml")}
    where = locate(texts) if finish.contents else {}  # once for the nav and the NCX
    tmp = target.with_name(target.name + ".tmp")
    with _deflating(deflated), zipfile.ZipFile(tmp, "w") as zout:
        zout.writestr(_info("mimetype", stamp, zipfile.ZIP_STORED), MIMETYPE)
        for name in names:
            data = source[name]
            if name.endswith("/cover.xhtml"):
                data = labelled_cover(data, finish.cover_label)
            elif name.endswith("/nav.xhtml"):
                if finish.contents:
                    data = replace_toc(data, nav_list(list(finish.contents), texts, name, where))
                data = titled(with_landmarks(data, name, texts, finish.landmarks))
            elif name.endswith(".xhtml"):
                data = titled(data)
            if name.endswith(".xhtml"):
                data = with_direction(data, finish.direction)
            elif name.endswith(".ncx") and finish.contents:
                data = replace_navmap(data, ncx_map(list(finish.contents), texts, name, where), depth(finish.contents))
            elif name.endswith(".opf"):
                data = with_package_meta(data, finish.package_meta)
            zout.writestr(_info(name, stamp, zipfile.ZIP_DEFLATED), data, compresslevel=ZIP_LEVEL)
    os.replace(tmp, target)


class _Remembered:
    """A zip member's compressor that deflates the whole member at once through a Deflated memo
    (zipfile's own is zlib.compressobj(level, DEFLATED, -15), fed the same bytes: the same output)."""

    def __init__(self, memo: Deflated) -> None:
        self.memo, self.parts = memo, []

    def compress(self, data: bytes) -> bytes:
        self.parts.append(bytes(data))
        return b""

    def flush(self) -> bytes:
        return self.memo.deflate(b"".join(self.parts))


@contextmanager
def _deflating(memo: Deflated | None) -> Iterator[None]:
    """While zip members are written, deflate them through `memo` (zipfile asks its module function
    _get_compressor for each member's compressor). Without a memo, or without that function in
    another Python's zipfile: zipfile's own compressors."""
    plain = getattr(zipfile, "_get_compressor", None)
    if memo is None or plain is None or memo.wbits != -15:
        yield
        return

    def compressor(compress_type: int, compresslevel: int | None = None) -> Any:
        if compress_type == zipfile.ZIP_DEFLATED and compresslevel == memo.level:
            return _Remembered(memo)
        return plain(compress_type, compresslevel)

    zipfile._get_compressor = compressor
    try:
        yield
    finally:
        zipfile._get_compressor = plain
