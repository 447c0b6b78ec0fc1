"""Report: turn validation issues into text for people, JSON for tools, or GitHub annotations."""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence

from compendium.model import Issue

_COLOURS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "note": "\x1b[1;36m"}
_RESET = "\x1b[0m"


def use_colour(is_terminal: bool) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return is_terminal and not os.environ.get("NO_COLOR")


def summary(issues: Sequence[Issue], files: int) -> str:
    """'18 files checked: 1 error, 0 warnings' (notes are not problems: '2 files skipped' is added)."""
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = sum(1 for i in issues if i.severity == "warning")
    skipped = sum(1 for i in issues if i.severity == "note" and i.code == "file.skipped")
    checked = f"{files} file{'s' if files != 1 else ''} checked: " if files else ""
    also = f"; {skipped} file{'s' if skipped != 1 else ''} skipped on purpose" if skipped else ""
    if not errors and not warnings:
        return f"{checked}no problems found{also}"
    parts = [f"{errors} error{'s' if errors != 1 else ''}", f"{warnings} warning{'s' if warnings != 1 else ''}"]
    return f"{checked}{', '.join(parts)}{also}"


def text(issues: Sequence[Issue], files: int, colour: bool = False) -> str:
    lines = []
    for issue in issues:
        severity: str = issue.severity
        if colour:
            severity = f"{_COLOURS[issue.severity]}{severity}{_RESET}"
        lines.append(f"{issue.source}: {severity}: {issue.message} [{issue.code}]")
    lines.append(summary(issues, files))
    return "\n".join(lines) + "\n"


def as_json(issues: Sequence[Issue], files: int, colour: bool = False) -> str:
    rows = [
        {
            "file": i.source.path,
            "line": i.source.line,
            "column": i.source.col,
            "severity": i.severity,
            "code": i.code,
            "message": i.message,
        }
        for i in issues
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(issues: Sequence[Issue], files: int, colour: bool = False) -> str:
    """GitHub Actions workflow commands: one ::error/::warning/::notice annotation per issue."""
    lines = []
    for i in issues:
        props = f"file={_escape_property(i.source.path)}"
        if i.source.line:
            props += f",line={i.source.line},col={i.source.col}"
        props += f",title={_escape_property(i.code)}"
        kind = "notice" if i.severity == "note" else i.severity
        lines.append(f"::{kind} {props}::{_escape_data(i.message)}")
    lines.append(summary(issues, files))
    return "\n".join(lines) + "\n"


REPORTERS: dict[str, Callable[..., str]] = {"text": text, "json": as_json, "github": github}


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def build_table(rows: Sequence[tuple[str, str, int, str, str, float]]) -> str:
    """Closing table of a build: (format, file, size, pages-or-entries, sha256, seconds)."""
    header = ("format", "file", "size", "contents", "sha256", "time")
    body = [(f, path, human_size(size), what, digest[:12], f"{secs:.1f} s") for f, path, size, what, digest, secs in rows]
    widths = [max(len(r[i]) for r in (header, *body)) for i in range(len(header))]
    right = {2, 5}
    lines = ["  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
             for r in (header, *body)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
