"""Errors: what can stop a command, as a small hierarchy; `cli.py` alone maps each class to an exit code.

- `InvalidInput`: the project's input is wrong (validation issues, a broken picture, a template
  mistake); carries the located issues when there are any.
- `UsageError`: the command cannot run as asked (no project, a file in the way, an unknown format,
  another build running).
- `BuildFailed`: the build could not finish (a font cache or output folder that cannot be
  written); `RenderError` when one format failed, naming the format and the entry being laid out.
- `Interrupted`: the user pressed Ctrl-C or the build was terminated; nothing was changed.

Signals are not errors of the library: Ctrl-C raises Python's KeyboardInterrupt wherever the
program is, and the CLI makes SIGTERM raise `Terminated`, a KeyboardInterrupt, so that whatever
stops on Ctrl-C (a build, `serve`) stops on SIGTERM the same way and no `except Exception`
swallows it.
"""
from __future__ import annotations

from compendium.model import Issue


class CompendiumError(Exception):
    """Base of every error the toolkit raises on purpose; `issues` are the located problems, if any."""

    def __init__(self, message: str, issues: tuple[Issue, ...] = ()) -> None:
        super().__init__(message)
        self.issues = tuple(issues)

    def __reduce__(self):  # keep the issues when the error crosses a process boundary
        return (self.__class__, (str(self), self.issues))


class InvalidInput(CompendiumError):
    """The project's input is wrong: fix the files named in the message or in `issues`."""


class UsageError(CompendiumError):
    """The command cannot run as asked: an option, a path or the state of the project is in the way."""


class BuildFailed(CompendiumError):
    """The build could not finish for a reason outside the input (a cache or output that cannot be written)."""


class RenderError(BuildFailed):
    """One format failed to render; `format` names it and `entry` the entry being laid out, when known."""

    def __init__(self, message: str, format: str = "", entry: str = "", issues: tuple[Issue, ...] = ()) -> None:
        super().__init__(message, issues)
        self.format = format
        self.entry = entry

    def __reduce__(self):
        return (self.__class__, (str(self), self.format, self.entry, self.issues))


class Interrupted(CompendiumError):
    """Ctrl-C (SIGINT) or SIGTERM stopped the command before it changed anything."""


class Terminated(KeyboardInterrupt):
    """SIGTERM stopped the command (raised by the CLI's handler where Ctrl-C's KeyboardInterrupt would be).

    Its message, when it has one, replaces "nothing was changed" (a signal that came while the
    output was being swapped in takes effect after the swap).
    """
