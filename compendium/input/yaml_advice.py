"""Load (helper): libyaml's parser messages turned into plain advice at the right line and column.

"mapping values are not allowed in this context" tells a submitter nothing; "a value that
contains ': ' must be in quotes" does. Each rule below matches one message of libyaml (the C
parser load.py uses) and says where the mistake is: an unclosed quote is reported where the
quote opens, not at the end of the file where the parser gave up; a key moved out of its group
where it was moved, not at the next line the parser choked on; a pasted non-breaking space
where it is. Corrected lines are written by the YAML emitter (`yaml_line`), so a suggestion
pasted back always reads as meant.
"""
from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

from ruamel.yaml.error import MarkedYAMLError

Pos = tuple[int, int]

_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s#'\"][^:#]*?):(?:\s+|$)")
_BLOCK_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s#'\"][^:#]*?):\s*[|>][-+0-9]*\s*(?:#.*)?$")
# Characters that look like a space (or nothing) but are not one to YAML: pasted from Word,
# Outlook or a web page, they split a key from its value or indent a line in the eyes only.
ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f" \
             "\u2060\u3000\ufeff"
_ODD = f"[{ODD_SPACES}]"
_ODD_IN_SYNTAX = re.compile(rf"^[ \t]*(?:-[ \t]*)?({_ODD})|^[ \t]*(?:-[ \t]+)?[^\s#:'\"]+?({_ODD})*:({_ODD})")
CURLY_QUOTES = "“”‘’„«»‚"
TEXT_KEYS = frozenset({"summary", "description"})  # keys whose value is Markdown text (and every section)


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _previous_content_line(text: str, number: int) -> int:
    for n in range(number - 1, 0, -1):
        if _content(_line(text, n)):
            return n
    return number


def character_name(char: str) -> str:
    """'a non-breaking space (U+00A0)': what a person can look for in their editor."""
    names = {"\u00a0": "a non-breaking space", "\u202f": "a narrow non-breaking space", "\u200b": "a zero-width space",
             "\ufeff": "a zero-width no-break space", "\u2060": "a word joiner", "\u3000": "an ideographic space"}
    name = names.get(char) or f"the {unicodedata.name(char, 'invisible character').lower()}"
    return f"{name} (U+{ord(char):04X})"


def yaml_line(key: str, value: Any) -> str:
    """`key: value` as the YAML emitter writes it: plain when that reads back the same, else in
    single quotes, else double ('title: \\'"Huduma" Centres\\'', 'title: \\'Zajel: the system\\'')."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.width = 1_000_000
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump({key: value}, out)
    return out.getvalue().strip()


def yaml_flow(key: str, value: Any) -> str:
    """`key: {a: {b: c}}` or `key: [5, 16]` on one line, quoted where YAML needs it
    ("countries: {HK: {name: 'Hong Kong, China', ...}}")."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def flow(item: Any) -> Any:
        if isinstance(item, dict):
            out: Any = CommentedMap((k, flow(v)) for k, v in item.items())
        elif isinstance(item, (list, tuple)):
            out = CommentedSeq(flow(v) for v in item)
        else:
            return item
        out.fa.set_flow_style()
        return out

    yaml = YAML(typ="rt")
    yaml.width = 1_000_000
    yaml.allow_unicode = True
    text = io.StringIO()
    yaml.dump(CommentedMap([(key, flow(value))]), text)
    return text.getvalue().strip()


def _straightened(value: str) -> str:
    """The value without the curly quotes that wrap it (“Huduma” → Huduma)."""
    if len(value) >= 2 and value[0] in CURLY_QUOTES and value[-1] in CURLY_QUOTES:
        return value[1:-1]
    return value


def _quoted_example(line: str) -> str:
    """'title: Zajel: the system' → ", for example title: 'Zajel: the system'" (for the message)."""
    m = _KEY_LINE.match(line)
    if not m:
        return ""
    value = _straightened(line[m.end():].strip())
    shown = yaml_line(m.group(2), value)
    return f", for example {shown}" if len(shown) <= 100 else ""


def _curly(line: str) -> str:
    """Advice for a value that starts with a curly quote (Word's “ ”), else ''."""
    m = _KEY_LINE.match(line)
    value = line[m.end():].strip() if m else ""
    if not value or value[0] not in CURLY_QUOTES:
        return ""
    pair = "“ ”" if value[0] in "“”„" else "‘ ’" if value[0] in "‘’‚" else "« »"
    return (f"the value starts with the curly quote {value[0]}, which YAML reads as an ordinary letter: "
            f"replace the curly quotes {pair} with straight ones{_quoted_example(line)}")


def odd_space(text: str, last_line: int) -> tuple[Pos, str] | None:
    """The first character that looks like a space but is not one to YAML (a non-breaking space
    pasted from Word) where YAML needs a real one: in a line's indentation or around a key's ':'.
    Lines 1..last_line are searched (the parser stops at or after the character)."""
    if not any(c in text for c in ODD_SPACES):
        return None
    for number, line in enumerate(text.splitlines()[:last_line], 1):
        m = _ODD_IN_SYNTAX.match(line)
        if m and (not m.group(1) or re.match(rf"^[ \t{ODD_SPACES}-]*[^\s:#]+:(?:\s|$)", line)):
            group = next(g for g in (1, 2, 3) if m.group(g))
            col = m.start(group) + 1
            char = line[col - 1]
            where = "in the indentation" if group == 1 else "next to the ':' after the key"
            return (number, col), (f"{character_name(char)}, as Word or Outlook paste it, is {where}: YAML does not "
                                   "read it as a space; delete it and type an ordinary space")
    return None


def _governing_key(text: str, number: int) -> tuple[int, re.Match[str]] | None:
    """The nearest line above `number` that holds a key, when only lines of text are in between."""
    for n in range(number - 1, 0, -1):
        line = _line(text, n)
        if not _content(line):
            continue
        m = _KEY_LINE.match(line)
        if m:
            return n, m
    return None


def _continuation(text: str, at: Pos) -> tuple[Pos, str] | None:
    """A line of text that is not indented under the key whose value it continues: after
    `problem: |` (the text must be indented more than its key), or after `summary: Some text`
    (a text of several lines needs `summary: |`)."""
    line = _line(text, at[0])
    if not _content(line) or re.match(r"^\s*[^\s:#'\"]+:(?:\s|$)", line):
        return None  # a key line: not text
    above = _previous_content_line(text, at[0])
    block = _BLOCK_KEY.match(_line(text, above))
    where = (at[0], _indent(line) + 1)
    if block and _indent(line) <= len(block.group(1)) and above != at[0]:
        key = block.group(2)
        marker = _line(text, above).split(":", 1)[1].split("#")[0].strip()
        return where, (f"the text under '{key}: {marker}' (line {above}) must be indented more than '{key}:'; "
                       "add two spaces before each of its lines")
    found = _governing_key(text, at[0])
    if found is None:
        return None
    n, m = found
    value = _line(text, n)[m.end():].strip()
    if not value or value[0] in "|>\"'[{&*!":
        return None
    heading = next((k for k in range(n + 1, at[0]) if re.match(r"^\s*#{1,6}\s", _line(text, k))), None)
    if heading is not None:  # '## Heading' under a plain value is a YAML comment: it ended the value
        return (heading, _indent(_line(text, heading)) + 1), (
            f"this Markdown heading is a YAML comment here, which ends the text of '{m.group(2)}' (line {n}): a "
            f"text of several lines starts with '{m.group(2)}: |' and every line of it is indented under the key")
    if _indent(line) > len(m.group(1)):
        return None
    key = m.group(2)
    is_text = key in TEXT_KEYS or _parent(text, n) == "sections"
    if line.lstrip().startswith("- ") and not is_text:
        return where, (f"this line is not indented under '{key}:' (line {n}): to give a list, write '{key}:' alone "
                       "on its line and the items below it, indented, each starting with '- '")
    return where, (f"this line continues the text of '{key}' (line {n}) but is not indented under it: a text of "
                   f"several lines starts with '{key}: |' and every line of it is indented under the key")


def _parent(text: str, number: int) -> str:
    """The key of the mapping that holds the key on line `number` ('' at the top level)."""
    indent = _indent(_line(text, number))
    for n in range(number - 1, 0, -1):
        line = _line(text, n)
        if _content(line) and _indent(line) < indent:
            m = _KEY_LINE.match(line)
            return m.group(2) if m else ""
    return ""


def _moved_key(text: str, at: Pos) -> tuple[Pos, str] | None:
    """A key written further left than its neighbours ('solution:' in column 1 between 'problem:'
    and 'impact:' in column 3): the parser stops at the next neighbour; the mistake is the moved key."""
    line = _line(text, at[0])
    n_indent = _indent(line)
    if not n_indent or not _KEY_LINE.match(line):
        return None
    for k in range(at[0] - 1, 0, -1):  # the nearest key further left than this line
        moved = _line(text, k)
        if _content(moved) and _indent(moved) < n_indent:
            break
    else:
        return None
    moved_key = _KEY_LINE.match(moved)
    if not moved_key:
        return None
    for s in range(k - 1, 0, -1):  # ...sitting right after keys in this line's column
        sibling = _line(text, s)
        if not _content(sibling) or _indent(sibling) > n_indent:
            continue
        m = _KEY_LINE.match(sibling)
        if _indent(sibling) == n_indent and m:
            return (k, _indent(moved) + 1), (
                f"'{moved_key.group(2)}:' starts in column {_indent(moved) + 1}, but the keys around it "
                f"('{m.group(2)}:' on line {s}, '{_KEY_LINE.match(line).group(2)}:' on line {at[0]}) start in column "
                f"{n_indent + 1}: indent it like them")
        return None
    return None


def advice(exc: MarkedYAMLError, text: str) -> tuple[Pos, str]:
    """(line, column) and a plain message for a libyaml error on `text`."""
    pm = exc.problem_mark
    last = (pm.line + 2) if pm else len(text)
    return odd_space(text, last) or _advice(exc, text)


def _advice(exc: MarkedYAMLError, text: str) -> tuple[Pos, str]:
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    pm, cm = exc.problem_mark, exc.context_mark
    at = (pm.line + 1, pm.column + 1) if pm else (1, 1)
    opened = (cm.line + 1, cm.column + 1) if cm else at
    line = _line(text, at[0])
    char = line[at[1] - 1] if 0 < at[1] <= len(line) else ""

    if "expected a single document" in context + problem:
        return (at[0], 1), (f"one entry per file: the '---' on line {at[0]} starts a second document; move what "
                            "follows it into a file of its own")
    if "quoted scalar" in context and "end of stream" in problem:
        quote = _line(text, opened[0])[opened[1] - 1: opened[1]] or '"'
        return opened, (f"this {quote} quote is never closed: end the value with {quote} on the same line "
                        f"(inside {'double' if quote == chr(34) else 'single'} quotes write "
                        f"{'a quote as ' + chr(92) + chr(34) if quote == chr(34) else 'an apostrophe twice: ' + chr(39) * 2})")
    if "quoted scalar" in context and ("escape" in problem or "hexdecimal" in problem):
        value = _line(text, opened[0])[opened[1]:].split('"')[0]
        if re.match(r"^[A-Za-z]:\\|^\\\\|.*\\[^\\\"]+\\", value):  # C:\Users\..., \\server\..., a\b\c
            fixed = value.replace("\\", "/")
            return at, ("'\\' inside double quotes starts an escape (\\U, \\n...): write '/' between folders, or use "
                        f"single quotes ('{value}'); a picture must also be inside the project folder, with a path "
                        f"relative to this file, such as images/{fixed.rsplit('/', 1)[-1]}")
        return at, ("a backslash in double quotes starts an escape such as \\n; write \\\\ for a backslash, "
                    "or use single quotes")
    if "while scanning an alias" in context or "while scanning an anchor" in context or \
            "could not find expected ':'" in problem:
        continued = _continuation(text, opened)
        if continued:
            return continued
    if "mapping values are not allowed" in problem:
        m = _KEY_LINE.match(line)
        if m and m.end() < at[1]:  # a key before the offending ':' on the same line
            return (at[0], m.end() + 1), (_curly(line) or
                                          f"a value that contains ': ' must be in quotes{_quoted_example(line)}")
        before = _previous_content_line(text, at[0])
        indent = _indent(line)
        moved = _moved_key(text, at)
        if moved:
            return moved
        if _KEY_LINE.match(_line(text, before)) and before != at[0]:
            return (at[0], indent + 1), ("this line is indented more than the key above it, so it is read as the rest "
                                         "of that key's value; start it in the same column as that key")
        return (before, _indent(_line(text, before)) + 1), (
            "this line has no ':' after its key, so the line below is read as part of it; "
            "write 'key: value' (a value continued on the next lines must be indented)")
    if "could not find expected ':'" in problem:
        return opened, ("this line has no ':' after its key; write 'key: value' (a value continued on the next "
                        "lines must be indented more than its key)")
    if "tab" in problem or char == "\t":
        return (at[0], 1), "a tab indents this line; YAML indents with spaces only"
    if "while scanning an alias" in context or "while scanning an anchor" in context:
        sign = _line(text, opened[0])[opened[1] - 1: opened[1]] or "*"
        return opened, (f"a value that starts with '{sign}' is read as a YAML alias or anchor; put it in "
                        f"quotes{_quoted_example(_line(text, opened[0]))}")
    if "cannot start any token" in problem:
        return at, f"a value may not start with '{char}'; put it in quotes{_quoted_example(line)}"
    if "block sequence entries are not allowed" in problem:
        return at, f"a value that starts with '- ' must be in quotes{_quoted_example(line)}"
    if "mapping keys are not allowed" in problem:
        return at, f"a value that starts with '? ' must be in quotes{_quoted_example(line)}"
    if "block scalar" in context:
        return _continuation(text, at) or (at, "after '|' or '>' the text starts on the next line, indented under "
                                               "the key")
    if "flow sequence" in context or "flow mapping" in context:
        close = "]" if "sequence" in context else "}"
        return opened, (f"the '{'[' if close == ']' else '{'}' here is not closed with '{close}' where expected: "
                        f"close it, and quote items that contain ',' or ': '")
    if "block mapping" in context and "expected key" in problem:
        before = line[: at[1] - 1].rstrip()
        if before.endswith(("\"", "'")):
            return at, f"text after a closing quote: put the whole value in quotes{_quoted_example(line)}"
        if before.endswith(("]", "}")):
            return at, (f"a value that starts with '[' or '{{' is read as a list or mapping: put the whole value "
                        f"in quotes{_quoted_example(line)}")
    if ("block mapping" in context and "expected key" in problem) or "block collection" in context \
            or "expected <block end>" in problem:
        found = _moved_key(text, at) or _continuation(text, at)
        if found:
            return found
        return at, ("this line is indented differently from the lines above: keys at the same level start in the "
                    "same column, a key's own keys are indented under it, and the items of one list start in "
                    "the same column")
    detail = "; ".join(p for p in (context, problem) if p)
    return at, f"malformed YAML: {detail}"
