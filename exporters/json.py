"""JSON: the whole library, lossless (``Library.model_validate_json`` reads it back equal)."""

from __future__ import annotations

import json
from pathlib import Path

from dockerqa.exporting import Exporter, write_bytes_atomic
from dockerqa.model import Library


class JSONExporter(Exporter):
    """The library as one JSON document (UTF-8, sorted keys, stable bytes)."""

    name = "json"
    description = "the whole library as lossless JSON (read back with Library.model_validate_json)"
    suffix = ".json"
    default_filename = "dockerqa.json"

    def export(self, library: Library, destination: Path) -> Path:
        """Write the library as indented JSON."""
        data = library.model_dump(mode="json")
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        return write_bytes_atomic(destination, text.encode("utf-8"))
