"""PDF render, pictures: each picture's image XObject made once and kept in the build cache.

reportlab decodes a PNG and deflates its pixels every time a document first draws it: ~10 ms for
an 800×500 picture, 2 s of CPU in a book of 1,000 entries, the same work at every build. The
XObject depends only on the picture's bytes and mask (and reportlab's version), so it is kept,
pickled, in `<cache>/pdf-pictures/`, and put into the document before canvas.drawImage looks
for it (drawImage then only draws it).
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

from compendium.render import kept

FOLDER = "pdf-pictures"


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
    return cache / f"{image.digest}-{_digester(repr((mask, REPORTLAB_VERSION, rl_config.useA85)).encode())}.pickle"


def _make_xobject(image: ContentPath, mask: Any, cache: Path, name: str) -> pdfdoc.PDFImageXObject:
    """The picture's XObject, made now (decoded, deflated) and kept in `cache`."""
    obj = pdfdoc.PDFImageXObject(name, image, mask=mask)
    try:
        kept.store(_kept_path(image, mask, cache), obj)
    except OSError:
        pass  # a cache that cannot be written costs time, not the build
    return obj
