"""PDF render, pictures: each picture's image XObject made once and kept in the build cache.

reportlab decodes a PNG and deflates its pixels every time a document first draws it: ~30 ms for
an 800×500 picture, 6 s of CPU in a book of 200 pictures, the same work at every build. So:
- an 8-bit RGB or grey PNG without transparency is embedded as it is (PNGImage: its compressed
  pixels, read by PDF's Flate filter with the PNG predictors); other pictures go reportlab's way;
- the XObject depends only on the picture's bytes and mask and on how it is made (XOBJECT_FORMAT,
  reportlab's version), so it is kept, pickled, in `<cache>/pdf-pictures/`, and put into the
  document before canvas.drawImage looks for it (drawImage then only draws it);
- the layout workers make the XObjects of the pages they lay out (`prepare_picture`), so that the
  process writing the book only reads them.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.lib.utils import _digester
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from compendium import kept

FOLDER = "pdf-pictures"
XOBJECT_FORMAT = 2  # bump when how an XObject is made changes (2: PNGs taken as they are)


class ContentPath(str):
    """A file path that prints as its content digest: reportlab names an image XObject after
    '%s' % path, and opens the file through the string itself."""

    digest: str = ""

    def __new__(cls, path: Path) -> ContentPath:
        out = super().__new__(cls, str(path))
        out.digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return out

    @classmethod
    def known(cls, path: str, digest: str) -> ContentPath:
        """The picture at `path` whose content digest is already known (a page replayed from a display list)."""
        out = super().__new__(cls, path)
        out.digest = digest
        return out

    def __str__(self) -> str:
        return f"image-{self.digest}"


def draw_picture(canv: Canvas, image: ContentPath, x: float, y: float, width: float, height: float,
                 mask: Any, cache: Path | None) -> None:
    """canvas.drawImage(image, x, y, width, height, mask=mask) (pt), the XObject taken from `cache`
    (a folder) when an earlier build made it, else made and kept there."""
    if cache is not None and getattr(canv, "record", None) is None:
        _register(canv, image, mask, cache)
    canv.drawImage(image, x, y, width, height, mask=mask)


def _register(canv: Canvas, image: ContentPath, mask: Any, cache: Path) -> None:
    """Put the picture's XObject into the canvas's document under the name drawImage gives it."""
    name = _xobject_name(image, mask)
    doc = canv._doc
    reg = doc.getXObjectName(name)
    if doc.idToObject.get(reg) is not None:
        return
    obj = kept.load(_kept_path(image, mask, cache), pdfdoc.PDFImageXObject) or _make_xobject(image, mask, cache, name)
    obj.name = name
    canv._setXObjects(obj)
    doc.Reference(obj, reg)
    doc.addForm(name, obj)
    smask = getattr(obj, "_smask", None)
    if smask is not None:  # as drawImage does: the soft mask (alpha) as its own XObject
        mask_reg = doc.getXObjectName(smask.name)
        if doc.idToObject.get(mask_reg) is None:
            canv._setXObjects(smask)
            obj.smask = doc.Reference(smask, mask_reg)
        else:
            obj.smask = pdfdoc.PDFObjectReference(mask_reg)
        del obj._smask


def prepare_picture(path: str, digest: str, mask: Any, cache: Path) -> None:
    """Make the XObject of the picture at `path` (content digest `digest`) and keep it in `cache`,
    unless an earlier build or another worker did: the PDF's layout workers prepare the pictures of
    the pages they lay out, so that the process writing the book only reads them (decoding and
    deflating a picture costs ~10 ms: 10 s of one core for a book of 1,000 pictures, else)."""
    image = ContentPath.known(path, digest)
    saved = rl_config.useA85
    rl_config.useA85 = 0  # as the book is written (layout.BookDoc.build): the XObject and its key depend on it
    try:
        if not _kept_path(image, mask, cache).is_file():
            _make_xobject(image, mask, cache, _xobject_name(image, mask))
    finally:
        rl_config.useA85 = saved


def _xobject_name(image: ContentPath, mask: Any) -> str:
    return _digester(f"{image}{mask}".encode("utf-8"))  # what drawImage computes for a path


def _kept_path(image: ContentPath, mask: Any, cache: Path) -> Path:
    how = repr((XOBJECT_FORMAT, mask, REPORTLAB_VERSION, rl_config.useA85))  # all that makes the XObject's bytes
    return cache / f"{image.digest}-{_digester(how.encode())}.pickle"


def _make_xobject(image: ContentPath, mask: Any, cache: Path, name: str) -> pdfdoc.PDFImageXObject:
    """The picture's XObject, made now (a PNG's own deflated pixels when the PDF can take them as
    they are, else decoded and deflated by reportlab) and kept in `cache`."""
    # "auto" masks only what has transparency, which a PNG taken as it is has not
    obj = (_png_as_is(image, name) if mask in (None, "auto") else None) or pdfdoc.PDFImageXObject(name, image, mask=mask)
    try:
        kept.store(_kept_path(image, mask, cache), obj)
    except OSError:
        pass  # a cache that cannot be written costs time, not the build
    return obj


_PNG = b"\x89PNG\r\n\x1a\n"


class PNGImage(pdfdoc.PDFImageXObject):
    """An image XObject holding a PNG's compressed pixels as they are: PDF's Flate filter with the PNG
    predictors (ISO 32000-1, 7.4.4.4) reads PNG's filtered scanlines, so nothing is decoded or deflated
    (reportlab decodes and deflates every PNG: ~30 ms for 800 × 500 px, 6 s of CPU for a book of 200)."""

    colors = 3

    def format(self, document: Any) -> bytes:
        stream = pdfdoc.PDFStream(content=self.streamContent)
        d = stream.dictionary
        d["Type"] = pdfdoc.PDFName("XObject")
        d["Subtype"] = pdfdoc.PDFName("Image")
        d["Width"], d["Height"], d["BitsPerComponent"] = self.width, self.height, 8
        d["ColorSpace"] = pdfdoc.PDFName(self.colorSpace)
        d["Filter"] = pdfdoc.PDFName("FlateDecode")  # a name: its DecodeParms a dictionary (an array of one
        # filter takes an array of parameters: poppler ignored the dictionary and drew the filtered rows)
        d["DecodeParms"] = pdfdoc.PDFDictionary({"Predictor": 15, "Colors": self.colors, "BitsPerComponent": 8,
                                                 "Columns": self.width})
        d["Length"] = len(self.streamContent)
        return stream.format(document)


def _png_as_is(path: str, name: str) -> PNGImage | None:
    """A PNGImage of the file at `path` when it is a PNG the PDF can take as it is — 8 bits per channel,
    greyscale or RGB, not interlaced, without transparency or palette — else None (reportlab's way)."""
    try:
        with open(str.__str__(path), "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    if not data.startswith(_PNG):
        return None
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind in (b"tRNS", b"PLTE", b"IEND"):
            if kind != b"IEND":
                return None
            break
    if header is None or len(header) < 13 or not idat:
        return None
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour, interlace = header[8], header[9], header[12]
    if depth != 8 or interlace != 0 or colour not in (0, 2):
        return None
    obj = PNGImage(name)
    obj.width, obj.height = width, height
    obj.colorSpace, obj.colors = ("DeviceRGB", 3) if colour == 2 else ("DeviceGray", 1)
    obj.streamContent = b"".join(idat)
    obj._filters = ("FlateDecode",)
    return obj
