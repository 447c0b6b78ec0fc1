"""The Unicode Bidirectional Algorithm (UAX #9) as the PDF's lines and the raster pictures (cover,
charts) use it: embedding levels from python-bidi, runs put in display order by rule L2."""
from __future__ import annotations

from typing import Callable, TypeVar

from bidi import algorithm as uba

T = TypeVar("T")


def bidi_levels(text: str, rtl_base: bool) -> list[tuple[str, int]]:
    """(character, embedding level) of a line by UAX #9 up to rule I2 (python-bidi): even levels read
    left to right, odd right to left. Explicit formatting characters (embeddings, overrides: rule X9)
    are left out. rtl_base: the paragraph's direction (level 1 if true, else 0)."""
    storage = uba.get_empty_storage()
    base = "R" if rtl_base else "L"
    storage["base_level"] = uba.PARAGRAPH_LEVELS[base]
    storage["base_dir"] = base
    uba.get_embedding_levels(text, storage, False, False)
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    return [(c["ch"], c["level"]) for c in storage["chars"]]


def visual_order(runs: list[T], level: Callable[[T], int]) -> list[T]:
    """UAX #9 rule L2: from the highest level of the line down to its lowest odd level, reverse every
    maximal sequence of runs at that level or higher. runs: a line's runs in logical order, each of
    one level (`level(run)`); returns a new list in display order (left to right)."""
    out = list(runs)
    top = max((level(r) for r in out), default=0)
    lowest_odd = min((level(r) for r in out if level(r) % 2), default=top + 1)
    for k in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(out):
            if level(out[i]) >= k:
                j = i
                while j < len(out) and level(out[j]) >= k:
                    j += 1
                out[i:j] = out[i:j][::-1]
                i = j
            else:
                i += 1
    return out
