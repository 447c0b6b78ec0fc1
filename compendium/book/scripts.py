"""Scripts (render support): which characters are Chinese/Japanese/Korean, right-to-left or Arabic.

One definition for every stage, so that the PDF's font choice, the EPUB's embedded fonts and the
word count agree on what "Chinese text" is.
"""
from __future__ import annotations

import re

# Han ideographs (and radicals, extensions A–G), CJK symbols and punctuation, kana, bopomofo,
# hangul, compatibility ideographs, vertical and small forms, full-width forms.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF),
)
# Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their presentation forms.
RTL_RANGES: tuple[tuple[int, int], ...] = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))
# The Arabic script's blocks alone (what an Arabic font covers).
ARABIC_RANGES: tuple[tuple[int, int], ...] = (
    (0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),
)


def _class(ranges: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


CJK_RE = _class(CJK_RANGES)  # one CJK character (for findall/sub, e.g. counting words)
RTL_RE = _class(RTL_RANGES)
ARABIC_RE = _class(ARABIC_RANGES)


def is_cjk(ch: str) -> bool:
    """A Chinese, Japanese or Korean character (or CJK punctuation / full-width form)."""
    o = ord(ch)
    return any(a <= o <= b for a, b in CJK_RANGES)


def is_rtl(ch: str) -> bool:
    """A character of a right-to-left script."""
    o = ord(ch)
    return any(a <= o <= b for a, b in RTL_RANGES)


def has_cjk(text: str) -> bool:
    return CJK_RE.search(text) is not None


def has_rtl(text: str) -> bool:
    return RTL_RE.search(text) is not None


def has_arabic(text: str) -> bool:
    return ARABIC_RE.search(text) is not None


# voice.script names a language's script as CLDR does ('Hans', 'Hant', 'Jpan', 'Kore'); the Unicode
# Script property of a character names the script it belongs to ('Hani', 'Hang'): these meet here.
_WRITING: dict[str, str] = {"Hans": "Hani", "Hant": "Hani", "Jpan": "Hani", "Kore": "Hang"}


def main_scripts(text: str, share: float = 0.1) -> list[str]:
    """The ISO 15924 scripts ('Latn', 'Cyrl', 'Arab', 'Hani'...) of at least `share` of the letters of
    `text`, sorted; by Unicode's Script property (fontTools' copy of the Unicode Character Database).
    Digits and punctuation have none; a few Latin words in a Chinese text (a name, an acronym) do
    not make it a Latin text."""
    import unicodedata
    from collections import Counter

    from fontTools import unicodedata as ucd

    # A site's text is millions of characters, most of them ASCII: its letters (all Latin) are counted
    # by deleting them from its bytes, the rest character by character, all at C speed; then the
    # letters among the distinct characters.
    ascii_part = text.encode("ascii", "ignore")
    found: Counter[str] = Counter({"Latn": len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))})
    counts = Counter("".join(_NOT_ASCII.findall(text)))
    for c, n in counts.items():
        if unicodedata.category(c)[0] == "L":
            found[ucd.script(c)] += n
    letters = sum(found.values())
    return sorted(script for script, n in found.items() if n and n >= share * letters)


_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


def text_script(text: str) -> str:
    """The script of the first letter of `text` ('Latn', 'Cyrl', 'Arab', 'Hani'), or "" without letters."""
    import unicodedata

    from fontTools import unicodedata as ucd

    return next((ucd.script(c) for c in text if unicodedata.category(c)[0] == "L"), "")


def written_in(text: str, language: str) -> bool:
    """Whether `text` is written in the script of `language` (a BCP 47 tag; CLDR's likely script):
    an English keyword of a Russian entry is not; text without letters is."""
    from compendium.book.voice import script

    found = text_script(text)
    return not found or found == _WRITING.get(script(language), script(language))
