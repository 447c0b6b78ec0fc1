"""Validate (helpers): typed, located access to a raw YAML mapping, collecting Issues as it goes."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any, Iterable

from compendium.book.scripts import CJK_RE
from compendium.input.images import MAX_IMAGE_BYTES, PathProblem, probe, resolve_inside
from compendium.input.load import Pos, RawList, RawMap
from compendium.model import Image, Issue, Severity, Source

EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s<>\"]*)?$", re.IGNORECASE)
# BCP 47, syntactically: language, optional script, region, variants (enough to catch typos).
BCP47_RE = re.compile(
    r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*$"
)
_WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def suggest(value: str, candidates: Iterable[str]) -> str:
    """"; did you mean 'x'?" for a near miss, else ""."""
    options = list(candidates)
    lowered = {c.lower(): c for c in options}
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return f"; did you mean '{lowered[match[0]]}'?" if match else ""


def word_count(markdown: str) -> int:
    """Words in a Markdown text; CJK ideographs count as half a word each (no spaces there)."""
    cjk = sum(1 for c in CJK_RE.findall(markdown) if c.isalnum())  # ideographs, kana, hangul; not punctuation
    rest = CJK_RE.sub(" ", markdown) if cjk else markdown
    return len(_WORD_RE.findall(rest)) + cjk // 2


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
        return "a mapping"
    if isinstance(value, RawList):
        return "a list"
    return f"'{value}'"


class Fields:
    """Reads the fields of one mapping; every problem becomes an Issue with the value's position."""

    def __init__(self, rel: str, data: RawMap, prefix: str, issues: list[Issue]) -> None:
        self.rel = rel
        self.data = data
        self.prefix = prefix
        self.issues = issues

    def report(self, pos: Pos, severity: Severity, code: str, message: str) -> None:
        self.issues.append(Issue(Source(self.rel, pos[0], pos[1]), severity, code, message))

    def error(self, pos: Pos, code: str, message: str) -> None:
        self.report(pos, "error", code, message)

    def warning(self, pos: Pos, code: str, message: str) -> None:
        self.report(pos, "warning", code, message)

    def pos(self, key: str) -> Pos:
        return self.data.val_pos.get(key, self.data.pos)

    def child(self, key: str, data: RawMap) -> "Fields":
        return Fields(self.rel, data, f"{self.prefix}{key}.", self.issues)

    def check_keys(self, allowed: Iterable[str], required: Iterable[str], code: str, suffixed: bool = True) -> None:
        """Unknown keys give `code`.unknown-key, missing ones `code`.missing (both just `code` unless `suffixed`)."""
        allowed = list(allowed)
        unknown, missing = (f"{code}.unknown-key", f"{code}.missing") if suffixed else (code, code)
        for key, pos in self.data.key_pos.items():
            if key not in allowed:
                self.error(pos, unknown, f"unknown key '{self.prefix}{key}'{suggest(str(key), allowed)}")
        for key in required:
            if key not in self.data:
                self.error(self.data.pos, missing, f"missing required key '{self.prefix}{key}'")

    def present(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def _type_error(self, key: str, code: str, expected: str) -> None:
        value = self.data[key]
        hint = "; put it in quotes" if expected == "text" and isinstance(value, (int, float, bool, dt.date)) else ""
        self.error(self.pos(key), code, f"'{self.prefix}{key}' must be {expected}, not {describe(value)}{hint}")

    def text(self, key: str, code: str, required: bool = False) -> str | None:
        """A non-empty single string (surrounding whitespace stripped)."""
        if not self.present(key):
            if required and key in self.data:
                self.error(self.pos(key), code, f"'{self.prefix}{key}' is empty")
            return None
        value = self.data[key]
        if not isinstance(value, str):
            self._type_error(key, code, "text")
            return None
        value = value.strip()
        if not value:
            self.error(self.pos(key), code, f"'{self.prefix}{key}' is empty")
            return None
        return value

    def line(self, key: str, code: str, required: bool = False) -> str | None:
        """Like text(), but must fit on one line (titles, names)."""
        value = self.text(key, code, required)
        if value is not None and ("\n" in value or "\r" in value):
            self.error(self.pos(key), code, f"'{self.prefix}{key}' must be a single line")
            return None
        return value

    def integer(self, key: str, code: str) -> int | None:
        if not self.present(key):
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self._type_error(key, code, "a whole number")
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
            self._type_error(key, code, "a mapping of keys to values")
            return None
        return value

    def sequence(self, key: str, code: str) -> RawList | None:
        if not self.present(key):
            return None
        value = self.data[key]
        if not isinstance(value, RawList):
            self._type_error(key, code, "a list")
            return None
        return value

    def text_list(self, key: str, code: str) -> tuple[str, ...]:
        """A list of non-empty single-line strings."""
        items = self.sequence(key, code)
        if items is None:
            return ()
        out: list[str] = []
        for index, (item, pos) in enumerate(zip(items, items.item_pos)):
            if not isinstance(item, str) or not item.strip() or "\n" in item.strip():
                self.error(pos, code, f"item {index + 1} of '{self.prefix}{key}' must be a line of text, not {describe(item)}")
            else:
                out.append(item.strip())
        return tuple(out)

    def url(self, key: str, code: str) -> str | None:
        value = self.line(key, code)
        if value is not None and not URL_RE.match(value):
            scheme = value.split(":", 1)[0].lower() if ":" in value else ""
            why = f"the '{scheme}:' scheme is not allowed" if scheme and scheme not in ("http", "https") else "not a valid address"
            self.error(self.pos(key), code, f"'{self.prefix}{key}' must be an http:// or https:// web address ({why})")
            return None
        return value

    def email(self, key: str, code: str) -> str | None:
        value = self.line(key, code)
        if value is not None and not EMAIL_RE.match(value):
            self.error(self.pos(key), code, f"'{self.prefix}{key}' is not a valid email address: '{value}'")
            return None
        return value

    def language(self, key: str, code: str) -> str | None:
        value = self.line(key, code)
        if value is not None and not BCP47_RE.match(value):
            self.error(self.pos(key), code, f"'{self.prefix}{key}' is not a BCP 47 language tag such as 'en', 'fr' or 'zh-Hans': '{value}'")
            return None
        return value

    def choice(self, key: str, code: str, choices: Iterable[str], what: str) -> str | None:
        value = self.line(key, code)
        options = list(choices)
        if value is not None and value not in options:
            self.error(self.pos(key), code, f"{what} '{value}' is not one of {', '.join(options)}{suggest(value, options)}")
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
