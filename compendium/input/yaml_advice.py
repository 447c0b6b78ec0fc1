"""Load (helper): libyaml's parser messages turned into plain advice at the right line and column.

"mapping values are not allowed in this context" tells a submitter nothing; "a value that
contains ': ' must be in quotes" does. Each rule below matches one message of libyaml (the C
parser load.py uses) and says where the mistake is: an unclosed quote is reported where the
quote opens, not at the end of the file where the parser gave up.
"""
from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError

Pos = tuple[int, int]

_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s#'\"][^:#]*?):(?:\s+|$)")


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _previous_content_line(text: str, number: int) -> int:
    for n in range(number - 1, 0, -1):
        stripped = _line(text, n).strip()
        if stripped and not stripped.startswith("#"):
            return n
    return number


def _quoted_example(line: str) -> str:
    """'title: Zajel: the system' → 'title: "Zajel: the system"' (for the message)."""
    m = _KEY_LINE.match(line)
    if not m:
        return ""
    value = line[m.end():].strip().replace("\\", "\\\\").replace('"', '\\"')
    shown = f'{m.group(2)}: "{value}"'
    return f", for example {shown}" if len(shown) <= 70 else ""


def advice(exc: MarkedYAMLError, text: str) -> tuple[Pos, str]:
    """(line, column) and a plain message for a libyaml error on `text`."""
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    pm, cm = exc.problem_mark, exc.context_mark
    at = (pm.line + 1, pm.column + 1) if pm else (1, 1)
    opened = (cm.line + 1, cm.column + 1) if cm else at
    line = _line(text, at[0])
    char = line[at[1] - 1] if 0 < at[1] <= len(line) else ""

    if "quoted scalar" in context and "end of stream" in problem:
        quote = _line(text, opened[0])[opened[1] - 1: opened[1]] or '"'
        return opened, (f"this {quote} quote is never closed: end the value with {quote} on the same line "
                        f"(inside {'double' if quote == chr(34) else 'single'} quotes write "
                        f"{'a quote as ' + chr(92) + chr(34) if quote == chr(34) else 'an apostrophe twice: ' + chr(39) * 2})")
    if "quoted scalar" in context and "escape" in problem:
        return at, ("a backslash in double quotes starts an escape such as \\n; write \\\\ for a backslash, "
                    "or use single quotes")
    if "mapping values are not allowed" in problem:
        m = _KEY_LINE.match(line)
        if m and m.end() < at[1]:  # a key before the offending ':' on the same line
            return (at[0], m.end() + 1), f"a value that contains ': ' must be in quotes{_quoted_example(line)}"
        before = _previous_content_line(text, at[0])
        indent = len(line) - len(line.lstrip())
        if _KEY_LINE.match(_line(text, before)) and before != at[0]:
            return (at[0], indent + 1), ("this line is indented more than the key above it, so it is read as the rest "
                                         "of that key's value; start it in the same column as that key")
        return (before, len(_line(text, before)) - len(_line(text, before).lstrip()) + 1), (
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
        return at, "after '|' or '>' the text starts on the next line, indented under the key"
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
        return at, ("this line is indented differently from the lines above: the keys of one mapping start in "
                    "the same column, and a key's own keys are indented under it")
    if "block collection" in context or "expected <block end>" in problem:
        return at, ("this line is indented differently from the lines above: the items of one list, and the keys "
                    "of one mapping, start in the same column")
    detail = "; ".join(p for p in (context, problem) if p)
    return at, f"malformed YAML: {detail}"
