"""Book: what renderers draw for the edition's extra fields and vocabularies, as pure functions.

For each vocabulary field marked `index: true` (the SDGs addressed, a sector), `indexes(book)`
gives its terms with their entries in book order; `shown_fields(book, entry, where)` gives an
entry's extra fields as label and printed text in the book's language, for the metadata panel
("meta") or after the sections ("body"). Renderers only lay these out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from compendium.book.labels import labels
from compendium.book.voice import voice
from compendium.model import Book, Edition, Entry, FieldSpec, Term


@dataclass(frozen=True)
class IndexTerm:
    """One term of an index with its entries (book order)."""

    term: Term
    title: str  # in the book's language, with its short mark: "SDG 5: Gender Equality"
    entries: tuple[Entry, ...]

    @property
    def anchor(self) -> str:
        return self.term.id.lower().replace(" ", "-")


@dataclass(frozen=True)
class Index:
    """The index of one vocabulary field: heading, and its terms that have entries, in vocabulary order."""

    field: FieldSpec
    title: str  # "Index: Sustainable Development Goals"
    terms: tuple[IndexTerm, ...]

    @property
    def id(self) -> str:
        return self.field.id


@dataclass(frozen=True)
class Shown:
    """One extra field of an entry as printed: its label, its text, and its terms when it has a vocabulary."""

    id: str
    label: str
    text: str  # Markdown for a markdown field, plain text otherwise
    markdown: bool = False
    terms: tuple[Term, ...] = ()


def term_title(term: Term, language: str) -> str:
    """'SDG 5: Gender Equality' (a term with a short mark), else its title, in `language`."""
    title = term.title(language)
    return f"{term.short}: {title}" if term.short and term.short != title else title


def indexes(book: Book) -> tuple[Index, ...]:
    """One Index per extra field declared with `index: true`, in the order of the fields."""
    e = book.edition
    out = []
    for spec in e.fields:
        vocabulary = e.vocabulary(spec.vocabulary) if spec.index else None
        if vocabulary is None:
            continue
        terms = []
        for term in vocabulary.terms:
            found = tuple(x for x in book.entries if term.id in _ids(x.value(spec.id)))
            if found:
                terms.append(IndexTerm(term, term_title(term, e.language), found))
        if terms:
            out.append(Index(spec, labels(e.language).format("index_of", what=spec.title(e.language)), tuple(terms)))
    return tuple(out)


def _ids(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, tuple) else (str(value),)


def shown_fields(edition: Edition, entry: Entry, where: str = "meta") -> tuple[Shown, ...]:
    """The entry's extra fields shown at `where` ("meta" or "body"), in declared order, with values."""
    out = []
    for spec in edition.fields:
        value = entry.value(spec.id)
        if spec.show != where or value is None:
            continue
        vocabulary = edition.vocabulary(spec.vocabulary) if spec.vocabulary else None
        terms: tuple[Term, ...] = ()
        if vocabulary is not None:
            terms = tuple(t for t in (vocabulary.term(i) for i in _ids(value)) if t is not None)
            text = "; ".join(term_title(t, edition.language) for t in terms)
        elif isinstance(value, tuple):
            text = "; ".join(value)
        elif isinstance(value, dt.date):  # dates and numbers as the book writes them (book.voice)
            text = voice(edition.language).date(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            text = voice(edition.language).number(value)
        else:
            text = str(value)
        out.append(Shown(spec.id, spec.title(edition.language), text, spec.type == "markdown", terms))
    return tuple(out)


def printed(book: Book) -> list[str]:
    """Every string the extra fields and indexes may print (for the fonts a book needs)."""
    out = [i.title for i in indexes(book)] + [t.title for i in indexes(book) for t in i.terms]
    for entry in book.entries:
        for where in ("meta", "body"):
            out += [s for f in shown_fields(book.edition, entry, where) for s in (f.label, f.text)]
    out += [book.edition.section_title(s.id) for s in book.edition.sections]
    return out
