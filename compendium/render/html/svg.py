"""Render (HTML): the overview chart as inline SVG — stacked bars of entries per theme, by region.

The SVG is an image with a title and a description; the same figures are in the table that
follows it on the page. Colours are the Okabe–Ito palette (distinguishable with colour-blindness),
each segment is separated by a white gap and named in a legend and in a tooltip.
"""
from __future__ import annotations

import textwrap

from markupsafe import Markup, escape

from compendium.book.stats import Overview
from compendium.render.common import SERIES_COLOURS as PALETTE

WIDTH = 360  # viewBox units: at a phone's width (about 360 px) the labels keep their 12 px
LEFT = 8
BAR_WIDTH = WIDTH - LEFT - 40  # room for the total at the end of each bar
FONT = 12
LINE = 17
BAR = 16
WRAP = 46  # characters per label line


def _num(x: float) -> str:
    """Coordinates rounded to 0.1 and written without trailing zeros (stable bytes)."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def chart(ov: Overview, id_prefix: str = "chart", title: str = "Initiatives per theme and region",
          desc: str = "") -> Markup:
    """An accessible inline SVG; `id_prefix` keeps ids unique when a page holds two charts;
    `title` and `desc` are its accessible name and description, in the book's language."""
    out: list[str] = []
    top = 4
    # Legend: swatch + region name, one region a row (a row that wraps strands its last name at the far side)
    x, y = float(LEFT), float(top)
    legend: list[str] = []
    for i, region in enumerate(ov.regions):
        if i:
            y += LINE
        colour = PALETTE[i % len(PALETTE)]
        legend.append(f'<rect x="{_num(x)}" y="{_num(y + 2)}" width="12" height="12" fill="{colour}"/>'
                      f'<text x="{_num(x + 16)}" y="{_num(y + 12)}">{escape(region)}</text>')
    y += LINE + 14
    biggest = max(ov.row_totals, default=0) or 1
    rows: list[str] = []
    for (theme_id, name), cells, total in zip(ov.themes, ov.cells, ov.row_totals):
        for line in textwrap.wrap(name, WRAP) or [theme_id]:
            y += LINE
            rows.append(f'<text x="{LEFT}" y="{_num(y - 4)}">{escape(line)}</text>')
        bx = float(LEFT)
        for i, (region, count) in enumerate(zip(ov.regions, cells)):
            if not count:
                continue
            w = BAR_WIDTH * count / biggest
            rows.append(f'<rect x="{_num(bx)}" y="{_num(y)}" width="{_num(max(w - 1.5, 1))}" height="{BAR}" '
                        f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(region)}: {count}</title></rect>')
            bx += w
        rows.append(f'<text class="total" x="{_num(bx + 4)}" y="{_num(y + BAR - 3)}">{total}</text>')
        y += BAR + 12
    height = y
    desc = desc or (f"Stacked bar chart of the {ov.total} initiatives: one bar per theme, divided by region. "
                    "The table below gives the same figures.")
    out.append(f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_num(height)}" '
               f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
               f'font-size="{FONT}" font-family="system-ui, sans-serif">')
    out.append(f'<title id="{id_prefix}-title">{escape(title)}</title><desc id="{id_prefix}-desc">{escape(desc)}</desc>')
    out.append('<g class="legend" fill="currentColor">' + "".join(legend) + "</g>")
    out.append('<g fill="currentColor">' + "".join(rows) + "</g>")
    out.append("</svg>")
    return Markup("\n".join(out))
