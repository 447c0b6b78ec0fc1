"""Book (shared by every format): how the book writes dates, numbers, plurals, lists, quotation
marks, ISBNs and its direction, in its language — one place, so the PDF, the EPUB and the website agree.

The rules come from well-kept data, not from our own tables: Unicode CLDR through Babel (dates,
numbers, plural categories, list patterns, right-to-left scripts), CLDR's delimiters (quotation
marks, data/quotes.tsv: Babel does not carry them) and the ISBN registration ranges of the
International ISBN Agency through python-stdnum (hyphenation).

A language is a BCP 47 tag (`en`, `fr-CA`, `zh-Hant`, `ku-Arab`). A bare `en` is written as
CLDR's international English (`en-001`: "23 June 2012", no serial comma), the usage of UN
publications; a tag with a region (`en-US`) keeps that region's usage. A language CLDR does not
know is written in English with its own direction taken from its script, else left to right.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

NIL = "–"  # an empty cell of a statistical table: an en dash, as UN tables print "nil"
# Bare tags whose CLDR default is a national usage, and the international usage a book wants.
INTERNATIONAL: dict[str, str] = {"en": "en_001"}
# French sets a narrow no-break space inside guillemets (Imprimerie nationale, Lexique des règles
# typographiques); Swiss French does not. CLDR's delimiters carry the marks only.
SPACED_GUILLEMETS: tuple[str, ...] = ("fr",)
UNSPACED: tuple[str, ...] = ("fr-ch",)  # lower case, as the table's keys
NNBSP = "\u202f"
# Scripts with a tradition of italic type; text in any other (Arabic, Hebrew, Chinese, Devanagari...)
# must not be slanted: a reading system would fake it by shearing the glyphs.
ITALIC_SCRIPTS: frozenset[str] = frozenset({"Latn", "Cyrl", "Grek"})


def _split(tag: str) -> tuple[str, str | None, str | None]:
    """(language, script, territory) of a BCP 47 tag, as Babel names them; malformed → ("", None, None)."""
    try:
        lang, territory, script, _ = parse_locale((tag or "").replace("_", "-"), sep="-")
    except ValueError:
        return "", None, None
    return lang.lower(), script, territory


@cache
def locale(tag: str) -> Locale | None:
    """The CLDR locale Babel has for `tag` (with fallbacks: language-script, language), or None.

    `en` gives `en_001` (see INTERNATIONAL). Unknown languages (`tlh`) give None.
    """
    lang, script, territory = _split(tag)
    if not lang:
        return None
    candidates = []
    if script and territory:
        candidates.append(f"{lang}_{script}_{territory}")
    if territory:
        candidates.append(f"{lang}_{territory}")
    if script:
        candidates.append(f"{lang}_{script}")
    candidates.append(INTERNATIONAL.get(lang, lang))
    for name in candidates:
        try:
            return Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
    return None


@cache
def text_direction(tag: str) -> str:
    """'rtl' or 'ltr' for a BCP 47 tag, from CLDR's character order (Babel).

    Kurmanji `ku` is left to right, Sorani `ckb` and `ku-Arab` right to left. A language CLDR does
    not know takes its script's direction (CLDR's likely language for the script), else 'ltr'.
    """
    if not tag:
        return "ltr"
    found = locale(tag)
    if found is None:
        _, script, _ = _split(tag)
        likely = get_global("likely_subtags").get(f"und_{script}") if script else None
        found = Locale.parse(likely) if likely else None
    return "rtl" if found is not None and found.character_order == "right-to-left" else "ltr"


@cache
def script(tag: str) -> str:
    """The ISO 15924 script code of a BCP 47 tag: its script subtag, else CLDR's likely script
    (likely subtags: 'ar' → 'Arab', 'zh' → 'Hans', 'zh-TW' → 'Hant', 'sr' → 'Cyrl'), else 'Latn'."""
    lang, given, territory = _split(tag)
    if given:
        return given
    likely = get_global("likely_subtags")
    for key in ([f"{lang}_{territory}"] if territory else []) + [lang]:
        found = likely.get(key)
        if found:
            parts = found.split("_")
            if len(parts) > 1 and len(parts[1]) == 4:
                return parts[1]
    return "Latn"


def format_isbn(isbn: str) -> str:
    """An ISBN hyphenated by its registration group and registrant ('978-92-1-123194-6').

    Input: 10 or 13 digits (hyphens and spaces allowed). The ranges are the International ISBN
    Agency's, as python-stdnum ships them. An ISBN outside every known range is returned as given.
    """
    from stdnum import isbn as stdnum_isbn
    from stdnum.exceptions import ValidationError

    try:
        return stdnum_isbn.format(isbn)
    except ValidationError:
        return isbn


@dataclass(frozen=True)
class Quotes:
    """A language's quotation marks (CLDR delimiters): primary, and the nested (alternate) pair."""

    open: str
    close: str
    alt_open: str
    alt_close: str
    inner_space: str = ""  # set inside the marks (French: a narrow no-break space)

    def quote(self, text: str) -> str:
        """`text` between the primary marks."""
        return f"{self.open}{self.inner_space}{text}{self.inner_space}{self.close}"


@lru_cache(maxsize=1)
def _quote_table() -> dict[str, tuple[str, str, str, str]]:
    text = resources.files("compendium").joinpath("data/quotes.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return {row[0].lower(): (row[1], row[2], row[3], row[4]) for row in rows[1:]}


@cache
def quotes(tag: str) -> Quotes:
    """The quotation marks of a BCP 47 tag: the longest CLDR locale that matches ('fr-CH' → 'fr-ch', else 'fr')."""
    table = _quote_table()
    parts = (tag or "en").replace("_", "-").lower().split("-")
    key = next(("-".join(parts[:n]) for n in range(len(parts), 0, -1) if "-".join(parts[:n]) in table), "en")
    spaced = key.split("-")[0] in SPACED_GUILLEMETS and key not in UNSPACED
    return Quotes(*table[key], inner_space=NNBSP if spaced else "")


@dataclass(frozen=True)
class Voice:
    """How a book in one language writes things. Get one with voice(tag)."""

    language: str  # the BCP 47 tag it was made for
    locale: Locale  # CLDR data (English when the language is unknown to CLDR)

    @property
    def dir(self) -> str:
        """'ltr' or 'rtl' (text_direction)."""
        return text_direction(self.language)

    @property
    def quotes(self) -> Quotes:
        return quotes(self.language)

    @property
    def script(self) -> str:
        """The ISO 15924 script of the language ('Latn', 'Arab', 'Hans'): the tag's own, else CLDR's likely one."""
        return script(self.language)

    @property
    def italic(self) -> bool:
        """Whether the language's script has italics (ITALIC_SCRIPTS): Chinese and Arabic captions stay upright."""
        return self.script in ITALIC_SCRIPTS

    def date(self, day: date) -> str:
        """The long date: '23 June 2012', '23 juin 2012', '2012年6月23日' (CLDR's long date format)."""
        return format_date(day, "long", locale=self.locale)

    def number(self, n: int | float) -> str:
        """A number with the language's grouping and decimal signs: '1,234' (en), '1 234' (fr)."""
        return format_decimal(n, locale=self.locale)

    def cell(self, n: int) -> str:
        """A count in a statistical table: the number, or NIL (an en dash) for none."""
        return self.number(n) if n else NIL

    def plural(self, n: int | float) -> str:
        """The CLDR plural category of n: 'zero', 'one', 'two', 'few', 'many' or 'other'."""
        return self.locale.plural_form(n)

    @property
    def separator(self) -> str:
        """What separates the items of a list that is not a sentence (keywords): ', ' (en), '、' (zh),
        '، ' (ar). The middle of CLDR's standard list pattern; where that is a conjunction (Arabic
        writes "A وB وC"), the comma of the script instead."""
        middle = self.locale.list_patterns["standard"]["middle"].replace("{0}", "").replace("{1}", "")
        if any(ch.isalpha() for ch in middle):
            return "، " if self.script == "Arab" else ", "
        return middle

    @property
    def item_separator(self) -> str:
        """What separates items that may hold commas themselves (partner organisations): a semicolon
        in the language's form: '; ' (en), ' ; ' with a narrow no-break space (fr), '；' (zh, ja), '؛ ' (ar)."""
        if self.script in ("Hans", "Hant", "Jpan"):
            return "\uff1b"
        if self.script == "Arab":
            return "\u061b "
        if self.quotes.inner_space:  # French spacing: a narrow no-break space before the semicolon
            return "\u202f; "
        return "; "

    def join(self, items: list[str] | tuple[str, ...]) -> str:
        """A list in the language's words: 'A, B and C', 'A, B et C', 'A、B和C'."""
        return format_list(list(items), locale=self.locale) if items else ""


@cache
def voice(tag: str) -> Voice:
    """The Voice of a book (or entry) written in `tag`; English usage where CLDR lacks the language."""
    return Voice(tag or "en", locale(tag) or Locale.parse("en_001"))


__all__ = ["NIL", "Quotes", "Voice", "format_isbn", "locale", "quotes", "script", "text_direction", "voice"]
