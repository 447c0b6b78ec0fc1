"""PDF render, tables: a Markdown table sized from its content, shrunk or split by columns to fit.

Columns get widths from their content as a browser's automatic table layout does (CSS 2.1
§17.5.2.2): every column at least its widest unbreakable word (a number is never broken), the
rest of the measure shared in proportion to how much each column's text wants. When even the
minimum widths exceed the measure, the type is set smaller, step by step down to FLOOR_PT; when
that is not enough, the table is split by columns into several tables stacked one under the
other, each repeating the first column (the row labels), so nothing is ever drawn past the
margin. A right-to-left table runs its columns right to left.
"""
from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from compendium.render.pdf.styles import ACCENT, RULE, TINT, Styles
from compendium.render.pdf.textflow import Text, split_width

PAD = 4.0  # pt of padding on each side of a cell
FLOOR_PT = 6.5  # the smallest type a table is shrunk to
STEPS = (1.0, 0.9, 0.8, 0.7)


def column_widths(rows: list[list[Flowable]], avail: float) -> list[float] | None:
    """Widths (pt) of the columns in `avail` points, or None when their minimums do not fit."""
    n = max(len(r) for r in rows)
    low = [0.0] * n
    high = [0.0] * n
    for row in rows:
        for i, cell in enumerate(row):
            if isinstance(cell, Text):
                low[i] = max(low[i], cell.minWidth() + 2 * PAD)
                high[i] = max(high[i], cell.natural_width() + 2 * PAD)
    high = [max(h, lo) for h, lo in zip(high, low)]
    if sum(low) > avail + 0.01:
        return None
    if sum(high) <= avail:
        # everything fits on one line: share the rest in proportion to the text, filling the measure
        spare = avail - sum(high)
        total = sum(high) or 1.0
        return [h + spare * h / total for h in high]
    spare = avail - sum(low)
    want = [h - lo for h, lo in zip(high, low)]
    total = sum(want) or 1.0
    return [lo + spare * w / total for lo, w in zip(low, want)]


class TableBlock(Flowable):
    """A table of Text cells laid out when its width is known (see the module doc).

    rows: header row first when `head` is 1; cells are Text flowables.
    """

    def __init__(self, rows: list[list[Text]], head: int, styles: Styles, rtl: bool = False) -> None:
        super().__init__()
        n = max((len(r) for r in rows), default=1)
        self.rows = [r + [None] * (n - len(r)) for r in rows] or [[None]]  # type: ignore[list-item]
        self.head, self.styles, self.rtl = head, styles, rtl
        self._parts: list[Flowable] = []
        self._for = -1.0
        self.spaceBefore, self.spaceAfter = 2, 10

    def _plan(self, avail: float) -> list[Flowable]:
        if avail == self._for:
            return self._parts
        self._for = avail
        for factor in STEPS:
            if factor < 1 and self._smallest() * factor < FLOOR_PT - 0.01:
                break
            rows = self._cells(factor)
            widths = column_widths(rows, avail)
            if widths is not None:
                self._parts = [self._table(rows, widths)]
                return self._parts
        self._parts = self._by_columns(avail)
        return self._parts

    def _smallest(self) -> float:
        return min((c.style.fontSize for r in self.rows for c in r if c is not None), default=8.5)

    def _cells(self, factor: float) -> list[list[Flowable]]:
        out: list[list[Flowable]] = []
        for row in self.rows:
            cells: list[Flowable] = [(c.scaled(factor) if factor != 1 else c) if c is not None else Spacer(0, 0)
                                     for c in row]
            out.append(cells[::-1] if self.rtl else cells)
        return out

    def _by_columns(self, avail: float) -> list[Flowable]:
        """Groups of columns that fit at the smallest type, each repeating the first column."""
        factor = max(FLOOR_PT / self._smallest(), STEPS[-1])
        rows = self._cells(factor)
        n = len(rows[0])
        order = list(range(n))[::-1] if self.rtl else list(range(n))
        key, rest = order[0], order[1:]
        groups: list[list[int]] = []
        cur: list[int] = []
        for col in rest:
            trial = [key, *cur, col]
            if cur and column_widths([[r[i] for i in trial] for r in rows], avail) is None:
                groups.append(cur)
                cur = [col]
            else:
                cur.append(col)
        groups.append(cur)
        out: list[Flowable] = []
        for g in groups:
            cols = [key, *g] if not self.rtl else [*g, key]
            sub = [[r[i] for i in cols] for r in rows]
            widths = column_widths(sub, avail)
            if widths is None:  # even two columns do not fit: equal shares; cells break inside words
                widths = [avail / len(cols)] * len(cols)
            out += [self._table(sub, widths), Spacer(0, 8)]
        return out

    def _table(self, rows: list[list[Flowable]], widths: list[float]) -> Table:
        table = Table(rows, colWidths=widths, repeatRows=self.head, hAlign="RIGHT" if self.rtl else "LEFT",
                      splitByRow=1, splitInRow=1)
        commands = [
            ("FONT", (0, 0), (-1, -1), self.styles.fonts.name("sans"), 8.5),  # else reportlab selects Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if self.head:
            commands += [("BACKGROUND", (0, 0), (-1, 0), TINT), ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT)]
        table.setStyle(TableStyle(commands))
        return table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        parts = self._plan(availWidth)
        self.width = availWidth
        self.height = sum(p.wrap(availWidth, availHeight)[1] for p in parts)
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        availWidth = split_width(self, availWidth)
        parts = self._plan(availWidth)
        first, rest = parts[0], list(parts[1:])
        if first.wrap(availWidth, availHeight)[1] <= availHeight:
            return [first, *rest]  # the first table fits: the others follow on their own
        pieces = first.split(availWidth, availHeight)
        return [*pieces, *rest] if pieces else []

    def draw(self) -> None:
        y = self.height
        for part in self._parts:
            _, h = part.wrap(self.width, y)
            y -= h
            part.drawOn(self.canv, 0, y)
