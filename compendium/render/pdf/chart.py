"""PDF render, overview chart: entries per theme, stacked by region, drawn as vector graphics."""
from __future__ import annotations

import textwrap

from bidi import get_display
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from compendium.book.scripts import has_rtl
from compendium.book.stats import Overview
from compendium.render.pdf.bidi import reshape
from compendium.render.pdf.fonts import FontBook
from compendium.render.pdf.styles import INK, MUTED, RULE, SERIES


def _label(fonts: FontBook, text: str) -> tuple[str, str]:
    """(font name, text in display order) for a chart label: charts take one font per string."""
    family = "sans"
    for ch in text:
        if not ch.isascii() and not fonts.has("sans", ch):
            family = fonts.pick(ch, "sans") or "sans"
            break
    if has_rtl(text):
        text = get_display(reshape(text))
    return fonts.name(family), text


def overview_chart(ov: Overview, fonts: FontBook, width: float) -> Drawing:
    """Horizontal stacked bars: one bar per theme, one colour per region, legend underneath."""
    n = max(len(ov.themes), 1)
    bar_zone = 30 * n
    legend_rows = (len(ov.regions) + 1) // 2
    height = bar_zone + 40 + 14 * legend_rows
    d = Drawing(width, height)
    d.initialFontName = fonts.name("sans")  # the renderer's default state would select Helvetica
    chart = HorizontalBarChart()
    label_width = 150
    chart.x, chart.y = label_width + 8, 14 * legend_rows + 34
    chart.width, chart.height = width - label_width - 20, bar_zone
    # bottom-up drawing order: reverse so the first theme is on top, as in the table
    rows = list(range(len(ov.themes)))[::-1]
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
    # theme names as wrapped labels on the left (chart category labels cannot wrap nicely)
    slot = chart.height / n
    for pos, t in enumerate(rows):
        lines = textwrap.wrap(ov.themes[t][1], 34)[:3]
        font, _ = _label(fonts, ov.themes[t][1])
        cy = chart.y + slot * (pos + 0.5)
        y0 = cy + (len(lines) - 1) * 4.5 - 2.5
        for k, line in enumerate(lines):
            d.add(String(label_width, y0 - 9 * k, _label(fonts, line)[1], fontName=font, fontSize=7.2,
                         fillColor=INK, textAnchor="end"))
        total = sum(ov.cells[t])
        x_end = chart.x + chart.width * total / chart.valueAxis.valueMax
        d.add(String(x_end + 4, cy - 2.5, str(total), fontName=fonts.name("sans", "bold"), fontSize=7.5, fillColor=INK))
    legend = Legend()
    legend.x, legend.y = chart.x, 14 * legend_rows + 6
    legend.alignment = "right"
    legend.columnMaximum = legend_rows
    legend.fontName = fonts.name("sans")
    legend.fontSize = 7.5
    legend.fillColor = INK
    legend.dx = legend.dy = 7
    legend.deltay = 13
    legend.deltax = 170
    legend.strokeWidth = 0
    legend.colorNamePairs = [(SERIES[i % len(SERIES)], _label(fonts, r)[1]) for i, r in enumerate(ov.regions)]
    d.add(legend)
    return d
