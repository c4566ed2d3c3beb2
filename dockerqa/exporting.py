"""The exporter contract and the entry-point registry.

An exporter is one class in one module, declared as an entry point in the group
``dockerqa.exporters`` (built-in ones too). Listing reads only the entry-point metadata; an
exporter module is imported when chosen. The export pipeline (`dockerqa.pipeline.export`)
gives an exporter everything it needs in one `ExportContext` and writes what it builds.

The registry reads the entry points with `dockerqa._entry_points`, which stands in for
`importlib.metadata` (for start-up time).
"""

from __future__ import annotations

import functools
import warnings
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from dockerqa._entry_points import EntryPoint, entry_points
from dockerqa.errors import DockerQAError, ExportError

if TYPE_CHECKING:
    from dockerqa._files import encoded, json_chunks
    from dockerqa.lock import Lock
    from dockerqa.model import Library

__all__ = [
    "DEFAULT_DIR",
    "GROUP",
    "ExportContext",
    "Exporter",
    "Option",
    "available_exporters",
    "describe_exporters",
    "encoded",
    "file_name",
    "get_exporter",
    "json_chunks",
]

GROUP = "dockerqa.exporters"
#: Where exports go when no destination is given (relative to the working directory).
DEFAULT_DIR = Path("dist")

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def file_name(pattern: str, key: str) -> str:
    """A file name pattern (``{key}.apkg``) for a page key (``dockerqa.apkg``)."""
    return pattern.replace("{key}", key)


@dataclass(frozen=True)
class Option:
    """One option an exporter accepts, declared as data.

    The command line turns each into ``dockerqa export NAME --OPTION`` (and ``-o NAME=VALUE``);
    the Python API takes it as a keyword argument of `dockerqa.export`.
    """

    name: str
    """Keyword name (``compact``); the flag is ``--compact``."""
    help: str
    """One line saying what it does."""
    type: type = str
    """``bool`` (a flag), ``str`` or ``int``."""
    default: Any = None
    """Value when the option is not given."""
    choices: tuple[str, ...] = ()
    """Allowed values (for ``str``), empty for any."""
    multiple: bool = False
    """A comma-separated list of values (a tuple in Python)."""
    metavar: str | None = None
    """How the value is shown in ``--help`` (default: ``LIST`` or ``VALUE``)."""

    @property
    def flag(self) -> str:
        """The command-line flag."""
        return "--" + self.name.replace("_", "-")

    def convert(self, value: Any) -> Any:
        """``value`` (from Python or from the command line as text) checked and converted."""
        if value is None:
            return self.default
        if self.type is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE or text in _FALSE:
                return text in _TRUE
            raise ExportError(f"option {self.name}: expected true or false, not {value!r}")
        if self.multiple:
            raw = value.split(",") if isinstance(value, str) else list(value)
            items = tuple(str(v).strip() for v in raw if str(v).strip())
            if not items:
                raise ExportError(f"option {self.name}: {self._expected()}")
            for item in items:
                self._check_choice(item)
            return items
        if self.type is int:
            try:
                return int(value)
            except (TypeError, ValueError):
                raise ExportError(
                    f"option {self.name}: expected a whole number, not {value!r}"
                ) from None
        text = str(value)
        self._check_choice(text)
        return text

    def _expected(self) -> str:
        if self.choices:
            return f"choose from {', '.join(self.choices)}"
        return "give at least one value"

    def _check_choice(self, value: str) -> None:
        if self.choices and value not in self.choices:
            raise ExportError(f"option {self.name}: unknown value {value!r} ({self._expected()})")


@dataclass(frozen=True)
class ExportContext:
    """Everything an exporter gets besides the library: one explicit object."""

    key: str
    """The page key (part of every identifier an exporter derives, so pages never collide)."""
    destination: Path | None = None
    """Where the output goes (``None`` when it is only built in memory, ``-`` for stdout)."""
    lock: Lock | None = None
    """The page's lock, up to date with the library (for exporters with ``needs_lock``)."""
    state: Mapping[str, Any] | None = None
    """This exporter's own state as kept in the lock (what its `Exporter.next_state` gave)."""


class Exporter(ABC):
    """Base class of every exporter: one format, one output file.

    Subclasses set `name`, `description` and `default_filename`, declare their `options`,
    and implement `build` (and, for large outputs, `stream`). The pipeline writes what
    `stream` gives (by default `build`'s bytes); an exporter never writes files itself.
    """

    name: ClassVar[str]
    """Format name used on the command line (``dockerqa export NAME``)."""
    description: ClassVar[str]
    """One line saying what the format is for."""
    default_filename: ClassVar[str]
    """File name used inside ``dist/`` when no destination is given; ``{key}`` stands for the
    page key (``{key}.apkg`` gives ``dockerqa.apkg`` for the bundled corpus, ``k8s.apkg`` for
    ``k8s.mdx``), so exports of different pages never replace each other."""
    options: ClassVar[tuple[Option, ...]] = ()
    """The options the exporter accepts."""
    needs_lock: ClassVar[bool] = False
    """Whether `build` needs the page's lock (stable identity across updates)."""
    binary: ClassVar[bool] = False
    """Whether the output is binary (never written to a terminal or stdout)."""

    def __init__(self, **options: Any) -> None:
        declared = {o.name: o for o in self.options}
        unknown = sorted(set(options) - set(declared))
        if unknown:
            accepted = ", ".join(sorted(declared)) or "none"
            raise ExportError(
                f"the {self.name} exporter takes no option {', '.join(unknown)} "
                f"(accepted: {accepted})"
            )
        self.settings: dict[str, Any] = {
            name: option.convert(options.get(name)) for name, option in declared.items()
        }
        """Every declared option's value, converted (defaults filled in)."""

    def filename(self, key: str = "dockerqa") -> str:
        """The output file name for these options and page key (variants differ, so none
        replaces another)."""
        return file_name(self.default_filename, key)

    def next_state(self, previous: Mapping[str, Any] | None, now: int) -> dict[str, Any] | None:
        """The state this exporter keeps in the lock, after ``previous``; None keeps none.

        Return ``previous`` unchanged when nothing moved, so the lock stays byte-identical.
        """
        return None

    def stream(self, library: Library, context: ExportContext) -> Iterable[bytes]:
        """The output of `build` in pieces, which the pipeline writes as they come (so a large
        output is never held whole). The default yields `build`'s bytes in one piece."""
        return [self.build(library, context)]

    @abstractmethod
    def build(self, library: Library, context: ExportContext) -> bytes:
        """The output for ``library``: deterministic for a given library and context."""


@functools.cache  # read once per process (a command looks exporters up several times)
def _entry_points() -> dict[str, EntryPoint]:
    found: dict[str, EntryPoint] = {}
    for ep in sorted(entry_points(GROUP), key=lambda e: (e.name, e.value)):
        if ep.name == "all":
            raise DockerQAError(
                f"exporter name 'all' is reserved for `dockerqa export all`; {ep.owner} "
                f"({ep.value}) declares it: rename it, or uninstall {ep.owner.split()[0]}"
            )
        if ep.name in found and found[ep.name].value != ep.value:
            raise DockerQAError(
                f"exporter {ep.name!r} is declared twice: by {found[ep.name].owner} "
                f"({found[ep.name].value}) and by {ep.owner} ({ep.value})"
            )
        found[ep.name] = ep
    return found


def available_exporters() -> dict[str, str]:
    """Exporter names and their entry-point targets, without importing any of them."""
    return {name: ep.value for name, ep in _entry_points().items()}


def get_exporter(name: str) -> type[Exporter]:
    """Import and return the exporter class registered under ``name``."""
    eps = _entry_points()
    if name not in eps and name.lower() in eps:
        name = name.lower()  # "JSON" means json
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


#: Encoders for exporters, from `dockerqa._files` (imported when first used). Exporters build
#: bytes; only the pipeline writes files.
_FILE_HELPERS = ("encoded", "json_chunks")


def __getattr__(name: str) -> Any:
    if name in _FILE_HELPERS:
        from dockerqa import _files

        return getattr(_files, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
