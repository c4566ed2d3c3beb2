"""dockerqa: Docker interview questions as a typed library, with pluggable exporters.

>>> import dockerqa
>>> lib = dockerqa.load()                       # the bundled corpus
>>> basics = lib.filter(level="basic")
>>> dockerqa.export(None, "anki")                # dist/dockerqa.apkg, lock refreshed

Names are imported on first use, so ``import dockerqa`` (and ``dockerqa --help``) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

# public name → module that defines it
_EXPORTS = {
    "load": "dockerqa._load",
    "loads": "dockerqa._load",
    "export": "dockerqa.pipeline",
    "refresh_lock": "dockerqa.pipeline",
    "Drill": "dockerqa.drill",
    "Store": "dockerqa.drill",
    "DockerQAError": "dockerqa.errors",
    "DrillError": "dockerqa.errors",
    "ExportError": "dockerqa.errors",
    "LockError": "dockerqa.errors",
    "MetadataError": "dockerqa.errors",
    "ParseError": "dockerqa.errors",
    "ExportContext": "dockerqa.exporting",
    "Exporter": "dockerqa.exporting",
    "Option": "dockerqa.exporting",
    "available_exporters": "dockerqa.exporting",
    "get_exporter": "dockerqa.exporting",
    "Counts": "dockerqa.model",
    "Diagnostic": "dockerqa.model",
    "FollowUp": "dockerqa.model",
    "Kind": "dockerqa.model",
    "Level": "dockerqa.model",
    "Library": "dockerqa.model",
    "Metadata": "dockerqa.model",
    "Part": "dockerqa.model",
    "Question": "dockerqa.model",
    "Section": "dockerqa.model",
    "SourceSpan": "dockerqa.model",
}

__all__ = [
    "Counts",
    "Diagnostic",
    "DockerQAError",
    "Drill",
    "DrillError",
    "ExportContext",
    "ExportError",
    "Exporter",
    "FollowUp",
    "Kind",
    "Level",
    "Library",
    "LockError",
    "Metadata",
    "MetadataError",
    "Option",
    "ParseError",
    "Part",
    "Question",
    "Section",
    "SourceSpan",
    "Store",
    "__version__",
    "available_exporters",
    "export",
    "get_exporter",
    "load",
    "loads",
    "refresh_lock",
]

if TYPE_CHECKING:
    from dockerqa._load import load, loads
    from dockerqa.drill import Drill, Store
    from dockerqa.errors import (
        DockerQAError,
        DrillError,
        ExportError,
        LockError,
        MetadataError,
        ParseError,
    )
    from dockerqa.exporting import (
        ExportContext,
        Exporter,
        Option,
        available_exporters,
        get_exporter,
    )
    from dockerqa.model import (
        Counts,
        Diagnostic,
        FollowUp,
        Kind,
        Level,
        Library,
        Metadata,
        Part,
        Question,
        Section,
        SourceSpan,
    )
    from dockerqa.pipeline import export, refresh_lock


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dockerqa' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
