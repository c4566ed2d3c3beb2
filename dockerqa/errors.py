"""The one error hierarchy of dockerqa.

Only the command line turns these into one-line messages and exit codes; any other exception
is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class DockerQAError(Exception):
    """Base class of every error dockerqa raises on purpose."""


class ParseError(DockerQAError):
    """The source text cannot be read as an interview page.

    Carries the file, 1-based line and column, and a plain message. A file that cannot be
    read at all (missing, a dangling link, unreadable) has no line: both are None, and the
    message names the file alone.
    """

    def __init__(
        self,
        message: str,
        file: str | Path = "<string>",
        line: int | None = 1,
        column: int | None = 1,
    ):
        self.message = message
        self.file = str(file)
        self.line = line
        self.column = column
        where = self.file if line is None else f"{self.file}:{line}:{column}"
        super().__init__(f"{where}: {message}")


class MetadataError(DockerQAError):
    """The metadata file beside a page (``NAME.toml``) is unreadable or holds a wrong value.

    Carries the file, the 1-based line (where it can be found, else None), the key path (e.g.
    ``sections[2].level``; empty for the whole file) and a plain message.
    """

    def __init__(self, message: str, file: str | Path, line: int | None = None, key: str = ""):
        self.message = message
        self.file = str(file)
        self.line = line
        self.key = key
        where = f"{self.file}:{line}" if line is not None else self.file
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


class ExportError(DockerQAError):
    """An exporter cannot produce its output (unknown format, unwritable path, stale lock...)."""


class LockError(ExportError):
    """The lock file is unreadable, or stale where an up-to-date lock was required."""


class LookupFailed(DockerQAError, KeyError):
    """No question or section has the id asked for (also a `KeyError`)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class DrillError(DockerQAError):
    """A drill cannot run: its store is damaged or unusable, or a rating or time is invalid."""
