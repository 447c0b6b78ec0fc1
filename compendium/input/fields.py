"""Validate (helpers): typed, located access to a raw YAML mapping, collecting Issues as it goes."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterable

from compendium.book.scripts import CJK_RE
from compendium.input.hints import (
    language_code,
    looks_like_text,
    meant_key,
    number_hint,
    slug_hint,
    suggest,
    unknown_key_message,
)
from compendium.input.images import MAX_IMAGE_BYTES, PathProblem, probe, resolve_inside
from compendium.input.load import Pos, RawList, RawMap
from compendium.input.spec import COLOUR_PATTERN, NAME_PATTERN, Field
from compendium.input.yaml_advice import yaml_flow, yaml_line
from compendium.model import Image, Issue, Severity, Source, Vocabulary

URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s<>\"]*)?$", re.IGNORECASE)
# BCP 47, syntactically (then checked against the IANA registry by langcodes): language,
# optional script, region, variants; hyphens only ('en_US' is a locale id, not a tag).
BCP47_RE = re.compile(
    r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*$"
)
# What a reader cannot see: whitespace, invisible format characters (zero-width space and
# joiners, direction marks, BOM, soft hyphen), space entities, and Markdown that prints nothing
# but a rule or an empty heading (a lone '---'). A value made only of these counts as missing.
INVISIBLE_CLASS = r"\s\u00ad\u180e\u200b-\u200f\u2028-\u202f\u205f-\u206f\ufeff\-*_=#>+|~`"
SPACE_ENTITY = r"&(?:nbsp|ensp|emsp|thinsp|zwsp|zwnj|zwj|shy|lrm|rlm|#0*160|#x0*a0|#0*8203|#x0*200b);"
BLANK_RE = re.compile(rf"^(?:[{INVISIBLE_CLASS}]|{SPACE_ENTITY}|<br\s*/?>)*$", re.IGNORECASE)
LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
_WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


_ITEM = re.compile(r"^(.*?)\[(\d+)\]\.?(.*)$")


def display(path: str) -> str:
    """A field path as a person reads it in a message, items counted from 1: 'title' → "'title'",
    'sdgs[0]' → "item 1 of 'sdgs'", 'images[0].file' → "'file' in item 1 of 'images'"."""
    m = _ITEM.match(path)
    if not m:
        return f"'{path}'"
    head, index, rest = m.groups()
    item = f"item {int(index) + 1} of '{head}'"
    return f"{display(rest)} in {item}" if rest else item


def _named(what: str) -> str:
    """"place " before a value, or "'type' in item 1 of 'fields': " when the name is a quoted path."""
    return f"{what}: " if what.startswith(("'", "item ")) else f"{what} "


def word_count(markdown: str) -> int:
    """Words in a Markdown text; CJK ideographs count as half a word each (no spaces there)."""
    cjk = sum(1 for c in CJK_RE.findall(markdown) if c.isalnum())  # ideographs, kana, hangul; not punctuation
    rest = CJK_RE.sub(" ", markdown) if cjk else markdown
    return len(_WORD_RE.findall(rest)) + cjk // 2


# ASCII punctuation and symbols → space: what is left splits into runs of letters and digits
_ASCII_BREAKS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum() and not c.isspace()})


def words_over(markdown: str, limit: int) -> int:
    """word_count(markdown) when it is over `limit`, else 0; ASCII text under the limit is told by
    a bound computed in C (runs of letters and digits ≥ words), without the word regex."""
    if markdown.isascii() and len(markdown.translate(_ASCII_BREAKS).split()) <= limit:
        return 0
    count = word_count(markdown)
    return count if count > limit else 0


def blank(value: Any) -> bool:
    """True when a value counts as missing: None, an empty list or mapping, or text made only of
    whitespace, invisible characters, space entities (&nbsp;) or a lone Markdown rule ('---')."""
    if value is None:
        return True
    if isinstance(value, str):
        return bool(BLANK_RE.match(value))
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return False


# Where a link can be in Markdown: an inline link or image target, an autolink, a reference
# definition. Only when one of these is not a clean address is the field parsed to be sure.
# A plain http(s) address of letters, digits and the usual URL punctuation needs no closer look.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_PLAIN_URL = re.compile(rf"https?://{_LABEL}(?:\.{_LABEL})+(?:[/?#][A-Za-z0-9._~/?=+%:@!$,;*'-]*)?")
_INLINE_TARGET = re.compile(r"\]\(\s*<?([^)>\s]*)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S*?)>?\s*$", re.MULTILINE)


def link_problems(markdown: str) -> list[tuple[str, str]]:
    """(target, why) of every link in `markdown` that the books will show as text: 'dropped' (an
    http(s)/mailto address that is not valid) or 'unsafe' (another scheme, a relative path).

    Regexes find the places a link can be; only a field holding a target that is not a plain
    web address is parsed (book.text.parse, the parse every format uses, so the verdict is theirs).
    """
    targets = _INLINE_TARGET.findall(markdown) if "](" in markdown else []
    if "<" in markdown:
        targets += _AUTOLINK.findall(markdown)
    if "]:" in markdown:
        targets += _REFERENCE.findall(markdown)
    if all(_PLAIN_URL.fullmatch(t) for t in targets):  # a subset of what clean_url keeps (tests/input/test_spec.py)
        return []
    from compendium.book.text import parse

    tree = parse(markdown)
    return [(t, kind) for kind in ("dropped", "unsafe") for t in tree.attr(kind, ())]


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, RawMap):
        return "a group of 'key: value' lines"
    if isinstance(value, RawList):
        return "a list"
    return f"'{value}'"


def valid_language(tag: str) -> bool:
    """A BCP 47 tag written with hyphens whose subtags are in the IANA registry (langcodes)."""
    import langcodes

    return bool(BCP47_RE.match(tag)) and langcodes.tag_is_valid(tag)


def valid_email(address: str) -> bool:
    """An email address by RFC 5322/6531 syntax (email-validator; no DNS look-up)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def isbn13(value: str) -> str | None:
    """The 13 digits of a valid ISBN-13 (hyphens and spaces allowed), or None (python-stdnum)."""
    from stdnum import isbn

    digits = value.replace("-", "").replace(" ", "")
    if len(digits) != 13 or not isbn.is_valid(digits):
        return None
    return digits


class Fields:
    """Reads the fields of one mapping; every problem becomes an Issue with the value's position."""

    def __init__(self, rel: str, data: RawMap, prefix: str, issues: list[Issue],
                 vocabularies: dict[str, Vocabulary] | None = None) -> None:
        self.rel = rel
        self.data = data
        self.prefix = prefix
        self.issues = issues
        self.vocabularies = vocabularies if vocabularies is not None else {}
        self.positions: list[tuple[str, int, int]] = []  # (field path, line, col) of every value read
        self.told: set[str] = set()  # keys whose problem was reported another way (not "is empty" again)

    def report(self, pos: Pos, severity: Severity, code: str, message: str) -> None:
        # a value a series file shares with this edition carries that file's path (load.At)
        self.issues.append(Issue(Source(getattr(pos, "rel", self.rel), pos[0], pos[1]), severity, code, message))

    def error(self, pos: Pos, code: str, message: str) -> None:
        self.report(pos, "error", code, message)

    def warning(self, pos: Pos, code: str, message: str) -> None:
        self.report(pos, "warning", code, message)

    def pos(self, key: str) -> Pos:
        return self.data.val_pos.get(key, self.data.pos)

    def name(self, key: str) -> str:
        """The quoted path of `key` for a message, items counted from 1 (see `display`)."""
        return display(f"{self.prefix}{key}")

    def child(self, key: str, data: RawMap, prefix: str | None = None) -> "Fields":
        out = Fields(self.rel, data, prefix if prefix is not None else f"{self.prefix}{key}.", self.issues,
                     self.vocabularies)
        out.positions = self.positions
        return out

    def check_keys(self, allowed: Iterable[str], required: Iterable[str], code: str, suffixed: bool = True,
                   aliases: dict[str, str] | None = None, missing_code: str = "", indent_code: str = "") -> None:
        """Unknown keys give `code`.unknown-key, missing ones `code`.missing (both just `code` unless
        `suffixed`; `missing_code` overrides), text not indented under its key `indent_code` (default:
        the unknown key's); `aliases` maps usual other names to the right key."""
        allowed = list(allowed)
        unknown, missing = (f"{code}.unknown-key", f"{code}.missing") if suffixed else (code, code)
        handled = self.unindented_text(allowed, indent_code or unknown)
        meant = set()
        for key, pos in self.data.key_pos.items():
            if key not in allowed and key not in handled:
                self.error(pos, unknown, unknown_key_message(self.name(key), str(key), allowed, aliases,
                                                             self.data.get(key)))
                meant.add(meant_key(str(key), allowed, aliases))
        for key in required:
            if key not in self.data and key not in meant:  # 'lessons learned:' is told once, as unknown
                self.error(self.data.pos, missing_code or missing, f"missing required key {self.name(key)}")

    def unindented_text(self, allowed: list[str], code: str) -> set[str]:
        """Lines of text that YAML read as keys (they hold ': ') because they are not indented
        under the key before them, whose value is then empty (`problem: |` followed by the text
        in the same column): one error each, at the text; returns the keys told (both)."""
        keys = list(self.data.key_pos)
        told: set[str] = set()
        for before, key in zip(keys, keys[1:]):
            if key in allowed or before not in allowed or not blank(self.data.get(before)):
                continue
            if not looks_like_text(str(key), self.data.get(key), allowed):
                continue
            line = self.data.key_pos[before][0]
            self.error(self.data.key_pos[key], code,
                       f"this line is the text of {self.name(before)} (line {line}) but is not indented under it, "
                       f"so YAML reads '{key}' as a key: indent every line of the text more than '{before}:'")
            told.update((before, key))
        self.told |= told
        return told

    def present(self, key: str) -> bool:
        """The key is given with a value that is not blank (see `blank`)."""
        return key in self.data and not blank(self.data[key])

    def _type_error(self, key: str, code: str, expected: str, hint: str = "") -> None:
        value = self.data[key]
        if not hint and expected == "text" and isinstance(value, (int, float, bool, dt.date)):
            hint = "; put it in quotes"
        self.error(self.pos(key), code, f"{self.name(key)} must be {expected}, not {describe(value)}{hint}")

    # --- the declaration's loop ------------------------------------------------------------------

    def read(self, field: Field) -> Any:
        """The value of `field` in this mapping, checked by its kind (spec.Field.kind).

        None when it is absent, blank (reported when the field is required and the key is
        given: a missing key is check_keys' to report) or wrong (reported).
        """
        key, code = field.key, field.code or "entry.type"
        if not self.present(key):
            comment = self.data.comments.get(key)
            # `title: #1 shop`: what was typed is a comment (for an optional key, only when it reads as
            # a value, '#1' and not '# to do', a usual comment)
            if comment and (field.required or not comment[1][1:2].isspace() and len(comment[1]) > 1):
                (line, col), text = comment
                self.report((line, col), "error" if field.required else "warning", code,
                            f"{self.name(key)} is empty: ' #' starts a comment, so YAML ignores everything after "
                            f"it; put the value in quotes, for example {yaml_line(key, text)}")
            elif field.required and key in self.data and key not in self.told:
                self.error(self.pos(key), code, f"{self.name(key)} is empty{self._choices_hint(field)}")
            return None
        self.positions.append((f"{self.prefix}{key}", *self.pos(key)))
        return getattr(self, f"_read_{field.kind}")(key, code, field)

    def _choices_hint(self, field: Field) -> str:
        vocabulary = self.vocabularies.get(field.vocabulary) if field.kind == "choice" else None
        return f"; give one of {', '.join(t.id for t in vocabulary.terms)}" if vocabulary else ""

    def _read_line(self, key: str, code: str, field: Field) -> str | None:
        return self.line(key, code)

    _read_country = _read_theme = _read_region = _read_path = _read_line

    def _read_text(self, key: str, code: str, field: Field) -> str | None:
        return self.text(key, code)

    def _read_markdown(self, key: str, code: str, field: Field) -> str | None:
        value = self.text(key, code)
        if value is not None:
            self.markdown_checks(key, value, field.words, field.words_code, self._label(key))
            if key in self.data.folded:  # `summary: Some text` continued by `- an item` lines
                self.warning(self.data.folded[key], "entry.multiline",
                             f"{self._label(key)} runs over several lines without '|', so YAML joins its lines "
                             f"into one and this list, heading or quote is lost: write '{key}: |' and indent the "
                             "text under it")
        return value

    def _label(self, key: str) -> str:
        path = f"{self.prefix}{key}"
        return "the summary" if path == "summary" else (f"section '{key}'" if self.prefix == "sections." else
                                                        self.name(key))

    def markdown_checks(self, key: str, value: str, words: int, code: str, label: str) -> None:
        """The word-count warning and the links the books will show as text."""
        if words:
            count = words_over(value, words)
            if count:
                self.warning(self.pos(key), code, f"{label} has {count} words; keep it to {words} or fewer")
        why = {"dropped": "is not a valid web address", "unsafe": "is not an http(s) or mailto address"}
        for target, kind in link_problems(value):
            shown = target if len(target) <= 80 else target[:77] + "..."
            self.warning(self.pos(key), "entry.link", f"{label}: the link '{shown}' {why[kind]}; it will be shown as text")

    def _read_integer(self, key: str, code: str, field: Field) -> int | None:
        return self.integer(key, code)

    def _read_number(self, key: str, code: str, field: Field) -> int | float | None:
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self._type_error(key, code, "a number", number_hint(key, value))
            return None
        return value

    def _read_boolean(self, key: str, code: str, field: Field) -> bool | None:
        return self.boolean(key, code)

    def _read_date(self, key: str, code: str, field: Field) -> dt.date | None:
        value = self.data[key]
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and len(value.strip()) == 10:  # a quoted ISO date is still a date
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(self.pos(key), code, f"{self.name(key)} must be an ISO date such as 2012-06-23, not {describe(value)}")
        return None

    def _read_url(self, key: str, code: str, field: Field) -> str | None:
        return self.url(key, code)

    def _read_email(self, key: str, code: str, field: Field) -> str | None:
        return self.email(key, code)

    def _read_language(self, key: str, code: str, field: Field) -> str | None:
        return self.language(key, code)

    def _read_slug(self, key: str, code: str, field: Field) -> str | None:
        from compendium.book.slug import is_slug

        value = self.line(key, code)
        if value is not None and not is_slug(value):
            self.error(self.pos(key), code, f"{self.name(key)} must be a short name of lowercase letters a-z, digits "
                                            f"and hyphens, not '{value}'{slug_hint(value, 'service-delivery')}")
            return None
        return value

    def _read_name(self, key: str, code: str, field: Field) -> str | None:
        value = self.line(key, code)
        if value is not None and not re.fullmatch(NAME_PATTERN, value):
            self.error(self.pos(key), code, f"{self.name(key)} must be a short lowercase name (a-z, 0-9, _ or -), "
                                            f"not '{value}'")
            return None
        return value

    def _read_colour(self, key: str, code: str, field: Field) -> str | None:
        value = self.line(key, code)
        if value is not None and not re.fullmatch(COLOUR_PATTERN, value):
            self.error(self.pos(key), code, f"colour '{value}' must be written #RRGGBB")
            return None
        return value

    def _read_term(self, key: str, code: str, field: Field) -> str | None:
        value = self.data[key]
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return self.line(key, code)

    def _read_isbn(self, key: str, code: str, field: Field) -> str | None:
        value = self.data[key]
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # 9789211231946 unquoted is a number: its digits are still an ISBN
        if not isinstance(value, str):
            self._type_error(key, code, "text")
            return None
        digits = isbn13(value.strip())
        if digits is None:
            self.error(self.pos(key), code, f"'{value.strip()}' is not a valid ISBN-13 (13 digits starting 978 or 979, "
                                            "checksum verified)")
        return digits

    def _read_choice(self, key: str, code: str, field: Field) -> str | None:
        if field.choices:
            return self.choice(key, code, field.choices, self.name(key))
        return self.choice_term(key, code, field.vocabulary, self.data[key], self.pos(key))

    def choice_term(self, key: str, code: str, vocabulary_id: str, value: Any, pos: Pos) -> str | None:
        """The id of the vocabulary term `value` names; an error suggesting by meaning, else by spelling."""
        from compendium.input.vocabularies import match, meaning

        vocabulary = self.vocabularies[vocabulary_id]
        if isinstance(value, (RawMap, RawList)) or value is None:
            self.error(pos, code, f"{self.name(key)} must be one of {', '.join(t.id for t in vocabulary.terms)}, "
                                  f"not {describe(value)}")
            return None
        term = match(vocabulary, value)
        if term is not None:
            return term.id
        shown = str(value).strip() if isinstance(value, str) else describe(value).removeprefix("the number ")
        meant = meaning(vocabulary, value)
        if meant is not None and (vocabulary_id != "places" or shown.casefold() == meant.id.casefold()):
            return meant.id  # a title or mark of the term, or its id in other letter case ('Winner'): take it
        ids = [t.id for t in vocabulary.terms]
        numbered = all(i.isdigit() for i in ids)
        if meant:
            hint = f"; did you mean '{meant.id}'?"
        elif numbered and shown.isdigit():  # '18' is no misspelling of '8'
            hint = f"; they are numbered {ids[0]} to {ids[-1]}"
        else:
            hint = suggest(shown, ids)
        what = key.split("[")[0] if vocabulary_id == "places" else self.name(key)
        listed = ", ".join(ids) if len(ids) <= 12 else f"{ids[0]}…{ids[-1]}"
        self.error(pos, code, f"{_named(what)}'{shown}' is not one of {listed}{hint}")
        return None

    def _read_list(self, key: str, code: str, field: Field) -> tuple[Any, ...] | None:
        items = self.sequence(key, code, field)
        if items is None:
            return None
        item = field.item
        out: list[Any] = []
        for index, (value, pos) in enumerate(zip(items, items.item_pos)):
            if item is not None and item.kind == "choice":
                term = self.choice_term(f"{key}[{index}]", code, item.vocabulary, value, pos)
                if term is not None and term not in out:
                    out.append(term)
            elif item is not None and item.kind == "mapping":
                out.append(value)  # checked by the caller, which knows what the items mean
            elif not isinstance(value, str) or blank(value) or any(c in value.strip() for c in LINE_BREAKS):
                self.error(pos, code, f"{self.name(f'{key}[{index}]')} must be a line of text, not {describe(value)}")
            else:
                out.append(value.strip())
        return tuple(out)

    def _read_ids(self, key: str, code: str, field: Field) -> tuple[str, ...] | None:
        """One entry id (a slug) or a list of them (`follows: 2012-bh-zajel`)."""
        from compendium.book.slug import is_slug

        value = self.data[key]
        items = list(zip(value, value.item_pos)) if isinstance(value, RawList) else [(value, self.pos(key))]
        out: list[str] = []
        for item, pos in items:
            if not isinstance(item, str) or not is_slug(item.strip()):
                self.error(pos, code, f"'{self.prefix}{key}' must name an entry by its id, a lowercase slug such as "
                                      f"'2012-bh-zajel' (or a list of ids), not {describe(item)}")
                continue
            if item.strip() not in out:
                out.append(item.strip())
        return tuple(out) if out else None

    def _read_years(self, key: str, code: str, field: Field) -> tuple[int, ...] | None:
        """A year (2012), a range ('2003-2011', '2003–2011') or a list of years → sorted years."""
        value = self.data[key]
        found: list[int] = []
        if isinstance(value, RawList):
            for item, pos in zip(value, value.item_pos):
                if isinstance(item, bool) or not isinstance(item, int):
                    self.error(pos, code, f"'{self.prefix}{key}' lists years, not {describe(item)}")
                    return None
                found.append(item)
        elif isinstance(value, int) and not isinstance(value, bool):
            found.append(value)
        else:
            match = re.fullmatch(r"\s*(\d{4})\s*[-\u2013]\s*(\d{4})\s*", value) if isinstance(value, str) else None
            if match is None or int(match[1]) > int(match[2]):
                self.error(self.pos(key), code, f"'{self.prefix}{key}' must be a year, a range such as 2003-2011 or "
                                                f"a list of years, not {describe(value)}")
                return None
            found.extend(range(int(match[1]), int(match[2]) + 1))
        return tuple(sorted(set(found)))

    def _read_group_by(self, key: str, code: str, field: Field) -> tuple[str, ...] | None:
        """A pair of grouping keys among the field's `choices` ("theme year": [theme, year])."""
        value = self.data[key]
        words = " ".join(map(str, value)) if isinstance(value, RawList) else None
        if words not in field.choices:
            shown = " or ".join("[" + ", ".join(c.split()) + "]" for c in field.choices)
            self.error(self.pos(key), code, f"'{self.prefix}{key}' must be {shown}, not {describe(value)}")
            return None
        return tuple(words.split())

    def _read_sections(self, key: str, code: str, field: Field) -> RawMap | None:
        return self.mapping(key, code)  # its keys depend on the edition: validate._sections reads them

    def _read_mapping(self, key: str, code: str, field: Field) -> dict[str, Any] | None:
        mapping = self.mapping(key, code)
        if mapping is None:
            return None
        sub = self.child(key, mapping)
        sub.check_keys([f.key for f in field.fields], [f.key for f in field.fields if f.required],
                       field.unknown_code or code)
        return {f.key: sub.read(f) for f in field.fields}

    # --- typed access (the readers above, and the edition's own checks) ---------------------------

    def text(self, key: str, code: str, required: bool = False) -> str | None:
        """A non-blank string (surrounding whitespace stripped)."""
        if not self.present(key):
            if required and key in self.data:
                self.error(self.pos(key), code, f"{self.name(key)} is empty")
            return None
        value = self.data[key]
        if not isinstance(value, str):
            self._type_error(key, code, "text")
            return None
        return value.strip()

    def line(self, key: str, code: str, required: bool = False) -> str | None:
        """Like text(), but must fit on one line (titles, names)."""
        value = self.text(key, code, required)
        if value is not None and any(c in value for c in LINE_BREAKS):
            self.error(self.pos(key), code, f"{self.name(key)} must be a single line")
            return None
        return value

    def integer(self, key: str, code: str) -> int | None:
        if not self.present(key):
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            quoted = isinstance(value, str) and value.strip().isdigit()
            self._type_error(key, code, "a whole number", f"; remove the quotes: {key}: {value.strip()}" if quoted
                             else number_hint(key, value))
            return None
        return value

    def boolean(self, key: str, code: str) -> bool | None:
        if not self.present(key):
            return None
        value = self.data[key]
        if not isinstance(value, bool):
            self._type_error(key, code, "true or false")
            return None
        return value

    def mapping(self, key: str, code: str) -> RawMap | None:
        if not self.present(key):
            return None
        value = self.data[key]
        if not isinstance(value, RawMap):
            self._type_error(key, code, "a group of 'key: value' lines indented under it")
            return None
        return value

    def sequence(self, key: str, code: str, field: Field | None = None) -> RawList | None:
        if not self.present(key):
            return None
        value = self.data[key]
        if not isinstance(value, RawList):
            self._type_error(key, code, "a list", self._list_hint(key, value, field))
            return None
        return value

    def _list_hint(self, key: str, value: Any, field: Field | None) -> str:
        """'; write it as a list, even of one item: sdgs: [5]' for one value (or 'SDG 5, 16') given
        where a list is expected."""
        if isinstance(value, (RawMap, RawList)) or value is None:
            return ""
        item = field.item if field is not None else None
        if item is not None and item.kind == "mapping":
            return ""
        parts = [p.strip() for p in re.split(r"[,;]", value) if p.strip()] if isinstance(value, str) else [value]
        vocabulary = self.vocabularies.get(item.vocabulary) if item is not None and item.kind == "choice" else None
        if vocabulary is not None:
            from compendium.input.vocabularies import match, meaning

            terms = [match(vocabulary, p) or meaning(vocabulary, p) for p in parts]
            if all(terms):
                parts = [int(t.id) if t.id.isdigit() else t.id for t in terms]
        example = yaml_flow(key, parts)
        return f"; write it as a list, even of one item: {example}" if len(example) < 160 else ""


    def text_list(self, key: str, code: str) -> tuple[str, ...]:
        """A list of non-empty single-line strings."""
        return self._read_list(key, code, Field(key, "list", "")) or () if self.present(key) else ()

    def url(self, key: str, code: str) -> str | None:
        value = self.line(key, code)
        if value is not None and not URL_RE.match(value):
            scheme = value.split(":", 1)[0].lower() if ":" in value else ""
            why = f"the '{scheme}:' scheme is not allowed" if scheme and scheme not in ("http", "https") else "not a valid address"
            self.error(self.pos(key), code, f"{self.name(key)} must be an http:// or https:// web address ({why})")
            return None
        return value

    def email(self, key: str, code: str) -> str | None:
        value = self.line(key, code)
        if value is not None and not valid_email(value):
            self.error(self.pos(key), code, f"{self.name(key)} is not a valid email address: '{value}'")
            return None
        return value

    def language(self, key: str, code: str) -> str | None:
        value = self.line(key, code)
        if value is not None and not valid_language(value):
            meant = language_code(value)
            hint = f"; did you mean '{meant}'?" if meant else ""
            self.error(self.pos(key), code, f"{self.name(key)} must be a language code such as 'en', 'fr', 'ar' or "
                                            f"'zh-Hans' (a BCP 47 tag), not '{value}'{hint}")
            return None
        return value

    def choice(self, key: str, code: str, choices: Iterable[str], what: str) -> str | None:
        """One of a short closed list of words (a format option such as page_size)."""
        value = self.line(key, code)
        options = list(choices)
        if value is not None and value not in options:
            self.error(self.pos(key), code,
                       f"{_named(what)}'{value}' is not one of {', '.join(options)}{suggest(value, options)}")
            return None
        return value

    def image(self, key: str, base: Path, root: Path, alt: str) -> Image | None:
        """Resolve and probe the image file named by this key (relative to `base`)."""
        value = self.line(key, "image.path")
        if value is None:
            return None
        try:
            path = resolve_inside(root, base, value)
        except PathProblem as problem:
            self.error(self.pos(key), problem.code, str(problem))
            return None
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            self.error(self.pos(key), "image.too-large", f"'{value}' is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}")
            return None
        info = probe(path)
        if info is None:
            self.error(self.pos(key), "image.format", f"'{value}' is not a PNG or JPEG image")
            return None
        fmt, width, height = info
        if width < 600:
            self.warning(self.pos(key), "image.small", f"'{value}' is {width} px wide; at least 600 px prints well")
        rel = path.relative_to(root.resolve()).as_posix()
        return Image(path, rel, alt, width=width, height=height, format=fmt)
