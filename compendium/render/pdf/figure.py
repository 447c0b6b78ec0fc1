"""PDF render, figures: a picture with its caption, sized for print when the width is known.

A picture prints at 300 pixels per inch (the offset-printing norm) or larger if that is less
than MIN_SHARE of the measure, never wider than the measure nor taller than MAX_HEIGHT of the
text block; when that makes it print below 300 ppi the build warns (pdf.image-resolution),
naming the entry's image field. The figure's number and title stand above the picture, its
source under it; they stay together. A figure that finds 80 % of its height left on the page
shrinks to end it (rather than leave a hole), else it moves on to the next page, and on a
page of its own it shrinks to fit.

The image XObject is named after the picture's content, not its path (pictures.ContentPath):
the same project built in two folders gives the same bytes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable

from compendium.render.pdf.pictures import ContentPath, draw_picture
from compendium.render.pdf.textflow import Text, split_width

PRINT_PPI = 300
MIN_SHARE = 0.6  # of the measure: a smaller picture is enlarged to this (and warned about)
MAX_HEIGHT = 0.42  # of the text block's height
GAP = 4.0  # pt between picture and caption
SHRINK_TO_FIT = 0.8  # a picture that finds this share of its height left on the page shrinks to end it


class Figure(Flowable):
    """Picture `source` (w × h pixels) with an optional caption Text; `rtl` aligns it right.

    max_height: the text block's height (pt); the picture takes at most MAX_HEIGHT of it.
    low_res(ppi): called once when the picture must print below PRINT_PPI.
    """

    def __init__(self, source: Path, pixels: tuple[int, int], caption: Text | None, max_height: float,
                 rtl: bool = False, low_res: Any = None, title: Text | None = None) -> None:
        super().__init__()
        self.source = ContentPath(source)
        self.px_w, self.px_h = pixels
        self.caption, self.max_height, self.rtl, self.low_res = caption, max_height, rtl, low_res
        self.title = title  # above the picture: "Figure 3. Its caption"
        self.spaceBefore, self.spaceAfter = 8, 14
        self._warned = False
        self.img_w = self.img_h = 0.0
        self.fit = 0.0  # a height (pt) the picture shrinks to, to end a page rather than leave it half empty

    def _size(self, avail_w: float, avail_h: float | None = None) -> tuple[float, float]:
        natural = self.px_w * 72 / PRINT_PPI
        w = min(avail_w, max(natural, avail_w * MIN_SHARE))
        h = w * self.px_h / self.px_w
        cap = self.max_height * MAX_HEIGHT
        if avail_h is not None:
            cap = min(cap, avail_h)
        if self.fit:
            cap = min(cap, self.fit)
        if h > cap:
            w, h = w * cap / h, cap
        return w, h

    def _texts_height(self, width: float, height: float) -> float:
        """The title's and the caption's heights with their gaps (pt)."""
        out = self.caption.wrap(width, height)[1] + GAP if self.caption else 0.0
        if self.title:
            out += self.title.wrap(width, height)[1] + GAP
        return out

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.img_w, self.img_h = self._size(availWidth)
        self.height = self.img_h + self._texts_height(availWidth, availHeight)
        ppi = self.px_w / (self.img_w / 72) if self.img_w else PRINT_PPI
        if ppi < PRINT_PPI - 0.5 and self.low_res and not self._warned:
            self._warned = True
            self.low_res(int(ppi))
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        availWidth = split_width(self, availWidth)
        frame = getattr(self, "_frame", None)  # set by reportlab's Frame.split
        texts = self._texts_height(availWidth, availHeight)
        room = availHeight - texts - 1.0
        if frame is not None and getattr(frame, "_atTop", 0):
            # alone on a page and still too tall: shrink the picture to what the page holds
            if room > 24:
                self.max_height = room / MAX_HEIGHT
                return [self]
        elif room >= self.img_h * SHRINK_TO_FIT and not self.fit:
            # most of it fits: a little smaller here rather than a hole at the foot of the page
            self.fit = room
            return [self]
        return []

    def draw(self) -> None:
        canv = self.canv
        x = self.width - self.img_w if self.rtl else 0.0
        top = self.height
        if self.title:
            self.title.wrap(self.width, self.height)
            top -= self.title.height
            self.title.drawOn(canv, 0, top)
            top -= GAP
        draw_picture(canv, self.source, x, top - self.img_h, self.img_w, self.img_h, "auto",
                     getattr(getattr(canv, "_doctemplate", None), "picture_cache", None))
        if self.caption:
            self.caption.wrap(self.width, self.height)
            self.caption.drawOn(canv, 0, top - self.img_h - GAP - self.caption.height)

    def getSpaceBefore(self) -> float:
        return self.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.spaceAfter
