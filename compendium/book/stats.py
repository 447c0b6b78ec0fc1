"""Stats: counts of entries per theme × region (per theme × year across editions), as a table
(pure; used by `stats` and the overviews)."""
from __future__ import annotations

from dataclasses import dataclass

from compendium.model import Book


@dataclass(frozen=True)
class Overview:
    """Rows are themes, columns regions, in the edition's order; totals included. For a book across
    editions (a retrospective) the columns are years ("2012", "2013"), `kind` "year"."""

    themes: tuple[tuple[str, str], ...]  # (id, name)
    regions: tuple[str, ...]  # the column headings: regions, or years
    cells: tuple[tuple[int, ...], ...]  # cells[theme][column]
    kind: str = "region"  # what the columns are: "region" or "year"

    @property
    def row_totals(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.cells)

    @property
    def column_totals(self) -> tuple[int, ...]:
        return tuple(sum(col) for col in zip(*self.cells)) if self.cells else tuple(0 for _ in self.regions)

    @property
    def total(self) -> int:
        return sum(self.row_totals)


def overview(book: Book) -> Overview:
    """Entries per theme × region of an edition; per theme × year of a retrospective (its themes
    with entries only, each entry under the theme it is grouped under: Edition.theme_of)."""
    edition = book.edition
    if edition.years:
        counts: dict[tuple[str, str], int] = {}
        for e in book.entries:
            key = (edition.theme_of(e).id, str(e.year))
            counts[key] = counts.get(key, 0) + 1
        themes = [t for t in edition.themes if any(k[0] == t.id for k in counts)]
        years = tuple(map(str, edition.years))
        cells = tuple(tuple(counts.get((t.id, y), 0) for y in years) for t in themes)
        return Overview(tuple((t.id, t.name) for t in themes), years, cells, "year")
    counts = book.counts()
    cells = tuple(tuple(counts.get((t.id, r), 0) for r in edition.regions) for t in edition.themes)
    return Overview(tuple((t.id, t.name) for t in edition.themes), edition.regions, cells)


def as_text(ov: Overview) -> str:
    """A plain-text table with totals, wide enough for the longest names."""
    header = [f"Theme \\ {ov.kind.capitalize()}", *ov.regions, "Total"]
    rows = [[name, *map(str, cells), str(total)] for (_, name), cells, total in zip(ov.themes, ov.cells, ov.row_totals)]
    rows.append(["Total", *map(str, ov.column_totals), str(ov.total)])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *map(fmt, rows[:-1]), rule, fmt(rows[-1])]) + "\n"


def as_csv(ov: Overview) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["theme", *ov.regions, "total"])
    for (tid, _), cells, total in zip(ov.themes, ov.cells, ov.row_totals):
        w.writerow([tid, *cells, total])
    w.writerow(["total", *ov.column_totals, ov.total])
    return buf.getvalue()


def as_json(ov: Overview) -> str:
    import json

    columns = [int(c) for c in ov.regions] if ov.kind == "year" else list(ov.regions)
    data = {"themes": [t for t, _ in ov.themes], f"{ov.kind}s": columns,
            "counts": [list(r) for r in ov.cells], "total": ov.total}
    return json.dumps(data, indent=2) + "\n"


# one table feeds the command line's --format choice and the output
STATS_FORMATS = {"text": as_text, "csv": as_csv, "json": as_json}
