"""PDF render, overview chart: entries per theme, stacked by region, drawn as vector graphics.

The bars are a reportlab graphics chart; the theme names and the legend are set as text by our
paragraph engine (textflow.Text): they wrap within their column, every script is shaped, and
the legend lays its items in as many columns as fit the measure, never past the margin.
"""
from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.platypus import Flowable

from compendium.book.stats import Overview
from compendium.render.pdf.markdown import TextContext, paragraph
from compendium.render.pdf.styles import INK, MUTED, RULE, SERIES

LABEL_SHARE = 0.32  # of the width, for the theme names
BAR_SLOT = 30.0  # pt per theme
SWATCH = 7.0
LEGEND_GAP = 14.0  # pt between legend items


class Chart(Flowable):
    """Horizontal stacked bars: one bar per theme, one colour per region, legend underneath."""

    def __init__(self, ov: Overview, tc: TextContext) -> None:
        super().__init__()
        self.ov, self.tc = ov, tc
        self.labels = [paragraph(tc, "chart-label", name) for _, name in ov.themes]
        self.legend = [paragraph(tc, "chart-legend", region) for region in ov.regions]
        self.spaceBefore, self.spaceAfter = 4, 10

    def _legend_rows(self, width: float) -> list[list[tuple[int, float]]]:
        """Legend items (index, width) in rows that fit `width`."""
        rows: list[list[tuple[int, float]]] = [[]]
        used = 0.0
        for i, text in enumerate(self.legend):
            w = min(text.natural_width(), width - SWATCH - 4) + SWATCH + 4
            if rows[-1] and used + LEGEND_GAP + w > width:
                rows.append([])
                used = 0.0
            rows[-1].append((i, w))
            used += (LEGEND_GAP if len(rows[-1]) > 1 else 0.0) + w
        return rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.rows = self._legend_rows(availWidth)
        self.legend_h = len(self.rows) * 12.0 + 6
        self.bars_h = BAR_SLOT * max(len(self.ov.themes), 1) + 22
        self.height = self.bars_h + self.legend_h
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        label_w = self.width * LABEL_SHARE
        drawing = _bars(self.ov, self.tc, self.width - label_w - 8, self.bars_h)
        renderPDF.draw(drawing, canv, label_w + 8, self.legend_h)
        # theme names, right-aligned against the bars, centred on their bar
        n = max(len(self.ov.themes), 1)
        for pos, text in enumerate(self.labels):
            _, h = text.wrap(label_w, 100)
            cy = self.legend_h + 18 + BAR_SLOT * (n - pos - 0.5)
            text.drawOn(canv, 0, cy - h / 2)
        # legend rows under the bars, from the bars' left edge... or the text's if it is wider
        y = self.legend_h - 12
        for row in self.rows:
            x = 0.0
            for i, w in row:
                canv.saveState()
                canv.setFillColor(SERIES[i % len(SERIES)])
                canv.rect(x, y + 1, SWATCH, SWATCH, stroke=0, fill=1)
                canv.restoreState()
                text = self.legend[i]
                text.wrap(w - SWATCH - 4, 20)
                text.drawOn(canv, x + SWATCH + 4, y - text.height + 9)
                x += w + LEGEND_GAP
            y -= 12


def _bars(ov: Overview, tc: TextContext, width: float, height: float) -> Drawing:
    fonts = tc.styles.fonts
    n = max(len(ov.themes), 1)
    d = Drawing(width, height)
    d.initialFontName = fonts.name("sans")  # the renderer's default state would select Helvetica
    chart = HorizontalBarChart()
    chart.x, chart.y = 0, 18
    chart.width, chart.height = width - 20, BAR_SLOT * n
    rows = list(range(len(ov.themes)))[::-1]  # bottom-up drawing order: the first theme on top
    data = [[ov.cells[t][r] for t in rows] for r in range(len(ov.regions))] or [[0] * n]
    chart.data = data
    chart.categoryAxis.style = "stacked"
    chart.bars.strokeColor = colors.white
    chart.bars.strokeWidth = 0.6
    chart.barWidth = 16
    for i in range(len(data)):
        chart.bars[i].fillColor = SERIES[i % len(SERIES)]
    chart.categoryAxis.categoryNames = [""] * n
    chart.categoryAxis.labels.fontName = chart.barLabels.fontName = fonts.name("sans")
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.visibleTicks = 0
    chart.valueAxis.valueMin = 0
    top = max([sum(ov.cells[t]) for t in range(len(ov.themes))] or [1])
    step = max(1, -(-top // 5))
    chart.valueAxis.valueMax = max(step * 5, 1)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = fonts.name("sans")
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#E4EAF0")
    chart.valueAxis.gridStrokeWidth = 0.5
    d.add(chart)
    slot = chart.height / n
    for pos, t in enumerate(rows):
        total = sum(ov.cells[t])
        x_end = chart.x + chart.width * total / chart.valueAxis.valueMax
        d.add(String(x_end + 4, chart.y + slot * (pos + 0.5) - 2.5, str(total), fontName=fonts.name("sans", "bold"),
                     fontSize=7.5, fillColor=INK))
    return d


def overview_chart(ov: Overview, tc: TextContext) -> Chart:
    """The overview chart as a flowable (its labels and legend in the book's fonts and scripts)."""
    return Chart(ov, tc)
