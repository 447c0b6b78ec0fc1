"""Validate (helper): an entry nobody finished. A value still equal to what the entry template
(`new-entry`, `init`) wrote for it, or a Markdown text still holding one of the template's
prompts, is reported (`entry.placeholder`, a warning that `build` treats as an error), so that
"Name of the institution" is never printed in a book.

The texts come from the declaration (input/spec.py: the examples, SECTION_PROMPTS), the same
place the template is written from, so the two cannot drift apart.
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from compendium.input import spec
from compendium.input.load import RawList, RawMap
from compendium.model import Edition, Issue, Source

CODE = "entry.placeholder"


@lru_cache(maxsize=1)
def _example_addresses() -> tuple[str, ...]:
    """The template's example web and email addresses (example.gov, reserved for examples by RFC 2606)."""
    return (spec.field("website").example.casefold(), spec.field("contact").example["email"].casefold())


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split()).removesuffix(")").split(" (Markdown, at most")[0]
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


_last: list[tuple[Edition, dict[str, tuple[str, ...]]]] = []  # the edition's prompts, made once per edition


def _prompts(edition: Edition) -> dict[str, tuple[str, ...]]:
    """{field path: the template's texts for it}: a whole value equal to one, or a Markdown text
    containing one of their lines, is a placeholder."""
    if _last and _last[0][0] is edition:
        return _last[0][1]
    _last[:] = [(edition, _made(edition))]
    return _last[0][1]


def _made(edition: Edition) -> dict[str, tuple[str, ...]]:
    summary = spec.field("summary").example
    image = spec.field("images").example[0]
    out: dict[str, tuple[str, ...]] = {
        "title": (spec.field("title").example,),
        "translated_title": ("The title in the book's language",),
        "institution": (spec.NEW_ENTRY_INSTITUTION,),
        "summary": (summary, *(line for line in summary.splitlines() if line.strip())),
        "images[].alt": (image["alt"], spec.field("images").item.sub("alt").example),
        "images[].caption": (image["caption"],),
        "images[].credit": (image["credit"],),
        "contact.name": (spec.field("contact").example["name"],),
    }
    for section in edition.sections:
        title = edition.section_title(section.id)
        out[f"sections.{section.id}"] = (spec.section_prompt(section.id, title, section.words),
                                         spec.SECTION_PROMPTS.get(section.id) or f"{title}.")
    for extra in edition.fields:
        if extra.type in ("text", "markdown"):
            out[extra.id] = spec.TO_FILL_IN
    return out


def _values(data: RawMap) -> Iterator[tuple[str, str, Any, tuple[int, int]]]:
    """(path with list items as [], path of the value, value, position) of the values an entry gives."""
    for key, value in data.items():
        if isinstance(value, RawMap):
            for sub, inner in value.items():
                yield f"{key}.{sub}", f"{key}.{sub}", inner, value.val_pos.get(sub, value.pos)
        elif isinstance(value, RawList):
            for index, item in enumerate(value):
                if isinstance(item, RawMap):
                    for sub, inner in item.items():
                        yield f"{key}[].{sub}", f"{key}[{index}].{sub}", inner, item.val_pos.get(sub, item.pos)
        else:
            yield key, key, value, data.val_pos.get(key, data.pos)


def _found(path: Path | None, pos: tuple[int, int], needle: str) -> tuple[int, int]:
    """Where `needle` (the start of a prompt) is in the file, at or after `pos`; else `pos`."""
    if path is None:
        return pos
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return pos
    for n in range(pos[0] - 1, len(lines)):
        col = lines[n].find(needle)
        if col >= 0:
            return n + 1, col + 1
    return pos


def placeholder_issues(rel: str, data: RawMap, edition: Edition, path: Path | None = None) -> list[Issue]:
    """A warning for every value of the entry `data` (read from `rel`, at `path`) that still holds
    the template's text, at the value (at the prompt itself when it is left above the entry's own
    text); [] for a finished entry."""
    from compendium.input.fields import display

    prompts = _prompts(edition)
    issues = []
    for field, where, value, (line, col) in _values(data):
        if not isinstance(value, str) or not value.strip():
            continue
        texts = prompts.get(field)
        # a text holds a prompt only if it holds its first words as typed: most texts are told apart
        # by that test alone, without normalising them (1,000 entries: 0.5 s → 0.05 s)
        if texts and any(" ".join(t.split()[:3]) in value for t in texts):
            shown = display(where)
            norm = _norm(value)
            whole = next((t for t in texts if _norm(t) == norm), None)
            part = None if whole else next((t for t in texts if len(t) >= 25 and _norm(t) in norm), None)
            if whole:
                message = (f"{shown} still holds the template's text ('{_short(whole)}'): replace it with the "
                           "entry's own")
            elif part:
                message = (f"{shown} still contains the template's prompt '{_short(part)}': delete it and keep "
                           "the entry's own text")
                line, col = _found(path, (line, col), part[:40])
            else:
                continue
        elif texts:
            continue
        elif field in ("website", "contact.email") and value.strip().casefold() in _example_addresses():
            shown = display(where)
            message = f"{shown} is the template's example address ('{value.strip()}'): give the real one, or delete the line"
        else:
            continue
        issues.append(Issue(Source(rel, line, col), "warning", CODE, message))
    return issues
