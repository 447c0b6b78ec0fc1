"""Validate (helper): plain advice for what people get wrong in a value or a key — another name
for a key ('year' for the edition's 'edition'), a non-breaking space inside a key, a line of
text read as a key, a number written with thousands separators, a language written as its name."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache

from compendium.input.yaml_advice import ODD_SPACES, character_name

_ODD = re.compile(f"[{ODD_SPACES}]")


def _closest(value: str, options: list[str], aliases: dict[str, str] | None = None) -> str | None:
    """The option `value` stands for: a usual other name in `aliases`, else a near miss in spelling."""
    meant = (aliases or {}).get(value.strip().casefold())
    if meant in options:
        return meant
    lowered = {c.lower(): c for c in options}
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def suggest(value: str, candidates: Iterable[str], aliases: dict[str, str] | None = None) -> str:
    """"; did you mean 'x'?" for a near miss (or a usual other name in `aliases`: {'year': 'edition'}), else ""."""
    meant = _closest(value, list(candidates), aliases)
    return f"; did you mean '{meant}'?" if meant else ""


def meant_key(key: str, allowed: list[str], aliases: dict[str, str] | None = None) -> str | None:
    """The allowed key an unknown one stands for (its other name, a misspelling, the key with a
    pasted non-breaking space), so that it is not reported missing as well; else None."""
    bare = _ODD.sub(" ", key).strip()
    if bare in allowed:
        return bare
    return _closest(key, allowed, aliases)


def looks_like_text(key: str, value: object, allowed: list[str]) -> bool:
    """A line of text that YAML read as a key because of the ': ' in it ('Queues: long ones,
    every day.'): several words, or a capitalised word followed by a sentence, and no key it
    could be a misspelling of."""
    if len(key.split()) >= 3 or (" " in key and len(key) > 30):
        return True
    if _closest(key, allowed) is not None:
        return False
    sentence = isinstance(value, str) and len(value.split()) >= 3
    return (key[:1].isupper() and (" " in key or sentence)) or (" " in key and sentence)


def unknown_key_message(name: str, key: str, allowed: list[str], aliases: dict[str, str] | None = None,
                        value: object = None) -> str:
    """The message for a key the format does not know; `name` is how messages show its path."""
    odd = _ODD.search(key)
    if odd:
        bare = _ODD.sub(" ", key).strip()
        what = f"'{bare}'" + (" (a key of this format)" if bare in allowed else "")
        return (f"the key {what} has {character_name(odd.group())} in it, as Word or Outlook paste it: delete it and "
                "type ordinary spaces")
    if looks_like_text(key, value, allowed):
        return (f"'{key}' is a line of text, not a key: YAML read it as one because of the ': ' after it; text "
                "continued from the key above must be indented under it (a text of several lines starts with "
                "'key: |')")
    return f"unknown key {name}{suggest(key, allowed, aliases)}"


_NUMBER_SEPARATORS = re.compile(r"[\s,'’_\u00a0\u202f]")
_CURRENCY = re.compile(r"^(?:[A-Za-z]{3}|[$€£¥₹])\s*|\s*(?:[A-Za-z]{3}|[$€£¥₹])$")


def number_hint(key: str, value: object) -> str:
    """'; write digits only: budget: 1200000' for '1,200,000', 'USD 1 200 000' or '$1,200'; else ''."""
    if not isinstance(value, str):
        return ""
    bare = _NUMBER_SEPARATORS.sub("", _CURRENCY.sub("", value.strip()))
    if not re.fullmatch(r"\d+(?:\.\d+)?", bare):
        return ""
    return f"; write digits only, without separators, spaces or a currency: {key}: {bare}"


def slug_hint(value: str, instead: str) -> str:
    """", for example 'huduma-centres'" (`value` made a slug of), else ", such as '<instead>'"."""
    from compendium.book.slug import readable_slug

    slug = readable_slug(value)
    return f", for example '{slug}'" if slug and slug != value else f", such as '{instead}'"


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """Language names in the six UN languages (CLDR, through Babel), folded → BCP 47 tag."""
    from babel import Locale

    from compendium.input.countries import fold

    out: dict[str, str] = {}
    for lang in ("en", "fr", "es", "ru", "ar", "zh"):
        for code, name in sorted(Locale(lang).languages.items(), key=lambda kv: len(kv[0])):
            out.setdefault(fold(name), code.replace("_", "-"))
    return out


def language_code(value: str) -> str:
    """The tag of a language written as its name ('English' → 'en', 'Français' → 'fr',
    'Simplified Chinese' → 'zh-Hans'), else ''."""
    from compendium.input.countries import fold

    return _language_names().get(fold(value), "")
