"""Render support: the words compendium itself prints (headings, labels), in the book's language.

model.SECTION_TITLES and model.PLACE_LABELS stay the English source; the translations live in
data/labels.tsv, keyed `section.<key>`, `place.<key>` and by plain names (`country`, `contents`, ...).
The six UN official languages are provided (en, fr, es, ar, ru, zh), chosen by the primary subtag
of the edition's `language`; any other language, and any missing cell, falls back to English.
The book's language decides: an entry in French inside an English book keeps English labels.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from compendium.model import PLACE_LABELS, SECTION_TITLES, Edition, pick_title

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar", "ru", "zh")
PLURAL_NOUNS: tuple[str, ...] = ("initiatives", "countries", "categories", "regions", "themes")
PLURAL_CATEGORIES: tuple[str, ...] = ("zero", "one", "two", "few", "many", "other")


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """language → key → text, read once from data/labels.tsv (empty cells left out)."""
    text = resources.files("compendium").joinpath("data/labels.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    header, body = rows[0], rows[1:]
    langs = header[1:]
    out: dict[str, dict[str, str]] = {lang: {} for lang in langs}
    for row in body:
        for lang, cell in zip(langs, row[1:]):
            if cell:
                out[lang][row[0]] = cell
    # the English source of truth for sections and places is the model
    out["en"].update({f"section.{k}": v for k, v in SECTION_TITLES.items()})
    out["en"].update({f"place.{k}": v for k, v in PLACE_LABELS.items()})
    return out


def primary(language: str) -> str:
    """The primary subtag of a BCP 47 tag, lower-cased: 'fr-CA' → 'fr', 'zh-Hans' → 'zh'."""
    return (language or "en").replace("_", "-").split("-")[0].lower()


def plural_category(language: str, n: int) -> str:
    """The CLDR plural category of the integer n in `language` (Babel's plural rules, book.voice)."""
    from compendium.book.voice import voice

    return voice(language).plural(n)


@dataclass(frozen=True)
class Labels:
    """The labels of one book language. `labels["country"]`, or `labels.country` in a template."""

    language: str  # the primary subtag actually used ("en" when the language is not provided)
    strings: dict[str, str]

    def __getitem__(self, key: str) -> str:
        found = self.strings.get(key)
        if found is None:
            found = table()["en"].get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __getattr__(self, name: str) -> str:  # templates: {{ labels.country }}
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, key: str, default: str = "") -> str:
        try:
            return self[key]
        except KeyError:
            return default

    def section(self, key: str) -> str:
        """'The problem' for 'problem' (or the title the edition declares, see edition_labels);
        an unknown key is written as words ('enabling-factors' → 'Enabling factors')."""
        return self.get(f"section.{key}", key.replace("-", " ").replace("_", " ").capitalize())

    def place(self, key: str) -> str:
        """'First place' for '1st'."""
        return self.get(f"place.{key}", key)

    def format(self, key: str, **values: Any) -> str:
        """A label with placeholders: labels.format("part", n="II") → 'Part II'."""
        return self[key].format(**values)

    def _counted(self, noun: str, n: int) -> str:
        """The unformatted text for n of `noun` ('{n} initiatives'), by the language's plural rules."""
        category = plural_category(self.language, n)
        text = self.strings.get(f"{noun}.{category}") or self.strings.get(f"{noun}.other")
        if text is None:  # a language without this noun: English, with English rules
            en = table()["en"]
            text = en.get(f"{noun}.{'one' if n == 1 else 'other'}") or en[f"{noun}.other"]
        return text

    def count(self, noun: str, n: int) -> str:
        """'3 initiatives', '1 country', in the book's language and its plural rules."""
        return self._counted(noun, n).format(n=n)

    def count_parts(self, noun: str, n: int) -> tuple[str, str] | None:
        """The words before and after the number in count(noun, n), so that a page can set the
        number apart ('', ' initiatives'); None when the language spells the number out."""
        text = self._counted(noun, n)
        if "{n}" not in text:
            return None
        before, _, after = text.partition("{n}")
        return before, after

    def plural_forms(self, key: str) -> dict[str, str]:
        """Every plural category's text of a counted message, for a script to choose from with
        Intl.PluralRules(labels.language); 'other' is always there (English when missing)."""
        source = self.strings if f"{key}.other" in self.strings else table()["en"]
        forms = {c: source[f"{key}.{c}"] for c in PLURAL_CATEGORIES if f"{key}.{c}" in source}
        forms.setdefault("other", self[f"{key}.other"])
        return forms

    def values(self) -> list[str]:
        """Every string these labels may print (the fonts a book needs depend on them)."""
        return list({**table()["en"], **self.strings}.values())

    def __hash__(self) -> int:  # strings is a dict: labels are told apart by language and content
        return hash((self.language, tuple(sorted(self.strings.items()))))


@cache
def labels(language: str) -> Labels:
    """The labels for a book in `language` (BCP 47); English for a language not provided."""
    lang = primary(language)
    if lang not in table():
        lang = "en"
    return Labels(lang, table()[lang])


@lru_cache(maxsize=8)  # an edition per build; `serve` rebuilds with new ones, so keep few
def edition_labels(edition: Edition) -> Labels:
    """The labels of `edition`'s book: labels(edition.language) with the section titles the edition
    declares (`sections:` in compendium.yaml). What renderers hold as `labels`/`words`, so that
    `labels.section(key)` is the one way to a section's heading, in every format and template."""
    base = labels(edition.language)
    declared = {f"section.{s.id}": pick_title(s.titles, edition.language) for s in edition.sections if s.titles}
    return Labels(base.language, {**base.strings, **declared}) if declared else base


__all__ = ["LANGUAGES", "Labels", "edition_labels", "labels", "plural_category", "primary"]
