"""Slugs: the ASCII identifiers used for ids, file names and anchors."""
from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, max_length: int = 60) -> str:
    """Lowercase ASCII slug of `text` ('Côte d'Ivoire' → 'cote-d-ivoire'); may be empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def _han(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


def readable_slug(text: str, max_length: int = 60) -> str:
    """A slug a reader can say, whatever the script: `text` transliterated to ASCII first
    (anyascii: 'Ҳудума' → 'huduma', '電子政府' → 'dian-zi-zheng-fu', 'Søndergaard' → 'sondergaard',
    'المركز' → 'lmrkz'), then slugified. May be empty (emoji only)."""
    from anyascii import anyascii  # ISC licence; transliteration tables for every script

    spaced = "".join(f" {char} " if _han(char) else char for char in text)  # one syllable per ideograph
    return slugify(anyascii(spaced), max_length)


def is_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text))


def region_slugs(regions: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Region name → a slug unique in the edition ('region-N' when the name has no ASCII letters).

    Two names that slugify alike ('Asia & Pacific', 'Asia Pacific') get '-2', '-3'... so their
    pages and anchors never merge.
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for i, region in enumerate(regions, 1):
        base = slugify(region) or f"region-{i}"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out[region] = slug
    return out
