"""PDF render, overview chart: entries per theme, stacked by region, drawn as vector graphics.

The same design as the EPUB's and the website's chart (render.html.svg): the legend first, one
region a row; then for each theme its name across the measure (wrapped, every script shaped by
our paragraph engine, textflow.Text), and under it a bar divided by region, its total at its end.
Names above the bars never crowd each other, whatever their length; bars share one scale.
"""
from __future__ import annotations

from reportlab.platypus import Flowable

from compendium.book.stats import Overview
from compendium.book.voice import voice
from compendium.render.pdf.markdown import TextContext, paragraph
from compendium.render.pdf.styles import SERIES

BAR = 11.0  # pt: a bar's thickness
BAR_GAP = 3.0  # pt between a theme's name and its bar
ROW_GAP = 9.0  # pt after a bar
SWATCH = 7.0
LEGEND_ROW = 11.0  # pt a legend row
TOTAL_ROOM = 22.0  # pt kept after the longest bar for its total


class Chart(Flowable):
    """Horizontal stacked bars: one bar per theme under its name, one colour per region, legend on top."""

    def __init__(self, ov: Overview, tc: TextContext, rows: range | None = None, legend: bool = True) -> None:
        super().__init__()
        self.ov, self.tc = ov, tc
        self.rows = rows if rows is not None else range(len(ov.themes))  # the themes this part of the chart draws
        self.labels = [paragraph(tc, "chart-label", ov.themes[i][1]) for i in self.rows]
        self.legend = [paragraph(tc, "chart-legend", region) for region in ov.regions] if legend else []
        say = voice(tc.labels.language)  # totals in the book's digits (book.voice)
        self.totals = [paragraph(tc, "chart-total", say.number(ov.row_totals[i])) for i in self.rows]
        self.spaceBefore, self.spaceAfter = 4, 10

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        self.width = availWidth
        self.legend_h = len(self.legend) * LEGEND_ROW + 8 if self.legend else 0.0
        self.rows_h = [label.wrap(availWidth, 200)[1] + BAR_GAP + BAR + ROW_GAP for label in self.labels]
        self.height = self.legend_h + sum(self.rows_h)
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """The legend and the bars that fit, then the other bars (a chart taller than what is left of a page)."""
        self.wrap(availWidth, availHeight)
        used, fit = self.legend_h, 0
        for h in self.rows_h:
            if used + h > availHeight:
                break
            used, fit = used + h, fit + 1
        if (fit == 0 and not self.legend) or self.legend_h > availHeight or fit == len(self.rows):
            return []
        head = Chart(self.ov, self.tc, self.rows[:fit], legend=bool(self.legend))
        tail = Chart(self.ov, self.tc, self.rows[fit:], legend=False)
        return [head, tail]

    def draw(self) -> None:
        canv = self.canv
        y = self.height
        for i, text in enumerate(self.legend):  # one region a row: no name stranded at the far side
            y -= LEGEND_ROW
            canv.saveState()
            canv.setFillColor(SERIES[i % len(SERIES)])
            canv.rect(0, y + 1, SWATCH, SWATCH, stroke=0, fill=1)
            canv.restoreState()
            text.wrap(self.width - SWATCH - 4, 20)
            text.drawOn(canv, SWATCH + 4, y - text.height + 9)
        if self.legend:
            y -= 8
        biggest = max(self.ov.row_totals, default=0) or 1
        scale = (self.width - TOTAL_ROOM) / biggest
        cells_of = [self.ov.cells[i] for i in self.rows]
        for label, cells, row_h, total_text in zip(self.labels, cells_of, self.rows_h, self.totals):
            _, h = label.wrap(self.width, 200)
            label.drawOn(canv, 0, y - h)
            bar_y = y - h - BAR_GAP - BAR
            x = 0.0
            for i, count in enumerate(cells):
                if not count:
                    continue
                canv.saveState()
                canv.setFillColor(SERIES[i % len(SERIES)])
                canv.rect(x, bar_y, max(count * scale - 1.0, 1.0), BAR, stroke=0, fill=1)
                canv.restoreState()
                x += count * scale
            total_text.wrap(TOTAL_ROOM, 20)
            total_text.drawOn(canv, x + 4, bar_y + (BAR - total_text.height) / 2 + 1)
            y -= row_h


def overview_chart(ov: Overview, tc: TextContext) -> Chart:
    """The overview chart as a flowable (its labels and legend in the book's fonts and scripts)."""
    return Chart(ov, tc)


__all__ = ["Chart", "overview_chart"]
