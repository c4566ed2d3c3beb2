"""The exporter contract, the entry-point registry and safe file writing.

Exporters are declared as entry points in the group ``dockerqa.exporters`` (built-in ones
too). Listing reads only the entry-point metadata; an exporter module is imported when chosen.
"""

from __future__ import annotations

import contextlib
import importlib.metadata as md
import os
import tempfile
import warnings
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, ClassVar

from dockerqa.errors import DockerQAError, ExportError
from dockerqa.model import Library

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
    dest = Path(destination) if destination is not None else DEFAULT_DIR / cls.default_filename
    return exporter.export(library, dest)


@contextlib.contextmanager
def atomic_output(destination: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``destination``; rename it into place only on success.

    A failure leaves neither a half-written destination nor a temporary file behind.
    """
    parent = destination.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise ExportError(f"{destination}: cannot write here ({exc.strerror})") from None
    try:
        text_args: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with open(fd, mode, **text_args) as fh:
            yield fh
        os.chmod(tmp, 0o644)
        os.replace(tmp, destination)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(f"{destination}: cannot write ({exc.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes_atomic(destination: Path, data: bytes) -> Path:
    """Write ``data`` to ``destination`` atomically and return it."""
    with atomic_output(destination) as fh:
        fh.write(data)
    return destination
