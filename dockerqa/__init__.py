"""dockerqa: Docker interview questions as a typed library, with pluggable exporters.

>>> import dockerqa
>>> lib = dockerqa.load()                       # the bundled corpus
>>> basics = lib.filter(level="basic")
>>> dockerqa.export(lib, "json", "dist/dockerqa.json")
"""

from dockerqa._load import load, loads
from dockerqa.errors import DockerQAError, ExportError, LockError, MetadataError, ParseError
from dockerqa.exporting import Exporter, available_exporters, export, get_exporter
from dockerqa.model import (
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

__version__ = "0.1.0"

__all__ = [
    "Diagnostic",
    "DockerQAError",
    "ExportError",
    "Exporter",
    "FollowUp",
    "Kind",
    "Level",
    "Library",
    "LockError",
    "Metadata",
    "MetadataError",
    "ParseError",
    "Part",
    "Question",
    "Section",
    "SourceSpan",
    "__version__",
    "available_exporters",
    "export",
    "get_exporter",
    "load",
    "loads",
]
