"""The exporter contract and the entry-point registry.

Exporters are declared as entry points in the group ``dockerqa.exporters`` (built-in ones
too). Listing reads only the entry-point metadata; an exporter module is imported when chosen.
File writing lives in `dockerqa._files`; `atomic_output` and `write_bytes_atomic` are kept here
for the exporters (and third-party ones) that import them from this module.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import warnings
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

from dockerqa._files import atomic_output, make_directory, write_output
from dockerqa.errors import DockerQAError, ExportError
from dockerqa.model import Library

__all__ = [
    "DEFAULT_DIR",
    "GROUP",
    "Exporter",
    "atomic_output",
    "available_exporters",
    "describe_exporters",
    "export",
    "get_exporter",
    "write_bytes_atomic",
]

GROUP = "dockerqa.exporters"
#: Where exports go when no destination is given (relative to the working directory).
DEFAULT_DIR = Path("dist")


class Exporter(ABC):
    """Base class of every exporter: one format, one output file.

    Subclasses set `name`, `description`, `suffix` and `default_filename`, accept their options
    as keyword arguments and implement `export`.
    """

    name: ClassVar[str]
    """Format name used on the command line (``dockerqa export NAME``)."""
    description: ClassVar[str]
    """One line saying what the format is for."""
    suffix: ClassVar[str]
    """File suffix of the output, with its dot."""
    default_filename: ClassVar[str]
    """File name used inside ``dist/`` when no destination is given."""
    options: ClassVar[frozenset[str]] = frozenset()
    """Keyword options the constructor accepts (``export all`` passes only these)."""

    def __init__(self, **options: Any) -> None:
        unknown = set(options) - self.options
        if unknown:
            accepted = ", ".join(sorted(self.options)) or "none"
            raise ExportError(
                f"the {self.name} exporter takes no option {', '.join(sorted(unknown))} "
                f"(accepted: {accepted})"
            )

    @abstractmethod
    def export(self, library: Library, destination: Path) -> Path:
        """Write ``library`` to ``destination`` and return the path written."""


def _entry_points() -> dict[str, md.EntryPoint]:
    found: dict[str, md.EntryPoint] = {}
    for ep in sorted(md.entry_points(group=GROUP), key=lambda e: (e.name, e.value)):
        if ep.name in found and found[ep.name].value != ep.value:
            raise DockerQAError(
                f"exporter {ep.name!r} is declared twice: by {_owner(found[ep.name])} "
                f"({found[ep.name].value}) and by {_owner(ep)} ({ep.value})"
            )
        found[ep.name] = ep
    return found


def _owner(ep: md.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return f"{dist.name} {dist.version}" if dist is not None else "an unknown package"


def available_exporters() -> dict[str, str]:
    """Exporter names and their entry-point targets, without importing any of them."""
    return {name: ep.value for name, ep in _entry_points().items()}


def get_exporter(name: str) -> type[Exporter]:
    """Import and return the exporter class registered under ``name``."""
    eps = _entry_points()
    if name not in eps:
        raise ExportError(f"unknown exporter {name!r} (available: {', '.join(sorted(eps))})")
    try:
        cls = eps[name].load()
    except Exception as exc:  # a broken plugin fails only when chosen
        raise ExportError(f"exporter {name!r} ({eps[name].value}) cannot be loaded: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Exporter)):
        raise ExportError(f"exporter {name!r} ({eps[name].value}) is not an Exporter subclass")
    return cls


def describe_exporters() -> dict[str, str]:
    """Exporter names and descriptions; imports each, warning (not failing) on broken ones."""
    out: dict[str, str] = {}
    for name in available_exporters():
        try:
            out[name] = get_exporter(name).description
        except ExportError as exc:
            warnings.warn(str(exc), stacklevel=2)
    return out


def export(
    library: Library,
    format: str,
    destination: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Path:
    """Export ``library`` in ``format`` to ``destination`` (default ``dist/<default_filename>``)."""
    cls = get_exporter(format)
    exporter = cls(**options)
    if destination is None:
        make_directory(DEFAULT_DIR)  # the default output directory is ours to create
    dest = Path(destination) if destination is not None else DEFAULT_DIR / cls.default_filename
    return exporter.export(library, dest)


def write_bytes_atomic(destination: Path, data: bytes) -> Path:
    """Write ``data`` to ``destination`` (see `dockerqa._files.write_output`) and return it."""
    return write_output(destination, data)
