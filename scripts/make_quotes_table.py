#!/usr/bin/env python3
"""Write compendium/data/quotes.tsv from CLDR's delimiters (the quotation marks of each language).

Babel carries CLDR's dates, numbers and plurals but not its `delimiters`, so the table is kept as
data, made from the npm package `cldr-misc-full` (Unicode CLDR, Unicode licence):

    npm install --ignore-scripts --prefix /tmp/cldr cldr-misc-full@48
    python3 scripts/make_quotes_table.py /tmp/cldr/node_modules/cldr-misc-full

Only locales whose marks differ from their parent's are written (`fr` but not `fr-BE`, `fr-CH`
because Switzerland uses single guillemets), so the table stays small; the lookup walks from the
full tag to its language (compendium.book.voice.quotes). Same input, same bytes.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("quotationStart", "quotationEnd", "alternateQuotationStart", "alternateQuotationEnd")


def parent(tag: str) -> str | None:
    return tag.rsplit("-", 1)[0] if "-" in tag else None


def main(package: Path) -> None:
    marks: dict[str, tuple[str, ...]] = {}
    for folder in sorted((package / "main").iterdir()):
        data = json.loads((folder / "delimiters.json").read_text(encoding="utf-8"))
        (tag, body), = data["main"].items()
        marks[tag] = tuple(body["delimiters"][k] for k in KEYS)
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    rows = []
    for tag in sorted(marks):
        up = parent(tag)
        while up is not None and up not in marks:
            up = parent(up)
        if up is None and tag != "root" or up is not None and marks[up] != marks[tag]:
            rows.append("\t".join((tag, *marks[tag])))
    header = [f"# Quotation marks per locale, from Unicode CLDR {version} (cldr-misc-full, main/*/delimiters.json).",
              "# Made by scripts/make_quotes_table.py; a locale is listed only where it differs from its parent.",
              "# Columns: BCP 47 tag, opening, closing, alternate (nested) opening, alternate closing.",
              "tag\topen\tclose\talt_open\talt_close"]
    out = ROOT / "compendium" / "data" / "quotes.tsv"
    out.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"{out}: {len(rows)} locales")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
