"""Vocabulary: the built-in closed lists an entry field may take (places, the 17 SDGs), and
matching a typed value to a term by id, by title in any of the six UN languages, or by meaning.

The SDG titles and colours are the UN's (data/sdgs.tsv: short titles in the six official
languages, colours of the SDG communications guidelines). Places are the award levels of the
entry format; their titles are the labels of data/labels.tsv, and the words submitters write
for them ("First Place", "runner-up", "premier prix", "первое место", "一等奖") are below.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from compendium.book.labels import LANGUAGES, table
from compendium.model import PLACES, Term, Vocabulary

SDGS = "sdgs"
PLACES_ID = "places"

# What people write for an award level, beyond its label (folded: see _fold). Ordinals and
# numbers in the six UN languages; "runner-up" is the second place.
_PLACE_WORDS: dict[str, tuple[str, ...]] = {
    "1st": ("1", "first", "1st place", "first place", "first prize", "gold", "premier", "premiere", "1er", "1re",
            "premier prix", "premiere place", "primero", "primera", "primer", "primer lugar", "primer puesto",
            "primer premio", "первое", "первое место", "1 место", "1-е место", "первая премия", "一等奖", "第一名",
            "第一", "冠军", "الاول", "المركز الاول", "الجائزة الاولى", "المرتبة الاولى"),
    "2nd": ("2", "second", "2nd place", "second place", "second prize", "runner up", "runnerup", "first runner up",
            "silver", "deuxieme", "deuxieme prix", "deuxieme place", "seconde", "2e", "2eme", "segundo", "segunda",
            "segundo lugar", "segundo puesto", "segundo premio", "второе", "второе место", "2 место", "2-е место",
            "вторая премия", "二等奖", "第二名", "第二", "亚军", "الثاني", "المركز الثاني", "الجائزة الثانية"),
    "3rd": ("3", "third", "3rd place", "third place", "third prize", "second runner up", "bronze", "troisieme",
            "troisieme prix", "troisieme place", "3e", "3eme", "tercero", "tercera", "tercer", "tercer lugar",
            "tercer puesto", "tercer premio", "третье", "третье место", "3 место", "3-е место", "третья премия",
            "三等奖", "第三名", "第三", "季军", "الثالث", "المركز الثالث", "الجائزة الثالثة"),
    "winner": ("won", "awardee", "laureate", "prize winner", "award winner", "gagnant", "gagnante", "laureat",
               "laureate", "ganador", "ganadora", "premiado", "победитель", "лауреат", "获奖", "获奖者", "得主",
               "فائز", "الفائز"),
    "finalist": ("shortlisted", "short listed", "nominee", "nominated", "finaliste", "finalista", "финалист",
                 "入围", "入围者", "决赛", "متاهل", "المتاهل", "المرشح النهائي", "مرشح نهائي"),
    "special": ("special", "special mention", "honourable mention", "honorable mention", "special prize",
                "special award", "jury prize", "mention", "mention speciale", "mention honorable", "prix special",
                "mencion", "mencion especial", "mencion honorifica", "premio especial", "особое упоминание",
                "специальный приз", "почетное упоминание", "特别奖", "特别表彰", "荣誉奖", "تنويه", "تنويه خاص",
                "جائزة خاصة"),
}
_FILLER = re.compile(r"\b(?:the|a|an|award|awards|prize|place|le|la|el|lugar|puesto|prix|premio|место|премия)\b")


def _fold(text: str) -> str:
    """Case, accents, Arabic hamza forms, punctuation and spacing ignored: 'Première  Place!' → 'premiere place'."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Mn")
    text = text.translate(str.maketrans("أإآٱ", "اااا"))
    text = re.sub(r"[\s\-_.,:;!?()'\"«»“”’ـ]+", " ", text)
    return text.strip()


@lru_cache(maxsize=1)
def places() -> Vocabulary:
    """The award levels (1st, 2nd, 3rd, winner, finalist, special) titled in the six UN languages."""
    labels = table()
    terms = tuple(Term(p, tuple((lang, labels[lang][f"place.{p}"]) for lang in LANGUAGES
                               if f"place.{p}" in labels.get(lang, {}))) for p in PLACES)
    return Vocabulary(PLACES_ID, (("en", "Place"),), terms)


@lru_cache(maxsize=1)
def sdgs() -> Vocabulary:
    """The 17 Sustainable Development Goals: id "1".."17", short title, official colour."""
    text = resources.files("compendium").joinpath("data/sdgs.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    terms = tuple(Term(r["id"], tuple((lang, r[lang]) for lang in LANGUAGES), r["colour"], f"SDG {r['id']}")
                  for r in rows)
    return Vocabulary(SDGS, (("en", "Sustainable Development Goals"), ("fr", "Objectifs de développement durable"),
                             ("es", "Objetivos de Desarrollo Sostenible"), ("ar", "أهداف التنمية المستدامة"),
                             ("ru", "Цели в области устойчивого развития"), ("zh", "可持续发展目标")), terms)


BUILT_IN = {PLACES_ID: places, SDGS: sdgs}


@lru_cache(maxsize=64)
def _index(vocabulary: Vocabulary) -> dict[str, str]:
    """Folded spelling → term id: ids, titles in every language, and for places the words above."""
    out: dict[str, str] = {}
    for term in vocabulary.terms:
        for spelling in (term.id, term.short, *(t for _, t in term.titles)):
            if spelling:
                out.setdefault(_fold(spelling), term.id)
    if vocabulary.id == PLACES_ID:
        for place, words in _PLACE_WORDS.items():
            for word in words:
                out.setdefault(_fold(word), place)
    if vocabulary.id == SDGS:
        for term in vocabulary.terms:
            for prefix in ("goal", "sdg", "odd", "ods", "цур", "目标"):
                out.setdefault(f"{prefix} {term.id}", term.id)
                out.setdefault(f"{prefix}{term.id}", term.id)
    return out


def match(vocabulary: Vocabulary, value: object) -> Term | None:
    """The term `value` names exactly: its id (5 or "5" for SDG 5), else None."""
    key = str(value).strip() if not isinstance(value, bool) else ""
    return vocabulary.term(key)


def meaning(vocabulary: Vocabulary, value: object) -> Term | None:
    """The term `value` means, when it is not written as the id: a title in any language ('Gender
    Equality', 'Égalité entre les sexes'), a short mark ('SDG 5'), or for places a word people use
    ('First Place', 'runner-up', 'premier prix', 'первое место', '一等奖')."""
    if isinstance(value, bool):
        return None
    folded = _fold(str(value))
    found = _index(vocabulary).get(folded)
    if found is None:
        bare = " ".join(_FILLER.sub(" ", folded).split())
        found = _index(vocabulary).get(bare) if bare else None
        if found is None and bare[:1].isdigit():  # "1st", "1-st", "1.": the number leads
            found = _index(vocabulary).get(re.match(r"\d+", bare).group())
    return vocabulary.term(found) if found else None
