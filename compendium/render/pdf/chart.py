"""PDF render, overview chart: entries per theme, stacked by region, drawn as vector graphics.

The same design as the EPUB's and the website's chart (render.html.svg): the legend first, one
region a row; then for each theme its name across the measure (wrapped, every script shaped by
our paragraph engine, textflow.Text), and under it a bar divided by region, its total at its end.
Names above the bars never crowd each other, whatever their length; bars share one scale.
"""
from __future__ import annotations

from reportlab.platypus import Flowable

from compendium.book.stats import Overview
from compendium.render.pdf.markdown import TextContext, paragraph
from compendium.book.voice import voice
from compendium.render.pdf.styles import SERIES

BAR = 11.0  # pt: a bar's thickness
BAR_GAP = 3.0  # pt between a theme's name and its bar
ROW_GAP = 9.0  # pt after a bar
SWATCH = 7.0
LEGEND_ROW = 11.0  # pt a legend row
TOTAL_ROOM = 22.0  # pt kept after the longest bar for its total


class Chart(Flowable):
    """Horizontal stacked bars: one bar per theme under its name, one colour per region, legend on top."""

    def __init__(self, ov: Overview, tc: TextContext) -> None:
        super().__init__()
        self.ov, self.tc = ov, tc
        self.labels = [paragraph(tc, "chart-label", name) for _, name in ov.themes]
        self.legend = [paragraph(tc, "chart-legend", region) for region in ov.regions]
        say = voice(tc.labels.language)  # totals in the book's digits (book.voice)
        self.totals = [paragraph(tc, "chart-total", say.number(t)) for t in ov.row_totals]
        self.spaceBefore, self.spaceAfter = 4, 10

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        self.width = availWidth
        self.legend_h = len(self.legend) * LEGEND_ROW + 8
        self.rows_h = [label.wrap(availWidth, 200)[1] + BAR_GAP + BAR + ROW_GAP for label in self.labels]
        self.height = self.legend_h + sum(self.rows_h)
        return availWidth, self.height

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
        y -= 8
        biggest = max(self.ov.row_totals, default=0) or 1
        scale = (self.width - TOTAL_ROOM) / biggest
        for label, cells, total, row_h, total_text in zip(self.labels, self.ov.cells, self.ov.row_totals, self.rows_h,
                                                          self.totals):
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
