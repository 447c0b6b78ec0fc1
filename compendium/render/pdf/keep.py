"""PDF render, keeps: a heading stays with the first lines of its text, not with all of it.

reportlab implements `keepWithNext` by gathering a heading and the flowable after it into a
KeepTogether, which moves the whole group to the next page when it does not fit: a heading
followed by a long paragraph leaves the rest of the page empty (issue: 137 pt left blank after a
chart, "Lessons learned" and its nine lines pushed to the next page). `KeepWithLines` keeps the
book designer's rule instead: the heading goes with at least KEEP_LINES lines of its paragraph
(or the whole paragraph when it is shorter), and the paragraph splits after them with at least
two lines on each side (textflow.MIN_LINES). A group that cannot keep that many lines on the
page, or whose last member cannot split, moves on whole, as before.

BookDoc uses it as its `keepTogetherClass`.
"""
from __future__ import annotations

from reportlab.platypus import Flowable, Indenter
from reportlab.platypus.flowables import KeepTogether

from compendium.render.pdf.textflow import Text

KEEP_LINES = 3  # lines of text kept under a heading at the foot of a page


class KeepWithLines(KeepTogether):
    """keepWithNext: the leading flowables (headings) and at least KEEP_LINES lines of the last one."""

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (reportlab's names)
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = self._content
        last = content[-1] if content else None
        if self._H > aH and len(content) >= 2 and isinstance(last, Text):
            parts = self._split_last(aW, aH)
            if parts:
                return parts
        return super().split(aW, aH)

    def _split_last(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803
        """The heads, then the last paragraph split where the page ends, when its first part keeps
        KEEP_LINES lines; [] otherwise."""
        *heads, last = self._content
        used = 0.0
        for f in heads:  # counted generously: a part that then does not fit would leave a lonely heading
            if isinstance(f, Indenter):  # a list's indent, between its lead-in and its first item
                aW -= f.left + f.right  # noqa: N806
                continue
            if getattr(f, "frameAction", None):
                continue
            _, h = f.wrapOn(self.canv, aW, aH)
            used += h + f.getSpaceBefore() + f.getSpaceAfter()
        room = aH - used - last.getSpaceBefore() - 1.0
        if room <= 0:
            return []
        parts = last.splitOn(self.canv, aW, room)
        if len(parts) < 2 or not isinstance(parts[0], Text):
            return []
        first = parts[0]
        first.wrapOn(self.canv, aW, room)
        if len(first.lines) < KEEP_LINES:
            return []
        return [*heads, *parts]
