"""PDF render, display lists: pages laid out apart from the book, kept as positions, replayed into it.

The body of the book is laid out a unit at a time (units.py: a part opener, an entry), in worker
processes and across builds, so a laid-out page must not depend on the document it ends up in.
A `Recorder` canvas keeps each page as a display list of
- operator strings of the content stream that name no resource: paths, rules, colours,
  transforms, /ActualText spans (position-only: the same in any document);
- lines of text (textops.draw_line: operators, and runs whose codes the document assigns:
  reportlab numbers a font's glyphs in the order a document first meets them);
- `Picture`s (image XObjects), `Link`s (annotations), `Call`s (canvas methods that select a font:
  the strings of a table cell) and layout.`Mark`s (named destinations, outline entries, running
  heads, the page numbers of the contents and the indexes).
`LaidPage` replays a page into the book's canvas, on whatever page it lands (a recto or a verso:
the text block has the same size on both, only moved). Coordinates are relative to the text
block's lower left corner: the recorder lays pages out in a frame at the origin.
"""
from __future__ import annotations

import io
import re
from typing import Any, NamedTuple

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from compendium.render.pdf.layout import Mark, place_mark
from compendium.render.pdf.pictures import ContentPath, draw_picture
from compendium.render.pdf.streams import link_url
from compendium.render.pdf.textcache import PageWriter, UnitText
from compendium.render.pdf.textops import emit_line

# an operator naming a document resource (a font, an XObject, a graphics state, a colour space...)
_RESOURCE = re.compile(r"/[^\s/<>\[\]()]+\s+(?:[-\d.]+\s+)?(?:Tf|Do|gs|sh|cs|CS)\b")


class Link(NamedTuple):
    """A link annotation: rect (x0, y0, x1, y1, pt, text-block coordinates); "#key" or an URL."""

    rect: tuple[float, float, float, float]
    target: str


class Picture(NamedTuple):
    """canvas.drawImage of a picture file (path, content digest), at x, y, width, height (pt)."""

    path: str
    digest: str
    x: float
    y: float
    width: float
    height: float
    mask: Any


class Call(NamedTuple):
    """A canvas method that depends on the document (setFont, drawString...), replayed as such."""

    name: str
    args: tuple[Any, ...]


Page = list[Any]  # a display list: str | tuple (a line) | Link | Picture | Call | Mark


class Recorder(Canvas):
    """A canvas that keeps every page as a display list (`pages`) instead of writing a PDF."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages: list[Page] = []

    def record(self, op: Any) -> None:
        self._code.append(op)

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self.pages.append(_compact(self._code))
        self._startPage()

    def save(self) -> None:
        """Nothing to write: the pages are the result."""

    def linkRect(self, contents: str, destinationname: str, Rect: Any = None, addtopage: int = 1,  # noqa: N802,N803
                 name: Any = None, relative: int = 1, **kw: Any) -> None:
        self.record(Link(tuple(self._absRect(Rect, relative)), "#" + destinationname))

    def linkURL(self, url: str, rect: Any, relative: int = 0, **kw: Any) -> None:  # noqa: N802
        self.record(Link(tuple(self._absRect(rect, relative)), url))

    def drawImage(self, image: Any, x: float, y: float, width: float | None = None,  # noqa: N802
                  height: float | None = None, mask: Any = None, **kw: Any) -> None:
        if not isinstance(image, ContentPath) or width is None or height is None or kw:
            raise TypeError("a laid-out page takes pictures as a ContentPath at a given size")
        self.record(Picture(str.__str__(image), image.digest, x, y, width, height, mask))

    def setFont(self, *args: Any) -> None:  # noqa: N802
        start = len(self._code)
        super().setFont(*args)  # keeps the font for metrics; what it wrote names the document's font
        del self._code[start:]
        self.record(Call("setFont", args))

    def drawString(self, *args: Any, **kw: Any) -> None:  # noqa: N802
        self._text_call("drawString", args, kw)

    def drawRightString(self, *args: Any, **kw: Any) -> None:  # noqa: N802
        self._text_call("drawRightString", args, kw)

    def drawCentredString(self, *args: Any, **kw: Any) -> None:  # noqa: N802
        self._text_call("drawCentredString", args, kw)

    def _text_call(self, name: str, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
        if kw:
            raise TypeError(f"a laid-out page takes {name} without options")
        if len(args) >= 3 and args[2]:
            self.record(Call(name, args))

    def bookmarkPage(self, *args: Any, **kw: Any) -> None:  # noqa: N802
        raise TypeError("a laid-out page marks places with layout.Anchor, not bookmarks")

    def addOutlineEntry(self, *args: Any, **kw: Any) -> None:  # noqa: N802
        raise TypeError("a laid-out page adds outline entries with layout.Anchor")


def _compact(ops: list[Any]) -> Page:
    """The page's ops with neighbouring operator strings joined; refuses one that names a resource."""
    out: Page = []
    for op in ops:
        if op.__class__ is str:
            if _RESOURCE.search(op):
                raise ValueError(f"a laid-out page drew with a document resource: {op[:80]!r}")
            if out and out[-1].__class__ is str:
                out[-1] += "\n" + op
                continue
        out.append(op)
    return out


class LaidPage(Flowable):
    """A page laid out apart (a display list) that fills the text block it is drawn in; `text`: its
    unit's kept text and the page's number in the unit (textcache.py), saved after the unit's last page."""

    def __init__(self, ops: Page, height: float, text: tuple[UnitText, int, bool] | None = None) -> None:
        super().__init__()
        self.ops, self.height, self.text = ops, height, text

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        if self.text is None:
            replay(self.canv, self.ops)
            return
        unit, index, last = self.text
        writer = PageWriter(unit, index, self.canv._doc, sum(1 for op in self.ops if op.__class__ is tuple))
        replay(self.canv, self.ops, writer)
        writer.finish()
        if last:
            unit.save()


def replay(canv: Canvas, ops: Page, writer: PageWriter | None = None) -> None:
    """Draw a display list into `canv`, whose user space is at the text block's lower left corner;
    its lines of text taken from, or given to, `writer` (textcache.py)."""
    code = canv._code
    x0, y0 = canv.absolutePosition(0, 0)
    n = 0
    for op in ops:
        kind = op.__class__
        if kind is str:
            code.append(op)
        elif kind is tuple:
            line = writer.line(n) if writer is not None else None
            n += 1
            if line is not None:
                code.append(line)
                continue
            emit_line(canv, op)
            if writer is not None:
                writer.wrote(code[-1])
        elif kind is Link:
            if op.target.startswith("#"):
                canv.linkRect("", op.target[1:], op.rect, relative=1, thickness=0)
            else:
                link_url(canv, op.target, op.rect)
        elif kind is Picture:
            draw_picture(canv, ContentPath.known(op.path, op.digest), op.x, op.y, op.width, op.height, op.mask,
                         getattr(canv._doctemplate, "picture_cache", None))
        elif kind is Call:
            getattr(canv, op.name)(*op.args)
        elif kind is Mark:
            place_mark(canv, op, y0 + op.y)
        else:
            raise TypeError(f"not a display list op: {op!r}")


class UnitDoc(BaseDocTemplate):
    """Lays flowables out on pages of the text block's size, recorded (see Recorder), never written."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__(io.BytesIO(), pagesize=(width, height), leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0,
                         invariant=1)
        frame = Frame(0, 0, width, height, id="text", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("text", [frame])])
        self.current: tuple[str, str] | None = None

    def record(self, flowables: list[Flowable]) -> list[Page]:
        """Lay `flowables` out; returns the pages as display lists. Raises reportlab's LayoutError."""
        self.build(flowables, canvasmaker=Recorder)
        return self.canv.pages

    def _endBuild(self) -> None:  # noqa: N802
        self._doSave = 0
        super()._endBuild()
