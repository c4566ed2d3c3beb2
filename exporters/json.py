"""JSON: the whole library, lossless (``Library.model_validate_json`` reads it back equal)."""

from __future__ import annotations

import json

from dockerqa.exporting import ExportContext, Exporter
from dockerqa.model import Library


class JSONExporter(Exporter):
    """The library as one JSON document (UTF-8, sorted keys, stable bytes)."""

    name = "json"
    description = "the whole library as lossless JSON (read back with Library.model_validate_json)"
    default_filename = "{key}.json"

    def build(self, library: Library, context: ExportContext) -> bytes:
        """The library as indented JSON (UTF-8)."""
        data = library.model_dump(mode="json")
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
